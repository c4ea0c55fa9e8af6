import { EventEmitter } from 'node:events';

/**
 * Exports whose job ended in this process, told to the requests waiting on them (`GET
 * /api/v1/exports/:id?wait=`): an export run by this process's worker is answered the moment its
 * row says ready or failed. An export run by another process is seen by the waiting request's next
 * look at the row.
 */
const settled = new EventEmitter();
settled.setMaxListeners(0);

/** Tells the requests waiting on export `id` that its job has ended in this process (its row says how). */
export function announceExportSettled(id: string): void {
  settled.emit(id);
}

/** Resolves when the job of one of the exports `ids` ends in this process, after `ms`, or when `signal` aborts. */
export function exportSettledOrTimeout(ids: readonly string[], ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const id of ids) settled.off(id, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const id of ids) settled.once(id, done);
    if (signal?.aborted) done();
    else signal?.addEventListener('abort', done);
  });
}
