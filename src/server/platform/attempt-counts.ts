import { createHmac } from 'node:crypto';
import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows, withShared, withSystem, type Db } from './db.js';
import { defineJob } from './jobs.js';

/** What a hit answers: the hits of the current window, this one included, and the milliseconds it has left. */
export interface AttemptCount {
  current: number;
  ttl: number;
}

/**
 * The key a count is kept under: HMAC-SHA256, under a key derived from `SESSION_SECRET`, of the
 * route and of what is counted there (an address, an account). Every process of a deployment derives
 * the same key, so they share the count; the table never holds an address, an email or a token.
 */
export function attemptKey(secret: Buffer, scope: string, subject: string): string {
  return createHmac('sha256', secret).update(JSON.stringify([scope, subject])).digest('base64url');
}

/** The HMAC key of the counts, derived from the session secret (a rotation of it starts every count afresh). */
export function attemptKeySecret(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('vetted-attempt-counts').digest();
}

/**
 * Counts one hit of `key` in a fixed window of `windowMs`, in PostgreSQL, atomically: the first hit,
 * or the first after the window ended, starts a window of 1; each other adds one. The database's
 * clock decides, so processes on hosts whose clocks differ agree.
 */
export async function hitAttempt(db: Db, key: string, windowMs: number): Promise<AttemptCount> {
  const window = Math.max(1, Math.trunc(windowMs));
  const [row] = await withShared(db, (tx) =>
    queryRows<{ hits: number; ttl: number }>(
      tx,
      sql`insert into attempt_counts as a (key, hits, resets_at)
          values (${key}, 1, now() + ${window} * interval '1 millisecond')
          on conflict (key) do update set
            hits = case when a.resets_at <= now() then 1 else a.hits + 1 end,
            resets_at = case when a.resets_at <= now() then excluded.resets_at else a.resets_at end
          returning a.hits, greatest(0, ceil(extract(epoch from (a.resets_at - now())) * 1000))::float8 as ttl`,
    ),
  );
  return { current: Number(row!.hits), ttl: Number(row!.ttl) };
}

/** Removes the counts whose window has ended (they would start afresh at their next hit anyway). */
export async function sweepAttempts(db: Db): Promise<number> {
  const rows = await withSystem(db, (tx) => queryRows<{ key: string }>(tx, sql`delete from attempt_counts where resets_at <= now() returning key`));
  return rows.length;
}

/** What `child` is given by @fastify/rate-limit: a route's merged limit options, with the route. */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
}

/**
 * The store of @fastify/rate-limit keeping every count in PostgreSQL (`attempt_counts`): limits hold
 * across processes and restarts. Each route's limit counts apart (its scope is the route); limiters
 * made with `createRateLimit` have no route and put it in their keys themselves.
 */
export function attemptStore(db: Db, secret: Buffer): new (options: FastifyRateLimitOptions) => FastifyRateLimitStore {
  class AttemptStore implements FastifyRateLimitStore {
    readonly scope: string;
    constructor(_options: FastifyRateLimitOptions, scope = '') {
      this.scope = scope;
    }
    incr(key: string, callback: (error: Error | null, result?: AttemptCount) => void, timeWindow: number): void {
      hitAttempt(db, attemptKey(secret, this.scope, key), timeWindow).then(
        (count) => callback(null, count),
        (err: Error) => callback(err),
      );
    }
    child(options: unknown): FastifyRateLimitStore {
      const route = (options as ChildOptions).routeInfo;
      const scope = route?.url ? `${[route.method ?? ''].flat().join(',')} ${route.url}` : '';
      return new AttemptStore({}, scope);
    }
  }
  return AttemptStore;
}

/** Every 10 minutes, the counts whose window ended are removed. */
export function createAttemptSweepJob(db: Db) {
  return defineJob({
    name: 'attempt-counts-sweep',
    version: 1,
    payload: z.object({}),
    schedule: { cron: '*/10 * * * *', payload: {} },
    handle: async () => {
      await sweepAttempts(db);
    },
  });
}
