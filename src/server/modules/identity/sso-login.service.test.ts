/**
 * Single sign-on through the sign-in service as the routes use it, against a real OpenID provider
 * (oidc-provider on loopback) and a real SAML IdP (samlify, openssl certificate), on a migrated
 * database and without the HTTP application: who a provider may sign in (linking, invitations,
 * accounts made just in time, domains), every guard of the OIDC and SAML flows with the refusal it
 * gives, re-authentication, signing out at the provider, and our SAML metadata. The same flows
 * through the routes, cookies and logs are in `sso.test.ts`.
 */
import { createSign, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ssoConnectionCreateSchema } from '../../../contracts/auth.js';
import { buildInstitution, buildUser, buildVerifiedDomain } from '../../../../test/support/factories.js';
import { followToApp, startOidcIdp, type TestOidcIdp } from '../../../../test/support/oidc-idp.js';
import { authnRequestOf, makeTestCertificate, startSamlIdp, type TestSamlIdp } from '../../../../test/support/saml-idp.js';
import { scheduleDuePurge } from '../../../../test/support/lifecycle.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import {
  auditEvents,
  institutions,
  invitations,
  sessions,
  ssoAccountLinks,
  ssoConnections,
  ssoIdentities,
  ssoLoginStates,
  users,
} from '../../db/schema/index.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { withSystem, type Database, type Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { openSecret } from '../../platform/secrets.js';
import { hashToken } from '../../platform/tokens.js';
import { actorOf, createSessionService, samlLogoutAad, type Authenticated, type SessionService } from './session.service.js';
import { SsoFailure, createSsoLoginService, type SsoLoginService, type SsoOutcome } from './sso-login.service.js';
import { createSsoService } from './sso.service.js';

let database: Database;
let db: Db;
let config: Config;
let dataDir: string;
let sessionService: SessionService;
let login: SsoLoginService;
let idp: TestOidcIdp;
let samlIdp: TestSamlIdp;
let A: string;
let B: string;
let siteAdminA: Awaited<ReturnType<typeof buildUser>>;
let oidcA: string;
let oidcB: string;
let samlA: string;
let n = 0;
const reqId = () => `req-${++n}-${randomUUID().slice(0, 8)}`;
const DOMAIN_A = 'a.example.org';
const REFEDS_MFA = 'https://refeds.org/profile/mfa';
const PASSWORD_CONTEXT = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-sso-login-'));
  config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    PUBLIC_URL: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
  });
  database = await openTestDatabase();
  db = database.db;
  sessionService = createSessionService({ db, config });
  login = createSsoLoginService({ db, config }, sessionService);
  idp = await startOidcIdp({ redirectUri: `${config.publicUrl}/api/v1/sso/oidc/callback`, postLogoutRedirectUri: `${config.publicUrl}/sign-in` });
  samlIdp = startSamlIdp({ slo: true });
  A = (await buildInstitution(db)).institution.id;
  B = (await buildInstitution(db)).institution.id;
  await buildVerifiedDomain(db, A, DOMAIN_A);
  await buildVerifiedDomain(db, B, 'b.example.org');
  siteAdminA = await buildUser(db, { tenantId: A, role: 'site_admin' });
  const siteAdminB = await buildUser(db, { tenantId: B, role: 'site_admin' });
  const sso = createSsoService({ db, config });
  const create = async (admin: typeof siteAdminA, body: object) =>
    (await sso.create(actorOf(admin, admin.tenantId, 'setup', 'web'), ssoConnectionCreateSchema.parse(body))).id;
  const oidcBody = { preset: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: 'District accounts' };
  oidcA = await create(siteAdminA, { ...oidcBody, emailDomains: [DOMAIN_A] });
  oidcB = await create(siteAdminB, { ...oidcBody, emailDomains: ['b.example.org'] });
  samlA = await create(siteAdminA, { preset: 'saml', displayName: 'District SAML', idp: { metadataXml: samlIdp.metadataXml }, emailDomains: [DOMAIN_A] });
});
afterAll(async () => {
  await idp?.close();
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Each test starts from the connections as made above (tests change their settings). */
beforeEach(async () => {
  const defaults = { enabled: true, jitEnabled: false, jitRole: 'app_admin', requireIdpMfa: false, preset: 'oidc', emailDomains: [DOMAIN_A], mfaAcrValues: [] };
  await withSystem(db, async (tx) => {
    await tx.update(ssoConnections).set(defaults).where(eq(ssoConnections.id, oidcA));
    await tx
      .update(ssoConnections)
      .set({ ...defaults, preset: 'saml', mfaAcrValues: [], samlMfaAuthnContexts: [], samlIdpSloUrl: samlIdp.sloUrl })
      .where(eq(ssoConnections.id, samlA));
  });
});

const setConnection = (id: string, values: Partial<typeof ssoConnections.$inferInsert>) =>
  withSystem(db, (tx) => tx.update(ssoConnections).set({ ...values, updatedAt: new Date() }).where(eq(ssoConnections.id, id)));
const member = (email = `m-${randomUUID()}@${DOMAIN_A}`, tenantId = A) => buildUser(db, { tenantId, role: 'app_admin', email });

/** What a flow ended in: the person signed in, a confirmed re-authentication, or the refusal. */
type Ended = { user: string } | { reauth: string } | { staffRequest: string } | { failed: string; refusal: string | null; returnTo: string | null };
async function ended(p: Promise<SsoOutcome>): Promise<Ended> {
  try {
    const outcome = await p;
    if (outcome.kind === 'reauth') return { reauth: outcome.returnTo };
    if (outcome.kind === 'staff_request') return { staffRequest: outcome.connectionId };
    const auth = await sessionService.authenticate(outcome.token, 'check', 'web');
    return { user: auth!.user.id };
  } catch (err) {
    if (err instanceof SsoFailure) {
      // The log line of a refusal (sso.routes.ts) carries this detail: never empty.
      expect(err.message, `detail of ${err.reason}`).not.toBe('');
      return { failed: err.reason, refusal: err.refusal, returnTo: err.returnTo };
    }
    throw err;
  }
}
const refused = (reason: string, refusal: string | null = null, returnTo: string | null = null) => ({ failed: reason, refusal, returnTo });

// ----- OIDC

/** A whole OIDC sign-in: our start, the provider, our callback (`tamper` runs before the callback). */
async function oidcFlow(account: string, opts: { tenantId?: string; connectionId?: string; tamper?: (back: URL) => Promise<URL | void> } = {}) {
  const started = await login.start(opts.tenantId ?? A, opts.connectionId ?? oidcA);
  idp.nextAccount = account;
  let back = await followToApp(started.redirect, config.publicUrl);
  if (opts.tamper) back = (await opts.tamper(back)) ?? back;
  return login.oidcCallback(started.browserToken!, back, reqId());
}
function atProvider(account: string, claims: Partial<Parameters<TestOidcIdp['accounts']['set']>[1]> & { email: string }) {
  idp.accounts.set(account, { email_verified: true, ...claims });
}

// ----- SAML

/** Starts a SAML sign-in and returns what the IdP posts back, with the binding cookie of the browser that started it. */
async function samlForm(opts: {
  nameId: string;
  email: string;
  connectionId?: string;
  idp?: TestSamlIdp;
  overrides?: Record<string, string>;
  attributes?: Record<string, string>;
  authnContextClassRef?: string;
  authnInstant?: Date;
}) {
  const connectionId = opts.connectionId ?? samlA;
  const started = await login.start(A, connectionId);
  const spMetadata = await login.samlMetadata(A, connectionId);
  const form = await (opts.idp ?? samlIdp).respond({ spMetadata, redirectUrl: started.redirect, ...opts });
  const requestId = /ID="([^"]+)"/.exec(authnRequestOf(started.redirect))![1]!;
  return { ...form, browser: started.samlBrowserToken as string | undefined, requestId };
}
type Form = Awaited<ReturnType<typeof samlForm>>;
const xmlOf = (form: { SAMLResponse: string }) => Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
const withXml = (form: Form, xml: string): Form => ({ ...form, SAMLResponse: Buffer.from(xml).toString('base64') });
const acs = (form: Pick<Form, 'SAMLResponse' | 'RelayState' | 'browser'>, requestId = reqId(), connectionId = samlA) =>
  login.samlAcs(A, connectionId, { SAMLResponse: form.SAMLResponse, RelayState: form.RelayState }, requestId, form.browser);

/** The refusal audited for a SAML response (one event per refused response), by its request. */
async function auditedRefusal(requestId: string) {
  const events = await withSystem(db, (tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, 'sso.saml_refused'))),
  );
  expect(events.length).toBeLessThanOrEqual(1);
  return events[0] ?? null;
}
/** Expects a SAML response refused by one guard, the person told `reason`, and the refusal audited against the connection. */
async function expectSamlRefused(form: Pick<Form, 'SAMLResponse' | 'RelayState' | 'browser'>, refusal: string, reason = 'invalid', connectionId = samlA) {
  const requestId = reqId();
  expect(await ended(acs(form, requestId, connectionId))).toEqual(refused(reason, refusal));
  const event = await auditedRefusal(requestId);
  expect(event).toMatchObject({ tenantId: A, actorRole: 'system', actorLabel: 'system:saml-acs', recordType: 'sso_connection', recordId: connectionId, source: 'web' });
  expect(event!.changes).toEqual({
    connectionId: { before: null, after: connectionId },
    refusal: { before: null, after: refusal },
    reason: { before: null, after: reason },
    reauth: { before: null, after: false },
  });
}

describe('who a provider signs in', () => {
  it('an account of its institution by verified email, linked to the subject, then by subject even when the email changes', async () => {
    const user = await member();
    atProvider('sub-pat', { email: user.email.toUpperCase() });
    const requestId = reqId();
    const started = await login.start(A, oidcA);
    idp.nextAccount = 'sub-pat';
    const outcome = await login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), requestId);
    expect(outcome.kind).toBe('session');
    const token = (outcome as { token: string }).token;
    const row = (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, token)))))[0]!;
    expect(row).toMatchObject({ userId: user.id, tenantId: A, method: 'oidc', ssoConnectionId: oidcA, ssoSamlLogout: null });
    expect(row.ssoIdToken).toMatch(/^v2\./);
    const links = await withSystem(db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user.id)));
    expect(links.map((l) => [l.tenantId, l.connectionId, l.subject])).toEqual([[A, oidcA, 'sub-pat']]);
    const [linked] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.recordId, user.id), eq(auditEvents.action, 'user.sso_link'))),
    );
    expect(linked).toMatchObject({ tenantId: A, requestId, actorUserId: user.id, recordType: 'user', source: 'web' });
    const after = Object.fromEntries(Object.entries(linked!.changes as Record<string, { after: unknown }>).map(([k, v]) => [k, v.after]));
    expect(after).toMatchObject({ id: user.id, email: user.email, connectionId: oidcA, via: 'link' });
    expect(Object.keys(after).filter((k) => ['passwordHash', 'mfaSecret', 'mfaRecoveryCodes'].includes(k))).toEqual([]);

    atProvider('sub-pat', { email: `other-${randomUUID()}@elsewhere.example` });
    expect(await ended(oidcFlow('sub-pat'))).toEqual({ user: user.id });
  });

  it('nobody when the email is not verified, or missing', async () => {
    const user = await member();
    atProvider('sub-unverified', { email: user.email, email_verified: false });
    expect(await ended(oidcFlow('sub-unverified'))).toEqual(refused('no_account'));
    atProvider('sub-no-email', { email: '' });
    expect(await ended(oidcFlow('sub-no-email'))).toEqual(refused('no_account'));
    // Nor an "email" that is no address, from Entra ID either.
    await setConnection(oidcA, { preset: 'entra' });
    idp.accounts.set('sub-no-at', { email: 'no-at-sign' });
    expect(await ended(oidcFlow('sub-no-at'))).toEqual(refused('no_account'));
  });

  it('an unverified email of the connection’s domains where the provider is Entra ID (which sends no email_verified)', async () => {
    const user = await member();
    idp.accounts.set('sub-entra', { email: user.email });
    // Any other provider must say the email is verified.
    expect(await ended(oidcFlow('sub-entra'))).toEqual(refused('no_account'));
    await setConnection(oidcA, { preset: 'entra' });
    expect(await ended(oidcFlow('sub-entra'))).toEqual({ user: user.id });
  });

  it('never an account of another institution, through another institution’s provider', async () => {
    const user = await buildUser(db, { tenantId: A, role: 'site_admin', email: `cross-${randomUUID()}@b.example.org` });
    atProvider('sub-cross', { email: user.email });
    expect(await ended(oidcFlow('sub-cross', { tenantId: B, connectionId: oidcB }))).toEqual(refused('no_account'));
    expect(await withSystem(db, (tx) => tx.select().from(ssoIdentities).where(eq(ssoIdentities.userId, user.id)))).toEqual([]);
  });

  it('never an account of another institution through a link naming it, nor a re-authentication at that institution’s provider', async () => {
    // A link row of institution A pointing at an account of B, whose address is in A's domain.
    const foreign = await buildUser(db, { tenantId: B, role: 'app_admin', email: `foreign-${randomUUID()}@${DOMAIN_A}` });
    await withSystem(db, (tx) => tx.insert(ssoIdentities).values({ tenantId: A, id: randomUUID(), userId: foreign.id, connectionId: oidcA, subject: 'sub-foreign' }));
    atProvider('sub-foreign', { email: foreign.email });
    expect(await ended(oidcFlow('sub-foreign'))).toEqual(refused('disabled'));
    expect(await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, foreign.id)))).toEqual([]);
    const { token } = await withSystem(db, (tx) => sessionService.startSession(tx, foreign));
    const auth = (await sessionService.authenticate(token, 'r', 'web'))!;
    await expect(login.startReauth(auth, '/account')).rejects.toMatchObject({ code: 'conflict' });
  });

  it('Entra ID: an address of the connection’s domains in any case, one Entra marks verified (xms_edov), no other unverified one', async () => {
    await setConnection(oidcA, { preset: 'entra' });
    const user = await member();
    idp.accounts.set('sub-entra-case', { email: user.email.toUpperCase() });
    expect(await ended(oidcFlow('sub-entra-case'))).toEqual({ user: user.id });
    // A guest outside the domains, linked by a site admin: only when Entra says the address is verified.
    const guest = await member(`guest-${randomUUID()}@guest.example`);
    await withSystem(db, (tx) => tx.insert(ssoAccountLinks).values({ tenantId: A, connectionId: oidcA, userId: guest.id, createdByUserId: siteAdminA.id }));
    idp.accounts.set('sub-entra-guest', { email: guest.email });
    expect(await ended(oidcFlow('sub-entra-guest'))).toEqual(refused('no_account'));
    idp.accounts.set('sub-entra-guest', { email: guest.email, xms_edov: false });
    expect(await ended(oidcFlow('sub-entra-guest'))).toEqual(refused('no_account'));
    idp.accounts.set('sub-entra-guest', { email: guest.email, xms_edov: true });
    expect(await ended(oidcFlow('sub-entra-guest'))).toEqual({ user: guest.id });
    // Another provider's xms_edov means nothing.
    await setConnection(oidcA, { preset: 'oidc' });
    idp.accounts.set('sub-oidc-edov', { email: guest.email, xms_edov: true });
    expect(await ended(oidcFlow('sub-oidc-edov'))).toEqual(refused('no_account'));
  });

  it('an account outside the connection’s domains only once a site admin linked it', async () => {
    const guest = await member(`guest-${randomUUID()}@guest.example`);
    atProvider('sub-guest', { email: guest.email });
    expect(await ended(oidcFlow('sub-guest'))).toEqual(refused('no_account'));
    await withSystem(db, (tx) => tx.insert(ssoAccountLinks).values({ tenantId: A, connectionId: oidcA, userId: guest.id, createdByUserId: siteAdminA.id }));
    expect(await ended(oidcFlow('sub-guest'))).toEqual({ user: guest.id });
    // Linked by subject, then the link removed: no longer.
    await withSystem(db, (tx) => tx.delete(ssoAccountLinks).where(eq(ssoAccountLinks.userId, guest.id)));
    expect(await ended(oidcFlow('sub-guest'))).toEqual(refused('no_account'));
  });

  it('no linked account that was disabled', async () => {
    const user = await member();
    atProvider('sub-disabled', { email: user.email });
    expect(await ended(oidcFlow('sub-disabled'))).toEqual({ user: user.id });
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)));
    expect(await ended(oidcFlow('sub-disabled'))).toEqual(refused('disabled'));
    // Nor one disabled before its first sign-in.
    const before = await member();
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, before.id)));
    atProvider('sub-disabled-2', { email: before.email });
    expect(await ended(oidcFlow('sub-disabled-2'))).toEqual(refused('disabled'));
  });

  it('an invited person, as the invitation says, and the invitation is accepted', async () => {
    const email = `inv-${randomUUID()}@${DOMAIN_A}`;
    const invitationId = randomUUID();
    await withSystem(db, (tx) =>
      tx.insert(invitations).values({
        tenantId: A,
        id: invitationId,
        email,
        firstName: 'Ines',
        lastName: 'Vite',
        role: 'site_admin',
        canApprove: true,
        tokenHash: randomUUID(),
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedBy: siteAdminA.id,
      }),
    );
    atProvider('sub-ines', { email, given_name: 'Other', family_name: 'Names' });
    const requestId = reqId();
    const started = await login.start(A, oidcA);
    idp.nextAccount = 'sub-ines';
    const result = await ended(login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), requestId));
    const [user] = await withSystem(db, (tx) => tx.select().from(users).where(eq(users.email, email)));
    expect(result).toEqual({ user: user!.id });
    expect(user).toMatchObject({ tenantId: A, firstName: 'Ines', lastName: 'Vite', role: 'site_admin', canApprove: true, passwordHash: null, status: 'active' });
    const [inv] = await withSystem(db, (tx) => tx.select().from(invitations).where(eq(invitations.id, invitationId)));
    expect(inv!.acceptedAt).toBeInstanceOf(Date);
    const [created] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.recordId, user!.id), eq(auditEvents.action, 'user.sso_create'))),
    );
    expect(created).toMatchObject({ requestId, tenantId: A });
    expect((created!.changes as Record<string, { after: unknown }>).via!.after).toBe('invitation');
  });

  it('nobody from an invitation that expired, was revoked or accepted, when no account is made just in time', async () => {
    const cases = [{ expiresAt: new Date(Date.now() - 1000) }, { revokedAt: new Date() }, { acceptedAt: new Date() }];
    for (const [i, patch] of cases.entries()) {
      const email = `inv-gone-${i}-${randomUUID()}@${DOMAIN_A}`;
      await withSystem(db, (tx) =>
        tx.insert(invitations).values({
          tenantId: A,
          id: randomUUID(),
          email,
          firstName: 'Gone',
          lastName: 'Away',
          role: 'app_admin',
          tokenHash: randomUUID(),
          expiresAt: new Date(Date.now() + 86_400_000),
          ...patch,
        }),
      );
      atProvider(`sub-gone-${i}`, { email });
      expect(await ended(oidcFlow(`sub-gone-${i}`)), JSON.stringify(patch)).toEqual(refused('no_account'));
    }
  });

  it('nobody from the operator’s invitation once the institution has a site admin', async () => {
    const operator = await buildUser(db, { tenantId: null, role: 'platform_admin' });
    const email = `op-inv-${randomUUID()}@${DOMAIN_A}`;
    await withSystem(db, (tx) =>
      tx.insert(invitations).values({
        tenantId: A,
        id: randomUUID(),
        email,
        firstName: 'Op',
        lastName: 'Invited',
        role: 'site_admin',
        tokenHash: randomUUID(),
        expiresAt: new Date(Date.now() + 86_400_000),
        invitedBy: operator.id,
      }),
    );
    atProvider('sub-op-inv', { email });
    expect(await ended(oidcFlow('sub-op-inv'))).toEqual(refused('no_account'));
  });

  it('someone new just in time, where the connection allows it, in its domains only, with the connection’s role', async () => {
    const email = `jit-${randomUUID()}@${DOMAIN_A}`;
    atProvider('sub-jit', { email, given_name: 'Jo', family_name: 'Newton' });
    expect(await ended(oidcFlow('sub-jit'))).toEqual(refused('no_account'));
    await setConnection(oidcA, { jitEnabled: true, jitRole: 'site_admin' });
    const result = await ended(oidcFlow('sub-jit'));
    const [user] = await withSystem(db, (tx) => tx.select().from(users).where(eq(users.email, email)));
    expect(result).toEqual({ user: user!.id });
    expect(user).toMatchObject({ firstName: 'Jo', lastName: 'Newton', role: 'site_admin', canApprove: false, passwordHash: null });
    const [created] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.recordId, user!.id), eq(auditEvents.action, 'user.sso_create'))),
    );
    expect((created!.changes as Record<string, { after: unknown }>).via!.after).toBe('jit');
    // Without names, the email's local part and nothing.
    const bare = `bare-${randomUUID()}@${DOMAIN_A}`;
    atProvider('sub-bare', { email: bare });
    await ended(oidcFlow('sub-bare'));
    const [made] = await withSystem(db, (tx) => tx.select().from(users).where(eq(users.email, bare)));
    expect(made).toMatchObject({ firstName: bare.split('@')[0], lastName: '' });
    // Names of white space only are no names.
    const blank = `blank-${randomUUID()}@${DOMAIN_A}`;
    atProvider('sub-blank', { email: blank, given_name: '   ', family_name: ' ' });
    await ended(oidcFlow('sub-blank'));
    const [unnamed] = await withSystem(db, (tx) => tx.select().from(users).where(eq(users.email, blank)));
    expect(unnamed).toMatchObject({ firstName: blank.split('@')[0], lastName: '' });
    // Outside its domains: nobody.
    atProvider('sub-outside', { email: `x-${randomUUID()}@outside.example` });
    expect(await ended(oidcFlow('sub-outside'))).toEqual(refused('no_account'));
  });

  it('nobody new whose email has an account elsewhere, or once the institution is past its end of service', async () => {
    await setConnection(oidcA, { jitEnabled: true });
    const elsewhere = await buildUser(db, { tenantId: B, role: 'app_admin', email: `taken-${randomUUID()}@${DOMAIN_A}` });
    atProvider('sub-taken', { email: elsewhere.email });
    expect(await ended(oidcFlow('sub-taken'))).toEqual(refused('no_account'));

    const { institution } = await buildInstitution(db);
    await buildVerifiedDomain(db, institution.id, 'ending.example');
    const admin = await buildUser(db, { tenantId: institution.id, role: 'site_admin' });
    const ending = (
      await createSsoService({ db, config }).create(
        actorOf(admin, institution.id, 'r', 'web'),
        ssoConnectionCreateSchema.parse({ preset: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: 'X', emailDomains: ['ending.example'], jitEnabled: true }),
      )
    ).id;
    // Read-only: service ended yesterday, the purge due tomorrow.
    await scheduleDuePurge(db, institution.id, { endOfServiceAt: new Date(Date.now() - 86_400_000), purgeAfter: new Date(Date.now() + 86_400_000) });
    atProvider('sub-ending', { email: `late-${randomUUID()}@ending.example` });
    expect(await ended(oidcFlow('sub-ending', { tenantId: institution.id, connectionId: ending }))).toEqual(refused('no_account'));
    // Its people already there still sign in (read-only).
    const existing = await buildUser(db, { tenantId: institution.id, role: 'app_admin', email: `here-${randomUUID()}@ending.example` });
    atProvider('sub-here', { email: existing.email });
    expect(await ended(oidcFlow('sub-here', { tenantId: institution.id, connectionId: ending }))).toEqual({ user: existing.id });
    // Once purged, nobody.
    await withSystem(db, (tx) => tx.update(institutions).set({ status: 'purged' }).where(eq(institutions.id, institution.id)));
    expect(await ended(oidcFlow('sub-here', { tenantId: institution.id, connectionId: ending }))).toEqual(refused('disabled'));
  });
});

describe('the OIDC flow', () => {
  it('sends the browser to the provider with PKCE, state, nonce and our callback, remembering them for ten minutes', async () => {
    const before = Date.now();
    const started = await login.start(A, oidcA);
    const url = new URL(started.redirect);
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(['response_type', 'scope', 'code_challenge_method', 'redirect_uri', 'client_id'].map((k) => [k, url.searchParams.get(k)]))).toEqual({
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      redirect_uri: `${config.publicUrl}/api/v1/sso/oidc/callback`,
      client_id: idp.clientId,
    });
    for (const k of ['prompt', 'max_age', 'acr_values']) expect(url.searchParams.has(k), k).toBe(false);
    const [pending] = await withSystem(db, (tx) =>
      tx.select().from(ssoLoginStates).where(eq(ssoLoginStates.id, hashToken(config.sessionSecret, started.browserToken!))),
    );
    expect(pending).toMatchObject({ tenantId: A, connectionId: oidcA, state: url.searchParams.get('state'), nonce: url.searchParams.get('nonce'), reauthSessionId: null, returnTo: null });
    expect(pending!.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(pending!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 10 * 60_000);
    expect(pending!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 10 * 60_000);
  });

  it('refuses a tampered exchange: the PKCE verifier, the nonce or the state', async () => {
    const user = await member();
    atProvider('sub-neg', { email: user.email });
    const alter = (patch: Partial<typeof ssoLoginStates.$inferInsert>) => async () => {
      await withSystem(db, (tx) => tx.update(ssoLoginStates).set(patch).where(eq(ssoLoginStates.tenantId, A)));
    };
    expect(await ended(oidcFlow('sub-neg', { tamper: alter({ codeVerifier: 'x'.repeat(43) }) }))).toEqual(refused('invalid'));
    expect(await ended(oidcFlow('sub-neg', { tamper: alter({ nonce: 'not-the-nonce-sent' }) }))).toEqual(refused('invalid'));
    expect(
      await ended(
        oidcFlow('sub-neg', {
          tamper: async (back) => {
            back.searchParams.set('state', 'forged-state');
            return back;
          },
        }),
      ),
    ).toEqual(refused('invalid'));
  });

  it('completes only in the browser that started it, once, within ten minutes', async () => {
    const user = await member();
    atProvider('sub-once', { email: user.email });
    const started = await login.start(A, oidcA);
    idp.nextAccount = 'sub-once';
    const back = await followToApp(started.redirect, config.publicUrl);
    expect(await ended(login.oidcCallback(undefined, back, reqId()))).toEqual(refused('expired'));
    expect(await ended(login.oidcCallback('another-browser-token', back, reqId()))).toEqual(refused('expired'));
    expect(await ended(login.oidcCallback(started.browserToken!, back, reqId()))).toEqual({ user: user.id });
    expect(await ended(login.oidcCallback(started.browserToken!, back, reqId()))).toEqual(refused('expired'));
    // Started, then left longer than ten minutes.
    const late = await login.start(A, oidcA);
    idp.nextAccount = 'sub-once';
    const lateBack = await followToApp(late.redirect, config.publicUrl);
    await withSystem(db, (tx) =>
      tx.update(ssoLoginStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(ssoLoginStates.id, hashToken(config.sessionSecret, late.browserToken!))),
    );
    expect(await ended(login.oidcCallback(late.browserToken!, lateBack, reqId()))).toEqual(refused('expired'));
  });

  it('asks for, and requires, multi-factor evidence where the institution requires it', async () => {
    await setConnection(oidcA, { requireIdpMfa: true, mfaAcrValues: ['urn:test:loa:mfa', 'urn:test:loa:other'] });
    expect(new URL((await login.start(A, oidcA)).redirect).searchParams.get('acr_values')).toBe('urn:test:loa:mfa urn:test:loa:other');
    const user = await member();
    idp.accounts.set('sub-pwd', { email: user.email, email_verified: true, amr: ['pwd'] });
    expect(await ended(oidcFlow('sub-pwd'))).toEqual(refused('mfa_required'));
    idp.accounts.set('sub-mfa', { email: user.email, email_verified: true, amr: ['pwd', 'otp'] });
    expect(await ended(oidcFlow('sub-mfa'))).toEqual({ user: user.id });
    idp.accounts.set('sub-acr', { email: user.email, email_verified: true, acr: 'urn:test:loa:mfa' });
    expect(await ended(oidcFlow('sub-acr'))).toEqual({ user: user.id });
    // Required without acr values listed: nothing asked, the amr still checked.
    await setConnection(oidcA, { requireIdpMfa: true, mfaAcrValues: [] });
    expect(new URL((await login.start(A, oidcA)).redirect).searchParams.has('acr_values')).toBe(false);
    expect(await ended(oidcFlow('sub-pwd'))).toEqual(refused('mfa_required'));
    // Not required: a password alone signs in, and nothing is asked.
    await setConnection(oidcA, { requireIdpMfa: false, mfaAcrValues: ['urn:test:loa:mfa'] });
    expect(new URL((await login.start(A, oidcA)).redirect).searchParams.has('acr_values')).toBe(false);
    expect(await ended(oidcFlow('sub-pwd'))).toEqual({ user: user.id });
  });

  it('reads a provider’s discovery document once an hour per connection, and again as soon as the connection changes', async () => {
    const fresh = createSsoLoginService({ db, config }, sessionService);
    // The issuer changed without the row's version (updated_at): only a new reading of discovery sees it.
    const setIssuerKeepingVersion = (id: string, issuer: string) =>
      withSystem(db, (tx) => tx.update(ssoConnections).set({ oidcIssuer: issuer }).where(eq(ssoConnections.id, id)));
    const broken = 'http://127.0.0.1:9/';
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    try {
      expect((await fresh.start(A, oidcA)).redirect.startsWith(idp.issuer)).toBe(true);
      await setIssuerKeepingVersion(oidcA, broken);
      await setIssuerKeepingVersion(oidcB, broken);
      vi.setSystemTime(t0 + 3600_000 - 1);
      expect((await fresh.start(A, oidcA)).redirect.startsWith(idp.issuer)).toBe(true);
      // Another connection's document is its own.
      await expect(fresh.start(B, oidcB)).rejects.toMatchObject({ reason: 'unavailable', message: 'issuer discovery failed' });
      vi.setSystemTime(t0 + 3600_000);
      await expect(fresh.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'issuer discovery failed' });
      // A change to the connection (a new version) is read at once.
      await setIssuerKeepingVersion(oidcA, idp.issuer);
      expect((await fresh.start(A, oidcA)).redirect.startsWith(idp.issuer)).toBe(true);
      await setConnection(oidcA, { oidcIssuer: broken });
      await expect(fresh.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'issuer discovery failed' });
    } finally {
      vi.useRealTimers();
      await setConnection(oidcA, { oidcIssuer: idp.issuer });
      await setIssuerKeepingVersion(oidcB, idp.issuer);
    }
  });

  it('is unavailable for a disabled or unknown connection, an unreachable provider, or an http provider in production', async () => {
    await setConnection(oidcA, { enabled: false });
    await expect(login.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'connection missing or disabled' });
    await expect(login.start(A, randomUUID())).rejects.toMatchObject({ reason: 'unavailable', message: 'connection missing or disabled' });
    await expect(login.start(B, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'connection missing or disabled' });
    await setConnection(oidcA, { enabled: true, oidcIssuer: 'http://127.0.0.1:9/' });
    await expect(login.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'issuer discovery failed' });
    await setConnection(oidcA, { oidcIssuer: idp.issuer });
    const production = createSsoLoginService({ db, config: { ...config, isProduction: true } }, sessionService);
    await expect(production.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'http issuer refused in production' });
    // An https provider is looked up in production (here it is unreachable), never refused as http.
    await setConnection(oidcA, { oidcIssuer: 'https://127.0.0.1:9/' });
    await expect(production.start(A, oidcA)).rejects.toMatchObject({ reason: 'unavailable', message: 'issuer discovery failed' });
    await setConnection(oidcA, { oidcIssuer: idp.issuer });
    expect((await login.start(A, oidcA)).redirect.startsWith(idp.issuer)).toBe(true);
  });
});

describe('the SAML flow', () => {
  let userId: string;
  let email: string;
  beforeAll(async () => {
    email = `saml-${randomUUID()}@${DOMAIN_A}`;
    userId = (await member(email)).id;
  });
  const nameId = () => `saml-sub-${userId}`;

  it('asks the IdP with a signed request, bound to the browser and remembered by its id', async () => {
    const started = await login.start(A, samlA);
    expect(started.browserToken).toBeNull();
    expect(started.samlBrowserToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const url = new URL(started.redirect);
    expect(`${url.origin}${url.pathname}`).toBe(samlIdp.ssoUrl);
    expect(url.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(url.searchParams.get('Signature')).toBeTruthy();
    const request = authnRequestOf(started.redirect);
    const base = `${config.publicUrl}/api/v1/sso/saml/${A}/${samlA}`;
    expect(request).toContain(`AssertionConsumerServiceURL="${base}/acs"`);
    expect(request).toMatch(new RegExp(`<saml:Issuer[^>]*>${base}/metadata</saml:Issuer>`));
    expect(request).toContain('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    // A first sign-in may reuse the IdP's session: only a re-authentication forces a new one.
    expect(request).not.toMatch(/ForceAuthn="true"/);
    expect(request).not.toContain('ForceAuthn');
    expect(request).not.toContain('RequestedAuthnContext');
    const requestId = /ID="([^"]+)"/.exec(request)![1]!;
    const [pending] = await withSystem(db, (tx) => tx.select().from(ssoLoginStates).where(eq(ssoLoginStates.samlRequestId, requestId)));
    expect(pending).toMatchObject({ tenantId: A, connectionId: samlA, purpose: 'login', browserHash: hashToken(config.sessionSecret, started.samlBrowserToken!) });
    expect(pending!.id).toBe(hashToken(config.sessionSecret, url.searchParams.get('RelayState')!));
  });

  it('signs in with a signed assertion, keeping what names the sign-in sealed where the IdP offers single logout', async () => {
    const form = await samlForm({ nameId: nameId(), email });
    const outcome = await acs(form);
    expect(await ended(Promise.resolve(outcome))).toEqual({ user: userId });
    const row = (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, (outcome as { token: string }).token)))))[0]!;
    expect(row).toMatchObject({ method: 'saml', ssoConnectionId: samlA, ssoIdToken: null });
    const signIn = JSON.parse(openSecret(config.secretKeys, row.ssoSamlLogout!, samlLogoutAad(row.id))) as Record<string, unknown>;
    expect(signIn).toMatchObject({ nameID: nameId(), nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' });
    expect(signIn.sessionIndex).toMatch(/^_s/);
    // Without single logout at the IdP, nothing is kept.
    await setConnection(samlA, { samlIdpSloUrl: null });
    const plain = await acs(await samlForm({ nameId: nameId(), email }));
    const plainRow = (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, (plain as { token: string }).token)))))[0]!;
    expect(plainRow.ssoSamlLogout).toBeNull();
  });

  it('takes the email from the NameID when no attribute carries one, and names from the attributes', async () => {
    await setConnection(samlA, { jitEnabled: true });
    const fresh = `nameid-${randomUUID()}@${DOMAIN_A}`;
    expect(await ended(acs(await samlForm({ nameId: fresh, email: fresh, attributes: { givenName: 'Émilie', sn: 'Tremblay' } })))).toMatchObject({ user: expect.any(String) });
    const [made] = await withSystem(db, (tx) => tx.select().from(users).where(eq(users.email, fresh)));
    expect(made).toMatchObject({ firstName: 'Émilie', lastName: 'Tremblay' });
    // An opaque NameID and no email attribute: nobody.
    expect(await ended(acs(await samlForm({ nameId: `opaque-${randomUUID()}`, email: 'x', attributes: { givenName: 'No', sn: 'Email' } })))).toEqual(
      refused('no_account', 'no_account'),
    );
  });

  it('refuses each guard’s case, audited against the connection with codes only', async () => {
    const genuine = await samlForm({ nameId: nameId(), email });
    const xml = xmlOf(genuine);
    const signed = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
    const forged = signed.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_forged"');
    await expectSamlRefused({ ...genuine, SAMLResponse: '' }, 'no_response');
    await expectSamlRefused({ ...genuine, SAMLResponse: 'x'.repeat(500_001) }, 'no_response');
    await expectSamlRefused(withXml(genuine, `<!DOCTYPE x [<!ENTITY e "e">]>${xml}`), 'doctype');
    await expectSamlRefused(withXml(genuine, '<samlp:Response'), 'unparsable');
    await expectSamlRefused(withXml(genuine, xml.replace(signed, forged + signed)), 'assertion_count');
    await expectSamlRefused(withXml(genuine, xml.replace(signed, '')), 'assertion_count');
    await expectSamlRefused(withXml(genuine, xml.replace(signed, forged)), 'unsigned');
    const cases: [Record<string, string>, string][] = [
      [{ Destination: 'https://someone-else.example/acs' }, 'destination'],
      [{ SubjectRecipient: 'https://someone-else.example/acs' }, 'recipient'],
      [{ Issuer: 'https://idp.test/someone-else' }, 'issuer'],
      [{ InResponseTo: '_never_issued' }, 'unknown_request'],
      [{ Audience: 'https://someone-else.example/sp' }, 'audience'],
      [{ StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }, 'status'],
    ];
    for (const [overrides, refusal] of cases) await expectSamlRefused(await samlForm({ nameId: nameId(), email, overrides }), refusal);
    // An error status in the (unsigned) envelope, and no status at all.
    const noStatus = await samlForm({ nameId: nameId(), email });
    await expectSamlRefused(withXml(noStatus, xmlOf(noStatus).replace(/<samlp:Status>[\s\S]*?<\/samlp:Status>/, '')), 'status');
    const past = (min: number) => new Date(Date.now() - min * 60_000).toISOString();
    await expectSamlRefused(
      await samlForm({
        nameId: nameId(),
        email,
        overrides: { IssueInstant: past(20), ConditionsNotBefore: past(20), ConditionsNotOnOrAfter: past(10), SubjectConfirmationDataNotOnOrAfter: past(10) },
      }),
      'conditions',
    );
    // The response's Destination may be left out; a subject confirmation must name us.
    const noDestination = await samlForm({ nameId: nameId(), email });
    expect(await ended(acs(withXml(noDestination, xmlOf(noDestination).replace(/ Destination="[^"]+"/, ''))))).toEqual({ user: userId });
  });

  it('reads a response of up to 500,000 characters; refuses one without a subject confirmation, or an assertion posted without its response', async () => {
    const form = await samlForm({ nameId: nameId(), email });
    const xml = Buffer.from(xmlOf(form));
    // 375,000 bytes are 500,000 characters of base64; whitespace after the root element changes nothing signed.
    const padded = Buffer.concat([xml, Buffer.alloc(375_000 - xml.length, ' ')]).toString('base64');
    expect(padded).toHaveLength(500_000);
    expect(await ended(acs({ ...form, SAMLResponse: padded }))).toEqual({ user: userId });
    const noConfirmation = await samlForm({ nameId: nameId(), email });
    await expectSamlRefused(withXml(noConfirmation, xmlOf(noConfirmation).replace(/<saml:SubjectConfirmationData[^>]*\/>/, '')), 'recipient');
    // Every subject confirmation must name us, not just one of them.
    const twoConfirmations = await samlForm({ nameId: nameId(), email });
    const elsewhere = '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="https://someone-else.example/acs"/></saml:SubjectConfirmation></saml:Subject>';
    await expectSamlRefused(withXml(twoConfirmations, xmlOf(twoConfirmations).replace('</saml:Subject>', elsewhere)), 'recipient');
    // The signed assertion alone: no response, so no InResponseTo naming a request.
    const bare = await samlForm({ nameId: nameId(), email });
    await expectSamlRefused(withXml(bare, /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xmlOf(bare))![0]), 'unknown_request');
  });

  it('signs in once when two responses answer one request at the same time', async () => {
    const started = await login.start(A, samlA);
    const spMetadata = await login.samlMetadata(A, samlA);
    const [one, two] = await Promise.all([1, 2].map(() => samlIdp.respond({ spMetadata, redirectUrl: started.redirect, nameId: nameId(), email })));
    const before = await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, userId)));
    const results = await Promise.all([one!, two!].map((f) => ended(acs({ ...f, browser: started.samlBrowserToken }))));
    expect(results.filter((r) => 'user' in r)).toEqual([{ user: userId }]);
    expect(results.filter((r) => 'failed' in r)).toEqual([refused('invalid', 'unknown_request')]);
    expect(await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, userId)))).toHaveLength(before.length + 1);
  });

  it('refuses an assertion or an envelope naming another issuer, and a connection that knows no IdP entity id', async () => {
    const form = await samlForm({ nameId: nameId(), email, overrides: { Issuer: 'https://idp.test/someone-else' } });
    const envelopeFixed = xmlOf(form).replace(/(<samlp:Response[^>]*>\s*<saml:Issuer>)[^<]+/, `$1${samlIdp.entityId}`);
    await expectSamlRefused(withXml(form, envelopeFixed), 'issuer');
    const genuine = await samlForm({ nameId: nameId(), email });
    await expectSamlRefused(withXml(genuine, xmlOf(genuine).replace(/(<samlp:Response[^>]*>\s*<saml:Issuer>)[^<]+/, '$1https://idp.test/someone-else')), 'issuer');
    // The envelope's Issuer with white space around the IdP's entity id: the IdP's.
    const spaced = await samlForm({ nameId: nameId(), email });
    expect(await ended(acs(withXml(spaced, xmlOf(spaced).replace(/(<samlp:Response[^>]*>\s*<saml:Issuer>)([^<]+)/, '$1\n  $2\n'))))).toEqual({ user: userId });
    // No Issuer on the envelope: the assertion's is enough.
    const bare = await samlForm({ nameId: nameId(), email });
    expect(await ended(acs(withXml(bare, xmlOf(bare).replace(/(<samlp:Response[^>]*>)\s*<saml:Issuer>[^<]+<\/saml:Issuer>/, '$1'))))).toEqual({ user: userId });
    const other = await samlForm({ nameId: nameId(), email });
    await setConnection(samlA, { samlIdpEntityId: null });
    try {
      await expectSamlRefused(other, 'issuer');
    } finally {
      await setConnection(samlA, { samlIdpEntityId: samlIdp.entityId });
    }
  });

  it('refuses a tampered signature, and an assertion signed by another key', async () => {
    const victim = await member();
    const form = await samlForm({ nameId: nameId(), email });
    await expectSamlRefused(withXml(form, xmlOf(form).replace(new RegExp(email, 'g'), victim.email).replace(nameId(), `saml-sub-${victim.id}`)), 'signature');
    const impostor = startSamlIdp({ entityId: samlIdp.entityId, cert: makeTestCertificate('Impostor') });
    await expectSamlRefused(await samlForm({ nameId: `saml-sub-${victim.id}`, email: victim.email, idp: impostor }), 'signature');
  });

  it('answers only its own pending request: not another connection’s, nor a spent or expired one, nor in another browser', async () => {
    const form = await samlForm({ nameId: nameId(), email });
    // Another connection of the institution.
    const other = (
      await createSsoService({ db, config }).create(
        actorOf(siteAdminA, A, 'r', 'web'),
        ssoConnectionCreateSchema.parse({ preset: 'saml', displayName: 'Other SAML', idp: { metadataXml: samlIdp.metadataXml }, emailDomains: [DOMAIN_A] }),
      )
    ).id;
    const requestId = reqId();
    expect(await ended(acs(form, requestId, other))).toMatchObject({ failed: 'invalid' });
    expect(await ended(acs({ ...form, browser: undefined }))).toEqual(refused('expired', 'browser'));
    const second = await samlForm({ nameId: nameId(), email });
    expect(await ended(acs({ ...form, browser: second.browser }))).toEqual(refused('expired', 'browser'));
    await expectSamlRefused({ ...form, RelayState: second.RelayState }, 'relay_state');
    await expectSamlRefused({ ...form, RelayState: '' }, 'relay_state');
    expect(await ended(acs(form))).toEqual({ user: userId });
    await expectSamlRefused(form, 'unknown_request');
    // A signed assertion for the first request, re-addressed in the envelope to the second.
    const third = await samlForm({ nameId: nameId(), email });
    const readdressed = xmlOf(second).replace(/(<samlp:Response[^>]*\sInResponseTo=")[^"]+"/, `$1${third.requestId}"`);
    await expectSamlRefused({ ...withXml(second, readdressed), RelayState: third.RelayState, browser: third.browser }, 'in_response_to');
    // Older than ten minutes.
    const late = await samlForm({ nameId: nameId(), email });
    await withSystem(db, (tx) => tx.update(ssoLoginStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(ssoLoginStates.samlRequestId, late.requestId)));
    await expectSamlRefused(late, 'request_expired', 'expired');
    // A request made for single logout is not a sign-in.
    const logout = await samlForm({ nameId: nameId(), email });
    await withSystem(db, (tx) => tx.update(ssoLoginStates).set({ purpose: 'logout' }).where(eq(ssoLoginStates.samlRequestId, logout.requestId)));
    await expectSamlRefused(logout, 'unknown_request');
  });

  it('refuses an assertion id seen before, even answering a new request', async () => {
    const first = await samlForm({ nameId: nameId(), email });
    expect(await ended(acs(first))).toEqual({ user: userId });
    const assertionId = /<saml:Assertion[^>]*\sID="([^"]+)"/.exec(xmlOf(first))![1]!;
    await expectSamlRefused(await samlForm({ nameId: nameId(), email, overrides: { AssertionID: assertionId } }), 'replay');
  });

  it('asks for, and requires, the institution’s multi-factor contexts', async () => {
    await setConnection(samlA, { requireIdpMfa: true, samlMfaAuthnContexts: [REFEDS_MFA, 'http://schemas.microsoft.com/claims/multipleauthn'] });
    const request = authnRequestOf((await login.start(A, samlA)).redirect);
    expect(request).toMatch(/<samlp:RequestedAuthnContext[^>]*Comparison="exact"/);
    expect(request).toContain(`>${REFEDS_MFA}</saml:AuthnContextClassRef>`);
    expect(await ended(acs(await samlForm({ nameId: nameId(), email, authnContextClassRef: REFEDS_MFA })))).toEqual({ user: userId });
    await expectSamlRefused(await samlForm({ nameId: nameId(), email, authnContextClassRef: PASSWORD_CONTEXT }), 'mfa_required', 'mfa_required');
    await expectSamlRefused(await samlForm({ nameId: nameId(), email, overrides: { AuthnStatement: '' } }), 'mfa_required', 'mfa_required');
    // Two statements: each must name a listed context.
    const two = await samlForm({
      nameId: nameId(),
      email,
      overrides: {
        AuthnStatement:
          `<saml:AuthnStatement AuthnInstant="${new Date().toISOString()}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>${REFEDS_MFA}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
          `<saml:AuthnStatement AuthnInstant="${new Date().toISOString()}" SessionIndex="_s2"><saml:AuthnContext><saml:AuthnContextClassRef>${PASSWORD_CONTEXT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      },
    });
    await expectSamlRefused(two, 'mfa_required', 'mfa_required');
    // A context with white space around it is that context; a statement naming no context is refused, not a fault.
    expect(await ended(acs(await samlForm({ nameId: nameId(), email, authnContextClassRef: `\n    ${REFEDS_MFA}\n  ` })))).toEqual({ user: userId });
    const bare = `<saml:AuthnStatement AuthnInstant="${new Date().toISOString()}" SessionIndex="_s3"></saml:AuthnStatement>`;
    await expectSamlRefused(await samlForm({ nameId: nameId(), email, overrides: { AuthnStatement: bare } }), 'mfa_required', 'mfa_required');
    // Required with no context listed: nothing is asked.
    await setConnection(samlA, { requireIdpMfa: true, samlMfaAuthnContexts: [] });
    expect(authnRequestOf((await login.start(A, samlA)).redirect)).not.toContain('RequestedAuthnContext');
    // Not required: contexts listed are not asked for, a password suffices.
    await setConnection(samlA, { requireIdpMfa: false, samlMfaAuthnContexts: [REFEDS_MFA] });
    expect(authnRequestOf((await login.start(A, samlA)).redirect)).not.toContain('RequestedAuthnContext');
    expect(await ended(acs(await samlForm({ nameId: nameId(), email, authnContextClassRef: PASSWORD_CONTEXT })))).toEqual({ user: userId });
  });

  it('is unavailable for a disabled, unknown or non-SAML connection (an unknown one is not audited)', async () => {
    const form = await samlForm({ nameId: nameId(), email });
    const unknownRequest = reqId();
    expect(await ended(login.samlAcs(A, randomUUID(), form, unknownRequest, form.browser))).toEqual(refused('unavailable'));
    expect(await auditedRefusal(unknownRequest)).toBeNull();
    await setConnection(samlA, { enabled: false });
    await expectSamlRefused(form, 'unavailable', 'unavailable');
    await setConnection(samlA, { enabled: true });
    await expectSamlRefused(form, 'unavailable', 'unavailable', oidcA);
  });
});

describe('re-authentication at the provider', () => {
  async function ssoSession(connectionId: string, userId: string) {
    const user = (await withSystem(db, (tx) => tx.select().from(users).where(eq(users.id, userId))))[0]!;
    const { token } = await withSystem(db, (tx) => sessionService.startSession(tx, user, connectionId === samlA ? 'saml' : 'oidc', { connectionId, idToken: null }));
    await withSystem(db, (tx) => tx.update(sessions).set({ authenticatedAt: new Date(Date.now() - 3600_000) }).where(eq(sessions.id, hashToken(config.sessionSecret, token))));
    return (await sessionService.authenticate(token, 'r', 'web'))!;
  }
  const freshness = async (auth: Authenticated) =>
    (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, auth.session.id))))[0]?.authenticatedAt.getTime() ?? 0;

  it('is refused for an account without single sign-on', async () => {
    const user = await member();
    const { token } = await withSystem(db, (tx) => sessionService.startSession(tx, user));
    const auth = (await sessionService.authenticate(token, 'r', 'web'))!;
    await expect(login.startReauth(auth, '/account')).rejects.toEqual(
      new AppError('conflict', 'Your account does not sign in with single sign-on. Confirm with your password instead.'),
    );
  });

  it('OIDC: asks for a fresh sign-in, refuses an old one or someone else, confirms the session on a fresh one', async () => {
    const user = await member();
    atProvider('sub-re', { email: user.email });
    expect(await ended(oidcFlow('sub-re'))).toEqual({ user: user.id });
    const auth = await ssoSession(oidcA, user.id);
    const before = await freshness(auth);

    const reauth = async (account: string) => {
      const started = await login.startReauth(auth, '/account/security');
      expect({ tenantId: started.tenantId, connectionId: started.connectionId }).toEqual({ tenantId: A, connectionId: oidcA });
      const url = new URL(started.redirect);
      expect({ prompt: url.searchParams.get('prompt'), max_age: url.searchParams.get('max_age') }).toEqual({ prompt: 'login', max_age: '0' });
      idp.nextAccount = account;
      return login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), reqId());
    };

    idp.accounts.set('sub-re', { email: user.email, email_verified: true, authTime: Math.floor(Date.now() / 1000) - 3600 });
    expect(await ended(reauth('sub-re'))).toEqual(refused('reauth_not_fresh', null, '/account/security'));
    const other = await member();
    atProvider('sub-re-other', { email: other.email });
    expect(await ended(oidcFlow('sub-re-other'))).toEqual({ user: other.id });
    expect(await ended(reauth('sub-re-other'))).toEqual(refused('reauth_mismatch', null, '/account/security'));
    expect(await freshness(auth)).toBe(before);

    atProvider('sub-re', { email: user.email });
    const requestId = reqId();
    const started = await login.startReauth(auth, '/account/security');
    idp.nextAccount = 'sub-re';
    expect(await ended(login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), requestId))).toEqual({
      reauth: '/account/security',
    });
    expect(await freshness(auth)).toBeGreaterThan(before);
    const [event] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.requestId, requestId), eq(auditEvents.action, 'session.reauthenticate'))),
    );
    expect(event).toMatchObject({ tenantId: A, recordType: 'user', recordId: user.id, actorUserId: user.id, source: 'web' });
    expect(event!.changes).toEqual({ via: { before: null, after: 'oidc' }, connectionId: { before: null, after: oidcA } });
    // Nothing new was linked or opened.
    expect(await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, user.id)))).toHaveLength(2);
  });

  it('OIDC: refuses a confirmation for a session that has ended, or a person disabled meanwhile', async () => {
    const user = await member();
    atProvider('sub-re-end', { email: user.email });
    expect(await ended(oidcFlow('sub-re-end'))).toEqual({ user: user.id });
    const auth = await ssoSession(oidcA, user.id);
    const run = async () => {
      const started = await login.startReauth(auth, '/account');
      idp.nextAccount = 'sub-re-end';
      return ended(login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), reqId()));
    };
    await withSystem(db, (tx) => tx.update(sessions).set({ lastSeenAt: new Date(Date.now() - (config.sessionIdleMinutes + 1) * 60_000) }).where(eq(sessions.id, auth.session.id)));
    expect(await run()).toEqual(refused('expired', null, '/account'));
    await withSystem(db, (tx) => tx.update(sessions).set({ lastSeenAt: new Date(), expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, auth.session.id)));
    expect(await run()).toEqual(refused('expired', null, '/account'));
    await withSystem(db, (tx) => tx.update(sessions).set({ expiresAt: new Date(Date.now() + 3600_000) }).where(eq(sessions.id, auth.session.id)));
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)));
    expect(await run()).toEqual(refused('disabled', null, '/account'));
    // Disabled while the provider was asked.
    await withSystem(db, (tx) => tx.update(users).set({ status: 'active' }).where(eq(users.id, user.id)));
    const asked = await login.startReauth(auth, '/account');
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)));
    idp.nextAccount = 'sub-re-end';
    expect(await ended(login.oidcCallback(asked.browserToken!, await followToApp(asked.redirect, config.publicUrl), reqId()))).toEqual(refused('disabled', null, '/account'));
    // Signed out (the session row gone) while the provider was asked.
    await withSystem(db, (tx) => tx.update(users).set({ status: 'active' }).where(eq(users.id, user.id)));
    const started = await login.startReauth(auth, '/account');
    await withSystem(db, (tx) => tx.delete(sessions).where(eq(sessions.id, auth.session.id)));
    idp.nextAccount = 'sub-re-end';
    expect(await ended(login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), reqId()))).toEqual(refused('expired', null, '/account'));
  });

  it('goes to the session’s own connection, else the newest linked one of the person’s institution', async () => {
    const user = await member();
    atProvider('sub-choice', { email: user.email });
    expect(await ended(oidcFlow('sub-choice'))).toEqual({ user: user.id });
    const form = await samlForm({ nameId: `choice-${user.id}`, email: user.email });
    expect(await ended(acs(form))).toEqual({ user: user.id });
    // The session came through OIDC: there, although SAML was linked later.
    const viaOidc = await ssoSession(oidcA, user.id);
    expect((await login.startReauth(viaOidc, '/account')).connectionId).toBe(oidcA);
    // A password session: the newest link (SAML).
    const { token } = await withSystem(db, (tx) => sessionService.startSession(tx, user));
    const plain = (await sessionService.authenticate(token, 'r', 'web'))!;
    const chosen = await login.startReauth(plain, '/account');
    expect(chosen.connectionId).toBe(samlA);
    expect(authnRequestOf(chosen.redirect)).toContain('ForceAuthn="true"');
    // A disabled connection is passed over; with none left, an unavailable provider says so.
    await setConnection(samlA, { enabled: false });
    expect((await login.startReauth(plain, '/account')).connectionId).toBe(oidcA);
    await setConnection(oidcA, { oidcIssuer: 'http://127.0.0.1:9/' });
    try {
      await expect(login.startReauth(plain, '/account')).rejects.toEqual(
        new AppError('conflict', 'Your institution’s sign-in is not available right now. Try again later.'),
      );
    } finally {
      await setConnection(oidcA, { oidcIssuer: idp.issuer });
    }
  });

  it('takes a sign-in at the provider in the very second the re-authentication started (OIDC auth_time, SAML AuthnInstant)', async () => {
    const user = await member();
    atProvider('sub-re-edge', { email: user.email });
    expect(await ended(oidcFlow('sub-re-edge'))).toEqual({ user: user.id });
    expect(await ended(acs(await samlForm({ nameId: `re-edge-${user.id}`, email: user.email })))).toEqual({ user: user.id });
    /** The second the pending flow started, by its row (its expiry less ten minutes). */
    const startSecond = async (where: ReturnType<typeof eq>) => {
      const [pending] = await withSystem(db, (tx) => tx.select().from(ssoLoginStates).where(where));
      return Math.floor((pending!.expiresAt.getTime() - 10 * 60_000) / 1000);
    };
    const viaOidc = await ssoSession(oidcA, user.id);
    for (const [offset, expected] of [
      [-1, refused('reauth_not_fresh', null, '/account')],
      [0, { reauth: '/account' }],
    ] as const) {
      const started = await login.startReauth(viaOidc, '/account');
      const second = await startSecond(eq(ssoLoginStates.id, hashToken(config.sessionSecret, started.browserToken!)));
      idp.accounts.set('sub-re-edge', { email: user.email, email_verified: true, authTime: second + offset });
      idp.nextAccount = 'sub-re-edge';
      expect(await ended(login.oidcCallback(started.browserToken!, await followToApp(started.redirect, config.publicUrl), reqId())), `auth_time ${offset}`).toEqual(expected);
    }
    const viaSaml = await ssoSession(samlA, user.id);
    for (const [offset, expected] of [
      [-1, refused('reauth_not_fresh', 'reauth_not_fresh', '/account')],
      [0, { reauth: '/account' }],
    ] as const) {
      const started = await login.startReauth(viaSaml, '/account');
      const requestId = /ID="([^"]+)"/.exec(authnRequestOf(started.redirect))![1]!;
      const second = await startSecond(eq(ssoLoginStates.samlRequestId, requestId));
      const form = await samlIdp.respond({
        spMetadata: await login.samlMetadata(A, samlA),
        redirectUrl: started.redirect,
        nameId: `re-edge-${user.id}`,
        email: user.email,
        authnInstant: new Date(second * 1000 + offset),
      });
      expect(await ended(acs({ ...form, browser: started.samlBrowserToken })), `AuthnInstant ${offset} ms`).toEqual(expected);
    }
  });

  it('SAML: forces a fresh sign-in at the IdP, refuses an AuthnInstant from before the request, confirms on a fresh one', async () => {
    const user = await member();
    expect(await ended(acs(await samlForm({ nameId: `re-saml-${user.id}`, email: user.email })))).toEqual({ user: user.id });
    const auth = await ssoSession(samlA, user.id);
    const before = await freshness(auth);
    const reauth = async (authnInstant?: Date, nameId = `re-saml-${user.id}`, overrides?: Record<string, string>) => {
      const started = await login.startReauth(auth, '/account');
      expect(authnRequestOf(started.redirect)).toContain('ForceAuthn="true"');
      const form = await samlIdp.respond({
        spMetadata: await login.samlMetadata(A, samlA),
        redirectUrl: started.redirect,
        nameId,
        email: user.email,
        ...(authnInstant ? { authnInstant } : {}),
        ...(overrides ? { overrides } : {}),
      });
      const requestId = reqId();
      return { result: await ended(acs({ ...form, browser: started.samlBrowserToken }, requestId)), requestId };
    };
    const stale = await reauth(new Date(Date.now() - 120_000));
    expect(stale.result).toEqual(refused('reauth_not_fresh', 'reauth_not_fresh', '/account'));
    expect((await auditedRefusal(stale.requestId))!.changes).toMatchObject({ reauth: { after: true }, refusal: { after: 'reauth_not_fresh' } });
    const noInstant = `<saml:AuthnStatement AuthnInstant="not a time" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>${PASSWORD_CONTEXT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    expect((await reauth(undefined, undefined, { AuthnStatement: noInstant })).result).toMatchObject({ failed: expect.any(String) });
    expect((await reauth(undefined, undefined, { AuthnStatement: '' })).result).toEqual(refused('reauth_not_fresh', 'reauth_not_fresh', '/account'));
    // Two statements: each must be fresh.
    const statement = (at: Date, index: string) =>
      `<saml:AuthnStatement AuthnInstant="${at.toISOString()}" SessionIndex="${index}"><saml:AuthnContext><saml:AuthnContextClassRef>${PASSWORD_CONTEXT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
    const mixed = statement(new Date(), '_s1') + statement(new Date(Date.now() - 120_000), '_s2');
    expect((await reauth(undefined, undefined, { AuthnStatement: mixed })).result).toEqual(refused('reauth_not_fresh', 'reauth_not_fresh', '/account'));
    expect((await reauth(undefined, `someone-else-${randomUUID()}`)).result).toEqual(refused('reauth_mismatch', 'reauth_mismatch', '/account'));
    expect(await freshness(auth)).toBe(before);
    expect((await reauth()).result).toEqual({ reauth: '/account' });
    expect(await freshness(auth)).toBeGreaterThan(before);
  });
});

describe('signing out at the provider', () => {
  it('OIDC: the provider’s end-session page with the ID token as hint and our sign-in page as the way back', async () => {
    const user = await member();
    atProvider('sub-out', { email: user.email });
    const outcome = await oidcFlow('sub-out');
    const row = (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, (outcome as { token: string }).token)))))[0]!;
    const url = new URL((await login.endSessionUrl(row))!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(`${config.publicUrl}/sign-in`);
    const hint = url.searchParams.get('id_token_hint')!;
    expect(JSON.parse(Buffer.from(hint.split('.')[1]!, 'base64url').toString())).toMatchObject({ sub: 'sub-out', aud: idp.clientId });
    // Nothing to go to: no SSO, no token kept, a token that does not open, a connection gone.
    expect(await login.endSessionUrl({ ...row, ssoConnectionId: null })).toBeNull();
    expect(await login.endSessionUrl({ ...row, tenantId: null })).toBeNull();
    expect(await login.endSessionUrl({ ...row, ssoIdToken: null })).toBeNull();
    expect(await login.endSessionUrl({ ...row, id: 'another-row' })).toBeNull();
    await setConnection(oidcA, { enabled: false });
    expect(await login.endSessionUrl(row)).toBeNull();
  });

  describe('SAML single logout', () => {
    let user: Awaited<ReturnType<typeof buildUser>>;
    beforeAll(async () => {
      user = await member();
    });
    /** Signs in by SAML, then builds the LogoutRequest URL of that session. */
    async function signedInThenOut() {
      const outcome = await acs(await samlForm({ nameId: `slo-${user.id}`, email: user.email }));
      const row = (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, (outcome as { token: string }).token)))))[0]!;
      return { row, logoutUrl: (await login.endSessionUrl(row))! };
    }
    const answer = (responseUrl: string, connectionId = samlA) => {
      const u = new URL(responseUrl);
      const query = Object.fromEntries(u.searchParams) as { SAMLResponse: string; RelayState?: string; SigAlg?: string; Signature?: string };
      return login.samlLogoutResponse(A, connectionId, query, u.search.slice(1));
    };
    const refusal = (p: Promise<unknown>) =>
      p.then(
        (v) => ({ answered: v }),
        (e: unknown) => {
          if (e instanceof SsoFailure) {
            expect(e.message, `detail of ${e.refusal}`).not.toBe('');
            return { failed: e.reason, refusal: e.refusal };
          }
          throw e;
        },
      );

    it('sends a signed LogoutRequest naming the sign-in, and takes the IdP’s answer once', async () => {
      const { logoutUrl } = await signedInThenOut();
      const url = new URL(logoutUrl);
      expect(`${url.origin}${url.pathname}`).toBe(samlIdp.sloUrl);
      expect(url.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      const relay = url.searchParams.get('RelayState')!;
      const [pending] = await withSystem(db, (tx) => tx.select().from(ssoLoginStates).where(eq(ssoLoginStates.id, hashToken(config.sessionSecret, relay))));
      expect(pending).toMatchObject({ tenantId: A, connectionId: samlA, purpose: 'logout' });
      expect(pending!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
      const { request, responseUrl } = samlIdp.logout({ spMetadata: await login.samlMetadata(A, samlA), logoutUrl });
      expect(request).toMatchObject({ nameId: `slo-${user.id}`, nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', id: pending!.samlRequestId });
      expect(await refusal(answer(responseUrl))).toEqual({ answered: 'done' });
      expect(await refusal(answer(responseUrl))).toEqual({ failed: 'expired', refusal: 'unknown_request' });
    });

    it('says when the IdP could not end its session, wholly or partly', async () => {
      for (const status of ['urn:oasis:names:tc:SAML:2.0:status:Responder']) {
        const { logoutUrl } = await signedInThenOut();
        const { responseUrl } = samlIdp.logout({ spMetadata: await login.samlMetadata(A, samlA), logoutUrl, status });
        expect(await refusal(answer(responseUrl))).toEqual({ answered: 'failed' });
      }
      // Success with a nested PartialLogout: not done.
      const { logoutUrl } = await signedInThenOut();
      const { responseUrl } = samlIdp.logout({ spMetadata: await login.samlMetadata(A, samlA), logoutUrl });
      const u = new URL(responseUrl);
      const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLResponse')!, 'base64'))
        .toString()
        .replace(
          /<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"\/>/,
          '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/></samlp:StatusCode>',
        );
      expect(await refusal(answer(resign(u, xml)))).toEqual({ answered: 'failed' });
    });

    /** The response URL with `xml` as its message, signed again by the IdP's key (a genuine answer of that content). */
    function resign(u: URL, xml: string, key = samlIdp.cert.key): string {
      const query =
        `SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}` +
        `&RelayState=${encodeURIComponent(u.searchParams.get('RelayState') ?? '')}&SigAlg=${encodeURIComponent(u.searchParams.get('SigAlg')!)}`;
      const signature = createSign('RSA-SHA256').update(query).sign(key, 'base64');
      return `${u.origin}${u.pathname}?${query}&Signature=${encodeURIComponent(signature)}`;
    }

    it('refuses a tampered, unsigned, misaddressed or unsolicited LogoutResponse, each by its guard', async () => {
      const spMetadata = await login.samlMetadata(A, samlA);
      const cases: [string, string, (logoutUrl: string) => string, string?][] = [
        ['signed by another key', 'signature', (l) => samlIdp.logout({ spMetadata, logoutUrl: l, signWith: makeTestCertificate('Impostor') }).responseUrl],
        ['another issuer', 'issuer', (l) => samlIdp.logout({ spMetadata, logoutUrl: l, overrides: { issuer: 'https://idp.test/other' } }).responseUrl],
        ['an answer to another request', 'in_response_to', (l) => samlIdp.logout({ spMetadata, logoutUrl: l, overrides: { inResponseTo: '_never-asked' } }).responseUrl],
        ['another destination', 'destination', (l) => samlIdp.logout({ spMetadata, logoutUrl: l, overrides: { destination: 'https://sp.test/logout' } }).responseUrl],
        [
          'signed with SHA-1',
          'signature_algorithm',
          (l) => samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl.replace(/SigAlg=[^&]+/, `SigAlg=${encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1')}`),
        ],
        ['a request and a response together', 'parameters', (l) => `${samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl}&SAMLRequest=abc`],
        [
          'a parameter twice',
          'parameters',
          (l) => {
            const r = samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl;
            return `${r}&RelayState=${encodeURIComponent(new URL(r).searchParams.get('RelayState')!)}`;
          },
        ],
        [
          'an altered message',
          'signature',
          (l) => {
            const r = new URL(samlIdp.logout({ spMetadata, logoutUrl: l, status: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }).responseUrl);
            const xml = inflateRawSync(Buffer.from(r.searchParams.get('SAMLResponse')!, 'base64')).toString().replace(/status:Responder/, 'status:Success');
            r.searchParams.set('SAMLResponse', deflateRawSync(Buffer.from(xml)).toString('base64'));
            return r.href;
          },
        ],
        [
          'no signature',
          'unsigned',
          (l) => {
            const r = new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl);
            r.searchParams.delete('Signature');
            return r.href;
          },
        ],
        [
          'no signature algorithm',
          'unsigned',
          (l) => {
            const r = new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl);
            r.searchParams.delete('SigAlg');
            return r.href;
          },
        ],
        ['a RelayState we never issued', 'unknown_request', (l) => samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl.replace(/RelayState=[^&]+/, 'RelayState=unknown')],
        [
          'a message that is not deflated',
          'unparsable',
          (l) => {
            const r = new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl);
            return resign(r, 'ignored').replace(/SAMLResponse=[^&]+/, 'SAMLResponse=bm90IGRlZmxhdGVk');
          },
        ],
        ['a DOCTYPE', 'doctype', (l) => resign(new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl), '<!DOCTYPE x><samlp:LogoutResponse/>')],
        ['not XML', 'unparsable', (l) => resign(new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl), '<samlp:LogoutResponse')],
        ['not a LogoutResponse', 'unparsable', (l) => resign(new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl), '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')],
        [
          'no issuer',
          'issuer',
          (l) => {
            const r = new URL(samlIdp.logout({ spMetadata, logoutUrl: l }).responseUrl);
            const xml = inflateRawSync(Buffer.from(r.searchParams.get('SAMLResponse')!, 'base64')).toString().replace(/<saml:Issuer>[^<]*<\/saml:Issuer>/, '');
            return resign(r, xml);
          },
        ],
      ];
      for (const [name, guard, make] of cases) {
        const { logoutUrl } = await signedInThenOut();
        expect(await refusal(answer(make(logoutUrl))), name).toMatchObject({ refusal: guard });
      }
      // Answered at another connection's address; and no RelayState at all.
      const { logoutUrl } = await signedInThenOut();
      const responseUrl = samlIdp.logout({ spMetadata, logoutUrl }).responseUrl;
      expect(await refusal(answer(responseUrl, oidcA))).toEqual({ failed: 'expired', refusal: 'unknown_request' });
      const u = new URL(responseUrl);
      expect(await refusal(login.samlLogoutResponse(A, samlA, { SAMLResponse: u.searchParams.get('SAMLResponse')! }, ''))).toEqual({ failed: 'invalid', refusal: 'unknown_request' });
    });

    it('takes an answer without Destination; refuses one that inflates past 200 kB', async () => {
      const spMetadata = await login.samlMetadata(A, samlA);
      const inflated = (u: URL) => inflateRawSync(Buffer.from(u.searchParams.get('SAMLResponse')!, 'base64')).toString();
      const first = await signedInThenOut();
      const u = new URL(samlIdp.logout({ spMetadata, logoutUrl: first.logoutUrl }).responseUrl);
      expect(await refusal(answer(resign(u, inflated(u).replace(/ Destination="[^"]+"/, ''))))).toEqual({ answered: 'done' });
      const second = await signedInThenOut();
      const v = new URL(samlIdp.logout({ spMetadata, logoutUrl: second.logoutUrl }).responseUrl);
      const big = inflated(v).replace('</samlp:LogoutResponse>', `${' '.repeat(200_000)}</samlp:LogoutResponse>`);
      expect(await refusal(answer(resign(v, big)))).toEqual({ failed: 'invalid', refusal: 'unparsable' });
    });

    it('refuses an answer to a request older than its ten minutes, or at a connection no longer SAML', async () => {
      const { logoutUrl } = await signedInThenOut();
      const relay = new URL(logoutUrl).searchParams.get('RelayState')!;
      await withSystem(db, (tx) => tx.update(ssoLoginStates).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(ssoLoginStates.id, hashToken(config.sessionSecret, relay))));
      const { responseUrl } = samlIdp.logout({ spMetadata: await login.samlMetadata(A, samlA), logoutUrl });
      expect(await refusal(answer(responseUrl))).toEqual({ failed: 'expired', refusal: 'request_expired' });
      const again = await signedInThenOut();
      const second = samlIdp.logout({ spMetadata: await login.samlMetadata(A, samlA), logoutUrl: again.logoutUrl }).responseUrl;
      await setConnection(samlA, { protocol: 'oidc' });
      try {
        expect(await refusal(answer(second))).toEqual({ failed: 'invalid', refusal: 'unavailable' });
      } finally {
        await setConnection(samlA, { protocol: 'saml' });
      }
    });

    it('gives nothing to go to where the IdP offers no single logout, or the stored sign-in does not open', async () => {
      const { row } = await signedInThenOut();
      expect(await login.endSessionUrl({ ...row, id: 'another-row' })).toBeNull();
      await setConnection(samlA, { samlIdpSloUrl: null });
      expect(await login.endSessionUrl(row)).toBeNull();
    });
  });
});

describe('our SAML metadata', () => {
  it('names our endpoints, our signing key and, with single logout at the IdP, our HTTP-Redirect logout service', async () => {
    const xml = await login.samlMetadata(A, samlA);
    const base = `${config.publicUrl}/api/v1/sso/saml/${A}/${samlA}`;
    expect(xml).toContain(`entityID="${base}/metadata"`);
    expect(xml).toContain(`Location="${base}/acs"`);
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect(xml).toMatch(/<KeyDescriptor use="signing">[\s\S]*<ds:X509Certificate>/);
    expect(xml).toMatch(new RegExp(`<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/logout"`));
    expect(xml).not.toContain('bindings:HTTP-POST" Location="' + `${base}/logout`);
    await setConnection(samlA, { samlIdpSloUrl: null });
    expect(await login.samlMetadata(A, samlA)).not.toContain('SingleLogoutService');
  });

  it('signs nothing and names no key for a connection without a key of its own', async () => {
    const [{ samlSpKey }] = (await withSystem(db, (tx) => tx.select({ samlSpKey: ssoConnections.samlSpKey }).from(ssoConnections).where(eq(ssoConnections.id, samlA)))) as [
      { samlSpKey: string | null },
    ];
    await setConnection(samlA, { samlSpKey: null });
    try {
      const url = new URL((await login.start(A, samlA)).redirect);
      expect(url.searchParams.has('Signature')).toBe(false);
      expect(url.searchParams.has('SigAlg')).toBe(false);
      expect(await login.samlMetadata(A, samlA)).not.toContain('KeyDescriptor');
    } finally {
      await setConnection(samlA, { samlSpKey });
    }
  });

  it('is not found for a malformed, unknown, disabled, OIDC or other-region connection', async () => {
    const NIL = '00000000-0000-0000-0000-000000000000';
    for (const [tenantId, connectionId] of [
      ['not-a-uuid', samlA],
      [A, 'x'.repeat(36)],
      [A, `${samlA}0`],
      [NIL, NIL],
      [A, randomUUID()],
      [B, samlA],
      [A, oidcA],
    ])
      await expect(login.samlMetadata(tenantId!, connectionId!), `${tenantId}/${connectionId}`).rejects.toMatchObject({ code: 'not_found' });
    await setConnection(samlA, { enabled: false });
    await expect(login.samlMetadata(A, samlA)).rejects.toMatchObject({ code: 'not_found' });
    await setConnection(samlA, { enabled: true });
    await withSystem(db, (tx) => tx.update(institutions).set({ region: config.region === 'ca' ? 'us' : 'ca' }).where(eq(institutions.id, A)));
    try {
      await expect(login.samlMetadata(A, samlA)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await withSystem(db, (tx) => tx.update(institutions).set({ region: config.region }).where(eq(institutions.id, A)));
    }
    // Upper case is a uuid too.
    expect(await login.samlMetadata(A.toUpperCase(), samlA.toUpperCase())).toContain('EntityDescriptor');
  });
});
