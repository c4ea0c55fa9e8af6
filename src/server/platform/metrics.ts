import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { poolStatsOf, type Db } from './db.js';
import type { Jobs } from './jobs.js';
import { replicaOf } from './replica.js';

/**
 * Prometheus metrics: process defaults; request durations by route (never by URL: ids are not
 * labels); the database pool's clients; jobs waiting, running and failed by queue and state (one
 * query at each scrape), and the jobs this process ran by outcome, with their durations.
 */
export function registerMetrics(app: FastifyInstance, deps: { db: Db; jobs: Jobs }): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  new Gauge({
    name: 'vetted_db_pool_clients',
    help: 'Clients of the PostgreSQL connection pool: total open, idle, and requests waiting for one (absent on the embedded database)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = poolStatsOf(deps.db);
      if (!stats) return;
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n);
    },
  });
  // The read replica (READ_DATABASE_URL), when there is one.
  new Gauge({
    name: 'vetted_db_replica_pool_clients',
    help: 'Clients of the read replica connection pool: total open, idle, and requests waiting for one (absent without a replica)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const replica = replicaOf(deps.db);
      const stats = replica && poolStatsOf(replica.db);
      if (!stats) return;
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'vetted_db_replica_lag_seconds',
    help: 'Replay lag of the read replica at its last check, in seconds (0: caught up; absent when unreachable or without a replica)',
    registers: [registry],
    collect() {
      this.reset();
      const lag = replicaOf(deps.db)?.lagSeconds();
      if (lag !== null && lag !== undefined) this.set(lag);
    },
  });
  new Gauge({
    name: 'vetted_db_replica_usable',
    help: '1 while reads go to the read replica (reachable, lag within REPLICA_MAX_LAG_SECONDS), else 0 (absent without a replica)',
    registers: [registry],
    collect() {
      const replica = replicaOf(deps.db);
      if (replica) this.set(replica.usableNow() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vetted_db_replica_reads',
    help: 'Reads that could go to the replica since start, by where they went (replica, primary)',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      const replica = replicaOf(deps.db);
      if (!replica) return;
      for (const [target, n] of Object.entries(replica.reads)) this.set({ target }, n);
    },
  });
  new Gauge({
    name: 'vetted_jobs',
    help: 'Jobs in the queues by queue and state (created, retry, active, completed, cancelled, failed), across every process',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, state, count } of await deps.jobs.queueCounts()) this.set({ queue, state }, count);
    },
  });
  const runs = new Counter({
    name: 'vetted_job_runs_total',
    help: 'Jobs this process ran, by queue and outcome (done, failed, dropped)',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'vetted_job_duration_seconds',
    help: 'Duration of the jobs this process ran, by queue',
    labelNames: ['queue'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  deps.jobs.onOutcome((queue, outcome, seconds) => {
    runs.inc({ queue, outcome });
    jobDuration.observe({ queue }, seconds);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return registry;
}
