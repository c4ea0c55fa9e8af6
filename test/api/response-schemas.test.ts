/**
 * The answers written without being parsed again on the way out (`plainJson` in platform/http.ts:
 * the inventory list, the dashboard, a report) match their documented schemas exactly: every field
 * of the right type, and no key the schema does not name (a parse drops unknown keys, so the parsed
 * answer would differ from the one sent).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { inventoryPageSchema } from '../../src/contracts/api.js';
import { dashboardSchema, REPORT_IDS, reportResultSchema } from '../../src/contracts/reports.js';
import { buildTenantWithUsers } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await buildTenantWithUsers(t.app, t.database.db);
  for (const name of ['Alpha', 'Beta', 'Gamma']) {
    const res = await tenant.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name, vendor: `${name} Inc.` } });
    expect(res.statusCode).toBe(201);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

function matches(schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data).toStrictEqual(body);
}

describe('answers written as plain JSON', () => {
  it('the inventory list matches its schema, with its items', async () => {
    const res = await tenant.siteAdmin.request('GET', '/api/v1/inventory?page=1&pageSize=25');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: unknown[] };
    expect(body.items).toHaveLength(3);
    matches(inventoryPageSchema, body);
  });

  it('the dashboard matches its schema, with its recent changes', async () => {
    const res = await tenant.siteAdmin.request('GET', '/api/v1/dashboard');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; recentChanges: unknown[] };
    expect(body.total).toBe(3);
    expect(body.recentChanges.length).toBeGreaterThan(0);
    matches(dashboardSchema, body);
  });

  it('every report matches its schema', async () => {
    for (const id of REPORT_IDS) {
      const res = await tenant.siteAdmin.request('GET', `/api/v1/reports/${id}`);
      expect(res.statusCode, id).toBe(200);
      matches(reportResultSchema, res.json());
    }
  });

  it('bad input and another tenant are still answered as errors, not as a page', async () => {
    const bad = await tenant.siteAdmin.request('GET', '/api/v1/inventory?pageSize=1000');
    expect(bad.statusCode).toBe(400);
    expect((bad.json() as { error: { fields: Record<string, string> } }).error.fields.pageSize).toBeTruthy();
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/dashboard' });
    expect(anonymous.statusCode).toBe(401);
  });
});
