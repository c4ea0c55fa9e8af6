/**
 * Vendor questionnaires through the real HTTP app, database and SMTP server: the operator invites a
 * vendor contact (the link arrives by mail), the vendor answers with evidence and submits once, the
 * operator reviews and publishes into a new bank version that carries the vendor's answers with
 * their origin and day, and an institution that adopted the template takes them through the merge.
 * Unknown, revoked and expired links are 404 naming nothing; another institution's questionnaire is
 * 404; the contact's email is found in no column of any table once it has served.
 */
import { eq, sql } from 'drizzle-orm';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, vendorAnswerFiles, vendorAnswers, vendorQuestionnaires } from '../../src/server/db/schema/index.js';
import { withSystem } from '../../src/server/platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { sampleSections, uniqueSlug } from '../support/pia.js';
import { columnsHolding } from '../support/scan.js';
import { vendorLinkExpiryJob } from '../../src/server/modules/vendors/index.js';
import { createTestApp, settleOutbox, type TestApp } from '../support/test-app.js';

/** The largest file these tests allow (small, so a file over it is quick to send). */
const FILE_MAX = 64 * 1024;
let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp({ ATTACHMENT_MAX_BYTES: String(FILE_MAX) });
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
const db = () => t.database.db;
const page = (token: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/public/vendor-questionnaire?token=${encodeURIComponent(token)}` });
const answer = (payload: Json) => t.app.inject({ method: 'PUT', url: '/api/v1/public/vendor-questionnaire/answers', payload });
const submit = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/public/vendor-questionnaire/submit', payload: { token } });

async function publishTemplate(catalogAppId: string | null = null) {
  const created = await operator.request('POST', '/api/v1/bank/templates', {
    slug: uniqueSlug('vq'),
    title: 'Vendor PIA',
    fr: { title: 'EFVP du fournisseur', description: '' },
    catalogAppId,
    jurisdictions: ['BC'],
  });
  expect(created.statusCode, created.body).toBe(201);
  const template = created.json() as Json;
  const draft = template.versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, {
    version: draft.version,
    changeLog: 'First version',
    sections: sampleSections(),
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return { template, version: published.json() as Json };
}

/** Invites `email` as `who`; returns the questionnaire and the link's token, read from the mail received. */
async function invite(who: Client, body: Json, email: string) {
  const res = await who.request('POST', '/api/v1/vendor-questionnaires', {
    email,
    productName: 'Mathsy',
    vendorName: 'Mathsy Inc.',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  await settleOutbox(t);
  const mail = await t.smtp.waitFor(email, 20_000);
  const link = /https?:\/\/\S+\/vendor\?token=([A-Za-z0-9_%-]+)/.exec(mail.text ?? '');
  expect(link, mail.text).not.toBeNull();
  return { questionnaire: res.json() as Json, token: decodeURIComponent(link![1]!), mail };
}

const evidence = {
  evidenceUrl: 'https://mathsy.example.com/privacy',
  evidenceQuote: 'We store data in Canada.',
  evidenceSeenOn: '2026-11-30',
};

describe('the operator’s questionnaire, from invitation to the bank and an adopted copy', () => {
  it('invites, answers with evidence, submits once, reviews, publishes, and merges into an adopter', async () => {
    const app = await buildCatalogApp(db(), { name: `Mathsy ${uniqueSlug('a')}` });
    const { template } = await publishTemplate(app.id);
    // An institution adopts version 1 before the vendor answers.
    const tenant = await buildTenantWithUsers(t.app, db());
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Math practice',
    });
    const v1 = (await operator.request('GET', `/api/v1/bank/templates/${template.id}`)).json().latestPublished;
    const adopted = await tenant.appAdmin.request('POST', '/api/v1/assessments', {
      inventoryItemId: item.json().id,
      templateVersionId: v1.id,
    });
    expect(adopted.statusCode, adopted.body).toBe(201);

    const email = `privacy.${uniqueSlug('c')}@mathsy.example.com`;
    const { questionnaire: q, token, mail } = await invite(operator, { templateId: template.id, language: 'fr' }, email);
    expect(mail.subject).toContain('Questionnaire sur la protection des renseignements personnels');
    expect(q).toMatchObject({ scope: 'bank', status: 'open', linkServes: true, awaitsContact: true, templateVersionNumber: 1 });
    // Only the keyed hash of the link and the sealed email are stored.
    expect(await columnsHolding(db(), token)).toEqual([]);
    expect(await columnsHolding(db(), email)).toEqual([]);

    // The vendor's page: the product and the questions, nothing of any institution.
    const first = await page(token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ productName: 'Mathsy', status: 'open', language: 'fr' });
    expect(first.body).not.toContain(tenant.institution.name);
    expect(first.headers['set-cookie']).toBeUndefined();

    // 400 per field, nothing written.
    const bad = await answer({
      token,
      questionKey: 'storage.countries',
      value: ['Canada'],
      evidenceUrl: 'javascript:alert(1)',
      evidenceSeenOn: '2026-13-40',
      version: 0,
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['evidenceUrl', 'evidenceSeenOn']));
    const badValue = await answer({ token, questionKey: 'storage.countries', value: ['Canada'], version: 0 });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().error.fields).toHaveProperty('value');
    const unknownKey = await answer({ token, questionKey: 'nope', value: 'x', version: 0 });
    expect(unknownKey.json().error.fields).toHaveProperty('questionKey');
    expect(await withSystem(db(), (tx) => tx.select().from(vendorAnswers).where(eq(vendorAnswers.questionnaireId, q.id)))).toEqual([]);

    // Saved as the vendor goes, with the version rules of autosave.
    const saved = await answer({ token, questionKey: 'storage.countries', value: ['CA'], ...evidence, version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(1);
    expect((await answer({ token, questionKey: 'storage.countries', value: ['CA', 'US'], ...evidence, version: 0 })).statusCode).toBe(409);
    expect((await answer({ token, questionKey: 'storage.encryption', value: 'none', version: 0 })).statusCode).toBe(200);
    // Submitting needs the evidence of every answer (and every required question answered).
    const early = await submit(token);
    expect(early.statusCode).toBe(400);
    expect(Object.keys(early.json().error.fields).sort()).toEqual(['answers.screen.personal', 'answers.storage.encryption.evidence']);
    expect(
      (
        await answer({
          token,
          questionKey: 'storage.encryption',
          value: 'aes256',
          evidenceQuote: 'AES-256 at rest',
          evidenceSeenOn: '2026-11-30',
          version: 1,
        })
      ).statusCode,
    ).toBe(200);
    expect((await answer({ token, questionKey: 'screen.personal', value: 'yes', ...evidence, version: 0 })).statusCode).toBe(200);
    expect(
      (await answer({ token, questionKey: 'storage.purpose', value: 'Adaptive math practice', ...evidence, version: 0 })).statusCode,
    ).toBe(200);

    // Submitted once: the receipt mail, the email erased, the link reads only.
    const done = await submit(token);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('submitted');
    expect((await submit(token)).statusCode).toBe(409);
    expect((await answer({ token, questionKey: 'storage.purpose', value: 'Changed', ...evidence, version: 1 })).statusCode).toBe(409);
    expect(
      (await page(token))
        .json()
        .sections.flatMap((s: Json) => s.questions)
        .find((x: Json) => x.key === 'storage.countries').answer,
    ).toMatchObject({
      value: ['CA'],
      evidence: { url: evidence.evidenceUrl, quote: evidence.evidenceQuote, seenOn: '2026-11-30' },
    });
    await settleOutbox(t);
    expect(t.smtp.messages.filter((m) => JSON.stringify(m.to).includes(email)).map((m) => m.subject)).toContain('Réponses reçues : Mathsy');
    const row = (await withSystem(db(), (tx) => tx.select().from(vendorQuestionnaires).where(eq(vendorQuestionnaires.id, q.id))))[0]!;
    expect(row.contactEmailSecret).toBeNull();
    expect(await columnsHolding(db(), email)).toEqual([]);

    // The operator reviews: three accepted, one rejected with a note.
    const reviewed = await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/review`, {
      reviews: [
        { questionKey: 'storage.countries', review: 'accepted' },
        { questionKey: 'storage.encryption', review: 'accepted' },
        { questionKey: 'storage.purpose', review: 'accepted', note: 'Matches the site.' },
        { questionKey: 'screen.personal', review: 'rejected', note: 'Already answered by the operator.' },
      ],
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().answers.find((a: Json) => a.questionKey === 'screen.personal')).toMatchObject({
      review: 'rejected',
      reviewNote: 'Already answered by the operator.',
    });
    const badReview = await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/review`, {
      reviews: [{ questionKey: 'storage.risk', review: 'accepted' }],
    });
    expect(badReview.json().error.fields).toHaveProperty(['reviews.0.questionKey']);

    // Published: a new bank version with the vendor's answers, labelled with the day they were given.
    const published = await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'published', linkServes: false, awaitsContact: false });
    const versionId = published.json().publishedVersionId as string;
    const v2 = (await operator.request('GET', `/api/v1/bank/versions/${versionId}`)).json();
    const day = row.submittedAt!.toISOString().slice(0, 10);
    expect(v2).toMatchObject({ number: 2, status: 'published', changeLog: `Answered by the vendor on ${day}, reviewed by the operator.` });
    const origins = await withSystem(db(), (tx) =>
      tx.execute(
        sql`select key, pre_answer as "preAnswer", pre_answer_origin as origin from pia_template_questions where version_id = ${versionId} and pre_answer is not null order by key`,
      ),
    );
    expect((origins as unknown as { rows: Json[] }).rows).toEqual([
      { key: 'screen.personal', preAnswer: 'yes', origin: 'operator' },
      { key: 'storage.countries', preAnswer: ['CA'], origin: 'vendor' },
      { key: 'storage.encryption', preAnswer: 'aes256', origin: 'vendor' },
      { key: 'storage.purpose', preAnswer: 'Adaptive math practice', origin: 'vendor' },
    ]);
    expect((await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/publish`)).statusCode).toBe(409);
    // Each vendor pre-answer carries the vendor's day and the operator's day of review (the publication).
    const publishedRow = (
      await withSystem(db(), (tx) => tx.select().from(vendorQuestionnaires).where(eq(vendorQuestionnaires.id, q.id)))
    )[0]!;
    const reviewedOn = publishedRow.publishedAt!.toISOString().slice(0, 10);
    const provenance = { vendorAnsweredOn: day, reviewedOn };
    const bankQ = (key: string) => v2.sections.flatMap((s: Json) => s.questions).find((x: Json) => x.key === key);
    expect(bankQ('storage.countries').preAnswerProvenance).toEqual(provenance);
    expect(bankQ('storage.purpose').preAnswerProvenance).toEqual(provenance);
    expect(bankQ('screen.personal').preAnswerProvenance).toBeNull();

    // The adopter takes the new version through the three-way merge: the vendor's answers, marked as such.
    const a = adopted.json();
    const preview = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`);
    expect(preview.statusCode, preview.body).toBe(200);
    const keys = preview
      .json()
      .changes.map((c: Json) => c.key)
      .sort();
    // The encryption answer is the operator's value again, now with the vendor's evidence: a change of evidence alone.
    expect(keys).toEqual(['storage.countries', 'storage.encryption', 'storage.purpose']);
    const seen = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    const merged = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, {
      version: seen.version,
      toVersionId: versionId,
      decisions: [],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const byKey = (key: string) =>
      merged
        .json()
        .revision.sections.flatMap((s: Json) => s.questions)
        .find((x: Json) => x.key === key);
    expect(byKey('storage.countries').answer).toMatchObject({ value: ['CA'], origin: 'vendor' });
    expect(byKey('storage.purpose').answer).toMatchObject({ value: 'Adaptive math practice', origin: 'vendor' });
    expect(byKey('screen.personal').answer).toMatchObject({ origin: 'operator' });
    // The merge carries the days with the vendor's value; the operator's answer has none.
    expect(byKey('storage.countries').answer.provenance).toEqual(provenance);
    expect(byKey('storage.purpose').answer.provenance).toEqual(provenance);
    expect(byKey('screen.personal').answer.provenance).toBeNull();
    // The printed PIA says the same, with both days, in the reader's language.
    const printed = async (lang: string) => {
      const pdf = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/pdf?lang=${lang}`);
      expect(pdf.statusCode).toBe(200);
      return (await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true })).text.replace(/\s+/g, ' ');
    };
    const year = day.slice(0, 4);
    expect(await printed('en')).toMatch(
      new RegExp(`answered by the vendor on [A-Z][a-z]+ \\d{1,2}, ${year}, reviewed by the operator on [A-Z][a-z]+ \\d{1,2}, \\d{4}`),
    );
    expect(await printed('fr')).toMatch(
      new RegExp(`réponse du fournisseur du \\d{1,2}(er)? \\p{L}+ ${year}, examinée par l’opérateur le \\d{1,2}(er)? \\p{L}+ \\d{4}`, 'u'),
    );

    // An answer the institution edits by hand is now theirs: the vendor's days go with the vendor's mark.
    const countries = byKey('storage.countries');
    const edited = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${countries.id}`, {
      value: ['CA', 'US'],
      version: countries.answer.version,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().answer).toMatchObject({ origin: 'institution', provenance: null });
    const reread = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    const rereadQ = (key: string) => reread.revision.sections.flatMap((s: Json) => s.questions).find((x: Json) => x.key === key);
    expect(rereadQ('storage.countries').answer).toMatchObject({ origin: 'institution', provenance: null });
    expect(rereadQ('storage.purpose').answer.provenance).toEqual(provenance);
    const stored = await withSystem(db(), (tx) =>
      tx.execute(
        sql`select count(*)::int as n from assessment_answers where question_id = ${countries.id} and (vendor_answered_on is not null or reviewed_on is not null)`,
      ),
    );
    expect((stored as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);

    // A new adopter of version 2 gets the vendor's answers as the vendor's.
    const other = await buildTenantWithUsers(t.app, db());
    const item2 = await other.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Math',
    });
    const fresh = await other.appAdmin.request('POST', '/api/v1/assessments', {
      inventoryItemId: item2.json().id,
      templateVersionId: versionId,
    });
    expect(fresh.statusCode, fresh.body).toBe(201);
    expect(
      fresh
        .json()
        .revision.sections.flatMap((s: Json) => s.questions)
        .find((x: Json) => x.key === 'storage.encryption').answer,
    ).toMatchObject({ origin: 'vendor', provenance });

    // The audit log names the questionnaire, never the email.
    const events = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, q.id)));
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'vendor_questionnaire.invite',
        'vendor_questionnaire.answer',
        'vendor_questionnaire.submit',
        'vendor_questionnaire.review',
        'vendor_questionnaire.publish',
      ]),
    );
    expect(events.every((e) => e.tenantId === null)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(email);
  });

  it('keeps the vendor’s mark when the operator saves a draft with the pre-answer unchanged, and drops it when changed', async () => {
    const { template } = await publishTemplate();
    const email = `c.${uniqueSlug('m')}@vendor.example.com`;
    const { questionnaire: q, token } = await invite(operator, { templateId: template.id }, email);
    await answer({ token, questionKey: 'screen.personal', value: 'yes', ...evidence, version: 0 });
    await answer({ token, questionKey: 'storage.purpose', value: 'Reading', ...evidence, version: 0 });
    expect((await submit(token)).statusCode).toBe(200);
    await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/review`, {
      reviews: [{ questionKey: 'storage.purpose', review: 'accepted' }],
    });
    expect((await operator.request('POST', `/api/v1/vendor-questionnaires/${q.id}/publish`)).statusCode).toBe(200);
    const draft = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    const sections = sampleSections();
    sections[1]!.questions.find((x) => x.key === 'storage.purpose')!.preAnswer = 'Reading';
    const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections });
    expect(saved.statusCode, saved.body).toBe(200);
    const originOf = async (key: string) =>
      (
        (await withSystem(db(), (tx) =>
          tx.execute(sql`select pre_answer_origin as o from pia_template_questions where version_id = ${draft.id} and key = ${key}`),
        )) as unknown as { rows: { o: string }[] }
      ).rows[0]!.o;
    const daysOf = async (key: string) =>
      (
        (await withSystem(db(), (tx) =>
          tx.execute(
            sql`select pre_answer_vendor_answered_on::text as a, pre_answer_reviewed_on::text as r from pia_template_questions where version_id = ${draft.id} and key = ${key}`,
          ),
        )) as unknown as { rows: { a: string | null; r: string | null }[] }
      ).rows[0]!;
    expect(await originOf('storage.purpose')).toBe('vendor');
    const kept = await daysOf('storage.purpose');
    expect(kept.a).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(kept.r).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    sections[1]!.questions.find((x) => x.key === 'storage.purpose')!.preAnswer = 'Reading and writing';
    await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: saved.json().version, sections });
    expect(await originOf('storage.purpose')).toBe('operator');
    expect(await daysOf('storage.purpose')).toEqual({ a: null, r: null });
  });
});

describe('links that no longer serve, and walls', () => {
  it('answers 404 naming nothing for a wrong, revoked or expired link', async () => {
    const { template } = await publishTemplate();
    for (const wrong of ['guessed', 'A'.repeat(43)]) {
      const res = await page(wrong);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('Questionnaire not found');
    }
    const revokedMail = `r.${uniqueSlug('r')}@vendor.example.com`;
    const revoked = await invite(operator, { templateId: template.id }, revokedMail);
    expect((await page(revoked.token)).statusCode).toBe(200);
    const res = await operator.request('POST', `/api/v1/vendor-questionnaires/${revoked.questionnaire.id}/revoke`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', awaitsContact: false });
    for (const r of [
      await page(revoked.token),
      await answer({ token: revoked.token, questionKey: 'screen.personal', value: 'yes', version: 0 }),
      await submit(revoked.token),
    ]) {
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain('Mathsy');
    }
    expect(await columnsHolding(db(), revokedMail)).toEqual([]);

    const expiredMail = `e.${uniqueSlug('e')}@vendor.example.com`;
    const expired = await invite(operator, { templateId: template.id, expiresInDays: 1 }, expiredMail);
    await withSystem(db(), (tx) =>
      tx
        .update(vendorQuestionnaires)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(vendorQuestionnaires.id, expired.questionnaire.id)),
    );
    expect((await page(expired.token)).statusCode).toBe(404);
    // The daily sweep erases the expired link's email, audited, and finds nothing more the next time.
    const before = (
      await withSystem(db(), (tx) => tx.select().from(vendorQuestionnaires).where(eq(vendorQuestionnaires.id, expired.questionnaire.id)))
    )[0]!;
    expect(before.contactEmailSecret).not.toBeNull();
    // The job's definition by its name and version; its handler is the one the app registered.
    const sweep = vendorLinkExpiryJob({ systemEraseExpiredContacts: async () => 0 });
    await withSystem(db(), (tx) => t.jobs.enqueue(tx, sweep, {}));
    await t.jobs.runPending(sweep);
    const after = (
      await withSystem(db(), (tx) => tx.select().from(vendorQuestionnaires).where(eq(vendorQuestionnaires.id, expired.questionnaire.id)))
    )[0]!;
    expect(after.contactEmailSecret).toBeNull();
    expect(await columnsHolding(db(), expiredMail)).toEqual([]);
    const erased = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, expired.questionnaire.id)));
    expect(erased.map((e) => [e.action, e.actorLabel])).toContainEqual(['vendor_questionnaire.erase_email', 'system:vendor-link-expiry']);
  });

  it('keeps an institution’s questionnaires to itself: another institution’s is 404, the operator’s unseen', async () => {
    const a = await buildTenantWithUsers(t.app, db());
    const b = await buildTenantWithUsers(t.app, db());
    const { template } = await publishTemplate();
    const item = await a.siteAdmin.request('POST', '/api/v1/inventory', {
      custom: { name: `Own app ${uniqueSlug('o')}`, vendor: 'Small Co' },
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Reading',
    });
    expect(item.statusCode, item.body).toBe(201);
    const mine = await invite(
      a.siteAdmin,
      { inventoryItemId: item.json().id, templateId: template.id },
      `own.${uniqueSlug('x')}@small.example.com`,
    );
    expect(mine.questionnaire.scope).toBe('institution');
    // App admins may not invite; the operator's list does not show an institution's questionnaire.
    expect(
      (
        await a.appAdmin.request('POST', '/api/v1/vendor-questionnaires', {
          inventoryItemId: item.json().id,
          email: 'x@example.com',
          productName: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect((await operator.request('GET', '/api/v1/vendor-questionnaires')).json().items.map((i: Json) => i.id)).not.toContain(
      mine.questionnaire.id,
    );
    expect((await operator.request('GET', `/api/v1/vendor-questionnaires/${mine.questionnaire.id}`)).statusCode).toBe(404);
    for (const path of ['', '/review', '/publish', '/revoke']) {
      const res = path
        ? await b.siteAdmin.request(
            'POST',
            `/api/v1/vendor-questionnaires/${mine.questionnaire.id}${path}`,
            path === '/review' ? { reviews: [{ questionKey: 'screen.personal', review: 'accepted' }] } : undefined,
          )
        : await b.siteAdmin.request('GET', `/api/v1/vendor-questionnaires/${mine.questionnaire.id}`);
      expect(res.statusCode, `${path} ${res.body}`).toBe(404);
    }
    expect((await b.siteAdmin.request('GET', '/api/v1/vendor-questionnaires')).json().items).toEqual([]);
    // B cannot invite for A's app.
    const cross = await b.siteAdmin.request('POST', '/api/v1/vendor-questionnaires', {
      inventoryItemId: item.json().id,
      email: 'x@example.com',
      productName: 'x',
    });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields).toHaveProperty('inventoryItemId');
    // The operator names a template, an institution an app: 400 per field otherwise.
    const noTemplate = await operator.request('POST', '/api/v1/vendor-questionnaires', {
      email: 'x@example.com',
      productName: 'x',
      inventoryItemId: item.json().id,
    });
    expect(Object.keys(noTemplate.json().error.fields).sort()).toEqual(['inventoryItemId', 'templateId']);
  });
});

describe('an institution’s questionnaire for an app the bank lacks', () => {
  it('lands the accepted answers in the institution’s own PIA, origin vendor', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const { version } = await publishTemplate();
    const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', {
      custom: { name: `Tiny app ${uniqueSlug('t')}`, vendor: 'Tiny Co' },
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Reading',
    });
    const pia = await tenant.siteAdmin.request('POST', '/api/v1/assessments', {
      inventoryItemId: item.json().id,
      templateVersionId: version.id,
    });
    expect(pia.statusCode, pia.body).toBe(201);
    const email = `own.${uniqueSlug('i')}@tiny.example.com`;
    const { questionnaire: q, token } = await invite(
      tenant.siteAdmin,
      { inventoryItemId: item.json().id, templateId: version.templateId },
      email,
    );
    const p = await page(token);
    expect(p.body).not.toContain(tenant.institution.name);
    await answer({ token, questionKey: 'screen.personal', value: 'yes', ...evidence, version: 0 });
    await answer({ token, questionKey: 'storage.countries', value: ['CA'], ...evidence, version: 0 });
    expect((await submit(token)).statusCode).toBe(200);
    expect(await columnsHolding(db(), email)).toEqual([]);
    await tenant.siteAdmin.request('POST', `/api/v1/vendor-questionnaires/${q.id}/review`, {
      reviews: [
        { questionKey: 'storage.countries', review: 'accepted' },
        { questionKey: 'screen.personal', review: 'accepted' },
      ],
    });
    const published = await tenant.siteAdmin.request('POST', `/api/v1/vendor-questionnaires/${q.id}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().publishedVersionId).toBeNull();
    const after = (await tenant.siteAdmin.request('GET', `/api/v1/assessments/${pia.json().id}`)).json();
    const byKey = (key: string) => after.revision.sections.flatMap((s: Json) => s.questions).find((x: Json) => x.key === key);
    expect(byKey('storage.countries').answer).toMatchObject({ value: ['CA'], origin: 'vendor' });
    // A locked operator question keeps the operator's answer.
    expect(byKey('screen.personal').answer).toMatchObject({ origin: 'operator' });
    const events = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, q.id)));
    expect(events.every((e) => e.tenantId === tenant.institution.id)).toBe(true);
  });
});

describe('the vendor’s page in either language, and the answers counted for the reviewer', () => {
  it('reads the questions in the invitation’s language or `lang`, and counts the answers given', async () => {
    const sections = sampleSections();
    const created = await operator.request('POST', '/api/v1/bank/templates', {
      slug: uniqueSlug('vql'),
      title: 'Vendor PIA (both languages)',
      fr: { title: 'EFVP du fournisseur', description: '' },
      catalogAppId: null,
      jurisdictions: ['BC'],
    });
    const draft = (created.json() as Json).versions[0];
    const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, {
      version: draft.version,
      changeLog: 'First',
      sections,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(
      (await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version })).statusCode,
    ).toBe(200);
    const email = `c.${uniqueSlug('l')}@vendor.example.com`;
    const { questionnaire: q, token } = await invite(operator, { templateId: (created.json() as Json).id, language: 'fr' }, email);
    expect(q.answeredCount).toBe(0);

    const promptOf = (body: Json) => body.sections[0].questions.find((x: Json) => x.key === 'screen.personal').prompt as string;
    const inFrench = (await page(token)).json();
    expect(inFrench.language).toBe('fr');
    expect(inFrench.sections[0].title).toBe('Examen préliminaire');
    expect(promptOf(inFrench)).toBe('L’application recueille-t-elle des renseignements personnels?');
    const english = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/vendor-questionnaire?token=${encodeURIComponent(token)}&lang=en`,
    });
    expect(english.statusCode, english.body).toBe(200);
    expect(english.json()).toMatchObject({ language: 'en' });
    expect(promptOf(english.json())).toBe('Does the app collect personal information?');
    expect(inFrench.sections[0].questions.find((x: Json) => x.key === 'screen.personal').guidance).toBe('Les noms comptent.');
    const badLang = await t.app.inject({
      method: 'GET',
      url: `/api/v1/public/vendor-questionnaire?token=${encodeURIComponent(token)}&lang=de`,
    });
    expect(badLang.statusCode).toBe(400);
    expect(badLang.json().error.fields).toHaveProperty('lang');

    // The reviewer's list and questionnaire count what the vendor answered (a cleared answer does not count).
    await answer({ token, questionKey: 'screen.personal', value: 'yes', ...evidence, version: 0 });
    await answer({ token, questionKey: 'storage.purpose', value: 'Reading', ...evidence, version: 0 });
    await answer({ token, questionKey: 'screen.under13', value: null, version: 0 });
    const listed = (await operator.request('GET', '/api/v1/vendor-questionnaires')).json().items.find((x: Json) => x.id === q.id);
    expect(listed.answeredCount).toBe(2);
    expect((await operator.request('GET', `/api/v1/vendor-questionnaires/${q.id}`)).json().answeredCount).toBe(2);
  });
});

describe('files attached as the evidence of an answer', () => {
  const pdf = Buffer.from('%PDF-1.4\n% vendor security whitepaper marker-7731\n%%EOF\n');
  const attach = (token: string, questionKey: string, body: Buffer, fileName = 'whitepaper.pdf') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/public/vendor-questionnaire/files?token=${encodeURIComponent(token)}&questionKey=${encodeURIComponent(questionKey)}&fileName=${encodeURIComponent(fileName)}`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: body,
    });
  const fetchFile = (token: string, id: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/public/vendor-questionnaire/files/${id}?token=${encodeURIComponent(token)}` });
  const removeFile = (token: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1/public/vendor-questionnaire/files/${id}?token=${encodeURIComponent(token)}` });

  it('are checked, kept to their own questionnaire, count as evidence, and reach the reviewer', async () => {
    const { template } = await publishTemplate();
    const a = await invite(operator, { templateId: template.id }, `fa.${uniqueSlug('f')}@vendor.example.com`);
    const b = await invite(operator, { templateId: template.id }, `fb.${uniqueSlug('f')}@vendor.example.com`);
    const filesOf = async (qid: string) =>
      withSystem(db(), (tx) => tx.select().from(vendorAnswerFiles).where(eq(vendorAnswerFiles.questionnaireId, qid)));

    // Bad files: 400 on the field, nothing written.
    const html = await attach(a.token, 'screen.personal', Buffer.from('<html><script>alert(1)</script></html>'), 'paper.pdf');
    expect(html.statusCode).toBe(400);
    expect(html.json().error.fields).toHaveProperty('file');
    expect((await attach(a.token, 'screen.personal', Buffer.alloc(0))).json().error.fields).toHaveProperty('file');
    expect((await attach(a.token, 'nope', pdf)).json().error.fields).toHaveProperty('questionKey');
    const badName = await attach(a.token, 'screen.personal', pdf, '../etc/passwd');
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.fields).toHaveProperty('fileName');
    const big = await attach(a.token, 'screen.personal', Buffer.concat([pdf, Buffer.alloc(FILE_MAX)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.fields).toHaveProperty('file');
    const json = await t.app.inject({
      method: 'POST',
      url: `/api/v1/public/vendor-questionnaire/files?token=${encodeURIComponent(a.token)}&questionKey=screen.personal&fileName=x.pdf`,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(await filesOf(a.questionnaire.id)).toEqual([]);

    // A PDF, stored encrypted, listed on its own questionnaire's page only.
    const added = await attach(a.token, 'screen.personal', pdf);
    expect(added.statusCode, added.body).toBe(201);
    const file = added.json() as Json;
    expect(file).toMatchObject({
      questionKey: 'screen.personal',
      fileName: 'whitepaper.pdf',
      contentType: 'application/pdf',
      byteSize: pdf.length,
    });
    const [stored] = await filesOf(a.questionnaire.id);
    expect(stored!.content.includes(Buffer.from('marker-7731'))).toBe(false);
    expect(stored!.tenantId).toBeNull();
    const questionOf = (body: Json, key: string) => body.sections.flatMap((s: Json) => s.questions).find((x: Json) => x.key === key);
    expect(questionOf((await page(a.token)).json(), 'screen.personal').files).toEqual([file]);
    expect(questionOf((await page(b.token)).json(), 'screen.personal').files).toEqual([]);

    // Read back by its own link only; another questionnaire's link and a wrong link are 404.
    const back = await fetchFile(a.token, file.id);
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(pdf)).toBe(true);
    expect(back.headers['content-type']).toContain('application/pdf');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(back.headers['content-disposition']).toContain('attachment');
    expect((await fetchFile(b.token, file.id)).statusCode).toBe(404);
    expect((await fetchFile('guessed', file.id)).statusCode).toBe(404);
    expect((await removeFile(b.token, file.id)).statusCode).toBe(404);
    expect(await filesOf(a.questionnaire.id)).toHaveLength(1);

    // Removed and attached again by its own link.
    const second = (await attach(a.token, 'screen.personal', pdf, 'second.pdf')).json() as Json;
    expect((await removeFile(a.token, second.id)).statusCode).toBe(204);
    expect((await filesOf(a.questionnaire.id)).map((f) => f.id)).toEqual([file.id]);

    // A file stands for the link or the quotation; the day seen is still asked for.
    expect((await answer({ token: a.token, questionKey: 'screen.personal', value: 'yes', version: 0 })).statusCode).toBe(200);
    const early = await submit(a.token);
    expect(Object.keys(early.json().error.fields)).toEqual(['answers.screen.personal.evidenceSeenOn']);
    expect(
      (await answer({ token: a.token, questionKey: 'screen.personal', value: 'yes', evidenceSeenOn: '2026-11-30', version: 1 })).statusCode,
    ).toBe(200);
    expect((await submit(a.token)).statusCode).toBe(200);
    // Submitted: nothing more is attached or removed.
    expect((await attach(a.token, 'screen.personal', pdf)).statusCode).toBe(409);
    expect((await removeFile(a.token, file.id)).statusCode).toBe(409);

    // The reviewer sees and downloads it; another institution's people cannot.
    const seen = (await operator.request('GET', `/api/v1/vendor-questionnaires/${a.questionnaire.id}`)).json();
    expect(seen.answers.find((x: Json) => x.questionKey === 'screen.personal').files).toEqual([file]);
    const got = await operator.request('GET', `/api/v1/vendor-questionnaires/${a.questionnaire.id}/files/${file.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect((await operator.request('GET', `/api/v1/vendor-questionnaires/${b.questionnaire.id}/files/${file.id}`)).statusCode).toBe(404);
    const other = await buildTenantWithUsers(t.app, db());
    expect((await other.siteAdmin.request('GET', `/api/v1/vendor-questionnaires/${a.questionnaire.id}/files/${file.id}`)).statusCode).toBe(
      404,
    );

    // Audited by what describes the file, never its bytes.
    const events = await withSystem(db(), (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, a.questionnaire.id)));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['vendor_questionnaire.attach', 'vendor_questionnaire.detach']));
    expect(JSON.stringify(events)).not.toContain('marker-7731');
  });
});
