/** The React side of SerialSave: one queue per mounted field, following the record's latest version. */
import { useEffect, useRef, useState } from 'react';
import { SerialSave, type SerialSaveStatus } from './serial-save.js';

export interface UseSerialSaveOptions<V, R> {
  /** The record's version as the page currently knows it (0 when it does not exist yet). */
  version: number;
  save: (value: V, version: number) => Promise<R>;
  versionOf: (result: R) => number;
  onSaved?: (result: R, settled: boolean) => void;
  onFailed?: (error: unknown, latest: V) => void;
}

export interface SerialSaveHandle<V> {
  /** Saves `value` after any save on its way (values submitted meanwhile collapse into the latest). */
  submit: (value: V) => void;
  /** Starts again from `version` (after a conflict) and optionally saves `value` on top of it. */
  rebase: (version: number, value?: V) => void;
  status: SerialSaveStatus;
}

/** Serialises and coalesces the saves of one record; see SerialSave. */
export function useSerialSave<V, R>(options: UseSerialSaveOptions<V, R>): SerialSaveHandle<V> {
  const [status, setStatus] = useState<SerialSaveStatus>('idle');
  // The latest callbacks, so the queue (made once) never calls a stale closure.
  const latest = useRef(options);
  latest.current = options;
  const queueRef = useRef<SerialSave<V, R> | null>(null);
  if (!queueRef.current) {
    queueRef.current = new SerialSave<V, R>({
      version: options.version,
      save: (value, version) => latest.current.save(value, version),
      versionOf: (result) => latest.current.versionOf(result),
      onSaved: (result, settled) => latest.current.onSaved?.(result, settled),
      onFailed: (error, value) => latest.current.onFailed?.(error, value),
      onStatus: setStatus,
    });
  }
  const queue = queueRef.current;
  // A reload may bring a newer version (another person's save): learn it while nothing is on its way.
  useEffect(() => queue.observe(options.version), [queue, options.version]);
  return {
    submit: (value) => queue.submit(value),
    rebase: (version, value) => {
      queue.rebase(version);
      if (value !== undefined) queue.submit(value);
    },
    status,
  };
}
