import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../platform/config.js';
import { projectRoot, unsafeTenantScope, withTenant, type Db } from '../../platform/db.js';
import { findDataExport } from './exports.repo.js';
import { EXPORT_FAILED, failExport } from './exports.sweep.js';
import type { DataExportJob } from './export.job.js';

/** What the serving process hands the export's process, over its IPC channel (never its arguments or environment). */
export interface ExportProcessOrder {
  job: DataExportJob;
  databaseUrl: string;
  dataDir: string;
  secretKeys: Config['secretKeys'];
}

/** The export process's entry: the built JavaScript beside this module, or its TypeScript source under tsx (tests). */
function entry(): { file: string; execArgv: string[] } {
  const source = import.meta.url.endsWith('.ts');
  return {
    file: fileURLToPath(new URL(`./export-process-main.${source ? 'ts' : 'js'}`, import.meta.url)),
    execArgv: source ? ['--import', 'tsx'] : [],
  };
}

/** The last characters of the process's error output kept for the job's error. */
const STDERR_KEPT = 4000;

/**
 * Runs one export job (runDataExportJob) in a node process of its own, on PostgreSQL, so that the
 * serving process's memory and CPU do not carry the export: the child opens its own small pool, runs
 * the job (progress, heartbeat and the ready or failed status are written to the database as in
 * process; the export row's worker names the child) and exits. Resolves when it exits with 0.
 * Any other end (an error, a crash, a kill) rejects; an export the child left queued or running is
 * then marked failed and its partial file removed, as the sweep does for a dead worker.
 */
export async function runDataExportInChildProcess(
  deps: { db: Db; config: Pick<Config, 'dataDir' | 'secretKeys'>; onStart?: (pid: number) => void },
  databaseUrl: string,
  job: DataExportJob,
): Promise<void> {
  const { file, execArgv } = entry();
  const child = fork(file, [], {
    cwd: projectRoot,
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-STDERR_KEPT);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const order: ExportProcessOrder = { job, databaseUrl, dataDir: deps.config.dataDir, secretKeys: deps.config.secretKeys };
  child.send(order, (err) => {
    if (err) child.kill('SIGKILL');
  });
  if (child.pid !== undefined) deps.onStart?.(child.pid);
  const { code, signal } = await exited;
  if (code === 0) return;
  await failUnfinished(deps, job);
  throw new Error(`The export process ended with ${signal ? `signal ${signal}` : `code ${code}`}${stderr ? `:\n${stderr.trim()}` : ''}`);
}

/** Fails the job's export if its process left it queued or running, removing its partial file. */
async function failUnfinished(deps: { db: Db; config: Pick<Config, 'dataDir'> }, job: DataExportJob): Promise<void> {
  const scope = unsafeTenantScope(job.tenantId);
  await withTenant(deps.db, scope, async (tx) => {
    const row = await findDataExport(tx, scope, job.exportId);
    if (!row || (row.status !== 'queued' && row.status !== 'running')) return;
    await failExport(tx, scope, deps.config.dataDir, job.exportId, row.format as 'xlsx' | 'csv', EXPORT_FAILED);
  });
}
