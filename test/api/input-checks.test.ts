/**
 * Input every route refuses the same way, before its service: NUL characters anywhere (PostgreSQL
 * refuses them), dates outside the range their domain needs, addresses the router cannot take.
 * Each a 400 (or 404) naming the field, never a 500, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, signIn, type Client } from '../support/factories.js';
import { buildPopulatedTenant } from '../support/populate.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildPopulatedTenant>>;
let operator: Client;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await buildPopulatedTenant(t.app, t.database.db, 1);
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

const fieldsOf = (res: { json(): unknown }) =>
  (res.json() as { error: { fields?: Record<string, string>; fieldCodes?: Record<string, string> } }).error;

describe('NUL characters', () => {
  it('are refused in a body field, a nested field, a key, a query and a path parameter, naming the field', async () => {
    const cases: [string, Promise<{ statusCode: number; json(): unknown }>][] = [
      ['custom.name', tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Nul\u0000App' } })],
      ['q', tenant.appAdmin.request('GET', '/api/v1/catalog/apps?q=a%00b')],
      ['recordId', tenant.siteAdmin.request('GET', '/api/v1/audit?recordId=%00')],
      ['slug', t.app.inject({ method: 'GET', url: '/api/v1/public/lists/a%00b' })],
      ['email', t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'a\u0000@example.org', password: 'x' } })],
    ];
    for (const [field, pending] of cases) {
      const res = await pending;
      expect(res.statusCode, field).toBe(400);
      expect(fieldsOf(res).fieldCodes, field).toEqual({ [field]: 'nul_character' });
      expect(fieldsOf(res).fields?.[field], field).toBe('must not contain a NUL character');
    }
    const key = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { ['bad\u0000key']: 1 });
    expect(key.statusCode).toBe(400);
    expect(fieldsOf(key).fieldCodes).toEqual({ 'bad\u0000key': 'nul_character' });
    // Nothing was written.
    const list = await tenant.appAdmin.request('GET', '/api/v1/inventory');
    expect(JSON.stringify(list.json())).not.toContain('Nul');
  });

  it('are found however deep a body nests, without exhausting the stack', async () => {
    const depth = 50_000;
    const payload = `{"custom":{"name":"x","description":${'['.repeat(depth)}"a\\u0000"${']'.repeat(depth)}}}`;
    const c = tenant.appAdmin;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inventory',
      cookies: { [c.cookie.name]: c.cookie.value },
      headers: { 'x-csrf-token': c.csrf, 'content-type': 'application/json' },
      payload,
    });
    expect(fieldsOf(res).fieldCodes).toEqual({ [`custom.description${'.0'.repeat(depth)}`]: 'nul_character' });
    expect(res.statusCode).toBe(400);
  });
});

describe('dates', () => {
  const offboarding = async () =>
    (await tenant.siteAdmin.request('GET', `/api/v1/institutions/${tenant.institution.id}/offboarding`)).json().offboarding;
  const offboardingRequest = (endOfServiceAt: string) =>
    tenant.siteAdmin.request('POST', '/api/v1/institution/offboarding-request', { contactEmail: 'dpo@example.org', endOfServiceAt });

  it('refuse an end of service before today or more than five years ahead, with a field message', async () => {
    const before = await offboarding();
    for (const endOfServiceAt of [
      '0020-01-01T00:00:00Z',
      '0367-06-01T00:00:00Z',
      '1999-12-31T00:00:00Z',
      new Date(Date.now() - 3 * 86_400_000).toISOString(),
      '9999-12-31T00:00:00Z',
    ]) {
      const res = await offboardingRequest(endOfServiceAt);
      expect(res.statusCode, endOfServiceAt).toBe(400);
      expect(fieldsOf(res).fieldCodes, endOfServiceAt).toEqual({
        endOfServiceAt: expect.stringMatching(/^(end_of_service_range|date_range)$/),
      });
    }
    expect(await offboarding()).toEqual(before);
    // The platform admin may record one that ended within the year; not earlier.
    const put = (endOfServiceAt: string) =>
      operator.request('PUT', `/api/v1/institutions/${tenant.institution.id}/offboarding`, {
        contactEmail: 'dpo@example.org',
        endOfServiceAt,
      });
    const old = await put('0020-01-01T00:00:00Z');
    expect(old.statusCode).toBe(400);
    expect(fieldsOf(old).fieldCodes).toEqual({ endOfServiceAt: expect.stringMatching(/^(end_of_service_window|date_range)$/) });
    expect(fieldsOf(await put(new Date(Date.now() - 400 * 86_400_000).toISOString())).fieldCodes).toEqual({
      endOfServiceAt: 'end_of_service_window',
    });
    // Today is fine.
    expect((await offboardingRequest(new Date().toISOString())).statusCode).toBe(201);
  });

  it('refuse calendar days outside 1900 to 9999', async () => {
    const item = (await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Dated' } })).json() as {
      id: string;
      version: number;
    };
    for (const day of ['0020-01-01', '1899-12-31']) {
      const res = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${item.id}`, { version: item.version, agreementSignedOn: day });
      expect(res.statusCode, day).toBe(400);
      expect(fieldsOf(res).fieldCodes, day).toEqual({ agreementSignedOn: 'date_range' });
    }
    const ok = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${item.id}`, {
      version: item.version,
      agreementSignedOn: '1900-01-01',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('integers', () => {
  it('refuse revision numbers and versions beyond what the database holds, with a field message', async () => {
    const [assessment] = (await tenant.appAdmin.request('GET', '/api/v1/assessments')).json().items as { id: string }[];
    const compare = await tenant.appAdmin.request('GET', `/api/v1/assessments/${assessment!.id}/compare?from=1&to=3000000000`);
    expect(compare.statusCode, compare.body).toBe(400);
    expect(fieldsOf(compare).fieldCodes).toEqual({ to: 'too_large' });
    const revision = await tenant.appAdmin.request('GET', `/api/v1/assessments/${assessment!.id}/revisions/3000000000`);
    expect(fieldsOf(revision).fieldCodes).toEqual({ number: 'too_large' });
  });
});

describe('addresses the router cannot take', () => {
  it('answer in the API error format: 404 for an overlong id, 400 for a malformed escape', async () => {
    const long = await tenant.appAdmin.request('GET', `/api/v1/inventory/${'a'.repeat(500)}`);
    expect(long.statusCode).toBe(404);
    expect(long.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(long.body).not.toContain('aaaa');
    const bad = await tenant.appAdmin.request('GET', '/api/v1/inventory/%E0%A4%A');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});
