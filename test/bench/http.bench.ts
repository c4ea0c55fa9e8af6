/**
 * The service over real HTTP against a bare route, on PostgreSQL (`npm run bench -- http`).
 *
 * The service runs as deployed, in a process of its own on the built code (dist/, `serve`, one
 * process, job workers off, logs at `warn`); the bare route is fastify + node-postgres in another
 * process (bare-server.mjs), same package versions, running the statements the service ran for
 * the same URL (captured from the service, text and values) on the same rows, without session,
 * transaction or validation. Both use a pool of 10 clients. The load comes from this process:
 * 10 keep-alive connections on loopback, each sending its next request when the last answer has
 * arrived, for a fixed time. Service and bare route take turns, step after step (interleaved, the
 * order swapped every round), and the load average is read before each step.
 *
 * PGlite is not measured here: its database lives inside the serving process, so a bare route would
 * need a copy of its own and would not read the same rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { REPORT_IDS } from '../../src/contracts/reports.js';
import { PASSWORD, signIn } from '../support/factories.js';
import { createTestApp } from '../support/test-app.js';
import { buildServer, generate } from './reports.bench.js';
import {
  cpuMsOf,
  cpuMsOfAll,
  freePort,
  load,
  machine,
  median,
  servedEnv,
  stopChild,
  type BenchTable,
  type BenchTarget,
} from './support.js';

/** Institution sizes (inventory items); BENCH_HTTP_SIZES=500,5000,20000 to choose. */
const SIZES = (process.env.BENCH_HTTP_SIZES ?? '500,5000,20000').split(',').map(Number);
/** Seconds of load per step (BENCH_HTTP_STEP_S); each side gets ROUNDS steps per URL. */
const STEP_S = Number(process.env.BENCH_HTTP_STEP_S ?? 3);
const ROUNDS = 2;
/** BENCH_HTTP_ONLY=list,approved: only the URLs whose key contains one of these words. */
const ONLY = process.env.BENCH_HTTP_ONLY?.split(',');
/** BENCH_HTTP_PREPARED=false: the served process sends its statements unnamed (DATABASE_PREPARED_STATEMENTS, ADR 0026). */
const PREPARED = process.env.BENCH_HTTP_PREPARED ?? 'true';
/** BENCH_HTTP_SESSION_CACHE=false: the served process reads the session on every request (SESSION_CACHE, ADR 0027). */
const SESSION_CACHE = process.env.BENCH_HTTP_SESSION_CACHE ?? 'true';
/** BENCH_HTTP_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof': Node options of the served process. */
const NODE_ARGS = process.env.BENCH_HTTP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const CONNECTIONS = 10;
const LIST_GOAL = 0.7;
const MEDIAN_GOAL = 1.3;
const P99_GOAL = 2;
const LAST_PAGE_GOAL = 1.5;
/** Where each request's CPU went: the serving process, and the PostgreSQL server's processes during its steps. */
const CPU_COLUMN = 'CPU ms per request, process + database: service / bare';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Statement {
  text: string;
  values: unknown[];
}

/** The statements the service sends while `fn` runs, less its transaction and settings messages. */
async function captured(fn: () => Promise<unknown>): Promise<Statement[]> {
  const seen: Statement[] = [];
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const q = args[0] as string | { text: string; values?: unknown[] };
    const text = typeof q === 'string' ? q : q.text;
    const values = (args[1] as unknown[] | undefined) ?? (typeof q === 'string' ? [] : (q.values ?? []));
    // Statements sent ahead of it in the same message (PipelinedQuery's), the session's check left out.
    const ahead =
      typeof q === 'string' ? [] : ((q as { preamble?: { text: string; values?: unknown[]; rows?: boolean }[] }).preamble ?? []);
    for (const st of ahead) if (st.rows && !/vetted_session_guard/.test(st.text)) seen.push({ text: st.text, values: st.values ?? [] });
    if (!/^\s*(begin|commit|rollback|set local)\b/i.test(text)) seen.push({ text, values });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

/** Starts a child process and waits until `ready(stdout so far)` gives its port. */
async function start(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (out: string) => number | null,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'], cwd: root });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start in 600 s:\n${out}`)), 600_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const p = ready(out);
      if (p !== null) {
        clearTimeout(timer);
        resolve(p);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}):\n${out}`)));
  });
  child.stdout!.resume();
  return { child, port };
}

interface Step {
  count: number;
  seconds: number;
  latencies: number[];
  /** CPU time (ms) the side's process and the database server's processes used during the step. */
  cpu?: { process: number; database: number };
}

/** `loadStep`, with the CPU time the serving process `pid` and the PostgreSQL server used meanwhile. */
async function measuredStep(pid: number, port: number, urlPath: string, headers: Record<string, string>, seconds: number): Promise<Step> {
  const [p0, d0] = [await cpuMsOf(pid), await cpuMsOfAll('postgres')];
  const step = await loadStep(port, urlPath, headers, seconds);
  const [p1, d1] = [await cpuMsOf(pid), await cpuMsOfAll('postgres')];
  return { ...step, cpu: { process: p1 - p0, database: d1 - d0 } };
}

/** `CONNECTIONS` keep-alive connections each sending GET `path` back to back for `seconds`. */
async function loadStep(port: number, urlPath: string, headers: Record<string, string>, seconds: number): Promise<Step> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const s = performance.now();
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          if (res.statusCode !== 200) body += chunk.toString();
        });
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${urlPath}: ${res.statusCode} ${body.slice(0, 500)}`));
          latencies.push(performance.now() - s);
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { count: latencies.length, seconds: elapsed, latencies };
}

const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

export async function bench(target: BenchTarget): Promise<BenchTable[]> {
  if (target.kind !== 'postgres') return [];
  await buildServer();
  const t = await createTestApp();
  const children: ChildProcess[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-http-bench-'));
  try {
    const url = t.database.url!;
    const tenants: { size: number; email: string; urls: { key: string; label: string; url: string; kind: 'list' | 'report' }[] }[] = [];
    const routes: Record<string, Statement[]> = {};
    for (const size of SIZES) {
      const { siteAdmin } = await generate(t.database.db, size, Math.round(size * 0.4));
      const client = await signIn(t.app, siteAdmin);
      const urls = [
        { key: `${size}-list`, label: 'inventory list, first page', url: '/api/v1/inventory?page=1&pageSize=25', kind: 'list' as const },
        {
          key: `${size}-last`,
          label: `inventory list, last page (page ${Math.ceil(size / 25)}, by its number)`,
          url: `/api/v1/inventory?page=${Math.ceil(size / 25)}&pageSize=25`,
          kind: 'list' as const,
        },
        {
          key: `${size}-filtered`,
          label: 'inventory list, filtered page',
          url: '/api/v1/inventory?q=tool&status=approved,in_review&grade=4&sort=updated&order=desc&page=2&pageSize=25',
          kind: 'list' as const,
        },
        ...REPORT_IDS.map((id) => ({ key: `${size}-${id}`, label: `report ${id}`, url: `/api/v1/reports/${id}`, kind: 'report' as const })),
        { key: `${size}-dashboard`, label: 'dashboard', url: '/api/v1/dashboard', kind: 'report' as const },
      ].filter((u) => !ONLY || ONLY.some((w) => u.key.includes(w)));
      for (const u of urls) {
        const statements = await captured(async () => {
          const res = await client.request('GET', u.url);
          if (res.statusCode !== 200) throw new Error(`${u.url}: ${res.statusCode} ${res.body}`);
        });
        routes[u.key] = JSON.parse(JSON.stringify(statements)) as Statement[];
      }
      // Signed in again below, on the served process.
      tenants.push({ size, email: siteAdmin.email, urls });
    }

    const routesFile = path.join(dir, 'routes.json');
    await writeFile(routesFile, JSON.stringify({ url, routes }));
    const bare = await start([path.join(root, 'test/bench/bare-server.mjs'), routesFile], { ...process.env }, (out) =>
      /^(\d+)\n/.test(out) ? Number(/^(\d+)\n/.exec(out)![1]) : null,
    );
    children.push(bare.child);
    const servicePort = await freePort();
    const service = await start(
      [...NODE_ARGS, path.join(root, 'dist/server/main.js'), 'serve'],
      { ...servedEnv(servicePort, dir, url), JOB_WORKERS: 'false', DATABASE_PREPARED_STATEMENTS: PREPARED, SESSION_CACHE: SESSION_CACHE },
      (out) => (out.includes('Vetted is running') ? servicePort : null),
    );
    children.push(service.child);

    const tables: BenchTable[] = [];
    for (const tenant of tenants) {
      // A session on the served process, through its sign-in route.
      const login = await fetch(`http://127.0.0.1:${service.port}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: tenant.email, password: PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`sign-in on the served process: ${login.status} ${await login.text()}`);
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .join('; ');
      const startLoad = load();
      const listRows: (string | number)[][] = [];
      const serviceMedians = new Map<string, number>();
      const reportRows: (string | number)[][] = [];
      for (const u of tenant.urls) {
        const sides = {
          service: { pid: service.child.pid!, port: service.port, path: u.url, headers: { cookie } },
          bare: { pid: bare.child.pid!, port: bare.port, path: `/bare/${u.key}`, headers: {} },
        };
        // Warm-up: code paths, plans and caches of both sides.
        for (const side of Object.values(sides)) await loadStep(side.port, side.path, side.headers, 1);
        const steps = { service: [] as Step[], bare: [] as Step[] };
        const loads: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 === 0 ? (['service', 'bare'] as const) : (['bare', 'service'] as const);
          for (const name of order) {
            loads.push(load().split(' / ')[0]!);
            const side = sides[name];
            steps[name].push(await measuredStep(side.pid, side.port, side.path, side.headers, STEP_S));
          }
        }
        const sum = (xs: Step[]) => {
          const count = xs.reduce((a, s) => a + s.count, 0);
          return {
            rps: count / xs.reduce((a, s) => a + s.seconds, 0),
            lat: xs.flatMap((s) => s.latencies),
            // CPU per request: the side's own process, and the database server's processes meanwhile.
            cpu: `${f2(xs.reduce((a, s) => a + s.cpu!.process, 0) / count)} + ${f2(xs.reduce((a, s) => a + s.cpu!.database, 0) / count)}`,
          };
        };
        const sv = sum(steps.service);
        const br = sum(steps.bare);
        const loadText = loads.join(', ');
        if (u.kind === 'list') {
          serviceMedians.set(u.key, median(sv.lat));
          const ratio = sv.rps / br.rps;
          listRows.push([
            u.label,
            loadText,
            f1(sv.rps),
            f1(br.rps),
            f2(ratio),
            `${f1(p99(sv.lat))} / ${f1(p99(br.lat))}`,
            `${sv.cpu} / ${br.cpu}`,
            `≥ ${LIST_GOAL}`,
            ratio >= LIST_GOAL ? 'yes' : 'no',
          ]);
        } else {
          const medRatio = median(sv.lat) / median(br.lat);
          const p99Ratio = p99(sv.lat) / p99(br.lat);
          reportRows.push([
            u.label,
            loadText,
            `${f1(median(sv.lat))} / ${f1(median(br.lat))}`,
            f2(medRatio),
            `${f1(p99(sv.lat))} / ${f1(p99(br.lat))}`,
            f2(p99Ratio),
            `${sv.cpu} / ${br.cpu}`,
            `≤ ${MEDIAN_GOAL}× median, ≤ ${P99_GOAL}× p99`,
            medRatio <= MEDIAN_GOAL && p99Ratio <= P99_GOAL ? 'yes' : 'no',
          ]);
        }
      }
      const how = `${target.label}; one institution with ${tenant.size.toLocaleString('en')} inventory items and ${Math.round(tenant.size * 0.4).toLocaleString('en')} assessments. Per URL: 1 s of warm-up on each side, then ${ROUNDS} rounds of ${STEP_S} s on each side, taking turns (order swapped each round), ${CONNECTIONS} keep-alive connections on loopback sending back to back. "Load before" is the 1-minute load average read before each step. CPU per request: the user and system time the side's own process used during its steps, and the PostgreSQL server's processes meanwhile (all of them, so other work on the server counts too), each divided by the requests answered.`;
      tables.push({
        title: `Inventory list over HTTP, ${tenant.size.toLocaleString('en')} items, on ${target.label}: service / bare route`,
        setup: [how, `Goal: throughput of the service ≥ ${LIST_GOAL}× the bare route's.`, machine(startLoad)].join(' '),
        columns: [
          'page',
          'load before',
          'service req/s',
          'bare req/s',
          'service / bare',
          'p99 ms service / bare',
          CPU_COLUMN,
          'goal',
          'met',
        ],
        rows: listRows,
      });
      const first = serviceMedians.get(`${tenant.size}-list`);
      const last = serviceMedians.get(`${tenant.size}-last`);
      if (first !== undefined && last !== undefined)
        tables.push({
          title: `Inventory list over HTTP, ${tenant.size.toLocaleString('en')} items, on ${target.label}: last page / first page`,
          setup: [
            how,
            `The service's median latency of the last page (asked for by its number, as the pager does) over that of the first page, both from the steps above. Goal: the last page no slower than ${LAST_PAGE_GOAL}× the first.`,
            machine(startLoad),
          ].join(' '),
          columns: ['page', 'median ms last / first', 'ratio', 'goal', 'met'],
          rows: [
            [
              `page ${Math.ceil(tenant.size / 25)} of 25 items`,
              `${f1(last)} / ${f1(first)}`,
              f2(last / first),
              `≤ ${LAST_PAGE_GOAL}`,
              last / first <= LAST_PAGE_GOAL ? 'yes' : 'no',
            ],
          ],
        });
      tables.push({
        title: `Reports and dashboard over HTTP, ${tenant.size.toLocaleString('en')} items, on ${target.label}: service / bare route`,
        setup: [
          how,
          `Latency is per request, from sending it to the last byte of the answer, under that load. Goal: service ≤ ${MEDIAN_GOAL}× the bare route's median and ≤ ${P99_GOAL}× its p99.`,
          machine(startLoad),
        ].join(' '),
        columns: [
          'URL',
          'load before',
          'median ms service / bare',
          'median ratio',
          'p99 ms service / bare',
          'p99 ratio',
          CPU_COLUMN,
          'goal',
          'met',
        ],
        rows: reportRows,
      });
    }
    return tables;
  } finally {
    for (const c of children) await stopChild(c);
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
}
