import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { dataExports } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type DataExportRow = typeof dataExports.$inferSelect;

const mine = (scope: TenantScope) => byTenant(dataExports.tenantId, scope);

export async function insertDataExport(tx: Tx, scope: TenantScope, values: { id: string; format: 'xlsx' | 'csv' }): Promise<DataExportRow> {
  const [row] = await tx
    .insert(dataExports)
    .values({ ...values, tenantId: scope.tenantId })
    .returning();
  return row!;
}

export async function findDataExport(tx: Tx, scope: TenantScope, id: string): Promise<DataExportRow | undefined> {
  const [row] = await tx
    .select()
    .from(dataExports)
    .where(and(mine(scope), eq(dataExports.id, id)));
  return row;
}

export async function listDataExports(tx: Tx, scope: TenantScope, limit = 20): Promise<DataExportRow[]> {
  return tx.select().from(dataExports).where(mine(scope)).orderBy(desc(dataExports.createdAt)).limit(limit);
}

export async function updateDataExport(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<typeof dataExports.$inferInsert>,
): Promise<void> {
  await tx
    .update(dataExports)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(mine(scope), eq(dataExports.id, id)));
}

/**
 * Exports that may have lapsed: ready ones past `expires_at`, and every queued or running one (the
 * caller decides which of those were interrupted: see `lapseExports`).
 */
export async function findLapseCandidates(tx: Tx, scope: TenantScope, now: Date): Promise<DataExportRow[]> {
  return tx
    .select()
    .from(dataExports)
    .where(
      and(
        mine(scope),
        sql`((${dataExports.status} = 'ready' and ${dataExports.expiresAt} <= ${now.toISOString()}::timestamptz)
          or ${inArray(dataExports.status, ['queued', 'running'])})`,
      ),
    );
}

/** Tenants with exports that may have lapsed (scheduled clean-up; system scope only). */
export async function unsafeTenantsWithLapseCandidates(tx: Tx, now: Date): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ tenantId: dataExports.tenantId })
    .from(dataExports)
    .where(
      sql`(${dataExports.status} = 'ready' and ${dataExports.expiresAt} <= ${now.toISOString()}::timestamptz) or ${inArray(dataExports.status, ['queued', 'running'])}`,
    );
  return rows.map((r) => r.tenantId);
}
