/**
 * Attempt limits of the routes that name an account, counted per account (strict) and per address
 * (generous) separately: many addresses cannot hammer one account, and a school's shared address
 * does not lock everyone behind it out after a handful of tries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildUser, signIn } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

const PER_ACCOUNT = 3;
const PER_ADDRESS = 8;
let t: TestApp;
const logs: string[] = [];
let n = 0;
/** A fresh address for each call (no two tests share one). */
const address = () => `203.0.113.${++n}`;

beforeAll(async () => {
  t = await createTestApp(
    { LOGIN_RATE_LIMIT: String(PER_ACCOUNT), LOGIN_ADDRESS_RATE_LIMIT: String(PER_ADDRESS) },
    { logLevel: 'warn', logStream: { write: (line) => void logs.push(line) } },
  );
});
afterAll(async () => t?.close());

const signInFrom = (remoteAddress: string, email: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress, payload: { email, password: 'not the password at all' } });

describe('sign-in attempt limits', () => {
  it('limits one account tried from many addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT + 2; i++) statuses.push((await signInFrom(address(), 'many.addresses@example.org')).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    // Another account from a fresh address is not affected.
    expect((await signInFrom(address(), 'someone.else@example.org')).statusCode).toBe(401);
  });

  it('counts an account once whatever its case and surrounding spaces', async () => {
    const spellings = ['Case.Spaces@Example.org', '  case.spaces@example.org ', 'CASE.SPACES@EXAMPLE.ORG', 'case.spaces@example.org'];
    const statuses = [];
    for (const email of spellings) statuses.push((await signInFrom(address(), email)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('lets a shared address try many accounts, up to its own generous limit', async () => {
    const shared = address();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) statuses.push((await signInFrom(shared, `shared-${i}@example.org`)).statusCode);
    expect(statuses.slice(0, PER_ADDRESS)).toEqual(Array(PER_ADDRESS).fill(401));
    expect(statuses[PER_ADDRESS]).toBe(429);
    // A real person behind another address signs in as usual.
    const { institution } = await buildInstitution(t.database.db);
    const user = await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' });
    await expect(signIn(t.app, user)).resolves.toBeTruthy();
  });

  it('keeps no email in its keys or logs', async () => {
    const secret = 'logged.never@example.org';
    for (let i = 0; i < PER_ACCOUNT + 1; i++) await signInFrom(address(), secret);
    const text = logs.join('\n');
    expect(text).toContain('attempt limit of an account reached');
    expect(text.toLowerCase()).not.toContain(secret);
  });
});

describe('other routes that name an account', () => {
  it('limits password reset requests per account across addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/password-resets',
            remoteAddress: address(),
            payload: { email: 'Reset.Target@example.org' },
          })
        ).statusCode,
      );
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('limits an invitation link per token across addresses (its preview and its acceptance)', async () => {
    const token = 'an-invitation-token-nobody-was-sent-0123';
    const preview: number[] = [];
    const accept: number[] = [];
    for (let i = 0; i < PER_ACCOUNT + 1; i++) {
      preview.push((await t.app.inject({ method: 'GET', url: `/api/v1/invitations/preview?token=${token}`, remoteAddress: address() })).statusCode);
      accept.push(
        (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/invitations/accept',
            remoteAddress: address(),
            payload: { token, password: 'a long enough password' },
          })
        ).statusCode,
      );
    }
    expect(preview).toEqual([404, 404, 404, 429]);
    expect(accept.slice(-1)).toEqual([429]);
    expect(accept.slice(0, PER_ACCOUNT)).not.toContain(429);
    // Another token is counted apart.
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/invitations/preview?token=another-token-nobody-was-sent-4567', remoteAddress: address() });
    expect(other.statusCode).toBe(404);
  });

  it('limits re-authentication per signed-in account across addresses', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const client = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' }));
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT + 1; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session/reauthenticate',
        remoteAddress: address(),
        cookies: { [client.cookie.name]: client.cookie.value },
        headers: { 'x-csrf-token': client.csrf },
        payload: { password: 'wrong password, wrong' },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(-1)).toEqual([429]);
    expect(statuses.slice(0, PER_ACCOUNT)).not.toContain(429);
  });
});
