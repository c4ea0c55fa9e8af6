/**
 * The jobs platform: typed, versioned job definitions run by pg-boss 10 on the same database as the
 * data — the PostgreSQL server, or the embedded PGlite database through a small adapter (see
 * docs/adr/0016-jobs-on-pg-boss-and-pglite.md).
 *
 * - A definition has a name, an integer version, a zod payload and an idempotent handler. A change of
 *   payload shape is a new version (a new queue), so jobs already queued keep their old handler.
 * - `enqueue(tx, …)` writes the job in the caller's transaction: the job exists if and only if the
 *   change that asked for it committed. `send(…)` is for code outside any transaction.
 * - Definitions with a `schedule` run on a cron (UTC). Workers poll in the serving process by default
 *   (`JOB_WORKERS=true`) or in a separate `node dist/server/main.js worker` process.
 *
 * Security: payloads are stored in the database and visible to operators; they carry ids, never
 * personal data.
 */
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { type z } from 'zod';
import type { Db, Tx } from './db.js';

/**
 * pg-boss 10 records a job's end (`complete`, or `fail` when its handler threw) without waiting for
 * it: a database connection lost at that moment rejected with nothing to catch it, which ended the
 * process (seen in the database-faults suite). The rejection is now reported as the worker's error
 * (logged) and goes no further; the job stays active until it expires, then runs again, as a job
 * whose process died does.
 */
function reportLostJobEnds(): void {
  const manager = createRequire(import.meta.url)('pg-boss/src/manager.js') as {
    prototype: Record<'complete' | 'fail', (...args: unknown[]) => Promise<unknown>> & { emit(event: string, err: unknown): boolean };
  };
  for (const name of ['complete', 'fail'] as const) {
    const end = manager.prototype[name];
    const reported = function (this: { emit(event: string, err: unknown): boolean }, ...args: unknown[]) {
      const ended = end.apply(this, args);
      ended.catch((err: unknown) => this.emit('error', err));
      return ended;
    };
    // pg-boss hands its manager's functions to the PgBoss object by name.
    Object.defineProperty(reported, 'name', { value: name });
    manager.prototype[name] = reported;
  }
}
reportLostJobEnds();

/** What a handler learns about the job it runs. */
export interface JobInfo {
  id: string;
  /** The queue: `<name>-v<version>`. */
  queue: string;
  /** 0 on the first attempt. */
  retryCount: number;
}

/** A typed job: a name, a payload version, a zod payload and an idempotent handler. */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  /** Lowercase words joined by hyphens, e.g. `backup-tenant`. */
  readonly name: string;
  /** Bumped whenever the payload shape changes. */
  readonly version: number;
  readonly payload: S;
  /**
   * Runs the job. Must be idempotent: a job may run again after a crash, a timeout or a retry, and
   * the second run must converge on the same result.
   */
  readonly handle: (payload: z.output<S>, job: JobInfo) => Promise<void>;
  /** Attempts after the first (default 3). */
  readonly retryLimit?: number;
  /** Seconds before a retry, doubled each time (default 30). */
  readonly retryDelaySeconds?: number;
  /** A running job older than this is failed and retried (default 15 minutes). */
  readonly expireInSeconds?: number;
  /**
   * At most one job per key is queued or running (pg-boss `stately` policy keyed by singletonKey);
   * a second enqueue with the same key is dropped while one is waiting.
   */
  readonly singletonKey?: (payload: z.output<S>) => string;
  /** Run on a cron (UTC, five fields) with this payload. */
  readonly schedule?: { cron: string; payload: z.input<S> };
  /**
   * Also run once (with the schedule's payload) when workers start in a process: a clean-up that must
   * not wait for its cron after a restart, such as the recovery of work a dead process left.
   */
  readonly runAtStart?: boolean;
  /** Poll interval of this queue's worker, in seconds (default 2, at least 0.5). */
  readonly pollSeconds?: number;
}

// A definition of any payload, for lists of definitions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Declares a job. */
export function defineJob<S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> {
  if (!NAME.test(def.name) || def.name.length > 40) throw new Error(`Job name "${def.name}" must be lowercase words joined by hyphens`);
  if (!Number.isInteger(def.version) || def.version < 1) throw new Error(`Job "${def.name}" needs an integer version >= 1`);
  return def;
}

/** The pg-boss queue of a definition. */
export function queueOf(def: Pick<AnyJobDefinition, 'name' | 'version'>): string {
  return `${def.name}-v${def.version}`;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** Overrides the definition's singleton key. */
  singletonKey?: string;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** The jobs of one process: registration, enqueueing, workers, shutdown. */
export interface Jobs {
  /** True once this process polls queues and runs the cron. */
  readonly runsWorkers: boolean;
  /** Creates the queues of these definitions (and their schedules and workers once workers run). */
  register(...defs: AnyJobDefinition[]): Promise<void>;
  /** Starts polling every registered queue, the cron and the maintenance in this process. */
  startWorkers(): Promise<void>;
  /** Enqueues in the caller's transaction. Returns the job id, or null when a singleton already waits. */
  enqueue<S extends z.ZodType>(tx: Tx, def: JobDefinition<S>, payload: z.input<S>, opts?: EnqueueOptions): Promise<string | null>;
  /**
   * Asks this process's worker of `def` to look for jobs now rather than at its next poll: after the
   * commit of a transaction that enqueued one a person waits for. Does nothing where workers do not run.
   */
  wake(def: AnyJobDefinition): void;
  /** Enqueues outside any transaction (after a commit, from the CLI). Never call it inside a transaction. */
  send<S extends z.ZodType>(def: JobDefinition<S>, payload: z.input<S>, opts?: EnqueueOptions): Promise<string | null>;
  /**
   * Runs, in this process and now, every job that is due in the registered queues (or in `only`),
   * until none is left. Returns how many ran. For tests and one-off commands.
   */
  runPending(only?: AnyJobDefinition): Promise<number>;
  /** A job's state, or null when unknown (removed by retention). */
  stateOf(def: AnyJobDefinition, id: string): Promise<JobState | null>;
  /** Stops polling, waits up to `timeoutMs` for running handlers, fails the rest (they retry later). */
  stop(timeoutMs?: number): Promise<void>;
  /** Calls `listener` after each job this process runs (metrics). */
  onOutcome(listener: JobOutcomeListener): void;
  /** How many jobs wait, run or failed, by queue and state (metrics; one query). */
  queueCounts(): Promise<{ queue: string; state: string; count: number }[]>;
}

/** What became of a job this process ran: `done`, `failed` (retried if it may) or `dropped` (payload no longer valid). */
export type JobOutcomeListener = (queue: string, outcome: 'done' | 'failed' | 'dropped', seconds: number) => void;

/** What a job platform logs with (pino's and fastify's loggers fit). */
export interface JobLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

export interface JobsOptions {
  db: Db;
  log?: JobLogger;
}

/** pg-boss's `executeSql` over the connection behind a drizzle database (pg pool or PGlite). */
export function rawExecutor(db: Db): PgBoss.Db {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof PGlite) return pgliteExecutor(client);
  if (client instanceof pg.Pool || client instanceof pg.Client) {
    return { executeSql: (text, values) => client.query(text, values) };
  }
  throw new Error('The jobs platform needs a drizzle database over node-postgres or PGlite');
}

/**
 * PGlite runs one statement per parameterised query; pg-boss sends multi-statement scripts (its
 * migrations, `BEGIN; …; COMMIT;`) without parameters, which `exec` runs. A failed script is rolled
 * back so the single connection is never left in an aborted transaction.
 */
function pgliteExecutor(client: PGlite): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return client.query(text, values);
      try {
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      } catch (err) {
        if (/\bBEGIN\b/i.test(text)) await client.exec('ROLLBACK').catch(() => {});
        throw err;
      }
    },
  };
}

/** pg-boss's `executeSql` inside a drizzle transaction: `$n` placeholders become bound parameters. */
export function txExecutor(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text, values = []) {
      const chunks: SQL[] = [];
      let last = 0;
      for (const m of text.matchAll(/\$(\d+)/g)) {
        chunks.push(sql.raw(text.slice(last, m.index)));
        chunks.push(sql`${sql.param(values[Number(m[1]) - 1] ?? null)}`);
        last = m.index + m[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      const res = (await tx.execute(sql.join(chunks))) as unknown as { rows: unknown[] };
      return { rows: res.rows };
    },
  };
}

/**
 * Lets request code (`vetted_app`) and system code (`vetted_system`) enqueue in their own
 * transactions, and the purge (`vetted_system`) delete the jobs that name an institution. Sent as
 * one simple-protocol message, so one implicit transaction, which first takes an advisory lock:
 * two processes starting at once would otherwise grant on the same rows of the catalog together,
 * and one would fail with "tuple concurrently updated".
 */
const GRANTS = `
  SELECT pg_advisory_xact_lock(hashtext('vetted.jobs.grants'));
  GRANT USAGE ON SCHEMA pgboss TO vetted_app, vetted_system;
  GRANT SELECT ON pgboss.queue TO vetted_app, vetted_system;
  GRANT INSERT, SELECT (id) ON pgboss.job TO vetted_app, vetted_system;
  GRANT SELECT ON ALL TABLES IN SCHEMA pgboss TO vetted_system;
  GRANT DELETE ON pgboss.job, pgboss.archive TO vetted_system;
`;

/** Opens the jobs platform: installs or upgrades pg-boss's schema, then takes registrations. */
export async function createJobs(opts: JobsOptions): Promise<Jobs> {
  const log = opts.log ?? silent;
  const outcomeListeners: JobOutcomeListener[] = [];
  const executor = rawExecutor(opts.db);
  const common = {
    db: executor,
    schema: 'pgboss',
    // Finished jobs are archived after a day and deleted after a week: they hold ids only.
    archiveCompletedAfterSeconds: 24 * 3600,
    deleteAfterDays: 7,
  };
  // Enqueues, creates queues and schedules; never polls.
  const boss = new PgBoss({ ...common, migrate: true, supervise: false, schedule: false });
  boss.on('error', (err: Error) => log.error({ err }, 'jobs platform error'));
  await boss.start();
  await executor.executeSql(GRANTS, []);

  // Polls queues, runs the cron and the maintenance; started once every definition is registered, so
  // its first cron check already sees every schedule.
  let workerBoss: PgBoss | null = null;
  const defs = new Map<string, AnyJobDefinition>();
  let stopping = false;

  const defOf = (def: AnyJobDefinition): AnyJobDefinition => {
    const known = defs.get(queueOf(def));
    if (!known) throw new Error(`Job ${queueOf(def)} is not registered`);
    return known;
  };

  const sendOptions = (def: AnyJobDefinition, payload: unknown, opts: EnqueueOptions = {}): PgBoss.SendOptions => {
    const key = opts.singletonKey ?? def.singletonKey?.(payload);
    const retryDelay = def.retryDelaySeconds ?? 30;
    return {
      retryLimit: def.retryLimit ?? 3,
      retryDelay,
      retryBackoff: retryDelay > 0,
      expireInSeconds: def.expireInSeconds ?? 15 * 60,
      ...(key ? { singletonKey: key } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
    };
  };

  async function run(def: AnyJobDefinition, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    const info: JobInfo = { id: job.id, queue: queueOf(def), retryCount: job.retryCount };
    const started = Date.now();
    const parsed = def.payload.safeParse(job.data);
    const outcome = (o: 'done' | 'failed' | 'dropped') => {
      for (const l of outcomeListeners) l(info.queue, o, (Date.now() - started) / 1000);
    };
    if (!parsed.success) {
      // A payload that no longer parses would fail the same way on every retry.
      log.error({ job: info, issues: parsed.error.issues }, 'job payload is not valid; dropped');
      outcome('dropped');
      return;
    }
    try {
      await def.handle(parsed.data, info);
      log.info({ job: info, ms: Date.now() - started }, 'job done');
      outcome('done');
    } catch (err) {
      log.error({ job: info, err, ms: Date.now() - started }, 'job failed');
      outcome('failed');
      throw err;
    }
  }

  async function schedule(def: AnyJobDefinition): Promise<void> {
    if (!def.schedule) return;
    def.payload.parse(def.schedule.payload);
    await boss.schedule(queueOf(def), def.schedule.cron, def.schedule.payload as object, {
      tz: 'UTC',
      ...sendOptions(def, def.schedule.payload),
    });
  }

  /** The id of this process's worker of each queue (to wake it). */
  const workerIds = new Map<string, string>();

  async function work(worker: PgBoss, def: AnyJobDefinition): Promise<void> {
    const id = await worker.work<unknown>(
      queueOf(def),
      { pollingIntervalSeconds: Math.max(0.5, def.pollSeconds ?? 2), batchSize: 1, includeMetadata: true },
      async (jobs) => {
        for (const job of jobs) await run(def, job);
      },
    );
    workerIds.set(queueOf(def), id);
  }

  return {
    get runsWorkers() {
      return workerBoss !== null;
    },

    async register(...list) {
      for (const def of list) {
        const queue = queueOf(def);
        if (defs.has(queue)) throw new Error(`Job ${queue} is registered twice`);
        defs.set(queue, def);
        await boss.createQueue(queue, { name: queue, policy: def.singletonKey ? 'stately' : 'standard' });
        if (workerBoss) {
          await schedule(def);
          await work(workerBoss, def);
        }
      }
    },

    async startWorkers() {
      if (workerBoss || stopping) return;
      // Schedules of definitions that no longer exist (an old version) are dropped.
      for (const s of await boss.getSchedules()) {
        if (!defs.get(s.name)?.schedule) await boss.unschedule(s.name);
      }
      for (const def of defs.values()) await schedule(def);
      const worker = new PgBoss({
        ...common,
        migrate: false,
        supervise: true,
        schedule: true,
        cronMonitorIntervalSeconds: 30,
        cronWorkerIntervalSeconds: 5,
      });
      worker.on('error', (err: Error) => log.error({ err }, 'job worker error'));
      await worker.start();
      workerBoss = worker;
      for (const def of defs.values()) await work(worker, def);
      for (const def of defs.values()) {
        if (def.runAtStart && def.schedule)
          await boss.send(queueOf(def), def.schedule.payload as object, sendOptions(def, def.schedule.payload));
      }
      log.info({ queues: [...defs.keys()] }, 'job workers started');
    },

    wake(def) {
      const id = workerIds.get(queueOf(def));
      if (workerBoss && id) workerBoss.notifyWorker(id);
    },

    async enqueue(tx, def, payload, opts) {
      const known = defOf(def);
      const data = known.payload.parse(payload) as object;
      return boss.send(queueOf(def), data, { ...sendOptions(known, data, opts), db: txExecutor(tx) });
    },

    async send(def, payload, opts) {
      const known = defOf(def);
      const data = known.payload.parse(payload) as object;
      return boss.send(queueOf(def), data, sendOptions(known, data, opts));
    },

    async runPending(only) {
      let ran = 0;
      const list = only ? [defOf(only)] : [...defs.values()];
      for (let progress = true; progress;) {
        progress = false;
        for (const def of list) {
          const queue = queueOf(def);
          const jobs = await boss.fetch<unknown>(queue, { batchSize: 20, includeMetadata: true });
          for (const job of jobs) {
            progress = true;
            ran++;
            try {
              await run(def, job);
              await boss.complete(queue, job.id);
            } catch (err) {
              await boss.fail(queue, job.id, { message: err instanceof Error ? err.message : String(err) });
            }
          }
        }
      }
      return ran;
    },

    async stateOf(def, id) {
      const job = await boss.getJobById(queueOf(def), id, { includeArchive: true });
      return (job?.state as JobState | undefined) ?? null;
    },

    async stop(timeoutMs = 30_000) {
      if (stopping) return;
      stopping = true;
      if (workerBoss) await workerBoss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
      await boss.stop({ graceful: true, wait: true, close: false, timeout: 1000 });
    },

    onOutcome(listener) {
      outcomeListeners.push(listener);
    },

    async queueCounts() {
      const res = (await executor.executeSql(
        'select name as queue, state, count(*)::int as count from pgboss.job group by 1, 2 order by 1, 2',
        [],
      )) as {
        rows: { queue: string; state: string; count: number }[];
      };
      return res.rows;
    },
  };
}
