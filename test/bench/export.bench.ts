/**
 * The full export over HTTP against `psql \copy` of the same rows, on PostgreSQL
 * (`npm run bench -- export`).
 *
 * The service runs as deployed, in a process of its own on the built code (dist/, `serve`, job
 * workers on, as by default; on PostgreSQL the export job runs in a child process the serving
 * process starts, ADR 0019). An export is what a person does: POST /api/v1/exports, its progress
 * asked for until it is ready, then the file downloaded; timed from the POST to the last byte. The
 * reference is `psql` copying, with `\copy`, every row of the institution from each table the
 * export reads (the data elements unnested, as the export lists them) into CSV files, in one psql
 * process; it reads the same rows without the export's joins, names and formatting, so it is the
 * floor. Both take turns (the order swapped each round); the load average is read before each step.
 *
 * The serving process's resident memory (the kernel's VmRSS) is sampled every 50 ms: before the
 * first export, at its peak during each, and 30 s after the last. Goals: each format ≤ 2× `\copy`
 * in the same run (median of the rounds); the serving process adds ≤ 100 MB at its peak and gives
 * it back (≤ 100 MB above before, 30 s after).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { countExportRows } from '../../src/server/modules/exports/full-export.js';
import { unsafeTenantScope } from '../../src/server/platform/db.js';
import { PASSWORD } from '../support/factories.js';
import { createTestApp } from '../support/test-app.js';
import { buildServer, generate } from './reports.bench.js';
import { freePort, load, machine, median, rssOf, servedEnv, stopChild, type BenchTable, type BenchTarget } from './support.js';

const ROUNDS = Number(process.env.BENCH_EXPORT_ROUNDS ?? 3);
const RATIO_GOAL = 2;
const ADDED_GOAL_MB = 100;
const AFTER_S = 30;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Samples `pid`'s resident memory every 50 ms; `peak()` is the highest since the last `reset()`. */
function rssSampler(pid: number) {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      peak = Math.max(peak, await rssOf(pid).catch(() => 0));
      await sleep(50);
    }
  })();
  return {
    reset: () => (peak = 0),
    peak: () => peak,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** The rows of the institution that the export reads, as `\copy` statements (one CSV file each). */
function copyStatements(tenantId: string, dir: string): string[] {
  const t = `'${tenantId}'::uuid`;
  const queries = [
    `select * from institutions where id = ${t}`,
    ...[
      'schools',
      'users',
      'inventory_items',
      'staff_requests',
      'assessments',
      'assessment_revisions',
      'assessment_answers',
      'assessment_risks',
      'assessment_signoffs',
      'attachments',
      'audit_events',
      'report_runs',
    ].map((table) => `select * from ${table} where tenant_id = ${t}`),
    `select i.id, e from inventory_items i cross join unnest(i.data_elements) e where i.tenant_id = ${t}`,
  ];
  return queries.map((q, i) => `\\copy (${q}) to '${path.join(dir, `copy-${i}.csv`)}' with (format csv, header)`);
}

/** One psql process copying every statement; its seconds, from spawning it to its exit. */
async function psqlCopy(url: string, statements: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...statements.flatMap((s) => ['-c', s])], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`psql exited with ${code}`);
  return (performance.now() - t0) / 1000;
}

interface ExportRun {
  seconds: number;
  bytes: number;
}

/** Starts an export, waits until it is ready, downloads it to `file`. */
async function exportOverHttp(base: string, cookie: string, csrf: string, format: 'xlsx' | 'csv', file: string): Promise<ExportRun> {
  const t0 = performance.now();
  const created = await fetch(`${base}/api/v1/exports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
    body: JSON.stringify({ format }),
  });
  if (created.status !== 201 && created.status !== 200 && created.status !== 202)
    throw new Error(`POST /api/v1/exports: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  // As the exports page does: the server answers once the export is ready (or after the wait, with its progress).
  for (;;) {
    const res = await fetch(`${base}/api/v1/exports/${id}?wait=20`, { headers: { cookie } });
    const body = (await res.json()) as { status: string; error: string | null };
    if (body.status === 'ready') break;
    if (body.status !== 'queued' && body.status !== 'running') throw new Error(`export ${id}: ${body.status} ${body.error}`);
    if (performance.now() - t0 > 600_000) throw new Error(`export ${id} not ready in 600 s`);
  }
  const download = await fetch(`${base}/api/v1/exports/${id}/download`, { headers: { cookie } });
  if (download.status !== 200 || !download.body) throw new Error(`download: ${download.status}`);
  const out = createWriteStream(file);
  await pipeline(Readable.fromWeb(download.body as WebReadableStream), out);
  return { seconds: (performance.now() - t0) / 1000, bytes: out.bytesWritten };
}

const mbOf = (bytes: number) => Math.round(bytes / 1024 / 1024);

export async function bench(target: BenchTarget): Promise<BenchTable[]> {
  if (target.kind !== 'postgres') return [];
  await buildServer();
  const t = await createTestApp();
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-export-bench-'));
  let child: ChildProcess | undefined;
  try {
    const url = t.database.url!;
    const t0 = performance.now();
    const { tenantId, siteAdmin } = await generate(t.database.db);
    const generated = (performance.now() - t0) / 1000;
    const total = await countExportRows(t.database.db, unsafeTenantScope(tenantId));
    const port = await freePort();
    child = spawn(process.execPath, [path.join(root, 'dist/server/main.js'), 'serve'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: servedEnv(port, dir, url),
    });
    const served = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      served.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Vetted is running')) resolve();
      });
      served.once('exit', (code) => reject(new Error(`the server exited (${code}):\n${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: siteAdmin.email, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`sign-in: ${login.status} ${await login.text()}`);
    const json = (await login.json()) as { csrfToken?: string; session?: { csrfToken: string } };
    const csrf = json.csrfToken ?? json.session!.csrfToken;
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    const statements = copyStatements(tenantId, dir);

    // Settled after the start (job workers and their first sweep).
    await sleep(5_000);
    const startLoad = load();
    const sampler = rssSampler(served.pid!);
    const before = await rssOf(served.pid!);
    const rows: (string | number)[][] = [];
    const peaks: number[] = [];
    try {
      for (const format of ['xlsx', 'csv'] as const) {
        const file = path.join(dir, `export.${format === 'xlsx' ? 'xlsx' : 'zip'}`);
        // A warm-up of each: code paths and caches of both sides.
        await psqlCopy(url, statements);
        sampler.reset();
        await exportOverHttp(base, cookie, csrf, format, file);
        peaks.push(sampler.peak());
        const copies: number[] = [];
        const exports: ExportRun[] = [];
        const loads: string[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          const order = round % 2 === 0 ? (['copy', 'export'] as const) : (['export', 'copy'] as const);
          for (const side of order) {
            loads.push(load().split(' / ')[0]!);
            if (side === 'copy') copies.push(await psqlCopy(url, statements));
            else {
              sampler.reset();
              exports.push(await exportOverHttp(base, cookie, csrf, format, file));
              peaks.push(sampler.peak());
            }
          }
        }
        const exportS = median(exports.map((e) => e.seconds));
        const copyS = median(copies);
        const ratio = exportS / copyS;
        rows.push([
          format === 'xlsx' ? 'XLSX workbook' : 'zip of CSVs',
          total,
          loads.join(', '),
          `${exportS.toFixed(2)} (${exports.map((e) => e.seconds.toFixed(2)).join(', ')})`,
          `${copyS.toFixed(2)} (${copies.map((c) => c.toFixed(2)).join(', ')})`,
          ratio.toFixed(2),
          `${mbOf(exports[0]!.bytes)} MB`,
          `≤ ${RATIO_GOAL}×`,
          ratio <= RATIO_GOAL ? 'yes' : 'no',
        ]);
      }
    } finally {
      await sampler.stop();
    }
    await sleep(AFTER_S * 1000);
    const after = await rssOf(served.pid!);
    const peak = Math.max(...peaks);
    const added = peak - before;
    const kept = after - before;
    const exportsRun = peaks.length;
    const how = `${target.label}; one institution with 5,000 inventory items, 2,000 assessments (44 answered questions, 3 risks, 2 sign-offs each), 10,000 audit events (generated in ${generated.toFixed(1)} s); ${total.toLocaleString('en')} rows exported. The built server (\`serve\`, NODE_ENV=production, job workers on as by default; the export job runs in a child process the serving process starts, ADR 0019) in a process of its own. An export: POST /api/v1/exports, then GET /api/v1/exports/:id?wait=20 (answered once the export is ready, as the exports page asks), then the file downloaded, timed from the POST to the last byte (it includes the wait for a job worker to take the job). The reference: one \`psql\` process running \`\\copy\` of the institution's rows of every table the export reads (the data elements unnested) into CSV files, without the export's joins, names and formatting. A warm-up of each, then ${ROUNDS} rounds of each taking turns (order swapped each round); medians, each run in brackets. "Load before" is the 1-minute load average read before each step.`;
    return [
      {
        title: `Full export over HTTP against psql \\copy, on ${target.label}`,
        setup: [how, `Goal: ≤ ${RATIO_GOAL}× \`\\copy\` in the same run.`, machine(startLoad)].join(' '),
        columns: ['format', 'rows', 'load before', 'export s', '\\copy s', 'export / \\copy', 'file size', 'goal', 'met'],
        rows,
      },
      {
        title: `Serving process memory during successive exports, on ${target.label}`,
        setup: [
          how,
          `Resident memory (VmRSS) of the serving process (not of the export's own process), sampled every 50 ms: before the first export (5 s after sign-in), its peak during each of the ${exportsRun} exports (both formats, warm-ups included), and ${AFTER_S} s after the last. Goal: ≤ ${ADDED_GOAL_MB} MB added at the peak, and given back (≤ ${ADDED_GOAL_MB} MB above before, ${AFTER_S} s after).`,
          machine(startLoad),
        ].join(' '),
        columns: ['before', 'peak of each export', 'highest peak', 'added', `${AFTER_S} s after`, 'kept', 'goal', 'met'],
        rows: [
          [
            `${mbOf(before)} MB`,
            peaks.map((p) => mbOf(p)).join(', '),
            `${mbOf(peak)} MB`,
            `${mbOf(added)} MB`,
            `${mbOf(after)} MB`,
            `${mbOf(kept)} MB`,
            `≤ ${ADDED_GOAL_MB} MB added, given back`,
            added <= ADDED_GOAL_MB * 1024 * 1024 && kept <= ADDED_GOAL_MB * 1024 * 1024 ? 'yes' : 'no',
          ],
        ],
      },
    ];
  } finally {
    if (child) await stopChild(child);
    await t.close();
    await rm(dir, { recursive: true, force: true });
  }
}
