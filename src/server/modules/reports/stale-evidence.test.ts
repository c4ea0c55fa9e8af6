/**
 * The stale-evidence report: per app, the answers of its PIA's current revision whose evidence was
 * seen longer ago than the institution's review period, and those naming no source; in the
 * institution's scope only; downloadable in English and French.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportResultSchema } from '../../../contracts/reports.js';
import {
  assessmentAnswers,
  assessmentQuestions,
  assessmentRevisions,
  assessments,
  assessmentSections,
  institutions,
  inventoryItems,
} from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildTenantWithUsers } from '../../../../test/support/factories.js';
import { insertAssessment } from '../../../../test/support/report-fixtures.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
const REPORT = '/api/v1/reports/stale-evidence';
/** The calendar day `n` months before today (UTC). */
const monthsAgo = (n: number) => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
};

async function itemWithPia(tenant: Tenant, name: string, status: 'approved' | 'in_review' | 'retired' = 'approved') {
  const id = randomUUID();
  await withSystem(t.database.db, (tx) =>
    tx.insert(inventoryItems).values({ tenantId: tenant.institution.id, id, customName: name, name, vendor: `${name} Inc`, status }),
  );
  const ids = await insertAssessment(t.database.db, { tenantId: tenant.institution.id, inventoryItemId: id, text: name });
  return { id, ...ids };
}

/** Sets the evidence of the fixture's answer (question `a1`). */
async function setA1Evidence(tenantId: string, questionId: string, seenOn: string) {
  await withSystem(t.database.db, (tx) =>
    tx
      .update(assessmentAnswers)
      .set({ evidenceUrl: 'https://vendor.example/privacy', evidenceQuote: 'Privacy policy', evidenceSeenOn: seenOn })
      .where(and(eq(assessmentAnswers.tenantId, tenantId), eq(assessmentAnswers.questionId, questionId))),
  );
}

/** Adds an answered question to a fixture revision, with evidence seen on `seenOn` (null: none). */
async function addAnswer(
  tenantId: string,
  pia: { revision: string; section: string },
  key: string,
  seenOn: string | null,
  opts: { hidden?: boolean; position?: number; value?: 'none' | 'json-null' } = {},
) {
  const questionId = randomUUID();
  await withSystem(t.database.db, async (tx) => {
    await tx.insert(assessmentQuestions).values({
      tenantId,
      id: questionId,
      revisionId: pia.revision,
      sectionId: pia.section,
      key,
      origin: 'institution',
      kind: 'long_text',
      prompt: `Question ${key}`,
      hidden: opts.hidden ?? false,
      position: opts.position ?? 0,
    });
    await tx.insert(assessmentAnswers).values({
      tenantId,
      questionId,
      revisionId: pia.revision,
      value: opts.value === 'none' ? null : opts.value === 'json-null' ? sql`'null'::jsonb` : `Answer ${key}`,
      origin: 'institution',
      ...(seenOn ? { evidenceUrl: `https://vendor.example/${key}`, evidenceSeenOn: seenOn } : {}),
    });
  });
}

describe('stale evidence report', () => {
  it('lists, per app, the answers whose evidence is older than the institution’s review period or missing, in its scope only', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const tid = tenant.institution.id;
    // This institution reviews evidence every 24 months (not the default 12).
    await withSystem(t.database.db, (tx) => tx.update(institutions).set({ evidenceReviewMonths: 24 }).where(eq(institutions.id, tid)));

    const maple = await itemWithPia(tenant, 'Maple');
    await setA1Evidence(tid, maple.question, monthsAgo(30)); // stale
    await addAnswer(tid, maple, 'a2', null); // no evidence
    await addAnswer(tid, maple, 'a3', monthsAgo(18)); // within 24 months (stale under the default 12)
    await addAnswer(tid, maple, 'a4', monthsAgo(40), { hidden: true }); // a hidden question does not count
    // Every answer recent: not listed.
    const birch = await itemWithPia(tenant, 'Birch');
    await setA1Evidence(tid, birch.question, monthsAgo(1));
    // A retired app is not listed.
    const gone = await itemWithPia(tenant, 'Gone', 'retired');
    await setA1Evidence(tid, gone.question, monthsAgo(40));
    // Another institution's stale evidence never shows here.
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const elsewhere = await itemWithPia(other, 'Elsewhere');
    await setA1Evidence(other.institution.id, elsewhere.question, monthsAgo(30));

    const res = await tenant.appAdmin.request('GET', REPORT);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(reportResultSchema.parse(body)).toEqual(body);
    expect(body.report).toBe('stale-evidence');
    expect(body.rows).toEqual([
      {
        id: maple.id,
        app: 'Maple',
        vendor: 'Maple Inc',
        status: 'approved',
        assessmentId: maple.assessment,
        piaStatus: 'draft',
        answers: 3,
        staleAnswers: 1,
        withoutEvidence: 1,
        oldestSeenOn: monthsAgo(30),
        reviewMonths: 24,
        staleQuestions: ['a1'],
      },
    ]);
    expect(body.chart).toMatchObject({ kind: 'stacked-bar', data: [{ app: 'Maple', staleAnswers: 1, withoutEvidence: 1 }] });

    // The other institution sees its own app, with the default period.
    const theirs = (await other.appAdmin.request('GET', REPORT)).json();
    expect(theirs.rows.map((r: { app: string; reviewMonths: number }) => [r.app, r.reviewMonths])).toEqual([['Elsewhere', 12]]);

    // With a shorter period, the 18-month-old evidence is stale too.
    await withSystem(t.database.db, (tx) => tx.update(institutions).set({ evidenceReviewMonths: 12 }).where(eq(institutions.id, tid)));
    const shorter = (await tenant.appAdmin.request('GET', REPORT)).json();
    expect(shorter.rows[0]).toMatchObject({ app: 'Maple', staleAnswers: 2, staleQuestions: ['a1', 'a3'] });
  });

  it('orders apps by stale, then missing evidence, then name; stale questions by place then key; counts only answered questions of the current revision; applies the filters', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const tid = tenant.institution.id;
    const old = monthsAgo(30);
    // Alder: four stale answers, listed by their place in the revision, then by key.
    const alder = await itemWithPia(tenant, 'Alder');
    await setA1Evidence(tid, alder.question, old); // place 0
    await addAnswer(tid, alder, 'z9', old, { position: 1 });
    await addAnswer(tid, alder, 'b2', old, { position: 2 });
    await addAnswer(tid, alder, 'c3', old, { position: 1 });
    // Questions without an answer (no value, or a JSON null) are not counted, stale or not.
    await addAnswer(tid, alder, 'e5', old, { value: 'none' });
    await addAnswer(tid, alder, 'f6', null, { value: 'json-null' });
    // Cedar and Aspen: one stale, two without evidence each; by name between them.
    for (const name of ['Cedar', 'Aspen']) {
      const pia = await itemWithPia(tenant, name);
      await setA1Evidence(tid, pia.question, old);
      await addAnswer(tid, pia, 'n1', null);
      await addAnswer(tid, pia, 'n2', null);
    }
    // Dogwood (in review): nothing stale, one answer without evidence.
    const dogwood = await itemWithPia(tenant, 'Dogwood', 'in_review');
    await setA1Evidence(tid, dogwood.question, monthsAgo(1));
    await addAnswer(tid, dogwood, 'n1', null);
    // Elm: its first revision's evidence is stale, but the PIA is on its second revision, all recent.
    const elm = await itemWithPia(tenant, 'Elm');
    await setA1Evidence(tid, elm.question, old);
    const second = { revision: randomUUID(), section: randomUUID() };
    await withSystem(t.database.db, async (tx) => {
      await tx
        .insert(assessmentRevisions)
        .values({ tenantId: tid, id: second.revision, assessmentId: elm.assessment, number: 2, status: 'draft' });
      await tx.insert(assessmentSections).values({
        tenantId: tid,
        id: second.section,
        revisionId: second.revision,
        key: 'a',
        origin: 'operator',
        code: 'A',
        title: 'Screening',
      });
      await tx
        .update(assessments)
        .set({ currentRevision: 2 })
        .where(and(eq(assessments.tenantId, tid), eq(assessments.id, elm.assessment)));
    });
    await addAnswer(tid, second, 'a1', monthsAgo(2));

    const body = (await tenant.appAdmin.request('GET', REPORT)).json();
    expect(
      body.rows.map((r: { app: string; answers: number; staleAnswers: number; withoutEvidence: number; staleQuestions: string[] }) => [
        r.app,
        r.answers,
        r.staleAnswers,
        r.withoutEvidence,
        r.staleQuestions,
      ]),
    ).toEqual([
      ['Alder', 4, 4, 0, ['a1', 'c3', 'z9', 'b2']],
      ['Aspen', 3, 1, 2, ['a1']],
      ['Cedar', 3, 1, 2, ['a1']],
      ['Dogwood', 2, 0, 1, []],
    ]);
    expect(body.rows[0]).toMatchObject({
      id: alder.id,
      assessmentId: alder.assessment,
      oldestSeenOn: old,
      piaStatus: 'draft',
      reviewMonths: 12,
    });

    const inReview = (await tenant.appAdmin.request('GET', `${REPORT}?status=in_review`)).json();
    expect(inReview.rows.map((r: { app: string }) => r.app)).toEqual(['Dogwood']);
  });

  it('downloads in the reader’s language: French headers, question keys as they are', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const pia = await itemWithPia(tenant, 'Érable');
    await setA1Evidence(tenant.institution.id, pia.question, monthsAgo(30));
    const csv = await tenant.siteAdmin.request('GET', `${REPORT}/download?format=csv&lang=fr`);
    expect(csv.statusCode, csv.body).toBe(200);
    const records = parse(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      Application: 'Érable',
      'Statut de l’ÉFVP': 'Brouillon',
      'Preuves périmées': '1',
      'Sans preuve': '0',
      'Période de révision (mois)': '12',
      'Questions à revérifier': 'a1',
    });
    const headers = Object.keys(records[0]!).join(' | ');
    for (const english of ['Stale', 'evidence', 'Answers', 'Questions to', 'Review period']) expect(headers).not.toContain(english);
  });
});
