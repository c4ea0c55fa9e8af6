import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { hasApprovedPia } from '../reports/pia-state.js';
import type { InventoryQuery } from '../../../contracts/api.js';
import { catalogApps, inventoryItems } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { containsPattern } from '../catalog/catalog.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type InventoryRow = typeof inventoryItems.$inferSelect;
export type InventoryInsert = typeof inventoryItems.$inferInsert;
/** An item with the website of its catalog app, when it has one. */
/**
 * An item with what its page needs beyond its own columns: the catalog app's website, and whether an
 * approval must wait for an approved PIA (the institution's rule, and none yet; decision-rules.ts).
 */
export type InventoryRowWithApp = InventoryRow & { catalogWebsite: string | null; approvalNeedsPia: boolean };

/** The item's own columns (what its audit events record), without what was read beside them. */
export function ownColumns(r: InventoryRow | InventoryRowWithApp): InventoryRow {
  const { catalogWebsite: _w, approvalNeedsPia: _a, ...own } = r as InventoryRowWithApp;
  return own;
}

const mine = (scope: TenantScope) => byTenant(inventoryItems.tenantId, scope);
const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

function filters(scope: TenantScope, q: InventoryQuery): SQL {
  const where: SQL[] = [mine(scope)];
  if (q.q) {
    const p = containsPattern(q.q);
    where.push(sql`(${inventoryItems.name} ilike ${p} or ${inventoryItems.vendor} ilike ${p} or ${inventoryItems.purpose} ilike ${p})`);
  }
  if (q.status?.length) where.push(sql`${inventoryItems.status} = any(${textArray(q.status)})`);
  // Array filters: an item matches when it has any of the chosen values (&& is "overlaps").
  if (q.grade?.length) where.push(sql`${inventoryItems.grades} && ${textArray(q.grade)}`);
  if (q.audience?.length) where.push(sql`${inventoryItems.audiences} && ${textArray(q.audience)}`);
  if (q.dataElement?.length) where.push(sql`${inventoryItems.dataElements} && ${textArray(q.dataElement)}`);
  if (q.schoolId) where.push(sql`${q.schoolId}::uuid = any(${inventoryItems.schoolIds})`);
  return and(...where)!;
}

const SORTS = {
  name: sql`lower(${inventoryItems.name})`,
  status: inventoryItems.status,
  updated: inventoryItems.updatedAt,
  next_review: inventoryItems.nextReviewOn,
} as const;

const withApp = {
  item: inventoryItems,
  catalogWebsite: catalogApps.website,
  approvalNeedsPia: sql<boolean>`((select n.require_approved_pia from institutions n where n.id = ${inventoryItems.tenantId})
    and not exists (select 1 from assessments pia where pia.tenant_id = ${inventoryItems.tenantId} and pia.inventory_item_id = ${inventoryItems.id} and ${hasApprovedPia()}))`,
};

function flatten(rows: { item: InventoryRow; catalogWebsite: string | null; approvalNeedsPia: boolean }[]): InventoryRowWithApp[] {
  return rows.map((r) => ({ ...r.item, catalogWebsite: r.catalogWebsite, approvalNeedsPia: r.approvalNeedsPia === true }));
}

export async function listInventory(
  tx: Tx,
  scope: TenantScope,
  q: InventoryQuery,
): Promise<{ items: InventoryRowWithApp[]; total: number }> {
  const where = filters(scope, q);
  const dir = q.order === 'desc' ? desc : asc;
  const sortKey = SORTS[q.sort];
  const count = () =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(inventoryItems)
      .where(where);
  // The page and the total in one statement (one round trip): the count is a subquery PostgreSQL runs
  // once, beside the page's own plan. A page past the end has no row to carry it: counted on its own.
  const rows = await tx
    .select({ ...withApp, total: sql<number>`(${count()})` })
    .from(inventoryItems)
    .leftJoin(catalogApps, eq(catalogApps.id, inventoryItems.catalogAppId))
    .where(where)
    .orderBy(q.order === 'desc' ? sql`${sortKey} desc nulls last` : sql`${sortKey} asc nulls last`, dir(inventoryItems.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  if (rows.length > 0) return { items: flatten(rows), total: Number(rows[0]!.total) };
  if (q.page === 1) return { items: [], total: 0 };
  const [counted] = await count();
  return { items: [], total: counted?.n ?? 0 };
}

export async function findInventoryItem(tx: Tx, scope: TenantScope, id: string): Promise<InventoryRowWithApp | undefined> {
  const rows = await tx
    .select(withApp)
    .from(inventoryItems)
    .leftJoin(catalogApps, eq(catalogApps.id, inventoryItems.catalogAppId))
    .where(and(mine(scope), eq(inventoryItems.id, id)));
  return flatten(rows)[0];
}

export async function insertInventoryItem(tx: Tx, scope: TenantScope, values: Omit<InventoryInsert, 'tenantId'>): Promise<InventoryRow> {
  const [row] = await tx
    .insert(inventoryItems)
    .values({ ...values, tenantId: scope.tenantId })
    .returning();
  return row!;
}

/** Updates only when the stored version is `version`; undefined means someone saved first. */
export async function updateInventoryItem(
  tx: Tx,
  scope: TenantScope,
  id: string,
  version: number,
  patch: Partial<InventoryInsert>,
): Promise<InventoryRow | undefined> {
  const [row] = await tx
    .update(inventoryItems)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(mine(scope), eq(inventoryItems.id, id), eq(inventoryItems.version, version)))
    .returning();
  return row;
}

export async function deleteInventoryItem(tx: Tx, scope: TenantScope, id: string): Promise<boolean> {
  const rows = await tx
    .delete(inventoryItems)
    .where(and(mine(scope), eq(inventoryItems.id, id)))
    .returning({ id: inventoryItems.id });
  return rows.length > 0;
}

/** Whether the institution already lists this catalog app or a custom app of this name. */
export async function findDuplicate(
  tx: Tx,
  scope: TenantScope,
  key: { catalogAppId?: string; customName?: string },
  exceptId?: string,
): Promise<boolean> {
  const cond = key.catalogAppId
    ? eq(inventoryItems.catalogAppId, key.catalogAppId)
    : sql`${inventoryItems.catalogAppId} is null and lower(${inventoryItems.customName}) = lower(${key.customName ?? ''})`;
  const except = exceptId ? sql`${inventoryItems.id} <> ${exceptId}` : undefined;
  const [row] = await tx
    .select({ id: inventoryItems.id })
    .from(inventoryItems)
    .where(and(mine(scope), cond, except));
  return !!row;
}
