import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentAnswers, assessmentMerges, assessments, auditEvents, inventoryItems, piaUpdateNotices, users } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { SAMPLE_TEMPLATE_FR, sampleSections, uniqueSlug } from '../../../../test/support/pia.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { extractText, getDocumentProxy } from 'unpdf';
import i18next from 'i18next';
import { fr } from '../../../web/i18n/fr.js';
import { ApiError } from '../../../web/lib/api.js';
import { translateFields } from '../../../web/lib/field-messages.js';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
const db = () => t.database.db;

/** Creates and publishes a template (version 1) as the operator; returns the template and version. */
async function publishTemplate(sections = sampleSections(), catalogAppId: string | null = null) {
  const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Test PIA', catalogAppId, jurisdictions: ['BC'], fr: SAMPLE_TEMPLATE_FR });
  expect(created.statusCode, created.body).toBe(201);
  const template = created.json() as Json;
  const draft = template.versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog: 'First version', sections });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return { template, version: published.json() as Json };
}

/** A tenant with an inventory item (a catalog app) and an assessment adopted from a fresh template. */
async function adopted(itemFields: Json = {}) {
  const tenant = await buildTenantWithUsers(t.app, db());
  const app = await buildCatalogApp(db(), { name: `Mathsy ${uniqueSlug('x')}` });
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: app.id, grades: ['3', '4'], audiences: ['students'], purpose: 'Math practice', ...itemFields });
  expect(item.statusCode, item.body).toBe(201);
  const { template, version } = await publishTemplate(sampleSections(), app.id);
  const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: version.id });
  expect(res.statusCode, res.body).toBe(201);
  return { tenant, item: item.json() as Json, template, version, assessment: res.json() as Json };
}

const question = (a: Json, key: string): Json => a.revision.sections.flatMap((s: Json) => s.questions).find((q: Json) => q.key === key);
const snapshot = () =>
  withSystem(db(), async (tx) => ({
    answers: (await tx.select().from(assessmentAnswers)).map((r) => [r.questionId, r.version, JSON.stringify(r.value)].join('|')).sort(),
    assessments: (await tx.select().from(assessments)).map((r) => [r.id, r.version, r.status].join('|')).sort(),
    items: (await tx.select().from(inventoryItems)).map((r) => [r.id, r.version, r.status].join('|')).sort(),
    audit: (await tx.select().from(auditEvents)).filter((e) => e.recordType === 'assessment' || e.recordType === 'inventory_item').length,
  }));

describe('the master bank', () => {
  it('creates, edits and publishes a version; a published version never changes', async () => {
    const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Bank test', jurisdictions: ['ON', 'US-generic'], fr: SAMPLE_TEMPLATE_FR });
    expect(created.statusCode, created.body).toBe(201);
    const draft = created.json().versions[0];
    expect(draft).toMatchObject({ number: 1, status: 'draft' });

    const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog: 'First', sections: sampleSections() });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().sections[1].questions.map((q: Json) => q.kind)).toContain('table_rows');
    const stale = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale');

    const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
    expect(published.json()).toMatchObject({ status: 'published', number: 1, changes: [] });
    const edit = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: published.json().version, sections: [] });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('read_only');
    const again = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: published.json().version });
    expect(again.json().error.code).toBe('invalid_transition');

    const v2 = await operator.request('POST', `/api/v1/bank/templates/${created.json().id}/versions`);
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ number: 2, status: 'draft' });
    expect(v2.json().sections).toHaveLength(2);
    const twoDrafts = await operator.request('POST', `/api/v1/bank/templates/${created.json().id}/versions`);
    expect(twoDrafts.json().error.code).toBe('conflict');
  });

  it('refuses bad content field by field', async () => {
    const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Bad content' });
    const draft = created.json().versions[0];
    const sections = sampleSections();
    sections[0]!.questions[1]!.preAnswer = 'maybe';
    sections[1]!.questions[0]!.condition = { questionKey: 'nowhere', anyOf: ['yes'] };
    sections[1]!.questions[1]!.key = 'screen.personal';
    sections[1]!.questions[2]!.options = {};
    const res = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual([
      'sections.0.questions.1.preAnswer',
      'sections.1.questions.0.condition.questionKey',
      'sections.1.questions.1.key',
      'sections.1.questions.2.options',
      'sections.1.questions.2.preAnswer',
    ]);
    // Each field message has a stable code, and the values it names, for the web app to translate.
    expect(res.json().error.fieldCodes).toEqual({
      'sections.0.questions.1.preAnswer': 'answer_shape',
      'sections.1.questions.0.condition.questionKey': 'condition_not_earlier',
      'sections.1.questions.1.key': 'duplicate_question_key',
      'sections.1.questions.2.options': 'choices_required',
      'sections.1.questions.2.preAnswer': 'answer_not_a_choice',
    });
    expect(res.json().error.fieldParams).toEqual({ 'sections.0.questions.1.preAnswer': { kind: 'yes_no_unsure' } });
    const dup = await operator.request('POST', '/api/v1/bank/templates', { slug: created.json().slug, title: 'Again' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fieldCodes).toEqual({ slug: 'key_taken' });

    // Schema checks carry codes too: a title too long, a field nobody knows, a repeated jurisdiction.
    const bad = sampleSections();
    bad[0]!.title = 'x'.repeat(301);
    (bad[0]!.questions[0] as Json).colour = 'red';
    bad[0]!.questions[0]!.jurisdictions = ['BC', 'BC'];
    const schema = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections: bad });
    expect(schema.statusCode).toBe(400);
    expect(schema.json().error).toMatchObject({
      fieldCodes: { 'sections.0.title': 'too_long', 'sections.0.questions.0.colour': 'unknown_field', 'sections.0.questions.0.jurisdictions': 'repeated_value' },
      fieldParams: { 'sections.0.title': { maximum: 300 } },
    });

    // The operator's editor shows them in French (English for a code it does not know).
    const french = i18next.createInstance();
    await french.init({ resources: { fr: { translation: fr } }, lng: 'fr', interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
    const shown = translateFields(french, new ApiError(400, { ...res.json().error, fieldCodes: { ...res.json().error.fieldCodes, 'sections.1.questions.1.key': 'no_such_code' } }));
    expect(shown).toEqual({
      'sections.0.questions.1.preAnswer': 'Ne convient pas à une question de type « Oui / non / incertain »',
      'sections.1.questions.0.condition.questionKey': 'Doit être la clé d’une question précédente',
      'sections.1.questions.1.key': 'is used by another question',
      'sections.1.questions.2.options': 'Une question à choix demande au moins un choix',
      'sections.1.questions.2.preAnswer': 'Doit être l’un des choix de cette question',
    });
    expect(translateFields(french, new ApiError(400, schema.json().error))['sections.0.title']).toBe('Utilisez au plus 300 caractères');
  });

  it('is curated by the operator only; institutions read published versions only', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const denied = await tenant.siteAdmin.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Mine' });
    expect(denied.statusCode).toBe(403);
    const hidden = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Unpublished' });
    const draftId = hidden.json().versions[0].id;
    expect((await tenant.appAdmin.request('GET', `/api/v1/bank/versions/${draftId}`)).statusCode).toBe(404);
    expect((await tenant.appAdmin.request('GET', `/api/v1/bank/templates/${hidden.json().id}`)).statusCode).toBe(404);
    const { template, version } = await publishTemplate();
    const list = await tenant.appAdmin.request('GET', '/api/v1/bank/templates');
    const ids = list.json().items.map((i: Json) => i.id);
    expect(ids).toContain(template.id);
    expect(ids).not.toContain(hidden.json().id);
    const read = await tenant.appAdmin.request('GET', `/api/v1/bank/versions/${version.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().sections[0].questions[0].guidance).toBe('Names count.');
  });
});

describe('adoption and editing', () => {
  it('copies the version with its pre-answers, remembers who changed each answer, and refuses stale saves', async () => {
    const { tenant, assessment: a } = await adopted();
    expect(a).toMatchObject({ status: 'draft', currentRevision: 1, baseVersionNumber: 1, update: null });
    const encryption = question(a, 'storage.encryption');
    expect(encryption.answer).toMatchObject({ value: 'aes256', origin: 'operator', version: 1, updatedBy: null });
    expect(question(a, 'screen.under13_detail').isShown).toBe(false);

    const saved = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${encryption.id}`, { value: 'none', version: 1 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().answer).toMatchObject({ value: 'none', origin: 'institution', version: 2, updatedBy: { id: tenant.appAdmin.user.id } });
    expect(saved.json().assessmentVersion).toBe(a.version + 1);

    const stale = await tenant.siteAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${encryption.id}`, { value: 'aes256', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'stale' });
    expect(stale.json().error.message).toMatch(/Someone else changed this answer/);

    const under13 = question(a, 'screen.under13');
    await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${under13.id}`, { value: 'yes', version: 0 });
    const again = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(question(again, 'screen.under13_detail').isShown).toBe(true);
    expect(question(again, 'storage.encryption').answer.value).toBe('none');

    // Every kind takes its own shape.
    const good: [string, unknown][] = [
      ['storage.countries', ['CA', 'IE']],
      ['storage.elements', ['name', 'email']],
      ['storage.flows', [{ element: 'name', purpose: 'sign-in' }]],
      ['storage.evidence', { url: 'https://vendor.example/security', label: 'Security' }],
      ['storage.risk', { likelihood: 2, impact: 4 }],
      ['storage.date', '2026-01-15'],
      ['storage.multi', ['soc2']],
      ['storage.purpose', 'Practice'],
    ];
    for (const [key, value] of good) {
      const q = question(again, key);
      const res = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${q.id}`, { value, version: q.answer?.version ?? 0 });
      expect(res.statusCode, `${key}: ${res.body}`).toBe(200);
    }
  });

  it('refuses answers of the wrong kind, unknown questions and locked answers, changing nothing', async () => {
    const { tenant, assessment: a } = await adopted();
    const before = await snapshot();
    const bad: [string, unknown][] = [
      ['screen.under13', 'maybe'],
      ['storage.countries', ['Canada']],
      ['storage.encryption', 'rot13'],
      ['storage.multi', ['soc2', 'soc2']],
      ['storage.flows', [{ colour: 'red' }]],
      ['storage.risk', { likelihood: 6, impact: 1 }],
      ['storage.date', '15/01/2026'],
      ['storage.elements', ['shoe_size']],
      ['storage.evidence', { url: 'javascript:alert(1)' }],
      ['storage.purpose', 42],
    ];
    for (const [key, value] of bad) {
      const q = question(a, key);
      const res = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${q.id}`, { value, version: q.answer?.version ?? 0 });
      expect(res.statusCode, `${key}: ${res.body}`).toBe(400);
      expect(res.json().error.fields.value).toBeTruthy();
    }
    const unknown = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/00000000-0000-4000-8000-000000000000`, { value: 'yes', version: 0 });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.message).toMatch(/not part of the assessment/);
    const locked = question(a, 'screen.personal');
    const lockedSave = await tenant.siteAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${locked.id}`, { value: 'no', version: 1 });
    expect(lockedSave.statusCode).toBe(409);
    expect(lockedSave.json().error.message).toMatch(/locked/);
    const hideLocked = await tenant.siteAdmin.request('PATCH', `/api/v1/assessments/${a.id}/questions/${locked.id}`, { version: a.version, hidden: true });
    expect(hideLocked.statusCode).toBe(409);
    const reword = await tenant.siteAdmin.request('PATCH', `/api/v1/assessments/${a.id}/questions/${question(a, 'storage.purpose').id}`, { version: a.version, prompt: 'Changed' });
    expect(reword.statusCode).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it('adds own sections and questions, hides editable operator questions, and refuses duplicates and other tenants', async () => {
    const { tenant, item, version, assessment: a } = await adopted();
    const hidden = await tenant.appAdmin.request('PATCH', `/api/v1/assessments/${a.id}/questions/${question(a, 'storage.purpose').id}`, { version: a.version, hidden: true });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect(question(hidden.json(), 'storage.purpose').hidden).toBe(true);
    const section = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/sections`, { version: hidden.json().version, title: 'Board-specific checks' });
    expect(section.statusCode, section.body).toBe(201);
    const own = section.json().revision.sections.at(-1);
    expect(own).toMatchObject({ origin: 'institution', title: 'Board-specific checks' });
    const q = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/questions`, { version: section.json().version, sectionId: own.id, kind: 'yes_no_unsure', prompt: 'Reviewed by the union?' });
    expect(q.statusCode, q.body).toBe(201);
    const added = q.json().revision.sections.at(-1).questions[0];
    expect(added).toMatchObject({ origin: 'institution', prompt: 'Reviewed by the union?', answer: null });
    const badChoice = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/questions`, { version: q.json().version, sectionId: own.id, kind: 'single_choice', prompt: 'Pick' });
    expect(badChoice.statusCode).toBe(400);
    expect(badChoice.json().error.fields.options).toBeTruthy();
    const staleAdd = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/questions`, { version: a.version, sectionId: own.id, kind: 'short_text', prompt: 'Late' });
    expect(staleAdd.json().error.code).toBe('stale');

    const dup = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.id, templateVersionId: version.id });
    expect(dup.statusCode).toBe(409);

    const other = await buildTenantWithUsers(t.app, db());
    expect((await other.siteAdmin.request('GET', `/api/v1/assessments/${a.id}`)).statusCode).toBe(404);
    const cross = await other.siteAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.id, templateVersionId: version.id });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields.inventoryItemId).toBeTruthy();
    const crossAnswer = await other.siteAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${question(a, 'storage.purpose').id}`, { value: 'x', version: 0 });
    expect(crossAnswer.statusCode).toBe(404);
  });

  it('starts blank when no template is chosen', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Homegrown ${uniqueSlug()}`, vendor: 'Us' } });
    const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id });
    expect(res.statusCode, res.body).toBe(201);
    const answered = res.json().revision.sections.flatMap((s: Json) => s.questions).filter((q: Json) => q.answer);
    expect(answered).toEqual([]);
  });

  it('keeps a risk register with computed levels', async () => {
    const { tenant, assessment: a } = await adopted();
    const res = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/risks`, {
      version: a.version,
      title: 'Voice recordings kept too long',
      likelihood: 4,
      impact: 5,
      mitigation: 'Vendor deletes at year end',
      owner: 'Privacy office',
      residualLikelihood: 2,
      residualImpact: 3,
      dueOn: '2027-06-30',
    });
    expect(res.statusCode, res.body).toBe(201);
    const risk = res.json().revision.risks[0];
    expect(risk).toMatchObject({ inherentScore: 20, inherentLevel: 'critical', residualLevel: 'medium', owner: 'Privacy office', dueOn: '2027-06-30' });
    const bad = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/risks`, { version: res.json().version, title: 'x', likelihood: 0, impact: 9 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['impact', 'likelihood']);
    const upd = await tenant.appAdmin.request('PATCH', `/api/v1/assessments/${a.id}/risks/${risk.id}`, { version: res.json().version, likelihood: 1 });
    expect(upd.json().revision.risks[0]).toMatchObject({ inherentLevel: 'medium', likelihood: 1 });
    const del = await tenant.appAdmin.request('DELETE', `/api/v1/assessments/${a.id}/risks/${risk.id}`, { version: upd.json().version });
    expect(del.json().revision.risks).toEqual([]);
  });
});

describe('the review workflow', () => {
  it('submits, returns, approves; the inventory follows; the decided revision is frozen; reopening keeps it', async () => {
    const { tenant, item, assessment: a } = await adopted();
    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: a.version, comment: 'Ready' });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'in_review', inventoryStatus: 'in_review' });
    const editInReview = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${question(a, 'storage.purpose').id}`, { value: 'x', version: 0 });
    expect(editInReview.json().error.code).toBe('read_only');

    const returned = await tenant.approver.request('POST', `/api/v1/assessments/${a.id}/return`, { version: submitted.json().version, comment: 'Answer the storage questions' });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'draft', inventoryStatus: 'in_review' });
    const noComment = await tenant.approver.request('POST', `/api/v1/assessments/${a.id}/return`, { version: returned.json().version, comment: '' });
    expect(noComment.statusCode).toBe(400);

    const resubmitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: returned.json().version });
    const approved = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: resubmitted.json().version, decision: 'approved', comment: 'Fine', nextReviewOn: '2027-09-01' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', approvedRevision: 1, inventoryStatus: 'approved' });
    expect(approved.json().revision.signoffs.map((s: Json) => s.decision)).toEqual(['submitted', 'returned', 'submitted', 'approved']);
    expect(approved.json().revision.signoffs[3]).toMatchObject({ role: 'Site administrator', comment: 'Fine', userId: tenant.siteAdmin.user.id });
    const inv = await tenant.appAdmin.request('GET', `/api/v1/inventory/${item.id}`);
    expect(inv.json()).toMatchObject({ status: 'approved', nextReviewOn: '2027-09-01' });

    const frozenAnswer = await tenant.siteAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${question(a, 'storage.purpose').id}`, { value: 'x', version: 0 });
    expect(frozenAnswer.statusCode).toBe(409);
    expect(frozenAnswer.json().error.message).toMatch(/frozen/);
    const frozenRisk = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/risks`, { version: approved.json().version, title: 'x', likelihood: 1, impact: 1 });
    expect(frozenRisk.json().error.code).toBe('read_only');
    const decideTwice = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: approved.json().version, decision: 'rejected' });
    expect(decideTwice.json().error.code).toBe('invalid_transition');

    const reopened = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/reopen`, { version: approved.json().version, comment: 'Annual review' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'draft', currentRevision: 2, approvedRevision: 1, inventoryStatus: 'approved' });
    expect(reopened.json().revisions.map((r: Json) => [r.number, r.status, r.isFrozen])).toEqual([
      [2, 'draft', false],
      [1, 'approved', true],
    ]);
    const purpose = question(reopened.json(), 'storage.purpose');
    await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${purpose.id}`, { value: 'Daily practice', version: 0 });
    const r1 = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/revisions/1`);
    expect(r1.json().status).toBe('approved');
    expect(r1.json().sections[1].questions.find((q: Json) => q.key === 'storage.purpose').answer).toBeNull();
    const cmp = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/compare?from=1&to=2`);
    expect(cmp.statusCode, cmp.body).toBe(200);
    const changed = cmp.json().questions.filter((q: Json) => q.change !== 'same');
    expect(changed).toEqual([expect.objectContaining({ key: 'storage.purpose', from: null, to: 'Daily practice', change: 'changed' })]);
    expect((await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/compare?from=1&to=9`)).statusCode).toBe(404);
  });

  it('refuses decisions without the right, by a platform admin, across tenants and with stale versions, changing nothing', async () => {
    const { tenant, assessment: a } = await adopted();
    const submitted = (await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: a.version })).json();
    const before = await snapshot();

    const noRight = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved' });
    expect(noRight.statusCode).toBe(403);
    expect(noRight.json().error.message).toMatch(/approver right/);
    const noRightReturn = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/return`, { version: submitted.version, comment: 'x' });
    expect(noRightReturn.statusCode).toBe(403);

    const platform = await signIn(t.app, await buildUser(db(), { tenantId: null, role: 'platform_admin' }));
    const switched = await platform.request('PUT', '/api/v1/session/institution', { institutionId: tenant.institution.id });
    expect(switched.statusCode, switched.body).toBe(200);
    // Reading needs the institution's support grant (ADR 0007); deciding is never the operator's.
    expect((await platform.request('GET', `/api/v1/assessments/${a.id}`)).statusCode).toBe(403);
    expect((await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 1, reason: 'Review help' })).statusCode).toBe(201);
    expect((await platform.request('GET', `/api/v1/assessments/${a.id}`)).statusCode).toBe(200);
    const operatorDecides = await platform.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved' });
    expect(operatorDecides.statusCode).toBe(403);
    expect(operatorDecides.json().error.message).toMatch(/institution’s decision alone/);

    const other = await buildTenantWithUsers(t.app, db());
    const cross = await other.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved' });
    expect(cross.statusCode).toBe(404);

    const stale = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: a.version, decision: 'approved' });
    expect(stale.json().error.code).toBe('stale');
    const noConditions = await tenant.approver.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved_with_conditions' });
    expect(noConditions.statusCode).toBe(400);
    expect(noConditions.json().error.fields.conditions).toBeTruthy();
    const bogus = await tenant.approver.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'maybe' });
    expect(bogus.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);

    const withConditions = await tenant.approver.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved_with_conditions', conditions: 'First names only.' });
    expect(withConditions.statusCode, withConditions.body).toBe(200);
    expect(withConditions.json()).toMatchObject({ status: 'approved_with_conditions', inventoryStatus: 'approved_with_conditions' });
    expect(withConditions.json().revision.signoffs.at(-1)).toMatchObject({ role: 'App administrator (approver)', decision: 'approved_with_conditions' });
    const inv = await tenant.appAdmin.request('GET', `/api/v1/inventory/${a.inventoryItemId}`);
    expect(inv.json().conditionsOfUse).toBe('First names only.');
  });

  it('refuses to submit with required questions unanswered or a retired app, and rejects into "not approved"', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const item = (await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Req ${uniqueSlug()}`, vendor: 'V' } })).json();
    const sections = sampleSections();
    sections[0]!.questions[0]!.preAnswer = undefined;
    const { version } = await publishTemplate(sections);
    const a = (await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.id, templateVersionId: version.id })).json();
    const missing = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: a.version });
    expect(missing.statusCode).toBe(400);
    expect(Object.values(missing.json().error.fields)).toEqual(['"Does the app collect personal information?" needs an answer']);
    const q = question(a, 'screen.personal');
    const saved = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${q.id}`, { value: 'yes', version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);

    // A retired app must be requested again before its PIA goes to review.
    const inv = (await tenant.appAdmin.request('GET', `/api/v1/inventory/${item.id}`)).json();
    await tenant.siteAdmin.request('POST', `/api/v1/inventory/${item.id}/transition`, { version: inv.version, status: 'retired' });
    const retired = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: saved.json().assessmentVersion });
    expect(retired.statusCode).toBe(409);
    expect(retired.json().error.code).toBe('invalid_transition');
    const inv2 = (await tenant.appAdmin.request('GET', `/api/v1/inventory/${item.id}`)).json();
    await tenant.siteAdmin.request('POST', `/api/v1/inventory/${item.id}/transition`, { version: inv2.version, status: 'requested' });

    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: saved.json().assessmentVersion });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const rejected = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.json().version, decision: 'rejected', comment: 'Data leaves Canada' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', inventoryStatus: 'not_approved', approvedRevision: null });
  });
});

describe('master updates', () => {
  it('shows a question-by-question three-way diff; takes one change and keeps the institution’s edit', async () => {
    const { tenant, template, assessment: a } = await adopted();
    // The institution edits the storage answer (which version 2 also changes) and answers the purpose.
    const storage = question(a, 'storage.countries');
    const own = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${storage.id}`, { value: ['CA'], version: storage.answer.version });
    expect(own.statusCode, own.body).toBe(200);

    // Version 2: a reworded purpose question, a new pre-answer for storage, a new question, one removed.
    const draft = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    const sections = sampleSections({ storageAnswer: ['US', 'IE'], purposePrompt: 'What is the app used for in class?' });
    sections[1]!.questions = sections[1]!.questions.filter((q) => q.key !== 'storage.retired');
    sections[1]!.questions.push({ key: 'storage.subprocessors', kind: 'long_text', prompt: 'List the subprocessors', guidance: '', options: {}, required: false, locked: false, condition: null, jurisdictions: [], fr: { prompt: 'Énumérez les sous-traitants', guidance: '', choices: {}, columns: {} } });
    const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog: 'Clearer purpose question; subprocessors; storage now includes Ireland', sections });
    expect(saved.statusCode, saved.body).toBe(200);
    await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
    // The version lists what it changed since version 1, question by question.
    const v2 = (await operator.request('GET', `/api/v1/bank/versions/${draft.id}`)).json();
    expect(v2.changes.map((c: Json) => [c.key, c.change]).sort()).toEqual([
      ['storage.countries', 'modified'],
      ['storage.purpose', 'modified'],
      ['storage.retired', 'removed'],
      ['storage.subprocessors', 'added'],
    ]);

    const seen = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(seen.update).toMatchObject({ number: 2, changeLog: expect.stringContaining('subprocessors') });
    expect(seen.abilities.merge).toBe(true);
    const listed = (await tenant.appAdmin.request('GET', '/api/v1/assessments')).json();
    expect(listed.items[0].update.number).toBe(2);

    const preview = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`);
    expect(preview.statusCode, preview.body).toBe(200);
    const changes = Object.fromEntries(preview.json().changes.map((c: Json) => [c.key, c]));
    expect(Object.keys(changes).sort()).toEqual(['storage.countries', 'storage.purpose', 'storage.retired', 'storage.subprocessors']);
    expect(changes['storage.countries']).toMatchObject({ change: 'modified', conflict: true, suggested: 'keep', answer: { base: ['US'], theirs: ['US', 'IE'], ours: ['CA'], conflict: true } });
    expect(changes['storage.purpose']).toMatchObject({ change: 'modified', conflict: false, suggested: 'take' });
    expect(changes['storage.purpose'].definition.theirs.prompt).toBe('What is the app used for in class?');
    expect(changes['storage.subprocessors']).toMatchObject({ change: 'added', conflict: false });
    expect(changes['storage.retired']).toMatchObject({ change: 'removed', conflict: false });

    const before = await snapshot();
    const undecided = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, { version: seen.version, toVersionId: draft.id, decisions: [] });
    expect(undecided.statusCode).toBe(400);
    expect(undecided.json().error.fields['decisions.storage.countries']).toMatch(/conflict/);
    const unknownKey = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, { version: seen.version, toVersionId: draft.id, decisions: [{ key: 'storage.countries', action: 'keep' }, { key: 'nope', action: 'take' }] });
    expect(unknownKey.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);

    const merged = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, {
      version: seen.version,
      toVersionId: draft.id,
      decisions: [
        { key: 'storage.countries', action: 'keep' },
        { key: 'storage.purpose', action: 'take' },
        { key: 'storage.subprocessors', action: 'keep' },
        { key: 'storage.retired', action: 'take' },
      ],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const m = merged.json();
    expect(m).toMatchObject({ baseVersionNumber: 2, update: null });
    expect(question(m, 'storage.countries').answer).toMatchObject({ value: ['CA'], origin: 'institution' });
    expect(question(m, 'storage.purpose').prompt).toBe('What is the app used for in class?');
    expect(question(m, 'storage.subprocessors')).toBeUndefined();
    expect(question(m, 'storage.retired')).toBeUndefined();
    // Both sides of the conflict are kept with the merge record.
    const records = await withSystem(db(), (tx) => tx.select().from(assessmentMerges).where(eq(assessmentMerges.assessmentId, a.id)));
    expect(records).toHaveLength(1);
    const conflict = (records[0]!.decisions as Json[]).find((d) => d.key === 'storage.countries')!;
    expect(conflict).toMatchObject({ action: 'keep', conflict: true, answer: { theirs: ['US', 'IE'], ours: ['CA'] } });
    const nothingLeft = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`);
    expect(nothingLeft.statusCode).toBe(409);
  });
});

describe('update emails', () => {
  const mailsTo = (email: string, title: string) => t.smtp.messages.filter((m) => m.subject?.includes(title) && JSON.stringify(m.to).toLowerCase().includes(email.toLowerCase()));

  it('tells the adopters’ site admins and assessment owners once each, in their language, about their own institution only', async () => {
    const { tenant: a, template, version, assessment } = await adopted();
    // A second institution adopts the same template; a third does not.
    const b = await buildTenantWithUsers(t.app, db());
    const bItem = (await b.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Quillpad ${uniqueSlug()}`, vendor: 'Q' } })).json();
    const bAssessment = await b.approver.request('POST', '/api/v1/assessments', { inventoryItemId: bItem.id, templateVersionId: version.id });
    expect(bAssessment.statusCode, bAssessment.body).toBe(201);
    expect((await b.siteAdmin.request('PATCH', '/api/v1/me', { language: 'fr' })).statusCode).toBe(200);
    const c = await buildTenantWithUsers(t.app, db());
    // A disabled site admin of an adopter is not told.
    const disabled = await buildUser(db(), { tenantId: a.institution.id, role: 'site_admin' });
    await withSystem(db(), (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled.id)));

    const draft = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version, changeLog: 'Storage question reworded.' });
    expect(published.statusCode, published.body).toBe(200);
    // Publishing only queued the work.
    expect(mailsTo(a.siteAdmin.user.email, template.title)).toHaveLength(0);
    await t.jobs.runPending();
    await t.jobs.runPending();

    const [toA] = mailsTo(a.siteAdmin.user.email, template.title);
    expect(mailsTo(a.siteAdmin.user.email, template.title)).toHaveLength(1);
    expect(toA!.subject).toBe(`Version 2 of the privacy impact assessment template “${template.title}” is available`);
    expect(toA!.text).toContain(`${t.config.publicUrl}/assessments/${assessment.id}/merge`);
    expect(toA!.text).toContain('Storage question reworded.');
    expect(toA!.text).toContain(a.institution.name);
    expect(toA!.text).not.toContain(b.institution.name);
    expect(toA!.text).not.toContain(bItem.name);
    expect(toA!.text).not.toContain(bAssessment.json().id);
    // The app admin who started the assessment is told; an approver who did not is not.
    expect(mailsTo(a.appAdmin.user.email, template.title)).toHaveLength(1);
    expect(mailsTo(a.approver.user.email, template.title)).toHaveLength(0);
    expect(mailsTo(disabled.email, template.title)).toHaveLength(0);

    const toB = mailsTo(b.siteAdmin.user.email, template.title);
    expect(toB).toHaveLength(1);
    expect(toB[0]!.subject).toBe(`La version 2 du modèle d’évaluation des facteurs relatifs à la vie privée « ${template.title} » est disponible`);
    expect(toB[0]!.text).toContain(`${t.config.publicUrl}/assessments/${bAssessment.json().id}/merge`);
    expect(toB[0]!.text).toContain('Ce qui a changé');
    expect(toB[0]!.text).not.toContain(a.institution.name);
    expect(mailsTo(b.approver.user.email, template.title)).toHaveLength(1);
    expect(mailsTo(c.siteAdmin.user.email, template.title)).toHaveLength(0);

    // Each email is recorded with an audit event in the recipient's institution.
    const notices = await withSystem(db(), (tx) => tx.select().from(piaUpdateNotices).where(eq(piaUpdateNotices.versionId, draft.id)));
    expect(notices.map((n) => [n.userId, n.language]).sort()).toEqual(
      [
        [a.siteAdmin.user.id, 'en'],
        [a.appAdmin.user.id, 'en'],
        [b.siteAdmin.user.id, 'fr'],
        [b.approver.user.id, 'en'],
      ].sort(),
    );
    const events = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(and(eq(auditEvents.action, 'assessment.update_notice'), eq(auditEvents.recordId, draft.id))));
    expect(events.map((e) => e.tenantId).sort()).toEqual([a.institution.id, a.institution.id, b.institution.id, b.institution.id].sort());
  });
});

describe('update emails when mail is down', () => {
  let down: TestApp;
  beforeAll(async () => {
    // Port 1 on loopback refuses connections: every email fails.
    down = await createTestApp({ SMTP_PORT: '1' });
  });
  afterAll(async () => down?.close());

  it('still publishes, and leaves the email to be retried', async () => {
    const op = await signIn(down.app, await buildUser(down.database.db, { tenantId: null, role: 'platform_admin' }));
    const tenant = await buildTenantWithUsers(down.app, down.database.db);
    const item = (await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Retry ${uniqueSlug()}`, vendor: 'R' } })).json();
    const created = (await op.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Retry PIA', fr: SAMPLE_TEMPLATE_FR })).json();
    const v1 = created.versions[0];
    const saved = (await op.request('PUT', `/api/v1/bank/versions/${v1.id}`, { version: v1.version, sections: sampleSections() })).json();
    const p1 = (await op.request('POST', `/api/v1/bank/versions/${v1.id}/publish`, { version: saved.version })).json();
    expect((await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.id, templateVersionId: p1.id })).statusCode).toBe(201);
    const v2 = (await op.request('POST', `/api/v1/bank/templates/${created.id}/versions`)).json();
    const published = await op.request('POST', `/api/v1/bank/versions/${v2.id}/publish`, { version: v2.version });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
    await down.jobs.runPending();
    const states = await down.database.db.execute(sql`select name, state from pgboss.job where name like 'pia-update-%' order by name`);
    const rows = (states as unknown as { rows: { name: string; state: string }[] }).rows;
    // One email job per recipient (the site admin and the app admin who started the PIA), waiting to retry.
    expect(rows.filter((r) => r.name === 'pia-update-mail-v1').map((r) => r.state)).toEqual(['retry', 'retry']);
    expect(rows.filter((r) => r.name === 'pia-update-notify-v1').map((r) => r.state)).toEqual(['completed', 'completed']);
    const notices = await withSystem(down.database.db, (tx) => tx.select().from(piaUpdateNotices));
    expect(notices).toEqual([]);
  });
});

describe('outputs', () => {
  it('prints a PDF with the revision id and gives teacher and parent summaries', async () => {
    const { tenant, assessment: a } = await adopted();
    await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/risks`, { version: a.version, title: 'Over-collection', likelihood: 3, impact: 3 });
    const pdf = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf`);
    expect(pdf.statusCode, pdf.body.slice(0, 200)).toBe(200);
    expect(pdf.headers['content-type']).toMatch(/application\/pdf/);
    expect(pdf.headers['content-disposition']).toMatch(/attachment; filename="pia-.*-r1\.pdf"/);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // The document's subject names the revision id (the footer of every page does too, compressed).
    expect(pdf.rawPayload.toString('latin1')).toContain(a.revision.id);

    const teacher = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher`);
    expect(teacher.statusCode, teacher.body).toBe(200);
    expect(teacher.json().points.map((p: Json) => p.heading)).toContain('Before you use it');
    const parent = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=parent`);
    expect(parent.json()).toMatchObject({ audience: 'parent', headline: expect.stringContaining('families') });
    const other = await buildTenantWithUsers(t.app, db());
    expect((await other.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf`)).statusCode).toBe(404);
  });

  /** The text of a PDF, page by page joined. */
  const pdfText = async (payload: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(payload)), { mergePages: true })).text.replace(/\s+/g, ' ');
  const FRENCH_DATE = /\d{1,2}(er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/;

  it('writes the summaries and the PDF in French on request, or in the language the reader chose', async () => {
    const { tenant, assessment: a } = await adopted({ dataElements: ['name', 'health'] });
    await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/risks`, { version: a.version, title: 'Fuite de données', likelihood: 2, impact: 2, residualLikelihood: 1, residualImpact: 1 });
    const submitted = (await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/submit`, { version: a.version + 1, comment: 'Prête' })).json();
    const approved = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${a.id}/decide`, { version: submitted.version, decision: 'approved_with_conditions', conditions: 'Prénoms seulement.' });
    expect(approved.statusCode, approved.body).toBe(200);

    const teacher = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher&lang=fr`);
    expect(teacher.statusCode, teacher.body).toBe(200);
    const tj = teacher.json();
    expect(tj).toMatchObject({ language: 'fr', headline: expect.stringMatching(/ : ce que le personnel enseignant doit savoir$/) });
    expect(tj.points.map((p: Json) => p.heading)).toEqual(['Décision', 'Années d’études', 'Conditions d’utilisation', 'Soyez prudent avec']);
    expect(tj.points[0].text).toMatch(/est approuvée avec conditions pour utilisation à .* \(décision du /);
    expect(tj.points[0].text).toMatch(FRENCH_DATE);
    // Institution text stays as written; generated lists are French.
    expect(tj.points[2].text).toBe('Prénoms seulement.');
    expect(tj.points[3].text).toContain('renseignements sur la santé');

    const parent = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=parent&lang=fr`)).json();
    expect(parent.headline).toMatch(/un résumé pour les familles$/);
    expect(parent.points.map((p: Json) => p.heading)).toEqual(['Pourquoi l’école l’utilise', 'Renseignements utilisés', 'Notre décision', 'Questions']);
    expect(parent.points[1].text).toMatch(/nom et renseignements sur la santé\.$/);
    expect(parent.points[2].text).toContain('Le personnel enseignant respecte des conditions d’utilisation');
    const english = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=parent`)).json();
    expect(english).toMatchObject({ language: 'en', headline: expect.stringMatching(/a summary for families$/) });
    expect(english.points[1].text).toMatch(/name and health information\.$/);

    const pdf = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf?lang=fr`);
    expect(pdf.statusCode).toBe(200);
    const fr = await pdfText(pdf.rawPayload);
    for (const words of ['Évaluation des facteurs relatifs à la vie privée', 'Révision 1 · Approuvée avec conditions', 'fondée sur la version maîtresse 1', 'Conditions d’utilisation', 'Registre des risques', 'Atténuation', 'faible', 'Signatures', 'Administrateur du site', 'approuvée avec conditions', 'réponse fournie par l’opérateur', 'Oui', 'page 1 de']) {
      expect(fr, words).toContain(words);
    }
    expect(fr).toMatch(FRENCH_DATE);
    // The bank's text is in French for a French reader.
    expect(fr).toContain('L’application recueille-t-elle des renseignements personnels?');
    expect(fr).not.toContain('Does the app collect personal information?');
    for (const words of ['Risk register', 'Sign-offs', 'Revision 1', 'pre-answered', 'Site administrator', 'Approved with conditions']) expect(fr, words).not.toContain(words);
    const en = await pdfText((await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf`)).rawPayload);
    expect(en).toContain('Risk register');
    expect(en).toContain('Site administrator');

    // The reader's own choice is the default; a request can still ask for the other language.
    const chose = await tenant.appAdmin.request('PATCH', '/api/v1/me', { language: 'fr' });
    expect(chose.statusCode, chose.body).toBe(200);
    expect(chose.json().language).toBe('fr');
    expect((await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher`)).json().language).toBe('fr');
    expect((await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher&lang=en`)).json().language).toBe('en');
    expect(await pdfText((await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf`)).rawPayload)).toContain('Registre des risques');
    const unknown = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher&lang=de`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.lang).toBeTruthy();
    expect((await tenant.appAdmin.request('PATCH', '/api/v1/me', { language: 'de' })).statusCode).toBe(400);
  });
});
