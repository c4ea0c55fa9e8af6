import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTokens, sessions, users } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildInstitution, buildUser, PASSWORD, signIn, totpCode, type Client } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { passwordProblem } from './password-policy.js';

let t: TestApp;
let tenantId: string;
const NEW_PASSWORD = 'violet kayak orbit lantern 42';

beforeAll(async () => {
  t = await createTestApp();
  tenantId = (await buildInstitution(t.database.db)).institution.id;
});
afterAll(async () => t?.close());

const login = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
const asCookie = (c: Client) => ({ [c.cookie.name]: c.cookie.value });
const stillSignedIn = async (c: Client) => (await c.request('GET', '/api/v1/session')).statusCode === 200;

/** The mails to `to` received after `count` mails in total, waiting for one to arrive. */
async function mailAfter(to: string, count: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const found = t.smtp.messages.slice(count).find((m) => JSON.stringify(m.to).toLowerCase().includes(to.toLowerCase()));
    if (found) return found.text ?? '';
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no mail to ${to}`);
}
const linkToken = (text: string) => /token=([A-Za-z0-9_%-]+)/.exec(text)![1]!;

describe('two-step verification', () => {
  it('enrols, then asks for a code at sign-in; a code works once; recovery codes work once each', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'site_admin' });
    const client = await signIn(t.app, user);
    const start = await client.request('POST', '/api/v1/account/mfa/enrolment');
    expect(start.statusCode).toBe(200);
    const { secret, uri } = start.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\/Vetted:/);
    expect((await client.request('POST', '/api/v1/account/mfa/enrolment/confirm', { code: '000000' })).statusCode).toBe(400);
    // Kept, to replay this very code below (a fresh one could fall in the next 30-second step).
    const enrolCode = totpCode(secret);
    const confirm = await client.request('POST', '/api/v1/account/mfa/enrolment/confirm', { code: enrolCode });
    expect(confirm.statusCode).toBe(200);
    const recovery: string[] = confirm.json().recoveryCodes;
    expect(recovery).toHaveLength(10);
    // Only hashes are kept, and the secret is sealed.
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(users).where(eq(users.id, user.id)));
    expect(row!.mfaSecret).toMatch(/^v2\./);
    expect(row!.mfaSecret).not.toContain(secret);
    expect(row!.mfaRecoveryCodes.join()).not.toContain(recovery[0]!.replace('-', ''));

    const first = await login(user.email, PASSWORD);
    expect(first.json()).toEqual({ mfa: 'verify' });
    expect(first.cookies.find((c) => c.name === 'vetted_session')).toBeUndefined();
    const challenge = { vetted_mfa: first.cookies.find((c) => c.name === 'vetted_mfa')!.value };
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/session/mfa', cookies: challenge, payload: { code: '123456' } });
    expect(wrong.statusCode).toBe(400);
    // The code used to confirm enrolment is spent: a replay is refused even though it is current.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/mfa',
      cookies: challenge,
      payload: { code: enrolCode },
    });
    expect(replay.statusCode).toBe(400);
    const byRecovery = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/mfa',
      cookies: challenge,
      payload: { code: recovery[0]!.toUpperCase() },
    });
    expect(byRecovery.statusCode).toBe(200);
    expect(byRecovery.json().user.id).toBe(user.id);
    // The challenge is spent with the sign-in; a recovery code is spent with its use.
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/session/mfa', cookies: challenge, payload: { code: recovery[1]! } })).statusCode,
    ).toBe(401);
    const second = await login(user.email, PASSWORD);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/mfa',
      cookies: { vetted_mfa: second.cookies.find((c) => c.name === 'vetted_mfa')!.value },
      payload: { code: recovery[0]! },
    });
    expect(again.statusCode).toBe(400);
  });

  it('locks a sign-in challenge after five wrong codes', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'platform_admin' });
    const enrolled = await signIn(t.app, user);
    const res = await login(user.email, PASSWORD);
    const challenge = { vetted_mfa: res.cookies.find((c) => c.name === 'vetted_mfa')!.value };
    for (let i = 0; i < 5; i++)
      expect(
        (await t.app.inject({ method: 'POST', url: '/api/v1/session/mfa', cookies: challenge, payload: { code: '111111' } })).statusCode,
      ).toBe(400);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/mfa',
      cookies: challenge,
      payload: { code: totpCode(enrolled.mfaSecret!, Date.now() + 30_000) },
    });
    expect(late.statusCode).toBe(401);
  });

  it('makes platform admins set it up before their first session, and never lets them turn it off', async () => {
    const admin = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const res = await login(admin.email, PASSWORD);
    expect(res.json()).toEqual({ mfa: 'enrol' });
    expect(res.cookies.find((c) => c.name === 'vetted_session')).toBeUndefined();
    const client = await signIn(t.app, admin);
    expect((await client.request('GET', '/api/v1/account/security')).json()).toMatchObject({
      mfaEnabled: true,
      mfaRequired: true,
      recoveryCodesLeft: 10,
    });
    const off = await client.request('DELETE', '/api/v1/account/mfa');
    expect(off.statusCode).toBe(409);
  });

  it('is required of an institution’s local accounts when its site admin says so', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'site_admin' }));
    expect(
      (await admin.request('PUT', '/api/v1/sso/policy', { requireSso: false, breakGlassUserId: null, requireMfa: true })).statusCode,
    ).toBe(200);
    const member = await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' });
    expect((await login(member.email, PASSWORD)).json()).toEqual({ mfa: 'enrol' });
  });
});

describe('password reset', () => {
  it('sends a single-use link; the new password works, the old one and every session do not', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    const count = t.smtp.messages.length;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: user.email.toUpperCase() } });
    expect(res.statusCode).toBe(202);
    const token = decodeURIComponent(linkToken(await mailAfter(user.email, count)));
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets/complete',
      payload: { token, password: 'Password1234!' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields.password).toMatch(/common/);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets/complete',
      payload: { token, password: NEW_PASSWORD },
    });
    expect(done.statusCode).toBe(204);
    expect(await stillSignedIn(client)).toBe(false);
    expect((await login(user.email, PASSWORD)).statusCode).toBe(401);
    expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200);
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets/complete',
      payload: { token, password: 'another long passphrase 77' },
    });
    expect(reuse.statusCode).toBe(404);
  });

  it('refuses an expired link', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const count = t.smtp.messages.length;
    await t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: user.email } });
    const token = decodeURIComponent(linkToken(await mailAfter(user.email, count)));
    await withSystem(t.database.db, (tx) =>
      tx
        .update(authTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(authTokens.userId, user.id)),
    );
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/password-resets/complete', payload: { token, password: NEW_PASSWORD } });
    expect(res.statusCode).toBe(404);
  });

  it('answers the same for an unknown email and sends nothing', async () => {
    const knownUser = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const before = t.smtp.messages.length;
    const known = await t.app.inject({ method: 'POST', url: '/api/v1/password-resets', payload: { email: knownUser.email } });
    await mailAfter(knownUser.email, before);
    const count = t.smtp.messages.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/password-resets',
      payload: { email: `nobody-${randomUUID()}@example.org` },
    });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe(known.body);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.smtp.messages.length).toBe(count);
  });
});

describe('lockout', () => {
  it('locks an account after repeated failures without telling it apart from an unknown email', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    for (let i = 0; i < t.config.lockout.threshold; i++)
      expect((await login(user.email, 'wrong password, long enough')).statusCode).toBe(401);
    const locked = await login(user.email, PASSWORD);
    const unknown = await login(`nobody-${randomUUID()}@example.org`, PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: { error: { code: string; message: string } }) => ({ code: b.error.code, message: b.error.message });
    expect(strip(locked.json())).toEqual(strip(unknown.json()));
    // The lock ends by itself (here: moved into the past), and a success clears the count.
    await withSystem(t.database.db, (tx) =>
      tx
        .update(users)
        .set({ lockedUntil: new Date(Date.now() - 1000) })
        .where(eq(users.id, user.id)),
    );
    expect((await login(user.email, PASSWORD)).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('lists my sessions and ends one or all the others', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const laptop = await signIn(t.app, user);
    const phone = await signIn(t.app, user);
    const tablet = await signIn(t.app, user);
    const list = (await laptop.request('GET', '/api/v1/account/sessions')).json().items as {
      id: string;
      current: boolean;
      method: string;
    }[];
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain(laptop.cookie.value);
    const phoneId = (await phone.request('GET', '/api/v1/account/sessions')).json().items.find((s: { current: boolean }) => s.current).id;
    expect((await laptop.request('DELETE', `/api/v1/account/sessions/${phoneId}`)).statusCode).toBe(204);
    expect(await stillSignedIn(phone)).toBe(false);
    expect(await stillSignedIn(tablet)).toBe(true);
    expect((await laptop.request('DELETE', '/api/v1/account/sessions')).statusCode).toBe(204);
    expect(await stillSignedIn(tablet)).toBe(false);
    expect(await stillSignedIn(laptop)).toBe(true);
  });

  it('lets a site admin end every session of a user of the institution', async () => {
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId, role: 'site_admin' }));
    const member = await signIn(t.app, await buildUser(t.database.db, { tenantId, role: 'app_admin' }));
    const res = await admin.request('DELETE', `/api/v1/users/${member.user.id}/sessions`);
    expect(res.json()).toEqual({ revoked: 1 });
    expect(await stillSignedIn(member)).toBe(false);
    expect((await member.request('GET', '/api/v1/account/sessions')).statusCode).toBe(401);
  });

  it('ends every session when the password changes or a role is removed', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin', canApprove: true });
    const one = await signIn(t.app, user);
    const two = await signIn(t.app, user);
    const change = await one.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(change.statusCode).toBe(200);
    expect(await stillSignedIn(one)).toBe(false);
    expect(await stillSignedIn(two)).toBe(false);
    const fresh = change.cookies.find((c) => c.name === 'vetted_session')!;
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/session', cookies: { vetted_session: fresh.value } })).statusCode).toBe(200);

    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId, role: 'site_admin' }));
    const three = await signIn(t.app, user, NEW_PASSWORD);
    expect((await admin.request('PATCH', `/api/v1/users/${user.id}`, { canApprove: false })).statusCode).toBe(200);
    expect(await stillSignedIn(three)).toBe(false);
  });

  it('ends a session left idle, and one past its absolute limit', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const idle = await signIn(t.app, user);
    const old = await signIn(t.app, user);
    await withSystem(t.database.db, async (tx) => {
      const rows = await tx.select().from(sessions).where(eq(sessions.userId, user.id));
      const [a, b] = rows;
      await tx
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - (t.config.sessionIdleMinutes + 1) * 60_000) })
        .where(eq(sessions.id, a!.id));
      await tx
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.id, b!.id));
    });
    expect(await stillSignedIn(idle)).toBe(false);
    expect(await stillSignedIn(old)).toBe(false);
    void asCookie;
  });
});

describe('email change', () => {
  it('changes the email only from the link sent to the new address', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    const newEmail = `moved-${randomUUID()}@example.org`;
    const count = t.smtp.messages.length;
    expect((await client.request('POST', '/api/v1/account/email', { newEmail, password: 'not my password at all' })).statusCode).toBe(400);
    expect((await client.request('POST', '/api/v1/account/email', { newEmail, password: PASSWORD })).statusCode).toBe(202);
    expect((await client.request('GET', '/api/v1/session')).json().user.email).toBe(user.email);
    const token = decodeURIComponent(linkToken(await mailAfter(newEmail, count)));
    await mailAfter(user.email, count);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/email-changes/confirm', payload: { token } })).statusCode).toBe(204);
    expect((await client.request('GET', '/api/v1/session')).json().user.email).toBe(newEmail);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/email-changes/confirm', payload: { token } })).statusCode).toBe(404);
  });
  it('never changes the email from PATCH /api/v1/me: only the link sent to the new address does, and the old address is told', async () => {
    const user = await buildUser(t.database.db, { tenantId, role: 'app_admin' });
    const client = await signIn(t.app, user);
    const newEmail = `patched-${randomUUID()}@example.org`;
    const count = t.smtp.messages.length;
    const refused = await client.request('PATCH', '/api/v1/me', { firstName: 'Renamed', email: newEmail });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error.fields).toEqual({ email: expect.stringMatching(/account page/) });
    expect(refused.json().error.fieldCodes).toEqual({ email: 'email_by_link' });
    // Nothing was written: neither the email nor the name sent with it.
    const row = await withSystem(t.database.db, async (tx) => (await tx.select().from(users).where(eq(users.id, user.id)))[0]!);
    expect({ email: row.email, firstName: row.firstName }).toEqual({ email: user.email, firstName: user.firstName });
    // The current email, in any case, is no change.
    const same = await client.request('PATCH', '/api/v1/me', { firstName: 'Renamed', email: user.email.toUpperCase() });
    expect(same.statusCode, same.body).toBe(200);
    expect(same.json()).toMatchObject({ firstName: 'Renamed', email: user.email });

    // The change by link: the new address proves itself, the old one is told.
    expect((await client.request('POST', '/api/v1/account/email', { newEmail, password: PASSWORD })).statusCode).toBe(202);
    const token = decodeURIComponent(linkToken(await mailAfter(newEmail, count)));
    expect(await mailAfter(user.email, count)).toMatch(/change of the email/);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/email-changes/confirm', payload: { token } })).statusCode).toBe(204);
    expect((await client.request('GET', '/api/v1/me/data')).json().profile.email).toBe(newEmail);
    // The only mail the new address got is the link: the refused PATCH sent none, and changed nothing.
    expect(t.smtp.messages.slice(count).filter((m) => JSON.stringify(m.to).includes(newEmail))).toHaveLength(1);
  });
});

describe('password policy', () => {
  it('refuses short, common and personal passwords and accepts long phrases', () => {
    expect(passwordProblem('short one')).toMatch(/12/);
    for (const p of ['password1234', 'Password123!', 'P@ssw0rd2024!', 'qwertyuiop12', '123456789012', 'iloveyou1234', 'aaaaaaaaaaaaaa'])
      expect(passwordProblem(p), p).not.toBeNull();
    expect(passwordProblem('jordanbelfort99', { email: 'jordanbelfort@example.org' })).toMatch(/your name, your email/);
    expect(passwordProblem('violet kayak orbit lantern')).toBeNull();
  });

  it('applies to invitations too', async () => {
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId, role: 'site_admin' }));
    const email = `invitee-${randomUUID()}@example.org`;
    const count = t.smtp.messages.length;
    await admin.request('POST', '/api/v1/invitations', { email, firstName: 'In', lastName: 'Vitee', role: 'app_admin' });
    const token = decodeURIComponent(linkToken(await mailAfter(email, count)));
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: 'password123456' } });
    expect(res.statusCode).toBe(400);
  });
});
