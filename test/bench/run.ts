/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` (each exports `bench(): Promise<BenchTable>`)
 * and writes their tables to docs/benchmarks.md. Targets are ratios and limits measured in one run,
 * never timed assertions in tests.
 */
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface BenchTable {
  title: string;
  /** What was measured and how (data size, database, repetitions). */
  setup: string;
  columns: string[];
  rows: (string | number)[][];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
const tables: BenchTable[] = [];
for (const file of files) {
  process.stdout.write(`running ${file}\n`);
  const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { bench: () => Promise<BenchTable | BenchTable[]> };
  const result = await mod.bench();
  tables.push(...(Array.isArray(result) ? result : [result]));
}
const md = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${process.platform}/${process.arch}).`,
  '',
  ...tables.flatMap((t) => [
    `## ${t.title}`,
    '',
    t.setup,
    '',
    `| ${t.columns.join(' | ')} |`,
    `| ${t.columns.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ]),
].join('\n');
if (!only) await writeFile(path.join(here, '../../docs/benchmarks.md'), md);
process.stdout.write(md + '\n');
