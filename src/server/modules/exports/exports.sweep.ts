import { rm } from 'node:fs/promises';
import type { Config } from '../../platform/config.js';
import { unsafeTenantScope, withSystem, withTenant, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import { EXPORT_STALL_MINUTES, exportFilePath } from './export-files.js';
import { findLapsedExports, unsafeTenantsWithLapsedExports, updateDataExport } from './exports.repo.js';

/**
 * Deletes the files of expired exports and marks exports interrupted by a stopped process as failed.
 * Runs inside the tenant's transaction; file removal is idempotent.
 */
export async function lapseExports(tx: Tx, scope: TenantScope, dataDir: string): Promise<void> {
  const now = new Date();
  const lapsed = await findLapsedExports(tx, scope, now, new Date(now.getTime() - EXPORT_STALL_MINUTES * 60_000));
  for (const r of lapsed) {
    await rm(exportFilePath(dataDir, scope.tenantId, r.id, r.format as 'xlsx' | 'csv'), { force: true });
    await rm(`${exportFilePath(dataDir, scope.tenantId, r.id, r.format as 'xlsx' | 'csv')}.part`, { force: true });
    await updateDataExport(
      tx,
      scope,
      r.id,
      r.status === 'ready' ? { status: 'expired' } : { status: 'failed', error: 'The export was interrupted. Start a new one.' },
    );
  }
}

/** Scheduled clean-up across institutions (a periodic job): removes expired export files. */
export async function systemSweepExpiredExports(ctx: { db: Db; config: Pick<Config, 'dataDir'> }): Promise<number> {
  const tenants = await withSystem(ctx.db, (tx) => unsafeTenantsWithLapsedExports(tx, new Date()));
  for (const tenantId of tenants) {
    const scope = unsafeTenantScope(tenantId);
    await withTenant(ctx.db, scope, (tx) => lapseExports(tx, scope, ctx.config.dataDir));
  }
  return tenants.length;
}
