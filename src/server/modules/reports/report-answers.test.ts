/**
 * A report's JSON answer, whose rows PostgreSQL writes (ADR 0021), against the same report made by
 * the shaping in the process (`shape`, as downloads still make it, and as the answer was made
 * before): for every report, with and without each filter, over two institutions (all grades, and a
 * few out of order) and data with quotes, backslashes, unicode, empty values, nulls and dates, the
 * answers must be equal but for the time they were made.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_IDS, reportResultSchema, type ReportQuery, type ReportResult } from '../../../contracts/reports.js';
import { assessmentAnswers, assessmentRisks, type inventoryItems } from '../../db/schema/index.js';
import type { Actor } from '../../platform/authz.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers } from '../../../../test/support/factories.js';
import { dayFromToday, insertAssessment, insertInventoryItem } from '../../../../test/support/report-fixtures.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { createReportsService } from './reports.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
type ItemInsert = typeof inventoryItems.$inferInsert;

const addItem = (tenant: Tenant, values: Partial<ItemInsert> & { name: string }) =>
  insertInventoryItem(t.database.db, tenant.institution.id, values);

/** A PIA of the item (fixture: one answer with evidence seen 2025-09-01, one risk 3 × 4), then `risk` and `evidence` changes. */
async function addPia(
  tenant: Tenant,
  itemId: string,
  status: 'draft' | 'in_review' | 'approved' | 'approved_with_conditions' | 'rejected',
  text: string,
  changes: { risk?: Partial<typeof assessmentRisks.$inferInsert>; evidence?: Partial<typeof assessmentAnswers.$inferInsert> } = {},
) {
  const tenantId = tenant.institution.id;
  const ids = await insertAssessment(t.database.db, { tenantId, inventoryItemId: itemId, status, text });
  await withSystem(t.database.db, async (tx) => {
    if (changes.risk)
      await tx
        .update(assessmentRisks)
        .set(changes.risk)
        .where(and(eq(assessmentRisks.tenantId, tenantId), eq(assessmentRisks.id, ids.risk)));
    if (changes.evidence)
      await tx
        .update(assessmentAnswers)
        .set(changes.evidence)
        .where(and(eq(assessmentAnswers.tenantId, tenantId), eq(assessmentAnswers.questionId, ids.question)));
  });
}

/** The first institution: every grade (stored out of order), apps of every status, every kind of value. */
async function richTenant() {
  const tenant = await buildTenantWithUsers(t.app, t.database.db, {
    gradeLevels: ['12', 'K', '3', 'JK', 'ADULT', '1', '2', '4', '5', '6', '7', '8', '9', '10', '11'],
  });
  const [north, central] = tenant.schools;
  const maple = await buildCatalogApp(t.database.db, { name: 'Maple "Math" \\ Pro', vendor: 'Érable Ltée', storageCountries: ['CA'] });
  const eagle = await buildCatalogApp(t.database.db, { name: 'Eagle Read 📚', vendor: 'Eagle "Inc"', storageCountries: ['US', 'CA'] });
  const globe = await buildCatalogApp(t.database.db, { name: 'Globe Chat', vendor: 'Globe\\Net', storageCountries: ['IE', 'US'] });
  const nowhere = await buildCatalogApp(t.database.db, { name: 'Nowhere Notes', vendor: 'Nowhere', storageCountries: [] });
  const a = await addItem(tenant, {
    catalogAppId: maple.id,
    name: maple.name,
    vendor: maple.vendor,
    status: 'approved',
    grades: ['4', '3'],
    schoolIds: [north!.id],
    audiences: ['students'],
    dataElements: ['name', 'date_of_birth', 'health'],
    nextReviewOn: dayFromToday(-3),
  });
  const b = await addItem(tenant, {
    catalogAppId: eagle.id,
    name: eagle.name,
    vendor: eagle.vendor,
    status: 'approved_with_conditions',
    grades: ['10', '9', 'K'],
    schoolIds: [central!.id],
    audiences: ['students', 'employees'],
    dataElements: ['email', 'photo'],
    agreementExpiresOn: dayFromToday(20),
  });
  const c = await addItem(tenant, {
    catalogAppId: globe.id,
    name: globe.name,
    vendor: globe.vendor,
    status: 'in_review',
    grades: ['5', 'JK'],
    schoolIds: [north!.id, central!.id],
    audiences: ['students'],
    dataElements: ['messages', 'name', 'precise_location'],
    nextReviewOn: dayFromToday(200),
    agreementExpiresOn: dayFromToday(-5),
  });
  const retired = await addItem(tenant, {
    name: 'Old "Tool"',
    vendor: '',
    status: 'retired',
    grades: ['3'],
    audiences: ['employees'],
    dataElements: ['email', 'health'],
    nextReviewOn: dayFromToday(-30),
  });
  await addItem(tenant, {
    name: 'Back\\slash\n日本語',
    vendor: 'Maple Ltd',
    status: 'needs_review',
    grades: ['ADULT', '12'],
    audiences: ['employees', 'parents'],
    dataElements: [],
    nextReviewOn: dayFromToday(59),
    agreementExpiresOn: dayFromToday(61),
  });
  await addItem(tenant, {
    catalogAppId: nowhere.id,
    name: nowhere.name,
    vendor: nowhere.vendor,
    status: 'requested',
    grades: [],
    audiences: [],
    dataElements: ['biometric'],
    nextReviewOn: dayFromToday(0),
  });
  const g = await addItem(tenant, {
    name: 'Line\u2028Sep\ttab',
    vendor: 'Ünïcödé',
    status: 'approved',
    grades: ['7', 'K', '1'],
    schoolIds: [north!.id],
    audiences: ['students'],
    dataElements: ['voice', 'name', 'behaviour'],
    nextReviewOn: dayFromToday(-400),
    agreementExpiresOn: dayFromToday(10),
  });
  await addItem(tenant, { name: 'not approved app', vendor: 'Globe\\Net', status: 'not_approved', grades: ['2'], audiences: ['parents'] });
  // More vendors than the chart's 15, most of them tied.
  for (let n = 0; n < 18; n++)
    await addItem(tenant, { name: `Filler ${n}`, vendor: `Filler vendor ${String.fromCharCode(65 + n)}`, status: 'requested' });

  await addPia(tenant, a.id, 'approved', 'Quote " and \\ backslash — é');
  await addPia(tenant, b.id, 'draft', 'Emoji 😀 risk', {
    risk: { dueOn: dayFromToday(-2), residualLikelihood: null, likelihood: 5, impact: 5 },
    evidence: { evidenceSeenOn: dayFromToday(-1) },
  });
  await addPia(tenant, c.id, 'in_review', 'Tab\there', {
    risk: { dueOn: dayFromToday(30), likelihood: 1, impact: 2, residualImpact: null },
    evidence: { evidenceUrl: null, evidenceQuote: '', evidenceSeenOn: null },
  });
  await addPia(tenant, g.id, 'rejected', '<b>"html"</b>', { risk: { dueOn: dayFromToday(100), likelihood: 2, impact: 5 } });
  await addPia(tenant, retired.id, 'approved', 'Retired');
  return { tenant, north: north! };
}

/** The second institution: three grades (stored out of order), an app with a grade it does not have. */
async function smallTenant() {
  const tenant = await buildTenantWithUsers(t.app, t.database.db, { gradeLevels: ['12', '3', 'K'] });
  const item = await addItem(tenant, {
    name: 'Small "one"',
    vendor: 'Small\\Co',
    status: 'approved',
    grades: ['5', '3'],
    audiences: ['students'],
    dataElements: ['photo'],
    nextReviewOn: dayFromToday(5),
  });
  await addItem(tenant, { name: 'Small two', vendor: 'Small\\Co', status: 'approved_with_conditions', grades: ['K', '12'] });
  await addPia(tenant, item.id, 'draft', 'Small risk');
  return { tenant, north: tenant.schools[0]! };
}

function actorOf(tenant: Tenant): Actor {
  return {
    kind: 'user',
    userId: tenant.siteAdmin.user.id,
    role: 'site_admin',
    canApprove: false,
    tenantId: tenant.institution.id,
    homeTenantId: tenant.institution.id,
    label: 'test',
    requestId: 'test',
    source: 'web',
  };
}

type Filters = Omit<ReportQuery, 'days'> & { days?: number };
const FILTERS = (schoolId: string): Filters[] => [
  {},
  { grade: ['3', 'K'] },
  { grade: ['ADULT'] },
  { audience: ['students'] },
  { audience: ['parents', 'employees'] },
  { schoolId },
  { status: ['approved', 'approved_with_conditions', 'retired'] },
  { days: 10 },
  { days: 400 },
  { grade: ['K', '9'], audience: ['students'], status: ['approved_with_conditions', 'in_review'], days: 30 },
];

function urlOf(id: string, f: Filters): string {
  const params = Object.entries(f).map(([k, v]) => `${k}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`);
  return `/api/v1/reports/${id}${params.length ? `?${params.join('&')}` : ''}`;
}

describe('report answers written by PostgreSQL', () => {
  it('equal, for every report and filter, the reports shaped in the process', async () => {
    const service = createReportsService({ db: t.database.db });
    const rich = await richTenant();
    const small = await smallTenant();
    let compared = 0;
    for (const { tenant, north } of [rich, small]) {
      const actor = actorOf(tenant);
      for (const id of REPORT_IDS) {
        for (const f of FILTERS(north.id)) {
          const res = await tenant.siteAdmin.request('GET', urlOf(id, f));
          expect(res.statusCode, res.body).toBe(200);
          const answer = res.json() as ReportResult;
          expect(reportResultSchema.parse(answer)).toEqual(answer);
          const { result } = await service.download(actor, id, { ...f, days: f.days ?? 60 }, 'en');
          // What the route sent before: the shaped result, written with JSON.stringify.
          const shaped = JSON.parse(JSON.stringify(result)) as ReportResult;
          expect({ ...answer, generatedAt: '' }, `${tenant.institution.name}: ${urlOf(id, f)}`).toStrictEqual({
            ...shaped,
            generatedAt: '',
          });
          compared++;
        }
      }
    }
    expect(compared).toBe(2 * REPORT_IDS.length * 10);
  });

  it('have rows of every report to compare, with each kind of value', async () => {
    const { tenant } = await richTenant();
    const rows = async (id: string, query = '') => {
      const res = await tenant.siteAdmin.request('GET', `/api/v1/reports/${id}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as ReportResult).rows;
    };
    for (const id of REPORT_IDS) expect((await rows(id)).length, id).toBeGreaterThan(0);
    const matrix = await rows('approved-by-grade');
    const maple = matrix.find((r) => r.app === 'Maple "Math" \\ Pro')!;
    expect(Object.keys(maple)).toEqual(['id', 'app', 'vendor', 'status', 'grades']);
    expect(maple).toMatchObject({ vendor: 'Érable Ltée' });
    expect(maple.grades).toEqual(expect.arrayContaining(['3', '4']));
    expect(maple.grades).not.toContain('K');
    expect((await rows('reviews-due')).map((r) => r.nextReviewOn)).toContain(null);
    expect((await rows('vendors')).map((r) => r.vendor)).toContain('(no vendor)');
    expect((await rows('data-storage')).map((r) => r.location).sort()).toEqual(
      expect.arrayContaining(['canada', 'elsewhere', 'unknown', 'us']),
    );
    expect((await rows('risk-register')).map((r) => r.residualLevel)).toContain(null);
    expect((await rows('stale-evidence')).map((r) => r.oldestSeenOn)).toContain(null);
    expect((await rows('sensitive-under-13')).find((r) => r.vendor === 'Ünïcödé')?.grades).toEqual(['K', '1', '7']);
  });
});
