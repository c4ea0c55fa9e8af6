/**
 * The sign-in page as a browser meets it, and `npm start` on an already built copy
 * (`npm run bench -- web`, PGlite only: the embedded database is what `npm start` runs on).
 *
 * Page: the built app (`dist/`, made or checked by scripts/build-if-changed.mjs first) is served by
 * `node dist/server/main.js serve` in a process of its own, embedded database in a fresh data
 * folder, and the sign-in page is loaded in Debian's Chromium (playwright-core, never a downloaded
 * browser). Each cold load is a fresh browser context (empty cache); the bytes are what Chromium
 * counted on the wire per response (CDP Network.loadingFinished encodedDataLength: headers and
 * compressed body), First Contentful Paint is the browser's 'paint' entry. A last load reuses the
 * context of a cold one: what it transfers is what a returning reader pays.
 *
 * Start: `npm start` (build-if-changed, then `serve`) on the built copy and a data folder a first
 * start has created and filled with demo data, from spawn to /readyz answering 200; the same for
 * build-if-changed alone and `serve` alone, each round running the three one after the other.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { freePort, load, machine, median, servedEnv, spawnUntilReady, stopGroup, type BenchTable, type BenchTarget } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE_LOADS = Number(process.env.BENCH_WEB_LOADS ?? 7);
const STARTS = Number(process.env.BENCH_WEB_STARTS ?? 3);
const KB = 1024;
const SCRIPT_GOAL_KB = 150;
const ALL_GOAL_KB = 250;
const FCP_GOAL_MS = 300;
const START_GOAL_S = 5;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

/** Runs a command to its end; rejects on a non-zero exit. */
async function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}`);
}

interface Response {
  url: string;
  mime: string;
  encoding: string;
  cacheControl: string;
  fromCache: boolean;
  bytes: number;
}

/**
 * Loads `url` in a page of `context`; what each response cost on the wire, the page's FCP (since the
 * page's frame, ADR 0023, the frame painted from the page before its scripts run), and when the form
 * was drawn: the start of the first frame after a button of the client's appeared in #root, visible.
 */
async function loadPage(context: BrowserContext, url: string): Promise<{ responses: Response[]; fcp: number; formDrawn: number }> {
  const page = await context.newPage();
  // Before the page's own scripts (the browser runs it in every page; the policy does not apply).
  await page.addInitScript(() => {
    const w = window as unknown as { formDrawnAt?: number };
    const observer = new MutationObserver(() => {
      const button = document.querySelector('#root button');
      if (!button || button.getBoundingClientRect().height === 0) return;
      observer.disconnect();
      requestAnimationFrame((time) => (w.formDrawnAt = time));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  const cdp = await context.newCDPSession(page);
  const pending = new Map<string, Omit<Response, 'bytes'>>();
  const responses: Response[] = [];
  cdp.on('Network.responseReceived', (e) => {
    // Inline data: URLs (images in the style sheet) never cross the network.
    if (e.response.url.startsWith('data:')) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    pending.set(e.requestId, {
      url: e.response.url,
      mime: e.response.mimeType,
      encoding: headers['content-encoding'] ?? 'none',
      cacheControl: headers['cache-control'] ?? '',
      fromCache: Boolean(e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker),
    });
  });
  cdp.on('Network.requestServedFromCache', (e) => {
    const r = pending.get(e.requestId);
    if (r) r.fromCache = true;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = pending.get(e.requestId);
    if (r) responses.push({ ...r, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.getByRole('button').first().waitFor();
  const fcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entry = list.getEntriesByName('first-contentful-paint')[0];
          if (entry) resolve(entry.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
  // (No named function inside: tsx would wrap it in a helper the page does not have.)
  const formDrawn = await page.evaluate(async () => {
    const w = window as unknown as { formDrawnAt?: number };
    while (w.formDrawnAt === undefined) await new Promise((resolve) => requestAnimationFrame(resolve));
    return w.formDrawnAt;
  });
  await page.close();
  return { responses, fcp, formDrawn };
}

const isScript = (r: Response) => r.mime.includes('javascript') || /\.m?js(\?|$)/.test(r.url);
const isHashed = (r: Response) => /\/assets\/[^/]+-[\w-]{8,}\.\w+(\?|$)/.test(r.url);
const sum = (rs: Response[]) => rs.reduce((s, r) => s + r.bytes, 0);

/** "br: 4 files, 120.3 KB; none: 1 file, 0.8 KB" */
function byEncoding(rs: Response[]): string {
  const groups = new Map<string, Response[]>();
  for (const r of rs) groups.set(r.encoding, [...(groups.get(r.encoding) ?? []), r]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([enc, g]) => `${enc}: ${g.length} file${g.length === 1 ? '' : 's'}, ${kb(sum(g))}`)
    .join('; ');
}

async function pageTable(browser: Browser, url: string): Promise<BenchTable> {
  const startLoad = load();
  const rows: (string | number)[][] = [];
  const loads: string[] = [];
  const fcps: number[] = [];
  const forms: number[] = [];
  let first: Response[] = [];
  let hashed: Response[] = [];
  for (const locale of ['en-CA', 'fr-CA'] as const) {
    const context = await browser.newContext({ locale });
    try {
      const { responses } = await loadPage(context, url);
      const script = sum(responses.filter(isScript));
      const all = sum(responses);
      const lang = locale.startsWith('fr') ? 'French' : 'English';
      rows.push(
        [
          `script on the wire, ${lang} reader`,
          '-',
          kb(script),
          byEncoding(responses.filter(isScript)),
          `≤ ${SCRIPT_GOAL_KB} KB`,
          script <= SCRIPT_GOAL_KB * KB ? 'yes' : 'no',
        ],
        [
          `all on the wire, ${lang} reader`,
          '-',
          kb(all),
          `${responses.length} responses; ${byEncoding(responses)}`,
          `≤ ${ALL_GOAL_KB} KB`,
          all <= ALL_GOAL_KB * KB ? 'yes' : 'no',
        ],
      );
      if (locale === 'en-CA') first = responses;
      hashed.push(...responses.filter(isHashed));
    } finally {
      await context.close();
    }
  }
  hashed = [...new Map(hashed.map((r) => [r.url, r])).values()];
  const immutable = hashed.filter((r) => /\bimmutable\b/.test(r.cacheControl) && /max-age=31536000/.test(r.cacheControl));
  const controls = [...new Set(hashed.map((r) => r.cacheControl))].join(', ');
  rows.push([
    'hashed assets cached for good',
    '-',
    `${immutable.length} of ${hashed.length}`,
    controls,
    'all `immutable`',
    hashed.length > 0 && immutable.length === hashed.length ? 'yes' : 'no',
  ]);

  // First Contentful Paint: each load in a fresh context, cache empty.
  for (let i = 0; i < PAGE_LOADS; i++) {
    loads.push(load().split(' / ')[0]!);
    const context = await browser.newContext({ locale: 'en-CA' });
    try {
      const { fcp, formDrawn } = await loadPage(context, url);
      fcps.push(fcp);
      forms.push(formDrawn);
    } finally {
      await context.close();
    }
  }
  const fcp = median(fcps);
  rows.push([
    'First Contentful Paint, cache empty (median)',
    loads.join(', '),
    `${Math.round(fcp)} ms`,
    `each load: ${fcps.map((f) => Math.round(f)).join(', ')} ms`,
    `≤ ${FCP_GOAL_MS} ms (quiet machine)`,
    fcp <= FCP_GOAL_MS ? 'yes' : 'no',
  ]);
  // What FCP paints now is the page's frame; the form a reader can use comes with the scripts.
  const form = median(forms);
  rows.push([
    'sign-in form drawn (first button visible), cache empty (median)',
    loads.join(', '),
    `${Math.round(form)} ms`,
    `each load: ${forms.map((f) => Math.round(f)).join(', ')} ms`,
    'none',
    '-',
  ]);

  // A returning reader: the same context loads the page a second time.
  const context = await browser.newContext({ locale: 'en-CA' });
  try {
    await loadPage(context, url);
    const warm = (await loadPage(context, url)).responses;
    const html = warm.filter((r) => r.mime.includes('html'));
    const assets = warm.filter(isHashed);
    const api = warm.filter((r) => new URL(r.url).pathname.startsWith('/api/'));
    const other = warm.filter((r) => !html.includes(r) && !assets.includes(r) && !api.includes(r));
    const names = (rs: Response[]) => rs.map((r) => new URL(r.url).pathname).join(', ');
    rows.push([
      'on the wire with a warm cache',
      '-',
      kb(sum(warm)),
      [
        `page ${kb(sum(html))}`,
        `${assets.length} hashed assets ${kb(sum(assets))} (${assets.filter((r) => r.fromCache).length} from the cache)`,
        `API calls ${kb(sum(api))} (${names(api)})`,
        ...(other.length ? [`other ${kb(sum(other))} (${names(other)})`] : []),
      ].join('; '),
      'page and API calls only: no hashed asset fetched again',
      assets.length > 0 && sum(assets) === 0 ? 'yes' : 'no',
    ]);
  } finally {
    await context.close();
  }

  return {
    title: 'Sign-in page in the browser (built app, Chromium)',
    setup: [
      `The built app (\`dist/\`, checked by build-if-changed first) served by \`node dist/server/main.js serve\` in a process of its own with the embedded database in a fresh data folder, as \`npm start\` runs it (production mode refuses the embedded database; it changes nothing in what the page is sent), on loopback. The sign-in page (${new URL(url).pathname}) loaded in Debian's Chromium ${browser.version()} through playwright-core (headless, no GPU, no QUIC, no background networking), until the network is idle and its first button is drawn.`,
      `Bytes: what Chromium counted on the wire per response (CDP Network.loadingFinished encodedDataLength: headers and compressed body), cache empty (a fresh browser context), once for a reader whose browser asks for English and once for French; per content encoding in the detail (${first.length} responses for the English reader). 1 KB = 1,024 bytes.`,
      `FCP: the browser's first-contentful-paint entry, from navigation start, median of ${PAGE_LOADS} loads each in a fresh context; it is the page's frame (the header and a loading status, painted from the page before its scripts run, ADR 0023). Form drawn: in the same loads, from navigation start to the first animation frame after the client's first button appeared in the page, visible (a mutation observer the browser runs before the page's scripts). "Load before" is the 1-minute load average read before each load. Warm cache: a context that has loaded the page once loads it again.`,
      machine(startLoad),
    ].join(' '),
    columns: ['what', 'load before', 'measured', 'detail', 'goal', 'met'],
    rows,
  };
}

/** The environment `npm start` runs with on a developer's copy: its data folder, no secrets given. */
function startEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env = servedEnv(port, dataDir);
  // Stopping between runs need not wait the drain a load balancer would.
  env.SHUTDOWN_DRAIN_SECONDS = '0';
  delete env.SESSION_SECRET;
  delete env.SECRETS_KEY;
  delete env.BACKUP_MASTER_KEY;
  return { ...env, HOME: process.env.HOME };
}

async function startTable(dataDir: string): Promise<BenchTable> {
  const script = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  // A first start creates the data folder and its demo data, as on a new copy.
  {
    const port = await freePort();
    const { child } = await spawnUntilReady('npm', ['start'], startEnv(port, dataDir), port);
    await stopGroup(child);
  }
  const startLoad = load();
  const loads: string[] = [];
  const npmStart: number[] = [];
  const check: number[] = [];
  const serve: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    loads.push(load().split(' / ')[0]!);
    let port = await freePort();
    const a = await spawnUntilReady('npm', ['start'], startEnv(port, dataDir), port);
    npmStart.push(a.seconds);
    await stopGroup(a.child);

    const t0 = performance.now();
    await run(process.execPath, ['scripts/build-if-changed.mjs']);
    check.push((performance.now() - t0) / 1000);

    port = await freePort();
    const b = await spawnUntilReady(process.execPath, ['dist/server/main.js', 'serve'], startEnv(port, dataDir), port);
    serve.push(b.seconds);
    await stopGroup(b.child);
  }
  const row = (what: string, xs: number[], goal: number | undefined) => {
    const m = median(xs);
    return [
      what,
      loads.join(', '),
      `${m.toFixed(2)} s`,
      xs.map((x) => x.toFixed(2)).join(', '),
      goal === undefined ? 'none' : `≤ ${goal} s`,
      goal === undefined ? '-' : m <= goal ? 'yes' : 'no',
    ];
  };
  return {
    title: '`npm start` on an already built copy (embedded database)',
    setup: [
      `\`npm start\` (\`${script}\`) on a copy whose dist/ was built from these sources, with a data folder (embedded database) that a first start created and filled with demo data; no secrets given, so the server reads those it keeps in the data folder, as on a developer's copy. Timed from spawn to /readyz answering 200, ${STARTS} rounds; in each round \`npm start\`, build-if-changed alone (to its exit: the hash of every input file compared with the build's) and \`serve\` alone run one after the other. Medians; each run in the detail. "Load before" is the 1-minute load average read before each round.`,
      machine(startLoad),
    ].join(' '),
    columns: ['what', 'load before', 'measured (median)', 'each run', 'goal', 'met'],
    rows: [
      row('`npm start`, spawn to ready', npmStart, START_GOAL_S),
      row('build-if-changed alone, nothing changed', check, undefined),
      row('`serve` alone, spawn to ready', serve, undefined),
    ],
  };
}

export async function bench(target: BenchTarget): Promise<BenchTable[]> {
  if (target.kind !== 'pglite') return [];
  // The copy is built as `npm start` would build it (nothing happens when dist/ matches the sources).
  await run(process.execPath, ['scripts/build-if-changed.mjs']);
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-web-bench-'));
  try {
    const port = await freePort();
    const { child } = await spawnUntilReady(
      process.execPath,
      ['dist/server/main.js', 'serve'],
      { ...servedEnv(port, path.join(dir, 'page')), SHUTDOWN_DRAIN_SECONDS: '0' },
      port,
    );
    let page: BenchTable;
    try {
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
      try {
        page = await pageTable(browser, `http://127.0.0.1:${port}/sign-in`);
      } finally {
        await browser.close();
      }
    } finally {
      await stopGroup(child);
    }
    return [page, await startTable(path.join(dir, 'start'))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
