/**
 * Hardening of the whole app: CSRF on every state-changing route (enumerated from the app, so a
 * route added later is covered), security headers, and logs free of secrets.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithUsers, buildUser, PASSWORD, signIn, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let client: Client;
const logs: string[] = [];
/** Routes another site must be able to post to; their own proof replaces the CSRF token. */
const CSRF_EXEMPT = ['POST /api/v1/sso/saml/:institutionId/:connectionId/acs'];
const UNSAFE = ['POST', 'PUT', 'PATCH', 'DELETE'];
const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, () => randomUUID());

beforeAll(async () => {
  t = await createTestApp({}, { logLevel: 'trace', logStream: { write: (line) => void logs.push(line) } });
  client = (await buildTenantWithUsers(t.app, t.database.db)).siteAdmin;
});
afterAll(async () => t?.close());

describe('CSRF', () => {
  const unsafeRoutes = () => t.app.routeList.filter((r) => UNSAFE.includes(r.method) && r.url.startsWith('/api/'));

  it('refuses every state-changing route of a signed-in session without the token, or with a wrong one', async () => {
    const routes = unsafeRoutes();
    expect(routes.length).toBeGreaterThan(25);
    for (const r of routes) {
      const key = `${r.method} ${r.url}`;
      if (CSRF_EXEMPT.includes(key)) continue;
      for (const headers of [{}, { 'x-csrf-token': 'x'.repeat(43) }]) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: fill(r.url),
          cookies: { [client.cookie.name]: client.cookie.value },
          headers,
          payload: {},
        });
        expect(res.statusCode, `${key} ${JSON.stringify(headers)} → ${res.body}`).toBe(403);
      }
    }
    // The token still works: the refusals above are the token check, not something else.
    expect((await client.request('DELETE', '/api/v1/account/sessions')).statusCode).toBe(204);
  });

  it('refuses cross-site form posts (no JSON) on every state-changing route but the SAML ACS', async () => {
    for (const r of unsafeRoutes()) {
      const key = `${r.method} ${r.url}`;
      if (CSRF_EXEMPT.includes(key) || r.method === 'DELETE') continue;
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url: fill(r.url),
          headers: { 'content-type': type },
          payload: 'email=a%40b.org&password=x',
        });
        expect(res.statusCode, `${key} as ${type}`).toBe(415);
      }
    }
  });

  it('lists exactly the exempt routes that exist', () => {
    const keys = t.app.routeList.map((r) => `${r.method} ${r.url}`);
    for (const k of CSRF_EXEMPT) expect(keys).toContain(k);
  });
});

describe('security headers', () => {
  it('sends a CSP with no unsafe inline or eval script that forbids framing, and no HSTS over http', async () => {
    for (const url of ['/api/v1/session', '/healthz', '/sign-in']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      const script = /script-src ([^;]+)/.exec(csp)![1]!;
      expect(script).not.toContain('unsafe-inline');
      expect(script).not.toContain('unsafe-eval');
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS and Secure, __Host- cookies when served over https', async () => {
    const https = await createTestApp({ PUBLIC_URL: 'https://vetted.example.org' });
    try {
      const res = await https.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000; includeSubDomains/);
      const user = await buildUser(https.database.db, { tenantId: null, role: 'platform_admin' });
      const login = await https.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: PASSWORD } });
      const challenge = login.cookies.find((c) => c.name === 'vetted_mfa')!;
      expect(challenge).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
      const admin = await signIn(https.app, user);
      expect(admin.cookie.name).toBe('__Host-vetted_session');
    } finally {
      await https.close();
    }
  });
});

describe('logs', () => {
  it('hold no password, session cookie, CSRF token or emailed link token', async () => {
    const user = await buildUser(t.database.db, { tenantId: client.user.tenantId, role: 'app_admin' });
    const signedIn = await signIn(t.app, user);
    await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password: 'a wrong password here' } });
    const count = t.smtp.messages.length;
    await t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: user.email } });
    let mail = '';
    for (let i = 0; i < 100 && !mail; i++) {
      mail = t.smtp.messages
        .slice(count)
        .map((m) => m.text ?? '')
        .join('');
      await new Promise((r) => setTimeout(r, 50));
    }
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec(mail)![1]!);
    await t.app.inject({ method: 'GET', url: `/api/v1/invitations/preview?token=${encodeURIComponent(token)}` });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets/complete',
      payload: { token, password: 'violet kayak orbit lantern 42' },
    });
    const text = logs.join('');
    expect(text).toContain('/api/v1/password-resets');
    for (const secret of [
      PASSWORD,
      'a wrong password here',
      'violet kayak orbit lantern 42',
      signedIn.cookie.value,
      signedIn.csrf,
      token,
    ]) {
      expect(text.includes(secret), `found a secret in the logs: ${secret.slice(0, 6)}…`).toBe(false);
    }
  });
});
