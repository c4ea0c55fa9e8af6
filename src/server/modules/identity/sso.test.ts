import { randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations, sessions, ssoConnections, ssoIdentities, ssoLoginStates, users } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildInstitution, buildTenantWithUsers, buildUser, buildVerifiedDomain } from '../../../../test/support/factories.js';
import { cookieHeader, followToApp, keepCookies, startOidcIdp, type TestOidcIdp } from '../../../../test/support/oidc-idp.js';
import { authnRequestOf, makeTestCertificate, startSamlIdp, type TestSamlIdp } from '../../../../test/support/saml-idp.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
let idp: TestOidcIdp;
let saml: TestSamlIdp;
let a: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let b: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let oidcA: string;
let oidcB: string;
let samlA: string;
const logs: string[] = [];

const sessionCookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'vetted_session');

async function whoAmI(cookie: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } });
  return res.statusCode === 200 ? (res.json() as { user: { id: string; email: string; role: string } }).user : null;
}

/** A whole OIDC sign-in: our start route, the provider, our callback. `tamper` runs before the callback. */
async function oidcSignIn(
  tenantId: string,
  connectionId: string,
  account: string,
  tamper?: (callback: URL) => Promise<URL | void>,
  jar?: Map<string, string>,
) {
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${tenantId}/${connectionId}` });
  expect(start.statusCode).toBe(303);
  const binding = start.cookies.find((c) => c.name === 'vetted_sso')!;
  idp.nextAccount = account;
  let back = await followToApp(start.headers.location as string, t.config.publicUrl, jar);
  if (tamper) back = (await tamper(back)) ?? back;
  const res = await t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding.value } });
  return { res, back, binding: binding.value };
}

async function spMetadata(connectionId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/sso/saml/${a.institution.id}/${connectionId}/metadata` });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** What the IdP posts back, and the binding cookie of the browser that started the sign-in. */
type SamlForm = { SAMLResponse: string; RelayState: string; binding?: string };

/** Starts a SAML sign-in and returns what the IdP would post back, before any tampering. */
async function samlResponse(opts: {
  nameId: string;
  email: string;
  overrides?: Record<string, string>;
  connectionId?: string;
  idp?: TestSamlIdp;
  authnContextClassRef?: string;
  attributes?: Record<string, string>;
}): Promise<SamlForm & { requestId: string }> {
  const connectionId = opts.connectionId ?? samlA;
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${connectionId}` });
  expect(start.statusCode).toBe(303);
  const binding = start.cookies.find((c) => c.name === 'vetted_saml')?.value;
  const form = await (opts.idp ?? saml).respond({ spMetadata: await spMetadata(connectionId), redirectUrl: start.headers.location as string, ...opts });
  const requestId = /ID="([^"]+)"/.exec(authnRequestOf(start.headers.location as string))![1]!;
  return { ...form, binding, requestId };
}

/** The browser posts the IdP's form to our ACS, with its binding cookie when it has one. */
function postAcs(form: SamlForm, connectionId = samlA) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/sso/saml/${a.institution.id}/${connectionId}/acs`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...(form.binding ? { cookies: { vetted_saml: form.binding } } : {}),
    payload: new URLSearchParams({ SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }).toString(),
  });
}

/** The guard that refused a SAML response, as its audit event records it (one event per refused response). */
async function refusalOf(res: { headers: Record<string, unknown> }) {
  const requestId = String(res.headers['x-request-id']);
  const events = await withSystem(t.database.db, (tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, 'sso.saml_refused'))),
  );
  expect(events.length, `audit events of request ${requestId}`).toBeLessThanOrEqual(1);
  if (!events[0]) return null;
  const after = (key: string) => (events[0]!.changes as Record<string, { after: unknown }>)[key]?.after;
  return { refusal: after('refusal'), reason: after('reason'), connectionId: after('connectionId'), tenantId: events[0].tenantId, event: events[0] };
}

/** The guard a request's log line names (`single sign-on refused`, `single logout response refused`). */
function loggedRefusal(res: { headers: Record<string, unknown> }, msg: string): unknown {
  const requestId = String(res.headers['x-request-id']);
  const lines = logs.map((l) => JSON.parse(l) as { reqId?: string; msg?: string; refusal?: unknown }).filter((l) => l.reqId === requestId && l.msg === msg);
  expect(lines.length, `${msg} lines of request ${requestId}`).toBe(1);
  return lines[0]!.refusal;
}

/** Expects a SAML response refused by one guard: its audit event, and the sign-in page's code. */
async function expectRefused(res: Awaited<ReturnType<typeof postAcs>>, refusal: string, page = '/sign-in?sso=invalid', connectionId = samlA) {
  expect(res.statusCode).toBe(303);
  expect(sessionCookieOf(res)).toBeUndefined();
  const audited = await refusalOf(res);
  expect({ location: res.headers.location, refusal: audited?.refusal, connectionId: audited?.connectionId, tenantId: audited?.tenantId }).toEqual({
    location: page,
    refusal,
    connectionId,
    tenantId: a.institution.id,
  });
}

const xmlOf = (form: { SAMLResponse: string }) => Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
const withXml = (form: SamlForm, xml: string) => ({
  ...form,
  SAMLResponse: Buffer.from(xml).toString('base64'),
});

beforeAll(async () => {
  t = await createTestApp({}, { logLevel: 'debug', logStream: { write: (line) => void logs.push(line) } });
  idp = await startOidcIdp({
    redirectUri: `${t.config.publicUrl}/api/v1/sso/oidc/callback`,
    postLogoutRedirectUri: `${t.config.publicUrl}/sign-in`,
  });
  saml = startSamlIdp();
  a = await buildTenantWithUsers(t.app, t.database.db);
  b = await buildTenantWithUsers(t.app, t.database.db);
  await buildVerifiedDomain(t.database.db, a.institution.id, 'a.example.org');
  await buildVerifiedDomain(t.database.db, b.institution.id, 'b.example.org');
  const create = async (client: typeof a.siteAdmin, body: object) => {
    const res = await client.request('POST', '/api/v1/sso/connections', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const oidcBody = {
    preset: 'oidc',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    displayName: 'District accounts',
  };
  oidcA = await create(a.siteAdmin, { ...oidcBody, emailDomains: ['a.example.org'], jitEnabled: true, jitRole: 'app_admin' });
  oidcB = await create(b.siteAdmin, { ...oidcBody, emailDomains: ['b.example.org'] });
  samlA = await create(a.siteAdmin, {
    preset: 'saml',
    displayName: 'District SAML',
    idp: { metadataXml: saml.metadataXml },
    emailDomains: ['a.example.org'],
  });
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

describe('OIDC sign-in (oidc-provider on loopback)', () => {
  it('signs in an invited user by verified email, links the subject, then signs in by subject', async () => {
    const user = await buildUser(t.database.db, {
      tenantId: a.institution.id,
      role: 'app_admin',
      email: `pat-${randomUUID()}@a.example.org`,
    });
    idp.accounts.set('sub-pat', { email: user.email, email_verified: true });
    const { res } = await oidcSignIn(a.institution.id, oidcA, 'sub-pat');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await whoAmI(sessionCookieOf(res)!.value))?.id).toBe(user.id);
    const links = await withSystem(t.database.db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user.id)));
    expect(links.map((l) => l.subject)).toEqual(['sub-pat']);
    // The provider changes the email: the subject still finds the same person.
    idp.accounts.set('sub-pat', { email: `other-${randomUUID()}@elsewhere.example`, email_verified: true });
    const again = await oidcSignIn(a.institution.id, oidcA, 'sub-pat');
    expect((await whoAmI(sessionCookieOf(again.res)!.value))?.id).toBe(user.id);
  });

  it('turns a pending invitation into an account, and creates others just in time only in the institution’s domains', async () => {
    const invitee = `inv-${randomUUID()}@a.example.org`;
    const inv = await a.siteAdmin.request('POST', '/api/v1/invitations', {
      email: invitee,
      firstName: 'Ines',
      lastName: 'Vite',
      role: 'site_admin',
    });
    expect(inv.statusCode).toBe(201);
    idp.accounts.set('sub-ines', { email: invitee, email_verified: true });
    const first = await oidcSignIn(a.institution.id, oidcA, 'sub-ines');
    expect(await whoAmI(sessionCookieOf(first.res)!.value)).toMatchObject({ email: invitee, role: 'site_admin' });
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(invitations).where(eq(invitations.id, inv.json().id)));
    expect(row!.acceptedAt).not.toBeNull();

    idp.accounts.set('sub-jit', {
      email: `new-${randomUUID()}@a.example.org`,
      email_verified: true,
      given_name: 'Jo',
      family_name: 'Newton',
    });
    const jit = await oidcSignIn(a.institution.id, oidcA, 'sub-jit');
    expect(await whoAmI(sessionCookieOf(jit.res)!.value)).toMatchObject({ role: 'app_admin' });

    idp.accounts.set('sub-outside', { email: `x-${randomUUID()}@outside.example`, email_verified: true });
    const outside = await oidcSignIn(a.institution.id, oidcA, 'sub-outside');
    expect(outside.res.headers.location).toBe('/sign-in?sso=no_account');
    expect(sessionCookieOf(outside.res)).toBeUndefined();
  });

  it('refuses an unverified email', async () => {
    const user = await buildUser(t.database.db, {
      tenantId: a.institution.id,
      role: 'app_admin',
      email: `unv-${randomUUID()}@a.example.org`,
    });
    idp.accounts.set('sub-unverified', { email: user.email, email_verified: false });
    const { res } = await oidcSignIn(a.institution.id, oidcA, 'sub-unverified');
    expect(res.headers.location).toBe('/sign-in?sso=no_account');
  });

  it('refuses a user of another institution’s provider', async () => {
    // A's user signs in at B's provider (same IdP software, B's configuration): nothing of A is reachable.
    const user = await buildUser(t.database.db, {
      tenantId: a.institution.id,
      role: 'site_admin',
      email: `cross-${randomUUID()}@b.example.org`,
    });
    idp.accounts.set('sub-cross', { email: user.email, email_verified: true });
    const { res } = await oidcSignIn(b.institution.id, oidcB, 'sub-cross');
    expect(res.headers.location).toBe('/sign-in?sso=no_account');
    expect(sessionCookieOf(res)).toBeUndefined();
    const links = await withSystem(t.database.db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user.id)));
    expect(links).toEqual([]);
  });

  describe('refuses a tampered flow', () => {
    let user: Awaited<ReturnType<typeof buildUser>>;
    beforeAll(async () => {
      user = await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email: `neg-${randomUUID()}@a.example.org` });
      idp.accounts.set('sub-neg', { email: user.email, email_verified: true });
    });
    const alterPending = (patch: Partial<typeof ssoLoginStates.$inferInsert>) => async () => {
      await withSystem(t.database.db, (tx) => tx.update(ssoLoginStates).set(patch).where(eq(ssoLoginStates.tenantId, a.institution.id)));
    };

    it('with the wrong PKCE verifier', async () => {
      const { res } = await oidcSignIn(a.institution.id, oidcA, 'sub-neg', alterPending({ codeVerifier: 'x'.repeat(43) }));
      expect(res.headers.location).toBe('/sign-in?sso=invalid');
    });
    it('with the wrong nonce', async () => {
      const { res } = await oidcSignIn(a.institution.id, oidcA, 'sub-neg', alterPending({ nonce: 'not-the-nonce-sent' }));
      expect(res.headers.location).toBe('/sign-in?sso=invalid');
    });
    it('with the wrong state', async () => {
      const { res } = await oidcSignIn(a.institution.id, oidcA, 'sub-neg', async (back) => {
        back.searchParams.set('state', 'forged-state');
        return back;
      });
      expect(res.headers.location).toBe('/sign-in?sso=invalid');
    });
    it('without the browser that started it, or a second time', async () => {
      const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${oidcA}` });
      idp.nextAccount = 'sub-neg';
      const back = await followToApp(start.headers.location as string, t.config.publicUrl);
      const noCookie = await t.app.inject({ method: 'GET', url: back.pathname + back.search });
      expect(noCookie.headers.location).toBe('/sign-in?sso=expired');
      const binding = start.cookies.find((c) => c.name === 'vetted_sso')!.value;
      const ok = await t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding } });
      expect(ok.headers.location).toBe('/');
      const replay = await t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding } });
      expect(replay.headers.location).toBe('/sign-in?sso=expired');
    });
  });

  it('keeps the client secret sealed at rest and never returns it', async () => {
    const [row] = await withSystem(t.database.db, (tx) =>
      tx.execute(sql`select oidc_client_secret from sso_connections where id = ${oidcA}`),
    ).then((r) => (r as unknown as { rows: { oidc_client_secret: string }[] }).rows);
    expect(row!.oidc_client_secret).toMatch(/^v2\./);
    expect(row!.oidc_client_secret).not.toContain(idp.clientSecret);
    const list = await a.siteAdmin.request('GET', '/api/v1/sso/connections');
    expect(list.body).not.toContain(idp.clientSecret);
    expect(list.json().items.find((c: { id: string }) => c.id === oidcA).oidc.hasClientSecret).toBe(true);
  });

  it('offers the buttons of an email’s domain only', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/sso/discover?email=${encodeURIComponent('someone@a.example.org')}` });
    expect(
      res
        .json()
        .items.map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual([oidcA, samlA].sort());
    const none = await t.app.inject({ method: 'GET', url: `/api/v1/sso/discover?email=${encodeURIComponent('someone@nowhere.example')}` });
    expect(none.json().items).toEqual([]);
  });
});

describe('OIDC: multi-factor at the provider, and signing out there too', () => {
  let oidcMfa: string;
  beforeAll(async () => {
    const res = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'oidc',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: 'District accounts, two factors',
      emailDomains: ['a.example.org'],
      requireIdpMfa: true,
      mfaAcrValues: ['urn:test:loa:mfa'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().oidc).toMatchObject({
      requireIdpMfa: true,
      mfaAcrValues: ['urn:test:loa:mfa'],
      postLogoutRedirectUri: `${t.config.publicUrl}/sign-in`,
    });
    oidcMfa = res.json().id;
  });

  async function memberAt(account: string, how: { amr?: string[]; acr?: string }) {
    const user = await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email: `${account}-${randomUUID()}@a.example.org` });
    idp.accounts.set(account, { email: user.email, email_verified: true, ...how });
    return user;
  }

  it('asks the provider for the institution’s multi-factor acr values', async () => {
    const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${oidcMfa}` });
    expect(new URL(start.headers.location as string).searchParams.get('acr_values')).toBe('urn:test:loa:mfa');
    const plain = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${oidcA}` });
    expect(new URL(plain.headers.location as string).searchParams.has('acr_values')).toBe(false);
  });

  it('refuses a sign-in the provider does not say was multi-factor', async () => {
    await memberAt('sub-pwd-only', { amr: ['pwd'] });
    const { res } = await oidcSignIn(a.institution.id, oidcMfa, 'sub-pwd-only');
    expect(res.headers.location).toBe('/sign-in?sso=mfa_required');
    expect(sessionCookieOf(res)).toBeUndefined();
    await memberAt('sub-nothing', {});
    expect((await oidcSignIn(a.institution.id, oidcMfa, 'sub-nothing')).res.headers.location).toBe('/sign-in?sso=mfa_required');
    // The same person through a connection that does not require it signs in.
    expect((await oidcSignIn(a.institution.id, oidcA, 'sub-pwd-only')).res.headers.location).toBe('/');
  });

  it('accepts amr "mfa", two kinds of factor, or a declared acr', async () => {
    const cases: [string, { amr?: string[]; acr?: string }][] = [
      ['sub-amr-mfa', { amr: ['mfa'] }],
      ['sub-pwd-otp', { amr: ['pwd', 'otp'] }],
      ['sub-acr', { acr: 'urn:test:loa:mfa' }],
    ];
    for (const [account, how] of cases) {
      const user = await memberAt(account, how);
      const { res } = await oidcSignIn(a.institution.id, oidcMfa, account);
      expect(res.headers.location, account).toBe('/');
      expect((await whoAmI(sessionCookieOf(res)!.value))?.id).toBe(user.id);
    }
    // Two methods of the same kind are not two factors.
    await memberAt('sub-otp-sms', { amr: ['otp', 'sms'] });
    expect((await oidcSignIn(a.institution.id, oidcMfa, 'sub-otp-sms')).res.headers.location).toBe('/sign-in?sso=mfa_required');
  });

  it('takes acr values for OIDC only', async () => {
    const res = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlA}`, { mfaAcrValues: ['urn:test:loa:mfa'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('mfaAcrValues');
  });

  it('signs out at the provider too (RP-initiated logout with id_token_hint)', async () => {
    const user = await memberAt('sub-logout', { amr: ['mfa'] });
    const jar = new Map<string, string>();
    const { res } = await oidcSignIn(a.institution.id, oidcMfa, 'sub-logout', undefined, jar);
    const cookie = sessionCookieOf(res)!.value;
    const [stored] = await withSystem(t.database.db, (tx) =>
      tx.select({ token: sessions.ssoIdToken }).from(sessions).where(eq(sessions.userId, user.id)),
    );
    expect(stored!.token).toMatch(/^v2\./);
    // Not the token in clear: its header and payload are base64url JSON, "eyJ…" then a dot then "eyJ…".
    // A ciphertext holds "eyJ…" followed by one of its own dots by chance now and then (it did, about
    // once in a few hundred runs); both parts in a row, never.
    expect(stored!.token).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/);
    const csrf = (await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } })).json().csrfToken;
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { vetted_session: cookie }, headers: { 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    expect(await whoAmI(cookie)).toBeNull();
    const logoutUrl = new URL(out.json().logoutUrl);
    expect(logoutUrl.origin).toBe(idp.issuer);
    expect(logoutUrl.searchParams.get('post_logout_redirect_uri')).toBe(`${t.config.publicUrl}/sign-in`);
    const hint = logoutUrl.searchParams.get('id_token_hint')!;
    expect(JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: 'sub-logout', aud: idp.clientId });
    // The provider accepts the hint, asks to confirm, ends its session and sends the browser back to us.
    const page = await fetch(logoutUrl, { headers: { cookie: cookieHeader(jar) } });
    keepCookies(jar, page);
    const html = await page.text();
    expect(page.status, html).toBe(200);
    const action = /action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const confirm = await fetch(new URL(action, idp.issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    expect(confirm.headers.get('location')).toBe(`${t.config.publicUrl}/sign-in`);
  });

  it('gives no provider page to sign out of after a password or SAML sign-in', async () => {
    const out = await a.appAdmin.request('DELETE', '/api/v1/session');
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ logoutUrl: null });
  });
});

describe('SAML sign-in (samlify IdP, openssl certificate)', () => {
  let email: string;
  let userId: string;
  beforeAll(async () => {
    email = `saml-${randomUUID()}@a.example.org`;
    userId = (await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email })).id;
  });

  it('publishes service-provider metadata and signs in with a signed assertion', async () => {
    const metadata = await spMetadata(samlA);
    expect(metadata).toContain(`/api/v1/sso/saml/${a.institution.id}/${samlA}/acs`);
    expect(metadata).toContain('WantAssertionsSigned="true"');
    const res = await postAcs(await samlResponse({ nameId: `saml-sub-${userId}`, email }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await whoAmI(sessionCookieOf(res)!.value))?.id).toBe(userId);
  });

  // Each refusal names the guard that made it (audit event `sso.saml_refused`): disabling any one
  // guard turns its case into a sign-in, or into a refusal by another guard, and the case fails.
  it('refuses a replayed response (the request is spent)', async () => {
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    expect((await postAcs(form)).headers.location).toBe('/');
    await expectRefused(await postAcs(form), 'unknown_request');
  });

  it('refuses an assertion id seen before, even answering a new request of the same browser (assertion-id cache)', async () => {
    const first = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    expect((await postAcs(first)).headers.location).toBe('/');
    const assertionId = /<saml:Assertion[^>]*\sID="([^"]+)"/.exec(xmlOf(first))![1]!;
    // The IdP signs a new response to a new request, reusing the assertion id.
    const second = await samlResponse({ nameId: `saml-sub-${userId}`, email, overrides: { AssertionID: assertionId } });
    expect(xmlOf(second)).toContain(`ID="${assertionId}"`);
    await expectRefused(await postAcs(second), 'replay');
  });

  it('refuses an expired assertion', async () => {
    const past = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    const form = await samlResponse({
      nameId: `saml-sub-${userId}`,
      email,
      overrides: {
        IssueInstant: past(20),
        ConditionsNotBefore: past(20),
        ConditionsNotOnOrAfter: past(10),
        SubjectConfirmationDataNotOnOrAfter: past(10),
      },
    });
    await expectRefused(await postAcs(form), 'conditions');
  });

  it('refuses the wrong audience, recipient, destination or issuer, and a response to a request we never made', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ Audience: 'https://someone-else.example/sp' }, 'audience'],
      [{ SubjectRecipient: 'https://someone-else.example/acs' }, 'recipient'],
      [{ Destination: 'https://someone-else.example/acs' }, 'destination'],
      [{ Issuer: 'https://idp.test/someone-else' }, 'issuer'],
      [{ InResponseTo: '_never_issued' }, 'unknown_request'],
    ];
    for (const [overrides, refusal] of cases) {
      const res = await postAcs(await samlResponse({ nameId: `saml-sub-${userId}`, email, overrides }));
      expect(res.headers.location, refusal).not.toBe('/');
      await expectRefused(res, refusal);
    }
  });

  it('refuses an assertion issued by someone else, whatever the envelope says, and an envelope naming another issuer', async () => {
    // Signed by the IdP's key but naming another issuer in the assertion; the unsigned envelope says the IdP.
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email, overrides: { Issuer: 'https://idp.test/someone-else' } });
    const envelopeFixed = xmlOf(form).replace(/(<samlp:Response[^>]*>\s*<saml:Issuer>)[^<]+/, `$1${saml.entityId}`);
    expect(envelopeFixed).toMatch(/<saml:Assertion[\s\S]*<saml:Issuer>https:\/\/idp\.test\/someone-else</);
    await expectRefused(await postAcs(withXml(form, envelopeFixed)), 'issuer');
    // The other way round: a genuine assertion in an envelope naming another issuer.
    const genuine = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const envelopeOther = xmlOf(genuine).replace(/(<samlp:Response[^>]*>\s*<saml:Issuer>)[^<]+/, '$1https://idp.test/someone-else');
    expect(envelopeOther).toContain('https://idp.test/someone-else');
    await expectRefused(await postAcs(withXml(genuine, envelopeOther)), 'issuer');
  });

  it('refuses a response whose signed assertion answers another request than the envelope says (InResponseTo)', async () => {
    // The assertion signed for the first request; the unsigned envelope re-addressed to a second
    // request of the same browser, with that request's RelayState and cookie.
    const first = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const second = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const xml = xmlOf(first).replace(/(<samlp:Response[^>]*\sInResponseTo=")[^"]+"/, `$1${second.requestId}"`);
    expect(xml).toContain(`InResponseTo="${first.requestId}"`);
    const res = await postAcs({ ...withXml(first, xml), RelayState: second.RelayState, binding: second.binding });
    await expectRefused(res, 'in_response_to');
  });

  it('refuses a response to a request older than its ten minutes', async () => {
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    await withSystem(t.database.db, (tx) =>
      tx.update(ssoLoginStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(ssoLoginStates.samlRequestId, form.requestId)),
    );
    await expectRefused(await postAcs(form), 'request_expired', '/sign-in?sso=expired');
  });

  it('refuses a tampered signature and an assertion signed by another key', async () => {
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const other = await buildUser(t.database.db, {
      tenantId: a.institution.id,
      role: 'site_admin',
      email: `victim-${randomUUID()}@a.example.org`,
    });
    const tampered = xmlOf(form).replace(new RegExp(email, 'g'), other.email).replace(`saml-sub-${userId}`, `saml-sub-${other.id}`);
    await expectRefused(await postAcs(withXml(form, tampered)), 'signature');

    const impostor = startSamlIdp({ entityId: saml.entityId, cert: makeTestCertificate('Impostor') });
    const forged = await samlResponse({ nameId: `saml-sub-${other.id}`, email: other.email, idp: impostor });
    await expectRefused(await postAcs(forged), 'signature');
  });

  it('refuses signature wrapping: a forged assertion beside or instead of the signed one', async () => {
    const victim = await buildUser(t.database.db, {
      tenantId: a.institution.id,
      role: 'site_admin',
      email: `wrap-${randomUUID()}@a.example.org`,
    });
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const xml = xmlOf(form);
    const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    const forged = signed
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
      .replace(/ID="[^"]+"/, 'ID="_forged"')
      .replace(new RegExp(email, 'g'), victim.email)
      .replace(`saml-sub-${userId}`, `saml-sub-${victim.id}`);
    // The forged assertion first, the signed one hidden after it; or the signed one in Extensions.
    const beside = xml.replace(signed, forged + signed);
    const inExtensions = xml
      .replace(signed, forged)
      .replace('<samlp:Status>', `<samlp:Extensions>${signed}</samlp:Extensions><samlp:Status>`);
    for (const [name, variant] of Object.entries({ beside, inExtensions })) {
      const res = await postAcs(withXml(form, variant));
      expect(res.headers.location, name).toBe('/sign-in?sso=invalid');
      await expectRefused(res, 'assertion_count');
    }
    // Instead of it: an assertion that carries no signature at all.
    await expectRefused(await postAcs(withXml(form, xml.replace(signed, forged))), 'unsigned');
  });

  it('tells an unsigned assertion from a bad signature, in the audit log and the log', async () => {
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const unsigned = xmlOf(form).replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '');
    const res = await postAcs(withXml(form, unsigned));
    await expectRefused(res, 'unsigned');
    const line = logs.find((l) => l.includes(String(res.headers['x-request-id'])) && l.includes('single sign-on refused'))!;
    expect(JSON.parse(line)).toMatchObject({ reason: 'invalid', refusal: 'unsigned' });
    expect(line).not.toMatch(/invalid signature/i);
    // A DOCTYPE or a body that is not XML are refused before anything is read.
    await expectRefused(await postAcs(withXml(form, `<!DOCTYPE x [<!ENTITY e "e">]>${xmlOf(form)}`)), 'doctype');
    await expectRefused(await postAcs(withXml(form, '<samlp:Response')), 'unparsable');
  });

  it('records each refusal against the connection’s institution, with codes only (no email, no assertion)', async () => {
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email, overrides: { Audience: 'https://someone-else.example/sp' } });
    const res = await postAcs(form);
    const { event } = (await refusalOf(res))!;
    expect(event).toMatchObject({ tenantId: a.institution.id, action: 'sso.saml_refused', recordType: 'sso_connection', recordId: samlA, actorRole: 'system' });
    expect(Object.keys(event.changes as object).sort()).toEqual(['connectionId', 'reason', 'reauth', 'refusal']);
    const stored = JSON.stringify(event);
    for (const secret of [email, `saml-sub-${userId}`, form.requestId, form.RelayState, form.binding!]) expect(stored).not.toContain(secret);
    // Another institution's chain is untouched; an unknown connection has nothing to record against.
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sso/saml/${a.institution.id}/${randomUUID()}/acs`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }).toString(),
    });
    expect(unknown.headers.location).toBe('/sign-in?sso=unavailable');
    expect(await refusalOf(unknown)).toBeNull();
    // A disabled connection is refused as unavailable, and recorded.
    const off = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlA}`, { enabled: false });
    expect(off.statusCode, off.body).toBe(200);
    try {
      await expectRefused(await postAcs(form), 'unavailable', '/sign-in?sso=unavailable');
    } finally {
      expect((await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlA}`, { enabled: true })).statusCode).toBe(200);
    }
  });

  it('keeps the CSRF token requirement everywhere but the assertion consumer service', async () => {
    // A signed-in browser posting to the ACS without a token is not refused as CSRF: the assertion is the proof.
    const form = await samlResponse({ nameId: `saml-sub-${userId}`, email });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/sso/saml/${a.institution.id}/${samlA}/acs`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: { [a.appAdmin.cookie.name]: a.appAdmin.cookie.value, vetted_saml: form.binding! },
      payload: new URLSearchParams({ SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }).toString(),
    });
    expect(res.headers.location).toBe('/');
  });
});

describe('SAML sign-in is bound to the browser that started it (login CSRF)', () => {
  let email: string;
  let userId: string;
  beforeAll(async () => {
    email = `saml-bind-${randomUUID()}@a.example.org`;
    userId = (await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email })).id;
  });

  it('refuses the response in a browser without the cookie, or with another sign-in’s; the starting browser still signs in', async () => {
    // Someone starts a sign-in and gets the IdP's answer for their own account…
    const form = await samlResponse({ nameId: `bind-${userId}`, email });
    // …then has a victim's browser post it (an auto-submitting form on their site): it has no cookie.
    await expectRefused(await postAcs({ ...form, binding: undefined }), 'browser', '/sign-in?sso=expired');
    // A browser that started its own sign-in at this connection has a cookie, but not this sign-in's.
    const other = await samlResponse({ nameId: `bind-${userId}`, email });
    await expectRefused(await postAcs({ ...form, binding: other.binding }), 'browser', '/sign-in?sso=expired');
    // The right browser with another request's RelayState.
    await expectRefused(await postAcs({ ...form, RelayState: other.RelayState }), 'relay_state');
    // The browser that started it is not locked out by these attempts.
    const res = await postAcs(form);
    expect(res.headers.location).toBe('/');
    expect((await whoAmI(sessionCookieOf(res)!.value))?.id).toBe(userId);
  });

  it('keeps only a keyed hash of the cookie; the cookie is http-only, scoped to the connection’s ACS, and cleared there', async () => {
    const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${samlA}` });
    const cookie = start.cookies.find((c) => c.name === 'vetted_saml')!;
    // Plain http (development and tests): SameSite=Lax, as SameSite=None needs Secure.
    expect(cookie).toMatchObject({ path: `/api/v1/sso/saml/${a.institution.id}/${samlA}/acs`, httpOnly: true, sameSite: 'Lax', maxAge: 600 });
    expect(cookie.secure).toBeFalsy();
    const requestId = /ID="([^"]+)"/.exec(authnRequestOf(start.headers.location as string))![1]!;
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(ssoLoginStates).where(eq(ssoLoginStates.samlRequestId, requestId)));
    expect(row!.browserHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.browserHash).not.toContain(cookie.value);
    expect(new URL(start.headers.location as string).searchParams.get('RelayState')).not.toBe(cookie.value);
    const res = await postAcs(await samlResponse({ nameId: `bind-${userId}`, email }));
    expect(res.headers.location).toBe('/');
    const cleared = res.cookies.find((c) => c.name === 'vetted_saml')!;
    expect(cleared.value).toBe('');
    expect(cleared.path).toBe(`/api/v1/sso/saml/${a.institution.id}/${samlA}/acs`);
  });

  it('under https, the cookie is __Secure-, Secure and SameSite=None: the IdP posts back from another site', async () => {
    const https = await createTestApp({ PUBLIC_URL: 'https://vetted.example.org' });
    try {
      const { institution } = await buildInstitution(https.database.db);
      const connectionId = randomUUID();
      await withSystem(https.database.db, (tx) =>
        tx.insert(ssoConnections).values({
          tenantId: institution.id,
          id: connectionId,
          protocol: 'saml',
          preset: 'saml',
          displayName: 'District SAML',
          samlIdpEntityId: saml.entityId,
          samlIdpSsoUrl: saml.ssoUrl,
          samlIdpCerts: [saml.cert.certBody],
        }),
      );
      const start = await https.app.inject({ method: 'GET', url: `/api/v1/sso/start/${institution.id}/${connectionId}` });
      expect(start.statusCode).toBe(303);
      const cookie = start.cookies.find((c) => c.name === '__Secure-vetted_saml')!;
      expect(cookie).toMatchObject({
        path: `/api/v1/sso/saml/${institution.id}/${connectionId}/acs`,
        httpOnly: true,
        secure: true,
        sameSite: 'None',
        maxAge: 600,
      });
    } finally {
      await https.close();
    }
  });
});

describe('SAML attributes: the naming families of common IdPs', () => {
  let samlJit: string;
  beforeAll(async () => {
    const res = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'District SAML, accounts made at first sign-in',
      idp: { metadataXml: saml.metadataXml },
      emailDomains: ['a.example.org'],
      jitEnabled: true,
      jitRole: 'app_admin',
    });
    expect(res.statusCode, res.body).toBe(201);
    samlJit = res.json().id;
  });
  const CLAIMS = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims';
  const families: [string, (email: string) => { nameId: string; attributes: Record<string, string> }][] = [
    [
      'Microsoft Entra ID (claim URIs, opaque NameID)',
      (email) => ({
        nameId: `entra-${randomUUID()}`,
        attributes: { [`${CLAIMS}/emailaddress`]: email, [`${CLAIMS}/givenname`]: 'Émilie', [`${CLAIMS}/surname`]: 'Tremblay', [`${CLAIMS}/name`]: email },
      }),
    ],
    [
      'eduPerson / LDAP urn:oid names (Shibboleth, SimpleSAMLphp)',
      (email) => ({
        nameId: `_persistent${randomUUID()}`,
        attributes: {
          'urn:oid:0.9.2342.19200300.100.1.3': email,
          'urn:oid:2.5.4.42': 'Émilie',
          'urn:oid:2.5.4.4': 'Tremblay',
          'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': `eppn-${randomUUID()}@a.example.org`,
        },
      }),
    ],
    ['Google Workspace (NameID the primary email, names as the admin maps them)', (email) => ({ nameId: email, attributes: { firstName: 'Émilie', lastName: 'Tremblay' } })],
    ['LDAP short names (mail, givenName, sn)', (email) => ({ nameId: `ldap-${randomUUID()}`, attributes: { mail: email, givenName: 'Émilie', sn: 'Tremblay' } })],
    ['email, given_name, surname', (email) => ({ nameId: `plain-${randomUUID()}`, attributes: { email, given_name: 'Émilie', surname: 'Tremblay' } })],
  ];
  for (const [family, make] of families)
    it(`reads email, given name and surname: ${family}`, async () => {
      const email = `attr-${randomUUID()}@a.example.org`;
      const { nameId, attributes } = make(email);
      const res = await postAcs(await samlResponse({ nameId, email, attributes, connectionId: samlJit }), samlJit);
      expect(res.headers.location).toBe('/');
      const [user] = await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.email, email)));
      expect({ email: user?.email, firstName: user?.firstName, lastName: user?.lastName }).toEqual({ email, firstName: 'Émilie', lastName: 'Tremblay' });
      const [link] = await withSystem(t.database.db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user!.id)));
      expect(link!.subject).toBe(nameId);
    });

  it('takes the first value of a multi-valued attribute, and never eduPersonPrincipalName as the email', async () => {
    const email = `attr-multi-${randomUUID()}@a.example.org`;
    // Two values of `mail`, in the signed assertion.
    const multi = await samlResponse({
      nameId: `multi-${randomUUID()}`,
      email,
      connectionId: samlJit,
      overrides: {
        AttributeStatement:
          '<saml:AttributeStatement><saml:Attribute Name="mail">' +
          `<saml:AttributeValue xsi:type="xs:string">${email}</saml:AttributeValue><saml:AttributeValue xsi:type="xs:string">alias-${email}</saml:AttributeValue>` +
          '</saml:Attribute></saml:AttributeStatement>',
      },
    });
    expect((await postAcs(multi, samlJit)).headers.location).toBe('/');
    expect(await withSystem(t.database.db, (tx) => tx.select({ id: users.id }).from(users).where(eq(users.email, email)))).toHaveLength(1);

    const eppn = `eppn-only-${randomUUID()}@a.example.org`;
    const res = await postAcs(
      await samlResponse({ nameId: `_opaque${randomUUID()}`, email: eppn, connectionId: samlJit, attributes: { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': eppn } }),
      samlJit,
    );
    await expectRefused(res, 'no_account', '/sign-in?sso=no_account', samlJit);
    expect(await withSystem(t.database.db, (tx) => tx.select({ id: users.id }).from(users).where(eq(users.email, eppn)))).toHaveLength(0);
  });
});

describe('SAML metadata (public route)', () => {
  it('answers a clean 404 for any unknown, malformed, OIDC, other-institution or other-region id, never a 5xx', async () => {
    const otherRegion = (await buildInstitution(t.database.db, { region: t.config.region === 'ca' ? 'us' : 'ca' })).institution;
    const farConnection = randomUUID();
    await withSystem(t.database.db, (tx) =>
      tx.insert(ssoConnections).values({
        tenantId: otherRegion.id,
        id: farConnection,
        protocol: 'saml',
        preset: 'saml',
        displayName: 'Far SAML',
        samlIdpEntityId: saml.entityId,
        samlIdpSsoUrl: saml.ssoUrl,
        samlIdpCerts: [saml.cert.certBody],
      }),
    );
    const NIL = '00000000-0000-0000-0000-000000000000';
    const MAX = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    const cases: [string, string][] = [
      [NIL, NIL],
      [MAX, MAX],
      ['00000000-0000-4000-8000-000000000000', NIL],
      [randomUUID(), randomUUID()],
      [a.institution.id, randomUUID()],
      [a.institution.id, NIL],
      [a.institution.id, oidcA],
      [b.institution.id, samlA],
      ['not-a-uuid', samlA],
      [a.institution.id, 'x'.repeat(90)],
      [a.institution.id, `${samlA}0`],
      [a.institution.id.toUpperCase().replace(/-/g, ''), samlA],
      ['%2e%2e', samlA],
      [`${a.institution.id}'`, samlA],
      [otherRegion.id, farConnection],
    ];
    for (const [institutionId, connectionId] of cases) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/sso/saml/${institutionId}/${connectionId}/metadata` });
      expect({ status: res.statusCode, type: res.headers['content-type'] }, `${institutionId}/${connectionId}`).toEqual({
        status: 404,
        type: 'application/json; charset=utf-8',
      });
      expect(res.json().error.code).toBe('not_found');
    }
    // The other region's connection is a 404 for its region alone: in its own region it is served.
    await withSystem(t.database.db, (tx) => tx.execute(sql`update institutions set region = ${t.config.region} where id = ${otherRegion.id}`));
    const served = await t.app.inject({ method: 'GET', url: `/api/v1/sso/saml/${otherRegion.id}/${farConnection}/metadata` });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toContain('application/samlmetadata+xml');
  });
});

describe('SAML single logout (SP-initiated, HTTP-Redirect)', () => {
  let sloIdp: TestSamlIdp;
  let samlSlo: string;
  let email: string;
  let userId: string;

  beforeAll(async () => {
    sloIdp = startSamlIdp({ slo: true });
    const res = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'District SAML with single logout',
      emailDomains: ['a.example.org'],
      idp: { metadataXml: sloIdp.metadataXml },
    });
    expect(res.statusCode, res.body).toBe(201);
    samlSlo = res.json().id;
    email = `saml-slo-${randomUUID()}@a.example.org`;
    userId = (await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email })).id;
  });

  /** Signs in through the connection with single logout, then signs out of Vetted: the answer and the cookie. */
  async function signInThenOut(connectionId = samlSlo, idp_ = sloIdp) {
    const res = await postAcs(await samlResponse({ nameId: `slo-sub-${userId}`, email, connectionId, idp: idp_ }), connectionId);
    expect(res.headers.location).toBe('/');
    const cookie = sessionCookieOf(res)!.value;
    const csrf = (await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } })).json().csrfToken;
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { vetted_session: cookie }, headers: { 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(200);
    return { cookie, logoutUrl: out.json().logoutUrl as string | null };
  }
  /** Our single logout service, as the browser reaches it from the IdP. */
  const back = (responseUrl: string) => {
    const u = new URL(responseUrl);
    return t.app.inject({ method: 'GET', url: u.pathname + u.search });
  };

  it('reads the IdP’s single logout service from its metadata and says so; our metadata names ours and our signing key', async () => {
    const list = (await a.siteAdmin.request('GET', '/api/v1/sso/connections')).json().items as { id: string; saml: { singleLogout: boolean; sloUrl: string } | null }[];
    expect(list.find((c) => c.id === samlSlo)!.saml).toMatchObject({
      singleLogout: true,
      sloUrl: `${t.config.publicUrl}/api/v1/sso/saml/${a.institution.id}/${samlSlo}/logout`,
    });
    expect(list.find((c) => c.id === samlA)!.saml!.singleLogout).toBe(false);
    const metadata = await spMetadata(samlSlo);
    expect(metadata).toMatch(
      new RegExp(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="[^"]*/${samlSlo}/logout"`),
    );
    expect(metadata).toMatch(/<KeyDescriptor use="signing">[\s\S]*<ds:X509Certificate>/);
    expect(await spMetadata(samlA)).not.toContain('SingleLogoutService');
  });

  it('ends the Vetted session at once, then the IdP’s with a signed LogoutRequest naming that sign-in', async () => {
    const { cookie, logoutUrl } = await signInThenOut();
    expect(await whoAmI(cookie)).toBeNull();
    expect(logoutUrl).toMatch(new RegExp(`^${sloIdp.sloUrl}\\?`));
    const url = new URL(logoutUrl!);
    expect(url.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(url.searchParams.get('RelayState')).toBeTruthy();
    const held = [...sloIdp.sessions.entries()].find(([, nameId]) => nameId === `slo-sub-${userId}`)!;
    // The IdP checks the signature with the certificate of our metadata, and the sign-in named.
    const { request, responseUrl } = sloIdp.logout({ spMetadata: await spMetadata(samlSlo), logoutUrl: logoutUrl! });
    expect(request).toMatchObject({
      nameId: `slo-sub-${userId}`,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      sessionIndex: held[0],
    });
    expect(sloIdp.sessions.has(held[0])).toBe(false);
    const res = await back(responseUrl);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in');
    // Single use: the same response a second time is refused.
    const again = await back(responseUrl);
    expect(again.headers.location).toBe('/signed-out?slo=invalid');
    expect(loggedRefusal(again, 'single logout response refused')).toBe('unknown_request');
  });

  it('keeps what names the sign-in sealed, and only while the session lasts', async () => {
    const res = await postAcs(await samlResponse({ nameId: `slo-sub-${userId}`, email, connectionId: samlSlo, idp: sloIdp }), samlSlo);
    const rows = await withSystem(t.database.db, (tx) =>
      tx.select({ sealed: sessions.ssoSamlLogout }).from(sessions).where(eq(sessions.userId, userId)),
    );
    expect(rows.length).toBe(1);
    expect(rows[0]!.sealed).toMatch(/^v2\./);
    expect(rows[0]!.sealed).not.toContain('slo-sub');
    const cookie = sessionCookieOf(res)!.value;
    const csrf = (await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } })).json().csrfToken;
    await t.app.inject({ method: 'DELETE', url: '/api/v1/session', cookies: { vetted_session: cookie }, headers: { 'x-csrf-token': csrf } });
    const after = await withSystem(t.database.db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, userId)));
    expect(after).toEqual([]);
  });

  it('tells the person when the IdP could not end its session', async () => {
    const { logoutUrl } = await signInThenOut();
    const { responseUrl } = sloIdp.logout({
      spMetadata: await spMetadata(samlSlo),
      logoutUrl: logoutUrl!,
      status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
    });
    expect((await back(responseUrl)).headers.location).toBe('/signed-out?slo=failed');
  });

  it('refuses a tampered, unsigned, misaddressed or unsolicited LogoutResponse', async () => {
    const spMeta = await spMetadata(samlSlo);
    // Each case names the guard that must refuse it (the log line of the request says which).
    const cases: [string, string, (logoutUrl: string) => string][] = [
      ['signed by another key', 'signature', (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u, signWith: makeTestCertificate('Impostor') }).responseUrl],
      ['another issuer', 'issuer', (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u, overrides: { issuer: 'https://idp.test/other' } }).responseUrl],
      [
        'an answer to another request',
        'in_response_to',
        (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u, overrides: { inResponseTo: '_never-asked' } }).responseUrl,
      ],
      [
        'another destination',
        'destination',
        (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u, overrides: { destination: 'https://sp.test/logout' } }).responseUrl,
      ],
      [
        'signed with SHA-1',
        'signature_algorithm',
        (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u }).responseUrl.replace(/SigAlg=[^&]+/, `SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`),
      ],
      [
        'a request and a response together',
        'parameters',
        (u) => `${sloIdp.logout({ spMetadata: spMeta, logoutUrl: u }).responseUrl}&SAMLRequest=abc`,
      ],
      [
        'an altered message',
        'signature',
        (u) => {
          const r = new URL(sloIdp.logout({ spMetadata: spMeta, logoutUrl: u, status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }).responseUrl);
          const xml = inflateRawSync(Buffer.from(r.searchParams.get('SAMLResponse')!, 'base64')).toString().replace(/status:Responder/, 'status:Success');
          r.searchParams.set('SAMLResponse', deflateRawSync(Buffer.from(xml)).toString('base64'));
          return r.href;
        },
      ],
      [
        'no signature',
        'unsigned',
        (u) => {
          const r = new URL(sloIdp.logout({ spMetadata: spMeta, logoutUrl: u }).responseUrl);
          r.searchParams.delete('Signature');
          r.searchParams.delete('SigAlg');
          return r.href;
        },
      ],
      [
        'a RelayState we never issued',
        'unknown_request',
        (u) => {
          const r = new URL(sloIdp.logout({ spMetadata: spMeta, logoutUrl: u }).responseUrl);
          return r.href.replace(/RelayState=[^&]+/, 'RelayState=unknown');
        },
      ],
      [
        'another connection',
        'unknown_request',
        (u) => sloIdp.logout({ spMetadata: spMeta, logoutUrl: u }).responseUrl.replace(`/${a.institution.id}/${samlSlo}/`, `/${a.institution.id}/${samlA}/`),
      ],
    ];
    for (const [name, refusal, make] of cases) {
      const { logoutUrl } = await signInThenOut();
      const res = await back(make(logoutUrl!));
      expect({ status: res.statusCode, location: res.headers.location, refusal: loggedRefusal(res, 'single logout response refused') }, name).toEqual({
        status: 303,
        location: '/signed-out?slo=invalid',
        refusal,
      });
    }
  });

  it('refuses single logout started by the IdP, and a call without a response', async () => {
    const base = `/api/v1/sso/saml/${a.institution.id}/${samlSlo}/logout`;
    const started = await t.app.inject({ method: 'GET', url: `${base}?SAMLRequest=abc&RelayState=x` });
    expect(started.statusCode).toBe(400);
    expect(started.json().error.fields).toHaveProperty('SAMLResponse');
    expect((await t.app.inject({ method: 'GET', url: base })).statusCode).toBe(400);
  });

  it('gives a connection made before single logout its key and the IdP’s logout service when its metadata is imported again', async () => {
    const res = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'Older SAML connection',
      emailDomains: ['a.example.org'],
      idp: { metadataXml: sloIdp.metadataXml },
    });
    const id = res.json().id as string;
    await withSystem(t.database.db, (tx) =>
      tx.update(ssoConnections).set({ samlSpKey: null, samlSpCert: null, samlIdpSloUrl: null }).where(eq(ssoConnections.id, id)),
    );
    const before = (await a.siteAdmin.request('GET', '/api/v1/sso/connections')).json().items.find((c: { id: string }) => c.id === id);
    expect(before.saml.singleLogout).toBe(false);
    expect(await spMetadata(id)).not.toContain('KeyDescriptor');
    const after = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${id}`, { idp: { metadataXml: sloIdp.metadataXml } });
    expect(after.statusCode).toBe(200);
    expect(after.json().saml.singleLogout).toBe(true);
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, id)));
    expect(row!.samlSpKey).toMatch(/^v2\./);
    expect(row!.samlSpKey).not.toContain('PRIVATE KEY');
    const [audit] = await withSystem(t.database.db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.recordId, id), eq(auditEvents.action, 'sso_connection.update'))),
    );
    expect(JSON.stringify(audit!.changes)).not.toContain(row!.samlSpKey!);
    expect((await a.siteAdmin.request('DELETE', `/api/v1/sso/connections/${id}`)).statusCode).toBe(204);
  });

  it('signs out as before where the IdP offers no single logout', async () => {
    const { logoutUrl, cookie } = await signInThenOut(samlA, saml);
    expect(logoutUrl).toBeNull();
    expect(await whoAmI(cookie)).toBeNull();
  });
});

describe('SAML: multi-factor at the provider (AuthnContextClassRef)', () => {
  const REFEDS_MFA = 'https://refeds.org/profile/mfa';
  const ENTRA_MFA = 'http://schemas.microsoft.com/claims/multipleauthn';
  const PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
  let samlMfa: string;
  let email: string;
  beforeAll(async () => {
    const res = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'District SAML, two factors',
      idp: { metadataXml: saml.metadataXml },
      emailDomains: ['a.example.org'],
      requireIdpMfa: true,
      mfaAuthnContexts: [REFEDS_MFA, ENTRA_MFA],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().saml).toMatchObject({ requireIdpMfa: true, mfaAuthnContexts: [REFEDS_MFA, ENTRA_MFA] });
    samlMfa = res.json().id;
    email = `saml-mfa-${randomUUID()}@a.example.org`;
    await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email });
  });

  it('asks the IdP for the listed contexts (comparison exact), and nothing when not required', async () => {
    const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${samlMfa}` });
    const request = authnRequestOf(start.headers.location as string);
    expect(request).toMatch(/<samlp:RequestedAuthnContext[^>]*Comparison="exact"/);
    expect(request).toMatch(new RegExp(`<saml:AuthnContextClassRef[^>]*>${REFEDS_MFA}</saml:AuthnContextClassRef>`));
    expect(request).toMatch(new RegExp(`<saml:AuthnContextClassRef[^>]*>${ENTRA_MFA}</saml:AuthnContextClassRef>`));
    const plain = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${samlA}` });
    expect(authnRequestOf(plain.headers.location as string)).not.toContain('RequestedAuthnContext');
  });

  it('signs in when the assertion names a listed context, refuses it otherwise', async () => {
    for (const ref of [REFEDS_MFA, ENTRA_MFA]) {
      const res = await postAcs(await samlResponse({ nameId: `saml-mfa-${email}`, email, connectionId: samlMfa, authnContextClassRef: ref }), samlMfa);
      expect(res.headers.location, ref).toBe('/');
      expect((await whoAmI(sessionCookieOf(res)!.value))?.email).toBe(email);
    }
    for (const ref of [PASSWORD, 'https://refeds.org/profile/sfa']) {
      const res = await postAcs(await samlResponse({ nameId: `saml-mfa-${email}`, email, connectionId: samlMfa, authnContextClassRef: ref }), samlMfa);
      await expectRefused(res, 'mfa_required', '/sign-in?sso=mfa_required', samlMfa);
    }
    // No authentication statement at all is no evidence either.
    const bare = await postAcs(
      await samlResponse({ nameId: `saml-mfa-${email}`, email, connectionId: samlMfa, overrides: { AuthnStatement: '' } }),
      samlMfa,
    );
    await expectRefused(bare, 'mfa_required', '/sign-in?sso=mfa_required', samlMfa);
    // A connection that does not require it is unchanged: a password-only assertion signs in.
    const plain = await postAcs(await samlResponse({ nameId: `saml-mfa-${email}`, email, authnContextClassRef: PASSWORD }));
    expect(plain.headers.location).toBe('/');
  });

  it('validates the setting (400 with field messages) and audits its change', async () => {
    const base = { preset: 'saml', displayName: 'X', idp: { metadataXml: saml.metadataXml } };
    const none = await a.siteAdmin.request('POST', '/api/v1/sso/connections', { ...base, requireIdpMfa: true });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields).toHaveProperty('mfaAuthnContexts');
    const notUri = await a.siteAdmin.request('POST', '/api/v1/sso/connections', { ...base, requireIdpMfa: true, mfaAuthnContexts: ['two factors'] });
    expect(notUri.statusCode).toBe(400);
    expect(Object.keys(notUri.json().error.fields).join()).toMatch(/mfaAuthnContexts/);
    const twice = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlMfa}`, { mfaAuthnContexts: [REFEDS_MFA, REFEDS_MFA] });
    expect(twice.statusCode).toBe(400);
    const emptied = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlMfa}`, { mfaAuthnContexts: [] });
    expect(emptied.statusCode).toBe(400);
    expect(emptied.json().error.fields).toHaveProperty('mfaAuthnContexts');
    const onOidc = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${oidcA}`, { mfaAuthnContexts: [REFEDS_MFA] });
    expect(onOidc.statusCode).toBe(400);
    expect(onOidc.json().error.fields).toHaveProperty('mfaAuthnContexts');
    // Nothing was written by the refusals.
    const list = await a.siteAdmin.request('GET', '/api/v1/sso/connections');
    expect(list.json().items.find((c: { id: string }) => c.id === samlMfa).saml.mfaAuthnContexts).toEqual([REFEDS_MFA, ENTRA_MFA]);

    const changed = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlMfa}`, { mfaAuthnContexts: [REFEDS_MFA] });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().saml).toMatchObject({ requireIdpMfa: true, mfaAuthnContexts: [REFEDS_MFA] });
    const events = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, a.institution.id), eq(auditEvents.action, 'sso_connection.update'), eq(auditEvents.recordId, samlMfa))),
    );
    expect(JSON.stringify(events.at(-1)!.changes)).toContain('samlMfaAuthnContexts');
    // Turned off: the same password-only assertion signs in again.
    const off = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${samlMfa}`, { requireIdpMfa: false });
    expect(off.statusCode).toBe(200);
    const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${samlMfa}` });
    expect(authnRequestOf(start.headers.location as string)).not.toContain('RequestedAuthnContext');
    const res = await postAcs(await samlResponse({ nameId: `saml-mfa-${email}`, email, connectionId: samlMfa, authnContextClassRef: PASSWORD }), samlMfa);
    expect(res.headers.location).toBe('/');
  });
});

describe('re-authentication through the provider proves a fresh sign-in', () => {
  /** A signed-in browser: the session cookie and its CSRF token. */
  async function browserOf(cookie: string) {
    const csrf = (await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } })).json().csrfToken as string;
    return (method: 'POST' | 'DELETE', url: string, body?: object) =>
      t.app.inject({ method, url, cookies: { vetted_session: cookie }, headers: { 'x-csrf-token': csrf }, ...(body ? { payload: body } : {}) });
  }
  /** Makes the session's last sign-in older than REAUTH_MINUTES. */
  async function ageSession(userId: string) {
    await withSystem(t.database.db, (tx) =>
      tx.update(sessions).set({ authenticatedAt: new Date(Date.now() - 3600_000) }).where(eq(sessions.userId, userId)),
    );
  }
  const endOtherSessions = (call: Awaited<ReturnType<typeof browserOf>>) => call('DELETE', '/api/v1/account/sessions');

  it('OIDC: asks for prompt=login and max_age=0, refuses an old auth_time, accepts a fresh one', async () => {
    const user = await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email: `re-oidc-${randomUUID()}@a.example.org` });
    await withSystem(t.database.db, (tx) => tx.update(users).set({ passwordHash: null }).where(eq(users.id, user.id)));
    idp.accounts.set('sub-re-oidc', { email: user.email, email_verified: true });
    const jar = new Map<string, string>();
    const first = await oidcSignIn(a.institution.id, oidcA, 'sub-re-oidc', undefined, jar);
    // A first sign-in asks for nothing special.
    const firstRequest = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${oidcA}` });
    const firstUrl = new URL(firstRequest.headers.location as string);
    expect(firstUrl.searchParams.has('prompt')).toBe(false);
    expect(firstUrl.searchParams.has('max_age')).toBe(false);

    const call = await browserOf(sessionCookieOf(first.res)!.value);
    await ageSession(user.id);
    expect((await endOtherSessions(call)).json().error.code).toBe('reauthentication_required');

    async function reauth(account: string, providerCookies = jar) {
      const started = await call('POST', '/api/v1/session/reauthenticate/sso', { returnTo: '/account' });
      expect(started.statusCode, started.body).toBe(200);
      const redirect = new URL(started.json().redirect);
      expect(redirect.origin).toBe(idp.issuer);
      expect(redirect.searchParams.get('prompt')).toBe('login');
      expect(redirect.searchParams.get('max_age')).toBe('0');
      const binding = started.cookies.find((c) => c.name === 'vetted_sso')!.value;
      idp.nextAccount = account;
      // The provider still has its session (jar): without prompt=login it would not ask again.
      const back = await followToApp(redirect.href, t.config.publicUrl, providerCookies);
      return t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding } });
    }

    // The provider answers with the sign-in it already had (auth_time an hour ago): refused.
    idp.accounts.set('sub-re-oidc', { email: user.email, email_verified: true, authTime: Math.floor(Date.now() / 1000) - 3600 });
    const stale = await reauth('sub-re-oidc');
    expect(stale.headers.location).toBe('/account?sso=reauth_not_fresh');
    expect(sessionCookieOf(stale)).toBeUndefined();
    expect((await endOtherSessions(call)).statusCode).toBe(403);

    // Someone else signs in freshly at the provider: refused too.
    const other = await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email: `re-other-${randomUUID()}@a.example.org` });
    idp.accounts.set('sub-re-other', { email: other.email, email_verified: true });
    expect((await oidcSignIn(a.institution.id, oidcA, 'sub-re-other')).res.headers.location).toBe('/');
    // (another browser profile at the provider, which would otherwise first ask to sign the other person out)
    const mismatch = await reauth('sub-re-other', new Map());
    expect(mismatch.headers.location).toBe('/account?sso=reauth_mismatch');
    expect((await endOtherSessions(call)).statusCode).toBe(403);

    // A fresh sign-in at the provider: the same session is confirmed and the change goes through.
    idp.accounts.set('sub-re-oidc', { email: user.email, email_verified: true });
    const fresh = await reauth('sub-re-oidc');
    expect(fresh.headers.location).toBe('/account?reauth=done');
    expect(sessionCookieOf(fresh)).toBeUndefined();
    expect((await endOtherSessions(call)).statusCode).toBe(204);
    const events = await withSystem(t.database.db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.action, 'session.reauthenticate'), eq(auditEvents.recordId, user.id))),
    );
    expect(events).toHaveLength(1);
  });

  it('SAML: sends ForceAuthn, refuses an old AuthnInstant, accepts a fresh one', async () => {
    const email = `re-saml-${randomUUID()}@a.example.org`;
    const user = await buildUser(t.database.db, { tenantId: a.institution.id, role: 'app_admin', email });
    await withSystem(t.database.db, (tx) => tx.update(users).set({ passwordHash: null }).where(eq(users.id, user.id)));
    const first = await samlResponse({ nameId: `re-saml-${user.id}`, email });
    expect(authnRequestOf((await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${a.institution.id}/${samlA}` })).headers.location as string)).not.toContain('ForceAuthn');
    const signedIn = await postAcs(first);
    expect(signedIn.headers.location).toBe('/');
    const call = await browserOf(sessionCookieOf(signedIn)!.value);
    await ageSession(user.id);
    expect((await endOtherSessions(call)).statusCode).toBe(403);

    async function reauth(authnInstant?: Date) {
      const started = await call('POST', '/api/v1/session/reauthenticate/sso', { returnTo: '/account' });
      expect(started.statusCode, started.body).toBe(200);
      const redirect = started.json().redirect as string;
      expect(redirect.startsWith(saml.ssoUrl)).toBe(true);
      expect(authnRequestOf(redirect)).toContain('ForceAuthn="true"');
      const binding = started.cookies.find((c) => c.name === 'vetted_saml')?.value;
      const form = await saml.respond({ spMetadata: await spMetadata(samlA), redirectUrl: redirect, nameId: `re-saml-${user.id}`, email, authnInstant });
      return postAcs({ ...form, binding });
    }

    // The IdP reused a sign-in from before the request: refused.
    const stale = await reauth(new Date(Date.now() - 120_000));
    await expectRefused(stale, 'reauth_not_fresh', '/account?sso=reauth_not_fresh');
    expect((await refusalOf(stale))!.event.changes).toMatchObject({ reauth: { after: true } });
    expect((await endOtherSessions(call)).statusCode).toBe(403);

    const fresh = await reauth();
    expect(fresh.headers.location).toBe('/account?reauth=done');
    expect(sessionCookieOf(fresh)).toBeUndefined();
    expect((await endOtherSessions(call)).statusCode).toBe(204);
  });

  it('is refused for an account without single sign-on, and needs the CSRF token', async () => {
    const res = await a.siteAdmin.request('POST', '/api/v1/session/reauthenticate/sso', {});
    expect(res.statusCode).toBe(409);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/reauthenticate/sso',
      cookies: { [a.siteAdmin.cookie.name]: a.siteAdmin.cookie.value },
      payload: {},
    });
    expect(noCsrf.statusCode).toBe(403);
    const bad = await a.siteAdmin.request('POST', '/api/v1/session/reauthenticate/sso', { returnTo: 'https://evil.example/' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('returnTo');
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/session/reauthenticate/sso', payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('logs', () => {
  it('never hold codes, tokens, secrets or assertions', async () => {
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain(idp.clientSecret);
    expect(text).not.toMatch(/[?&]code=/);
    expect(text).not.toMatch(/[?&]state=/);
    expect(text).not.toContain('SAMLResponse');
    expect(text).not.toContain('id_token_hint');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
    expect(text).not.toContain('vetted_session=');
    expect(text).toContain('single sign-on refused');
    expect(text).toContain('single logout response refused');
    const users_ = await withSystem(t.database.db, (tx) =>
      tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, a.institution.id))),
    );
    expect(users_.length).toBeGreaterThan(3);
  });
});

void buildInstitution;
