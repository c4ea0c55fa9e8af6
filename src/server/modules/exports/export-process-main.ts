/**
 * The process an export runs in on PostgreSQL (started by runDataExportInChildProcess): it waits for
 * its order on the IPC channel, opens a small pool of its own, runs the export job and exits, with 0
 * when the job ended without error. Not a command: it is only started by the serving process.
 */
import { openDatabase } from '../../platform/db.js';
import { runDataExportJob } from './export.job.js';
import type { ExportProcessOrder } from './export-process.js';
import { warmUpExport } from './full-export.js';

/** The export's snapshot reads (two connections sharing one snapshot), its progress and heartbeat, and the attached files it reads. */
const POOL_SIZE = 4;

let ordered = false;
// While no order has come, the export's own work is readied (see warmUpExport).
const warming = setImmediate(() => {
  if (!ordered) warmUpExport();
});
// A serving process gone before its order came: nothing to do. Once running, the export finishes.
process.once('disconnect', () => {
  if (!ordered) process.exit(1);
});

process.once('message', (order: ExportProcessOrder) => {
  clearImmediate(warming);
  ordered = true;
  void (async () => {
    let failed = false;
    const database = await openDatabase({ databaseUrl: order.databaseUrl, poolSize: POOL_SIZE });
    try {
      await runDataExportJob(
        { db: database.db, config: { dataDir: order.dataDir, secretKeys: order.secretKeys }, inProcess: true },
        order.job,
      );
    } catch (err) {
      failed = true;
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      await database.close().catch(() => undefined);
    }
    process.exit(failed ? 1 : 0);
  })();
});
