/**
 * Saves of one record, one at a time. A record saved with optimistic concurrency (the caller sends
 * the version it last saw) must never be saved twice at once by the same person: the second save
 * would carry a version the first one has just replaced, and the server would call the person's own
 * edit a conflict. This queue keeps at most one save in flight per record; values submitted
 * meanwhile collapse into one pending save of the latest value; each save sends the version the
 * previous save returned. Framework-free, so it is tested on its own (see use-serial-save.ts for
 * the React side).
 */

/** What the queue is doing: nothing yet, a save on its way, all saved, or the last save failed. */
export type SerialSaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

export interface SerialSaveOptions<V, R> {
  /** The version of the record as last seen (0 when it does not exist yet). */
  version: number;
  /** Sends one save; resolves with the server's answer. */
  save: (value: V, version: number) => Promise<R>;
  /** The record's version after a save, read from the server's answer. */
  versionOf: (result: R) => number;
  /** After each successful save; `settled` is true when no other save is waiting. */
  onSaved?: (result: R, settled: boolean) => void;
  /** After a failed save, with the latest value the person wanted (waiting saves are dropped). */
  onFailed?: (error: unknown, latest: V) => void;
  /** On every change of status. */
  onStatus?: (status: SerialSaveStatus) => void;
}

/** One record's queue of saves. */
export class SerialSave<V, R> {
  private version: number;
  private inFlight = false;
  private pending: { value: V } | null = null;
  private status: SerialSaveStatus = 'idle';
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SerialSaveOptions<V, R>) {
    this.version = options.version;
  }

  /** The version the next save will send. */
  get currentVersion(): number {
    return this.version;
  }

  /** True while a save is on its way or waiting. */
  get isBusy(): boolean {
    return this.inFlight || this.pending !== null;
  }

  get currentStatus(): SerialSaveStatus {
    return this.status;
  }

  /** Asks for `value` to be saved: at once when nothing is on its way, else after it (replacing any value still waiting). */
  submit(value: V): void {
    if (this.inFlight) {
      this.pending = { value };
      return;
    }
    void this.run(value);
  }

  /**
   * Learns a version seen elsewhere (a reload of the record). Only a newer version counts, and only
   * while nothing is on its way: an older reload must not take back the version of our own save.
   */
  observe(version: number): void {
    if (!this.isBusy && version > this.version) this.version = version;
  }

  /** Starts again from a version chosen by the person (after a conflict: theirs, to keep mine on top of it). */
  rebase(version: number): void {
    this.version = version;
  }

  /** Resolves once no save is on its way or waiting. */
  whenIdle(): Promise<void> {
    if (!this.isBusy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private setStatus(status: SerialSaveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }

  private async run(value: V): Promise<void> {
    this.inFlight = true;
    this.setStatus('saving');
    try {
      const result = await this.options.save(value, this.version);
      this.version = this.options.versionOf(result);
      this.options.onSaved?.(result, this.pending === null);
    } catch (error) {
      // The person's latest wish is the waiting value if any: that is what a conflict must show as theirs.
      const latest = this.pending ? this.pending.value : value;
      this.pending = null;
      this.inFlight = false;
      this.setStatus('failed');
      this.options.onFailed?.(error, latest);
      this.settle();
      return;
    }
    this.inFlight = false;
    const waiting = this.pending;
    if (waiting) {
      this.pending = null;
      void this.run(waiting.value);
      return;
    }
    this.setStatus('saved');
    this.settle();
  }

  private settle(): void {
    if (this.isBusy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
