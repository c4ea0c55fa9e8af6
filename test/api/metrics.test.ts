import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineJob } from '../../src/server/platform/jobs.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const metrics = async () => (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('metrics and request ids', () => {
  it('counts the jobs in the queues and the jobs this process ran, by outcome', async () => {
    const probe = defineJob({
      name: 'metrics-probe',
      version: 1,
      payload: z.strictObject({ fail: z.boolean() }),
      retryLimit: 0,
      handle: async ({ fail }) => {
        if (fail) throw new Error('probe failure');
      },
    });
    await t.jobs.register(probe);
    await t.jobs.send(probe, { fail: false });
    await t.jobs.send(probe, { fail: true });
    await t.jobs.send(probe, { fail: false }, { startAfter: new Date(Date.now() + 3600_000) });
    const waiting = await metrics();
    expect(value(waiting, 'vetted_jobs{queue="metrics-probe-v1",state="created"}')).toBe(3);

    await t.jobs.runPending(probe).catch(() => undefined);
    const after = await metrics();
    expect(value(after, 'vetted_job_runs_total{queue="metrics-probe-v1",outcome="done"}')).toBe(1);
    expect(value(after, 'vetted_job_runs_total{queue="metrics-probe-v1",outcome="failed"}')).toBe(1);
    expect(value(after, 'vetted_job_duration_seconds_count{queue="metrics-probe-v1"}')).toBe(2);
    expect(value(after, 'vetted_jobs{queue="metrics-probe-v1",state="created"}')).toBe(1);
  });

  it('shows the pool’s clients on PostgreSQL only', async () => {
    const text = await metrics();
    if (t.database.kind === 'postgres') {
      expect(value(text, 'vetted_db_pool_clients{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(value(text, 'vetted_db_pool_clients{state="waiting"}')).toBe(0);
    } else {
      expect(text).not.toContain('vetted_db_pool_clients{');
    }
  });

  it('names each request in its response, the same id as in the error body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/inventory/00000000-0000-4000-8000-000000000000' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().error.requestId).toBe(res.headers['x-request-id']);
    const other = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(other.headers['x-request-id']).not.toBe(res.headers['x-request-id']);
  });
});
