import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, institutions, inventoryItems } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildTenantWithUsers, type Client } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { addMonths, nextReviewAfterApproval, systemMoveExpiredAgreements, today } from './decision-rules.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
const db = () => t.database.db;
let n = 0;

async function addApp(c: Client, body: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const res = await c.request('POST', '/api/v1/inventory', { custom: { name: `Rule App ${++n}` }, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Assesses the app (a blank PIA), submits and decides it: the inventory item follows. */
async function assessAndDecide(tenant: Tenant, itemId: string, decision: 'approved' | 'rejected', extra: Record<string, unknown> = {}) {
  const created = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: itemId });
  expect(created.statusCode, created.body).toBe(201);
  const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${created.json().id}/submit`, {
    version: created.json().version,
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const decided = await tenant.approver.request('POST', `/api/v1/assessments/${created.json().id}/decide`, {
    version: submitted.json().version,
    decision,
    ...extra,
  });
  expect(decided.statusCode, decided.body).toBe(200);
  return decided.json();
}

const item = async (id: string) => (await withSystem(db(), (tx) => tx.select().from(inventoryItems).where(eq(inventoryItems.id, id))))[0]!;

async function publish(tenant: Tenant): Promise<string> {
  const slug = `rules-${Date.now().toString(36)}-${++n}`;
  const res = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { publicSlug: slug });
  expect(res.statusCode, res.body).toBe(200);
  return slug;
}
const publicNames = async (slug: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/public/lists/${slug}` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().apps as { name: string }[]).map((a) => a.name).sort();
};

describe('decision rules', () => {
  it('are on for a new institution and set by its site admins only, field by field', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const got = await tenant.siteAdmin.request('GET', `/api/v1/institutions/${tenant.institution.id}`);
    expect(got.json().decisionRules).toEqual({
      requireApprovedPia: true,
      expiredAgreement: 'needs_review',
      reviewIntervalMonths: 12,
      evidenceReviewMonths: 12,
    });

    const rules = { requireApprovedPia: false, expiredAgreement: 'keep', reviewIntervalMonths: 24 };
    const byAppAdmin = await tenant.approver.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { decisionRules: rules });
    expect(byAppAdmin.statusCode).toBe(403);
    for (const [bad, field] of [
      [{ ...rules, reviewIntervalMonths: 0 }, 'decisionRules.reviewIntervalMonths'],
      [{ ...rules, reviewIntervalMonths: 61 }, 'decisionRules.reviewIntervalMonths'],
      [{ ...rules, reviewIntervalMonths: 1.5 }, 'decisionRules.reviewIntervalMonths'],
      [{ ...rules, expiredAgreement: 'delete' }, 'decisionRules.expiredAgreement'],
      [{ requireApprovedPia: false }, 'decisionRules.expiredAgreement'],
    ] as const) {
      const res = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { decisionRules: bad });
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}), JSON.stringify(bad)).toContain(field);
    }
    const unchanged = await withSystem(db(), (tx) => tx.select().from(institutions).where(eq(institutions.id, tenant.institution.id)));
    expect(unchanged[0]).toMatchObject({ requireApprovedPia: true, expiredAgreement: 'needs_review', reviewIntervalMonths: 12 });

    const saved = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, { decisionRules: rules });
    expect(saved.statusCode, saved.body).toBe(200);
    // Left out, the evidence review period keeps its value.
    expect(saved.json().decisionRules).toEqual({ ...rules, evidenceReviewMonths: 12 });
    const events = await withSystem(db(), (tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.recordId, tenant.institution.id)).orderBy(auditEvents.id),
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'institution.update',
      changes: expect.objectContaining({ reviewIntervalMonths: { before: 12, after: 24 } }),
    });
  });

  it('approve or list an app only with an approved PIA, when the rule is on', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const slug = await publish(tenant);

    const listedAtOnce = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Listed At Once' }, isPublic: true });
    expect(listedAtOnce.statusCode).toBe(400);
    expect(listedAtOnce.json().error.fields).toEqual({ isPublic: 'needs an approved privacy impact assessment' });

    const app = await addApp(tenant.appAdmin);
    const review = await tenant.appAdmin.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: app.version,
      status: 'in_review',
    });
    expect(review.statusCode, review.body).toBe(200);
    // The page is told: no approval button, and why.
    expect(review.json()).toMatchObject({ approvalNeedsPia: true, allowedTransitions: ['not_approved', 'requested'] });
    const direct = await tenant.approver.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: review.json().version,
      status: 'approved',
    });
    expect(direct.statusCode).toBe(400);
    expect(direct.json().error.fields).toEqual({ status: 'needs an approved privacy impact assessment' });
    const listed = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${app.id}`, {
      version: review.json().version,
      isPublic: true,
    });
    expect(listed.statusCode).toBe(400);
    expect(listed.json().error.fields).toEqual({ isPublic: 'needs an approved privacy impact assessment' });
    expect(await item(app.id)).toMatchObject({ status: 'in_review', isPublic: false, version: review.json().version });

    // A rejected PIA does not count either.
    const rejectedApp = await addApp(tenant.appAdmin);
    await assessAndDecide(tenant, rejectedApp.id, 'rejected');
    const afterReject = await item(rejectedApp.id);
    expect(afterReject.status).toBe('not_approved');
    const reviewAgain = await tenant.appAdmin.request('POST', `/api/v1/inventory/${rejectedApp.id}/transition`, {
      version: afterReject.version,
      status: 'in_review',
    });
    const overrule = await tenant.approver.request('POST', `/api/v1/inventory/${rejectedApp.id}/transition`, {
      version: reviewAgain.json().version,
      status: 'approved',
    });
    expect(overrule.statusCode).toBe(400);

    // Through its assessment the app is approved, then may be listed.
    const pia = await assessAndDecide(tenant, app.id, 'approved');
    const approved = await item(app.id);
    expect(approved.status).toBe('approved');
    const page = await tenant.appAdmin.request('GET', `/api/v1/inventory/${app.id}`);
    expect(page.json()).toMatchObject({ approvalNeedsPia: false, allowedTransitions: ['in_review', 'needs_review', 'retired'] });
    const nowListed = await tenant.appAdmin.request('PATCH', `/api/v1/inventory/${app.id}`, { version: approved.version, isPublic: true });
    expect(nowListed.statusCode, nowListed.body).toBe(200);
    expect(await publicNames(slug)).toEqual([nowListed.json().name]);

    // A new revision rejected ends the approval: the app cannot be approved again by hand.
    const reopened = await tenant.appAdmin.request('POST', `/api/v1/assessments/${pia.id}/reopen`, { version: pia.version });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const resubmitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${pia.id}/submit`, { version: reopened.json().version });
    const rejected = await tenant.approver.request('POST', `/api/v1/assessments/${pia.id}/decide`, {
      version: resubmitted.json().version,
      decision: 'rejected',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const afterSecond = await item(app.id);
    expect(afterSecond.status).toBe('not_approved');
    const reviewThird = await tenant.appAdmin.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: afterSecond.version,
      status: 'in_review',
    });
    const byHand = await tenant.approver.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: reviewThird.json().version,
      status: 'approved',
    });
    expect(byHand.statusCode).toBe(400);
    expect(await publicNames(slug)).toEqual([]);

    // With the rule off, an approval needs no PIA.
    await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, {
      decisionRules: { requireApprovedPia: false, expiredAgreement: 'needs_review', reviewIntervalMonths: 12 },
    });
    const other = await addApp(tenant.appAdmin);
    const otherReview = await tenant.appAdmin.request('POST', `/api/v1/inventory/${other.id}/transition`, {
      version: other.version,
      status: 'in_review',
    });
    const otherApproved = await tenant.approver.request('POST', `/api/v1/inventory/${other.id}/transition`, {
      version: otherReview.json().version,
      status: 'approved',
    });
    expect(otherApproved.statusCode, otherApproved.body).toBe(200);
  });

  it('keeps off the public list an app approved without a PIA before the rule was turned on', async () => {
    const tenant = await buildTenantWithUsers(t.app, db(), { requireApprovedPia: false });
    const slug = await publish(tenant);
    const app = await addApp(tenant.appAdmin, { isPublic: true });
    const review = await tenant.appAdmin.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: app.version,
      status: 'in_review',
    });
    const approved = await tenant.approver.request('POST', `/api/v1/inventory/${app.id}/transition`, {
      version: review.json().version,
      status: 'approved',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(await publicNames(slug)).toEqual([approved.json().name]);
    const on = await tenant.siteAdmin.request('PATCH', `/api/v1/institutions/${tenant.institution.id}`, {
      decisionRules: { requireApprovedPia: true, expiredAgreement: 'keep', reviewIntervalMonths: 12 },
    });
    expect(on.statusCode, on.body).toBe(200);
    expect(await publicNames(slug)).toEqual([]);
  });

  it('sets the next review on approval: the interval from today, or a later date already set; never in the past', async () => {
    const tenant = await buildTenantWithUsers(t.app, db(), { requireApprovedPia: false, reviewIntervalMonths: 6 });
    const day = today();
    // An app approved with a past review date is not overdue once approved.
    const past = await addApp(tenant.appAdmin, { nextReviewOn: '2020-01-01' });
    const r1 = await tenant.appAdmin.request('POST', `/api/v1/inventory/${past.id}/transition`, {
      version: past.version,
      status: 'in_review',
    });
    const a1 = await tenant.approver.request('POST', `/api/v1/inventory/${past.id}/transition`, {
      version: r1.json().version,
      status: 'approved',
    });
    expect(a1.json().nextReviewOn).toBe(addMonths(day, 6));
    const later = addMonths(day, 30);
    const future = await addApp(tenant.appAdmin, { nextReviewOn: later });
    const r2 = await tenant.appAdmin.request('POST', `/api/v1/inventory/${future.id}/transition`, {
      version: future.version,
      status: 'in_review',
    });
    const a2 = await tenant.approver.request('POST', `/api/v1/inventory/${future.id}/transition`, {
      version: r2.json().version,
      status: 'approved',
    });
    expect(a2.json().nextReviewOn).toBe(later);

    // Through a PIA: the approver's date, else the interval; a date not after today is refused.
    const viaPia = await addApp(tenant.appAdmin, { nextReviewOn: '2021-03-01' });
    await assessAndDecide(tenant, viaPia.id, 'approved');
    expect((await item(viaPia.id)).nextReviewOn).toBe(addMonths(day, 6));
    const chosen = await addApp(tenant.appAdmin);
    await assessAndDecide(tenant, chosen.id, 'approved', { nextReviewOn: addMonths(day, 3) });
    expect((await item(chosen.id)).nextReviewOn).toBe(addMonths(day, 3));
    const pastChoice = await addApp(tenant.appAdmin);
    const created = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: pastChoice.id });
    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${created.json().id}/submit`, {
      version: created.json().version,
    });
    const refused = await tenant.approver.request('POST', `/api/v1/assessments/${created.json().id}/decide`, {
      version: submitted.json().version,
      decision: 'approved',
      nextReviewOn: day,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({ nextReviewOn: 'must be after today' });
    expect((await item(pastChoice.id)).status).toBe('in_review');
  });

  it('moves approved apps whose agreement expired to "needs review", off the public list, once, audited; "keep" leaves them', async () => {
    const ruled = await buildTenantWithUsers(t.app, db(), { requireApprovedPia: false });
    const kept = await buildTenantWithUsers(t.app, db(), { requireApprovedPia: false, expiredAgreement: 'keep' });
    const slug = await publish(ruled);
    const day = today();
    const yesterday = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

    async function approvedApp(tenant: Tenant, agreementExpiresOn: string | null) {
      const app = await addApp(tenant.appAdmin, { isPublic: true, agreementExpiresOn });
      const review = await tenant.appAdmin.request('POST', `/api/v1/inventory/${app.id}/transition`, {
        version: app.version,
        status: 'in_review',
      });
      const approved = await tenant.approver.request('POST', `/api/v1/inventory/${app.id}/transition`, {
        version: review.json().version,
        status: 'approved',
      });
      expect(approved.statusCode, approved.body).toBe(200);
      return approved.json() as { id: string; name: string };
    }
    const expired = await approvedApp(ruled, yesterday);
    const endsToday = await approvedApp(ruled, day);
    const open = await approvedApp(ruled, null);
    const keptExpired = await approvedApp(kept, yesterday);

    // The list leaves the expired app out at once, before the daily job.
    expect(await publicNames(slug)).toEqual([endsToday.name, open.name].sort());

    const moved = await systemMoveExpiredAgreements(db(), day);
    expect(moved).toBeGreaterThanOrEqual(1);
    expect((await item(expired.id)).status).toBe('needs_review');
    expect((await item(endsToday.id)).status).toBe('approved');
    expect((await item(open.id)).status).toBe('approved');
    expect((await item(keptExpired.id)).status).toBe('approved');
    const events = await withSystem(db(), (tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.recordId, expired.id)).orderBy(auditEvents.seq),
    );
    const last = events.at(-1)!;
    expect(last).toMatchObject({ action: 'inventory.transition', tenantId: ruled.institution.id, actorLabel: 'system:agreement-expiry' });
    expect(JSON.stringify(last.changes)).toContain(`The agreement expired on ${yesterday}`);

    // Run again: nothing more moves.
    const again = await systemMoveExpiredAgreements(db(), day);
    const eventsAgain = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, expired.id)));
    expect(eventsAgain).toHaveLength(events.length);
    expect(again).toBe(0);

    // A review puts it back: the agreement renewed, the approver approves again; the job leaves it.
    const current = await item(expired.id);
    const agreement = await ruled.appAdmin.request('PATCH', `/api/v1/inventory/${expired.id}`, {
      version: current.version,
      agreementExpiresOn: addMonths(day, 12),
    });
    expect(agreement.statusCode, agreement.body).toBe(200);
    const renewed = await ruled.approver.request('POST', `/api/v1/inventory/${expired.id}/transition`, {
      version: agreement.json().version,
      status: 'approved',
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(await systemMoveExpiredAgreements(db(), day)).toBe(0);
    expect(await publicNames(slug)).toEqual([endsToday.name, open.name, expired.name].sort());
  });

  it('computes review dates across month ends', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2027-11-15', 3)).toBe('2028-02-15');
    expect(addMonths('2027-05-10', 12)).toBe('2028-05-10');
    expect(nextReviewAfterApproval({ reviewIntervalMonths: 12 }, '2027-05-11', '2027-05-10')).toBe('2027-05-11');
    expect(nextReviewAfterApproval({ reviewIntervalMonths: 12 }, '2027-05-10', '2027-05-10')).toBe('2028-05-10');
    expect(nextReviewAfterApproval({ reviewIntervalMonths: 12 }, null, '2027-05-10')).toBe('2028-05-10');
  });
});
