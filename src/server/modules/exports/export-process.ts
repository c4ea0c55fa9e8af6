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

/** What the export's process answers at the end of a job: its error if it failed, and whether it exits now. */
export interface ExportProcessReport {
  done: true;
  failed: string | null;
  retiring: boolean;
}

/**
 * How long an export's process waits, warm, for another export after one, unless configured
 * (EXPORT_PROCESS_KEEP_SECONDS), before it is ended and gives its memory back (a fresh one, ready
 * and small, takes its place).
 */
const EXPORT_PROCESS_KEEP_SECONDS = 120;

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

/** A started export process: waiting for an order (it loads its code meanwhile), or running one. */
interface ExportProcess {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The report of the job it runs now. */
  report(): Promise<ExportProcessReport>;
  /** While it is kept after an export: when it is ended (see keepForNext). */
  rest: NodeJS.Timeout | null;
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
  const reports: ExportProcessReport[] = [];
  let waiting: ((r: ExportProcessReport) => void) | null = null;
  child.on('message', (r: ExportProcessReport) => {
    if (waiting) waiting(r);
    else reports.push(r);
    waiting = null;
  });
  idle(child, true);
  const p: ExportProcess = {
    child,
    stderr: () => stderr,
    exited,
    report: () => (reports.length ? Promise.resolve(reports.shift()!) : new Promise((resolve) => (waiting = resolve))),
    rest: null,
  };
  return p;
}

/**
 * Keeps `p`, which has just run an export, as the process of the next one, for `seconds`: then it is
 * ended and a fresh one, small, takes its place. This process decides both, so an export is never
 * handed to a process on its way out.
 */
function keepForNext(p: ExportProcess, seconds: number): void {
  idle(p.child, true);
  spare = p;
  p.rest = setTimeout(() => {
    if (spare !== p) return;
    spare = null;
    p.child.kill();
    if (keepSpare) prepareExportProcess();
  }, seconds * 1000);
  p.rest.unref();
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
 * exports' sweep (at worker start), after an export whose process did not stay, and when the process
 * kept after an export is ended.
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
  if (spare?.rest) clearTimeout(spare.rest);
  spare = null;
  const p = ready ?? startExportProcess();
  idle(p.child, false);
  return p;
}

/**
 * Runs one export job (runDataExportJob) in a node process of its own, on PostgreSQL, so that the
 * serving process's memory and CPU do not carry the export: the child (started ahead of need when
 * one was, see prepareExportProcess, or kept from the last export) runs the job in its own small
 * pool (progress, heartbeat and the ready or failed status are written to the database as in
 * process; the export row's worker names the child) and reports its end. Resolves when it reports
 * success. A failure it reports, or its end before reporting (a crash, a kill), rejects; an export
 * the child left queued or running is then marked failed and its partial file removed, as the sweep
 * does for a dead worker. A child that reported is kept, warm, for the next export (when one is
 * kept ready) for EXPORT_PROCESS_KEEP_SECONDS (see keepForNext).
 */
export async function runDataExportInChildProcess(
  deps: {
    db: Db;
    config: Pick<Config, 'dataDir' | 'secretKeys'> & Partial<Pick<Config, 'exportProcessKeepSeconds'>>;
    onStart?: (pid: number) => void;
  },
  databaseUrl: string,
  job: DataExportJob,
): Promise<void> {
  const p = takeExportProcess();
  const { child, stderr, exited } = p;
  const order: ExportProcessOrder = { job, databaseUrl, dataDir: deps.config.dataDir, secretKeys: deps.config.secretKeys };
  child.send(order, (err) => {
    if (err) child.kill('SIGKILL');
  });
  if (child.pid !== undefined) deps.onStart?.(child.pid);
  const end = await Promise.race([p.report(), exited]);
  if ('done' in end && !end.retiring && alive(p)) {
    // Kept for the next export, unless another is already waiting.
    const keep = deps.config.exportProcessKeepSeconds ?? EXPORT_PROCESS_KEEP_SECONDS;
    if (keepSpare && keep > 0 && !(spare && alive(spare))) keepForNext(p, keep);
    else {
      child.kill();
      if (keepSpare) prepareExportProcess();
    }
  } else if (keepSpare) prepareExportProcess();
  if ('done' in end && end.failed === null) return;
  await failUnfinished(deps, job);
  if ('done' in end) throw new Error(`The export failed: ${end.failed}`);
  const error = stderr();
  throw new Error(
    `The export process ended with ${end.signal ? `signal ${end.signal}` : `code ${end.code}`}${error ? `:\n${error.trim()}` : ''}`,
  );
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
