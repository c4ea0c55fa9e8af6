/**
 * Many processes on one PostgreSQL through PgBouncer in transaction pooling mode: a cluster of its
 * own (initdb), a real pgbouncer on loopback with two server connections, a `serve` process spawned
 * from the sources and a second service in this process on its own pool, both through the pooler.
 * PgBouncer here (Debian's 1.18) does not follow prepared statements from one server connection to
 * another, so the service is run without them (DATABASE_PREPARED_STATEMENTS=false), as the operations
 * guide says (with them, its requests failed here as their transactions moved between server
 * connections).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { writeFullExport } from '../../src/server/modules/exports/full-export.js';
import { openDatabase, queryRows, unsafeTenantScope, withShared, type Database } from '../../src/server/platform/db.js';
import { createJobs, defineJob, queueOf, type Jobs } from '../../src/server/platform/jobs.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { CLI_TEST_TIMEOUT } from '../support/cli.js';
import { buildTenantWithUsers, buildUser, PASSWORD, signIn } from '../support/factories.js';
import { missingScaleTools, startCluster, startPgBouncer, type Bouncer, type Cluster } from '../support/pg-cluster.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { unzip } from '../support/unzip.js';

const missing = process.env.VETTED_MUTATION_RUN ? 'not under mutation testing' : missingScaleTools({ pgbouncer: true });
if (missing) process.stdout.write(`test/scale/pgbouncer.test.ts skipped: ${missing}\n`);

const SESSION_SECRET = 'scale-secret-scale-secret-scale-secret-01';

describe.skipIf(missing)('many processes through PgBouncer in transaction pooling mode', () => {
  let cluster: (Cluster & { remove(): Promise<void> }) | undefined;
  let bouncer: Bouncer | undefined;
  let dataDir: string;
  // The second process's service: its own pool through the pooler.
  let database: Database;
  let jobs: Jobs;
  let app: FastifyInstance;
  let first: ServeProcess | undefined;
  const extraJobs: Jobs[] = [];
  const extraDatabases: Database[] = [];

  /** `main.ts serve` in a child process through the pooler, once ready. */
  const serve = (): Promise<ServeProcess> =>
    spawnServe({
      DATA_DIR: dataDir,
      DATABASE_URL: bouncer!.url('vetted'),
      DATABASE_PREPARED_STATEMENTS: 'false',
      SESSION_SECRET,
      JOB_WORKERS: 'true',
      SHUTDOWN_DRAIN_SECONDS: '3',
      SHUTDOWN_TIMEOUT_SECONDS: '60',
    });

  beforeAll(async () => {
    try {
      dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-scale-'));
      cluster = await startCluster();
      await cluster.query('create database vetted');
      // Migrated directly on the server, as a deployment's `migrate` step does.
      const direct = await openDatabase({ databaseUrl: cluster.url('vetted') });
      await direct.migrate();
      await direct.close();
      bouncer = await startPgBouncer(cluster, { poolSize: 2 });
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        SESSION_SECRET,
        PUBLIC_URL: 'http://localhost:3000',
        LOG_LEVEL: 'silent',
        LOGIN_RATE_LIMIT: '1000',
        LOGIN_ADDRESS_RATE_LIMIT: '10000',
        DATABASE_URL: bouncer.url('vetted'),
        DATABASE_PREPARED_STATEMENTS: 'false',
      });
      database = await openDatabase({ databaseUrl: bouncer.url('vetted'), preparedStatements: config.preparedStatements });
      jobs = await createJobs({ db: database.db });
      app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs }, { logLevel: 'silent' });
      await app.ready();
    } catch (err) {
      await stopAll();
      throw err;
    }
  }, CLI_TEST_TIMEOUT);

  async function stopAll() {
    if (first && first.child.exitCode === null) first.child.kill('SIGKILL');
    await app?.close().catch(() => undefined);
    for (const j of [...extraJobs, jobs]) await j?.stop(1000).catch(() => undefined);
    for (const d of [...extraDatabases, database]) await d?.close().catch(() => undefined);
    await bouncer?.stop().catch(() => undefined);
    await cluster?.remove().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  afterAll(stopAll, CLI_TEST_TIMEOUT);

  it(
    'migrates new databases through the pooler, two processes on each at once, each migration once, no lock left behind',
    async () => {
      const names = ['through_a', 'through_b'];
      for (const name of names) await cluster!.query(`create database ${name}`);
      const opened: Database[] = [];
      try {
        for (const name of names)
          for (let i = 0; i < 2; i++)
            opened.push(await openDatabase({ databaseUrl: bouncer!.url(name), poolSize: 2, preparedStatements: false }));
        const results = await Promise.allSettled(opened.map((d) => d.migrate()));
        expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
        // A lock taken for a session on one of the pooler's server connections would outlive the migration there.
        expect(await cluster!.query(`select pid, objid from pg_locks where locktype = 'advisory'`)).toEqual([]);
        for (const name of names) {
          const [applied] = await cluster!.query<{ n: number; distinct: number }>(
            'select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations',
            name,
          );
          expect(applied!.n).toBeGreaterThan(30);
          expect(applied!.distinct).toBe(applied!.n);
        }
        // Started again, each finds nothing to do and waits for no one.
        await Promise.all(opened.map((d) => d.migrate()));
      } finally {
        await Promise.all(opened.map((d) => d.close()));
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'keeps tenants apart when their transactions take turns on the same server connections',
    async () => {
      const a = await buildTenantWithUsers(app, database.db, { name: 'Alder District' });
      const b = await buildTenantWithUsers(app, database.db, { name: 'Birch District' });
      for (let i = 0; i < 4; i++) {
        expect((await a.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Alder app ${i}` } })).statusCode).toBe(201);
        expect((await b.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Birch app ${i}` } })).statusCode).toBe(201);
      }
      // Forty reads of two tenants at once, interleaved over two server connections.
      const reads = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (i % 2 ? b : a).appAdmin.request('GET', '/api/v1/inventory?pageSize=100').then((res) => ({ i, res })),
        ),
      );
      for (const { i, res } of reads) {
        expect(res.statusCode).toBe(200);
        const names = (res.json() as { items: { name: string }[] }).items.map((x) => x.name);
        expect(names).toHaveLength(4);
        expect(names.every((n) => n.startsWith(i % 2 ? 'Birch' : 'Alder'))).toBe(true);
      }
      // No setting outlives its transaction: a unit of work with no tenant sees no tenant's rows, and
      // a bare statement on any pooled connection runs with no tenant and as the connecting user.
      for (let i = 0; i < 10; i++) {
        const [shared] = await withShared(database.db, (tx) =>
          queryRows<{ n: number }>(tx, sql`select count(*)::int as n from inventory_items`),
        );
        expect(shared!.n).toBe(0);
      }
      const probe = new pg.Pool({ connectionString: bouncer!.url('vetted'), max: 4 });
      try {
        const bare = await Promise.all(
          Array.from({ length: 8 }, () =>
            probe.query<{ tenant: string | null; who: string }>(
              "select current_setting('app.tenant_id', true) as tenant, current_user as who",
            ),
          ),
        );
        for (const r of bare) expect(r.rows[0]).toEqual({ tenant: expect.toBeOneOf(['', null]), who: 'postgres' });
      } finally {
        await probe.end();
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'writes a full export through two pooled connections that share one snapshot',
    async () => {
      const tenant = await buildTenantWithUsers(app, database.db, { name: 'Dogwood District' });
      for (let i = 0; i < 3; i++)
        expect((await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Dogwood app ${i}` } })).statusCode).toBe(201);
      const chunks: Buffer[] = [];
      const out = new Writable({
        write(chunk: Buffer, _enc, cb) {
          chunks.push(chunk);
          cb();
        },
      });
      await writeFullExport(database.db, unsafeTenantScope(tenant.institution.id), 'csv', out);
      const files = await unzip(Buffer.concat(chunks));
      const inventory = [...files.entries()].find(([name]) => name.startsWith('inventory'))![1].toString('utf8');
      expect([0, 1, 2].map((i) => inventory.includes(`Dogwood app ${i}`))).toEqual([true, true, true]);
      const users = [...files.entries()].find(([name]) => name.startsWith('users'))![1].toString('utf8');
      expect(users).toContain(tenant.appAdmin.user.email);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'serves a session made by one process from another, and drains on SIGTERM while /readyz reports not ready',
    async () => {
      first = await serve();
      const { institution } = await buildTenantWithUsers(app, database.db, { name: 'Cedar District' });
      const user = await buildUser(database.db, { tenantId: institution.id, role: 'app_admin' });

      // Signed in through the spawned process, used in this one.
      const login = await fetch(`${first.base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().find((c) => /vetted_session=/.test(c))!;
      const [name, value] = cookie.split(';')[0]!.split('=') as [string, string];
      const here = await app.inject({ method: 'GET', url: '/api/v1/session', cookies: { [name]: value } });
      expect(here.statusCode).toBe(200);
      expect(JSON.stringify(here.json())).toContain(user.email);

      // Signed in here, used through the spawned process.
      const second = await signIn(app, user, PASSWORD);
      const there = await fetch(`${first.base}/api/v1/inventory`, { headers: { cookie: `${second.cookie.name}=${second.cookie.value}` } });
      expect(there.status).toBe(200);

      // SIGTERM: not ready while it still answers, then a clean exit within the bound.
      first.child.kill('SIGTERM');
      let ready = 200;
      for (let i = 0; i < 400 && ready !== 503; i++) {
        ready = (await fetch(`${first.base}/readyz`)).status;
        if (ready !== 503) await new Promise((r) => setTimeout(r, 25));
      }
      expect(ready).toBe(503);
      expect(
        (await fetch(`${first.base}/api/v1/inventory`, { headers: { cookie: `${second.cookie.name}=${second.cookie.value}` } })).status,
      ).toBe(200);
      expect(await first.exited).toBe(0);
      // The other process goes on serving the same session.
      expect((await second.request('GET', '/api/v1/inventory')).statusCode).toBe(200);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'runs a scheduled job once per slot across two workers',
    async () => {
      const ran: { worker: number; id: string }[] = [];
      const platforms: Jobs[] = [];
      for (let worker = 0; worker < 2; worker++) {
        const db = await openDatabase({ databaseUrl: bouncer!.url('vetted'), preparedStatements: false });
        extraDatabases.push(db);
        const j = await createJobs({ db: db.db });
        extraJobs.push(j);
        await j.register(
          defineJob({
            name: 'scale-tick',
            version: 1,
            payload: z.object({}),
            schedule: { cron: '* * * * *', payload: {} },
            pollSeconds: 0.5,
            handle: async (_payload, job) => {
              ran.push({ worker, id: job.id });
            },
          }),
        );
        platforms.push(j);
      }
      await Promise.all(platforms.map((j) => j.startWorkers()));
      // The cron sends at the next minute; wait for the first run, then long enough for both
      // workers' cron checks (every 5 s) to have sent a second job for the same minute if they could.
      for (let i = 0; i < 1200 && ran.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(ran.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 20_000));
      // Stopped, so no slot is half sent while it is counted.
      await Promise.all(platforms.map((j) => j.stop(30_000)));
      const queue = queueOf({ name: 'scale-tick', version: 1 });
      // Each cron slot (a minute) is one row of pg-boss's send-it queue, whose job then sends ours.
      const counts = await queryRows<{ slots: number; duplicates: number; jobs: number }>(
        database.db,
        sql`with sendit as (
              select singleton_on, state from pgboss.job where name = '__pgboss__send-it' and data->>'name' = ${queue}
              union all select singleton_on, state from pgboss.archive where name = '__pgboss__send-it' and data->>'name' = ${queue}),
            ours as (select id from pgboss.job where name = ${queue} union all select id from pgboss.archive where name = ${queue})
            select (select count(distinct singleton_on) filter (where state = 'completed') from sendit)::int as slots,
                   (select count(*) - count(distinct singleton_on) from sendit)::int as duplicates,
                   (select count(*) from ours)::int as jobs`,
      );
      const [{ slots, duplicates, jobs: sent }] = counts as [{ slots: number; duplicates: number; jobs: number }];
      expect(slots).toBeGreaterThan(0);
      expect(duplicates).toBe(0);
      // One job per slot sent, each run once, whichever worker took it.
      expect(sent).toBe(slots);
      expect(new Set(ran.map((r) => r.id)).size).toBe(ran.length);
      expect(ran.length).toBeLessThanOrEqual(sent);
    },
    CLI_TEST_TIMEOUT,
  );
});
