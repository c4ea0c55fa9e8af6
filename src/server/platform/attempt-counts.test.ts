/**
 * Attempt counts live in PostgreSQL: two app instances on one database share them (as two processes
 * behind a load balancer would), a restart keeps them, and a window that has ended starts afresh.
 * On PostgreSQL (TEST_DATABASE_URL) each instance has its own connection pool; PGlite serves one
 * process, so there the instances share its connection.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { createAttemptSweepJob } from './attempt-counts.js';
import { openDatabase, queryRows, type Database } from './db.js';
import { createMailer } from './mail.js';

const PER_ACCOUNT = 3;
const PER_ADDRESS = 5;
let t: TestApp;
/** Databases opened for the other instances (PostgreSQL only), closed at the end. */
const pools: Database[] = [];
const apps: FastifyInstance[] = [];
let n = 0;
const address = () => `198.51.100.${++n}`;

beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_LIMIT: String(PER_ACCOUNT), LOGIN_ADDRESS_RATE_LIMIT: String(PER_ADDRESS) });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  for (const p of pools) await p.close();
  await t?.close();
});

/** Another instance of the service on the same database, with the same configuration (as another process). */
async function anotherInstance(): Promise<FastifyInstance> {
  let db = t.database.db;
  if (t.database.url) {
    const own = await openDatabase({ databaseUrl: t.database.url });
    pools.push(own);
    db = own.db;
  }
  const app = await buildApp({ config: t.config, db, mailer: createMailer(t.config) }, { logLevel: 'silent' });
  await app.ready();
  apps.push(app);
  return app;
}

const signIn = (app: FastifyInstance, remoteAddress: string, email: string) =>
  app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { email, password: 'not the password at all' } });

describe('attempt counts kept in the database', () => {
  it('are shared by two instances: an account limit reached through one refuses through the other', async () => {
    const other = await anotherInstance();
    const email = 'two.instances@example.org';
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT; i++) statuses.push((await signIn(i % 2 ? other : t.app, address(), email)).statusCode);
    expect(statuses).toEqual([401, 401, 401]);
    expect((await signIn(other, address(), email)).statusCode).toBe(429);
    expect((await signIn(t.app, address(), email)).statusCode).toBe(429);
  });

  it('are shared by two instances: an address limit reached through one refuses through the other', async () => {
    const other = await anotherInstance();
    const shared = address();
    for (let i = 0; i < PER_ADDRESS; i++) expect((await signIn(t.app, shared, `addr-${i}@example.org`)).statusCode).toBe(401);
    const refused = await signIn(other, shared, 'addr-last@example.org');
    expect(refused.statusCode).toBe(429);
    // The refusal tells how long the window still runs (at most its minute).
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('survive a restart: a new instance still refuses an account that reached its limit', async () => {
    const first = await anotherInstance();
    const email = 'restart@example.org';
    for (let i = 0; i < PER_ACCOUNT; i++) expect((await signIn(first, address(), email)).statusCode).toBe(401);
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const restarted = await anotherInstance();
    expect((await signIn(restarted, address(), email)).statusCode).toBe(429);
  });

  it('start afresh once the window has ended, and the sweep removes ended windows only', async () => {
    const email = 'window.ends@example.org';
    for (let i = 0; i < PER_ACCOUNT; i++) await signIn(t.app, address(), email);
    expect((await signIn(t.app, address(), email)).statusCode).toBe(429);
    // The minute passes (the windows are moved back rather than waited for).
    await t.database.db.execute(sql`update attempt_counts set resets_at = now() - interval '1 second'`);
    const live = 'still.counting@example.org';
    expect((await signIn(t.app, address(), live)).statusCode).toBe(401);
    expect((await signIn(t.app, address(), email)).statusCode).toBe(401);

    // The sweep removes every ended window and keeps the four just counted (two accounts, two addresses).
    const counts = async () =>
      (
        await queryRows<{ ended: number; live: number }>(
          t.database.db,
          sql`select count(*) filter (where resets_at <= now())::int as ended, count(*) filter (where resets_at > now())::int as live from attempt_counts`,
        )
      )[0];
    expect((await counts())!.ended).toBeGreaterThan(0);
    const sweep = createAttemptSweepJob(t.database.db);
    await t.jobs.send(sweep, {});
    expect(await t.jobs.runPending(sweep)).toBe(1);
    expect(await counts()).toEqual({ ended: 0, live: 4 });
  });

  it('keep keyed hashes only: no address, email or route in the table', async () => {
    const email = 'Never.Stored@example.org';
    const from = address();
    await signIn(t.app, from, email);
    const rows = await queryRows<{ key: string; hits: number }>(t.database.db, sql`select key, hits from attempt_counts`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = JSON.stringify(rows).toLowerCase();
    for (const plain of [email.toLowerCase(), from, '/api/v1/session']) expect(text).not.toContain(plain.toLowerCase());
  });
});
