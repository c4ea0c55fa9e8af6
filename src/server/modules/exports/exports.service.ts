import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Language } from '../../../contracts/domain.js';
import type { DataExportBody } from '../../../contracts/reports.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { iso } from '../../platform/dates.js';
import { withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { userLanguage } from '../assessments/assessments.repo.js';
import { exportFilePath } from './export-files.js';
import type { ExportJobs } from './export.job.js';
import { lapseExports } from './exports.sweep.js';
import { exportSettledOrTimeout } from './export-settled.js';
import { findDataExport, insertDataExport, listDataExports, type DataExportRow } from './exports.repo.js';

const CONTENT_TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'application/zip' } as const;

/**
 * While a request waits for an export (`?wait=`), how often it looks at the row again: an export run
 * by another process is seen this late at most; one run by this process's worker is told at once.
 */
const WAIT_CHECK_MS = 500;

const inProgress = (r: DataExportRow) => r.status === 'queued' || r.status === 'running';

/**
 * `read()`'s value once `pending(value)` is false, or after `seconds` (or when `signal` aborts) as it
 * then is. Between looks it waits for the job of one of `ids` to end in this process, or WAIT_CHECK_MS.
 * Each look is a transaction of its own: nothing is held while it waits.
 */
async function waitFor<T>(
  ids: readonly string[],
  seconds: number,
  read: () => Promise<T>,
  pending: (value: T) => boolean,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (pending(value) && !signal?.aborted) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await exportSettledOrTimeout(ids, Math.min(WAIT_CHECK_MS, left), signal);
    value = await read();
  }
  return value;
}

function isDownloadable(r: DataExportRow, now = new Date()): boolean {
  return r.status === 'ready' && r.expiresAt !== null && new Date(r.expiresAt) > now;
}

export function presentDataExport(r: DataExportRow): DataExportBody {
  const downloadable = isDownloadable(r);
  return {
    id: r.id,
    format: r.format as DataExportBody['format'],
    status: r.status === 'ready' && !downloadable ? 'expired' : (r.status as DataExportBody['status']),
    rowsDone: r.rowsDone,
    rowsTotal: r.rowsTotal,
    percent: r.status === 'ready' ? 100 : r.rowsTotal > 0 ? Math.min(99, Math.floor((r.rowsDone / r.rowsTotal) * 100)) : 0,
    fileName: r.fileName,
    fileSize: r.fileSize,
    error: r.error,
    createdAt: iso(r.createdAt),
    completedAt: r.completedAt ? iso(r.completedAt) : null,
    expiresAt: r.expiresAt ? iso(r.expiresAt) : null,
    downloadUrl: downloadable ? `/api/v1/exports/${r.id}/download` : null,
  };
}

export function createExportsService(ctx: Pick<AppContext, 'db' | 'config' | 'jobs'>, exportJob: ExportJobs['run']) {
  const { db, config, jobs } = ctx;

  async function load(tx: Tx, scope: TenantScope, id: string) {
    const row = await findDataExport(tx, scope, id);
    if (!row) throw notFound('Export');
    return row;
  }

  return {
    /**
     * Starts a full export in the background; the caller polls it for progress. Its words are in
     * `input.lang`, or else the language the requester chose (English when none).
     */
    async request(actor: Actor, input: { format: 'xlsx' | 'csv'; lang?: Language | undefined }): Promise<DataExportBody> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const row = await withTenant(db, scope, async (tx) => {
        await lapseExports(tx, scope, config.dataDir);
        const busy = (await listDataExports(tx, scope, 50)).find((r) => r.status === 'queued' || r.status === 'running');
        if (busy) throw new AppError('conflict', 'An export is already being prepared. Wait for it to finish, then start another.');
        const language = input.lang ?? (await userLanguage(tx, actor.userId)) ?? 'en';
        const created = await insertDataExport(tx, scope, { id: randomUUID(), format: input.format });
        await recordAudit(tx, actor, {
          action: 'export.create',
          recordType: 'data_export',
          recordId: created.id,
          after: { format: input.format, language },
        });
        // In the same transaction: the job exists if and only if its export row does.
        await jobs.enqueue(tx, exportJob, { tenantId: scope.tenantId, exportId: created.id, language });
        return created;
      });
      // Committed: the worker of this process (if it runs one) takes the job now, not at its next poll.
      jobs.wake(exportJob);
      return presentDataExport(row);
    },

    /**
     * The institution's recent exports. With `wait` (seconds), while some are being prepared, it
     * answers once one of them is ready or failed, or after `wait` with their progress.
     */
    async list(actor: Actor, wait = 0, signal?: AbortSignal): Promise<{ items: DataExportBody[] }> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const read = () =>
        withTenant(db, scope, async (tx) => {
          await lapseExports(tx, scope, config.dataDir);
          return listDataExports(tx, scope);
        });
      let rows = await read();
      const preparing = rows.filter(inProgress).map((r) => r.id);
      if (wait > 0 && preparing.length > 0)
        rows = await waitFor(preparing, wait, read, (now) => now.filter((r) => preparing.includes(r.id)).every(inProgress), signal);
      return { items: rows.map(presentDataExport) };
    },

    /** One export. With `wait` (seconds), while it is queued or running, it answers once it is ready or failed, or after `wait`. */
    async get(actor: Actor, id: string, wait = 0, signal?: AbortSignal): Promise<DataExportBody> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const read = () => withTenant(db, scope, (tx) => load(tx, scope, id));
      return presentDataExport(wait > 0 ? await waitFor([id], wait, read, inProgress, signal) : await read());
    },

    /** The file of a ready export while its link is valid. Each download is audited. */
    async openDownload(actor: Actor, id: string): Promise<{ stream: Readable; fileName: string; contentType: string; size: number }> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const row = await withTenant(db, scope, async (tx) => {
        const r = await load(tx, scope, id);
        if (r.status === 'ready' && !isDownloadable(r)) {
          await lapseExports(tx, scope, config.dataDir);
          throw new AppError('not_found', 'This download link has expired. Start a new export.');
        }
        if (r.status === 'expired') throw new AppError('not_found', 'This download link has expired. Start a new export.');
        if (r.status !== 'ready') throw new AppError('conflict', 'This export is not ready yet.');
        await recordAudit(tx, actor, { action: 'export.download', recordType: 'data_export', recordId: r.id, after: { format: r.format } });
        return r;
      });
      const file = exportFilePath(config.dataDir, scope.tenantId, row.id, row.format as 'xlsx' | 'csv');
      const size = await stat(file).then(
        (s) => s.size,
        () => {
          throw new AppError('not_found', 'This export file is no longer available. Start a new export.');
        },
      );
      return {
        stream: createReadStream(file, { highWaterMark: 1024 * 1024 }),
        fileName: row.fileName ?? `export.${row.format === 'xlsx' ? 'xlsx' : 'zip'}`,
        contentType: CONTENT_TYPES[row.format as 'xlsx' | 'csv'],
        size,
      };
    },
  };
}
export type ExportsService = ReturnType<typeof createExportsService>;
