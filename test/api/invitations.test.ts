/** Invitations by email link through a real SMTP server: create, accept once, sign in; expiry and revocation. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations } from '../../src/server/db/schema/index.js';
import { withSystem } from '../../src/server/platform/db.js';
import { buildTenantWithUsers, buildUser, signIn } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const tokenOf = (text: string) => /\/invite\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe('invitations', () => {
  it('emails a single-use link that creates the account and signs in', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const email = `ines.tremblay.${Date.now()}@example.org`;
    const res = await tenant.siteAdmin.request('POST', '/api/v1/invitations', {
      email,
      firstName: 'Inès',
      lastName: 'Tremblay',
      role: 'app_admin',
      canApprove: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    const mail = await t.smtp.waitFor(email);
    expect(mail.subject).toContain(tenant.institution.name);
    expect(mail.text).toContain('Bonjour Inès');
    const token = tokenOf(mail.text ?? '');
    expect(token).toBeTruthy();
    // The token itself is not stored, only its keyed hash.
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(invitations).where(eq(invitations.id, res.json().id)));
    expect(row!.tokenHash).not.toContain(token!);

    const preview = await t.app.inject({ method: 'GET', url: `/api/v1/invitations/preview?token=${token}` });
    expect(preview.json()).toEqual({ email, firstName: 'Inès', institutionName: tenant.institution.name });
    const short = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields.password).toBeTruthy();
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, password: 'a long enough passphrase' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().user).toMatchObject({ email, role: 'app_admin', canApprove: true });
    expect(accepted.cookies.some((c) => c.name === 'vetted_session' && c.httpOnly)).toBe(true);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, password: 'a long enough passphrase' },
    });
    expect(again.statusCode).toBe(404);
    const login = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: 'a long enough passphrase' } });
    expect(login.statusCode).toBe(200);
    const list = (await tenant.siteAdmin.request('GET', '/api/v1/invitations')).json().items;
    expect(list.find((i: { email: string }) => i.email === email).status).toBe('accepted');
  });

  it('refuses revoked and expired links', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const email = `revoked.${Date.now()}@example.org`;
    const res = await tenant.siteAdmin.request('POST', '/api/v1/invitations', {
      email,
      firstName: 'Re',
      lastName: 'Voked',
      role: 'app_admin',
    });
    const token = tokenOf((await t.smtp.waitFor(email)).text ?? '');
    expect((await tenant.siteAdmin.request('DELETE', `/api/v1/invitations/${res.json().id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/invitations/preview?token=${token}` })).statusCode).toBe(404);

    const email2 = `expired.${Date.now()}@example.org`;
    const res2 = await tenant.siteAdmin.request('POST', '/api/v1/invitations', {
      email: email2,
      firstName: 'Ex',
      lastName: 'Pired',
      role: 'app_admin',
    });
    const token2 = tokenOf((await t.smtp.waitFor(email2)).text ?? '');
    await withSystem(t.database.db, (tx) =>
      tx
        .update(invitations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(invitations.id, res2.json().id)),
    );
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/invitations/accept',
          payload: { token: token2, password: 'a long enough passphrase' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('refuses to invite someone who already has an account here', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const res = await tenant.siteAdmin.request('POST', '/api/v1/invitations', {
      email: tenant.appAdmin.user.email,
      firstName: 'A',
      lastName: 'B',
      role: 'app_admin',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields.email).toBeTruthy();
  });

  it('lets a platform admin create an institution whose first site admin is invited by email', async () => {
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
    const email = `first.admin.${Date.now()}@example.org`;
    const body = {
      name: 'Prairie Rose School Division',
      kind: 'district',
      country: 'CA',
      subdivision: 'ab',
      region: 'ca',
      gradeLevels: ['K', '1', '2', '3', '4', '5', '6'],
      schools: [{ name: 'Prairie Rose Elementary', gradeFrom: 'K', gradeTo: '6' }],
      firstSiteAdmin: { email, firstName: 'Dana', lastName: 'Whitehorse' },
    };
    const created = await admin.request('POST', '/api/v1/institutions', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      name: body.name,
      subdivision: 'AB',
      schools: [{ name: 'Prairie Rose Elementary', gradeFrom: 'K', gradeTo: '6' }],
    });
    const token = tokenOf((await t.smtp.waitFor(email)).text ?? '');
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, password: 'tundra orchid passphrase' },
    });
    expect(accepted.json().user.role).toBe('site_admin');
    expect(accepted.json().institution.id).toBe(created.json().id);

    const bad = await admin.request('POST', '/api/v1/institutions', {
      ...body,
      subdivision: 'ZZ',
      region: 'us',
      schools: [{ name: 'X', gradeFrom: '6', gradeTo: 'K' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['region', 'schools.0.gradeTo', 'subdivision']);
    expect(bad.json().error.fields.region).toBe('must be ca: an institution in Canada keeps its data in Canada');
  });

  it('gives an institution the region of its country, and refuses one of the other region’s country, creating nothing', async () => {
    const admin = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
    const body = (country: 'CA' | 'US', subdivision: string, name: string) => ({
      name,
      kind: 'district',
      country,
      subdivision,
      gradeLevels: ['K', '1'],
      firstSiteAdmin: { email: `admin.${Date.now()}.${country}@example.org`, firstName: 'Ana', lastName: 'Okafor' },
    });
    const canadian = await admin.request('POST', '/api/v1/institutions', body('CA', 'NS', 'Bluenose Regional Centre'));
    expect(canadian.statusCode, canadian.body).toBe(201);
    expect(canadian.json().region).toBe('ca');

    const before = (await admin.request('GET', '/api/v1/institutions')).json().items.length;
    const american = await admin.request('POST', '/api/v1/institutions', body('US', 'WA', 'Puget Sound School District'));
    expect(american.statusCode).toBe(400);
    expect(american.json().error.fields).toEqual({ country: 'This institution is in the United States: create it in the US region (us).' });
    expect(american.json().error.fieldCodes).toEqual({ country: 'belongs_in_us' });
    const declaredCa = await admin.request('POST', '/api/v1/institutions', {
      ...body('US', 'WA', 'Puget Sound School District'),
      region: 'ca',
    });
    expect(declaredCa.statusCode).toBe(400);
    expect(Object.keys(declaredCa.json().error.fields)).toEqual(['region']);
    expect((await admin.request('GET', '/api/v1/institutions')).json().items.length).toBe(before);
  });
});
