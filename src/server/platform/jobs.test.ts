import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildInstitution } from '../../../test/support/factories.js';
import { openTestDatabase } from '../../../test/support/test-db.js';
import { unsafeTenantScope, withSystem, withTenant, type Database } from './db.js';
import { createJobs, defineJob, queueOf, type Jobs } from './jobs.js';

let database: Database;
let producer: Jobs;
const ran: { name: string; value: number; retry: number }[] = [];
let failuresLeft = 0;

const echo = defineJob({
  name: 'test-echo',
  version: 1,
  payload: z.strictObject({ value: z.number().int() }),
  retryDelaySeconds: 0,
  handle: async (p, job) => {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('flaky');
    }
    ran.push({ name: 'echo', value: p.value, retry: job.retryCount });
  },
});
const keyed = defineJob({
  name: 'test-keyed',
  version: 1,
  payload: z.strictObject({ tenantId: z.uuid() }),
  singletonKey: (p) => p.tenantId,
  handle: async () => {},
});

beforeAll(async () => {
  database = await openTestDatabase();
  producer = await createJobs({ db: database.db });
  await producer.register(echo, keyed);
});
afterAll(async () => {
  await producer?.stop();
  await database?.close();
});

describe('jobs platform', () => {
  it('enqueues in the caller’s transaction, as request code, and runs the job once', async () => {
    ran.length = 0;
    const { institution } = await buildInstitution(database.db);
    const id = await withTenant(database.db, unsafeTenantScope(institution.id), (tx) => producer.enqueue(tx, echo, { value: 7 }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await producer.stateOf(echo, id!)).toBe('created');
    expect(await producer.runPending(echo)).toBe(1);
    expect(ran).toEqual([{ name: 'echo', value: 7, retry: 0 }]);
    expect(await producer.stateOf(echo, id!)).toBe('completed');
    expect(await producer.runPending(echo)).toBe(0);
  });

  it('drops the job when the transaction rolls back', async () => {
    ran.length = 0;
    let id: string | null = null;
    await expect(
      withSystem(database.db, async (tx) => {
        id = await producer.enqueue(tx, echo, { value: 1 });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(id).not.toBeNull();
    expect(await producer.stateOf(echo, id!)).toBeNull();
    expect(await producer.runPending(echo)).toBe(0);
    expect(ran).toEqual([]);
  });

  it('refuses a payload that does not match the definition, and an unregistered job', async () => {
    await expect(producer.send(echo, { value: 'x' } as never)).rejects.toThrow();
    const other = defineJob({ name: 'test-unknown', version: 1, payload: z.object({}), handle: async () => {} });
    await expect(producer.send(other, {})).rejects.toThrow(/not registered/);
    expect(() => defineJob({ name: 'Bad Name', version: 1, payload: z.object({}), handle: async () => {} })).toThrow();
  });

  it('retries a failed job, and keeps one waiting job per singleton key', async () => {
    ran.length = 0;
    failuresLeft = 1;
    await producer.send(echo, { value: 2 });
    expect(await producer.runPending(echo)).toBe(2);
    expect(ran).toEqual([{ name: 'echo', value: 2, retry: 1 }]);

    const tenantId = '00000000-0000-4000-8000-000000000001';
    expect(await producer.send(keyed, { tenantId })).not.toBeNull();
    expect(await producer.send(keyed, { tenantId })).toBeNull();
    expect(await producer.send(keyed, { tenantId: '00000000-0000-4000-8000-000000000002' })).not.toBeNull();
    expect(await producer.runPending(keyed)).toBe(2);
  });

  it('runs workers that poll, fire cron schedules, and finish running jobs on stop', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const slowStarted = new Promise<void>((resolve) => (release = resolve));
    const polled = defineJob({
      name: 'test-polled',
      version: 2,
      payload: z.strictObject({ tag: z.string().max(20) }),
      pollSeconds: 0.5,
      handle: async (p) => {
        if (p.tag === 'slow') {
          release();
          await new Promise((r) => setTimeout(r, 1500));
        }
        seen.push(p.tag);
      },
    });
    const ticking = defineJob({
      name: 'test-tick',
      version: 1,
      payload: z.strictObject({ tag: z.literal('cron') }),
      pollSeconds: 0.5,
      schedule: { cron: '* * * * *', payload: { tag: 'cron' } },
      handle: async (p) => void seen.push(p.tag),
    });
    expect(queueOf(polled)).toBe('test-polled-v2');
    const worker = await createJobs({ db: database.db });
    try {
      await worker.register(polled, ticking);
      await worker.startWorkers();
      expect(worker.runsWorkers).toBe(true);
      await producer.register(polled);
      await producer.send(polled, { tag: 'first' });
      await waitUntil(() => seen.includes('first'), 15_000);
      await waitUntil(() => seen.includes('cron'), 15_000);
      await producer.send(polled, { tag: 'slow' });
      await slowStarted;
    } finally {
      await worker.stop(10_000);
    }
    // The slow job started before stop() and was allowed to finish.
    expect(seen).toContain('slow');
  }, 40_000);

  it('runs a job marked to run at start once when workers start, without waiting for its cron', async () => {
    const seen: string[] = [];
    const recovery = defineJob({
      name: 'test-at-start',
      version: 1,
      payload: z.strictObject({}),
      pollSeconds: 0.5,
      // Once a year: only the start can run it within this test.
      schedule: { cron: '0 0 1 1 *', payload: {} },
      runAtStart: true,
      handle: async () => void seen.push('ran'),
    });
    const worker = await createJobs({ db: database.db });
    try {
      await worker.register(recovery);
      await worker.startWorkers();
      await waitUntil(() => seen.length > 0, 20_000);
    } finally {
      await worker.stop(10_000);
    }
    expect(seen).toEqual(['ran']);
  }, 40_000);

  it('takes a job at once when woken after the commit, without waiting for its next poll', async () => {
    const seen: string[] = [];
    const rare = defineJob({
      name: 'test-woken',
      version: 1,
      payload: z.strictObject({}),
      // Polled once an hour: within this test only a wake makes the worker look again.
      pollSeconds: 3600,
      handle: async () => void seen.push('ran'),
    });
    const worker = await createJobs({ db: database.db });
    try {
      await worker.register(rare);
      await worker.startWorkers();
      // The worker's first look, at start, found nothing; this job waits for the next one.
      await withSystem(database.db, (tx) => worker.enqueue(tx, rare, {}));
      worker.wake(rare);
      await waitUntil(() => seen.length > 0, 20_000);
    } finally {
      await worker.stop(10_000);
    }
    expect(seen).toEqual(['ran']);
  }, 40_000);
});

describe('a job whose end cannot be recorded', () => {
  it('is logged as the worker’s error, and the process goes on (pg-boss records a job’s end without waiting for it)', async () => {
    const lost = await openTestDatabase();
    const errors: string[] = [];
    const ran: string[] = [];
    const log = { info: () => {}, warn: () => {}, error: (_: unknown, msg: string) => void errors.push(msg) };
    const gone = defineJob({
      name: 'test-database-gone',
      version: 1,
      payload: z.strictObject({}),
      pollSeconds: 3600,
      // The database goes away while the job runs: recording its end then fails.
      handle: async () => {
        await lost.close();
        ran.push('ran');
      },
    });
    const worker = await createJobs({ db: lost.db, log });
    await worker.register(gone);
    await worker.startWorkers();
    await withSystem(lost.db, (tx) => worker.enqueue(tx, gone, {}));
    worker.wake(gone);
    // Unhandled, the failed record would end the test run here as an unhandled rejection.
    await waitUntil(() => ran.length > 0 && errors.includes('job worker error'), 30_000);
    await worker.stop(1000).catch(() => {});
    expect(ran).toEqual(['ran']);
  }, 60_000);
});

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out (${check.toString()})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
