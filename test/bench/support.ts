/** What the benches share: table and target types, timing, memory and machine-load helpers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

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

/** A TCP port free on loopback now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The resident memory (bytes) of process `pid`, as the kernel counts it (VmRSS). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/**
 * The environment of the built server (`dist/server/main.js serve`) started by a bench on `port`:
 * fresh secrets, logs at `warn`, its files under `dataDir`; PostgreSQL when `databaseUrl` is given
 * (in production mode), else the embedded database in `dataDir`, as `npm start` runs it.
 */
export function servedEnv(port: number, dataDir: string, databaseUrl?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    ...(databaseUrl ? { NODE_ENV: 'production', DATABASE_URL: databaseUrl } : {}),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: randomBytes(24).toString('hex'),
    SECRETS_KEY: randomBytes(32).toString('base64'),
    BACKUP_MASTER_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited in 30 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
  });
}

/** Clock ticks per second of the kernel's CPU time counters (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/**
 * CPU time (ms, user and system) process `pid` has used so far; with `reaped`, also what its children
 * used that it has waited for (the kernel's cutime and cstime).
 */
export async function cpuMsOf(pid: number, reaped = false): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
  return (ticks * 1000) / TICKS_PER_S;
}

/**
 * CPU time (ms) used so far by every process named `name` (e.g. the PostgreSQL server's `postgres`
 * processes), with what their exited children used: a backend that ends between two readings moves
 * its time into the postmaster's count of reaped children, so the difference of two readings never
 * loses it (summing the living processes alone went negative when backends ended during a step).
 */
export async function cpuMsOfAll(name: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (stat?.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === name) total += await cpuMsOf(Number(entry), true).catch(() => 0);
  }
  return total;
}

/**
 * How `npm start` runs the built server (package.json's start script: the environment it sets before
 * `node`, and the Node options between `node` and `dist/server/main.js`), so a bench of the embedded
 * start runs it the same way.
 */
export function startScript(): { env: Record<string, string>; nodeArgs: string[] } {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const match = /((?:\b[A-Z][A-Z0-9_]*=\S+\s+)*)\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\/main\.js serve/.exec(pkg.scripts.start);
  if (!match) throw new Error(`package.json's start script does not run dist/server/main.js serve: ${pkg.scripts.start}`);
  const words = (text: string) => text.trim().split(/\s+/).filter(Boolean);
  const env = Object.fromEntries(words(match[1]!).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { env, nodeArgs: words(match[2]!) };
}

/** The project's root folder, where the benches start the built server. */
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Spawns a command in a process group of its own (npm and sh start children of their own) and
 * resolves with the seconds from spawn to /readyz answering 200 on `port`.
 */
export async function spawnUntilReady(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ child: ChildProcess; seconds: number }> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: projectRoot, env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited (${child.exitCode})`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return { child, seconds: (performance.now() - t0) / 1000 };
      if (performance.now() - t0 > 180_000) throw new Error(`${cmd} ${args.join(' ')}: not ready in 180 s`);
      await sleep(25);
    }
  } catch (err) {
    await stopGroup(child);
    throw err;
  }
}

/**
 * Stops the process group a detached child leads (SIGTERM, then SIGKILL after 30 s) and waits until
 * none of its processes is left: npm exits before the server it started has closed its database.
 */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const signal = (sig: NodeJS.Signals | 0) => {
    try {
      process.kill(-child.pid!, sig);
      return true;
    } catch {
      return false; // No process left in the group.
    }
  };
  signal('SIGTERM');
  const t0 = performance.now();
  while (signal(0)) {
    if (performance.now() - t0 > 30_000) signal('SIGKILL');
    await sleep(50);
  }
}
