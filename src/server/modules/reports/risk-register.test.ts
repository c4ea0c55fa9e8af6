import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportResultSchema } from '../../../contracts/reports.js';
import { assessmentRisks, inventoryItems } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildTenantWithUsers } from '../../../../test/support/factories.js';
import { dayFromToday, insertAssessment } from '../../../../test/support/report-fixtures.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;

async function itemWithPia(tenant: Tenant, name: string, status: 'approved' | 'in_review' | 'retired', piaStatus: 'approved' | 'draft') {
  const id = randomUUID();
  await withSystem(t.database.db, (tx) =>
    tx.insert(inventoryItems).values({ tenantId: tenant.institution.id, id, customName: name, name, vendor: `${name} Inc`, status }),
  );
  const ids = await insertAssessment(t.database.db, {
    tenantId: tenant.institution.id,
    inventoryItemId: id,
    status: piaStatus,
    text: name,
  });
  return { id, ...ids };
}

async function addRisk(tenantId: string, revisionId: string, values: Partial<typeof assessmentRisks.$inferInsert> & { title: string }) {
  await withSystem(t.database.db, (tx) =>
    tx.insert(assessmentRisks).values({ tenantId, id: randomUUID(), revisionId, likelihood: 1, impact: 1, ...values }),
  );
}

describe('risk register report', () => {
  it('lists every open risk of every current revision, worst first, with level, treatment and a likelihood × impact heat map', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const tid = tenant.institution.id;
    // The fixture gives each PIA one risk: likelihood 3 × impact 4 (high), residual 1 × 4 (low).
    const maple = await itemWithPia(tenant, 'Maple', 'approved', 'approved');
    await addRisk(tid, maple.revision, { title: 'Breach', likelihood: 5, impact: 5, owner: 'IT', dueOn: dayFromToday(-2) });
    const birch = await itemWithPia(tenant, 'Birch', 'in_review', 'draft');
    await addRisk(tid, birch.revision, { title: 'Tracking', likelihood: 2, impact: 3, dueOn: dayFromToday(10) });
    await addRisk(tid, birch.revision, { title: 'Far off', likelihood: 1, impact: 2, dueOn: dayFromToday(90) });
    // A retired app's risks are not open ones.
    const gone = await itemWithPia(tenant, 'Gone', 'retired', 'approved');
    await addRisk(tid, gone.revision, { title: 'Old risk', likelihood: 5, impact: 5 });
    // Another institution's risks never show.
    const other = await buildTenantWithUsers(t.app, t.database.db);
    await itemWithPia(other, 'Elsewhere', 'approved', 'approved');

    const res = await tenant.appAdmin.request('GET', '/api/v1/reports/risk-register?days=30');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(reportResultSchema.parse(body)).toEqual(body);
    const rows = body.rows as Record<string, unknown>[];
    expect(rows.map((r) => r.risk)).toEqual(['Breach', 'Birch', 'Maple', 'Tracking', 'Far off']);
    expect(rows[0]).toMatchObject({
      app: 'Maple',
      vendor: 'Maple Inc',
      level: 'critical',
      likelihood: 5,
      impact: 5,
      owner: 'IT',
      dueState: 'treatment_overdue',
    });
    expect(rows[1]).toMatchObject({ app: 'Birch', level: 'high', residualLevel: 'low', mitigation: 'Birch' });
    expect(rows[3]).toMatchObject({ level: 'medium', dueState: 'treatment_due', residualLevel: null });
    expect(rows[4]).toMatchObject({ level: 'low', dueState: null });

    // The heat map: likelihood 5 to 1 down, impact 1 to 5 across, each cell a count.
    expect(body.chart.kind).toBe('heatmap');
    expect(body.chart.data.map((d: Record<string, number>) => d.likelihood)).toEqual([5, 4, 3, 2, 1]);
    const cell = (l: number, i: number) => body.chart.data.find((d: Record<string, number>) => d.likelihood === l)[`impact${i}`];
    expect(cell(5, 5)).toBe(1);
    expect(cell(3, 4)).toBe(2);
    expect(cell(2, 3)).toBe(1);
    expect(cell(1, 2)).toBe(1);
    const total = body.chart.data.reduce(
      (n: number, d: Record<string, number>) => n + [1, 2, 3, 4, 5].reduce((m, i) => m + d[`impact${i}`]!, 0),
      0,
    );
    expect(total).toBe(rows.length);

    // A status filter narrows it; the download carries the same rows.
    const inReview = (await tenant.appAdmin.request('GET', '/api/v1/reports/risk-register?status=in_review')).json();
    expect(inReview.rows.map((r: { app: string }) => r.app)).toEqual(['Birch', 'Birch', 'Birch']);
    const csv = await tenant.siteAdmin.request('GET', '/api/v1/reports/risk-register/download?format=csv');
    expect(csv.statusCode).toBe(200);
    const records = parse(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.Risk)).toEqual(['Breach', 'Birch', 'Maple', 'Tracking', 'Far off']);
    expect(records[0]).toMatchObject({
      Level: 'Critical',
      'Level (code)': 'critical',
      Treatment: 'Overdue',
      'Treatment (code)': 'treatment_overdue',
    });
  });

  it('reads only the current revision of each PIA', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const app = await itemWithPia(tenant, 'Cedar', 'approved', 'approved');
    // A risk on an earlier revision (the PIA has moved on) is not open.
    const { assessmentRevisions, assessments } = await import('../../db/schema/index.js');
    const { and, eq } = await import('drizzle-orm');
    const second = randomUUID();
    await withSystem(t.database.db, async (tx) => {
      await tx
        .insert(assessmentRevisions)
        .values({ tenantId: tenant.institution.id, id: second, assessmentId: app.assessment, number: 2, status: 'draft' });
      await tx
        .update(assessments)
        .set({ currentRevision: 2 })
        .where(and(eq(assessments.tenantId, tenant.institution.id), eq(assessments.id, app.assessment)));
    });
    await addRisk(tenant.institution.id, second, { title: 'Now', likelihood: 2, impact: 3 });
    const body = (await tenant.appAdmin.request('GET', '/api/v1/reports/risk-register')).json();
    expect(body.rows.map((r: { risk: string }) => r.risk)).toEqual(['Now']);
  });
});
