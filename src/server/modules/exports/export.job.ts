import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../../contracts/domain.js';
import type { Config } from '../../platform/config.js';
import { defineJob } from '../../platform/jobs.js';
import { connectionStringOf, unsafeTenantScope, withTenant, type Db } from '../../platform/db.js';
import { prepareExportProcess, runDataExportInChildProcess, stopSpareExportProcess } from './export-process.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import { findDataExport, updateDataExport } from './exports.repo.js';
import { forEachAttachmentFile } from '../attachments/attachments.files.js';
import { EXPORT_ENTITIES } from './export-entities.js';
import { countExportRows, writeFullExport } from './full-export.js';
import { EXPORT_FAILED, failExport, systemSweepExpiredExports } from './exports.sweep.js';
import { THIS_PROCESS } from '../../platform/worker-identity.js';
import { announceExportSettled } from './export-settled.js';
import { EXPORT_HEARTBEAT_SECONDS, EXPORT_TTL_HOURS, exportFilePath } from './export-files.js';

/** The payload of the export job. Versioned so a queued job survives a deployment. */
export interface DataExportJob {
  v: 1;
  tenantId: string;
  exportId: string;
  /** The language of the file's words (the requester's); English for a job queued before it was carried. */
  language?: Language;
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'institution'
  );
}

/** How often an export's progress (rows written) is saved at most: the exports page asks every second. */
const PROGRESS_MS = 1000;

export interface ExportJobDeps {
  db: Db;
  config: Pick<Config, 'dataDir' | 'secretKeys'> & Partial<Pick<Config, 'exportProcessKeepSeconds'>>;
  /** Awaited after each page is written (the recovery suite stops a process there). */
  afterPage?: (rowsDone: number) => Promise<void>;
  /**
   * Run the export in this process even on PostgreSQL (the export's own process does, and the
   * recovery suite's). Otherwise an export on PostgreSQL runs in a process of its own (ADR 0019).
   */
  inProcess?: boolean;
}

/**
 * The export job: writes the institution's full export to a file under the data folder, updating
 * progress as it goes, then marks it ready with an expiry. Idempotent: a job whose export is no
 * longer queued does nothing. Runs as the system for exactly one tenant (explicit scope).
 *
 * While it runs, the row names this process (`worker_id`) and its `updated_at` beats every
 * EXPORT_HEARTBEAT_SECONDS: if the process dies, the sweep (at worker start and every few minutes)
 * and the institution's next request see it and fail the export, removing its partial file.
 */
export async function runDataExportJob(deps: ExportJobDeps, job: DataExportJob): Promise<void> {
  const { db } = deps;
  const scope = unsafeTenantScope(job.tenantId);
  const row = await withTenant(db, scope, (tx) => findDataExport(tx, scope, job.exportId));
  if (!row || row.status !== 'queued') return;
  const format = row.format as 'xlsx' | 'csv';
  const file = exportFilePath(deps.config.dataDir, job.tenantId, job.exportId, format);
  const part = `${file}.part`;
  await withTenant(db, scope, (tx) =>
    updateDataExport(tx, scope, job.exportId, { status: 'running', startedAt: new Date(), workerId: THIS_PROCESS }),
  );
  const heartbeat = setInterval(() => {
    // A missed beat is harmless (the next one, or the progress, writes again); the database may be away.
    withTenant(db, scope, (tx) => updateDataExport(tx, scope, job.exportId, {})).catch(() => {});
  }, EXPORT_HEARTBEAT_SECONDS * 1000);
  heartbeat.unref();
  try {
    // The count is for the progress bar alone: it runs beside the export, on a connection of its own,
    // rather than before it; the rows written are counted as they are.
    const counting = countExportRows(db, scope)
      .then((rowsTotal) => withTenant(db, scope, (tx) => updateDataExport(tx, scope, job.exportId, { rowsTotal })))
      .then(
        () => undefined,
        () => undefined,
      );
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Progress is saved at most once a PROGRESS_MS, beside the export rather than in its way: the
    // pages go on being written while it is, and a write is skipped while the last is unfinished.
    // A failed one is harmless, as a missed heartbeat is (the next one writes again).
    let lastSaved = 0;
    let saving: Promise<void> | null = null;
    const written = await writeFullExport(
      db,
      scope,
      format,
      createWriteStream(part, { mode: 0o600 }),
      async (rowsDone) => {
        if (!saving && Date.now() - lastSaved >= PROGRESS_MS) {
          lastSaved = Date.now();
          saving = withTenant(db, scope, (tx) => updateDataExport(tx, scope, job.exportId, { rowsDone }))
            .then(
              () => undefined,
              () => undefined,
            )
            .finally(() => (saving = null));
        }
        await deps.afterPage?.(rowsDone);
      },
      EXPORT_ENTITIES,
      (add) => forEachAttachmentFile(db, scope, deps.config.secretKeys, add),
      job.language ?? 'en',
    );
    await Promise.all([saving, counting]);
    await rename(part, file);
    const { size } = await stat(file);
    const now = new Date();
    await withTenant(db, scope, async (tx) => {
      const institution = await findInstitution(tx, scope);
      await updateDataExport(tx, scope, job.exportId, {
        status: 'ready',
        rowsTotal: written,
        rowsDone: written,
        fileSize: size,
        fileName: `${slug(institution?.name ?? '')}-export-${now.toISOString().slice(0, 10)}.${format === 'xlsx' ? 'xlsx' : 'zip'}`,
        completedAt: now,
        expiresAt: new Date(now.getTime() + EXPORT_TTL_HOURS * 3600_000),
      });
    });
  } catch (err) {
    await withTenant(db, scope, (tx) => failExport(tx, scope, deps.config.dataDir, job.exportId, format, EXPORT_FAILED));
    throw err;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * The job definitions of exports: producing one export, and the clean-up every five minutes (and
 * whenever workers start) of expired files and of exports whose worker died.
 */
export function createExportJobs(deps: ExportJobDeps) {
  return {
    run: defineJob({
      name: 'data-export',
      version: 1,
      payload: z.object({ tenantId: z.uuid(), exportId: z.uuid(), language: z.enum(LANGUAGES).optional() }),
      // A failed export is marked failed; the user starts another (a rerun of a failed one does nothing).
      retryLimit: 0,
      expireInSeconds: 30 * 60,
      singletonKey: (p) => p.exportId,
      handle: (p) => {
        const job: DataExportJob = { v: 1, ...p };
        // On PostgreSQL in a process of its own, so that the serving process's memory does not carry
        // it; the embedded database cannot be opened by another process: there, in this one.
        const databaseUrl = deps.inProcess ? null : connectionStringOf(deps.db);
        const run = databaseUrl ? runDataExportInChildProcess(deps, databaseUrl, job) : runDataExportJob(deps, job);
        // Its row says ready or failed by now: the requests waiting on it answer at once.
        return run.finally(() => announceExportSettled(p.exportId));
      },
    }),
    sweep: defineJob({
      name: 'data-export-sweep',
      version: 1,
      payload: z.object({}),
      schedule: { cron: '*/5 * * * *', payload: {} },
      runAtStart: true,
      handle: async () => {
        // Where exports run in processes of their own, the next one's is started ahead of need.
        if (!deps.inProcess && connectionStringOf(deps.db)) prepareExportProcess();
        await systemSweepExpiredExports(deps);
      },
    }),
    /** Ends the export process started ahead of need, if any. */
    close: stopSpareExportProcess,
  };
}
export type ExportJobs = ReturnType<typeof createExportJobs>;

// The file locations, for modules that manage an institution's files (lifecycle purge).
export { EXPORT_TTL_HOURS, exportFilePath, exportFolderOf } from './export-files.js';
