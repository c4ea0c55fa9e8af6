import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations, ssoConnections, ssoDomains, ssoIdentities, users } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { pgCode, pgConstraint } from '../../platform/errors.js';
import { startTestDns, type TestDnsServer } from '../../../../test/support/dns-server.js';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { followToApp, startOidcIdp, type TestOidcIdp } from '../../../../test/support/oidc-idp.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

/**
 * Email domains of single sign-on, against a real DNS server and a real OpenID provider on loopback:
 * a domain belongs to the one institution that proved it controls it (TXT record) or that a platform
 * admin approved, and a connection signs in only the accounts of its verified domains, or accounts
 * linked to it explicitly.
 */
let t: TestApp;
let dns: TestDnsServer;
let idp: TestOidcIdp;
let lake: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let evil: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let operator: Client;
let lakeOidc: string;
let evilOidc: string;

type DomainBody = {
  id: string;
  domain: string;
  status: 'pending' | 'verified';
  record: { name: string; type: string; value: string };
  method: string | null;
  approvedBy: string | null;
  verifiedAt: string | null;
  lastCheckError: string | null;
  lastCheckMessage: string | null;
};

const sessionCookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'vetted_session');

async function whoAmI(cookie: string | undefined) {
  if (!cookie) return null;
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: cookie } });
  return res.statusCode === 200 ? (res.json() as { user: { id: string; email: string } }).user : null;
}

/** A whole OIDC sign-in through our start and callback routes, as `account` at the provider. */
async function oidcSignIn(tenantId: string, connectionId: string, account: string) {
  const start = await t.app.inject({ method: 'GET', url: `/api/v1/sso/start/${tenantId}/${connectionId}` });
  expect(start.statusCode).toBe(303);
  const binding = start.cookies.find((c) => c.name === 'vetted_sso')!;
  idp.nextAccount = account;
  const back = await followToApp(start.headers.location as string, t.config.publicUrl);
  return t.app.inject({ method: 'GET', url: back.pathname + back.search, cookies: { vetted_sso: binding.value } });
}

async function claim(client: Client, domain: string) {
  const res = await client.request('POST', '/api/v1/sso/domains', { domain });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as DomainBody;
}

/** Publishes the claim's TXT record on the test DNS server and asks Vetted to check it. */
async function proveByDns(client: Client, d: DomainBody) {
  dns.txt.set(d.record.name, [d.record.value]);
  const res = await client.request('POST', `/api/v1/sso/domains/${d.id}/verify`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as DomainBody;
}

const discover = async (email: string) =>
  (
    (await t.app.inject({ method: 'GET', url: `/api/v1/sso/discover?email=${encodeURIComponent(email)}` })).json() as {
      items: { id: string; institutionId: string }[];
    }
  ).items;

beforeAll(async () => {
  dns = await startTestDns();
  t = await createTestApp({ DNS_RESOLVERS: dns.address });
  idp = await startOidcIdp({ redirectUri: `${t.config.publicUrl}/api/v1/sso/oidc/callback` });
  lake = await buildTenantWithUsers(t.app, t.database.db);
  evil = await buildTenantWithUsers(t.app, t.database.db);
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
  await proveByDns(lake.siteAdmin, await claim(lake.siteAdmin, 'lakeshore.example'));
  const oidcBody = { preset: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, jitEnabled: true };
  const made = await lake.siteAdmin.request('POST', '/api/v1/sso/connections', {
    ...oidcBody,
    displayName: 'Lakeshore',
    emailDomains: ['lakeshore.example'],
  });
  expect(made.statusCode, made.body).toBe(201);
  lakeOidc = made.json().id;
  const other = await evil.siteAdmin.request('POST', '/api/v1/sso/connections', { ...oidcBody, displayName: 'Totally Lakeshore' });
  expect(other.statusCode, other.body).toBe(201);
  evilOidc = other.json().id;
});
afterAll(async () => {
  await idp?.close();
  await t?.close();
  await dns?.close();
});

describe('another institution’s domain', () => {
  it('cannot be put on a connection, claimed, or verified (the attack, refused)', async () => {
    const patch = await evil.siteAdmin.request('PATCH', `/api/v1/sso/connections/${evilOidc}`, { emailDomains: ['lakeshore.example'] });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.fieldCodes).toEqual({ emailDomains: 'domain_not_verified' });
    const create = await evil.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'oidc',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: 'Second try',
      emailDomains: ['lakeshore.example'],
    });
    expect(create.statusCode).toBe(400);
    expect(create.json().error.fieldCodes).toEqual({ emailDomains: 'domain_not_verified' });
    const claimed = await evil.siteAdmin.request('POST', '/api/v1/sso/domains', { domain: 'LakeShore.example' });
    expect(claimed.statusCode).toBe(400);
    expect(claimed.json().error).toMatchObject({
      fields: { domain: 'another institution has verified this domain' },
      fieldCodes: { domain: 'domain_taken' },
    });
    // Nothing was written by the refusals.
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, evilOidc)));
    expect(row!.emailDomains).toEqual([]);
    expect((await evil.siteAdmin.request('GET', '/api/v1/sso/domains')).json().items).toEqual([]);
    expect((await discover('h.karimi@lakeshore.example')).map((i) => i.id)).toEqual([lakeOidc]);
  });

  it('stored on a connection (as before domains were verified) is offered to nobody and creates no one', async () => {
    await withSystem(t.database.db, (tx) =>
      tx
        .update(ssoConnections)
        .set({ emailDomains: ['lakeshore.example'] })
        .where(eq(ssoConnections.id, evilOidc)),
    );
    try {
      expect((await discover('someone@lakeshore.example')).map((i) => i.id)).toEqual([lakeOidc]);
      const email = `new-${randomUUID()}@lakeshore.example`;
      idp.accounts.set('sub-phished', { email, email_verified: true });
      const res = await oidcSignIn(evil.institution.id, evilOidc, 'sub-phished');
      expect(res.headers.location).toBe('/sign-in?sso=no_account');
      expect(sessionCookieOf(res)).toBeUndefined();
      const created = await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.email, email)));
      expect(created).toEqual([]);
      // Through its rightful institution's connection, the same person is created just in time.
      const ok = await oidcSignIn(lake.institution.id, lakeOidc, 'sub-phished');
      expect(ok.headers.location).toBe('/');
      const who = await whoAmI(sessionCookieOf(ok)?.value);
      expect(who?.email).toBe(email);
      const [u] = await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.email, email)));
      expect(u!.tenantId).toBe(lake.institution.id);
    } finally {
      await withSystem(t.database.db, (tx) => tx.update(ssoConnections).set({ emailDomains: [] }).where(eq(ssoConnections.id, evilOidc)));
    }
  });
});

describe('claiming and verifying a domain by DNS', () => {
  it('verifies with the right TXT record only, and says why not otherwise', async () => {
    const d = await claim(lake.siteAdmin, 'lake-dns.example');
    expect(d).toMatchObject({ status: 'pending', method: null, verifiedAt: null, lastCheckError: null });
    expect(d.record).toEqual({
      name: '_vetted-challenge.lake-dns.example',
      type: 'TXT',
      value: expect.stringMatching(/^vetted-domain-verification=[0-9a-f]{40}$/),
    });
    const verify = async () => {
      const res = await lake.siteAdmin.request('POST', `/api/v1/sso/domains/${d.id}/verify`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as DomainBody;
    };
    // Missing.
    const missing = await verify();
    expect(missing).toMatchObject({
      status: 'pending',
      lastCheckError: 'no_record',
      lastCheckMessage: expect.stringMatching(/No TXT record/),
    });
    expect(dns.asked).toContain('_vetted-challenge.lake-dns.example');
    // Wrong token, or another claim's token.
    dns.txt.set(d.record.name, ['vetted-domain-verification=0000', 'v=spf1 -all']);
    expect(await verify()).toMatchObject({ status: 'pending', lastCheckError: 'wrong_token' });
    dns.txt.set(d.record.name, [`${d.record.value}x`]);
    expect(await verify()).toMatchObject({ status: 'pending', lastCheckError: 'wrong_token' });
    // A broken zone.
    dns.failing.add(d.record.name);
    expect(await verify()).toMatchObject({ status: 'pending', lastCheckError: 'dns_unavailable' });
    dns.failing.delete(d.record.name);
    // Pending, the domain cannot go on a connection.
    const early = await lake.siteAdmin.request('PATCH', `/api/v1/sso/connections/${lakeOidc}`, {
      emailDomains: ['lakeshore.example', 'lake-dns.example'],
    });
    expect(early.json().error.fieldCodes).toEqual({ emailDomains: 'domain_not_verified' });
    // Right: among other records, and split in two strings as long TXT values are.
    const value = d.record.value;
    dns.txt.set(d.record.name, ['v=spf1 -all', [value.slice(0, 20), value.slice(20)]]);
    const ok = await verify();
    expect(ok).toMatchObject({ status: 'verified', method: 'dns', approvedBy: null, lastCheckError: null, verifiedAt: expect.any(String) });
    const events = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, lake.institution.id), eq(auditEvents.recordId, d.id))),
    );
    expect(events.map((e) => e.action)).toEqual(['sso_domain.claim', ...Array(4).fill('sso_domain.check'), 'sso_domain.verify']);
    const later = await lake.siteAdmin.request('PATCH', `/api/v1/sso/connections/${lakeOidc}`, {
      emailDomains: ['lakeshore.example', 'lake-dns.example'],
    });
    expect(later.statusCode, later.body).toBe(200);
    // A connection change that leaves the domains out keeps them.
    const renamed = await lake.siteAdmin.request('PATCH', `/api/v1/sso/connections/${lakeOidc}`, { displayName: 'Lakeshore accounts' });
    expect(renamed.json().emailDomains).toEqual(['lakeshore.example', 'lake-dns.example']);
  });

  it('validates claims and keeps each institution’s claims its own', async () => {
    const bad = await lake.siteAdmin.request('POST', '/api/v1/sso/domains', { domain: 'not a domain' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fieldCodes).toEqual({ domain: 'domain' });
    const twice = await lake.siteAdmin.request('POST', '/api/v1/sso/domains', { domain: 'lakeshore.example' });
    expect(twice.json().error.fieldCodes).toEqual({ domain: 'domain_claimed' });
    const mine = (await lake.siteAdmin.request('GET', '/api/v1/sso/domains')).json().items as DomainBody[];
    const id = mine.find((d) => d.domain === 'lakeshore.example')!.id;
    // Another institution's claim looks like no claim at all.
    expect((await evil.siteAdmin.request('POST', `/api/v1/sso/domains/${id}/verify`)).statusCode).toBe(404);
    expect((await evil.siteAdmin.request('DELETE', `/api/v1/sso/domains/${id}`)).statusCode).toBe(404);
    // App admins do not manage sign-in.
    expect((await lake.appAdmin.request('GET', '/api/v1/sso/domains')).statusCode).toBe(403);
    expect((await lake.appAdmin.request('POST', '/api/v1/sso/domains', { domain: 'x.example' })).statusCode).toBe(403);
    // A domain a provider lists is not given up.
    const inUse = await lake.siteAdmin.request('DELETE', `/api/v1/sso/domains/${id}`);
    expect(inUse.statusCode).toBe(400);
    expect(inUse.json().error.fieldCodes).toEqual({ domain: 'domain_in_use' });
  });
});

describe('a platform admin’s approval', () => {
  it('verifies a claim, recorded with who and when in the institution’s audit log', async () => {
    const d = await claim(lake.siteAdmin, 'lake-approved.example');
    expect(
      (await lake.siteAdmin.request('POST', `/api/v1/institutions/${lake.institution.id}/sso-domains/${d.id}/approve`)).statusCode,
    ).toBe(403);
    expect((await lake.siteAdmin.request('GET', `/api/v1/institutions/${lake.institution.id}/sso-domains`)).statusCode).toBe(403);
    const listed = await operator.request('GET', `/api/v1/institutions/${lake.institution.id}/sso-domains`);
    expect(listed.statusCode).toBe(200);
    expect((listed.json().items as DomainBody[]).find((x) => x.id === d.id)).toMatchObject({ status: 'pending' });
    // The claim of one institution under another's address is not found.
    expect((await operator.request('POST', `/api/v1/institutions/${evil.institution.id}/sso-domains/${d.id}/approve`)).statusCode).toBe(
      404,
    );
    expect((await operator.request('GET', `/api/v1/institutions/${randomUUID()}/sso-domains`)).statusCode).toBe(404);
    const res = await operator.request('POST', `/api/v1/institutions/${lake.institution.id}/sso-domains/${d.id}/approve`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'verified',
      method: 'operator',
      approvedBy: `${operator.user.firstName} ${operator.user.lastName}`,
    });
    // Its site admins see who approved it, and when.
    const seen = ((await lake.siteAdmin.request('GET', '/api/v1/sso/domains')).json().items as DomainBody[]).find((x) => x.id === d.id)!;
    expect(seen).toMatchObject({
      status: 'verified',
      method: 'operator',
      approvedBy: expect.stringContaining(operator.user.lastName),
      verifiedAt: expect.any(String),
    });
    const [event] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'sso_domain.approve'), eq(auditEvents.recordId, d.id))),
    );
    expect(event).toMatchObject({ tenantId: lake.institution.id, actorUserId: operator.user.id });
    // Visible to the institution's site admins in its audit log, under the platform admin's name.
    const audit = await lake.siteAdmin.request('GET', `/api/v1/audit?recordId=${d.id}&action=sso_domain.approve`);
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items).toEqual([
      expect.objectContaining({
        action: 'sso_domain.approve',
        actorLabel: `${operator.user.firstName} ${operator.user.lastName}`,
        actorRole: 'platform_admin',
      }),
    ]);
  });
});

describe('a verified domain belongs to one institution', () => {
  it('in the API: two may claim it, the first to prove it keeps it, the other is refused with a field message', async () => {
    const mine = await claim(lake.siteAdmin, 'shared.example');
    const theirs = await claim(evil.siteAdmin, 'shared.example');
    await proveByDns(lake.siteAdmin, mine);
    // The other institution publishes its own token: still refused.
    dns.txt.set(theirs.record.name, [theirs.record.value, mine.record.value]);
    const verify = await evil.siteAdmin.request('POST', `/api/v1/sso/domains/${theirs.id}/verify`);
    expect(verify.statusCode).toBe(400);
    expect(verify.json().error.fieldCodes).toEqual({ domain: 'domain_taken' });
    const approve = await operator.request('POST', `/api/v1/institutions/${evil.institution.id}/sso-domains/${theirs.id}/approve`);
    expect(approve.statusCode).toBe(400);
    expect(approve.json().error.fieldCodes).toEqual({ domain: 'domain_taken' });
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(ssoDomains).where(eq(ssoDomains.id, theirs.id)));
    expect(row!.status).toBe('pending');
  });

  it('in the database: a unique index refuses a second verified row, whatever the code does', async () => {
    const [theirs] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(ssoDomains)
        .where(and(eq(ssoDomains.tenantId, evil.institution.id), eq(ssoDomains.domain, 'shared.example'))),
    );
    const err = await withSystem(t.database.db, (tx) =>
      tx
        .update(ssoDomains)
        .set({ status: 'verified', verifiedAt: new Date(), verificationMethod: 'operator' })
        .where(and(eq(ssoDomains.tenantId, evil.institution.id), eq(ssoDomains.id, theirs!.id))),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(pgCode(err)).toBe('23505');
    expect(pgConstraint(err)).toBe('sso_domains_verified_domain_key');
    // Upper case or a trailing dot cannot slip past it either.
    const odd = await withSystem(t.database.db, (tx) =>
      tx.execute(
        sql`insert into sso_domains (tenant_id, id, domain, status, verification_token, verified_at, verification_method)
            values (${evil.institution.id}, ${randomUUID()}, 'Shared.example.', 'verified', 'x', now(), 'operator')`,
      ),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(pgCode(odd)).toBe('23514');
  });
});

describe('sign-in by email', () => {
  it('offers the connections of verified domains only', async () => {
    // A domain stored on a connection while pending (as after the upgrade) offers nothing until verified.
    const d = await claim(lake.siteAdmin, 'lake-pending.example');
    await withSystem(t.database.db, (tx) =>
      tx
        .update(ssoConnections)
        .set({ emailDomains: sql`array_append(${ssoConnections.emailDomains}, 'lake-pending.example')` })
        .where(eq(ssoConnections.id, lakeOidc)),
    );
    expect(await discover('pat@lake-pending.example')).toEqual([]);
    const email = `pending-${randomUUID()}@lake-pending.example`;
    idp.accounts.set('sub-pending', { email, email_verified: true });
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-pending')).headers.location).toBe('/sign-in?sso=no_account');
    await proveByDns(lake.siteAdmin, d);
    expect((await discover('pat@lake-pending.example')).map((i) => i.id)).toEqual([lakeOidc]);
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-pending')).headers.location).toBe('/');
  });

  it('creates no account just in time, and takes no invitation, outside the connection’s domains', async () => {
    const email = `outsider-${randomUUID()}@elsewhere.example`;
    idp.accounts.set('sub-outsider', { email, email_verified: true });
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-outsider')).headers.location).toBe('/sign-in?sso=no_account');
    const inv = await lake.siteAdmin.request('POST', '/api/v1/invitations', {
      email,
      firstName: 'Out',
      lastName: 'Sider',
      role: 'app_admin',
    });
    expect(inv.statusCode).toBe(201);
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-outsider')).headers.location).toBe('/sign-in?sso=no_account');
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(invitations).where(eq(invitations.id, inv.json().id)));
    expect(row!.acceptedAt).toBeNull();
    expect(await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.email, email)))).toEqual([]);
  });

  it('takes no invitation the operator sent once the institution has a site admin (sent before the operator’s boundary)', async () => {
    const email = `seat-${randomUUID()}@lakeshore.example`;
    const me = (await operator.request('GET', '/api/v1/session')).json() as { user: { id: string } };
    // An invitation of the kind the operator could send before its boundary: a site admin's seat.
    await withSystem(t.database.db, (tx) =>
      tx.insert(invitations).values({
        id: randomUUID(),
        tenantId: lake.institution.id,
        email,
        firstName: 'Seat',
        lastName: 'Taker',
        role: 'site_admin',
        canApprove: true,
        tokenHash: `void-${randomUUID()}`,
        invitedBy: me.user.id,
        expiresAt: new Date(Date.now() + 3600_000),
      }),
    );
    idp.accounts.set('sub-seat', { email, email_verified: true });
    const res = await oidcSignIn(lake.institution.id, lakeOidc, 'sub-seat');
    // The connection creates people just in time with its own role; the operator's seat stays unused.
    expect((await whoAmI(sessionCookieOf(res)?.value))?.email).toBe(email);
    const [created] = await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.email, email)));
    expect(created!.role).toBe('app_admin');
    expect(created!.canApprove).toBe(false);
    const [inv] = await withSystem(t.database.db, (tx) => tx.select().from(invitations).where(eq(invitations.email, email)));
    expect(inv!.acceptedAt).toBeNull();
  });

  it('never signs in the break-glass site admin of another domain, unless a site admin linked that account explicitly', async () => {
    const breakGlass = await buildUser(t.database.db, {
      tenantId: lake.institution.id,
      role: 'site_admin',
      email: `root-${randomUUID()}@lake-it.example`,
    });
    const policy = await lake.siteAdmin.request('PUT', '/api/v1/sso/policy', {
      requireSso: true,
      breakGlassUserId: breakGlass.id,
      requireMfa: false,
    });
    expect(policy.statusCode, policy.body).toBe(200);
    // The provider asserts the break-glass admin's address.
    idp.accounts.set('sub-takeover', { email: breakGlass.email, email_verified: true });
    const refused = await oidcSignIn(lake.institution.id, lakeOidc, 'sub-takeover');
    expect(refused.headers.location).toBe('/sign-in?sso=no_account');
    expect(sessionCookieOf(refused)).toBeUndefined();
    const links = () => withSystem(t.database.db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, breakGlass.id)));
    expect(await links()).toEqual([]);
    // Linked explicitly by a site admin (audited), the same provider signs the account in.
    expect((await lake.appAdmin.request('PUT', `/api/v1/sso/connections/${lakeOidc}/links/${breakGlass.id}`)).statusCode).toBe(403);
    expect((await evil.siteAdmin.request('PUT', `/api/v1/sso/connections/${lakeOidc}/links/${breakGlass.id}`)).statusCode).toBe(404);
    expect((await evil.siteAdmin.request('PUT', `/api/v1/sso/connections/${evilOidc}/links/${breakGlass.id}`)).statusCode).toBe(404);
    const link = await lake.siteAdmin.request('PUT', `/api/v1/sso/connections/${lakeOidc}/links/${breakGlass.id}`);
    expect(link.statusCode, link.body).toBe(200);
    expect((await lake.siteAdmin.request('GET', `/api/v1/sso/connections/${lakeOidc}/links`)).json().items).toEqual([
      expect.objectContaining({ userId: breakGlass.id, email: breakGlass.email }),
    ]);
    const ok = await oidcSignIn(lake.institution.id, lakeOidc, 'sub-takeover');
    expect(ok.headers.location).toBe('/');
    expect((await whoAmI(sessionCookieOf(ok)?.value))?.id).toBe(breakGlass.id);
    // Withdrawn: the subject goes too, and the next sign-in is refused.
    expect((await lake.siteAdmin.request('DELETE', `/api/v1/sso/connections/${lakeOidc}/links/${breakGlass.id}`)).statusCode).toBe(204);
    expect(await links()).toEqual([]);
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-takeover')).headers.location).toBe('/sign-in?sso=no_account');
    const events = await withSystem(t.database.db, (tx) =>
      tx
        .select({ action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, lake.institution.id), eq(auditEvents.recordId, breakGlass.id))),
    );
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.sso_link_allow', 'user.sso_link', 'user.sso_link_withdraw']));
    await lake.siteAdmin.request('PUT', '/api/v1/sso/policy', { requireSso: false, breakGlassUserId: null, requireMfa: false });
  });

  it('stops signing in a linked subject once its account’s domain is no longer covered', async () => {
    const email = `moves-${randomUUID()}@lake-dns.example`;
    idp.accounts.set('sub-moves', { email, email_verified: true });
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-moves')).headers.location).toBe('/');
    const res = await lake.siteAdmin.request('PATCH', `/api/v1/sso/connections/${lakeOidc}`, { emailDomains: ['lakeshore.example'] });
    expect(res.statusCode).toBe(200);
    expect((await oidcSignIn(lake.institution.id, lakeOidc, 'sub-moves')).headers.location).toBe('/sign-in?sso=no_account');
  });
});
