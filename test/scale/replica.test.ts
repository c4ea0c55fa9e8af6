/**
 * The read replica on a real streaming standby: a primary cluster (initdb, wal_level=replica) and a
 * standby made with `pg_basebackup -R`, both on loopback. Reads that may go to the replica do while
 * it is usable (a stale answer with replay paused shows where they went), fall back to the primary
 * past the lag bound or when the standby is stopped, and a person reads their own writes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { openDatabase, queryRows, unsafeTenantScope, withTenantRead, type Database } from '../../src/server/platform/db.js';
import { createJobs, type Jobs } from '../../src/server/platform/jobs.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { openReadReplica, READ_YOUR_WRITES_COOKIE, type ReplicaHandle } from '../../src/server/platform/replica.js';
import { CLI_TEST_TIMEOUT } from '../support/cli.js';
import { buildTenantWithUsers, type Client } from '../support/factories.js';
import { missingScaleTools, startCluster, startStandby, waitUntil as until, type Cluster } from '../support/pg-cluster.js';

const missing = process.env.VETTED_MUTATION_RUN ? 'not under mutation testing' : missingScaleTools();
if (missing) process.stdout.write(`test/scale/replica.test.ts skipped: ${missing}\n`);

describe.skipIf(missing)('the read replica', () => {
  let primary: (Cluster & { remove(): Promise<void> }) | undefined;
  let standby: (Cluster & { remove(): Promise<void> }) | undefined;
  let dataDir: string;
  let database: Database;
  let jobs: Jobs;
  let app: FastifyInstance;
  const handles: ReplicaHandle[] = [];
  let writer: Client;
  let reader: Client;
  let tenantId: string;
  let otherTenantId: string;

  const dashboardTotal = async (c: Client, cookies: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/dashboard', cookies: { [c.cookie.name]: c.cookie.value, ...cookies } });
    expect(res.statusCode).toBe(200);
    return (res.json() as { total: number }).total;
  };
  const onStandby = async () =>
    (await standby!.query<{ n: number }>(`select count(*)::int as n from inventory_items where tenant_id = '${tenantId}'`, 'vetted'))[0]!.n;
  const onPrimary = async () =>
    (await primary!.query<{ n: number }>(`select count(*)::int as n from inventory_items where tenant_id = '${tenantId}'`, 'vetted'))[0]!.n;
  const replicaOpen = async (maxLagSeconds: number) => {
    const h = await openReadReplica(database, { url: standby!.url('vetted'), maxLagSeconds, checkMs: 0 });
    handles.push(h);
    return h;
  };
  const addItem = async (name: string) => {
    const res = await writer.request('POST', '/api/v1/inventory', { custom: { name } });
    expect(res.statusCode).toBe(201);
    return res;
  };

  beforeAll(async () => {
    try {
      dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-replica-'));
      primary = await startCluster();
      await primary.query('create database vetted');
      standby = await startStandby(primary);
      database = await openDatabase({ databaseUrl: primary.url('vetted') });
      await database.migrate();
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dataDir,
        SESSION_SECRET: 'replica-secret-replica-secret-replica-0123',
        PUBLIC_URL: 'http://localhost:3000',
        LOG_LEVEL: 'silent',
        LOGIN_RATE_LIMIT: '1000',
        LOGIN_ADDRESS_RATE_LIMIT: '10000',
        DATABASE_URL: primary.url('vetted'),
        READ_DATABASE_URL: standby.url('vetted'),
        READ_YOUR_WRITES_SECONDS: '600',
      });
      jobs = await createJobs({ db: database.db });
      app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs }, { logLevel: 'silent' });
      await app.ready();
      const t = await buildTenantWithUsers(app, database.db, { name: 'Spruce District' });
      const other = await buildTenantWithUsers(app, database.db, { name: 'Willow District' });
      writer = t.appAdmin;
      reader = t.siteAdmin;
      tenantId = t.institution.id;
      otherTenantId = other.institution.id;
      const res = await other.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Willow app' } });
      expect(res.statusCode).toBe(201);
    } catch (err) {
      await stopAll();
      throw err;
    }
  }, CLI_TEST_TIMEOUT);

  async function stopAll() {
    await app?.close().catch(() => undefined);
    await jobs?.stop(1000).catch(() => undefined);
    for (const h of handles) await h.close().catch(() => undefined);
    await database?.close().catch(() => undefined);
    await standby?.remove().catch(() => undefined);
    await primary?.remove().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
  afterAll(stopAll, CLI_TEST_TIMEOUT);

  it(
    'serves reads from the replica, stale within the bound, with the tenant settings and row-level security',
    async () => {
      const replica = await replicaOpen(3600);
      await addItem('Spruce app 1');
      await until('the standby replays the first item', async () => (await onStandby()) === 1);
      await standby!.query('select pg_wal_replay_pause()', 'vetted');
      const write = await addItem('Spruce app 2');
      expect(await onPrimary()).toBe(2);

      // Replay paused, well within an hour's bound: another person's read is the replica's, one behind.
      const before = replica.reads.replica;
      expect(await dashboardTotal(reader)).toBe(1);
      expect(replica.reads.replica).toBe(before + 1);

      // The writer reads their own write: the marker sends their reads to the primary.
      const marker = write.cookies.find((c) => c.name === READ_YOUR_WRITES_COOKIE);
      expect(marker).toBeDefined();
      expect(await dashboardTotal(writer, { [READ_YOUR_WRITES_COOKIE]: marker!.value })).toBe(2);
      // An expired marker does not.
      expect(await dashboardTotal(writer, { [READ_YOUR_WRITES_COOKIE]: String(Date.now() - 1000) })).toBe(1);

      // On the replica, each tenant's read sees its own rows alone.
      const count = (id: string) =>
        withTenantRead(database.db, unsafeTenantScope(id), (tx) =>
          queryRows<{ n: number; who: string }>(tx, sql`select count(*)::int as n, current_user as who from inventory_items`),
        );
      expect(await count(tenantId)).toEqual([{ n: 1, who: 'vetted_app' }]);
      expect(await count(otherTenantId)).toEqual([{ n: 1, who: 'vetted_app' }]);
      expect(replica.reads.replica).toBe(before + 4);

      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/^vetted_db_replica_usable 1$/m);
      expect(metrics).toMatch(/^vetted_db_replica_lag_seconds \d/m);
      expect(metrics).toMatch(/^vetted_db_replica_pool_clients\{state="total"\} [1-9]/m);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'falls back to the primary once replay lags past the bound, and returns to the replica when it catches up',
    async () => {
      const replica = await replicaOpen(1);
      // Replay is still paused behind a write: its lag grows past one second.
      await until('the replica lags past the bound', async () => !(await replica.usable()));
      const before = replica.reads.primary;
      expect(await dashboardTotal(reader)).toBe(2);
      expect(replica.reads.primary).toBe(before + 1);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^vetted_db_replica_usable 0$/m);

      await standby!.query('select pg_wal_replay_resume()', 'vetted');
      await until('the replica catches up', () => replica.usable());
      const onReplica = replica.reads.replica;
      expect(await dashboardTotal(reader)).toBe(2);
      expect(replica.reads.replica).toBe(onReplica + 1);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'falls back to the primary when the replica is stopped',
    async () => {
      const replica = await replicaOpen(3600);
      expect(await replica.usable()).toBe(true);
      await standby!.stop();
      const before = replica.reads.primary;
      await addItem('Spruce app 3');
      expect(await dashboardTotal(reader)).toBe(3);
      expect(replica.reads.primary).toBe(before + 1);
      expect(replica.usableNow()).toBe(false);
    },
    CLI_TEST_TIMEOUT,
  );
});
