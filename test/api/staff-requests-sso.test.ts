/**
 * Staff requests through the institution's own single sign-on, against a real OpenID provider
 * (oidc-provider) and a real SAML IdP (samlify) on loopback, through the HTTP application: a site
 * admin opens a connection to staff requests; a staff member starting at its entry point is sent to
 * the provider and comes back with a signed ticket (cookie) that opens the request page of that
 * institution only. The provider's answer is checked as for a sign-in, the email's domain must be
 * one the institution verified, and no account, session or anything about the person is kept.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, staffRequests } from '../../src/server/db/schema/index.js';
import { queryRows, withSystem } from '../../src/server/platform/db.js';
import { signTicket } from '../../src/server/modules/requests/sso-ticket.js';
import { buildTenantWithUsers, buildVerifiedDomain } from '../support/factories.js';
import { followToApp, startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.js';
import { startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';
import { columnsHolding } from '../support/scan.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;
let t: TestApp;
let idp: TestOidcIdp;
let saml: TestSamlIdp;
let a: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let b: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let oidcA: string;
let samlA: string;
let oidcB: string;
const TICKET = 'vetted_staff_request';

beforeAll(async () => {
  t = await createTestApp();
  idp = await startOidcIdp({ redirectUri: `${t.config.publicUrl}/api/v1/sso/oidc/callback`, postLogoutRedirectUri: `${t.config.publicUrl}/sign-in` });
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
  const oidcBody = { preset: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: 'District accounts' };
  oidcA = await create(a.siteAdmin, { ...oidcBody, emailDomains: ['a.example.org'] });
  oidcB = await create(b.siteAdmin, { ...oidcBody, emailDomains: ['b.example.org'], staffRequests: true });
  samlA = await create(a.siteAdmin, { preset: 'saml', displayName: 'District SAML', idp: { metadataXml: saml.metadataXml }, emailDomains: ['a.example.org'] });
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
});

const count = async (table: string) =>
  (await withSystem(t.database.db, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(table)}`)))[0]!.n;
/** The rows that would hold a person: accounts, sessions, links to a provider's subject, pending invitations. */
const peopleRows = async () => ({ users: await count('users'), sessions: await count('sessions'), ssoIdentities: await count('sso_identities'), invitations: await count('invitations') });

const page = (ticket?: string, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/v1/public/staff-requests/page${query}`, ...(ticket ? { cookies: { [TICKET]: ticket } } : {}) });
const submit = (ticket: string | undefined, payload: Json) =>
  t.app.inject({ method: 'POST', url: '/api/v1/public/staff-requests', payload, ...(ticket ? { cookies: { [TICKET]: ticket } } : {}) });

/** The staff member's whole OIDC trip: the entry point, the provider, our callback. */
async function oidcEntry(tenantId: string, connectionId: string, account: string) {
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/public/staff-requests/sso/${tenantId}/${connectionId}` });
  expect(start.statusCode).toBe(303);
  const binding = start.cookies.find((c) => c.name === 'vetted_sso');
  if (!binding) return { res: start, ticket: undefined };
  idp.nextAccount = account;
  const back = await followToApp(start.headers.location as string, t.config.publicUrl);
  const res = await t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding.value } });
  return { res, ticket: res.cookies.find((c) => c.name === TICKET) };
}

/** The staff member's whole SAML trip: the entry point, the IdP's signed answer, our ACS. */
async function samlEntry(opts: { nameId: string; email: string; firstName?: string; lastName?: string }) {
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/public/staff-requests/sso/${a.institution.id}/${samlA}` });
  expect(start.statusCode).toBe(303);
  const binding = start.cookies.find((c) => c.name === 'vetted_saml')?.value;
  const metadata = await t.app.inject({ method: 'GET', url: `/api/v1/sso/saml/${a.institution.id}/${samlA}/metadata` });
  const form = await saml.respond({ spMetadata: metadata.body, redirectUrl: start.headers.location as string, ...opts });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/sso/saml/${a.institution.id}/${samlA}/acs`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    ...(binding ? { cookies: { vetted_saml: binding } } : {}),
    payload: new URLSearchParams(form).toString(),
  });
  return { res, ticket: res.cookies.find((c) => c.name === TICKET) };
}

const entries = async (connectionId: string) =>
  withSystem(t.database.db, (tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'staff_request.sso_entry'), eq(auditEvents.recordId, connectionId))),
  );

describe('a site admin opens a connection to staff requests', () => {
  it('by changing the connection (audited); only site admins may; it shows the entry point to share', async () => {
    expect((await a.appAdmin.request('PATCH', `/api/v1/sso/connections/${oidcA}`, { staffRequests: true })).statusCode).toBe(403);
    expect((await b.siteAdmin.request('PATCH', `/api/v1/sso/connections/${oidcA}`, { staffRequests: true })).statusCode).toBe(404);
    expect((await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${oidcA}`, { staffRequests: 'yes' })).json().error.fields).toMatchObject({
      staffRequests: expect.any(String),
    });
    for (const id of [oidcA, samlA]) {
      const res = await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${id}`, { staffRequests: true });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        staffRequests: true,
        staffRequestUrl: `${t.config.publicUrl}/api/v1/public/staff-requests/sso/${a.institution.id}/${id}`,
      });
    }
    const [update] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'sso_connection.update'), eq(auditEvents.recordId, samlA))),
    );
    expect(update!.changes).toMatchObject({ staffRequests: { before: false, after: true } });
  });
});

describe('OIDC: a staff member proven by the provider', () => {
  it('gets a ticket that opens the request page; the request is made; no account, session or trace of the person is kept', async () => {
    const email = `quinn.${randomUUID().slice(0, 8)}@a.example.org`;
    const subject = `sub-staff-${randomUUID()}`;
    idp.accounts.set(subject, { email, email_verified: true, given_name: 'Quillon', family_name: `Staffperson${randomUUID().slice(0, 6)}` });
    const before = await peopleRows();
    const entriesBefore = (await entries(oidcA)).length;

    const { res, ticket } = await oidcEntry(a.institution.id, oidcA, subject);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff-request');
    expect(res.cookies.find((c) => c.name === 'vetted_session')).toBeUndefined();
    expect(ticket).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/public/staff-requests' });
    // The ticket names the institution and the connection, and nothing of the person.
    expect(ticket!.value.split('.').slice(1, 3)).toEqual([a.institution.id, oidcA]);
    for (const part of [email, subject, 'Quillon']) expect(decodeURIComponent(ticket!.value)).not.toContain(part);

    const shown = await page(ticket!.value);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({ institution: { name: a.institution.name }, access: 'sso' });
    const apps = await t.app.inject({ method: 'GET', url: '/api/v1/public/staff-requests/apps?q=a', cookies: { [TICKET]: ticket!.value } });
    expect(apps.statusCode, apps.body).toBe(200);
    // The form works as with the link, 400 per field included.
    const bad = await submit(ticket!.value, { purpose: '', grades: ['nonsense'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toMatchObject({ purpose: expect.any(String) });
    const made = await submit(ticket!.value, { appName: 'Sketch Lab', purpose: 'Art class', grades: [], language: 'fr' });
    expect(made.statusCode, made.body).toBe(201);
    const rows = await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.appName, 'Sketch Lab')));
    expect(rows.map((r) => r.tenantId)).toEqual([a.institution.id]);
    const status = await t.app.inject({ method: 'GET', url: `/api/v1/public/staff-requests/status?token=${made.json().statusToken}` });
    expect(status.json()).toMatchObject({ stage: 'waiting', appName: 'Sketch Lab' });
    const queue = await a.siteAdmin.request('GET', '/api/v1/staff-requests');
    expect(queue.json().items.map((r: Json) => r.appName)).toContain('Sketch Lab');

    // Nothing about the person: no new account, session, link or invitation; their email, subject
    // and names in no column of any table.
    expect(await peopleRows()).toEqual(before);
    for (const needle of [email, subject, 'Quillon', idp.accounts.get(subject)!.family_name!]) expect(await columnsHolding(t.database.db, needle)).toEqual([]);
    // The use is audited by connection, a count with no one named.
    const used = await entries(oidcA);
    expect(used.length).toBe(entriesBefore + 1);
    expect(used.at(-1)).toMatchObject({ tenantId: a.institution.id, actorUserId: null, actorLabel: 'system:staff-request-sso', recordType: 'sso_connection' });
    expect(used.at(-1)!.changes).toEqual({ connectionId: { before: null, after: oidcA }, protocol: { before: null, after: 'oidc' } });
    const [created] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'staff_request.create'), eq(auditEvents.recordId, rows[0]!.id))),
    );
    expect(created!.changes).toMatchObject({ viaSso: { after: oidcA } });
  });

  it('refuses an email in a domain the institution did not verify, or another institution’s, or one the provider does not say is verified', async () => {
    const before = await peopleRows();
    for (const [account, claims] of [
      ['sub-elsewhere', { email: 'someone@elsewhere.example', email_verified: true }],
      ['sub-other-institution', { email: 'someone@b.example.org', email_verified: true }],
      ['sub-unverified', { email: 'someone@a.example.org', email_verified: false }],
    ] as const) {
      idp.accounts.set(account, claims);
      const { res, ticket } = await oidcEntry(a.institution.id, oidcA, account);
      expect({ account, location: res.headers.location, ticket }).toEqual({ account, location: '/staff-request?sso=no_account', ticket: undefined });
    }
    expect(await peopleRows()).toEqual(before);
  });

  it('refuses the entry at a connection not open to staff requests, or disabled', async () => {
    const closed = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'oidc',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: 'Closed to staff',
      emailDomains: ['a.example.org'],
    });
    const closedId = closed.json().id as string;
    const { res } = await oidcEntry(a.institution.id, closedId, 'sub-any');
    expect(res.headers.location).toBe('/staff-request?sso=unavailable');
    // Another institution's connection through this one's id: not found there.
    expect((await oidcEntry(a.institution.id, oidcB, 'sub-any')).res.headers.location).toBe('/staff-request?sso=unavailable');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/public/staff-requests/sso/not-an-id/x' })).statusCode).toBe(400);
  });

  it('a ticket opens nothing once the site admin closes the connection to staff requests', async () => {
    idp.accounts.set('sub-closing', { email: 'closing@a.example.org', email_verified: true });
    const extra = await a.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'oidc',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: 'Closing',
      emailDomains: ['a.example.org'],
      staffRequests: true,
    });
    const { ticket } = await oidcEntry(a.institution.id, extra.json().id, 'sub-closing');
    expect((await page(ticket!.value)).statusCode).toBe(200);
    expect((await a.siteAdmin.request('PATCH', `/api/v1/sso/connections/${extra.json().id}`, { staffRequests: false })).statusCode).toBe(200);
    expect((await page(ticket!.value)).statusCode).toBe(404);
    expect((await submit(ticket!.value, { appName: 'After closing', purpose: 'x' })).statusCode).toBe(404);
  });
});

describe('SAML: a staff member proven by the IdP', () => {
  it('gets a ticket that opens the request page; nothing about the person is kept', async () => {
    const email = `sasha.${randomUUID().slice(0, 8)}@a.example.org`;
    const lastName = `Samlperson${randomUUID().slice(0, 6)}`;
    const before = await peopleRows();
    const entriesBefore = (await entries(samlA)).length;
    const { res, ticket } = await samlEntry({ nameId: email, email, firstName: 'Saskia', lastName });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff-request');
    expect(res.cookies.find((c) => c.name === 'vetted_session')).toBeUndefined();
    expect((await page(ticket!.value)).json()).toMatchObject({ institution: { name: a.institution.name }, access: 'sso' });
    const made = await submit(ticket!.value, { appName: 'Map Quest Junior', purpose: 'Geography' });
    expect(made.statusCode, made.body).toBe(201);
    expect(await peopleRows()).toEqual(before);
    for (const needle of [email, lastName]) expect(await columnsHolding(t.database.db, needle)).toEqual([]);
    expect((await entries(samlA)).length).toBe(entriesBefore + 1);
  });

  it('refuses an email in a domain the institution did not verify (the refusal audited, no one named)', async () => {
    const before = await peopleRows();
    const { res, ticket } = await samlEntry({ nameId: 'outsider@elsewhere.example', email: 'outsider@elsewhere.example' });
    expect(res.headers.location).toBe('/staff-request?sso=no_account');
    expect(ticket).toBeUndefined();
    const requestId = String(res.headers['x-request-id']);
    const [refusal] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, 'sso.saml_refused'))),
    );
    expect(refusal!.changes).toMatchObject({ refusal: { after: 'no_account' }, staffRequest: { after: true }, reauth: { after: false } });
    expect(JSON.stringify(refusal)).not.toContain('outsider');
    expect(await peopleRows()).toEqual(before);
  });
});

describe('tickets', () => {
  it('a tampered, forged, expired or missing ticket opens nothing (404)', async () => {
    idp.accounts.set('sub-ticket', { email: 'ticket@a.example.org', email_verified: true });
    const { ticket } = await oidcEntry(a.institution.id, oidcA, 'sub-ticket');
    const good = ticket!.value;
    expect((await page(good)).statusCode).toBe(200);
    const parts = good.split('.');
    const secret = t.config.sessionSecret;
    const inAnHour = Date.now() + 3600_000;
    const tampered = [
      // Another institution named, the signature kept.
      [parts[0], b.institution.id, parts[2], parts[3], parts[4]].join('.'),
      // A later expiry, the signature kept.
      [parts[0], parts[1], parts[2], String(Number(parts[3]) + 3600), parts[4]].join('.'),
      // The signature changed.
      `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`,
      // Signed with another key.
      signTicket('not-the-service-secret-0123456789abcdef', { tenantId: a.institution.id, connectionId: oidcA, expiresAt: inAnHour }),
      // Expired.
      signTicket(secret, { tenantId: a.institution.id, connectionId: oidcA, expiresAt: Date.now() - 1000 }),
      // A well-signed ticket for a connection of another institution under this one.
      signTicket(secret, { tenantId: a.institution.id, connectionId: oidcB, expiresAt: inAnHour }),
      'garbage',
    ];
    for (const bad of tampered) {
      expect((await page(bad)).statusCode, bad).toBe(404);
      expect((await submit(bad, { appName: 'Forged', purpose: 'x' })).statusCode, bad).toBe(404);
    }
    expect((await page()).statusCode).toBe(404);
    const forged = await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.appName, 'Forged')));
    expect(forged).toEqual([]);
    // A ticket of B opens B's page, never A's.
    const ofB = signTicket(secret, { tenantId: b.institution.id, connectionId: oidcB, expiresAt: inAnHour });
    expect((await page(ofB)).json().institution.name).toBe(b.institution.name);
  });

  it('the link still opens the page, and takes precedence over a ticket', async () => {
    const link = await b.siteAdmin.request('POST', '/api/v1/staff-requests/link');
    const token = link.json().token as string;
    const shown = await page(undefined, `?token=${token}`);
    expect(shown.json()).toMatchObject({ institution: { name: b.institution.name }, access: 'link' });
    const ofA = signTicket(t.config.sessionSecret, { tenantId: a.institution.id, connectionId: oidcA, expiresAt: Date.now() + 60_000 });
    expect((await page(ofA, `?token=${token}`)).json().institution.name).toBe(b.institution.name);
    const made = await submit(undefined, { token, appName: 'By the link', purpose: 'x' });
    expect(made.statusCode, made.body).toBe(201);
  });
});
