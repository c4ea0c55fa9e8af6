import { and, eq, fillPlaceholders, sql, type AnyColumn, type Query, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { INVENTORY_TRANSITIONS } from '../../../contracts/domain.js';
import { hasApprovedPia } from '../reports/pia-state.js';
import type { InventoryQuery } from '../../../contracts/api.js';
import { catalogApps, inventoryItems } from '../../db/schema/index.js';
import { unsafeTenantScope, type StatementReader, type TenantScope, type Tx } from '../../platform/db.js';
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

/** The list's conditions; `pattern`: the search text as an `ilike` pattern (`containsPattern`), or a placeholder for it. */
function filters(scope: TenantScope, q: InventoryQuery, pattern: unknown): SQL {
  const where: SQL[] = [mine(scope)];
  if (q.q) {
    const p = pattern;
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

/**
 * A page of items, in order, and the cursors of the pages beside it. Each item is its answer's JSON
 * text (the shape `presentInventoryItem` gives), written by PostgreSQL with the page.
 */
export interface InventoryPage {
  items: string[];
  total: number;
  next: InventoryCursor | null;
  prev: InventoryCursor | null;
}

type PageRow = { item: string; id: string; total: number; sort_key: string | null };

/** A timestamp as `Date.toISOString` writes it (UTC, milliseconds; microseconds cut as a Date does). */
const isoText = (column: SQL | AnyColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const dayText = (column: SQL | AnyColumn) => sql`to_char(${column}, 'YYYY-MM-DD')`;

/** An item's allowed next statuses as JSON text, from its status, without the approvals when they must wait for a PIA. */
function transitionsJson(withoutApproval: boolean): SQL {
  const cases = Object.entries(INVENTORY_TRANSITIONS).map(([from, to]) => {
    const next = withoutApproval ? to.filter((s) => s !== 'approved' && s !== 'approved_with_conditions') : to;
    // Constant text of the contract's own words: no value from a request reaches it.
    return sql.raw(`when '${from}' then '${JSON.stringify(next)}'`);
  });
  return sql`(case ${inventoryItems.status} ${sql.join(cases, sql` `)} else '[]' end)::json`;
}

/**
 * One item of the list as the answer's JSON text, as `presentInventoryItem` shapes an item (same keys,
 * same order, same values): PostgreSQL writes it with the page, so the list's answer is put together
 * from text rather than from rows parsed, mapped and written out again.
 */
const ITEM_JSON = sql`json_build_object(
  'id', ${inventoryItems.id},
  'catalogAppId', ${inventoryItems.catalogAppId},
  'isCustom', ${inventoryItems.catalogAppId} is null,
  'name', ${inventoryItems.name},
  'vendor', ${inventoryItems.vendor},
  'website', case when ${inventoryItems.catalogAppId} is not null then ${catalogApps.website} else ${inventoryItems.customWebsite} end,
  'grades', ${inventoryItems.grades},
  'schoolIds', ${inventoryItems.schoolIds},
  'audiences', ${inventoryItems.audiences},
  'dataElements', ${inventoryItems.dataElements},
  'purpose', ${inventoryItems.purpose},
  'ownerUserId', ${inventoryItems.ownerUserId},
  'status', ${inventoryItems.status},
  'allowedTransitions', case when needs_pia.v then ${transitionsJson(true)} else ${transitionsJson(false)} end,
  'approvalNeedsPia', needs_pia.v,
  'conditionsOfUse', ${inventoryItems.conditionsOfUse},
  'agreementType', ${inventoryItems.agreementType},
  'agreementSigned', ${inventoryItems.agreementSigned},
  'agreementSignedOn', ${dayText(inventoryItems.agreementSignedOn)},
  'agreementExpiresOn', ${dayText(inventoryItems.agreementExpiresOn)},
  'agreementUrl', ${inventoryItems.agreementUrl},
  'nextReviewOn', ${dayText(inventoryItems.nextReviewOn)},
  'notes', ${inventoryItems.notes},
  'isPublic', ${inventoryItems.isPublic},
  'version', ${inventoryItems.version},
  'createdAt', ${isoText(inventoryItems.createdAt)},
  'updatedAt', ${isoText(inventoryItems.updatedAt)}
)::text`;

/** Whether the item's approval must wait for an approved PIA, once per row (`needs_pia.v`). */
const NEEDS_PIA = sql`cross join lateral (select coalesce(${withApp.approvalNeedsPia}, false) as v) needs_pia`;

const ph = (name: string) => sql.placeholder(name);
/** The list's values as placeholders: the statement of a shape is written once, its values given per request. */
function placeholders(q: InventoryQuery): InventoryQuery {
  const list = (name: string, values: readonly string[] | undefined) => values?.map((_, k) => ph(`${name}${k}`) as unknown as string);
  return {
    ...q,
    status: list('status', q.status) as InventoryQuery['status'],
    grade: list('grade', q.grade) as InventoryQuery['grade'],
    audience: list('audience', q.audience) as InventoryQuery['audience'],
    dataElement: list('dataElement', q.dataElement) as InventoryQuery['dataElement'],
    schoolId: q.schoolId ? (ph('schoolId') as unknown as string) : undefined,
  };
}
/** The values of a request for its statement's placeholders. */
function valuesOf(
  scope: TenantScope,
  q: InventoryQuery,
  cursor: InventoryCursor | undefined,
  limit: number,
  offset: number,
): Record<string, unknown> {
  const values: Record<string, unknown> = { tenant: scope.tenantId, limit, offset };
  if (q.q) values.q = containsPattern(q.q);
  for (const name of ['status', 'grade', 'audience', 'dataElement'] as const) q[name]?.forEach((v, k) => (values[`${name}${k}`] = v));
  if (q.schoolId) values.schoolId = q.schoolId;
  if (cursor) {
    values.cursorKey = cursor.key;
    values.cursorId = cursor.id;
  }
  return values;
}

/** What decides a statement's text: everything but the values. */
function shapeOf(q: InventoryQuery, kind: string): string {
  return [
    kind,
    q.sort,
    q.order,
    q.q ? 1 : 0,
    q.status?.length ?? 0,
    q.grade?.length ?? 0,
    q.audience?.length ?? 0,
    q.dataElement?.length ?? 0,
    q.schoolId ? 1 : 0,
  ].join(':');
}

const dialect = new PgDialect();
/** Statements by shape; a few dozen shapes at most in practice, bounded all the same. */
const statements = new Map<string, Query>();
const MAX_SHAPES = 500;

/** The statement of a shape, written by `build` the first time it is asked for. */
function statementOf(shape: string, build: () => SQL): Query {
  let query = statements.get(shape);
  if (!query) {
    if (statements.size >= MAX_SHAPES) statements.clear();
    query = dialect.sqlToQuery(build());
    statements.set(shape, query);
  }
  return query;
}

/** Rows of a written statement with this request's values; `last`: the list's unit of work ends with it. */
async function run<T>(read: StatementReader, query: Query, values: Record<string, unknown>, last = false): Promise<T[]> {
  return read<T>(query.sql, fillPlaceholders(query.params, values), last);
}

/**
 * A page of the inventory. With a cursor (`after`, `before`), a keyset page: the items just after (or
 * before) the cursor's, found by their sort key and id, so a page deep in the list costs what the first
 * does. Without one, `q.page` by offset from the nearer end of the list: the last pages are read in the
 * reverse order from the end, as cheap as the first ones. Either way the total comes with the page's
 * statement (or, for a page counted from the end, in the statement before it). Each statement's text
 * is written once per shape of query (sort, order, which filters) and sent with the request's values.
 * The page's statement is the unit of work's last (its commit travels with it); the total, when it
 * must be counted after a page that came back empty, is read in a transaction of its own.
 */
export async function listInventory(
  read: StatementReader,
  scope: TenantScope,
  q: InventoryQuery,
  cursor?: { after?: InventoryCursor; before?: InventoryCursor },
): Promise<InventoryPage> {
  const sortKey = SORTS[q.sort];
  const desc = q.order === 'desc';
  const type = SORT_TYPES[q.sort];
  const id = inventoryItems.id;
  const where = () => filters(unsafeTenantScope(ph('tenant') as unknown as string), placeholders(q), ph('q'));
  const countSql = () => sql`select count(*)::int from ${inventoryItems} where ${where()}`;
  // The list's order (nulls last either way, then the id in the same direction), and its reverse.
  const forward = desc ? sql`${sortKey} desc nulls last, ${id} desc` : sql`${sortKey} asc nulls last, ${id} asc`;
  const backward = desc ? sql`${sortKey} asc nulls first, ${id} asc` : sql`${sortKey} desc nulls first, ${id} desc`;
  // The page's rows are chosen first, over the items' own columns (order, offset, limit); only those
  // rows are then written out as JSON, so a page read far into the list by its offset costs the JSON
  // of its own rows, not of every row it skips.
  const pageSql = (extra: SQL | undefined, order: SQL, withTotal: boolean) =>
    sql`select ${ITEM_JSON} as item, ${id} as id, page.total, page.sort_key
      from (
        select ${inventoryItems.tenantId} as tenant_id, ${id} as id, ${withTotal ? sql`(${countSql()})` : sql`0`} as total, (${sortKey})::text as sort_key
        from ${inventoryItems}
        where ${extra ? sql`${where()} and ${extra}` : where()}
        order by ${order} limit ${ph('limit')} offset ${ph('offset')}
      ) page
      join ${inventoryItems} on ${inventoryItems.tenantId} = page.tenant_id and ${id} = page.id
      left join ${catalogApps} on ${catalogApps.id} = ${inventoryItems.catalogAppId} ${NEEDS_PIA}
      order by ${order}`;
  const count = async () =>
    (await run<{ count: number }>(read, statementOf(shapeOf(q, 'count'), countSql), valuesOf(scope, q, undefined, 0, 0)))[0]?.count ?? 0;
  const cursorOf = (r: PageRow | undefined): InventoryCursor | null => (r ? { key: r.sort_key, id: r.id } : null);
  const items = (rows: PageRow[]) => rows.map((r) => r.item);

  const after = cursor?.after;
  const before = cursor?.before;
  if (after || before) {
    const c = (after ?? before)!;
    const v = sql`${ph('cursorKey')}::${type}`;
    const i = sql`${ph('cursorId')}::uuid`;
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
        c.key === null
          ? sql`(${sortKey} is not null or ${id} ${lt} ${i})`
          : sql`(${sortKey} ${lt} ${v} or (${sortKey} = ${v} and ${id} ${lt} ${i}))`;
    const shape = shapeOf(q, `${after ? 'after' : 'before'}:${c.key === null ? 'null' : 'key'}`);
    const rows = await run<PageRow>(
      read,
      statementOf(shape, () => pageSql(extra, after ? forward : backward, true)),
      valuesOf(scope, q, c, q.pageSize + 1, 0),
      true,
    );
    const more = rows.length > q.pageSize;
    const got = rows.slice(0, q.pageSize);
    if (before) got.reverse();
    const total = rows.length > 0 ? Number(rows[0]!.total) : await count();
    return {
      items: items(got),
      total,
      next: after ? (more ? cursorOf(got.at(-1)) : null) : cursorOf(got.at(-1)),
      prev: before ? (more ? cursorOf(got[0]) : null) : cursorOf(got[0]),
    };
  }

  const offset = (q.page - 1) * q.pageSize;
  if (offset + q.pageSize <= NEAR_START) {
    // The page and the total in one statement (one round trip): the count is a subquery PostgreSQL
    // runs once, beside the page's own plan. A page past the end has no row to carry it.
    const rows = await run<PageRow>(
      read,
      statementOf(shapeOf(q, 'near'), () => pageSql(undefined, forward, true)),
      valuesOf(scope, q, undefined, q.pageSize, offset),
      true,
    );
    const total = rows.length > 0 ? Number(rows[0]!.total) : offset === 0 ? 0 : await count();
    return {
      items: items(rows),
      total,
      next: offset + rows.length < total ? cursorOf(rows.at(-1)) : null,
      prev: cursorOf(offset > 0 ? rows[0] : undefined),
    };
  }
  const total = await count();
  if (offset >= total) return { items: [], total, next: null, prev: null };
  const end = Math.min(offset + q.pageSize, total);
  // Past the middle, the page is read from the end (the reverse order, a small offset), then turned.
  const fromEnd = total - end < offset;
  const rows = fromEnd
    ? (
        await run<PageRow>(
          read,
          statementOf(shapeOf(q, 'backward'), () => pageSql(undefined, backward, false)),
          valuesOf(scope, q, undefined, end - offset, total - end),
          true,
        )
      ).reverse()
    : await run<PageRow>(
        read,
        statementOf(shapeOf(q, 'forward'), () => pageSql(undefined, forward, false)),
        valuesOf(scope, q, undefined, end - offset, offset),
        true,
      );
  return { items: items(rows), total, next: end < total ? cursorOf(rows.at(-1)) : null, prev: cursorOf(rows[0]) };
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
