import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Local PostgreSQL clusters and PgBouncers for the scale suites: started on free loopback ports in a
 * temporary folder, as the `postgres` operating-system user when the tests run as root (initdb and
 * pgbouncer refuse root), trust authentication on loopback only. Everything started is stopped by
 * `stop()`, which the suites call in `afterAll` and on failure.
 */

const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

/** Why the scale suites cannot run here, or null when they can. */
export function missingScaleTools(opts: { pgbouncer?: boolean } = {}): string | null {
  for (const tool of ['initdb', 'pg_ctl', 'pg_basebackup']) {
    if (!existsSync(path.join(PG_BIN, tool))) return `the PostgreSQL binaries are missing (no ${tool} in ${PG_BIN}; set PG_BIN)`;
  }
  if (opts.pgbouncer && !PGBOUNCER) return 'pgbouncer is not installed (apt-get install pgbouncer)';
  if (process.getuid?.() === 0 && !existsSync('/usr/sbin/runuser'))
    return 'running as root without runuser to start PostgreSQL as postgres';
  return null;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const asRoot = process.getuid?.() === 0;
/** A command line as the `postgres` user when we are root. */
function command(file: string, args: string[]): [string, string[]] {
  return asRoot ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function run(file: string, args: string[]): Promise<string> {
  const [f, a] = command(file, args);
  return new Promise((resolve, reject) =>
    execFile(f, a, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${path.basename(file)} failed: ${stderr || err.message}`)) : resolve(stdout),
    ),
  );
}

/** A folder the `postgres` user owns. */
async function ownedFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  if (asRoot) await new Promise<void>((res, rej) => execFile('chown', ['-R', 'postgres:postgres', dir], (e) => (e ? rej(e) : res())));
  return dir;
}

export interface Cluster {
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:port/<db> */
  url(db?: string): string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The SQL answer of one statement, as the superuser. */
  query<T = Record<string, unknown>>(text: string, db?: string): Promise<T[]>;
}

function clusterAt(dataDir: string, port: number): Cluster {
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`;
  let running = false;
  return {
    port,
    dataDir,
    url,
    async start() {
      await run(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-l', path.join(dataDir, 'server.log'), '-w', '-t', '120', 'start']);
      running = true;
    },
    async stop() {
      if (!running) return;
      running = false;
      await run(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '120', 'stop']).catch(() => undefined);
    },
    async query<T>(text: string, db?: string) {
      const client = new pg.Client({ connectionString: url(db) });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    },
  };
}

/** A new cluster (initdb) on a free port, started, ready for streaming replication. */
export async function startCluster(): Promise<Cluster & { remove(): Promise<void> }> {
  const root = await ownedFolder('vetted-pg-');
  const dataDir = path.join(root, 'data');
  await run(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const conf = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${root}'`,
    'wal_level = replica',
    'max_wal_senders = 4',
    'hot_standby = on',
    'fsync = off',
    'shared_buffers = 64MB',
    'max_connections = 60',
  ];
  await run('/bin/sh', ['-c', `printf '%s\\n' ${conf.map((l) => `"${l}"`).join(' ')} >> ${dataDir}/postgresql.conf`]);
  await run('/bin/sh', ['-c', `printf 'host replication postgres 127.0.0.1/32 trust\\n' >> ${dataDir}/pg_hba.conf`]);
  const cluster = clusterAt(dataDir, port);
  await cluster.start();
  return { ...cluster, remove: () => removeFolder(cluster, root) };
}

/** A streaming standby of `primary` (pg_basebackup -R), on its own free port, started. */
export async function startStandby(primary: Cluster): Promise<Cluster & { remove(): Promise<void> }> {
  const root = await ownedFolder('vetted-standby-');
  const dataDir = path.join(root, 'data');
  await run(path.join(PG_BIN, 'pg_basebackup'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dataDir,
    '-R',
    '-X',
    'stream',
  ]);
  const port = await freePort();
  await run('/bin/sh', ['-c', `printf '%s\\n' "port = ${port}" "unix_socket_directories = '${root}'" >> ${dataDir}/postgresql.conf`]);
  const cluster = clusterAt(dataDir, port);
  await cluster.start();
  return { ...cluster, remove: () => removeFolder(cluster, root) };
}

async function removeFolder(cluster: Cluster, root: string): Promise<void> {
  await cluster.stop();
  await rm(root, { recursive: true, force: true });
}

export interface Bouncer {
  port: number;
  url(db: string): string;
  stop(): Promise<void>;
}

/**
 * PgBouncer in transaction pooling mode in front of `cluster`, on a free port: few server
 * connections, so that many clients' transactions take turns on each of them.
 */
export async function startPgBouncer(cluster: Cluster, opts: { poolSize?: number } = {}): Promise<Bouncer> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed');
  const root = await ownedFolder('vetted-pgbouncer-');
  const port = await freePort();
  const ini = [
    '[databases]',
    `* = host=127.0.0.1 port=${cluster.port}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${root}`,
    'auth_type = trust',
    `auth_file = ${root}/users.txt`,
    'pool_mode = transaction',
    `default_pool_size = ${opts.poolSize ?? 3}`,
    'max_client_conn = 500',
    'server_reset_query = DISCARD ALL',
    'ignore_startup_parameters = extra_float_digits,options',
    `logfile = ${root}/pgbouncer.log`,
    `pidfile = ${root}/pgbouncer.pid`,
  ].join('\n');
  await writeFile(path.join(root, 'pgbouncer.ini'), ini + '\n');
  await writeFile(path.join(root, 'users.txt'), '"postgres" ""\n');
  if (asRoot) await new Promise<void>((res, rej) => execFile('chown', ['-R', 'postgres:postgres', root], (e) => (e ? rej(e) : res())));
  const [f, a] = command(PGBOUNCER, [path.join(root, 'pgbouncer.ini')]);
  const child: ChildProcess = spawn(f, a, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = (db: string) => `postgres://postgres@127.0.0.1:${port}/${db}`;
  // Ready once it answers a query through it.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`pgbouncer ended: ${out}`);
    const probe = new pg.Client({ connectionString: url('postgres') });
    const ok = await probe
      .connect()
      .then(() => probe.query('select 1'))
      .then(
        () => true,
        () => false,
      );
    await probe.end().catch(() => undefined);
    if (ok) break;
    if (attempt > 200) throw new Error(`pgbouncer did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    url,
    async stop() {
      if (child.exitCode === null) {
        // The pid of pgbouncer itself (runuser's child when started as root).
        const pid = Number((await readFile(path.join(root, 'pgbouncer.pid'), 'utf8').catch(() => '')).trim());
        if (pid) process.kill(pid, 'SIGINT');
        else child.kill('SIGINT');
        await exited;
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Waits until `ok()` holds, checking every 100 ms, at most `seconds` (generous: a busy machine). */
export async function waitUntil(what: string, ok: () => Promise<boolean>, seconds = 120): Promise<void> {
  for (let i = 0; i < seconds * 10; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}
