/** The HTTP surface: health, metrics, OpenAPI, headers, and bad input that must never become a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithUsers } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>;
beforeAll(async () => {
  t = await createTestApp();
  tenant = await buildTenantWithUsers(t.app, t.database.db);
});
afterAll(async () => t?.close());

describe('HTTP surface', () => {
  it('answers health, readiness and metrics', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
    await t.app.inject('/api/v1/catalog/apps');
    const metrics = await t.app.inject('/metrics');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('route="/api/v1/catalog/apps"');
  });

  it('serves an OpenAPI document of every API route, and its docs page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const routes = t.app.routeList.filter((r) => r.url.startsWith('/api/v1/')).map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(doc.paths['/api/v1/inventory'].post.requestBody).toBeTruthy();
    const docs = await t.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
  });

  it('sends security headers and a request id', async () => {
    const res = await t.app.inject('/api/v1/catalog/apps');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('turns malformed, oversized and wrongly typed bodies into clear 4xx answers', async () => {
    const cookie = (await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: tenant.siteAdmin.user.email, password: 'correct horse battery staple' } })).cookies[0]!;
    const send = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v1/inventory', payload, headers: { 'content-type': contentType, 'x-csrf-token': tenant.siteAdmin.csrf }, cookies: { [cookie.name]: cookie.value } });
    // The csrf token belongs to the other session of the same user; fetch this one's.
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { [cookie.name]: cookie.value } });
    const csrf = session.json().csrfToken;
    const sendOwn = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v1/inventory', payload, headers: { 'content-type': contentType, 'x-csrf-token': csrf }, cookies: { [cookie.name]: cookie.value } });

    expect((await send('{}')).statusCode).toBe(403); // CSRF token of another session
    const malformed = await sendOwn('{"custom": {');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toMatch(/not valid JSON/);
    expect(malformed.body).not.toMatch(/at .*\.js|SyntaxError|stack/);
    const form = await sendOwn('custom=1', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    const text = await sendOwn('{}', 'text/plain');
    expect(text.statusCode).toBe(415);
    const huge = await sendOwn(JSON.stringify({ custom: { name: 'x' }, notes: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.statusCode).toBe(413);
    const badId = await tenant.siteAdmin.request('GET', '/api/v1/inventory/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields).toHaveProperty('id');
    const badQuery = await tenant.siteAdmin.request('GET', '/api/v1/inventory?pageSize=100000&status=bogus');
    expect(badQuery.statusCode).toBe(400);
    expect(Object.keys(badQuery.json().error.fields)).toEqual(expect.arrayContaining(['pageSize', 'status.0']));
  });

  it('gives each field message a code clients translate, the precise one a schema wrote included', async () => {
    const id = tenant.institution.id;
    const slug = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${id}`, { publicSlug: 'our--district' });
    expect(slug.statusCode).toBe(400);
    expect(slug.json().error.fields.publicSlug).toBe('must not contain two hyphens in a row');
    expect(slug.json().error.fieldCodes.publicSlug).toBe('double_hyphen');
    const sso = await tenant.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'X',
      emailDomains: ['bad domain'],
      requireIdpMfa: true,
      mfaAuthnContexts: ['not a uri'],
    });
    expect(sso.statusCode).toBe(400);
    const { fields, fieldCodes } = sso.json().error;
    expect(fieldCodes['emailDomains.0']).toBe('domain');
    expect(fieldCodes['mfaAuthnContexts.0']).toBe('uri');
    expect(fields['mfaAuthnContexts.0']).toBe('must be a URI, such as https://refeds.org/profile/mfa');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await t.app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
