import { and, eq, sql, type SQL } from 'drizzle-orm';
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

/** Where a keyset page starts: the sort key (as PostgreSQL writes it as text; null for none) and id of an item. */
export interface InventoryCursor {
  key: string | null;
  id: string;
}

/** The type each sort key is compared as, with a cursor's text. */
const SORT_TYPES = { name: sql`text`, status: sql`text`, updated: sql`timestamptz`, next_review: sql`date` } as const;

/** Pages within this many items of the start are read by offset in one statement, with their total. */
const NEAR_START = 500;

/** A page of items, in order, and the cursors of the pages beside it. */
export interface InventoryPage {
  items: InventoryRowWithApp[];
  total: number;
  next: InventoryCursor | null;
  prev: InventoryCursor | null;
}

type PageRow = { item: InventoryRow; catalogWebsite: string | null; approvalNeedsPia: boolean; total: number; sortKey: string | null };

/**
 * A page of the inventory. With a cursor (`after`, `before`), a keyset page: the items just after (or
 * before) the cursor's, found by their sort key and id, so a page deep in the list costs what the first
 * does. Without one, `q.page` by offset from the nearer end of the list: the last pages are read in the
 * reverse order from the end, as cheap as the first ones. Either way the total comes with the page's
 * statement (or, for a page counted from the end, in the statement before it).
 */
export async function listInventory(
  tx: Tx,
  scope: TenantScope,
  q: InventoryQuery,
  cursor?: { after?: InventoryCursor; before?: InventoryCursor },
): Promise<InventoryPage> {
  const where = filters(scope, q);
  const sortKey = SORTS[q.sort];
  const desc = q.order === 'desc';
  const type = SORT_TYPES[q.sort];
  const count = () =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(inventoryItems)
      .where(where);
  const id = inventoryItems.id;
  // The list's order (nulls last either way, then the id in the same direction), and its reverse.
  const forward = desc ? [sql`${sortKey} desc nulls last`, sql`${id} desc`] : [sql`${sortKey} asc nulls last`, sql`${id} asc`];
  const backward = desc ? [sql`${sortKey} asc nulls first`, sql`${id} asc`] : [sql`${sortKey} desc nulls first`, sql`${id} desc`];
  const page = (extra: SQL | undefined, order: SQL[], limit: number, offset: number, withTotal: boolean) =>
    tx
      .select({ ...withApp, total: withTotal ? sql<number>`(${count()})` : sql<number>`0`, sortKey: sql<string | null>`(${sortKey})::text` })
      .from(inventoryItems)
      .leftJoin(catalogApps, eq(catalogApps.id, inventoryItems.catalogAppId))
      .where(extra ? and(where, extra) : where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset) as unknown as Promise<PageRow[]>;
  const cursorOf = (r: PageRow | undefined): InventoryCursor | null => (r ? { key: r.sortKey, id: r.item.id } : null);

  const after = cursor?.after;
  const before = cursor?.before;
  if (after || before) {
    const c = (after ?? before)!;
    const v = sql`${c.key}::${type}`;
    const i = sql`${c.id}::uuid`;
    // `gt`: later in the list's order; `lt`: earlier. Items with no sort key come last, in id order.
    const gt = desc ? sql`<` : sql`>`;
    const lt = desc ? sql`>` : sql`<`;
    let extra: SQL;
    if (after)
      extra =
        c.key === null
          ? sql`(${sortKey} is null and ${id} ${gt} ${i})`
          : sql`(${sortKey} ${gt} ${v} or (${sortKey} = ${v} and ${id} ${gt} ${i}) or ${sortKey} is null)`;
    else
      extra =
        c.key === null ? sql`(${sortKey} is not null or ${id} ${lt} ${i})` : sql`(${sortKey} ${lt} ${v} or (${sortKey} = ${v} and ${id} ${lt} ${i}))`;
    const rows = await page(extra, after ? forward : backward, q.pageSize + 1, 0, true);
    const more = rows.length > q.pageSize;
    const got = rows.slice(0, q.pageSize);
    if (before) got.reverse();
    const total = rows.length > 0 ? Number(rows[0]!.total) : ((await count())[0]?.n ?? 0);
    return {
      items: flatten(got),
      total,
      next: after ? (more ? cursorOf(got.at(-1)) : null) : cursorOf(got.at(-1)),
      prev: before ? (more ? cursorOf(got[0]) : null) : cursorOf(got[0]),
    };
  }

  const offset = (q.page - 1) * q.pageSize;
  if (offset + q.pageSize <= NEAR_START) {
    // The page and the total in one statement (one round trip): the count is a subquery PostgreSQL
    // runs once, beside the page's own plan. A page past the end has no row to carry it.
    const rows = await page(undefined, forward, q.pageSize, offset, true);
    const total = rows.length > 0 ? Number(rows[0]!.total) : offset === 0 ? 0 : ((await count())[0]?.n ?? 0);
    return { items: flatten(rows), total, next: offset + rows.length < total ? cursorOf(rows.at(-1)) : null, prev: cursorOf(offset > 0 ? rows[0] : undefined) };
  }
  const [counted] = await count();
  const total = counted?.n ?? 0;
  if (offset >= total) return { items: [], total, next: null, prev: null };
  const end = Math.min(offset + q.pageSize, total);
  // Past the middle, the page is read from the end (the reverse order, a small offset), then turned.
  const fromEnd = total - end < offset;
  const rows = fromEnd ? (await page(undefined, backward, end - offset, total - end, false)).reverse() : await page(undefined, forward, end - offset, offset, false);
  return { items: flatten(rows), total, next: end < total ? cursorOf(rows.at(-1)) : null, prev: cursorOf(rows[0]) };
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
