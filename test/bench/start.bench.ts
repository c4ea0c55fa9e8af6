/**
 * The embedded start of an institution with 5,000 apps (`npm run bench -- start`, PGlite only): a
 * data folder is migrated and filled (5,000 inventory items, 2,000 assessments, 10,000 audit events),
 * then the built server (`dist/`, `serve`, as `npm start` runs it once built: its Node options and
 * environment) is started on it in a process of its own, several times one after the other. "To ready" is from the process's start to
 * /readyz answering 200; "at rest" is its resident memory (the kernel's VmRSS) 10 s later with no
 * request. Goal: ≤ 5 s to ready and ≤ 250 MB at rest.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { hasEmbeddedDatabase, openDatabase } from '../../src/server/platform/db.js';
import { buildServer, generate } from './reports.bench.js';
import {
  freePort,
  load,
  machine,
  median,
  rssOf,
  servedEnv,
  spawnUntilReady,
  startScript,
  stopGroup,
  type BenchTable,
  type BenchTarget,
} from './support.js';

const STARTS = Number(process.env.BENCH_START_RUNS ?? 3);
const READY_GOAL_S = 5;
const REST_GOAL_MB = 250;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Starts the server on `dataDir`; its seconds to ready and its memory at rest. */
async function startOnce(dataDir: string): Promise<{ ready: number; rest: number }> {
  const port = await freePort();
  // Started as `npm start` starts it, with the embedded database (no DATABASE_URL).
  const { env, nodeArgs } = startScript();
  const { child, seconds } = await spawnUntilReady(
    process.execPath,
    [...nodeArgs, path.join(root, 'dist/server/main.js'), 'serve'],
    { ...servedEnv(port, dataDir), ...env },
    port,
  );
  try {
    await sleep(10_000);
    return { ready: seconds, rest: await rssOf(child.pid!) };
  } finally {
    await stopGroup(child);
  }
}

export async function bench(target: BenchTarget): Promise<BenchTable[]> {
  if (target.kind !== 'pglite') return [];
  await buildServer();
  // BENCH_START_DIR: a folder kept between runs (filled on the first).
  const kept = process.env.BENCH_START_DIR;
  const dir = kept ?? (await mkdtemp(path.join(tmpdir(), 'vetted-start-bench-')));
  try {
    if (!kept || !hasEmbeddedDatabase(dir)) {
      const database = await openDatabase({ dataDir: dir });
      await database.migrate();
      await generate(database.db, 5000, 2000);
      await database.close();
    }
    const startLoad = load();
    const loads: string[] = [];
    const runs: { ready: number; rest: number }[] = [];
    for (let i = 0; i < STARTS; i++) {
      loads.push(load().split(' / ')[0]!);
      runs.push(await startOnce(dir));
    }
    const ready = median(runs.map((r) => r.ready));
    const rest = median(runs.map((r) => r.rest)) / 1024 / 1024;
    return [
      {
        title: 'Embedded start with a 5,000-app institution (PGlite, data folder)',
        setup: [
          `One institution with 5,000 inventory items and 2,000 assessments in a PGlite data folder; the built server (\`serve\`) started on it ${STARTS} times one after the other, each in a process of its own. To ready: from the process's start to /readyz answering 200. At rest: its resident memory (VmRSS) 10 s after ready, with no request. Medians of the starts; each start's figures in the detail. "Load before" is the 1-minute load average read before each start.`,
          machine(startLoad),
        ].join(' '),
        columns: ['what', 'load before', 'measured (median)', 'each start', 'goal', 'met'],
        rows: [
          [
            'time to ready',
            loads.join(', '),
            `${ready.toFixed(1)} s`,
            runs.map((r) => r.ready.toFixed(1)).join(', '),
            `≤ ${READY_GOAL_S} s`,
            ready <= READY_GOAL_S ? 'yes' : 'no',
          ],
          [
            'memory at rest',
            loads.join(', '),
            `${Math.round(rest)} MB`,
            runs.map((r) => Math.round(r.rest / 1024 / 1024)).join(', '),
            `≤ ${REST_GOAL_MB} MB`,
            rest <= REST_GOAL_MB ? 'yes' : 'no',
          ],
        ],
      },
    ];
  } finally {
    if (!kept) await rm(dir, { recursive: true, force: true });
  }
}
