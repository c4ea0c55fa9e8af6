import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/server/platform/db.js';
import { totpCode } from './factories.js';
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

/** A person signed in to a spawned process over HTTP: the session cookie and CSRF token on every call. */
export interface HttpClient {
  /** `name=value` of the session cookie. */
  cookie: string;
  csrf: string;
  /** A call to `base` (any process of the same cell: the session lives in the database). */
  request(base: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Response>;
}

/**
 * Signs `email` in through `base`'s login route, over HTTP, completing two-step enrolment when it
 * applies (platform admins on their first sign-in), with the code of the secret the server gives.
 */
export async function httpSignIn(base: string, email: string, password: string): Promise<HttpClient> {
  const post = (url: string, body: unknown, cookie?: string) =>
    fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const cookieOf = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0];
  let res = await post('/api/v1/session', { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  let json = (await res.json()) as { mfa?: 'verify' | 'enrol'; csrfToken?: string; session?: { csrfToken: string } };
  if (json.mfa) {
    if (json.mfa !== 'enrol') throw new Error('sign-in needs a two-step code this helper does not have');
    const challenge = cookieOf(res, 'vetted_mfa')!;
    const enrol = await post('/api/v1/session/mfa/enrolment', {}, challenge);
    const { secret } = (await enrol.json()) as { secret: string };
    res = await post('/api/v1/session/mfa/enrolment/confirm', { code: totpCode(secret) }, challenge);
    if (res.status !== 200) throw new Error(`two-step enrolment failed: ${res.status} ${await res.text()}`);
    json = (await res.json()) as typeof json;
  }
  const cookie = cookieOf(res, 'vetted_session')!;
  const csrf = json.csrfToken ?? json.session!.csrfToken;
  return {
    cookie,
    csrf,
    request: (target, method, url, body) =>
      fetch(`${target}${url}`, {
        method,
        headers: {
          cookie,
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
  };
}
