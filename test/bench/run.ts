/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (each exports `bench(target)`, returning one
 * or more tables) on each database — the embedded PGlite always, and a PostgreSQL server when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names one: a connection to a database of that server,
 * through which each bench creates, then drops, a database of its own. Each bench runs on each
 * database in a process of its own, so memory figures start clean. The tables are written to
 * docs/benchmarks.md. Targets are ratios and limits measured in one run, never timed assertions in
 * tests.
 *
 *   npm run bench                     every bench, every database; writes docs/benchmarks.md
 *   npm run bench -- http             only the benches whose file name contains "http": their
 *                                     sections of docs/benchmarks.md are replaced, the rest kept
 *   BENCH_DATABASES=pglite npm run bench -- lifecycle
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchTable, BenchTarget } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const TARGETS: Record<BenchTarget['kind'], BenchTarget & { url: string | undefined }> = {
  pglite: { kind: 'pglite', label: 'PGlite (embedded, in memory)', url: undefined },
  postgres: { kind: 'postgres', label: 'PostgreSQL server (local)', url: pgUrl },
};

/** In a child: runs one bench on one database and leaves its tables in BENCH_OUT. */
async function child(file: string, kind: BenchTarget['kind'], out: string): Promise<void> {
  const { url: _url, ...target } = TARGETS[kind];
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as {
    bench: (target: BenchTarget) => Promise<BenchTable | BenchTable[]>;
  };
  const result = await mod.bench(target);
  await writeFile(out, JSON.stringify(Array.isArray(result) ? result : [result]));
}

async function runChild(file: string, target: BenchTarget & { url: string | undefined }, out: string): Promise<BenchTable[]> {
  // The test database helpers open PGlite, or a fresh database on the server TEST_DATABASE_URL names.
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_CHILD: `${file}:${target.kind}`, BENCH_OUT: out };
  if (target.url) env.TEST_DATABASE_URL = target.url;
  else delete env.TEST_DATABASE_URL;
  const code = await new Promise<number | null>((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { env, stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`${file} on ${target.label} failed (exit code ${code})`);
  return JSON.parse(await readFile(out, 'utf8')) as BenchTable[];
}

if (process.env.BENCH_CHILD) {
  const [file, kind] = process.env.BENCH_CHILD.split(':') as [string, BenchTarget['kind']];
  await child(file, kind, process.env.BENCH_OUT!);
} else {
  const wanted = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
  const targets = Object.values(TARGETS).filter((t) => wanted.includes(t.kind) && (t.kind === 'pglite' || t.url));
  const only = process.argv[2];
  const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-bench-run-'));
  const tables: BenchTable[] = [];
  try {
    for (const file of files) {
      for (const target of targets) {
        process.stdout.write(`running ${file} on ${target.label}\n`);
        tables.push(...(await runChild(file, target, path.join(dir, `${file}.${target.kind}.json`))));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const sectionOf = (t: BenchTable) =>
    [
      `## ${t.title}`,
      '',
      t.setup,
      '',
      `| ${t.columns.join(' | ')} |`,
      `| ${t.columns.map(() => '---').join(' | ')} |`,
      ...t.rows.map((r) => `| ${r.join(' | ')} |`),
      '',
    ].join('\n');
  const docs = path.join(here, '../../docs/benchmarks.md');
  if (only) {
    // A run of some benches replaces their sections of the file (same title) and adds the new ones.
    const current = await readFile(docs, 'utf8').catch(() => '# Benchmarks\n');
    const [head, ...rest] = current.split(/^(?=## )/m);
    const sections = new Map(rest.map((s) => [s.slice(3, s.indexOf('\n')), s.endsWith('\n\n') ? s : `${s}\n`]));
    for (const t of tables) sections.set(t.title, `${sectionOf(t)}\n`);
    const merged = `${head}${[...sections.values()].join('')}`.replace(/\n+$/, '\n');
    await writeFile(docs, merged);
    process.stdout.write(tables.map(sectionOf).join('\n') + '\n');
    process.exit(0);
  }
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}).`,
    '',
    'The machine is shared with other work: absolute times move with its load, given in each table as the load average at the start and the end of the measurement (above the number of cores, processes queue for a core). Ratios compare figures taken in the same rounds, one after the other, so load weighs on both sides alike.',
    '',
    ...(targets.some((t) => t.kind === 'postgres')
      ? []
      : ['PostgreSQL was not measured: set BENCH_DATABASE_URL to a server to add its tables.', '']),
    ...tables.map(sectionOf),
  ].join('\n');
  await writeFile(docs, md);
  process.stdout.write(md + '\n');
}
