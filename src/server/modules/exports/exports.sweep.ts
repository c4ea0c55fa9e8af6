import { rm } from 'node:fs/promises';
import type { Config } from '../../platform/config.js';
import { unsafeTenantScope, withSystem, withTenant, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import { processIsGone } from '../../platform/worker-identity.js';
import { EXPORT_RUNNING_STALL_MINUTES, EXPORT_STALL_MINUTES, exportFilePath } from './export-files.js';
import { findLapseCandidates, unsafeTenantsWithLapseCandidates, updateDataExport, type DataExportRow } from './exports.repo.js';

/**
 * True when an unfinished export will never finish: it runs in a process that is gone (this host),
 * or has not been heard from for longer than its heartbeat allows (a running one) or than a worker
 * takes to pick it up (a queued one).
 */
export function isInterrupted(r: DataExportRow, now: Date): boolean {
  const silentMs = now.getTime() - new Date(r.updatedAt).getTime();
  if (r.status === 'running') {
    return (r.workerId !== null && processIsGone(r.workerId)) || silentMs > EXPORT_RUNNING_STALL_MINUTES * 60_000;
  }
  return r.status === 'queued' && silentMs > EXPORT_STALL_MINUTES * 60_000;
}

/**
 * Deletes the files of expired exports, and fails exports interrupted by a stopped process,
 * removing their partial file, so that the institution can start another at once.
 * Runs inside the tenant's transaction; file removal is idempotent.
 */
export async function lapseExports(tx: Tx, scope: TenantScope, dataDir: string): Promise<void> {
  const now = new Date();
  for (const r of await findLapseCandidates(tx, scope, now)) {
    if (r.status !== 'ready' && !isInterrupted(r, now)) continue;
    const format = r.format as 'xlsx' | 'csv';
    const file = exportFilePath(dataDir, scope.tenantId, r.id, format);
    await rm(file, { force: true });
    if (r.status !== 'ready') {
      await failExport(tx, scope, dataDir, r.id, format, 'The export was interrupted. Start a new one.');
      continue;
    }
    await rm(`${file}.part`, { force: true });
    await updateDataExport(tx, scope, r.id, { status: 'expired' });
  }
}

/** What a person is told of an export that failed while it ran. */
export const EXPORT_FAILED = 'The export could not be completed. Try again; if it fails again, contact support.';

/** Marks export `id` failed with `error`, naming no worker any more, and removes its partial file. */
export async function failExport(
  tx: Tx,
  scope: TenantScope,
  dataDir: string,
  id: string,
  format: 'xlsx' | 'csv',
  error: string,
): Promise<void> {
  await rm(`${exportFilePath(dataDir, scope.tenantId, id, format)}.part`, { force: true });
  await updateDataExport(tx, scope, id, { status: 'failed', workerId: null, error });
}

/**
 * Scheduled clean-up across institutions (a periodic job, also run when workers start): removes
 * expired export files and fails the exports whose worker died.
 */
export async function systemSweepExpiredExports(ctx: { db: Db; config: Pick<Config, 'dataDir'> }): Promise<number> {
  const tenants = await withSystem(ctx.db, (tx) => unsafeTenantsWithLapseCandidates(tx, new Date()));
  for (const tenantId of tenants) {
    const scope = unsafeTenantScope(tenantId);
    await withTenant(ctx.db, scope, (tx) => lapseExports(tx, scope, ctx.config.dataDir));
  }
  return tenants.length;
}
