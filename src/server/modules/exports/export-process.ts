import { fork, type ChildProcess } from 'node:child_process';
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

/** A started export process: waiting for its order (it loads its code meanwhile), or running one. */
interface ExportProcess {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startExportProcess(): ExportProcess {
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
  // Waiting for an order, it keeps nothing of this process alive (a serving process that ends
  // disconnects it, and it exits).
  exited.catch(() => {});
  idle(child, true);
  return { child, stderr: () => stderr, exited };
}

/** An idle process's handles do not hold this process's event loop open; a working one's do. */
function idle(child: ChildProcess, yes: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | null | undefined;
  const stderr = child.stderr as (NodeJS.ReadableStream & { ref?(): void; unref?(): void }) | null;
  if (yes) {
    child.unref();
    channel?.unref();
    stderr?.unref?.();
  } else {
    child.ref();
    channel?.ref();
    stderr?.ref?.();
  }
}

/** The process started ahead of the next export (none on the embedded database, none until asked for). */
let spare: ExportProcess | null = null;
/** Whether a process is kept ready for the next export: from the first prepareExportProcess until stopped. */
let keepSpare = false;

const alive = (p: ExportProcess) => p.child.exitCode === null && p.child.signalCode === null && p.child.connected;

/**
 * Starts the process of this process's next export ahead of need, unless one is ready: an export
 * then waits for no node start and loading of its code (0.5–0.6 s on 2 cores). Called by the
 * exports' sweep (at worker start) and after each export ends, so that its start does not compete
 * with an export for the processor.
 */
export function prepareExportProcess(): void {
  keepSpare = true;
  if (spare && alive(spare)) return;
  spare = startExportProcess();
}

/** The process id of the process waiting for the next export, if there is one. */
export function preparedExportProcessPid(): number | null {
  return spare && alive(spare) ? (spare.child.pid ?? null) : null;
}

/** Ends the process waiting for the next export, if any, and starts no other (the app's close). */
export function stopSpareExportProcess(): void {
  keepSpare = false;
  const p = spare;
  spare = null;
  if (p && alive(p)) p.child.kill();
}

/** The process the next export runs in: the one started ahead of it if it is still there, or a new one. */
function takeExportProcess(): ExportProcess {
  const ready = spare && alive(spare) ? spare : null;
  spare = null;
  const p = ready ?? startExportProcess();
  idle(p.child, false);
  return p;
}

/**
 * Runs one export job (runDataExportJob) in a node process of its own, on PostgreSQL, so that the
 * serving process's memory and CPU do not carry the export: the child (started ahead of need when
 * one was, see prepareExportProcess) opens its own small pool, runs the job (progress, heartbeat
 * and the ready or failed status are written to the database as in process; the export row's worker
 * names the child) and exits. Resolves when it exits with 0. Any other end (an error, a crash, a
 * kill) rejects; an export the child left queued or running is then marked failed and its partial
 * file removed, as the sweep does for a dead worker. Once it has ended, the next export's process
 * is started (when one is kept ready).
 */
export async function runDataExportInChildProcess(
  deps: { db: Db; config: Pick<Config, 'dataDir' | 'secretKeys'>; onStart?: (pid: number) => void },
  databaseUrl: string,
  job: DataExportJob,
): Promise<void> {
  const { child, stderr, exited } = takeExportProcess();
  const order: ExportProcessOrder = { job, databaseUrl, dataDir: deps.config.dataDir, secretKeys: deps.config.secretKeys };
  child.send(order, (err) => {
    if (err) child.kill('SIGKILL');
  });
  if (child.pid !== undefined) deps.onStart?.(child.pid);
  const { code, signal } = await exited;
  if (keepSpare) prepareExportProcess();
  if (code === 0) return;
  await failUnfinished(deps, job);
  const error = stderr();
  throw new Error(`The export process ended with ${signal ? `signal ${signal}` : `code ${code}`}${error ? `:\n${error.trim()}` : ''}`);
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
