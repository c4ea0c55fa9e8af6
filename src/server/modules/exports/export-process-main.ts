/**
 * The process exports run in on PostgreSQL (started by the serving process, see export-process.ts):
 * it waits for an order on the IPC channel, runs the export job in a small pool of its own, reports
 * the end of the job, and waits for the next order, warm: its code compiled, its connections open.
 * It exits when the serving process goes (or ends it, see export-process.ts), and after an export
 * that left it larger than RETIRE_RSS_BYTES. Not a command: only the serving process starts it.
 */
import { openDatabase, type Database } from '../../platform/db.js';
import { runDataExportJob } from './export.job.js';
import type { ExportProcessOrder, ExportProcessReport } from './export-process.js';
import { warmUpExport } from './full-export.js';

/** The export's snapshot reads (two connections sharing one snapshot), its progress and heartbeat, its row count beside it, and the attached files it reads. */
const POOL_SIZE = 4;

/** A process whose resident memory an export left above this exits after reporting, and a fresh one takes its place. */
const RETIRE_RSS_BYTES = 384 * 1024 * 1024;

let working = false;
let parentGone = false;
let database: { url: string; opened: Database } | null = null;

async function exit(code: number): Promise<never> {
  await database?.opened.close().catch(() => undefined);
  process.exit(code);
}

// A serving process gone: exit now if waiting, or once the export under way is done.
process.once('disconnect', () => {
  parentGone = true;
  if (!working) void exit(1);
});

// While no order has come, the export's own work is readied (see warmUpExport).
const warming = setImmediate(() => {
  if (!working) warmUpExport();
});

process.on('message', (order: ExportProcessOrder) => {
  clearImmediate(warming);
  working = true;
  void (async () => {
    let report: ExportProcessReport;
    try {
      if (database?.url !== order.databaseUrl) {
        await database?.opened.close().catch(() => undefined);
        database = { url: order.databaseUrl, opened: await openDatabase({ databaseUrl: order.databaseUrl, poolSize: POOL_SIZE }) };
      }
      await runDataExportJob(
        { db: database.opened.db, config: { dataDir: order.dataDir, secretKeys: order.secretKeys }, inProcess: true },
        order.job,
      );
      report = { done: true, failed: null, retiring: false };
    } catch (err) {
      report = { done: true, failed: err instanceof Error ? err.message : String(err), retiring: false };
    }
    working = false;
    report.retiring = parentGone || process.memoryUsage().rss > RETIRE_RSS_BYTES;
    if (!parentGone) await new Promise<void>((resolve) => process.send!(report, () => resolve()));
    if (report.retiring) await exit(report.failed ? 1 : 0);
  })();
});
