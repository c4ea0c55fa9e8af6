/**
 * What a signed-in read costs in database round trips, counted where they happen: every message the
 * node-postgres clients send and wait an answer for (one per `query`, a multi-statement text
 * included), or on PGlite every statement or batch handed to the engine. The session is still read
 * from the database on every request (revocation), in the same transaction as the route's work.
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, inventoryItems, sessions } from '../../src/server/db/schema/index.js';
import {
  lastRows,
  openDatabase,
  openTransaction,
  poolStatsOf,
  queryRows,
  readStatements,
  runRequest,
  unsafeTenantScope,
  withTenant,
  type Db,
} from '../../src/server/platform/db.js';
import { hashToken } from '../../src/server/platform/tokens.js';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>;
const counted: string[] = [];
let counting = false;
const restore: (() => void)[] = [];

/** Wraps a prototype's method so each call while `counting` is recorded with its SQL text. */
function count<P extends object>(proto: P, name: keyof P & string): void {
  const original = proto[name] as unknown as (...args: unknown[]) => unknown;
  (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
    if (counting) {
      const q = args[0] as string | { text?: string };
      counted.push(typeof q === 'string' ? q : (q?.text ?? String(q)));
    }
    return original.apply(this, args);
  };
  restore.push(() => ((proto as Record<string, unknown>)[name] = original));
}

async function measured(run: () => Promise<{ statusCode: number }>): Promise<{ status: number; trips: string[] }> {
  counted.length = 0;
  counting = true;
  try {
    const res = await run();
    return { status: res.statusCode, trips: [...counted] };
  } finally {
    counting = false;
  }
}

/** Records the extended protocol's Parse (its text) and Bind (its statement's name) messages while counting. */
function onTheWire(): { messages: string[]; stop(): void } {
  const messages: string[] = [];
  const proto = pg.Connection.prototype as unknown as { parse(q: { text: string }): void; bind(c: { statement?: string }): void };
  const { parse, bind } = proto;
  proto.parse = function (this: unknown, q) {
    if (counting) messages.push(`parse ${q.text}`);
    parse.call(this, q);
  };
  proto.bind = function (this: unknown, c) {
    if (counting) messages.push(`bind ${c.statement ?? ''}`);
    bind.call(this, c);
  };
  return {
    messages,
    stop: () => {
      proto.parse = parse;
      proto.bind = bind;
    },
  };
}

beforeAll(async () => {
  t = await createTestApp();
  tenant = await buildTenantWithUsers(t.app, t.database.db);
  await t.database.db.insert(inventoryItems).values(
    Array.from({ length: 30 }, (_, i) => ({
      tenantId: tenant.institution.id,
      id: randomUUID(),
      name: `App ${i}`,
      customName: `App ${i}`,
      vendor: 'Vendor',
    })),
  );
  if (t.database.kind === 'postgres') {
    count(pg.Client.prototype, 'query');
  } else {
    // PGlite's public entry points; a transaction's own statements go through the same engine calls.
    count(PGlite.prototype, '_runExclusiveQuery');
  }
});
afterAll(async () => {
  for (const undo of restore) undo();
  await t?.close();
});
afterEach(() => {
  counting = false;
});

/** Connections to the test database left inside a transaction, as a connection outside the pool sees them. */
async function openTransactions(): Promise<number> {
  const outside = new pg.Client({ connectionString: t.database.url });
  await outside.connect();
  try {
    const { rows } = await outside.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
    );
    return rows[0]!.n;
  } finally {
    await outside.end();
  }
}

const list = (c: Client) => c.request('GET', '/api/v1/inventory?page=1&pageSize=25');

describe('a signed-in read', () => {
  it('lists the inventory in two round trips on PostgreSQL when the session is read: session and settings, then the page with its commit', async () => {
    // A new session: this process has not read it yet.
    const fresh = await signIn(t.app, await buildUser(t.database.db, { tenantId: tenant.institution.id, role: 'site_admin' }));
    const { status, trips } = await measured(() => list(fresh));
    expect(status).toBe(200);
    if (t.database.kind === 'postgres') {
      expect(trips, trips.join('\n')).toHaveLength(2);
      expect(trips[0]).toMatch(/^begin;.*from sessions s join users u/s);
      expect(trips[1]).toMatch(/from "inventory_items"/);
      // Committed with the page: no connection is left in a transaction (seen from a connection of its own).
      expect(await openTransactions()).toBe(0);
      const pool = poolStatsOf(t.database.db)!;
      expect(pool.total - pool.idle).toBe(0);
    } else {
      // Every engine call is counted on PGlite; it has no network, and no held transaction (see db.ts).
      expect(trips.length).toBeGreaterThan(0);
    }
  });

  it('lists the inventory in one round trip on PostgreSQL when the session was read a moment ago: its check, the settings, the page and the commit', async () => {
    if (t.database.kind !== 'postgres') return;
    await list(tenant.siteAdmin); // read (and kept) by this process; its last-seen time was refreshed at sign-in
    const wire = onTheWire();
    let run: Awaited<ReturnType<typeof measured>>;
    try {
      run = await measured(() => list(tenant.siteAdmin));
    } finally {
      wire.stop();
    }
    expect(run.status).toBe(200);
    expect(run.trips, run.trips.join('\n')).toHaveLength(1);
    expect(run.trips[0]).toMatch(/from "inventory_items"/);
    // In that one message: the transaction, the institution's settings and the session's check, before the page.
    const parsed = wire.messages.filter((m) => m.startsWith('parse '));
    expect(parsed.slice(0, 4)).toEqual([
      'parse begin',
      `parse set local app.tenant_id = '${tenant.institution.id}'`,
      'parse set local role vetted_app',
      'parse select vetted_session_guard($1, $2, $3)',
    ]);
    expect(parsed.at(-1)).toBe('parse commit');
    expect(await openTransactions()).toBe(0);
    const pool = poolStatsOf(t.database.db)!;
    expect(pool.total - pool.idle).toBe(0);
  });

  it('answers 401 on the next request once the session is revoked elsewhere, and leaves no connection checked out', async () => {
    const other = await buildTenantWithUsers(t.app, t.database.db);
    expect((await list(other.appAdmin)).statusCode).toBe(200);
    await t.database.db.delete(sessions).where(eq(sessions.id, hashToken(t.config.sessionSecret, other.appAdmin.cookie.value)));
    expect((await list(other.appAdmin)).statusCode).toBe(401);
    const pool = poolStatsOf(t.database.db);
    if (pool) expect(pool.total - pool.idle).toBe(0);
  });

  it('sees only its own institution in the shared transaction, and a failed unit of work gives the connection back', async () => {
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const mine = await list(other.siteAdmin);
    expect(mine.json().total).toBe(0);
    const bad = await other.siteAdmin.request('GET', '/api/v1/inventory/00000000-0000-4000-8000-000000000000');
    expect(bad.statusCode).toBe(404);
    const again = await list(tenant.siteAdmin);
    expect(again.json().total).toBe(30);
    // A read's commit may still be on its way when the answer is sent; its client comes back once it is answered.
    const pool = () => poolStatsOf(t.database.db);
    if (pool()) await expect.poll(() => pool()!.total - pool()!.idle, { timeout: 30_000 }).toBe(0);
  });

  it('writes a change and its audit event in the one transaction the session opened', async () => {
    const res = await tenant.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Written in one' } });
    expect(res.statusCode, res.body).toBe(201);
    // Committed before the answer: the client is back in the pool as the answer arrives.
    const pool = poolStatsOf(t.database.db);
    if (pool) expect(pool.total - pool.idle).toBe(0);
    const id = (res.json() as { id: string }).id;
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.recordId, id));
    expect(events.map((e) => e.action)).toContain('inventory.create');
  });

  it('answers a read while its commit is on the way, and ends a write only once its commit is answered (PostgreSQL)', async () => {
    if (t.database.kind !== 'postgres') return;
    const db = t.database.db;
    // Commits reach the database at once; what their callers see of the answer waits for `open`.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      return typeof args[0] === 'string' && /(^|; )commit$/.test(args[0]) ? gate.then(() => result) : result;
    };
    // Should the read wait for its commit, the gate opens by itself after a while and the check below fails.
    let opened = false;
    const safety = setTimeout(() => {
      opened = true;
      open();
    }, 20_000);
    try {
      const read = await list(tenant.siteAdmin);
      expect(opened, 'the read was answered only once its commit was').toBe(false);
      expect(read.statusCode).toBe(200);
      expect(read.json().total).toBeGreaterThanOrEqual(30);

      // A unit of work that writes, in a request's held transaction: it ends only once its commit is answered.
      const tenantId = tenant.institution.id;
      const scope = unsafeTenantScope(tenantId);
      let ended = false;
      const write = new Promise<void>((resolve, reject) =>
        runRequest(() => {
          void (async () => {
            await openTransaction(db, `select set_config('app.tenant_id', '${tenantId}', true) as tenant_id`, (row) =>
              String(row.tenant_id),
            );
            await withTenant(db, scope, (tx) =>
              tx
                .insert(inventoryItems)
                .values({ tenantId, id: randomUUID(), name: 'Held write', customName: 'Held write', vendor: 'Vendor' }),
            );
            ended = true;
          })().then(resolve, reject);
        }),
      );
      // However long this wait, the write cannot end before its commit is seen to succeed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ended).toBe(false);
      open();
      await write;
      expect(ended).toBe(true);
    } finally {
      clearTimeout(safety);
      open();
      proto.query = original;
    }
  });
});

/** Runs `fn` as a request would: in a request scope whose transaction the session read opened (on `db`, the test app's unless told). */
const inRequest = <T>(fn: () => Promise<T>, db: Db = t.database.db) =>
  new Promise<T>((resolve, reject) =>
    runRequest(() => {
      void (async () => {
        const id = tenant.institution.id;
        await openTransaction(db, `select set_config('app.tenant_id', '${id}', true) as tenant_id`, (row) => String(row.tenant_id));
        return fn();
      })().then(resolve, reject);
    }),
  );

describe('a read whose last statement carries the commit (PostgreSQL)', () => {
  const names = 'select name from inventory_items where name like $1 order by name';

  /** How often the names statement was parsed, and the statement names it was bound under, over three reads one after the other on `db`. */
  async function threeReads(db: Db): Promise<{ parses: number; bound: string[] }> {
    const scope = unsafeTenantScope(tenant.institution.id);
    const wire = onTheWire();
    counted.length = 0;
    counting = true;
    try {
      for (let i = 0; i < 3; i++) {
        const rows = await inRequest(() => readStatements(db, scope, (read) => read<{ name: string }>(names, ['App 2%'], true)), db);
        expect(rows.map((r) => r.name)).toEqual(['App 2', ...Array.from({ length: 10 }, (_, j) => `App 2${j}`)]);
      }
    } finally {
      counting = false;
      wire.stop();
    }
    const at = wire.messages.map((m, i) => (m === `parse ${names}` ? i : -1)).filter((i) => i >= 0);
    // Each read's statement is bound right after its Parse, or alone when already prepared: the Bind before `parse commit`.
    const bound = wire.messages.flatMap((m, i) => (wire.messages[i + 1] === 'parse commit' ? [m.slice('bind '.length)] : []));
    return { parses: at.length, bound };
  }

  it('prepares the statement once per connection: read again, it is bound by its name without being parsed again', async () => {
    if (t.database.kind !== 'postgres') return;
    // Reads one after the other take the connection the last one gave back.
    const { parses, bound } = await threeReads(t.database.db);
    expect(parses).toBeLessThanOrEqual(1);
    expect(bound).toHaveLength(3);
    expect(new Set(bound).size).toBe(1);
    expect(bound[0]).toMatch(/^vetted_[\w-]{24}$/);
  });

  it('parses the statement on every read, unnamed, on a database opened without prepared statements (behind a transaction pooler)', async () => {
    if (t.database.kind !== 'postgres') return;
    const unprepared = await openDatabase({ databaseUrl: t.database.url!, preparedStatements: false });
    try {
      const { parses, bound } = await threeReads(unprepared.db);
      expect(parses).toBe(3);
      expect(bound).toEqual(['', '', '']);
    } finally {
      await unprepared.close();
    }
  });

  it('plans a prepared statement for each run, never once for all: one connection serves institutions of every size', async () => {
    if (t.database.kind !== 'postgres') return;
    const scope = unsafeTenantScope(tenant.institution.id);
    const one = await openDatabase({ databaseUrl: t.database.url!, poolSize: 1 });
    try {
      for (let i = 0; i < 8; i++) await inRequest(() => readStatements(one.db, scope, (read) => read(names, ['App 2%'], true)), one.db);
      const plans = `select coalesce(sum(generic_plans), 0)::int as generic, coalesce(sum(custom_plans), 0)::int as custom
        from pg_prepared_statements where statement = $1`;
      const [row] = await inRequest(
        () => readStatements(one.db, scope, (read) => read<{ generic: number; custom: number }>(plans, [names], true)),
        one.db,
      );
      expect(row).toEqual({ generic: 0, custom: 8 });
    } finally {
      await one.close();
    }
  });

  it('rolls back and gives the connection back when that statement fails, and reads again afterwards', async () => {
    if (t.database.kind !== 'postgres') return;
    const scope = unsafeTenantScope(tenant.institution.id);
    await expect(
      inRequest(() => readStatements(t.database.db, scope, (read) => read('select 1 / (0 * $1::int)', [1], true))),
    ).rejects.toThrow(/division by zero/);
    const pool = poolStatsOf(t.database.db)!;
    expect(pool.total - pool.idle).toBe(0);
    expect(await openTransactions()).toBe(0);
    const rows = await inRequest(() => readStatements(t.database.db, scope, (read) => read<{ name: string }>(names, ['App 1%'], true)));
    expect(rows.map((r) => r.name)).toEqual(['App 1', ...Array.from({ length: 10 }, (_, i) => `App 1${i}`)]);
  });

  it('reads a statement asked for after the last in a transaction of its own, still in the institution alone', async () => {
    if (t.database.kind !== 'postgres') return;
    const other = await buildTenantWithUsers(t.app, t.database.db);
    await t.database.db.insert(inventoryItems).values({
      tenantId: other.institution.id,
      id: randomUUID(),
      name: 'App 1 elsewhere',
      customName: 'App 1 elsewhere',
      vendor: 'Vendor',
    });
    const scope = unsafeTenantScope(tenant.institution.id);
    const [first, after] = await inRequest(() =>
      readStatements(t.database.db, scope, async (read) => {
        const a = await read<{ name: string }>(names, ['App 1%'], true);
        const b = await read<{ name: string; role: string }>(`${names.replace('select name', 'select name, current_user as role')}`, [
          'App 1%',
        ]);
        return [a, b] as const;
      }),
    );
    expect(after.map((r) => r.name)).toEqual(first.map((r) => r.name));
    expect(after.every((r) => r.role === 'vetted_app')).toBe(true);
    const pool = poolStatsOf(t.database.db)!;
    expect(pool.total - pool.idle).toBe(0);
    expect(await openTransactions()).toBe(0);
  });
});

describe('a signed-in report', () => {
  /** Today's run count of a report in the institution, read from outside the request path. */
  async function runs(report: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      t.database.db,
      sql`select coalesce(sum(run_count), 0)::int as n from report_runs where tenant_id = ${tenant.institution.id} and report = ${report}`,
    );
    return row!.n;
  }

  it('runs its statement, counts the run and commits it asynchronously in one round trip on PostgreSQL: the statement carries the session check and the commit', async () => {
    await tenant.siteAdmin.request('GET', '/api/v1/reports/inventory-by-status');
    const before = await runs('inventory-by-status');
    // The extended protocol's messages on the wire, in order, while counting: each statement parsed
    // (Parse, with its text) and each bound to run (Bind, with the prepared statement's name).
    const wire = onTheWire();
    let measuredRun: Awaited<ReturnType<typeof measured>>;
    try {
      measuredRun = await measured(() => tenant.siteAdmin.request('GET', '/api/v1/reports/inventory-by-status'));
    } finally {
      wire.stop();
    }
    const { status, trips } = measuredRun;
    expect(status).toBe(200);
    if (t.database.kind === 'postgres') {
      // The session was read by the request before: its check goes in the statement's message.
      expect(trips, trips.join('\n')).toHaveLength(1);
      expect(trips[0]).toMatch(/^with counted_run as/);
      // The run's count is committed without waiting for the disk, in the statement's own message;
      // the statement, prepared when the first request sent it, is bound by its name.
      expect(wire.messages.slice(-5)).toEqual([
        expect.stringMatching(/^bind vetted_/),
        'parse set local synchronous_commit = off',
        'bind ',
        'parse commit',
        'bind ',
      ]);
      const pool = poolStatsOf(t.database.db)!;
      expect(pool.total - pool.idle).toBe(0);
      expect(await openTransactions()).toBe(0);
    }
    expect(await runs('inventory-by-status')).toBe(before + 1);
  });
});

describe('the dashboard (PostgreSQL)', () => {
  it('sends its statements prepared: asked for again, each is bound by its name without being parsed again', async () => {
    if (t.database.kind !== 'postgres') return;
    const first = await tenant.siteAdmin.request('GET', '/api/v1/dashboard');
    expect(first.statusCode).toBe(200);
    // Its commit was still on the way when it answered: once its connection is back in the pool, the
    // next request takes that one (the pool hands out the one given back last).
    const pool = () => poolStatsOf(t.database.db)!;
    while (pool().total !== pool().idle) await new Promise((resolve) => setTimeout(resolve, 10));
    const wire = onTheWire();
    let run: Awaited<ReturnType<typeof measured>>;
    try {
      run = await measured(() => tenant.siteAdmin.request('GET', '/api/v1/dashboard'));
    } finally {
      wire.stop();
    }
    expect(run.status).toBe(200);
    // Three messages: the session's check with the institution's row, the five parts together, the commit.
    expect(run.trips, run.trips.join('\n')).toHaveLength(3);
    expect(run.trips[2]).toBe('commit');
    const named = wire.messages.filter((m) => m.startsWith('bind vetted_'));
    // Counts by status, reviews, due soon, the grade heat map and the recent changes.
    expect(named).toHaveLength(5);
    // Only the institution's row, read through the query builder, is parsed again, after the
    // transaction, its settings and the session's check (taken from this process's cache).
    expect(
      wire.messages.filter((m) => m.startsWith('parse ')),
      wire.messages.join('\n'),
    ).toEqual([
      'parse begin',
      `parse set local app.tenant_id = '${tenant.institution.id}'`,
      'parse set local role vetted_app',
      'parse select vetted_session_guard($1, $2, $3)',
      expect.stringMatching(/^parse select .* from "institutions"/),
      // Before the first prepared statement: each is planned for this run (a generic plan is never used).
      'parse set local plan_cache_mode = force_custom_plan',
    ]);
  });
});

describe('a unit of work whose last statement carries the commit (lastRows, PostgreSQL)', () => {
  const scope = () => unsafeTenantScope(tenant.institution.id);

  it('rolls the unit back and gives the connection back when that statement fails: its write is not kept', async () => {
    if (t.database.kind !== 'postgres') return;
    const before = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from report_runs`);
    await expect(
      inRequest(() =>
        withTenant(
          t.database.db,
          scope(),
          (tx) =>
            lastRows(
              tx,
              sql`with counted as (insert into report_runs (tenant_id, report, day, run_count) values (${tenant.institution.id}, 'vendors', current_date, 1)
                on conflict (tenant_id, report, day) do update set run_count = report_runs.run_count + 1) select 1 / 0 as n`,
            ),
          { asyncCommit: true },
        ),
      ),
    ).rejects.toThrow(/division by zero/);
    const pool = poolStatsOf(t.database.db)!;
    expect(pool.total - pool.idle).toBe(0);
    expect(await openTransactions()).toBe(0);
    expect(await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from report_runs`)).toEqual(before);
  });

  it('refuses a statement after it on the same handle (the connection is back in the pool), and reads again afterwards', async () => {
    if (t.database.kind !== 'postgres') return;
    const refused = await inRequest(() =>
      withTenant(
        t.database.db,
        scope(),
        async (tx) => {
          await lastRows(tx, sql`select 1 as n`);
          return queryRows(tx, sql`select 2 as n`);
        },
        { readOnly: true },
      ),
    ).then(
      () => null,
      (err: Error) => err,
    );
    // drizzle names the statement it could not send, and gives the refusal as the cause.
    expect(String((refused?.cause as Error | undefined)?.message ?? refused?.message)).toMatch(/after the last of its unit of work/);
    const pool = poolStatsOf(t.database.db)!;
    expect(pool.total - pool.idle).toBe(0);
    expect(await openTransactions()).toBe(0);
    const rows = await inRequest(() =>
      withTenant(
        t.database.db,
        scope(),
        (tx) => lastRows<{ n: number; tenant: string }>(tx, sql`select 3 as n, current_setting('app.tenant_id') as tenant`),
        {
          readOnly: true,
        },
      ),
    );
    expect(rows).toEqual([{ n: 3, tenant: tenant.institution.id }]);
  });

  it('leaves a unit that writes and waits for its commit as it was: its last statement goes alone, the commit after it', async () => {
    if (t.database.kind !== 'postgres') return;
    counted.length = 0;
    counting = true;
    try {
      await inRequest(() => withTenant(t.database.db, scope(), (tx) => lastRows(tx, sql`select count(*)::int as n from inventory_items`)));
    } finally {
      counting = false;
    }
    expect(counted.slice(-2)).toEqual([expect.stringMatching(/^select count/), 'commit']);
  });
});
