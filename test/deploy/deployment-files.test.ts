/**
 * The deployment files, checked where no container runtime runs: deploy/compose.yaml (parsed as
 * YAML, its merge keys resolved), the Dockerfiles and the systemd units. Each service the
 * operations guide names is there; the service and the worker start on the environment the compose
 * file gives them (the app's own configuration check, in production, is the judge); every file and
 * build context they name exists; the image's command and the units' commands are commands of the
 * app's command line, which lists them itself when asked for one it does not know.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/server/platform/config.js';
import { projectRoot } from '../../src/server/platform/db.js';
import { CLI_TEST_TIMEOUT, itRunsCli, runCli } from '../support/cli.js';

const deployDir = path.join(projectRoot, 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
}

async function compose(): Promise<{ services: Record<string, Service>; volumes: Record<string, unknown> }> {
  return parse(await readFile(path.join(deployDir, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
}

/** The instructions of a Dockerfile, continuation lines joined, comments left out. */
async function dockerfile(file: string): Promise<{ op: string; args: string }[]> {
  const text = (await readFile(file, 'utf8')).replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

/** The values an operator's .env file would give (compose's `${NAME:?…}` and `${NAME:-default}`). */
const operatorEnv: Record<string, string> = {
  POSTGRES_PASSWORD: 'postgres-password-for-the-check',
  REPLICATION_PASSWORD: 'replication-password-for-the-check',
  SESSION_SECRET: 'session-secret-for-the-check-session-secret',
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  BACKUP_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
};

function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([?-])([^}]*))?\}/g, (_m, name: string, kind?: string, rest?: string) => {
    const given = operatorEnv[name];
    if (given !== undefined) return given;
    if (kind === '?') throw new Error(`${name} is required by the compose file but the check gives no value for it`);
    return kind === '-' ? (rest ?? '') : '';
  });
}

/** The environment a container of `service` starts with: the image's ENV, then the compose file's. */
async function environmentOf(service: Service): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const { op, args } of await dockerfile(path.join(projectRoot, 'Dockerfile'))) {
    if (op !== 'ENV') continue;
    for (const pair of args.split(/\s+/)) {
      const [k, v] = pair.split('=');
      env[k!] = v!;
    }
  }
  for (const [k, v] of Object.entries(service.environment ?? {})) env[k] = interpolate(String(v));
  return env;
}

/** Where a Dockerfile's sources (COPY without --from) come from, relative to its build context. */
async function copySources(file: string): Promise<string[]> {
  return (await dockerfile(file))
    .filter(({ op, args }) => op === 'COPY' && !args.includes('--from='))
    .flatMap(({ args }) => {
      const parts = args.split(/\s+/).filter((p) => !p.startsWith('--'));
      return parts.slice(0, -1);
    });
}

const jsonArray = (args: string) => JSON.parse(args) as string[];

describe('deploy/compose.yaml', () => {
  it('runs the service, a worker, PgBouncer, a PostgreSQL primary and its replica and a mail catcher', async () => {
    const { services } = await compose();
    expect(Object.keys(services).sort()).toEqual(['app', 'mailpit', 'pgbouncer', 'postgres-primary', 'postgres-replica', 'worker']);
    expect(services.app!.command).toEqual(['serve']);
    expect(services.worker!.command).toEqual(['worker']);
    // The service leaves the jobs to the worker.
    expect(services.app!.environment!.JOB_WORKERS).toBe('false');
    expect(services.worker!.environment!.JOB_WORKERS).toBeUndefined();
    for (const name of ['app', 'worker']) {
      const env = services[name]!.environment!;
      expect(new URL(interpolate(String(env.DATABASE_URL))).host).toBe('pgbouncer:6432');
      expect(new URL(interpolate(String(env.READ_DATABASE_URL))).host).toBe('pgbouncer:6432');
      expect(env.SMTP_HOST).toBe('mailpit');
      expect(services[name]!.depends_on).toHaveProperty('pgbouncer');
    }
    expect(services['postgres-primary']!.image).toBe('postgres:15');
    expect(services['postgres-replica']!.image).toBe('postgres:15');
    expect(services['postgres-replica']!.depends_on).toHaveProperty('postgres-primary');
    expect(services['postgres-primary']!.command!.join(' ')).toContain('wal_level=replica');
    const pgbouncerIni = await readFile(path.join(deployDir, 'pgbouncer', 'pgbouncer.ini'), 'utf8');
    expect(pgbouncerIni).toMatch(/^pool_mode\s*=\s*transaction$/m);
  });

  it('gives the service and the worker every setting they need to start in production', async () => {
    const { services } = await compose();
    for (const name of ['app', 'worker']) {
      const env = await environmentOf(services[name]!);
      expect(env.NODE_ENV).toBe('production');
      // The app's own check at start: it throws, naming each setting, on anything missing or malformed.
      const config = loadConfig(env);
      expect(config.isProduction).toBe(true);
      expect(config.databaseUrl).toContain('@pgbouncer:6432/vetted');
      expect(config.readReplica?.url).toContain('@pgbouncer:6432/vetted_replica');
      // Debian's PgBouncer in transaction mode does not follow prepared statements between server connections.
      expect(config.preparedStatements).toBe(false);
      expect(config.smtp).toMatchObject({ host: 'mailpit', port: 1025 });
      expect(config.host).toBe('0.0.0.0');
    }
    // And the check can fail: without a secret the compose file leaves to the operator, no start.
    const env = await environmentOf(services.app!);
    delete env.SECRETS_KEY;
    expect(() => loadConfig(env)).toThrow(/SECRETS_KEY/);
  });

  it('names only build contexts, Dockerfiles and mounted files that exist, and volumes it declares', async () => {
    const { services, volumes } = await compose();
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        const context = path.resolve(deployDir, service.build.context);
        expect(existsSync(context), `${name}: build context ${service.build.context}`).toBe(true);
        const file = path.join(context, service.build.dockerfile ?? 'Dockerfile');
        expect(existsSync(file), `${name}: ${file}`).toBe(true);
        for (const source of await copySources(file)) {
          expect(existsSync(path.join(context, source)), `${name}: COPY ${source}`).toBe(true);
        }
      } else {
        expect(service.image, `${name} has an image or a build`).toBeTruthy();
      }
      for (const volume of service.volumes ?? []) {
        const [from] = volume.split(':') as [string];
        if (from.startsWith('.') || from.startsWith('/')) {
          expect(existsSync(path.resolve(deployDir, from)), `${name}: mounts ${from}`).toBe(true);
        } else {
          expect(Object.keys(volumes), `${name}: volume ${from}`).toContain(from);
        }
      }
    }
  });

  it('checks the health of the service at /readyz, which answers 503 while it drains', async () => {
    const { services } = await compose();
    // The service's health is the image's check unless the compose file gives its own.
    const own = services.app!.healthcheck?.test?.join(' ');
    const image = (await dockerfile(path.join(projectRoot, 'Dockerfile'))).find((i) => i.op === 'HEALTHCHECK')!.args;
    expect(own ?? image).toContain('/readyz');
    expect(own ?? image).not.toContain('/healthz');
    // The worker serves no HTTP: its check is off rather than failing.
    expect(services.worker!.healthcheck).toEqual({ disable: true });
    expect(services['postgres-primary']!.healthcheck?.test?.join(' ')).toContain('pg_isready');
  });
});

describe('the image and the systemd units', () => {
  it('copies only sources that exist, and starts the built server', async () => {
    const file = path.join(projectRoot, 'Dockerfile');
    for (const source of await copySources(file)) expect(existsSync(path.join(projectRoot, source)), `COPY ${source}`).toBe(true);
    const instructions = await dockerfile(file);
    const entrypoint = jsonArray(instructions.find((i) => i.op === 'ENTRYPOINT')!.args);
    expect(entrypoint).toEqual(['node', 'dist/server/main.js']);
    // dist/server/main.js is what `npm run build` makes of src/server/main.ts.
    expect(existsSync(path.join(projectRoot, 'src/server/main.ts'))).toBe(true);
    const tsconfig = JSON.parse(await readFile(path.join(projectRoot, 'tsconfig.server.json'), 'utf8')) as {
      compilerOptions: { outDir: string };
    };
    expect(path.normalize(tsconfig.compilerOptions.outDir)).toBe(path.normalize('dist'));
    expect(jsonArray(instructions.find((i) => i.op === 'CMD')!.args)).toEqual(['serve']);
  });

  itRunsCli(
    'runs commands the app has: the image’s and each unit’s',
    async () => {
      // The command line lists its commands when given one it does not know.
      const { code, out } = await runCli(['no-such-command'], {});
      expect(code).toBe(2);
      const listed = /Use: ([a-z| -]+)/.exec(out)![1]!.split('|').map((c) => c.trim());
      expect(listed).toEqual(expect.arrayContaining(['serve', 'worker', 'migrate']));

      const wanted: { where: string; command: string }[] = [];
      const instructions = await dockerfile(path.join(projectRoot, 'Dockerfile'));
      wanted.push({ where: 'Dockerfile CMD', command: jsonArray(instructions.find((i) => i.op === 'CMD')!.args)[0]! });
      const { services } = await compose();
      for (const name of ['app', 'worker']) wanted.push({ where: `compose ${name}`, command: services[name]!.command![0]! });
      for (const unit of ['vetted-serve.service', 'vetted-worker.service']) {
        const text = await readFile(path.join(deployDir, 'systemd', unit), 'utf8');
        const exec = /^ExecStart=(.+)$/m.exec(text)![1]!.split(/\s+/);
        expect(exec.slice(0, 2), unit).toEqual(['/usr/bin/node', '/opt/vetted/dist/server/main.js']);
        wanted.push({ where: unit, command: exec[2]! });
        expect(text).toMatch(/^KillSignal=SIGTERM$/m);
      }
      for (const { where, command } of wanted) expect(listed, where).toContain(command);
      expect(wanted.map((w) => w.command)).toEqual(['serve', 'serve', 'worker', 'serve', 'worker']);
    },
    CLI_TEST_TIMEOUT,
  );
});
