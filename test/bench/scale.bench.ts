/**
 * The largest institution in a shared database against the same institution alone, over HTTP, on
 * PostgreSQL (`BENCH_DATABASES=postgres npm run bench -- scale`).
 *
 * Two databases on the server: the shared one holds the scale data (`npm run seed -- --scale`:
 * BENCH_SCALE, `large` by default, 2,000 institutions and 1,000,000 inventory items), the other
 * institution 1 of the same plan alone, row for row the same (src/server/seed/seed-scale.ts). A
 * service over each (this process, one pool of 10 clients each, listening on loopback) answers the
 * same person's requests: the inventory list's first and a middle page, sorted by name, the
 * dashboard and every report. Requests go one at a time, alternating shared and alone, so the load
 * of the machine weighs on both alike; each figure is the median of BENCH_SCALE_RUNS requests. A
 * database already seeded at that scale may be given as BENCH_SCALE_DATABASE_URL (its seeding time
 * is then not measured); otherwise the seeding is timed here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { REPORT_IDS } from '../../src/contracts/reports.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { openDatabase, queryRows, type Database } from '../../src/server/platform/db.js';
import { createJobs, type Jobs } from '../../src/server/platform/jobs.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { scaleInstitutionId, scalePlanOf, seedScale } from '../../src/server/seed/seed-scale.js';
import { buildUser, PASSWORD } from '../support/factories.js';
import { load, machine, median, type BenchTable, type BenchTarget } from './support.js';

const SCALE = process.env.BENCH_SCALE ?? 'large';
const RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 30);
const WARMUPS = 5;
const GOAL = 1.2;

interface Side {
  database: Database;
  jobs: Jobs;
  app: FastifyInstance;
  base: string;
  cookie: string;
  drop?: () => Promise<void>;
}

async function createDatabase(admin: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `vetted_scale_${randomBytes(5).toString('hex')}`;
  const run = async (text: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

async function side(url: string, dataDir: string, drop?: () => Promise<void>): Promise<Side> {
  const database = await openDatabase({ databaseUrl: url });
  await database.migrate();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-012',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_ADDRESS_RATE_LIMIT: '10000',
    DATABASE_URL: url,
  });
  const jobs = await createJobs({ db: database.db });
  const app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs }, { logLevel: 'warn' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { database, jobs, app, base: `http://127.0.0.1:${port}`, cookie: '', ...(drop ? { drop } : {}) };
}

async function signInAs(s: Side, tenantId: string): Promise<void> {
  const user = await buildUser(s.database.db, { tenantId, role: 'site_admin' });
  const res = await fetch(`${s.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  s.cookie = res.headers
    .getSetCookie()
    .find((c) => /vetted_session=/.test(c))!
    .split(';')[0]!;
}

async function timed(s: Side, url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${s.base}${url}`, { headers: { cookie: s.cookie } });
  const body = await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${Buffer.from(body).toString()}`);
  return performance.now() - t0;
}

export async function bench(target: BenchTarget): Promise<BenchTable[]> {
  // Thousands of institutions sharing one server's database: PostgreSQL only.
  if (target.kind !== 'postgres') return [];
  const admin = process.env.TEST_DATABASE_URL!;
  const plan = scalePlanOf(SCALE);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-bench-scale-'));
  const sides: Side[] = [];
  try {
    const loadAtStart = load();
    let seeded = 'given, seeded beforehand by `npm run seed -- --scale`';
    let sharedSide: Side;
    if (process.env.BENCH_SCALE_DATABASE_URL) {
      sharedSide = await side(process.env.BENCH_SCALE_DATABASE_URL, dataDir);
    } else {
      const made = await createDatabase(admin);
      sharedSide = await side(made.url, dataDir, made.drop);
      const result = await seedScale(sharedSide.database.db, plan);
      seeded = `seeded here in ${result.seconds.toFixed(0)} s`;
    }
    sides.push(sharedSide);
    const aloneDb = await createDatabase(admin);
    const aloneSide = await side(aloneDb.url, dataDir, aloneDb.drop);
    sides.push(aloneSide);
    const alone = await seedScale(aloneSide.database.db, plan, { only: 'largest' });
    const tenantId = await scaleInstitutionId(sharedSide.database.db, 1);
    await signInAs(sharedSide, tenantId);
    await signInAs(aloneSide, tenantId);

    const middle = Math.max(1, Math.floor(plan.largest / 50 / 2));
    const urls = [
      { label: 'inventory list, page 1 (50 items, by name)', url: '/api/v1/inventory?page=1&pageSize=50&sort=name' },
      { label: `inventory list, page ${middle} (50 items, by name)`, url: `/api/v1/inventory?page=${middle}&pageSize=50&sort=name` },
      { label: 'dashboard', url: '/api/v1/dashboard' },
      ...REPORT_IDS.map((id) => ({ label: `report ${id}`, url: `/api/v1/reports/${id}` })),
    ];
    const rows: (string | number)[][] = [];
    for (const { label, url } of urls) {
      const times = { shared: [] as number[], alone: [] as number[] };
      for (let i = 0; i < WARMUPS + RUNS; i++) {
        // The order swaps every round.
        const order = i % 2 ? (['alone', 'shared'] as const) : (['shared', 'alone'] as const);
        for (const which of order) {
          const ms = await timed(which === 'shared' ? sharedSide : aloneSide, url);
          if (i >= WARMUPS) times[which].push(ms);
        }
      }
      const [s, a] = [median(times.shared), median(times.alone)];
      const ratio = s / a;
      rows.push([label, a.toFixed(1), s.toFixed(1), ratio.toFixed(2), ratio <= GOAL ? 'yes' : 'no']);
    }
    // The connecting role reads the totals past row-level security (it owns the tables).
    const [counts] = await queryRows<{ institutions: number; items: number }>(
      sharedSide.database.db,
      sql`select (select count(*) from institutions)::int as institutions, (select count(*) from inventory_items)::int as items`,
    );
    return [
      {
        title: `Largest institution in a shared database (${SCALE}) against the same institution alone, over HTTP, on PostgreSQL server (local)`,
        setup: [
          `Shared database: ${counts!.institutions} institutions, ${counts!.items} inventory items (${seeded}); the largest institution holds ${plan.largest} items. `,
          `The same institution alone in a fresh database: ${alone.items} items, seeded in ${alone.seconds.toFixed(1)} s. `,
          `One service per database in one process (pool of 10), requests one at a time over loopback HTTP, alternating shared and alone; median of ${RUNS} requests after ${WARMUPS} warm-ups. Goal: shared within ${GOAL}× of alone. `,
          machine(loadAtStart),
        ].join(''),
        columns: ['Request', 'Alone (ms)', 'Shared (ms)', 'Shared / alone', `Within ${GOAL}×`],
        rows,
      },
    ];
  } finally {
    for (const s of sides) {
      await s.app.close().catch(() => undefined);
      await s.jobs.stop(1000).catch(() => undefined);
      await s.database.close().catch(() => undefined);
      await s.drop?.().catch(() => undefined);
    }
    await rm(dataDir, { recursive: true, force: true });
  }
}
