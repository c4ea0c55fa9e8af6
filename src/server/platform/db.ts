import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePg, NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import * as schema from '../db/schema/index.js';
import { pgCode } from './errors.js';

/** node-postgres' own conversion of a parameter to what it sends (dates, arrays, JSON, buffers). */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

export type Schema = typeof schema;
/** A drizzle database over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle; every repo call takes one. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** The open database and how to close it. */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** The connection pool behind a PostgreSQL database (none for the embedded one). */
const pools = new WeakMap<object, pg.Pool>();

/** Clients of the database's pool: open, idle, and requests waiting for one; null for the embedded database. */
export function poolStatsOf(db: Db): { total: number; idle: number; waiting: number } | null {
  const pool = pools.get(db);
  return pool ? { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount } : null;
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The committed SQL migrations (same folder for the source and the built server). */
export const migrationsFolder = path.join(projectRoot, 'src/server/db/migrations');

/**
 * The embedded database's settings. PostgreSQL's default 128 MB of shared buffers is allocated in
 * PGlite's WebAssembly memory at start, for a database that serves one institution's few tens of
 * megabytes from a process that also reads the same files through the operating system's cache:
 * 32 MB halved the process's memory at rest, and 16 MB takes about 25 MB more off it (measured on a
 * 5,000-app institution; see docs/benchmarks.md). PGlite's WebAssembly memory cannot start below its
 * 128 MB, but pages never touched are not resident.
 */
const EMBEDDED_OPTIONS = { postgresqlconf: ['shared_buffers = 16MB'] };

/**
 * Applies the pending migrations on PostgreSQL, one process at a time, in one transaction that first
 * takes a transaction-scoped advisory lock: processes migrating the same database (instances started
 * together) wait for each other instead of both running the same pending migration. Everything,
 * drizzle's own bookkeeping included, runs in that transaction, so it works through a pooler in
 * transaction mode (PgBouncer), where a session lock could be taken on one server connection and
 * released on another. The roles the first migration creates and grants belong to the whole
 * cluster, where no lock of one database reaches: two databases first migrated together on one
 * cluster can meet there, and the loser's transaction fails with a unique violation or "tuple
 * concurrently updated". It is rolled back whole, so it is run again.
 */
async function migratePostgres(pool: pg.Pool): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const client = await pool.connect();
  try {
    const db = drizzlePg(client);
    for (let attempt = 1; ; attempt++) {
      try {
        await db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('vetted.migrations', 0))`);
          // drizzle's migrator, its steps (bookkeeping table, last migration, pending ones) in this transaction.
          const session = {
            execute: (query: SQL) => tx.execute(query),
            all: async (query: SQL) => (await tx.execute(query)).rows,
            transaction: <T>(fn: (inner: typeof tx) => Promise<T>) => fn(tx),
          };
          await new PgDialect().migrate(migrations, session as unknown as Parameters<PgDialect['migrate']>[1], { migrationsFolder });
        });
        return;
      } catch (err) {
        if (attempt >= 5 || !isClusterCatalogRace(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  } finally {
    client.release();
  }
}

/** A conflict on a cluster-wide catalog row (a role, a role membership) with another database's migration. */
function isClusterCatalogRace(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    const { code, constraint } = e as { code?: string; constraint?: string };
    if (code === '23505' && constraint?.startsWith('pg_auth')) return true;
    if (code === 'XX000' && /tuple concurrently (updated|deleted)/.test(e.message)) return true;
  }
  return false;
}

/** Opens PostgreSQL when a URL is given, else the embedded PGlite database under `dataDir/pglite`. */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  inMemory?: boolean;
  /** In-memory only: start from this dump of a data directory (tests load a migrated one). */
  loadDataDir?: Blob;
  /** Where lost connections are reported (PostgreSQL); nothing is logged without it. */
  log?: DbLogger;
  /** PostgreSQL: the most connections the pool opens (10 unless told). */
  poolSize?: number;
  /** PostgreSQL: prepare the statements a request's reads send once per connection (true unless told; see `preparedName`). */
  preparedStatements?: boolean;
}): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    survivesLostConnections(pool, opts.log);
    const pgDb = drizzlePg(pool, { schema });
    const db = pgDb as unknown as Db;
    if (opts.preparedStatements ?? true) preparing.add(db);
    settingsTransactions.set(db, postgresSettingsTransaction(pool, pgDb));
    pools.set(db, pool);
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(pool),
      close: () => pool.end(),
    };
  }
  let release = (): void => {};
  let client: PGlite;
  if (opts.inMemory) {
    client = new PGlite({ ...EMBEDDED_OPTIONS, ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  } else {
    const dir = path.join(opts.dataDir ?? './data', 'pglite');
    mkdirSync(dir, { recursive: true });
    release = takeLock(path.join(path.dirname(dir), 'pglite.lock'));
    try {
      client = new PGlite(dir, EMBEDDED_OPTIONS);
      await client.waitReady;
    } catch (err) {
      release();
      throw err;
    }
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** What the database logs lost connections with (pino's and fastify's loggers fit). */
export interface DbLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * The server can end any connection at any time (`pg_terminate_backend`, a failover, a restart). A
 * node-postgres client that loses its connection emits 'error', and an 'error' event nobody listens
 * to ends the process. The pool listens only while a client is idle (and then drops it); a client
 * checked out by a transaction has no listener between its queries, so one is attached to every
 * client for its whole life: the error is logged (its code and text, never the connection string)
 * and the client, no longer queryable, is dropped by the pool when it is released. The failed
 * query itself rejects, and the request answers 503 `unavailable` (see http.ts).
 */
function survivesLostConnections(pool: pg.Pool, log: DbLogger | undefined): void {
  pool.on('connect', (client) => {
    let reported = false;
    client.on('error', (err: Error & { code?: string }) => {
      // A terminated backend sends its reason, then the socket closes: one line per connection.
      if (reported) return;
      reported = true;
      log?.warn({ db: { code: err.code, message: err.message } }, 'database connection lost; the pool drops it');
    });
  });
  // The pool re-emits an idle client's error, already reported above: without a listener it would end the process.
  pool.on('error', () => {});
}

/**
 * PGlite has no cross-process lock: two processes on one folder would corrupt it. A lock file holding
 * our pid refuses a second process; a lock left by a dead process is taken over.
 */
function takeLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database in ${path.dirname(file)} is in use by process ${pid}. Stop it first, or set DATA_DIR to another folder.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the database lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

declare const scopeBrand: unique symbol;
/** The tenant a unit of work is confined to. Built only from an Actor (see authz) or by system code. */
export interface TenantScope {
  readonly tenantId: string;
  readonly [scopeBrand]: true;
}

/** Builds a scope. Only authz.scopeOf and system code (jobs, seeding, operator console) may call it. */
export function unsafeTenantScope(tenantId: string): TenantScope {
  return { tenantId } as TenantScope;
}

/**
 * Runs `fn` in one transaction confined to `scope`: as the `vetted_app` role with `app.tenant_id`
 * set transaction-locally, so row-level security hides every other tenant's rows.
 * `asyncCommit`: the commit does not wait for the write-ahead log to reach the disk — only for
 * writes whose loss in a crash is acceptable (a report's run count), never for records or audit.
 * `readOnly`: `fn` only reads. Either way, in a request's held transaction the answer does not wait
 * for the commit (see runInHeld).
 */
export async function withTenant<T>(
  db: Db,
  scope: TenantScope,
  fn: (tx: Tx) => Promise<T>,
  opts: { asyncCommit?: boolean; readOnly?: boolean } = {},
): Promise<T> {
  return transactionWith(db, tenantSettings(scope, opts.asyncCommit === true), fn, opts.readOnly === true);
}

/**
 * Runs `fn` in one transaction whose transaction-local `settings` (SQL text this module writes: the
 * role, and the tenant) are applied first, as one simple-protocol message, and any error in them
 * seen before `fn` sends anything. Every unit of work (tenant, system, shared) opens this way.
 */
async function transactionWith<T>(db: Db, settings: string, fn: (tx: Tx) => Promise<T>, readOnly = false): Promise<T> {
  const held = requestScopes.getStore()?.held;
  if (held?.state === 'ready' && held.db === db) return runInHeld(held, settings, fn, readOnly);
  const begin = settingsTransactions.get(db);
  if (begin) return begin(settings, fn);
  return db.transaction(async (tx) => {
    await execSimple(tx, settings);
    return fn(tx);
  });
}

type SettingsTransaction = <T>(settings: string, fn: (tx: Tx) => Promise<T>) => Promise<T>;
/** How each PostgreSQL database opens a transaction with settings (PGlite's go through drizzle's). */
const settingsTransactions = new WeakMap<Db, SettingsTransaction>();

/**
 * A transaction on PostgreSQL opened with one message that holds BEGIN and the settings: every
 * request pays three round trips (begin, statement, commit) instead of four. The handle is
 * drizzle's own transaction over the pooled client, so `fn` cannot tell it from `db.transaction`'s.
 */
function postgresSettingsTransaction(pool: pg.Pool, pgDb: ReturnType<typeof drizzlePg<Schema>>): SettingsTransaction {
  const dialect = (pgDb as unknown as { dialect: ConstructorParameters<typeof NodePgSession>[1] }).dialect;
  // No relational query builders in these handles: no code uses drizzle's relational queries
  // (`tx.query.<table>.findMany`; test/project/relational-queries.test.ts), and building one per
  // table for every transaction showed in a list request's CPU profile.
  const relations = undefined;
  transactionHandles.set(
    pgDb as unknown as Db,
    (client) => new NodePgTransaction(dialect, new NodePgSession(client, dialect, relations, {}), relations) as unknown as Tx,
  );
  return async (settings, fn) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    // A connection lost while checked out is heard by the listener every pooled client carries
    // (survivesLostConnections); no longer queryable, it is dropped by the pool at release.
    const scope = requestScopes.getStore();
    const guard = scope?.guard?.state === 'unchecked' ? scope.guard.check.inline : null;
    try {
      await client.query(`begin; ${settings}${guard ? `; ${guard}` : ''}`).then(
        () => guard && settleGuard(scope!, null),
        (err: unknown) => {
          if (guard) settleGuard(scope!, err);
          throw err;
        },
      );
      const tx = new NodePgTransaction(dialect, new NodePgSession(client, dialect, relations, {}), relations) as unknown as Tx;
      const result = await fn(tx);
      await client.query('commit');
      return result;
    } catch (err) {
      // A failed rollback means a broken connection: it is dropped, not handed back to the pool.
      await client.query('rollback').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    } finally {
      client.release(broken);
    }
  };
}

/**
 * A request's transaction, opened by its authentication and held open for the request's first unit
 * of work (PostgreSQL only). `ready`: open, nothing running in it; `taken`: a unit of work runs in it
 * and ends it; `ended`: committed or rolled back, its client back in the pool.
 */
interface HeldTransaction {
  db: Db;
  client: pg.PoolClient;
  tx: Tx;
  /** The transaction-local settings in force, as the text `transactionWith` would be given for them. */
  settings: string;
  state: 'ready' | 'taken' | 'ended';
  /**
   * The unit of work that took it, when its answer need not wait for its commit (it only reads, or
   * its writes are committed asynchronously): its last statement may carry the commit (`lastRows`).
   */
  unit: { asyncCommit: boolean } | null;
  /** Its last statement was sent with the commit: nothing more may be sent on it. */
  carried: boolean;
  /** Its commit once sent by `endRequestTransaction`, answered or failed. */
  ending?: Promise<void>;
  /** Its prepared statements are planned for each run (`leadFor`). */
  customPlans?: boolean;
  /** Its connection is dropped, not given back to the pool, when it ends. */
  broken?: Error;
}

/** What one request may hold. */
interface RequestScope {
  held: HeldTransaction | null;
  /** Its person wrote recently: their reads go to the primary, never a replica (see replica.ts). */
  primaryReads?: boolean;
  /**
   * Its session was taken from the serving process's cache (`deferSessionCheck`): until the guard has
   * passed once, every transaction the request opens on the primary runs it before anything else.
   */
  guard?: { check: SessionGuard; state: 'unchecked' | 'passed' | 'changed' };
}

/**
 * A statement that raises SQLSTATE VT401 unless the request's session and its user are still the rows
 * the cache holds (ADR 0027), with its values, and as text with its values written in for a
 * simple-protocol message (the caller checks them).
 */
export interface SessionGuard {
  text: string;
  values: string[];
  inline: string;
}

/** The SQLSTATE of a session guard that found the session changed. */
const SESSION_CHANGED = 'VT401';

/** Records what a guard's message told: passed when it was answered, changed when the guard raised. */
function settleGuard(scope: RequestScope, err: unknown): void {
  const guard = scope.guard;
  if (!guard || guard.state !== 'unchecked') return;
  if (!err) guard.state = 'passed';
  else if (pgCode(err) === SESSION_CHANGED) guard.state = 'changed';
}

/** True when the current request's session, taken from the cache, was found changed by its guard: a read is then answered afresh. */
export function sessionChangedInThisRequest(): boolean {
  return requestScopes.getStore()?.guard?.state === 'changed';
}
const requestScopes = new AsyncLocalStorage<RequestScope>();

/**
 * Runs `fn` (and everything it starts) in a new request scope, where `openTransaction` may hold a
 * transaction for the request's first unit of work. Returns the scope's `reenter`, which runs a
 * callback back inside the scope: an HTTP server calls it once the body is read, since the stream's
 * events come from the connection's scope, not the request's.
 */
export function runRequest(fn: () => void): { reenter(cb: () => void): void } {
  let resource!: AsyncResource;
  requestScopes.run({ held: null }, () => {
    // Made inside the scope, so that re-entering through it finds the scope again.
    resource = new AsyncResource('vetted-request');
    fn();
  });
  return { reenter: (cb) => resource.runInAsyncScope(cb) };
}

/**
 * Ends the request's held transaction if no unit of work took it: committed (it holds the session's
 * `last_seen_at` touch at most), its client released. Called before the response is sent, and again
 * (a no-op then) when the request ends or is aborted, so no client outlives its request. Never throws:
 * a failed commit drops the client.
 */
export async function endRequestTransaction(): Promise<void> {
  const held = requestScopes.getStore()?.held;
  if (!held) return;
  if (held.state === 'ready') {
    held.state = 'ended';
    held.ending = finish(held, true).catch(() => undefined);
  }
  // A later call waits for the commit too: a session check it carried must be answered before the response leaves.
  await held.ending;
}

/**
 * After the request's session guard found its session changed: ends what the request holds (nothing
 * was sent on it) and forgets the guard, so the session can be read afresh (`openTransaction`) and
 * the request answered again.
 */
export async function restartRequestTransaction(): Promise<void> {
  const scope = requestScopes.getStore();
  if (!scope) return;
  const held = scope.held;
  if (held?.state === 'ready') {
    held.state = 'ended';
    await finish(held, false).catch(() => undefined);
  }
  scope.held = null;
  scope.guard = undefined;
}

/** Commits (or rolls back) a held transaction and gives its client back; a client that failed is dropped. */
async function finish(held: HeldTransaction, commit: boolean, beforeCommit = ''): Promise<void> {
  let broken: Error | undefined;
  try {
    await held.client.query(commit ? `${beforeCommit}commit` : 'rollback');
  } catch (err) {
    broken = err as Error;
    if (commit) await held.client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    held.client.release(broken ?? held.broken);
  }
}

/**
 * Runs a unit of work in the request's held transaction, then ends it, as its own transaction would
 * have: committed when `fn` returns, rolled back when it throws. Settings other than those in force
 * are applied first (the tenant cleared, then set again by `settings` if it names one).
 */
async function runInHeld<T>(held: HeldTransaction, settings: string, fn: (tx: Tx) => Promise<T>, readOnly: boolean): Promise<T> {
  held.state = 'taken';
  // An asynchronous commit is only read when committing: it rides with the commit, not a message of its own.
  const asyncCommit = settings === `${held.settings}; ${ASYNC_COMMIT}`;
  held.unit = readOnly || asyncCommit ? { asyncCommit } : null;
  let result: T;
  try {
    if (settings !== held.settings && !asyncCommit) await held.client.query(`set local app.tenant_id = ''; ${settings}`);
    result = await fn(held.tx);
  } catch (err) {
    held.state = 'ended';
    // A last statement that carried the commit has ended the transaction (or rolled it back) already.
    if (!held.carried) await finish(held, false).catch(() => undefined);
    throw err;
  }
  held.state = 'ended';
  if (held.carried) return result;
  const committed = finish(held, true, asyncCommit ? `${ASYNC_COMMIT}; ` : '');
  // A unit that only read (its transaction holding the session's touch at most), or whose writes may
  // be lost in a crash (an asynchronous commit), has nothing the answer must wait for: it is sent while
  // the commit travels, saving the request a round trip. The client goes back to the pool once the
  // commit is answered; a failed commit drops it (finish) and loses nothing a person was told was kept.
  if (readOnly || asyncCommit) {
    committed.catch(() => undefined);
    return result;
  }
  await committed;
  return result;
}

/**
 * A streaming replica of a PostgreSQL database (opened by replica.ts), where `withTenantRead` may
 * send a unit of work that only reads.
 */
export interface ReadReplica {
  db: Db;
  /** True when reads may go to the replica now: reachable, and its replay within the lag bound (cached briefly). */
  usable(): Promise<boolean>;
  /** A read on the replica failed: true (and the replica set aside) when for want of a connection, so the read goes to the primary. */
  failed(err: unknown): boolean;
  /** Where one read went. */
  counted(target: 'replica' | 'primary'): void;
}
const replicas = new WeakMap<Db, ReadReplica>();

/** Lets reads of `primary` go to `replica` (`withTenantRead`). */
export function attachReadReplica(primary: Db, replica: ReadReplica): void {
  replicas.set(primary, replica);
}

/** The replica attached to a database, if any. */
export function readReplicaOf(primary: Db): ReadReplica | undefined {
  return replicas.get(primary);
}

/** The current request's reads go to the primary: its person reads their own writes. */
export function readFromPrimaryInThisRequest(): void {
  const scope = requestScopes.getStore();
  if (scope) scope.primaryReads = true;
}

/**
 * `withTenant` for a unit of work that only reads (reports, exports, public lists): on the attached
 * replica when it is usable and the request's person has not written lately, with the same
 * transaction-local tenant settings and row-level security; on the primary otherwise, and when the
 * replica's connection fails mid-read. `fn` must not write: the replica refuses it.
 */
export async function withTenantRead<T>(db: Db, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const replica = replicas.get(db);
  if (!replica) return withTenant(db, scope, fn, { readOnly: true });
  const request = requestScopes.getStore();
  if (!request?.primaryReads && (await replica.usable())) {
    // The request's transaction on the primary (its session read) ends first: a request holds one
    // connection at a time. A session taken from the cache is checked by that commit, on the primary.
    await endRequestTransaction();
    if (request?.guard?.state === 'changed')
      throw Object.assign(new Error('The session changed since it was read'), { code: SESSION_CHANGED });
    if (request?.guard?.state !== 'unchecked') {
      try {
        const result = await transactionWith(replica.db, tenantSettings(scope, false), fn);
        replica.counted('replica');
        return result;
      } catch (err) {
        if (!replica.failed(err)) throw err;
      }
    }
  }
  replica.counted('primary');
  return withTenant(db, scope, fn, { readOnly: true });
}

/**
 * `withTenant` for a long read that must see the database at one instant (the full export): on
 * PostgreSQL one read-only REPEATABLE READ transaction on the primary, with the same role, tenant
 * settings and row-level security, never a request's held transaction (whose snapshot is taken).
 * Null on the embedded database, whose single connection would be held by it for the whole read: the
 * caller reads there in short transactions instead, so that requests interleave.
 */
export async function withTenantSnapshot<T>(db: Db, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<{ value: T } | null> {
  const begin = settingsTransactions.get(db);
  if (!begin) return null;
  return { value: await begin(`${SNAPSHOT_READ}; ${tenantSettings(scope, false)}`, fn) };
}

/** The first statement of a snapshot read: before any query, as PostgreSQL requires. */
const SNAPSHOT_READ = 'set transaction isolation level repeatable read, read only';

/** A snapshot's name as `pg_export_snapshot` writes it (hexadecimal parts joined by dashes). */
const SNAPSHOT_NAME = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

/**
 * `withTenantSnapshot` over `count` connections that all see the database at the same instant: the
 * first transaction exports its snapshot (`pg_export_snapshot`) and each other one imports it
 * before its first query (`set transaction snapshot`), as pg_dump's parallel jobs do. All are
 * read-only REPEATABLE READ transactions under the tenant's role and settings. One long read can
 * then have the database work on one connection while the process reads another. Null on the
 * embedded database (see withTenantSnapshot).
 */
export async function withTenantSnapshots<T>(
  db: Db,
  scope: TenantScope,
  count: number,
  fn: (txs: Tx[]) => Promise<T>,
  /** More `set local` statements for every one of the transactions (the export's planner settings). */
  settingsToo = '',
): Promise<{ value: T } | null> {
  const begin = settingsTransactions.get(db);
  if (!begin) return null;
  const settings = settingsToo ? `${tenantSettings(scope, false)}; ${settingsToo}` : tenantSettings(scope, false);
  const value = await begin(`${SNAPSHOT_READ}; ${settings}`, async (first) => {
    if (count <= 1) return fn([first]);
    const [row] = await queryRows<{ name: string }>(first, sql`select pg_export_snapshot() as name`);
    const name = row?.name ?? '';
    if (!SNAPSHOT_NAME.test(name)) throw new Error('PostgreSQL named the exported snapshot in an unknown form');
    const more = async (txs: Tx[]): Promise<T> =>
      txs.length === count
        ? fn(txs)
        : begin(`${SNAPSHOT_READ}; set transaction snapshot '${name}'; ${settings}`, (tx) => more([...txs, tx]));
    return more([first]);
  });
  return { value };
}

/** The connection string of a PostgreSQL database (null for the embedded one): another process opens its own pool with it. */
export function connectionStringOf(db: Db): string | null {
  return pools.get(db)?.options.connectionString ?? null;
}

/** A row of the statement `openTransaction` was given, as the driver parsed it. */
export type RawRow = Record<string, unknown>;

/**
 * Opens a transaction with one message: `begin`, the `vetted_system` role, `select` (one statement
 * this module's callers write as text, no parameters, which must set `app.tenant_id` transaction-
 * locally with `set_config` from the row it reads), then the `vetted_app` role. Returns its rows.
 *
 * On PostgreSQL inside a request scope (`runRequest`) with a row read, the transaction is held: the
 * request's first unit of work (`withTenant`, `withShared`, `withSystem`) runs in it and ends it, so
 * a signed-in read costs this message, its queries and the commit. `tenantOf(row)` names the tenant
 * that `select` set (null for none): the settings in force. Elsewhere (PGlite, no request, no row)
 * the message ends with `commit`.
 */
export async function openTransaction(db: Db, select: string, tenantOf: (row: RawRow) => string | null): Promise<RawRow[]> {
  const text = `begin; set local role vetted_system; ${select}; set local role vetted_app`;
  const pool = pools.get(db);
  const scope = requestScopes.getStore();
  if (!pool || !scope || scope.held) return rowsOf(await simpleQuery(db, `${text}; commit`));
  const client = await pool.connect();
  let rows: RawRow[];
  try {
    rows = rowsOf(await client.query(text));
  } catch (err) {
    let broken: Error | undefined;
    await client.query('rollback').catch((rollbackErr: Error) => (broken = rollbackErr));
    client.release(broken);
    throw err;
  }
  if (rows.length !== 1) {
    holdTransaction(scope, db, client, '');
    await endRequestTransaction();
    return rows;
  }
  const tenantId = tenantOf(rows[0]!);
  holdTransaction(scope, db, client, tenantId === null ? SHARED_SETTINGS : tenantSettings(unsafeTenantScope(tenantId), false));
  return rows;
}

/**
 * Holds a transaction on `client` for the request's first unit of work, `settings` in force in it.
 * The unit of work's handle refuses a statement once its last one has carried the commit: the
 * client is back in the pool then, perhaps already another request's.
 */
function holdTransaction(scope: RequestScope, db: Db, client: pg.PoolClient, settings: string): HeldTransaction {
  const held: HeldTransaction = { db, client, tx: undefined as unknown as Tx, settings, state: 'ready', unit: null, carried: false };
  const guarded = {
    query: (...args: unknown[]) =>
      held.carried
        ? Promise.reject(new Error('A statement after the last of its unit of work (lastRows)'))
        : (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args),
  };
  held.tx = transactionOver(db, guarded as unknown as pg.PoolClient);
  scope.held = held;
  return held;
}

/**
 * For a request whose session and user the caller took from its cache (ADR 0027): holds a
 * transaction for the request's first unit of work, as `openTransaction` does, without a message of
 * its own. Its BEGIN, the settings of `tenantId` and `check` go to the server with whatever the unit
 * sends first, in the same message (`checkedFirst`); should the check raise, nothing after it runs,
 * and `sessionChangedInThisRequest` tells the caller to read the session afresh. Until the check has
 * passed, any other transaction the request opens runs it too. False (nothing held) on the embedded
 * database, outside a request, or when the request holds a transaction already.
 */
export async function deferSessionCheck(db: Db, check: SessionGuard, tenantId: string | null): Promise<boolean> {
  const pool = pools.get(db);
  const scope = requestScopes.getStore();
  if (!pool || !scope || scope.held || scope.guard) return false;
  const client = await pool.connect();
  scope.guard = { check, state: 'unchecked' };
  const settings = tenantId === null ? SHARED_SETTINGS : tenantSettings(unsafeTenantScope(tenantId), false);
  const preamble: PipelinedStatement[] = [
    { text: 'begin' },
    ...settings.split('; ').map((text) => ({ text })),
    { text: check.text, values: check.values, rows: true },
  ];
  holdTransaction(scope, db, checkedFirst(client, scope, preamble, `begin; ${settings}; ${check.inline}`), settings);
  return true;
}

/**
 * A pooled client whose first message also carries `preamble` (BEGIN, the settings, the session
 * guard), ahead of the statement it was asked to send: as leading statements of the same extended-
 * protocol message, or as leading text (`inline`) of a simple-protocol one. Its answer is the asked
 * statement's alone. Sent with nothing else (nothing sent at all before a rollback), it is skipped.
 */
function checkedFirst(client: pg.PoolClient, scope: RequestScope, preamble: PipelinedStatement[], inline: string): pg.PoolClient {
  let pending = true;
  const send = client.query.bind(client) as (...args: unknown[]) => unknown;
  const settled = <R>(sent: Promise<R>): Promise<R> =>
    sent.then(
      (result) => (settleGuard(scope, null), result),
      (err: unknown) => {
        settleGuard(scope, err);
        throw err;
      },
    );
  const query = (arg: unknown, values?: unknown): unknown => {
    if (!pending) return send(arg, values);
    if (arg === 'rollback') {
      // Nothing was sent: the client is in no transaction, and there is nothing to roll back.
      pending = false;
      return Promise.resolve(null);
    }
    pending = false;
    if (typeof arg === 'string' && values === undefined) return settled(send(`${inline}; ${arg}`) as Promise<unknown>);
    if (arg instanceof PipelinedQuery) {
      arg.preamble = [...preamble, ...arg.preamble];
      const callback = arg.callback;
      arg.callback = (err, result) => {
        settleGuard(scope, err);
        callback(err, result);
      };
      return send(arg);
    }
    const config = (typeof arg === 'string' ? { text: arg } : arg) as pg.QueryConfig;
    return settled(pipelined(client, { ...config, ...(values !== undefined ? { values: values as unknown[] } : {}) }, preamble));
  };
  return { query, release: (err?: Error | boolean) => client.release(err) } as unknown as pg.PoolClient;
}

/** The results of a query's statements, in order, whether node-postgres answered one or several. */
function resultsOf(result: pg.QueryResult | pg.QueryResult[]): pg.QueryResult[] {
  return Array.isArray(result) ? result : [result];
}

/** The rows of the last statement that returned columns, from a multi-statement answer of either driver. */
function rowsOf(results: unknown): RawRow[] {
  const list = (Array.isArray(results) ? results : [results]) as { fields?: unknown[]; rows?: RawRow[] }[];
  const withColumns = list.filter((r) => (r.fields?.length ?? 0) > 0);
  return withColumns.at(-1)?.rows ?? [];
}

/** One simple-protocol message outside any transaction (PGlite's `exec` waits for open transactions). */
async function simpleQuery(db: Db, text: string): Promise<unknown> {
  const pool = pools.get(db);
  if (pool) return pool.query(text);
  const client = (db as unknown as { $client: DriverClient }).$client;
  return client.exec ? client.exec(text) : client.query(text);
}

/** Builds drizzle transaction handles over pooled clients, per PostgreSQL database. */
const transactionHandles = new WeakMap<Db, (client: pg.PoolClient) => Tx>();
function transactionOver(db: Db, client: pg.PoolClient): Tx {
  return transactionHandles.get(db)!(client);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The transaction-local settings of a tenant's unit of work, as SQL text: the tenant, the role and,
 * when asked, an asynchronous commit. They go to the server as one simple-protocol message, which
 * costs a third of a parameterised statement through the query builder on PGlite and a round trip's
 * share on PostgreSQL; that is why the tenant id is written into the text, and so it must be a uuid.
 */
export function tenantSettings(scope: TenantScope, asyncCommit: boolean): string {
  if (!UUID.test(scope.tenantId)) throw new Error('A tenant scope must name a tenant by its uuid');
  return `set local app.tenant_id = '${scope.tenantId}'; set local role vetted_app${asyncCommit ? `; ${ASYNC_COMMIT}` : ''}`;
}

/** The setting of a commit that does not wait for the write-ahead log to reach the disk. */
const ASYNC_COMMIT = 'set local synchronous_commit = off';

/** The driver's client under a transaction: PGlite's transaction, or node-postgres' pooled client. */
interface DriverClient {
  exec?(sql: string): Promise<unknown>;
  query(sql: string): Promise<unknown>;
}

/**
 * Runs parameterless SQL text (one or more statements) in `tx` through the simple query protocol,
 * straight on the driver's client: no parameters, no result rows. Only for text this module writes.
 */
async function execSimple(tx: Tx, text: string): Promise<void> {
  const client = (tx as unknown as { session: { client: DriverClient } }).session.client;
  // PGlite's exec, and node-postgres' query without values, both use the simple protocol.
  await (client.exec ? client.exec(text) : client.query(text));
}

/**
 * Runs `copy (<query>) to stdout with (<options>)` (text this module's callers write, with no
 * parameters: COPY takes none) on a PostgreSQL transaction's connection, and gives the bytes it
 * writes as a stream, as they come off the socket (no row is parsed): the server waits while the
 * stream is not read (after `readAhead` bytes, when given, read from the socket at once whether or
 * not the stream is read yet). The stream ends once the statement is done; it fails with the
 * statement's error. `done` resolves once the connection can take another statement (the server
 * sent all, or the connection is lost), which may be before the stream is read to its end. Nothing
 * else may run on the connection until then, so a caller that stops early reads it to its end
 * (`resume`).
 */
export function copyOut(tx: Tx, query: string, options: string, readAhead?: number): Readable & { rowCount: number; done: Promise<void> } {
  const client = (tx as unknown as { session: { client: pg.PoolClient } }).session.client;
  const stream = client.query(copyTo(`copy (${query}) to stdout with (${options})`, readAhead ? { highWaterMark: readAhead } : undefined));
  // Read ahead from the start, up to `readAhead` bytes, whether or not the stream is read yet.
  if (readAhead) stream.read(0);
  // The library emits its error without ending the stream: end it with the error, so that whoever
  // reads it, now or later, sees it (and an error with no reader yet does not end the process).
  stream.on('error', (err) => {
    if (!stream.destroyed) stream.destroy(err);
  });
  // The connection is free once the server says so (ReadyForQuery), after the statement's last byte
  // or its error, though the stream may still hold bytes not read; or once it is lost.
  const done = new Promise<void>((resolve) => {
    const lost = () => resolve();
    client.once('end', lost);
    const free = () => {
      client.off('end', lost);
      setImmediate(resolve);
    };
    const ready = stream.handleReadyForQuery.bind(stream);
    stream.handleReadyForQuery = (...args) => {
      ready(...args);
      free();
    };
    // After a statement's error the driver lets go of the statement before the server's
    // ReadyForQuery, which then never reaches the stream: the connection's own message says when
    // it is free (the error and the ReadyForQuery come in that order).
    const failed = stream.handleError.bind(stream);
    stream.handleError = (...args) => {
      (client as unknown as { connection: { once(event: 'readyForQuery', fn: () => void): void } }).connection.once('readyForQuery', free);
      failed(...args);
    };
  });
  return Object.assign(stream, { done });
}

/**
 * All the bytes `copy (<query>) to stdout with (<options>)` writes, in the transaction `tx` of `db`,
 * on either database: through `copyOut` on PostgreSQL; on the embedded one as a simple-protocol
 * query to PGlite's backend, in the transaction `tx` holds (PGlite's single connection, which the
 * transaction has to itself), its CopyData messages read from the answer. (PGlite's own way,
 * `copy … to '/dev/blob'`, writes a file, which the tenant's role may not.)
 */
export async function copyAll(db: Db, tx: Tx, query: string, options: string): Promise<Buffer> {
  const text = `copy (${query}) to stdout with (${options})`;
  const pglite = (db as unknown as { $client: unknown }).$client;
  if (!(pglite instanceof PGlite)) {
    const chunks: Buffer[] = [];
    for await (const chunk of copyOut(tx, query, options)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  const body = Buffer.from(`${text}\0`);
  const message = Buffer.alloc(5 + body.length);
  message[0] = 0x51; // Query
  message.writeUInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  // A read: nothing for PGlite to write back to its data folder afterwards.
  const answer = Buffer.from(await pglite.execProtocolRaw(new Uint8Array(message), { syncToFs: false }));
  const data: Buffer[] = [];
  for (let at = 0; at < answer.length;) {
    const type = answer[at]!;
    const end = at + 1 + answer.readUInt32BE(at + 1);
    if (type === 0x64) data.push(answer.subarray(at + 5, end)); // CopyData
    if (type === 0x45) throw copyError(answer.subarray(at + 5, end)); // ErrorResponse
    at = end;
  }
  return Buffer.concat(data);
}

/** An ErrorResponse's fields (code, message) as an error, as the drivers raise one. */
function copyError(fields: Buffer): Error & { code?: string } {
  const err: Error & { code?: string } = new Error('COPY failed');
  for (let at = 0; at < fields.length && fields[at] !== 0;) {
    const end = fields.indexOf(0, at + 1);
    const value = fields.toString('utf8', at + 1, end);
    if (fields[at] === 0x43) err.code = value; // C: SQLSTATE
    if (fields[at] === 0x4d) err.message = value; // M: message
    at = end + 1;
  }
  return err;
}

/**
 * Runs `fn` in one transaction as `vetted_system`, which crosses tenants. Only code that must
 * (sign-in lookup, operator console, seeding, purge, backups) may call it.
 */
export async function withSystem<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transactionWith(db, 'set local role vetted_system', fn);
}

/** True when the folder holds an embedded database already. */
export function hasEmbeddedDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'));
}

/**
 * Runs `fn` as `vetted_app` with no tenant: only shared, non-personal tables (the catalog) are
 * visible; every tenant table answers with no rows.
 */
export async function withShared<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transactionWith(db, SHARED_SETTINGS, fn);
}

/** The settings of a unit of work with no tenant: the application's role alone. */
const SHARED_SETTINGS = 'set local role vetted_app';

/**
 * Rows of a statement given as text and its values, sent straight to the driver's client in `tx`
 * (node-postgres' pooled client, or PGlite's transaction): for a statement written once and sent
 * many times, without the query builder's work on each. Its text must be written by our code, every
 * value a parameter.
 */
export async function queryText<T>(tx: Tx, text: string, values: unknown[]): Promise<T[]> {
  const client = (tx as unknown as { session: { client: { query(text: string, values: unknown[]): Promise<{ rows: T[] }> } } }).session
    .client;
  return (await client.query(text, values)).rows;
}

/** Rows of a raw SQL query (both drivers answer `{ rows }`). */
export async function queryRows<T>(tx: Tx | Db, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * `queryRows` for a statement written once and sent on many requests (the dashboard's): in a unit of
 * work running in a request's held transaction on PostgreSQL it is sent prepared (`preparedName`),
 * its date and time values read as text as drizzle reads them. Only for statements whose text does
 * not vary with the request's values, which a name would otherwise spend on one use.
 */
export async function preparedRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const held = requestScopes.getStore()?.held;
  if (held?.state === 'taken' && held.tx === tx && !held.carried) {
    const { sql: text, params } = sqlText(tx, query);
    const name = preparedName(held.db, text);
    if (name) return (await pipelined(held.client, { text, values: params, name, types: DATES_AS_TEXT }, leadFor(held, name))).rows as T[];
  }
  return queryRows<T>(tx, query);
}

/**
 * `preparedRows` of several statements that do not depend on each other (the dashboard's): in a
 * request's held transaction on PostgreSQL they go to the server in one message, each prepared, and
 * their rows come back together. Elsewhere they run one after the other.
 */
export async function preparedRowsAll(tx: Tx, queries: SQL[]): Promise<unknown[][]> {
  const held = requestScopes.getStore()?.held;
  if (held?.state !== 'taken' || held.tx !== tx || held.carried || queries.length === 0) {
    const all: unknown[][] = [];
    for (const query of queries) all.push(await preparedRows(tx, query));
    return all;
  }
  const statements = queries.map((query) => {
    const { sql: text, params } = sqlText(tx, query);
    return { text, values: params, name: preparedName(held.db, text), rows: true };
  });
  const last = statements.pop()!;
  const query: PipelinedQuery = new PipelinedQuery({
    text: last.text,
    values: last.values,
    ...(last.name ? { name: last.name } : {}),
    types: DATES_AS_TEXT,
    queryMode: 'extended',
    callback: () => undefined,
  });
  query.preamble = [...leadFor(held, last.name ?? statements.find((st) => st.name)?.name), ...statements];
  try {
    const results = await new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => {
      query.callback = (err, result) => (err ? reject(err) : resolve(result));
      void held.client.query(query as unknown as pg.QueryConfig);
    });
    return resultsOf(results)
      .slice(query.preamble.length - statements.length)
      .map((result) => result.rows);
  } catch (err) {
    // Which statements the server prepared is not known: the connection is dropped when it is given back.
    if (query.uncertain) held.broken = err as Error;
    throw err;
  }
}

/** A query's text and values, as drizzle sends them. */
function sqlText(tx: Tx | Db, query: SQL): { sql: string; params: unknown[] } {
  return (tx as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
}

/**
 * Reads rows by a statement's text and values (see `queryText`). `last`: no statement of the unit of
 * work follows it.
 */
export type StatementReader = <T>(text: string, values: unknown[], last?: boolean) => Promise<T[]>;

/**
 * A read-only unit of work in the tenant's settings whose statements are SQL text (`queryText`'s),
 * the last one marked. In a request's held transaction on PostgreSQL the last statement and the
 * commit go to the server as one message (the extended protocol's messages for both, one Sync):
 * a signed-in read costs two round trips, the session read that opened the transaction and this
 * one, instead of three. A statement asked for after the last runs in a transaction of its own.
 * Elsewhere (PGlite, no held transaction) it is `withTenant(…, { readOnly: true })`.
 */
export async function readStatements<T>(db: Db, scope: TenantScope, fn: (read: StatementReader) => Promise<T>): Promise<T> {
  const held = requestScopes.getStore()?.held;
  const settings = tenantSettings(scope, false);
  if (held?.state !== 'ready' || held.db !== db || held.settings !== settings)
    return withTenant(db, scope, (tx) => fn((text, values) => queryText(tx, text, values)), { readOnly: true });
  held.state = 'taken';
  let open = true;
  const read: StatementReader = async <R>(text: string, values: unknown[], last?: boolean): Promise<R[]> => {
    if (!open) return withTenant(db, scope, (tx) => queryText<R>(tx, text, values), { readOnly: true });
    const name = preparedName(db, text);
    const lead = leadFor(held, name);
    if (!last) return (await pipelined(held.client, { text, values, ...(name ? { name } : {}) }, lead)).rows as R[];
    open = false;
    held.state = 'ended';
    held.carried = true;
    return (await readThenCommit(held.client, text, values, name, null, undefined, lead)) as R[];
  };
  let result: T;
  try {
    result = await fn(read);
  } catch (err) {
    if (open) {
      open = false;
      held.state = 'ended';
      await finish(held, false).catch(() => undefined);
    }
    throw err;
  }
  if (open) {
    // No statement was marked last: committed as any read-only unit is, the answer not waiting for it.
    held.state = 'ended';
    finish(held, true).catch(() => undefined);
  }
  return result;
}

/**
 * The rows of the last statement of a unit of work that `withTenant` runs with `readOnly` or
 * `asyncCommit`. In a request's held transaction on PostgreSQL it is sent with the commit (and the
 * asynchronous commit's setting) in one message, as `readStatements` sends its last: the unit's
 * answer, which never waited for its commit, now costs one message fewer. `tx` must then send
 * nothing more (it refuses to). Elsewhere it is `queryRows`, the commit sent when the unit ends.
 * Date and time values come as text, as drizzle reads them.
 */
export async function lastRows<T>(tx: Tx, query: SQL): Promise<T[]> {
  const held = requestScopes.getStore()?.held;
  if (held?.state !== 'taken' || held.tx !== tx || !held.unit || held.carried) return queryRows<T>(tx, query);
  const { sql: text, params } = sqlText(tx, query);
  held.carried = true;
  const name = preparedName(held.db, text);
  const lead = leadFor(held, name);
  return (await readThenCommit(held.client, text, params, name, held.unit.asyncCommit ? ASYNC_COMMIT : null, DATES_AS_TEXT, lead)) as T[];
}

/** PostgreSQL databases whose requests' read statements are prepared once per connection. */
const preparing = new WeakSet<Db>();
/** The names given to statement texts; at most PREPARED_LIMIT, so texts that vary cannot fill a connection with plans. */
const preparedNames = new Map<string, string>();
const PREPARED_LIMIT = 500;

/**
 * The name under which a statement that a request's reads send (`readStatements`, `lastRows`,
 * `preparedRows`) is prepared on each connection, or none. A statement sent unnamed is parsed, analysed and planned again
 * every time; a named one is parsed once per connection and its plan kept (PostgreSQL plans again for
 * each set of values while a generic plan would cost more, and again after any change to the tables
 * it reads; row-level security and the role are checked when it runs). The name is the text's hash,
 * so a name always means one text, on every connection. None on a database opened without prepared
 * statements (behind a pooler that moves transactions between server connections, ADR 0026), and
 * none past PREPARED_LIMIT texts.
 */
function preparedName(db: Db, text: string): string | undefined {
  if (!preparing.has(db)) return undefined;
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < PREPARED_LIMIT) {
    name = `vetted_${createHash('sha256').update(text).digest('base64url').slice(0, 24)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/**
 * A prepared statement is planned for each run's values, never once for all: one connection serves
 * institutions of every size, and PostgreSQL's generic plan, chosen after five runs on a connection
 * when it looks no dearer than theirs, was measured at seven times the cost of the dashboard's
 * statements for a small institution after larger ones had run (ADR 0026). Set for the transaction,
 * so that it holds for the statements of a request's reads alone, not for writes and their triggers.
 */
const CUSTOM_PLANS: PipelinedStatement = { text: 'set local plan_cache_mode = force_custom_plan' };

/** What must go ahead of a statement sent under `name` in the held transaction: the plan setting, before its first named one. */
function leadFor(held: HeldTransaction, name: string | undefined): PipelinedStatement[] {
  if (!name || held.customPlans) return [];
  held.customPlans = true;
  return [CUSTOM_PLANS];
}

/** Sends a statement with `lead` statements ahead of it in the same message (`PipelinedQuery`); its own result. */
async function pipelined(client: pg.PoolClient, config: pg.QueryConfig, lead: PipelinedStatement[]): Promise<pg.QueryResult> {
  if (!lead.length) return client.query(config);
  return new Promise<pg.QueryResult>((resolve, reject) => {
    const query: PipelinedQuery = new PipelinedQuery({
      ...config,
      queryMode: 'extended',
      callback: (err, result) => (err ? reject(err) : resolve(resultsOf(result)[query.preamble.length]!)),
    });
    query.preamble = lead;
    void client.query(query as unknown as pg.QueryConfig);
  });
}

/** Date, time and interval values (and their arrays) as PostgreSQL writes them, as drizzle's node-postgres session reads them. */
const TEXT_TYPES = new Set([1082, 1114, 1184, 1186, 1115, 1182, 1185, 1187, 1231]);
const DATES_AS_TEXT = {
  getTypeParser: (id: number, format?: string) => (TEXT_TYPES.has(id) ? (v: string) => v : pg.types.getTypeParser(id, format as 'text')),
};

type ExtendedConnection = {
  execute(config: { portal: string }): void;
  parse(config: { text: string; name?: string; types?: unknown }): void;
  bind(config: { values?: unknown[]; statement?: string; valueMapper?: (value: unknown) => unknown }): void;
  describe(config: { type: 'P'; name: string }): void;
  sync(): void;
  submittedNamedStatements: Record<string, string>;
  parsedStatements: Record<string, string>;
};

/**
 * A statement sent in a pipeline (`PipelinedQuery`) around the query's own; `rows`: it answers rows,
 * described first; `name`: it is prepared under that name on the connection (parsed once).
 */
interface PipelinedStatement {
  text: string;
  values?: unknown[];
  rows?: boolean;
  name?: string | undefined;
}

type PipelinedCallback = (err: Error | null, result: pg.QueryResult | pg.QueryResult[]) => void;

/**
 * node-postgres' query, sending the statements of `preamble`, its own statement, then those of
 * `after` (a commit), all before the one Sync: one message, one round trip. Should one fail,
 * PostgreSQL skips the rest up to the Sync. The answer lists every statement's result in order.
 */
class PipelinedQuery extends (pg.Query as unknown as new (
  config: pg.QueryConfig & { queryMode: 'extended'; callback: PipelinedCallback },
) => object) {
  preamble: PipelinedStatement[] = [];
  after: string[] = [];
  declare callback: PipelinedCallback;
  declare name: string | undefined;
  declare text: string;
  declare types: unknown;
  declare hasBeenParsed: (connection: ExtendedConnection) => boolean;

  /** Named statements of `preamble` parsed by this message, recorded as prepared once it is answered. */
  private parsing: PipelinedStatement[] = [];
  /** It failed where a statement of `preamble` may or may not have been prepared: its connection must be dropped. */
  uncertain = false;

  /** Called once the client corked its messages into one write. */
  prepare(connection: ExtendedConnection): void {
    if (this.preamble.length > 0 && this.name && !this.hasBeenParsed(connection)) {
      // A named statement is parsed first: node-postgres takes the query's first ParseComplete for its own.
      connection.parse({ text: this.text, name: this.name, types: this.types });
      connection.submittedNamedStatements[this.name] = this.text;
    }
    // Every Parse goes before any statement runs: a statement that fails cannot leave one unparsed.
    this.parsing = this.preamble.filter((st) => st.name && connection.parsedStatements[st.name] === undefined);
    for (const statement of this.parsing) connection.parse({ text: statement.text, name: statement.name! });
    for (const statement of this.preamble) {
      if (!statement.name) connection.parse({ text: statement.text });
      connection.bind({
        values: statement.values ?? [],
        valueMapper: prepareValue,
        ...(statement.name ? { statement: statement.name } : {}),
      });
      if (statement.rows) connection.describe({ type: 'P', name: '' });
      connection.execute({ portal: '' });
    }
    (pg.Query.prototype as unknown as { prepare(c: ExtendedConnection): void }).prepare.call(this, connection);
  }

  handleReadyForQuery(connection: ExtendedConnection): void {
    this.prepared(connection);
    (pg.Query.prototype as unknown as { handleReadyForQuery(c: ExtendedConnection): void }).handleReadyForQuery.call(this, connection);
  }

  handleError(err: Error, connection: ExtendedConnection): void {
    // A session check that raised ran after every Parse; any other failure may have been a Parse's.
    if (this.parsing.length > 0) {
      if (pgCode(err) === SESSION_CHANGED) this.prepared(connection);
      else this.uncertain = true;
    }
    (pg.Query.prototype as unknown as { handleError(e: Error, c: ExtendedConnection): void }).handleError.call(this, err, connection);
  }

  private prepared(connection: ExtendedConnection): void {
    for (const statement of this.parsing) connection.parsedStatements[statement.name!] = statement.text;
    this.parsing = [];
  }

  /** Called by `prepare` once it has parsed, bound and described the query's own statement. */
  _getRows(connection: ExtendedConnection): void {
    connection.execute({ portal: '' });
    for (const text of this.after) {
      connection.parse({ text });
      connection.bind({});
      connection.execute({ portal: '' });
    }
    connection.sync();
  }
}

/**
 * The rows of a statement sent with the commit of its transaction, in one message; the client goes
 * back to the pool when it is answered. Should the statement fail, PostgreSQL skips the commit (it
 * skips to the Sync after an error): the transaction is rolled back, and a client that cannot roll
 * back is dropped.
 */
async function readThenCommit(
  client: pg.PoolClient,
  text: string,
  values: unknown[],
  name: string | undefined,
  beforeCommit: string | null = null,
  types?: pg.CustomTypesConfig,
  lead: PipelinedStatement[] = [],
): Promise<unknown[]> {
  let broken: Error | undefined;
  try {
    const query = new PipelinedQuery({
      text,
      values,
      ...(name ? { name } : {}),
      ...(types ? { types } : {}),
      queryMode: 'extended',
      callback: () => undefined,
    });
    query.preamble = lead;
    query.after = [...(beforeCommit ? [beforeCommit] : []), 'commit'];
    const results = await new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => {
      query.callback = (err, res) => (err ? reject(err) : resolve(res));
      void client.query(query as unknown as pg.QueryConfig);
    });
    // What went ahead of the statement: `lead`, and a deferred session check (checkedFirst).
    const all = resultsOf(results).slice(query.preamble.length);
    if (all.at(-1)?.command !== 'COMMIT' || all.length !== query.after.length + 1)
      throw new Error('The statement’s transaction did not commit');
    return all[0]!.rows;
  } catch (err) {
    await client.query('rollback').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.release(broken);
  }
}
