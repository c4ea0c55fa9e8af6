import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, institutions, inventoryItems } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const anonymous = (slug: string) => t.app.inject({ method: 'GET', url: `/api/v1/public/lists/${slug}` });
const slugOf = () => `district-${randomUUID().slice(0, 8)}`;

/** Sets an item's status directly: the workflow itself is tested with the inventory. */
const setStatus = (tenantId: string, id: string, status: string) =>
  withSystem(t.database.db, (tx) =>
    tx
      .update(inventoryItems)
      .set({ status })
      .where(and(eq(inventoryItems.tenantId, tenantId), eq(inventoryItems.id, id))),
  );

describe('public list', () => {
  it('shows only approved apps marked public, with nothing about people', async () => {
    // Apps approved without an assessment (the rules off): the rules' own tests are in decision-rules.test.ts.
    const tenant = await buildTenantWithUsers(t.app, t.database.db, { requireApprovedPia: false });
    const slug = slugOf();
    const published = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, {
      publicSlug: slug.toUpperCase(),
    });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().publicSlug).toBe(slug);

    const catalog = await buildCatalogApp(t.database.db, {
      name: 'Maple Reading',
      storageCountries: ['CA'],
      privacyPolicyUrl: 'https://maple.example/privacy',
    });
    const add = async (body: Record<string, unknown>) => {
      const res = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
        grades: ['3', '4'],
        audiences: ['students'],
        dataElements: ['name', 'student_work'],
        schoolIds: [tenant.schools[0]!.id],
        purpose: 'Reading practice',
        ownerUserId: tenant.appAdmin.user.id,
        notes: 'Internal note: call Ms Secret at the vendor',
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const shown = await add({ catalogAppId: catalog.id, isPublic: true, conditionsOfUse: 'Use class accounts only' });
    const custom = await add({
      custom: { name: 'Classroom Jukebox', vendor: 'Jukebox Inc', website: 'https://jukebox.example' },
      isPublic: true,
    });
    const notPublic = await add({ custom: { name: 'Unlisted Tool' }, isPublic: false });
    const notApproved = await add({ custom: { name: 'Pending Tool' }, isPublic: true });
    await setStatus(tenant.institution.id, shown.id, 'approved');
    await setStatus(tenant.institution.id, custom.id, 'approved_with_conditions');
    await setStatus(tenant.institution.id, notPublic.id, 'approved');
    await setStatus(tenant.institution.id, notApproved.id, 'in_review');

    const res = await anonymous(slug);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const list = res.json();
    expect(list.institution).toMatchObject({ name: tenant.institution.name, gradeLevels: tenant.institution.gradeLevels });
    expect(list.institution.schools.map((s: { name: string }) => s.name)).toEqual(tenant.schools.map((s) => s.name));
    expect(list.apps.map((a: { name: string }) => a.name)).toEqual(['Classroom Jukebox', 'Maple Reading']);
    expect(list.apps[1]).toMatchObject({
      id: shown.id,
      vendor: catalog.vendor,
      status: 'approved',
      grades: ['3', '4'],
      schoolIds: [tenant.schools[0]!.id],
      dataElements: ['name', 'student_work'],
      purpose: 'Reading practice',
      conditionsOfUse: 'Use class accounts only',
      storageCountries: ['CA'],
      privacyPolicyUrl: 'https://maple.example/privacy',
    });
    expect(list.apps[0]).toMatchObject({ website: 'https://jukebox.example', storageCountries: [], status: 'approved_with_conditions' });
    expect(Object.keys(list.apps[0]).sort()).toEqual(
      [
        'approvedOn',
        'audiences',
        'conditionsOfUse',
        'dataElements',
        'grades',
        'id',
        'name',
        'privacyPolicyUrl',
        'purpose',
        'schoolIds',
        'status',
        'storageCountries',
        'vendor',
        'website',
      ].sort(),
    );
    for (const person of [tenant.appAdmin.user, tenant.siteAdmin.user]) {
      expect(res.body).not.toContain(person.email);
      expect(res.body).not.toContain(person.id);
    }
    expect(res.body).not.toContain('Internal note');
  });

  it('answers 404 alike for an unknown, a withdrawn and a purged list', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const slug = slugOf();
    expect((await anonymous(slug)).statusCode).toBe(404);
    await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { publicSlug: slug });
    expect((await anonymous(slug)).statusCode).toBe(200);
    const withdrawn = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { publicSlug: null });
    expect(withdrawn.json().publicSlug).toBeNull();
    expect((await anonymous(slug)).statusCode).toBe(404);

    await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { publicSlug: slug });
    await withSystem(t.database.db, (tx) =>
      tx.update(institutions).set({ status: 'purged' }).where(eq(institutions.id, tenant.institution.id)),
    );
    const purged = await anonymous(slug);
    expect(purged.statusCode).toBe(404);
    expect(purged.json().error.code).toBe('not_found');
  });

  it('lets only a site admin choose the address, refuses bad or taken ones field by field and changes nothing', async () => {
    const a = await buildTenantWithUsers(t.app, t.database.db);
    const b = await buildTenantWithUsers(t.app, t.database.db);
    const taken = slugOf();
    expect((await b.siteAdmin.request('PATCH', `/api/v1/institutions/${b.institution.id}`, { publicSlug: taken })).statusCode).toBe(200);
    const auditCount = () =>
      withSystem(
        t.database.db,
        async (tx) => (await tx.select().from(auditEvents).where(eq(auditEvents.tenantId, a.institution.id))).length,
      );
    const before = await auditCount();

    for (const bad of ['ab', '-leading', 'trailing-', 'two--hyphens', 'spaces here', 'accént', 'x'.repeat(61)]) {
      const res = await a.siteAdmin.request('PATCH', `/api/v1/institutions/${a.institution.id}`, {
        publicSlug: bad,
        name: 'Should not be saved',
      });
      expect(res.statusCode, bad).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}), bad).toEqual(['publicSlug']);
    }
    const clash = await a.siteAdmin.request('PATCH', `/api/v1/institutions/${a.institution.id}`, {
      publicSlug: taken,
      name: 'Should not be saved',
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.fields).toEqual({ publicSlug: 'is used by another institution' });

    const appAdmin = await a.appAdmin.request('PATCH', `/api/v1/institutions/${a.institution.id}`, { publicSlug: slugOf() });
    expect(appAdmin.statusCode).toBe(403);
    const cross = await a.siteAdmin.request('PATCH', `/api/v1/institutions/${b.institution.id}`, { publicSlug: slugOf() });
    expect(cross.statusCode).toBe(404);

    const after = (await a.siteAdmin.request('GET', `/api/v1/institutions/${a.institution.id}`)).json();
    expect(after).toMatchObject({ name: a.institution.name, publicSlug: null });
    expect(await auditCount()).toBe(before);

    const ok = await a.siteAdmin.request('PATCH', `/api/v1/institutions/${a.institution.id}`, { publicSlug: slugOf() });
    expect(ok.statusCode).toBe(200);
    expect(await auditCount()).toBe(before + 1);
  });
});
