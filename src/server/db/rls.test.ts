import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_WALLS } from './person-walls.js';
import { inventoryItems } from './schema/index.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Database } from '../platform/db.js';
import { buildInstitution } from '../../../test/support/factories.js';
import { openTestDatabase } from '../../../test/support/test-db.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

describe('the database wall', () => {
  it('puts every table with a tenant_id column behind forced row-level security with both policies', async () => {
    const tables = await queryRows<{ table_name: string; forced: boolean; enabled: boolean; policies: string[] }>(
      database.db,
      sql`
      select c.relname as table_name, c.relforcerowsecurity as forced, c.relrowsecurity as enabled,
             coalesce(array_agg(p.polname::text order by p.polname) filter (where p.polname is not null), '{}') as policies
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      left join pg_policy p on p.polrelid = c.oid
      where c.relkind = 'r' and (exists (select 1 from information_schema.columns col
              where col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'tenant_id')
            or c.relname = 'institutions')
      group by c.relname, c.relforcerowsecurity, c.relrowsecurity`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(6);
    for (const t of tables) {
      expect({ table: t.table_name, enabled: t.enabled, forced: t.forced, policies: t.policies }).toEqual({
        table: t.table_name,
        enabled: true,
        forced: true,
        // A table with a person's wall has its restrictive policy too (person-walls.ts).
        policies: [PERSON_WALLS[t.table_name]?.policy, 'system_access', 'tenant_isolation'].filter(Boolean).sort(),
      });
    }
    for (const name of Object.keys(PERSON_WALLS)) expect(tables.map((t) => t.table_name)).toContain(name);
  });

  it('keeps the audit log append-only for request code', async () => {
    const a = await buildInstitution(database.db);
    const scope = unsafeTenantScope(a.institution.id);
    await expect(withTenant(database.db, scope, (tx) => tx.execute(sql`delete from audit_events`))).rejects.toThrow();
    await expect(withTenant(database.db, scope, (tx) => tx.execute(sql`update audit_events set action = 'x'`))).rejects.toThrow();
  });
});

describe("a tenant's transaction", () => {
  const state = sql`select current_user::text as role, current_setting('app.tenant_id', true) as tenant,
    current_setting('synchronous_commit') as sync, now() = statement_timestamp() as fresh`;
  type State = { role: string; tenant: string | null; sync: string; fresh: boolean };

  it('runs as the tenant role with its tenant set, inside one transaction, and leaves the connection clean', async () => {
    const { institution } = await buildInstitution(database.db);
    const scope = unsafeTenantScope(institution.id);
    // Several rounds, so that on PostgreSQL more than one pooled connection is used and reused.
    for (let i = 0; i < 4; i++) {
      const inside = await withTenant(database.db, scope, async (tx) => {
        await tx.execute(sql`select pg_sleep(0.001)`);
        return (await queryRows<State>(tx, state))[0];
      });
      // now() is the transaction's start: a later statement in the same transaction sees it earlier.
      expect(inside).toEqual({ role: 'vetted_app', tenant: institution.id, sync: 'on', fresh: false });
      const asyncCommit = await withTenant(database.db, scope, async (tx) => (await queryRows<State>(tx, state))[0], { asyncCommit: true });
      expect(asyncCommit?.sync).toBe('off');
      const system = await withSystem(database.db, async (tx) => {
        await tx.execute(sql`select pg_sleep(0.001)`);
        return (await queryRows<State>(tx, state))[0];
      });
      // No tenant on a system unit of work (never set on a fresh connection: null; reset: '').
      expect({ ...system, tenant: system?.tenant ?? '' }).toEqual({ role: 'vetted_system', tenant: '', sync: 'on', fresh: false });
      const outside = await Promise.all([1, 2, 3].map(() => queryRows<State>(database.db, state)));
      for (const [row] of outside) {
        expect(row?.role).not.toBe('vetted_app');
        expect(row?.tenant ?? '').toBe('');
        expect(row?.sync).toBe('on');
      }
    }
  });

  it('keeps nothing of a unit of work that fails, and the next one works', async () => {
    const { institution } = await buildInstitution(database.db);
    const scope = unsafeTenantScope(institution.id);
    await expect(
      withTenant(database.db, scope, async (tx) => {
        await tx.insert(inventoryItems).values({ tenantId: institution.id, id: randomUUID(), customName: 'Lost', name: 'Lost' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // A statement error aborts the transaction; it is rolled back and the connection reused.
    await expect(withTenant(database.db, scope, (tx) => tx.execute(sql`select 1/0`))).rejects.toThrow();
    const items = await withTenant(database.db, scope, (tx) => tx.select().from(inventoryItems));
    expect(items).toEqual([]);
  });

  it('refuses a scope that does not name a tenant by its uuid, before anything reaches the database', async () => {
    let ran = false;
    await expect(
      withTenant(database.db, unsafeTenantScope("x'; reset role; --"), async () => {
        ran = true;
      }),
    ).rejects.toThrow(/uuid/);
    expect(ran).toBe(false);
  });
});
