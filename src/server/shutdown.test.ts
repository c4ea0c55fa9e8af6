import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { CLI_TEST_TIMEOUT, itRunsCli } from '../../test/support/cli.js';
import { spawnServe, type ServeProcess } from '../../test/support/serve-process.js';

const started: { child: ChildProcess; dir: string }[] = [];

/** `main.ts serve` in its own process on a free port, with an empty embedded database, once ready. */
async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-shutdown-'));
  try {
    const server = await spawnServe({ DATA_DIR: dir, ...env });
    started.push({ child: server.child, dir });
    return server;
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

afterEach(async () => {
  for (const { child, dir } of started.splice(0)) {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});

describe('shutdown', () => {
  itRunsCli(
    'on SIGTERM reports not ready while still serving, then stops cleanly',
    async () => {
      const server = await serve({ SHUTDOWN_DRAIN_SECONDS: '4', SHUTDOWN_TIMEOUT_SECONDS: '60' });
      server.child.kill('SIGTERM');
      // While draining: not ready, yet every request is still answered.
      let ready = 200;
      for (let i = 0; i < 40 && ready !== 503; i++) {
        ready = (await fetch(`${server.base}/readyz`)).status;
        if (ready !== 503) await new Promise((r) => setTimeout(r, 50));
      }
      expect(ready).toBe(503);
      expect(await (await fetch(`${server.base}/readyz`)).json()).toEqual({ status: 'draining' });
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.base}/api/v1/session`)).status).toBe(401);
      expect(await server.exited).toBe(0);
      expect(server.out()).toContain('draining');
      // Gone: nothing listens any more.
      await expect(fetch(`${server.base}/healthz`)).rejects.toThrow();
    },
    CLI_TEST_TIMEOUT,
  );

  itRunsCli(
    'ends the process at the bound even when draining would take longer',
    async () => {
      const server = await serve({ SHUTDOWN_DRAIN_SECONDS: '120', SHUTDOWN_TIMEOUT_SECONDS: '2' });
      server.child.kill('SIGTERM');
      // Exit code 1 and the message: the bound ended it, not the end of the 120 s drain.
      expect(await server.exited).toBe(1);
      expect(server.out()).toContain('shutdown took more than 2 s');
    },
    CLI_TEST_TIMEOUT,
  );
});
