/**
 * What each role may do (PRODUCT.md "Who uses it"), route by route, inside its own institution.
 * 403 where the role lacks the right; success otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let platform: Client;
let platformIn: Client;
let catalogId: string;

beforeAll(async () => {
  t = await createTestApp();
  // Who may decide, not the rules decisions follow (decision-rules.test.ts): apps are approved directly.
  tenant = await buildTenantWithUsers(t.app, t.database.db, { requireApprovedPia: false });
  const admin = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
  platform = await signIn(t.app, admin);
  platformIn = await signIn(t.app, admin);
  expect((await platformIn.request('PUT', '/api/v1/session/institution', { institutionId: tenant.institution.id })).statusCode).toBe(200);
  catalogId = (await buildCatalogApp(t.database.db)).id;
});
afterAll(async () => t?.close());

const newItem = () => ({ custom: { name: `Custom ${Math.random().toString(36).slice(2)}` }, grades: ['3'] });

describe('roles', () => {
  it('site admins manage users, invitations, the institution, the inventory, and decide', async () => {
    const c = tenant.siteAdmin;
    expect((await c.request('GET', '/api/v1/users')).statusCode).toBe(200);
    expect((await c.request('PATCH', `/api/v1/users/${tenant.appAdmin.user.id}`, { canApprove: false })).statusCode).toBe(200);
    expect(
      (
        await c.request('POST', '/api/v1/invitations', {
          email: 'new.person@example.org',
          firstName: 'New',
          lastName: 'Person',
          role: 'app_admin',
        })
      ).statusCode,
    ).toBe(201);
    expect((await c.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { name: 'Renamed District' })).statusCode).toBe(200);
    const item = await c.request('POST', '/api/v1/inventory', newItem());
    expect(item.statusCode).toBe(201);
    await c.request('POST', `/api/v1/inventory/${item.json().id}/transition`, { version: 1, status: 'in_review' });
    expect(
      (await c.request('POST', `/api/v1/inventory/${item.json().id}/transition`, { version: 2, status: 'not_approved' })).statusCode,
    ).toBe(200);
    expect((await c.request('GET', '/api/v1/audit')).statusCode).toBe(200);
    expect((await c.request('POST', '/api/v1/catalog/apps', { name: 'X', vendor: 'Y' })).statusCode).toBe(403);
    expect((await c.request('POST', '/api/v1/institutions', {})).statusCode).toBe(400);
  });

  it('app admins work on the inventory but manage no users, no settings, and decide only with the approver right', async () => {
    const c = tenant.appAdmin;
    expect((await c.request('GET', '/api/v1/users')).statusCode).toBe(403);
    expect((await c.request('GET', '/api/v1/invitations')).statusCode).toBe(403);
    expect(
      (await c.request('POST', '/api/v1/invitations', { email: 'x.y@example.org', firstName: 'X', lastName: 'Y', role: 'site_admin' }))
        .statusCode,
    ).toBe(403);
    expect((await c.request('PATCH', `/api/v1/users/${c.user.id}`, { role: 'site_admin' })).statusCode).toBe(403);
    expect((await c.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { name: 'Mine now' })).statusCode).toBe(403);
    expect((await c.request('GET', '/api/v1/audit')).statusCode).toBe(403);
    const item = await c.request('POST', '/api/v1/inventory', newItem());
    expect(item.statusCode).toBe(201);
    const id = item.json().id;
    expect((await c.request('POST', `/api/v1/inventory/${id}/transition`, { version: 1, status: 'in_review' })).statusCode).toBe(200);
    expect((await c.request('POST', `/api/v1/inventory/${id}/transition`, { version: 2, status: 'approved' })).statusCode).toBe(403);
    expect(
      (await tenant.approver.request('POST', `/api/v1/inventory/${id}/transition`, { version: 2, status: 'approved' })).statusCode,
    ).toBe(200);
  });

  it('platform admins curate the catalog and create institutions; inside an onboarded one they read only when granted, and never decide', async () => {
    expect((await platform.request('GET', '/api/v1/inventory')).statusCode).toBe(403);
    const created = await platform.request('POST', '/api/v1/catalog/apps', {
      name: 'Curated App',
      vendor: 'Curated Inc.',
      dataElements: ['name'],
    });
    expect(created.statusCode).toBe(201);
    expect((await platform.request('PATCH', `/api/v1/catalog/apps/${catalogId}`, { description: 'Updated' })).json().description).toBe(
      'Updated',
    );
    // The institution has its site admin: the operator has nothing inside it until granted support access.
    expect((await platformIn.request('POST', '/api/v1/inventory', newItem())).statusCode).toBe(403);
    expect((await platformIn.request('GET', '/api/v1/inventory')).statusCode).toBe(403);
    const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', newItem());
    const id = item.json().id;
    expect(
      (await tenant.siteAdmin.request('POST', `/api/v1/inventory/${id}/transition`, { version: 1, status: 'in_review' })).statusCode,
    ).toBe(200);
    expect((await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 1, reason: 'Roles check' })).statusCode).toBe(201);
    expect((await platformIn.request('GET', `/api/v1/inventory/${id}`)).statusCode).toBe(200);
    expect((await platformIn.request('POST', `/api/v1/inventory/${id}/transition`, { version: 2, status: 'approved' })).statusCode).toBe(
      403,
    );
    expect((await platformIn.request('POST', '/api/v1/inventory', newItem())).statusCode).toBe(403);
    // Their access shows in the institution's own audit log.
    const log = (await tenant.siteAdmin.request('GET', '/api/v1/audit?pageSize=200')).json().items;
    expect(
      log.some((e: { action: string; actorRole: string }) => e.action === 'institution.enter' && e.actorRole === 'platform_admin'),
    ).toBe(true);
    expect(
      log.some((e: { action: string; actorRole: string }) => e.action === 'support_access.use' && e.actorRole === 'platform_admin'),
    ).toBe(true);
  });

  it('keeps one active site admin', async () => {
    const res = await tenant.siteAdmin.request('PATCH', `/api/v1/users/${tenant.siteAdmin.user.id}`, { role: 'app_admin' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields.role).toBeTruthy();
  });

  it('refuses everything but sign-in without a session', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/inventory'],
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/catalog/apps'],
      ['GET', '/api/v1/session'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, url).toBe(401);
    }
  });
});
