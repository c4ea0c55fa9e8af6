import { spawn } from 'node:child_process';
import path from 'node:path';
import { it } from 'vitest';
import { projectRoot } from '../../src/server/platform/db.js';

/**
 * `it` for a test that runs a command in a child process: skipped under mutation testing
 * (VETTED_MUTATION_RUN, see stryker.config.mjs), where the child would run the code unmutated and only
 * cost time.
 */
export const itRunsCli = process.env.VETTED_MUTATION_RUN ? it.skip : it;

/** Generous: a command spawned on a loaded two-core machine compiles and starts slowly. */
export const CLI_TEST_TIMEOUT = 240_000;

/**
 * Runs `main.ts <args>` in a child process (through tsx, as `npm run` does from the sources) and
 * returns its exit code and output (stdout then stderr, interleaved as written).
 */
export function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/server/main.ts'), ...args], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}
