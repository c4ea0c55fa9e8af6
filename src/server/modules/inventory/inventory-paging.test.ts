import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY_SORTS } from '../../../contracts/domain.js';
import { inventoryItems } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildTenantWithUsers } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
interface Page {
  items: { id: string }[];
  total: number;
  page: number;
  nextCursor: string | null;
  prevCursor: string | null;
}

const STATUSES = ['requested', 'in_review', 'approved'] as const;

/** `n` items with ties in every sort key (names, statuses, update times, review dates) and no review date for some. */
async function items(tenant: Tenant, n: number, prefix: string): Promise<string[]> {
  const base = Date.parse('2026-03-01T10:00:00.123456Z');
  const rows = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    tenantId: tenant.institution.id,
    customName: `${prefix} ${i}`,
    name: `${prefix} ${i % 7}`,
    status: STATUSES[i % 3]!,
    nextReviewOn: i % 4 === 0 ? null : `2027-0${1 + (i % 5)}-01`,
    updatedAt: new Date(base + (i % 6) * 1000),
  }));
  await withSystem(t.database.db, (tx) => tx.insert(inventoryItems).values(rows));
  return rows.map((r) => r.id);
}

async function get(tenant: Tenant, url: string): Promise<Page> {
  const res = await tenant.appAdmin.request('GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}
const ids = (p: Page) => p.items.map((i) => i.id);

describe('inventory paging', () => {
  it('walks every sort and order by cursors, forward and back, and by page numbers from either end, seeing each item once in the list’s order', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await items(tenant, 23, 'Paged');
    for (const sort of INVENTORY_SORTS) {
      for (const order of ['asc', 'desc'] as const) {
        const base = `/api/v1/inventory?sort=${sort}&order=${order}&pageSize=5`;
        const all = ids(await get(tenant, `/api/v1/inventory?sort=${sort}&order=${order}&pageSize=100`));
        expect(all).toHaveLength(23);

        // Forward by next cursors.
        const pages: Page[] = [await get(tenant, base)];
        while (pages.at(-1)!.nextCursor) pages.push(await get(tenant, `${base}&after=${pages.at(-1)!.nextCursor}`));
        expect(pages.map(ids).flat(), `${sort} ${order} forward`).toEqual(all);
        expect(pages.map((p) => p.total)).toEqual(pages.map(() => 23));
        expect(pages).toHaveLength(5);

        // Back from the last page by previous cursors.
        const back: Page[] = [pages.at(-1)!];
        while (back.at(-1)!.prevCursor) back.push(await get(tenant, `${base}&before=${back.at(-1)!.prevCursor}`));
        expect(back.reverse().map(ids).flat(), `${sort} ${order} back`).toEqual(all);

        // By page number: pages past the middle are read from the end.
        for (let page = 1; page <= 5; page++) {
          const p = await get(tenant, `${base}&page=${page}`);
          expect(ids(p), `${sort} ${order} page ${page}`).toEqual(all.slice((page - 1) * 5, page * 5));
          expect(p.nextCursor === null, `${sort} ${order} page ${page} next`).toBe(page === 5);
        }
        expect(ids(await get(tenant, `${base}&page=6`))).toEqual([]);
      }
    }
  });

  it('reads a page far from the start by its number from the nearer end, as the same items the cursors walk through', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await items(tenant, 537, 'Long');
    for (const order of ['asc', 'desc'] as const) {
      const base = `/api/v1/inventory?sort=next_review&order=${order}`;
      const walked: Page[] = [await get(tenant, `${base}&pageSize=100`)];
      while (walked.at(-1)!.nextCursor) walked.push(await get(tenant, `${base}&pageSize=100&after=${walked.at(-1)!.nextCursor}`));
      const all = walked.map(ids).flat();
      expect(new Set(all).size).toBe(537);
      for (const [page, size] of [[6, 100], [5, 100], [3, 100], [20, 25], [21, 25], [22, 25], [11, 50]] as const) {
        const p = await get(tenant, `${base}&pageSize=${size}&page=${page}`);
        expect(ids(p), `${order} page ${page} of ${size}`).toEqual(all.slice((page - 1) * size, page * size));
        expect(p.total).toBe(537);
        if (p.nextCursor) expect(ids(await get(tenant, `${base}&pageSize=${size}&after=${p.nextCursor}`))).toEqual(all.slice(page * size, (page + 1) * size));
        if (p.prevCursor) expect(ids(await get(tenant, `${base}&pageSize=${size}&before=${p.prevCursor}`))).toEqual(all.slice((page - 2) * size, (page - 1) * size));
      }
    }
  });

  it('refuses a cursor that was tampered with, belongs to another sort or order, or comes with the other one, naming the field', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await items(tenant, 8, 'Tampered');
    const first = await get(tenant, '/api/v1/inventory?sort=updated&pageSize=3');
    const cursor = first.nextCursor!;
    const [sort, order, key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const cases: [string, string][] = [
      [`after=${cursor.slice(0, -3)}`, 'after'],
      ['after=not-a-cursor', 'after'],
      ['after=a%2Bb', 'after'],
      [`after=${forged([sort, order, "2026-01-01'; drop table x", id])}`, 'after'],
      [`after=${forged([sort, order, key, 'not-a-uuid'])}`, 'after'],
      [`after=${forged([sort, order, 42, id])}`, 'after'],
      [`after=${forged({ sort, order, key, id })}`, 'after'],
      [`after=${forged(['name', order, key, id])}`, 'after'],
      [`before=${forged([sort, 'desc', key, id])}`, 'before'],
      [`after=${cursor}&before=${cursor}`, 'before'],
    ];
    for (const [query, field] of cases) {
      const res = await tenant.appAdmin.request('GET', `/api/v1/inventory?sort=updated&pageSize=3&${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json().error.fields, query).toHaveProperty(field);
    }
  });

  it('gives nothing of another institution for its cursor: the page is of the caller’s own list', async () => {
    const a = await buildTenantWithUsers(t.app, t.database.db);
    const b = await buildTenantWithUsers(t.app, t.database.db);
    const aIds = await items(a, 9, 'Alpha');
    const bIds = await items(b, 9, 'Beta');
    const aPage = await get(a, '/api/v1/inventory?pageSize=3');
    for (const field of ['after', 'before']) {
      const seen = await get(b, `/api/v1/inventory?pageSize=50&${field}=${aPage.nextCursor}`);
      expect(ids(seen).filter((id) => aIds.includes(id))).toEqual([]);
      expect(ids(seen).every((id) => bIds.includes(id))).toBe(true);
      expect(seen.total).toBe(9);
    }
  });
});
