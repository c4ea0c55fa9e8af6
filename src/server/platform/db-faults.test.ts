/**
 * Lost database connections: the PostgreSQL server ends the app's connections under load
 * (`pg_terminate_backend`, as a failover or a restart does). The process must live on, the requests
 * caught in flight fail with 503 `unavailable`, and the next ones succeed.
 *
 * PostgreSQL server only: the embedded database (PGlite) runs in the process and has no connection
 * to lose. CI runs the server suites (TEST_DATABASE_URL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildUser, PASSWORD } from '../../../test/support/factories.js';
import { openTestDatabase } from '../../../test/support/test-db.js';
import { openDatabase, projectRoot, queryRows, withSystem, withTenant, unsafeTenantScope, type Database } from './db.js';
import { isConnectionLost } from './errors.js';

const url = process.env.TEST_DATABASE_URL;
/** Skipped on PGlite, which runs in the process and has no connection to lose: set TEST_DATABASE_URL. */
const onServer = (title: string, fn: () => void) => describe.skipIf(!url)(`${title}${url ? '' : ' (PostgreSQL server only: PGlite has no connection to lose)'}`, fn);

let database: (Database & { url: string | undefined }) | undefined;
let admin: pg.Client;
let dbName: string;

beforeAll(async () => {
  if (!url) return;
  database = await openTestDatabase();
  dbName = new URL(database.url!).pathname.slice(1);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await database?.close();
});

/** Ends every connection to the test database but the admin's own. */
async function terminateAll(): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [dbName],
  );
  return rows[0]!.n;
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, seconds = 60): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

onServer('a connection ended by the server', () => {
  it('fails the transaction holding it, is logged, and the pool serves the next one', async () => {
    const logged: object[] = [];
    const db = await openDatabase({ databaseUrl: database!.url, log: { warn: (o) => logged.push(o) } });
    try {
      const { institution } = await buildInstitution(db.db);
      let pid = 0;
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      // A transaction holding its client between two statements, when no query is running on it.
      const held = withTenant(db.db, unsafeTenantScope(institution.id), async (tx) => {
        pid = (await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`))[0]!.pid;
        await paused;
        return queryRows(tx, sql`select count(*)::int as n from schools`);
      });
      await until('the transaction to start', () => pid || undefined);
      await admin.query('select pg_terminate_backend($1)', [pid]);
      // The checked-out client learns of it by an 'error' event: reported, not thrown at the process.
      await until('the lost connection to be logged', () => logged.length > 0 || undefined);
      resume();
      const err = await held.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(isConnectionLost(err)).toBe(true);
      expect(JSON.stringify(logged)).not.toContain(database!.url!);
      expect(logged[0]).toMatchObject({ db: { code: '57P01' } });
      // The broken client left the pool: the next units of work succeed, as tenant and as system.
      const rows = await withTenant(db.db, unsafeTenantScope(institution.id), (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from schools`));
      expect(rows[0]!.n).toBe(2);
      await withSystem(db.db, (tx) => queryRows(tx, sql`select 1`));
    } finally {
      await db.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

onServer('the server process when PostgreSQL ends its connections under load', () => {
  let child: ChildProcess | undefined;
  let dataDir: string;
  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stays up, answers 503 unavailable to the requests caught in flight, then serves and runs jobs again', async () => {
    const { institution } = await buildInstitution(database!.db);
    const user = await buildUser(database!.db, { tenantId: institution.id, role: 'site_admin' });
    dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-faults-'));
    const port = await freePort();
    const secret = 'db-faults-session-secret-0123456789abcdef';
    child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/server/main.ts'), 'serve'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database!.url,
        DATA_DIR: dataDir,
        SESSION_SECRET: secret,
        DEMO_SEED: 'false',
        JOB_WORKERS: 'true',
        LOG_LEVEL: 'warn',
        LOGIN_RATE_LIMIT: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<string>((resolve) => child!.once('exit', (code, signal) => resolve(`exited (${code ?? signal})`)));
    let exit: string | undefined;
    void exited.then((e) => (exit = e));
    await until('the server to listen', () => (exit ? Promise.reject(new Error(`${exit}: ${output}`)) : output.includes('Vetted is running') || undefined), 170);

    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: user.email, password: PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = ((await login.json()) as { csrfToken?: string; session?: { csrfToken: string } });
    const csrfToken = csrf.csrfToken ?? csrf.session!.csrfToken;
    const get = (p: string) => fetch(`${base}${p}`, { headers: { cookie } });

    // Load: clients in a loop over routes that each open a tenant transaction (session, then the list).
    const statuses = new Map<number, number>();
    const codes = new Set<string>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const res = await get('/api/v1/users').catch(() => null);
        if (!res) throw new Error(`the server stopped answering: ${exit ?? 'still running'}\n${output}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 200) codes.add(((await res.json()) as { error: { code: string } }).error.code);
        else await res.arrayBuffer();
      }
    };
    const load = Array.from({ length: 12 }, worker);
    let ended = 0;
    for (let round = 0; round < 4; round++) {
      await new Promise((r) => setTimeout(r, 400));
      ended += await terminateAll();
    }
    await new Promise((r) => setTimeout(r, 400));
    stop = true;
    await Promise.all(load);

    expect(exit).toBeUndefined();
    expect(ended).toBeGreaterThan(0);
    // Only successes and clean, retryable refusals: never a 500, never a dropped connection.
    expect([...statuses.keys()].filter((s) => s !== 200 && s !== 503), JSON.stringify([...statuses])).toEqual([]);
    expect([...codes].filter((c) => c !== 'unavailable')).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);

    // The next requests succeed and the readiness probe says so.
    for (let i = 0; i < 5; i++) expect((await get('/api/v1/users')).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // Jobs keep running: an export requested now is produced by the workers of the same process.
    const created = await fetch(`${base}/api/v1/exports`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ format: 'csv' }) });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    await until('the export to be produced', async () => {
      const r = (await (await get(`/api/v1/exports/${id}`)).json()) as { status: string };
      return r.status === 'ready' || r.status === 'failed' ? r.status : undefined;
    }).then((s) => expect(s).toBe('ready'));

    // A lost connection is logged without the database address or the session secret.
    expect(output).toContain('database connection lost');
    expect(output).not.toContain(database!.url!);
    expect(output).not.toContain(secret);
    expect(exit).toBeUndefined();
  }, 300_000);
});
