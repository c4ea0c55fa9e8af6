/**
 * The read replica (docs/adr/0015-read-replica.md): a streaming standby of the PostgreSQL server
 * (`READ_DATABASE_URL`) that reports, exports and public lists read from through `withTenantRead`,
 * while its replay lags the primary by at most `REPLICA_MAX_LAG_SECONDS`; and the marker that sends a
 * person's reads to the primary for `READ_YOUR_WRITES_SECONDS` after their own write.
 */
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import {
  attachReadReplica,
  openDatabase,
  queryRows,
  readFromPrimaryInThisRequest,
  type Database,
  type Db,
  type DbLogger,
  type ReadReplica,
} from './db.js';

/** How long one look at the replica's state is trusted: at most one check a second per process. */
const CHECK_MS = 1000;

export interface ReplicaHandle extends ReadReplica {
  database: Database;
  /** The replay lag of the last check in seconds (0: caught up), null when the replica is unreachable or never checked. */
  lagSeconds(): number | null;
  /** The last check's verdict, without checking again (metrics). */
  usableNow(): boolean;
  /** Reads sent to each side since start. */
  reads: { replica: number; primary: number };
  close(): Promise<void>;
}

/** `X/Y` (a write-ahead log position) as a number of bytes. */
function lsnOf(text: string): bigint {
  const [hi, lo] = text.split('/') as [string, string];
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/** Errors that say the replica cannot be reached or was cut off, not that the read itself is wrong. */
function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  return (
    /^(08|57P)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code) ||
    /Connection terminated|connection timeout/i.test(e?.message ?? '')
  );
}

/**
 * Opens the replica and attaches it to `primary`. Its state is checked at most once a second when a
 * read asks: the primary's current write-ahead log position against the replica's replayed one;
 * level means caught up (lag 0), else the lag is the age of the last transaction the replica
 * replayed. A replica that cannot be reached is not used until a later check reaches it.
 */
export async function openReadReplica(
  primary: Database,
  opts: { url: string; maxLagSeconds: number; log?: DbLogger; checkMs?: number; preparedStatements?: boolean },
): Promise<ReplicaHandle> {
  const database = await openDatabase({
    databaseUrl: opts.url,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.preparedStatements === undefined ? {} : { preparedStatements: opts.preparedStatements }),
  });
  const checkMs = opts.checkMs ?? CHECK_MS;
  let lag: number | null = null;
  let usable = false;
  let checkedAt = 0;
  let inFlight: Promise<boolean> | null = null;
  const reads = { replica: 0, primary: 0 };

  const set = (next: boolean, nextLag: number | null, why: string) => {
    if (next !== usable || checkedAt === 0) {
      opts.log?.warn(
        { replica: { usable: next, lagSeconds: nextLag } },
        next ? 'reads go to the replica' : `reads go to the primary: ${why}`,
      );
    }
    usable = next;
    lag = nextLag;
    checkedAt = Date.now();
  };

  async function check(): Promise<boolean> {
    try {
      const [{ lsn }] = (await queryRows<{ lsn: string }>(primary.db, sql`select pg_current_wal_lsn()::text as lsn`)) as [{ lsn: string }];
      const [row] = await queryRows<{ replayed: string | null; behind: number | null }>(
        database.db,
        sql`select coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text as replayed,
                   extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 as behind`,
      );
      // Not a standby (`pg_current_wal_lsn` answers only on a primary): the same server, never behind.
      const replayed = row?.replayed ?? null;
      const seconds = replayed !== null && lsnOf(replayed) >= lsnOf(lsn) ? 0 : (row?.behind ?? Number.POSITIVE_INFINITY);
      const within = seconds <= opts.maxLagSeconds;
      set(within, Number.isFinite(seconds) ? Math.max(0, seconds) : null, `replay lags more than ${opts.maxLagSeconds} s`);
    } catch (err) {
      set(false, null, `the replica is unreachable (${(err as { code?: string }).code ?? 'error'})`);
    }
    return usable;
  }

  const handle: ReplicaHandle = {
    db: database.db,
    database,
    reads,
    async usable() {
      if (Date.now() - checkedAt < checkMs) return usable;
      inFlight ??= check().finally(() => (inFlight = null));
      return inFlight;
    },
    failed(err) {
      if (!isConnectionError(err)) return false;
      set(false, null, 'a read on the replica lost its connection');
      return true;
    },
    counted(target) {
      reads[target]++;
    },
    lagSeconds: () => lag,
    usableNow: () => usable,
    close: () => database.close(),
  };
  attachReadReplica(primary.db, handle);
  handles.set(primary.db, handle);
  return handle;
}

const handles = new WeakMap<Db, ReplicaHandle>();
/** The replica opened for a primary database, if any (metrics). */
export function replicaOf(primary: Db): ReplicaHandle | undefined {
  return handles.get(primary);
}

/** The cookie that sends a person's reads to the primary after their write, until its time (epoch ms). */
export const READ_YOUR_WRITES_COOKIE = 'vetted_primary_reads';

/**
 * A person reads their own writes: every API request that may have written (POST, PUT, PATCH,
 * DELETE answered below 400) sets a cookie for `seconds`; while a request carries it, its reads go to
 * the primary. It holds a time only, and forging it can only send one's own reads to the primary.
 */
export function registerReadYourWrites(app: FastifyInstance, opts: { seconds: number; secure: boolean }): void {
  if (opts.seconds <= 0) return;
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const until = Number(req.cookies[READ_YOUR_WRITES_COOKIE]);
    if (Number.isFinite(until) && until > Date.now()) readFromPrimaryInThisRequest();
  });
  app.addHook('onSend', async (req, reply) => {
    if (!req.url.startsWith('/api/') || !WRITES.has(req.method) || reply.statusCode >= 400) return;
    reply.setCookie(READ_YOUR_WRITES_COOKIE, String(Date.now() + opts.seconds * 1000), {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secure,
      maxAge: opts.seconds,
    });
  });
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
