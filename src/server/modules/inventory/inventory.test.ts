import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, inventoryItems } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const countRows = () =>
  withSystem(t.database.db, async (tx) => ({
    items: (await tx.select().from(inventoryItems)).length,
    audit: (await tx.select().from(auditEvents)).length,
  }));

describe('inventory', () => {
  it('adds a catalog app, finds it by filters, edits it and keeps its history', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const app = await buildCatalogApp(t.database.db, { name: 'Zebra Math' });
    const created = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3', '4', '5'],
      dataElements: ['name', 'email'],
      audiences: ['students'],
      schoolIds: [tenant.schools[0]!.id],
      purpose: 'Math practice',
    });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({ name: 'Zebra Math', status: 'requested', grades: ['3', '4', '5'], version: 1, isCustom: false });

    const byGrade = await tenant.appAdmin.request('GET', '/api/v1/inventory?grade=4&dataElement=email');
    expect(byGrade.json().items.map((i: { id: string }) => i.id)).toEqual([item.id]);
    const otherGrade = await tenant.appAdmin.request('GET', '/api/v1/inventory?grade=9');
    expect(otherGrade.json().total).toBe(0);
    const byText = await tenant.appAdmin.request('GET', '/api/v1/inventory?q=zebra');
    expect(byText.json().total).toBe(1);

    const updated = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${item.id}`, { version: 1, purpose: 'Daily math practice' });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ purpose: 'Daily math practice', version: 2 });

    const stale = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${item.id}`, { version: 1, purpose: 'Overwritten' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale');

    const history = await tenant.siteAdmin.request('GET', `/api/v1/inventory/${item.id}/history`);
    expect(history.statusCode).toBe(200);
    const events = history.json().items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['inventory.update', 'inventory.create']);
    expect(events[0].changes.purpose).toEqual({ before: 'Math practice', after: 'Daily math practice' });
  });

  it('lists each app exactly as its own answer shows it, whichever page, sort, filter or rule', async () => {
    // The list's items are written by the database (inventory.repo.ts), an app's own answer by the
    // presenter: both must say the same thing, field for field.
    const check = async (tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>) => {
      const catalog = await buildCatalogApp(t.database.db, { name: 'Quiz_100% "Pro"', website: 'https://quiz.example' });
      const made: string[] = [];
      const catalogItem = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
        catalogAppId: catalog.id,
        grades: ['K', '4'],
        schoolIds: [tenant.schools[0]!.id],
        audiences: ['students', 'employees'],
        dataElements: ['name', 'email'],
        purpose: 'Quizzes: "daily" \\ weekly',
      });
      expect(catalogItem.statusCode, catalogItem.body).toBe(201);
      made.push(catalogItem.json().id);
      for (let i = 0; i < 12; i++) {
        const res = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
          custom: { name: `Custom ${i} é`, vendor: `Vendor ${i % 3}`, website: i % 2 ? `https://custom${i}.example` : null },
          grades: i % 2 ? ['3'] : [],
          purpose: `Purpose ${i}`,
          agreementType: i % 3 ? 'vendor_dpa' : 'none',
          agreementSigned: i % 3 === 1,
          agreementSignedOn: i % 3 === 1 ? '2026-01-15' : null,
          agreementExpiresOn: i % 3 === 1 ? '2027-01-14' : null,
          nextReviewOn: i % 4 ? `2027-0${1 + (i % 9)}-0${1 + (i % 8)}` : null,
          notes: i % 5 ? '' : 'Line one\nline two',
        });
        expect(res.statusCode, res.body).toBe(201);
        made.push(res.json().id);
      }
      // Some in review: their next statuses depend on the institution's PIA rule.
      for (const id of made.slice(0, 4)) {
        const res = await tenant.appAdmin.request('POST', `/api/v1/inventory/${id}/transition`, { version: 1, status: 'in_review' });
        expect(res.statusCode, res.body).toBe(200);
      }
      const own = new Map<string, unknown>();
      for (const id of made) own.set(id, (await tenant.appAdmin.request('GET', `/api/v1/inventory/${id}`)).json());
      const urls = [
        '/api/v1/inventory?pageSize=100',
        '/api/v1/inventory?sort=updated&order=desc&pageSize=5&page=2',
        '/api/v1/inventory?sort=next_review&pageSize=3&page=5',
        '/api/v1/inventory?status=in_review,requested&grade=3,K&pageSize=100',
        `/api/v1/inventory?q=${encodeURIComponent('100% "p')}`,
        `/api/v1/inventory?schoolId=${tenant.schools[0]!.id}&audience=employees&dataElement=email`,
      ];
      let seen = 0;
      for (const url of urls) {
        const res = await tenant.appAdmin.request('GET', url);
        expect(res.statusCode, res.body).toBe(200);
        const page = res.json() as { items: { id: string }[]; total: number };
        expect(page.items.length, url).toBeGreaterThan(0);
        for (const item of page.items) expect(item, url).toEqual(own.get(item.id));
        seen += page.items.length;
      }
      // Cursor pages too.
      const first = (await tenant.appAdmin.request('GET', '/api/v1/inventory?sort=status&pageSize=4')).json() as { nextCursor: string };
      const next = (await tenant.appAdmin.request('GET', `/api/v1/inventory?sort=status&pageSize=4&after=${first.nextCursor}`)).json() as {
        items: { id: string }[];
      };
      for (const item of next.items) expect(item).toEqual(own.get(item.id));
      return seen + next.items.length;
    };
    // With the PIA rule (approvals wait for an approved PIA) and without it.
    expect(await check(await buildTenantWithUsers(t.app, t.database.db))).toBeGreaterThan(20);
    expect(await check(await buildTenantWithUsers(t.app, t.database.db, { requireApprovedPia: false }))).toBeGreaterThan(20);
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const before = await countRows();
    const cases: [unknown, string][] = [
      [{ custom: { name: 'X' }, grades: ['13'] }, 'grades.0'],
      [{ custom: { name: 'X' }, grades: ['3', '3'] }, 'grades'],
      [{ custom: { name: 'X' }, unknown: 1 }, 'unknown'],
      [{ custom: { name: 'X'.repeat(201) } }, 'custom.name'],
      [{ custom: { name: 'X' }, purpose: 5 }, 'purpose'],
      [{ custom: { name: 'X' }, agreementUrl: 'javascript:alert(1)' }, 'agreementUrl'],
      [{ grades: ['3'] }, 'catalogAppId'],
      [{ custom: { name: 'X' }, schoolIds: ['00000000-0000-4000-8000-000000000000'] }, 'schoolIds.0'],
      [{ custom: { name: 'X' }, agreementSignedOn: '2026-05-01', agreementExpiresOn: '2026-01-01' }, 'agreementExpiresOn'],
      [{ catalogAppId: '00000000-0000-4000-8000-000000000000' }, 'catalogAppId'],
    ];
    for (const [body, field] of cases) {
      const res = await tenant.appAdmin.request('POST', '/api/v1/inventory', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}), JSON.stringify(body)).toContain(field);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inventory',
      headers: { 'content-type': 'application/json', 'x-csrf-token': tenant.appAdmin.csrf },
      payload: '{"custom":',
      cookies: {},
    });
    expect([400, 401]).toContain(malformed.statusCode);
    expect(await countRows()).toEqual(before);
  });

  it('refuses a duplicate app and an invalid status transition', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db, { requireApprovedPia: false });
    const first = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Home-made Quiz' } });
    expect(first.statusCode).toBe(201);
    const dup = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'home-made quiz' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('duplicate');
    const id = first.json().id;
    const jump = await tenant.approver.request('POST', `/api/v1/inventory/${id}/transition`, { version: 1, status: 'approved' });
    expect(jump.statusCode).toBe(409);
    expect(jump.json().error.code).toBe('invalid_transition');
    const review = await tenant.appAdmin.request('POST', `/api/v1/inventory/${id}/transition`, { version: 1, status: 'in_review' });
    expect(review.statusCode).toBe(200);
    const noRight = await tenant.appAdmin.request('POST', `/api/v1/inventory/${id}/transition`, { version: 2, status: 'approved' });
    expect(noRight.statusCode).toBe(403);
    const approved = await tenant.approver.request('POST', `/api/v1/inventory/${id}/transition`, { version: 2, status: 'approved' });
    expect(approved.statusCode, approved.body).toBe(200);
    const row = await withSystem(t.database.db, (tx) => tx.select().from(inventoryItems).where(eq(inventoryItems.id, id)));
    expect(row[0]!.status).toBe('approved');
  });
});
