/**
 * Recovery codes stored as salted argon2id hashes, re-authentication before sensitive changes, and
 * an administrator's reset of someone's lost second factor.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, sessions, users } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { hashToken } from '../../platform/tokens.js';
import { buildInstitution, buildUser, PASSWORD, signIn, totpCode, type Client, type UserRow } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;

beforeAll(async () => {
  t = await createTestApp();
  tenantId = (await buildInstitution(t.database.db)).institution.id;
});
afterAll(async () => t?.close());

const login = (email: string, password = PASSWORD) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
const challengeOf = (res: { cookies: { name: string; value: string }[] }) => ({ vetted_mfa: res.cookies.find((c) => c.name === 'vetted_mfa')!.value });
const secondStep = (cookies: Record<string, string>, code: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/session/mfa', cookies, payload: { code } });
const stillSignedIn = async (c: Client) => (await c.request('GET', '/api/v1/session')).statusCode === 200;
const userRow = (id: string) => withSystem(t.database.db, async (tx) => (await tx.select().from(users).where(eq(users.id, id)))[0]!);

/** Makes every session of `user` look signed in `minutes` ago. */
async function ageSessions(user: UserRow, minutes: number) {
  await withSystem(t.database.db, (tx) =>
    tx
      .update(sessions)
      .set({ authenticatedAt: new Date(Date.now() - minutes * 60_000) })
      .where(eq(sessions.userId, user.id)),
  );
}

/** A signed-in user with two-step verification on; returns the client, its secret and recovery codes. */
async function enrolled(role: 'site_admin' | 'app_admin' | 'platform_admin' = 'app_admin', tenant: string | null = tenantId) {
  const user = await buildUser(t.database.db, { tenantId: tenant, role });
  const client = await signIn(t.app, user);
  let secret = client.mfaSecret;
  let codes: string[] = [];
  if (!secret) {
    secret = (await client.request('POST', '/api/v1/account/mfa/enrolment')).json().secret as string;
    codes = (await client.request('POST', '/api/v1/account/mfa/enrolment/confirm', { code: totpCode(secret) })).json().recoveryCodes;
  }
  return { user, client, secret, codes };
}

describe('recovery codes', () => {
  it('are stored as argon2id hashes, each with its own salt', async () => {
    const { user, codes } = await enrolled();
    expect(codes).toHaveLength(10);
    const row = await userRow(user.id);
    expect(row.mfaRecoveryCodes).toHaveLength(10);
    for (const h of row.mfaRecoveryCodes) expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$/);
    const salts = row.mfaRecoveryCodes.map((h) => h.split('$')[4]);
    expect(new Set(salts).size).toBe(10);
    expect(row.mfaRecoveryCodes.join()).not.toContain(codes[0]!.replace('-', ''));
  });

  it('work once each, even when two sign-ins race with the same code', async () => {
    const { user, codes } = await enrolled();
    const [one, two] = await Promise.all([login(user.email), login(user.email)]);
    const results = await Promise.all([secondStep(challengeOf(one), codes[3]!), secondStep(challengeOf(two), codes[3]!)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect((await userRow(user.id)).mfaRecoveryCodes).toHaveLength(9);
    // Another code still works; the spent one does not.
    const third = await login(user.email);
    expect((await secondStep(challengeOf(third), codes[3]!)).statusCode).toBe(400);
    expect((await secondStep(challengeOf(third), codes[4]!)).statusCode).toBe(200);
  });

  it('no longer accept the keyed hashes stored before (cleared by the migration, never matched)', async () => {
    const { user, codes } = await enrolled();
    const oldStyle = hashToken(t.config.sessionSecret, `recovery:${codes[0]!.replace('-', '')}`);
    await withSystem(t.database.db, (tx) => tx.update(users).set({ mfaRecoveryCodes: [oldStyle] }).where(eq(users.id, user.id)));
    const res = await login(user.email);
    expect((await secondStep(challengeOf(res), codes[0]!)).statusCode).toBe(400);
  });
});

describe('re-authentication before sensitive changes', () => {
  it('asks for it once the sign-in is older than REAUTH_MINUTES, with a code the web recognizes', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    await signIn(t.app, user);
    await ageSessions(user, t.config.reauthMinutes + 1);
    for (const [method, url] of [
      ['POST', '/api/v1/account/mfa/enrolment'],
      ['DELETE', '/api/v1/account/sessions'],
    ] as const) {
      const res = await client.request(method, url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error.code).toBe('reauthentication_required');
    }
    const list = (await client.request('GET', '/api/v1/account/sessions')).json().items as { id: string; current: boolean }[];
    const other = list.find((s) => !s.current)!;
    expect((await client.request('DELETE', `/api/v1/account/sessions/${other.id}`)).json().error.code).toBe('reauthentication_required');
    // Wrong password: refused, and counted towards the lockout like a sign-in.
    const wrong = await client.request('POST', '/api/v1/session/reauthenticate', { password: 'not my password at all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.password).toBe('is not correct');
    expect(wrong.json().error.fieldCodes.password).toBe('not_correct');
    expect((await userRow(user.id)).failedLogins).toBe(1);
    expect((await client.request('POST', '/api/v1/session/reauthenticate', { password: PASSWORD })).statusCode).toBe(204);
    expect((await userRow(user.id)).failedLogins).toBe(0);
    expect((await client.request('DELETE', `/api/v1/account/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await client.request('POST', '/api/v1/account/mfa/enrolment')).statusCode).toBe(200);
  });

  it('takes the current password typed with a password or email change when it is the only factor', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    await ageSessions(user, t.config.reauthMinutes + 1);
    const res = await client.request('POST', '/api/v1/account/email', { newEmail: `new-${user.email}`, password: PASSWORD });
    expect(res.statusCode).toBe(202);
  });

  it('needs the password and a code when two-step verification is on', async () => {
    const { user, client, secret } = await enrolled();
    await ageSessions(user, t.config.reauthMinutes + 1);
    const change = await client.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'quartz heron tundra maple 8' });
    expect(change.json().error.code).toBe('reauthentication_required');
    expect((await client.request('POST', '/api/v1/account/mfa/recovery-codes')).json().error.code).toBe('reauthentication_required');
    expect((await client.request('DELETE', '/api/v1/account/mfa')).json().error.code).toBe('reauthentication_required');
    const noCode = await client.request('POST', '/api/v1/session/reauthenticate', { password: PASSWORD });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().error.fields.code).toMatch(/code/);
    const badCode = await client.request('POST', '/api/v1/session/reauthenticate', { password: PASSWORD, code: '000000' });
    expect(badCode.statusCode).toBe(400);
    const ok = await client.request('POST', '/api/v1/session/reauthenticate', {
      password: PASSWORD,
      code: totpCode(secret, Date.now() + 30_000),
    });
    expect(ok.statusCode).toBe(204);
    const codes = await client.request('POST', '/api/v1/account/mfa/recovery-codes');
    expect(codes.statusCode).toBe(200);
    expect(codes.json().recoveryCodes).toHaveLength(10);
    expect((await client.request('DELETE', '/api/v1/account/mfa')).statusCode).toBe(204);
    expect((await userRow(user.id)).mfaEnabledAt).toBeNull();
    const audit = await withSystem(t.database.db, (tx) =>
      tx.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.recordId, user.id)),
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['session.reauthenticate', 'user.mfa_recovery_codes', 'user.mfa_disable']));
  });

  it('is not possible with a password for someone who signs in by single sign-on only', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    await withSystem(t.database.db, (tx) => tx.update(users).set({ passwordHash: null }).where(eq(users.id, user.id)));
    expect((await client.request('POST', '/api/v1/session/reauthenticate', { password: PASSWORD })).statusCode).toBe(409);
    expect((await client.request('POST', '/api/v1/account/mfa/enrolment')).statusCode).toBe(409);
  });
});

describe('an administrator resets a lost second factor', () => {
  it('turns it off, ends every session, tells the person by email and records it; required means enrol again', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'site_admin' }));
    const { user, client } = await enrolled('app_admin', institution.id);
    expect((await admin.request('GET', '/api/v1/users')).json().items.find((u: { id: string }) => u.id === user.id).mfaEnabled).toBe(true);
    const count = t.smtp.messages.length;
    const res = await admin.request('DELETE', `/api/v1/users/${user.id}/mfa`);
    expect(res.statusCode).toBe(204);
    expect(await stillSignedIn(client)).toBe(false);
    const row = await userRow(user.id);
    expect(row).toMatchObject({ mfaEnabledAt: null, mfaSecret: null, mfaRecoveryCodes: [] });
    const mail = await t.smtp.waitFor(user.email);
    expect(t.smtp.messages.length).toBeGreaterThan(count);
    expect(mail.subject).toMatch(/two-step verification was reset/);
    expect(mail.text).toMatch(/signed you out everywhere[\s\S]*déconnecté·e partout/);
    const [event] = await withSystem(t.database.db, (tx) =>
      tx.select().from(auditEvents).where(sql`${auditEvents.action} = 'user.mfa_reset' and ${auditEvents.recordId} = ${user.id}`),
    );
    expect(event).toBeDefined();
    expect((await admin.request('DELETE', `/api/v1/users/${user.id}/mfa`)).statusCode).toBe(409);
    // Not required here: the next sign-in needs the password only. Once required: set it up again.
    expect((await login(user.email)).json()).toHaveProperty('csrfToken');
    expect((await admin.request('PUT', '/api/v1/sso/policy', { requireSso: false, breakGlassUserId: null, requireMfa: true })).statusCode).toBe(200);
    expect((await login(user.email)).json()).toEqual({ mfa: 'enrol' });
  });

  it('is refused for oneself, for non-admins, for another institution, and with a stale sign-in', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const adminUser = await buildUser(t.database.db, { tenantId: institution.id, role: 'site_admin' });
    const admin = await signIn(t.app, adminUser);
    const { user: member, client: memberClient } = await enrolled('app_admin', institution.id);
    const { user: stranger } = await enrolled('app_admin', tenantId);
    expect((await admin.request('DELETE', `/api/v1/users/${adminUser.id}/mfa`)).statusCode).toBe(403);
    expect((await memberClient.request('DELETE', `/api/v1/users/${adminUser.id}/mfa`)).statusCode).toBe(403);
    expect((await admin.request('DELETE', `/api/v1/users/${stranger.id}/mfa`)).statusCode).toBe(404);
    await ageSessions(adminUser, t.config.reauthMinutes + 1);
    expect((await admin.request('DELETE', `/api/v1/users/${member.id}/mfa`)).json().error.code).toBe('reauthentication_required');
    expect((await userRow(member.id)).mfaEnabledAt).not.toBeNull();
    expect((await userRow(stranger.id)).mfaEnabledAt).not.toBeNull();
  });

  it('lets a platform admin reset another platform admin only, never themselves or an institution’s people', async () => {
    const { user: first, client: firstClient } = await enrolled('platform_admin', null);
    const { user: second, client: secondClient } = await enrolled('platform_admin', null);
    const { user: member } = await enrolled('app_admin', tenantId);
    expect((await firstClient.request('DELETE', `/api/v1/users/${first.id}/mfa`)).statusCode).toBe(403);
    expect((await firstClient.request('PUT', '/api/v1/session/institution', { institutionId: tenantId })).statusCode).toBe(200);
    expect((await firstClient.request('DELETE', `/api/v1/users/${member.id}/mfa`)).statusCode).toBe(404);
    expect((await firstClient.request('DELETE', `/api/v1/users/${second.id}/mfa`)).statusCode).toBe(204);
    expect(await stillSignedIn(secondClient)).toBe(false);
    // Platform admins always need it: the next sign-in sets it up again.
    expect((await login(second.email)).json()).toEqual({ mfa: 'enrol' });
    expect((await userRow(member.id)).mfaEnabledAt).not.toBeNull();
  });
});
