import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { DataExportBody } from '../../../contracts/reports.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { iso } from '../../platform/dates.js';
import { withSystem, withTenant, unsafeTenantScope, type TenantScope, type Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { EXPORT_STALL_MINUTES, exportFilePath, type ExportScheduler } from './export.job.js';
import { findDataExport, findLapsedExports, insertDataExport, listDataExports, unsafeTenantsWithLapsedExports, updateDataExport, type DataExportRow } from './exports.repo.js';

const CONTENT_TYPES = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'application/zip' } as const;

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

/**
 * Deletes the files of expired exports and marks exports interrupted by a stopped process as failed.
 * Runs inside the tenant's transaction; file removal is idempotent.
 */
async function lapseExports(tx: Tx, scope: TenantScope, dataDir: string): Promise<void> {
  const now = new Date();
  const lapsed = await findLapsedExports(tx, scope, now, new Date(now.getTime() - EXPORT_STALL_MINUTES * 60_000));
  for (const r of lapsed) {
    await rm(exportFilePath(dataDir, scope.tenantId, r.id, r.format as 'xlsx' | 'csv'), { force: true });
    await rm(`${exportFilePath(dataDir, scope.tenantId, r.id, r.format as 'xlsx' | 'csv')}.part`, { force: true });
    await updateDataExport(tx, scope, r.id, r.status === 'ready' ? { status: 'expired' } : { status: 'failed', error: 'The export was interrupted. Start a new one.' });
  }
}

/** Scheduled clean-up across institutions (a periodic job): removes expired export files. */
export async function systemSweepExpiredExports(ctx: Pick<AppContext, 'db' | 'config'>): Promise<number> {
  const tenants = await withSystem(ctx.db, (tx) => unsafeTenantsWithLapsedExports(tx, new Date()));
  for (const tenantId of tenants) {
    const scope = unsafeTenantScope(tenantId);
    await withTenant(ctx.db, scope, (tx) => lapseExports(tx, scope, ctx.config.dataDir));
  }
  return tenants.length;
}

export function createExportsService(ctx: Pick<AppContext, 'db' | 'config'>, schedule: ExportScheduler) {
  const { db, config } = ctx;

  async function load(tx: Tx, scope: TenantScope, id: string) {
    const row = await findDataExport(tx, scope, id);
    if (!row) throw notFound('Export');
    return row;
  }

  return {
    /** Starts a full export in the background; the caller polls it for progress. */
    async request(actor: Actor, input: { format: 'xlsx' | 'csv' }): Promise<DataExportBody> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const row = await withTenant(db, scope, async (tx) => {
        await lapseExports(tx, scope, config.dataDir);
        const busy = (await listDataExports(tx, scope, 50)).find((r) => r.status === 'queued' || r.status === 'running');
        if (busy) throw new AppError('conflict', 'An export is already being prepared. Wait for it to finish, then start another.');
        const created = await insertDataExport(tx, scope, { id: randomUUID(), format: input.format });
        await recordAudit(tx, actor, { action: 'export.create', recordType: 'data_export', recordId: created.id, after: { format: input.format } });
        return created;
      });
      // After the commit: the job must find the row it is given.
      schedule({ v: 1, tenantId: scope.tenantId, exportId: row.id });
      return presentDataExport(row);
    },

    async list(actor: Actor): Promise<{ items: DataExportBody[] }> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, async (tx) => {
        await lapseExports(tx, scope, config.dataDir);
        return listDataExports(tx, scope);
      });
      return { items: rows.map(presentDataExport) };
    },

    async get(actor: Actor, id: string): Promise<DataExportBody> {
      authorize(actor, 'exportData');
      const scope = scopeOf(actor);
      return presentDataExport(await withTenant(db, scope, (tx) => load(tx, scope, id)));
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
      return { stream: createReadStream(file), fileName: row.fileName ?? `export.${row.format === 'xlsx' ? 'xlsx' : 'zip'}`, contentType: CONTENT_TYPES[row.format as 'xlsx' | 'csv'], size };
    },
  };
}
export type ExportsService = ReturnType<typeof createExportsService>;
