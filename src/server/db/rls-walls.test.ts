/**
 * The database wall, checked by behaviour on every tenant table the catalog lists (tables added
 * later included, with no edit here): rows of two tenants are written as the migration role, then,
 * as the runtime role `vetted_app` in one transaction rolled back at the end,
 *  - with no tenant set, no row of any table is visible;
 *  - with tenant A set (the app's own settings text), only A's rows are, all of them;
 *  - inserting a row of tenant B, or moving one of A's rows to B, is refused by the database;
 *  - updating or deleting B's rows touches none;
 * and row-level security is enabled and forced on each table. A table whose rows the generic
 * builder (test/support/catalog-rows.ts) cannot make fails with its name. A table with a person's
 * wall (person-walls.ts) is read as the person of A's row, and shows nothing to anyone else.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, tenantSettings, unsafeTenantScope, withShared, withTenant, type Database, type Tx } from '../platform/db.js';
import { PERSON_WALLS } from './person-walls.js';
import { RowMaker, insertRow, readCatalog, tenantTablesOf, type Catalog, type CatalogTable, type Row } from '../../../test/support/catalog-rows.js';
import { openTestDatabase } from '../../../test/support/test-db.js';

let database: Database;
let catalog: Catalog;
let maker: RowMaker;
let A: string;
let B: string;

beforeAll(async () => {
  database = await openTestDatabase();
  const db = database.db;
  catalog = await readCatalog(db);
  maker = new RowMaker(catalog);
  A = await maker.tenant(db);
  B = await maker.tenant(db);
  for (const t of tenantTablesOf(catalog)) {
    if (t.name === catalog.tenantTable) continue;
    for (const tenant of [A, B]) await maker.insert(db, t.name, tenant);
  }
});
afterAll(async () => database?.close());

class Undo extends Error {}

function codeOf(err: unknown): string | undefined {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (typeof e.code === 'string') return e.code;
  return undefined;
}

/** Runs `fn` in a savepoint that is always rolled back; returns its result or the error code it raised. */
async function undone<T>(tx: Tx, fn: (sp: Tx) => Promise<T>): Promise<{ value?: T; code?: string }> {
  let value: T | undefined;
  try {
    await tx.transaction(async (sp) => {
      value = await fn(sp as Tx);
      throw new Undo();
    });
  } catch (err) {
    if (err instanceof Undo) return { value: value! };
    const code = codeOf(err);
    if (!code) throw err;
    return { code };
  }
  return { value: value! };
}

const count = async (tx: Tx, query: ReturnType<typeof sql>) => Number((await queryRows<{ n: number | string }>(tx, query))[0]!.n);
const asApp = (tx: Tx) => tx.execute(sql`set local role vetted_app`);
/** The settings of a tenant's unit of work, the app's own text (one statement at a time here), and the person it names, if any. */
async function asTenant(tx: Tx, tenant: string, person?: unknown): Promise<void> {
  if (person) await tx.execute(sql`select set_config('app.user_id', ${String(person)}, true)`);
  for (const statement of tenantSettings(unsafeTenantScope(tenant), false).split('; ')) await tx.execute(sql.raw(statement));
}

/** For a table with a person's wall: the person of the tenant's first row (the rows request code may see as them). */
async function personOf(tx: Tx, t: CatalogTable, tenant: string): Promise<string | undefined> {
  const wall = PERSON_WALLS[t.name];
  if (!wall) return undefined;
  const [row] = await queryRows<{ p: string }>(tx, sql`select ${sql.identifier(wall.column)}::text as p from ${sql.identifier(t.name)} where ${sql.identifier(t.tenantColumn!)} = ${tenant} order by 1 limit 1`);
  return row?.p;
}
const REFUSED = '42501'; // insufficient_privilege: a row-level security policy or a missing grant

/** Deletes the row just made (as the migration role), so the same values can be offered again. */
async function remove(tx: Tx, t: CatalogTable, row: Row): Promise<void> {
  const where = sql.join(t.primaryKey.map((c) => sql`${sql.identifier(c)} = (jsonb_populate_record(null::${sql.identifier(t.name)}, ${JSON.stringify(row)}::jsonb)).${sql.identifier(c)}`), sql` and `);
  await tx.execute(sql`delete from ${sql.identifier(t.name)} where ${where}`);
}

/**
 * A row of `tenant` that the migration role could insert now: a new one taken out again, or — when
 * the table holds one row per tenant — the tenant's own, taken out. Without the database's own
 * columns (identity), which an insert may not set.
 */
async function vacantRow(tx: Tx, t: CatalogTable, tenant: string): Promise<Row> {
  let row: Row;
  try {
    row = await maker.insert(tx, t.name, tenant);
  } catch {
    const [existing] = await queryRows<{ r: Row }>(tx, sql`select to_jsonb(x) as r from ${sql.identifier(t.name)} x where ${sql.identifier(t.tenantColumn!)} = ${tenant} limit 1`);
    row = existing!.r;
  }
  await remove(tx, t, row);
  const automatic = new Set(t.columns.filter((c) => c.automatic).map((c) => c.name));
  return Object.fromEntries(Object.entries(row).filter(([c]) => !automatic.has(c)));
}

/** What the wall lets through on one table; empty when it holds. Runs in `tx`, changing nothing. */
async function breachesOf(tx: Tx, t: CatalogTable): Promise<string[]> {
  const out: string[] = [];
  const table = sql.identifier(t.name);
  const tc = sql.identifier(t.tenantColumn!);
  const [flags] = await queryRows<{ enabled: boolean; forced: boolean }>(
    tx,
    sql`select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where oid = ${`public.${t.name}`}::regclass`,
  );
  if (!flags?.enabled) out.push('row-level security is not enabled');
  if (!flags?.forced) out.push('row-level security is not forced');
  if (!t.primaryKey.length) out.push('no primary key');
  const wall = PERSON_WALLS[t.name];
  const person = await personOf(tx, t, A);
  const ofPerson = wall && person ? sql` and ${sql.identifier(wall.column)} = ${person}` : sql``;
  const ofA = await count(tx, sql`select count(*) as n from ${table} where ${tc} = ${A}${ofPerson}`);
  const ofB = await count(tx, sql`select count(*) as n from ${table} where ${tc} = ${B}`);
  if (!ofA || !ofB) out.push(`the test holds no rows of both tenants (${ofA}, ${ofB})`);

  const noTenant = await undone(tx, async (sp) => {
    await asApp(sp);
    return count(sp, sql`select count(*) as n from ${table}`);
  });
  if (noTenant.code !== REFUSED && noTenant.value !== 0) out.push(`${noTenant.value ?? noTenant.code} rows visible with no tenant set`);

  if (wall) {
    // The tenant alone, or another person of it, sees none of the person's rows.
    for (const who of [undefined, randomUUID()]) {
      const r = await undone(tx, async (sp) => {
        await asTenant(sp, A, who);
        return count(sp, sql`select count(*) as n from ${table}`);
      });
      if (r.code !== REFUSED && r.value !== 0) out.push(`${r.value ?? r.code} rows visible to ${who ? 'another person' : 'no person'} of tenant A`);
    }
  }

  const seen = await undone(tx, async (sp) => {
    await asTenant(sp, A, person);
    return (await queryRows<{ n: number; mine: number }>(sp, sql`select count(*)::int as n, (count(*) filter (where ${tc} = ${A}))::int as mine from ${table}`))[0]!;
  });
  if (seen.code) out.push(`tenant A cannot read its rows (${seen.code})`);
  else if (seen.value!.n !== seen.value!.mine) out.push(`tenant A sees ${seen.value!.n - seen.value!.mine} rows of other tenants`);
  else if (seen.value!.mine !== ofA) out.push(`tenant A sees ${seen.value!.mine} of its ${ofA} rows`);

  for (const [what, query] of [
    ['updates', sql`with w as (update ${table} set ${tc} = ${tc} where ${tc} = ${B} returning 1) select count(*) as n from w`],
    ['deletes', sql`with w as (delete from ${table} where ${tc} = ${B} returning 1) select count(*) as n from w`],
  ] as const) {
    const r = await undone(tx, async (sp) => {
      await asTenant(sp, A, await personOf(sp, t, B));
      return count(sp, query);
    });
    if (r.code !== REFUSED && r.value !== 0) out.push(`tenant A ${what} ${r.value ?? `(${r.code})`} of tenant B's rows`);
  }

  const moved = await undone(tx, async (sp) => {
    await asTenant(sp, A, person);
    return count(sp, sql`with w as (update ${table} set ${tc} = ${B} where ${tc} = ${A} returning 1) select count(*) as n from w`);
  });
  if (moved.code !== REFUSED) out.push(`moving tenant A's rows to tenant B is not refused (${moved.code ?? `${moved.value} moved`})`);

  // A row of tenant B (a new tenant for the tenants' own table) that the migration role can insert…
  const other = t.name === catalog.tenantTable ? randomUUID() : B;
  const inserted = await undone(tx, async (sp) => {
    const row = await vacantRow(sp, t, other);
    // As the row's own person: only the tenant wall is left to refuse it.
    await asTenant(sp, A, wall ? row[wall.column] : undefined);
    await insertRow(sp, t.name, row);
  });
  // …is refused to tenant A: by the policy's WITH CHECK, or by the absence of the grant.
  if (inserted.code !== REFUSED) out.push(`inserting a row of another tenant is not refused (${inserted.code ?? 'inserted'})`);
  return out.map((b) => `${t.name}: ${b}`);
}

/** Every breach of every tenant table, in one transaction rolled back. */
async function breaches(prepare?: (tx: Tx) => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  await database.db
    .transaction(async (tx) => {
      await prepare?.(tx as Tx);
      for (const t of tenantTablesOf(catalog)) out.push(...(await breachesOf(tx as Tx, t)));
      throw new Undo();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Undo)) throw err;
    });
  return out;
}

describe('the database wall, on every tenant table of the catalog', () => {
  it('finds the tenant tables in the catalog, the ones added later included', () => {
    const names = tenantTablesOf(catalog).map((t) => t.name);
    expect(names).toContain(catalog.tenantTable);
    expect(names.length).toBeGreaterThanOrEqual(20);
  });

  it('holds: nothing without a tenant, only its own rows to a tenant, no write into another tenant', async () => {
    expect(await breaches()).toEqual([]);
  });

  it("lets tenant A write its own rows (so the refusals above are the wall's, not a broken row)", async () => {
    const failures: string[] = [];
    await database.db
      .transaction(async (tx) => {
        for (const t of tenantTablesOf(catalog)) {
          if (t.name === catalog.tenantTable) continue;
          const [grant] = await queryRows<{ ok: boolean }>(tx, sql`select has_table_privilege('vetted_app', ${`public.${t.name}`}, 'INSERT') as ok`);
          if (!grant?.ok) continue;
          const r = await undone(tx as Tx, async (sp) => {
            const row = await vacantRow(sp, t, A);
            const wall = PERSON_WALLS[t.name];
            await asTenant(sp, A, wall ? row[wall.column] : undefined);
            await insertRow(sp, t.name, row);
          });
          if (r.code) failures.push(`${t.name}: ${r.code}`);
        }
        throw new Undo();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Undo)) throw err;
      });
    expect(failures).toEqual([]);
  });

  it('notices a permissive policy, a table whose security is not forced, and one without it', async () => {
    const found = await breaches(async (tx) => {
      await tx.execute(sql`create policy p on assessment_risks using (true)`);
      await tx.execute(sql`alter table schools no force row level security`);
      await tx.execute(sql`alter table inventory_items disable row level security`);
    });
    // Tenant A sees, changes and deletes B's row; the move is stopped only by a foreign key (23503).
    expect(found.filter((b) => b.startsWith('assessment_risks:'))).toEqual([
      'assessment_risks: 2 rows visible with no tenant set',
      'assessment_risks: tenant A sees 1 rows of other tenants',
      "assessment_risks: tenant A updates 1 of tenant B's rows",
      "assessment_risks: tenant A deletes 1 of tenant B's rows",
      "assessment_risks: moving tenant A's rows to tenant B is not refused (23503)",
      'assessment_risks: inserting a row of another tenant is not refused (inserted)',
    ]);
    expect(found).toContain('schools: row-level security is not forced');
    // With security disabled, the grants alone let tenant A read and change everything.
    const items = found.filter((b) => b.startsWith('inventory_items:'));
    expect(items[0]).toBe('inventory_items: row-level security is not enabled');
    expect(items.some((b) => /tenant A sees \d+ rows of other tenants/.test(b))).toBe(true);
    expect(items.some((b) => b === 'inventory_items: inserting a row of another tenant is not refused (inserted)')).toBe(true);
  });
});

describe('the other units of work', () => {
  it('shows a shared unit of work (request code with no tenant) no row of any tenant table', async () => {
    const seen = await withShared(database.db, async (tx) => {
      const out: Record<string, number | string> = { role: (await queryRows<{ r: string }>(tx, sql`select current_user::text as r`))[0]!.r };
      for (const t of tenantTablesOf(catalog)) {
        const r = await undone(tx, (sp) => count(sp, sql`select count(*) as n from ${sql.identifier(t.name)}`));
        out[t.name] = r.code ?? r.value!;
      }
      return out;
    });
    expect(seen.role).toBe('vetted_app');
    for (const t of tenantTablesOf(catalog)) expect([0, REFUSED], t.name).toContain(seen[t.name]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('drops a connection that died in a unit of work, so the next units work (PostgreSQL)', async () => {
    const scope = unsafeTenantScope(A);
    await expect(
      withTenant(database.db, scope, async (tx) => {
        const [{ pid }] = (await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`)) as [{ pid: number }];
        await database.db.execute(sql`select pg_terminate_backend(${pid})`);
        await tx.execute(sql`select 1`);
      }),
    ).rejects.toThrow();
    for (let i = 0; i < 3; i++) {
      const [row] = await withTenant(database.db, scope, (tx) => queryRows<{ tenant: string }>(tx, sql`select current_setting('app.tenant_id') as tenant`));
      expect(row?.tenant).toBe(A);
    }
  });
});
