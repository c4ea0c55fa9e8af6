/**
 * Sessions, through the session service as the routes use it: signing in by password (with its
 * single answer for every refusal, lockout and the second step), what a session row holds, its idle
 * and absolute limits (a clock is set where a limit is exact), its revocation, re-authentication, and
 * a platform admin moving between institutions.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildInstitution, buildUser, PASSWORD } from '../../../../test/support/factories.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { auditEvents, authPolicies, institutions, sessions, supportGrants, users } from '../../db/schema/index.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { withSystem, type Database, type Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { openSecret } from '../../platform/secrets.js';
import { hashToken } from '../../platform/tokens.js';
import { createSessionService, idTokenAad, samlLogoutAad, type Authenticated, type SessionService } from './session.service.js';

let database: Database;
let db: Db;
let config: Config;
let service: SessionService;
let dataDir: string;
let tenantId: string;

const TTL_HOURS = 12;
const IDLE_MINUTES = 30;
const REAUTH_MINUTES = 10;
const THRESHOLD = 3;
const LOCK_MINUTES = 15;
const MINUTE = 60_000;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-sessions-'));
  config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'silent',
    SESSION_TTL_HOURS: String(TTL_HOURS),
    SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
    REAUTH_MINUTES: String(REAUTH_MINUTES),
    LOGIN_LOCKOUT_THRESHOLD: String(THRESHOLD),
    LOGIN_LOCKOUT_MINUTES: String(LOCK_MINUTES),
  });
  database = await openTestDatabase();
  db = database.db;
  service = createSessionService({ db, config });
  tenantId = (await buildInstitution(db)).institution.id;
});
afterAll(async () => {
  await database?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Sets the clock the service reads (Date only; the database keeps its own). */
const setClock = (at: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
};

const member = (overrides: Partial<Parameters<typeof buildUser>[1]> = {}) => buildUser(db, { tenantId, role: 'app_admin', ...overrides });
const rowOf = async (token: string) => (await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.id, hashToken(config.sessionSecret, token)))))[0];
const userRow = async (id: string) => (await withSystem(db, (tx) => tx.select().from(users).where(eq(users.id, id))))[0]!;
const eventsOf = (recordId: string) =>
  withSystem(db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, recordId)).orderBy(auditEvents.id));
const setSession = (token: string, values: Partial<typeof sessions.$inferInsert>) =>
  withSystem(db, (tx) => tx.update(sessions).set(values).where(eq(sessions.id, hashToken(config.sessionSecret, token))));

/** Signs in by password (no second step) and resolves the cookie to the request's view of it. */
async function signedIn(user: Awaited<ReturnType<typeof member>>): Promise<{ token: string; auth: Authenticated }> {
  const outcome = await service.login(user.email, PASSWORD, 'req-login');
  if (outcome.kind !== 'session') throw new Error('expected a session');
  const auth = await service.authenticate(outcome.token, 'req-1', 'web');
  return { token: outcome.token, auth: auth! };
}

/** The refusal of a sign-in, as the client sees it. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return { code: err.code, message: err.message };
}
const BAD = { code: 'unauthorized', message: 'The email or password is not correct' };

describe('signing in by password', () => {
  it('opens a session: a random cookie whose keyed hash is the row, a CSRF token, the absolute limit, and an audit event', async () => {
    const user = await member();
    const before = Date.now();
    const outcome = await service.login(user.email.toUpperCase(), PASSWORD, 'req-open');
    const after = Date.now();
    if (outcome.kind !== 'session') throw new Error('expected a session');
    const row = await rowOf(outcome.token);
    expect(row).toMatchObject({ userId: user.id, tenantId, method: 'password', ssoConnectionId: null, ssoIdToken: null, ssoSamlLogout: null });
    expect(outcome.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(row!.id).not.toBe(outcome.token);
    expect(row!.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(row!.csrfToken).not.toBe(outcome.token);
    expect(row!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + TTL_HOURS * 3600_000);
    expect(row!.expiresAt.getTime()).toBeLessThanOrEqual(after + TTL_HOURS * 3600_000);
    expect(outcome.body).toMatchObject({ user: { id: user.id, email: user.email, role: 'app_admin' }, institution: { id: tenantId }, csrfToken: row!.csrfToken });
    expect((await eventsOf(user.id)).map((e) => [e.action, e.recordType, e.tenantId, e.requestId, e.actorUserId, e.source])).toEqual([
      ['session.create', 'user', tenantId, 'req-open', user.id, 'web'],
    ]);
  });

  it('gives one answer for an unknown email, a wrong password, a disabled account and a locked one', async () => {
    const disabled = await member();
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled.id)));
    const locked = await member();
    await withSystem(db, (tx) => tx.update(users).set({ lockedUntil: new Date(Date.now() + MINUTE) }).where(eq(users.id, locked.id)));
    const known = await member();
    expect(await refusal(service.login(`nobody-${randomUUID()}@example.org`, PASSWORD, 'r'))).toEqual(BAD);
    expect(await refusal(service.login(known.email, 'not the password at all', 'r'))).toEqual(BAD);
    expect(await refusal(service.login(disabled.email, PASSWORD, 'r'))).toEqual(BAD);
    expect(await refusal(service.login(locked.email, PASSWORD, 'r'))).toEqual(BAD);
    // Only the wrong password of an active, unlocked account counts towards a lockout.
    expect((await userRow(known.id)).failedLogins).toBe(1);
    await refusal(service.login(disabled.email, 'not the password at all', 'r'));
    await refusal(service.login(locked.email, 'not the password at all', 'r'));
    expect((await userRow(disabled.id)).failedLogins).toBe(0);
    expect(await userRow(locked.id)).toMatchObject({ failedLogins: 0 });
  });

  it('locks an account at the threshold of consecutive failures, for its minutes, and records it once', async () => {
    const user = await member();
    for (let i = 1; i < THRESHOLD; i++) {
      await refusal(service.login(user.email, 'not the password at all', 'r'));
      expect(await userRow(user.id)).toMatchObject({ failedLogins: i, lockedUntil: null });
    }
    const at = Date.now();
    await refusal(service.login(user.email, 'not the password at all', 'req-lock'));
    const locked = await userRow(user.id);
    expect(locked.failedLogins).toBe(0);
    expect(locked.lockedUntil!.getTime()).toBeGreaterThanOrEqual(at + LOCK_MINUTES * MINUTE);
    expect(locked.lockedUntil!.getTime()).toBeLessThanOrEqual(Date.now() + LOCK_MINUTES * MINUTE);
    expect((await eventsOf(user.id)).map((e) => [e.action, e.recordType, e.requestId, e.tenantId, e.actorUserId, e.source])).toEqual([
      ['user.lockout', 'user', 'req-lock', tenantId, user.id, 'web'],
    ]);
    expect(await refusal(service.login(user.email, PASSWORD, 'r'))).toEqual(BAD);
    // The lock ends by itself; the next success clears what is left.
    await withSystem(db, (tx) => tx.update(users).set({ lockedUntil: new Date(Date.now() - 1000), failedLogins: 2 }).where(eq(users.id, user.id)));
    expect((await service.login(user.email, PASSWORD, 'r')).kind).toBe('session');
    expect(await userRow(user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    // Failures short of a lock are forgotten at the next success too.
    await withSystem(db, (tx) => tx.update(users).set({ failedLogins: THRESHOLD - 1 }).where(eq(users.id, user.id)));
    expect((await service.login(user.email, PASSWORD, 'r')).kind).toBe('session');
    expect(await userRow(user.id)).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('keeps a lock until its very end', async () => {
    const user = await member();
    const now = Date.now();
    await withSystem(db, (tx) => tx.update(users).set({ lockedUntil: new Date(now) }).where(eq(users.id, user.id)));
    setClock(now - 1);
    expect(await refusal(service.login(user.email, PASSWORD, 'r'))).toEqual(BAD);
    setClock(now);
    expect((await service.login(user.email, PASSWORD, 'r')).kind).toBe('session');
  });

  it('asks for the second step: a code when enrolled, enrolment for platform admins and where the institution requires it', async () => {
    const enrolled = await member();
    await withSystem(db, (tx) => tx.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, enrolled.id)));
    expect(await service.login(enrolled.email, PASSWORD, 'r')).toMatchObject({ kind: 'mfa', mode: 'verify', user: { id: enrolled.id } });
    const admin = await buildUser(db, { tenantId: null, role: 'platform_admin' });
    expect(await service.login(admin.email, PASSWORD, 'r')).toMatchObject({ kind: 'mfa', mode: 'enrol' });
    const strict = (await buildInstitution(db)).institution.id;
    await withSystem(db, (tx) => tx.insert(authPolicies).values({ tenantId: strict, requireMfa: true }));
    const person = await buildUser(db, { tenantId: strict, role: 'app_admin' });
    expect(await service.login(person.email, PASSWORD, 'r')).toMatchObject({ kind: 'mfa', mode: 'enrol' });
    // No session is opened before the second step.
    expect(await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, person.id)))).toEqual([]);
  });

  it('refuses a local password where the institution requires single sign-on, but for its break-glass admin', async () => {
    const sso = (await buildInstitution(db)).institution.id;
    const admin = await buildUser(db, { tenantId: sso, role: 'site_admin' });
    const person = await buildUser(db, { tenantId: sso, role: 'app_admin' });
    await withSystem(db, (tx) => tx.insert(authPolicies).values({ tenantId: sso, requireSso: true, breakGlassUserId: admin.id }));
    await withSystem(db, (tx) => tx.update(users).set({ failedLogins: 2 }).where(eq(users.id, person.id)));
    expect(await refusal(service.login(person.email, PASSWORD, 'r'))).toEqual({
      code: 'forbidden',
      message: 'Your institution signs in with single sign-on. Use your institution’s sign-in button.',
    });
    expect((await userRow(person.id)).failedLogins).toBe(2);
    expect((await service.login(admin.email, PASSWORD, 'r')).kind).toBe('session');
  });

  it('opens sessions in an institution being offboarded, never in a purged one', async () => {
    const leaving = (await buildInstitution(db, { status: 'offboarding' })).institution.id;
    expect((await service.login((await buildUser(db, { tenantId: leaving, role: 'app_admin' })).email, PASSWORD, 'r')).kind).toBe('session');
    const gone = (await buildInstitution(db)).institution.id;
    const person = await buildUser(db, { tenantId: gone, role: 'app_admin' });
    await withSystem(db, (tx) => tx.update(institutions).set({ status: 'purged' }).where(eq(institutions.id, gone)));
    expect(await refusal(service.login(person.email, PASSWORD, 'r'))).toEqual(BAD);
    expect(await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, person.id)))).toEqual([]);
  });
});

describe('a single sign-on session', () => {
  it('keeps its connection, and seals the ID token and the SAML sign-in to its own row', async () => {
    const user = await member();
    const connectionId = randomUUID();
    const saml = { nameID: 'dana@school.example', nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress', nameQualifier: 'idp', spNameQualifier: 'sp', sessionIndex: '_s1' };
    const { token } = await withSystem(db, (tx) => service.openSession(tx, user, 'saml', 'req-sso', { connectionId, idToken: 'the.id.token', saml }));
    const row = (await rowOf(token))!;
    expect(row).toMatchObject({ method: 'saml', ssoConnectionId: connectionId });
    expect(row.ssoIdToken).not.toContain('the.id.token');
    expect(openSecret(config.secretKeys, row.ssoIdToken!, idTokenAad(row.id))).toBe('the.id.token');
    // Bound to the row under names that stay the same from release to release (stored sessions keep opening).
    expect(idTokenAad(row.id)).toBe(`oidc-id-token:${row.id}`);
    expect(samlLogoutAad(row.id)).toBe(`saml-logout:${row.id}`);
    expect(row.ssoSamlLogout).not.toContain('dana@school.example');
    expect(JSON.parse(openSecret(config.secretKeys, row.ssoSamlLogout!, samlLogoutAad(row.id)))).toEqual(saml);
    // Without a token or a SAML sign-in, nothing is sealed.
    const { token: plain } = await withSystem(db, (tx) => service.openSession(tx, user, 'oidc', 'req-sso', { connectionId, idToken: null }));
    expect(await rowOf(plain)).toMatchObject({ method: 'oidc', ssoConnectionId: connectionId, ssoIdToken: null, ssoSamlLogout: null });
  });
});

describe('a session’s limits', () => {
  it('resolves a cookie to its person, in the institution the session is in, for the request', async () => {
    const user = await member({ canApprove: true });
    const { token } = await signedIn(user);
    const auth = (await service.authenticate(token, 'req-9', 'api'))!;
    expect(auth.actor).toEqual({
      kind: 'user',
      userId: user.id,
      role: 'app_admin',
      canApprove: true,
      tenantId,
      homeTenantId: tenantId,
      label: `${user.firstName} ${user.lastName}`,
      requestId: 'req-9',
      source: 'api',
    });
    expect(auth.user.id).toBe(user.id);
    expect(auth.session.id).toBe(hashToken(config.sessionSecret, token));
    expect(await service.authenticate('not-a-session-token', 'r', 'web')).toBeNull();
    expect(await service.authenticate(auth.session.id, 'r', 'web')).toBeNull();
  });

  it('ends at its absolute limit, and the row goes', async () => {
    const { token } = await signedIn(await member());
    const end = Date.now() + 5 * MINUTE;
    await setSession(token, { expiresAt: new Date(end), lastSeenAt: new Date(end - MINUTE) });
    setClock(end - 1);
    expect(await service.authenticate(token, 'r', 'web')).not.toBeNull();
    setClock(end);
    expect(await service.authenticate(token, 'r', 'web')).toBeNull();
    vi.useRealTimers();
    expect(await rowOf(token)).toBeUndefined();
  });

  it('ends when idle longer than its idle limit, and the row goes', async () => {
    const { token } = await signedIn(await member());
    const seen = Date.now();
    await setSession(token, { lastSeenAt: new Date(seen) });
    setClock(seen + IDLE_MINUTES * MINUTE);
    expect(await service.authenticate(token, 'r', 'web')).not.toBeNull();
    await setSession(token, { lastSeenAt: new Date(seen) });
    setClock(seen + IDLE_MINUTES * MINUTE + 1);
    expect(await service.authenticate(token, 'r', 'web')).toBeNull();
    vi.useRealTimers();
    expect(await rowOf(token)).toBeUndefined();
  });

  it('counts activity at most once a minute', async () => {
    const { token } = await signedIn(await member());
    const seen = Date.now();
    await setSession(token, { lastSeenAt: new Date(seen) });
    setClock(seen + MINUTE);
    await service.authenticate(token, 'r', 'web');
    expect((await rowOf(token))!.lastSeenAt.getTime()).toBe(seen);
    setClock(seen + MINUTE + 1);
    await service.authenticate(token, 'r', 'web');
    expect((await rowOf(token))!.lastSeenAt.getTime()).toBe(seen + MINUTE + 1);
  });

  it('stops serving a person who was disabled', async () => {
    const user = await member();
    const { token } = await signedIn(user);
    await withSystem(db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)));
    expect(await service.authenticate(token, 'r', 'web')).toBeNull();
  });

  it('lists my live sessions, newest activity first, each ending at the sooner of its limits', async () => {
    const user = await member();
    const a = await signedIn(user);
    const b = await signedIn(user);
    const idle = await signedIn(user);
    const expired = await signedIn(user);
    const now = Date.now();
    await setSession(a.token, { lastSeenAt: new Date(now - 10 * MINUTE), method: 'saml' });
    await setSession(b.token, { lastSeenAt: new Date(now - 2 * MINUTE), expiresAt: new Date(now + 5 * MINUTE) });
    await setSession(idle.token, { lastSeenAt: new Date(now - (IDLE_MINUTES + 1) * MINUTE) });
    await setSession(expired.token, { expiresAt: new Date(now - 1000) });
    setClock(now);
    const items = await service.listOwn(a.auth);
    const rowA = (await rowOf(a.token))!;
    const rowB = (await rowOf(b.token))!;
    expect(items).toEqual([
      {
        id: rowB.handle,
        method: 'password',
        createdAt: rowB.createdAt.toISOString(),
        lastSeenAt: new Date(now - 2 * MINUTE).toISOString(),
        expiresAt: new Date(now + 5 * MINUTE).toISOString(),
        current: false,
      },
      {
        id: rowA.handle,
        method: 'saml',
        createdAt: rowA.createdAt.toISOString(),
        lastSeenAt: new Date(now - 10 * MINUTE).toISOString(),
        expiresAt: new Date(now - 10 * MINUTE + IDLE_MINUTES * MINUTE).toISOString(),
        current: true,
      },
    ]);
  });

  it('lists a session until the instant either limit is reached', async () => {
    const user = await member();
    const ending = await signedIn(user);
    const idling = await signedIn(user);
    const now = Date.now();
    await setSession(ending.token, { expiresAt: new Date(now + 1), lastSeenAt: new Date(now) });
    await setSession(idling.token, { lastSeenAt: new Date(now - IDLE_MINUTES * MINUTE) });
    const handles = async () => (await service.listOwn(ending.auth)).map((i) => i.id).sort();
    const [endingRow, idlingRow] = [(await rowOf(ending.token))!, (await rowOf(idling.token))!];
    setClock(now);
    expect(await handles()).toEqual([endingRow.handle, idlingRow.handle].sort());
    setClock(now + 1);
    expect(await handles()).toEqual([]);
  });

  it('sweeps the expired and idle sessions only', async () => {
    const user = await member();
    const live = await signedIn(user);
    const idle = await signedIn(user);
    const expired = await signedIn(user);
    await setSession(idle.token, { lastSeenAt: new Date(Date.now() - (IDLE_MINUTES + 1) * MINUTE) });
    await setSession(expired.token, { expiresAt: new Date(Date.now() - 1000) });
    expect(await service.sweepExpired()).toBeGreaterThanOrEqual(2);
    expect(await rowOf(idle.token)).toBeUndefined();
    expect(await rowOf(expired.token)).toBeUndefined();
    expect(await rowOf(live.token)).toBeDefined();
  });
});

describe('ending sessions', () => {
  it('signs out: the session ends and it is recorded', async () => {
    const user = await member();
    const { token, auth } = await signedIn(user);
    await service.logout(auth);
    expect(await service.authenticate(token, 'r', 'web')).toBeNull();
    expect((await eventsOf(user.id)).map((e) => [e.action, e.recordType, e.tenantId])).toEqual([
      ['session.create', 'user', tenantId],
      ['session.delete', 'user', tenantId],
    ]);
  });

  it('ends one of my sessions by its handle, or all the others, never someone else’s', async () => {
    const user = await member();
    const mine = await signedIn(user);
    const phone = await signedIn(user);
    const tablet = await signedIn(user);
    const other = await signedIn(await member());
    const handleOf = async (token: string) => (await rowOf(token))!.handle;

    expect(await refusal(service.revokeOwn(mine.auth, await handleOf(other.token)))).toEqual({ code: 'not_found', message: 'Session not found' });
    expect(await refusal(service.revokeOwn(mine.auth, randomUUID()))).toMatchObject({ code: 'not_found' });
    expect(await service.authenticate(other.token, 'r', 'web')).not.toBeNull();

    await service.revokeOwn(mine.auth, await handleOf(phone.token));
    expect(await service.authenticate(phone.token, 'r', 'web')).toBeNull();
    expect(await service.authenticate(tablet.token, 'r', 'web')).not.toBeNull();
    await service.revokeOwn(mine.auth, null);
    expect(await service.authenticate(tablet.token, 'r', 'web')).toBeNull();
    expect(await service.authenticate(mine.token, 'r', 'web')).not.toBeNull();
    expect(await service.authenticate(other.token, 'r', 'web')).not.toBeNull();
    // Signing out everywhere else with nowhere else signed in is no error.
    await service.revokeOwn(mine.auth, null);
    expect(
      (await eventsOf(user.id)).filter((e) => e.action.startsWith('session.revoke')).map((e) => [e.action, e.recordType, e.tenantId]),
    ).toEqual([
      ['session.revoke', 'user', tenantId],
      ['session.revoke_others', 'user', tenantId],
      ['session.revoke_others', 'user', tenantId],
    ]);
  });

  it('needs a recent sign-in to end sessions', async () => {
    const user = await member();
    const mine = await signedIn(user);
    const phone = await signedIn(user);
    const signedAt = Date.now();
    await setSession(mine.token, { authenticatedAt: new Date(signedAt) });
    const auth = (await service.authenticate(mine.token, 'r', 'web'))!;
    setClock(signedAt + REAUTH_MINUTES * MINUTE + 1);
    expect(await refusal(service.revokeOwn(auth, null))).toEqual({
      code: 'reauthentication_required',
      message: 'For your security, confirm it is you before this change.',
    });
    vi.useRealTimers();
    expect(await service.authenticate(phone.token, 'r', 'web')).not.toBeNull();
  });
});

describe('re-authentication', () => {
  it('is recent for REAUTH_MINUTES after a sign-in, and again after confirming', async () => {
    const user = await member();
    const { token } = await signedIn(user);
    const signedAt = Date.now();
    await setSession(token, { authenticatedAt: new Date(signedAt) });
    const auth = (await service.authenticate(token, 'r', 'web'))!;
    setClock(signedAt + REAUTH_MINUTES * MINUTE);
    expect(() => service.requireRecentAuth(auth)).not.toThrow();
    setClock(signedAt + REAUTH_MINUTES * MINUTE + 1);
    expect(() => service.requireRecentAuth(auth)).toThrow(expect.objectContaining({ code: 'reauthentication_required' }) as Error);
    // A password typed with the change counts when it is the only factor…
    expect(() => service.requireRecentAuth(auth, { passwordJustVerified: true })).not.toThrow();
    // …not when two-step verification is on.
    const enrolled = { ...auth, user: { ...auth.user, mfaEnabledAt: new Date() } };
    expect(() => service.requireRecentAuth(enrolled, { passwordJustVerified: true })).toThrow(expect.objectContaining({ code: 'reauthentication_required' }) as Error);
    vi.useRealTimers();

    await withSystem(db, (tx) => service.markReauthenticated(tx, auth));
    const again = (await service.authenticate(token, 'r', 'web'))!;
    expect(again.session.authenticatedAt.getTime()).toBeGreaterThan(signedAt);
    expect(() => service.requireRecentAuth(again)).not.toThrow();
    expect((await eventsOf(user.id)).map((e) => [e.action, e.recordType, e.tenantId]).at(-1)).toEqual(['session.reauthenticate', 'user', tenantId]);
  });
});

describe('a platform admin between institutions', () => {
  async function adminSession() {
    const admin = await buildUser(db, { tenantId: null, role: 'platform_admin' });
    const { token } = await withSystem(db, (tx) => service.startSession(tx, admin));
    return { admin, token, auth: (await service.authenticate(token, 'r', 'web'))! };
  }

  it('acts in an institution with the access it gives, recorded there; and leaves it', async () => {
    const { admin, token, auth } = await adminSession();
    expect(auth.actor).toMatchObject({ tenantId: null, role: 'platform_admin' });
    expect(auth.session).toMatchObject({ method: 'password', tenantId: null });
    expect(auth.actor.operatorAccess).toBeUndefined();
    // An institution without a site admin account yet: onboarding.
    const fresh = (await buildInstitution(db)).institution.id;
    const body = await service.switchInstitution(auth, fresh);
    expect(body).toMatchObject({ institution: { id: fresh }, operatorAccess: 'onboarding' });
    expect((await rowOf(token))!.tenantId).toBe(fresh);
    expect((await service.authenticate(token, 'r', 'web'))!.actor).toMatchObject({ tenantId: fresh, operatorAccess: 'onboarding' });
    const [entered] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, fresh), eq(auditEvents.action, 'institution.enter'))),
    );
    expect(entered).toMatchObject({ actorUserId: admin.id, recordType: 'institution', recordId: fresh, changes: { operatorAccess: { before: null, after: 'onboarding' } } });

    // An institution with its own site admin: no access, unless it grants support.
    const own = (await buildInstitution(db)).institution.id;
    const siteAdmin = await buildUser(db, { tenantId: own, role: 'site_admin' });
    expect(await service.switchInstitution(auth, own)).toMatchObject({ operatorAccess: null });
    const [enteredOwn] = await withSystem(db, (tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.tenantId, own), eq(auditEvents.action, 'institution.enter'))),
    );
    expect(enteredOwn!.changes).toEqual({ operatorAccess: { before: null, after: 'none' } });
    await withSystem(db, (tx) =>
      tx.insert(supportGrants).values({ tenantId: own, id: randomUUID(), reason: 'help', hours: 2, expiresAt: new Date(Date.now() + 2 * 3600_000), grantedBy: siteAdmin.id }),
    );
    expect((await service.authenticate(token, 'r', 'web'))!.actor.operatorAccess).toBe('support');

    const left = await service.switchInstitution(auth, null);
    expect(left).toMatchObject({ institution: null, operatorAccess: null });
    expect((await rowOf(token))!.tenantId).toBeNull();
  });

  it('cannot enter an unknown or purged institution; nobody else switches', async () => {
    const { auth } = await adminSession();
    expect(await refusal(service.switchInstitution(auth, randomUUID()))).toEqual({ code: 'not_found', message: 'Institution not found' });
    const purged = (await buildInstitution(db)).institution.id;
    await withSystem(db, (tx) => tx.update(institutions).set({ status: 'purged' }).where(eq(institutions.id, purged)));
    expect(await refusal(service.switchInstitution(auth, purged))).toMatchObject({ code: 'not_found' });
    const { auth: person } = await signedIn(await member());
    expect(await refusal(service.switchInstitution(person, null))).toEqual({ code: 'forbidden', message: 'Only platform administrators switch institutions' });
  });

  it('leaves a record of each request made under a support grant, and of no other', async () => {
    const { admin, auth } = await adminSession();
    const own = (await buildInstitution(db)).institution.id;
    await buildUser(db, { tenantId: own, role: 'site_admin' });
    const inside = { actor: { ...auth.actor, tenantId: own, operatorAccess: 'support' as const } };
    await service.recordSupportUse(inside, 'GET', '/api/v1/inventory');
    await service.recordSupportUse({ actor: { ...inside.actor, operatorAccess: null } }, 'GET', '/api/v1/users');
    await service.recordSupportUse({ actor: { ...inside.actor, tenantId: null } }, 'GET', '/api/v1/catalog');
    const uses = await withSystem(db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.action, 'support_access.use')));
    expect(uses.map((u) => [u.tenantId, u.actorUserId, u.recordType, u.recordId, u.changes])).toEqual([
      [own, admin.id, 'institution', own, { method: { before: null, after: 'GET' }, path: { before: null, after: '/api/v1/inventory' } }],
    ]);
  });

  it('describes the session in its institution', async () => {
    const { auth } = await signedIn(await member());
    expect(await service.describe(auth)).toMatchObject({ institution: { id: tenantId, readOnly: null }, csrfToken: auth.session.csrfToken });
  });
});
