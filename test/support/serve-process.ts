import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/server/platform/db.js';
import { freePort } from './pg-cluster.js';

/** A `main.ts serve` process of a test, once ready. */
export interface ServeProcess {
  child: ChildProcess;
  /** http://127.0.0.1:port */
  base: string;
  /** Its output so far, stdout and stderr interleaved as written. */
  out: () => string;
  /** Its exit code (null when ended by a signal). */
  exited: Promise<number | null>;
}

/**
 * `main.ts serve` in a child process of its own (through tsx, from the sources), on a free loopback
 * port, with `env` over a test environment (NODE_ENV=test, logs at info, no demo data); resolves once
 * `/readyz` answers 200, and rejects with the process's output if it ends before. The caller stops it.
 */
export async function spawnServe(env: Record<string, string>): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/server/main.ts'), 'serve'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DEMO_SEED: 'false',
      ...env,
    },
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server ended before it was ready:\n${out}`);
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, base, out: () => out, exited };
}
