/** What the benches share: table and target types, timing, memory and machine-load helpers. */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

export interface BenchTable {
  title: string;
  /** What was measured and how (data size, database, repetitions, machine load). */
  setup: string;
  columns: string[];
  rows: (string | number)[][];
}

/** A database the benches run on (run.ts points the test database helpers at it). */
export interface BenchTarget {
  kind: 'pglite' | 'postgres';
  /** How the tables name it. */
  label: string;
}

/** The 1, 5 and 15 minute load averages (the machine is shared with other work). */
export function load(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/** One sentence on the machine and its load at the start and the end of a measurement. */
export function machine(loadAtStart: string): string {
  return `Machine: ${cpus().length} CPU cores; load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${load()} at the end.`;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The median time (ms) of each function over `runs` rounds after `warmups`; within a round they run
 * one after the other, so the machine's load weighs on all of them alike.
 */
export async function timeAlternately(fns: readonly (() => Promise<unknown>)[], runs: number, warmups = 3): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < warmups + runs; i++) {
    for (const [j, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      if (i >= warmups) times[j]!.push(performance.now() - t0);
    }
  }
  return times.map(median);
}

/** Runs `fn` while sampling the process's resident memory every 10 ms. */
export async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number; before: number; seconds: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peak, before, seconds: (performance.now() - t0) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

export const mb = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MB`;
