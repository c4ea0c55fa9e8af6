/**
 * The bank in two languages: a version is published only with every text in French; an adopted copy
 * keeps both languages of its bank text and is read in the reader's; the institution's own text stays
 * as written; the merge carries a French change; the summaries follow the reader's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import i18next from 'i18next';
import { piaTemplateVersions } from '../../db/schema/index.js';
import { withSystem } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { SAMPLE_TEMPLATE_FR, sampleSections, uniqueSlug } from '../../../../test/support/pia.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { fr as frMessages } from '../../../web/i18n/fr.js';
import { en as enMessages } from '../../../web/i18n/en.js';
import { ApiError } from '../../../web/lib/api.js';
import { translateFields } from '../../../web/lib/field-messages.js';
import { eq } from 'drizzle-orm';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
const db = () => t.database.db;
const questionOf = (body: Json, key: string): Json => (body.revision ?? body).sections.flatMap((s: Json) => s.questions).find((q: Json) => q.key === key);

/** The sample with a French text pre-answer on `storage.purpose`. */
function sections() {
  const s = sampleSections();
  const purpose = s[1]!.questions.find((q) => q.key === 'storage.purpose')!;
  purpose.preAnswer = 'Reading practice at home';
  purpose.fr = { ...purpose.fr!, preAnswer: 'Pratique de la lecture à la maison' };
  return s;
}

async function draftWith(content: ReturnType<typeof sections>, templateFr: Json | null = SAMPLE_TEMPLATE_FR) {
  const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Bilingual PIA', ...(templateFr ? { fr: templateFr } : {}) });
  expect(created.statusCode, created.body).toBe(201);
  const draft = created.json().versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog: 'First', sections: content });
  expect(saved.statusCode, saved.body).toBe(200);
  return { template: created.json() as Json, draft: saved.json() as Json };
}

async function adoptedBy(version: Json) {
  const tenant = await buildTenantWithUsers(t.app, db());
  const app = await buildCatalogApp(db(), { name: `Readly ${uniqueSlug('x')}` });
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: app.id, grades: ['3'], audiences: ['students'], purpose: 'Reading' });
  expect(item.statusCode, item.body).toBe(201);
  const res = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: version.id });
  expect(res.statusCode, res.body).toBe(201);
  return { tenant, assessment: res.json() as Json };
}

describe('the bilingual bank', () => {
  it('refuses to publish a version with a text lacking its French, naming each field in both languages, and changes nothing', async () => {
    const content = sections();
    delete content[0]!.fr;
    const personal = content[0]!.questions[0]!;
    personal.fr = { ...personal.fr!, guidance: '' };
    const encryption = content[1]!.questions.find((q) => q.key === 'storage.encryption')!;
    encryption.fr = { ...encryption.fr!, choices: { aes256: 'AES-256' } };
    const flows = content[1]!.questions.find((q) => q.key === 'storage.flows')!;
    flows.fr = { ...flows.fr!, columns: { element: 'Élément' } };
    const purpose = content[1]!.questions.find((q) => q.key === 'storage.purpose')!;
    purpose.fr = { ...purpose.fr!, preAnswer: undefined };
    delete content[1]!.questions.find((q) => q.key === 'storage.date')!.fr;
    const { draft } = await draftWith(content, null);

    const res = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version });
    expect(res.statusCode, res.body).toBe(400);
    const error = res.json().error;
    expect(Object.keys(error.fields).sort()).toEqual([
      'sections.0.fr.title',
      'sections.0.questions.0.fr.guidance',
      'sections.1.questions.1.fr.preAnswer',
      'sections.1.questions.2.fr.choices.none',
      'sections.1.questions.4.fr.columns.purpose',
      'sections.1.questions.7.fr.prompt',
      'template.fr.title',
    ]);
    expect(new Set(Object.values(error.fieldCodes))).toEqual(new Set(['french_missing']));
    // The messages read in either interface language.
    for (const [lng, messages, expected] of [
      ['fr', frMessages, 'Doit être traduit en français avant la publication de la version'],
      ['en', enMessages, 'Needs its French before the version is published'],
    ] as const) {
      const i18n = i18next.createInstance();
      await i18n.init({ resources: { [lng]: { translation: messages } }, lng, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
      expect(translateFields(i18n, new ApiError(400, error))['sections.0.fr.title']).toBe(expected);
    }
    const [row] = await withSystem(db(), (tx) => tx.select().from(piaTemplateVersions).where(eq(piaTemplateVersions.id, draft.id)));
    expect(row).toMatchObject({ status: 'draft', version: draft.version, publishedAt: null });
  });

  it('saves, copies and presents both languages of a version', async () => {
    const { template, draft } = await draftWith(sections());
    expect(draft.sections[0].fr).toEqual({ title: 'Examen préliminaire', description: '' });
    expect(questionOf(draft, 'storage.encryption').fr).toMatchObject({ prompt: 'Les données sont-elles chiffrées au repos?', choices: { aes256: 'AES-256', none: 'Non' } });
    expect(questionOf(draft, 'storage.purpose').fr.preAnswer).toBe('Pratique de la lecture à la maison');
    // A French pre-answer must fit the question's kind, and only a question whose answer holds words has one.
    const bad = sections();
    bad[0]!.questions[0]!.fr = { ...bad[0]!.questions[0]!.fr!, preAnswer: 'oui' };
    const refused = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, sections: bad });
    expect(refused.statusCode).toBe(400);
    expect(Object.keys(refused.json().error.fields)).toEqual(['sections.0.questions.0.fr.preAnswer']);

    const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version });
    expect(published.statusCode, published.body).toBe(200);
    const got = (await operator.request('GET', `/api/v1/bank/templates/${template.id}`)).json();
    expect(got.fr).toEqual(SAMPLE_TEMPLATE_FR);
    const renamed = await operator.request('PATCH', `/api/v1/bank/templates/${template.id}`, { fr: { title: 'EFVP bilingue', description: 'Les deux langues' } });
    expect(renamed.json().fr).toEqual({ title: 'EFVP bilingue', description: 'Les deux langues' });
    // The next draft starts from both languages.
    const next = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    expect(questionOf(next, 'storage.purpose').fr.preAnswer).toBe('Pratique de la lecture à la maison');
    expect(next.sections[1].fr.title).toBe('Stockage et lieu d’hébergement');
  });

  it('gives an adopted copy in the reader’s language; the institution’s own text and answers stay as written', async () => {
    const { draft } = await draftWith(sections());
    const version = (await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version })).json();
    const { tenant, assessment: a } = await adoptedBy(version);

    // English by default (no language chosen).
    const personal = questionOf(a, 'screen.personal');
    expect(personal).toMatchObject({ prompt: 'Does the app collect personal information?', guidance: 'Names count.', lang: 'en' });
    expect(a.revision.sections[0]).toMatchObject({ title: 'Screening', lang: 'en' });

    // An own question of the institution.
    const own = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/questions`, { version: a.version, sectionId: a.revision.sections[1].id, kind: 'short_text', prompt: 'Who trains the teachers?' });
    expect(own.statusCode, own.body).toBe(201);

    // A French reader (by choice on the account) reads the bank's French.
    expect((await tenant.appAdmin.request('PATCH', '/api/v1/me', { language: 'fr' })).statusCode).toBe(200);
    const inFrench = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    expect(inFrench.revision.sections.map((s: Json) => [s.title, s.lang])).toEqual([
      ['Examen préliminaire', 'fr'],
      ['Stockage et lieu d’hébergement', 'fr'],
    ]);
    expect(questionOf(inFrench, 'screen.personal')).toMatchObject({ prompt: 'L’application recueille-t-elle des renseignements personnels?', guidance: 'Les noms comptent.', lang: 'fr' });
    expect(questionOf(inFrench, 'storage.encryption').options.choices).toEqual([
      { value: 'aes256', label: 'AES-256' },
      { value: 'none', label: 'Non' },
    ]);
    expect(questionOf(inFrench, 'storage.flows').options.columns.map((c: Json) => c.label)).toEqual(['Élément', 'Finalité']);
    expect(questionOf(inFrench, 'storage.purpose').answer).toMatchObject({ value: 'Pratique de la lecture à la maison', origin: 'operator' });
    expect(questionOf(inFrench, 'storage.encryption').answer.value).toBe('aes256');
    const ownQuestion = inFrench.revision.sections[1].questions.find((q: Json) => q.origin === 'institution');
    expect(ownQuestion).toMatchObject({ prompt: 'Who trains the teachers?', lang: null });
    // The other language on request.
    const asked = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}?lang=en`)).json();
    expect(questionOf(asked, 'screen.personal')).toMatchObject({ prompt: 'Does the app collect personal information?', lang: 'en' });
    const revision = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/revisions/1`)).json();
    expect(questionOf(revision, 'screen.personal').lang).toBe('fr');

    // The institution's answer replaces the operator's in both languages.
    const purpose = questionOf(inFrench, 'storage.purpose');
    const saved = await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${purpose.id}`, { value: 'Lecture en classe', version: purpose.answer.version });
    expect(saved.statusCode, saved.body).toBe(200);
    const after = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}?lang=en`)).json();
    expect(questionOf(after, 'storage.purpose').answer).toMatchObject({ value: 'Lecture en classe', origin: 'institution' });
  });

  it('carries a French change of an untouched question into the copy through the merge', async () => {
    const { template, draft } = await draftWith(sections());
    const v1 = (await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version })).json();
    const { tenant, assessment: a } = await adoptedBy(v1);
    // The institution answers under-13 itself; version 2 changes only French text.
    const under13 = questionOf(a, 'screen.under13');
    expect((await tenant.appAdmin.request('PUT', `/api/v1/assessments/${a.id}/answers/${under13.id}`, { value: 'no', version: 0 })).statusCode).toBe(200);

    const next = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    const content = sections();
    const personal = content[0]!.questions[0]!;
    personal.fr = { ...personal.fr!, prompt: 'L’application recueille-t-elle des renseignements personnels sur les élèves?' };
    const purpose = content[1]!.questions.find((q) => q.key === 'storage.purpose')!;
    purpose.fr = { ...purpose.fr!, preAnswer: 'Pratique de la lecture à la maison et en classe' };
    const saved = await operator.request('PUT', `/api/v1/bank/versions/${next.id}`, { version: next.version, changeLog: 'Français révisé', sections: content });
    expect(saved.statusCode, saved.body).toBe(200);
    const v2 = await operator.request('POST', `/api/v1/bank/versions/${next.id}/publish`, { version: saved.json().version });
    expect(v2.statusCode, v2.body).toBe(200);
    expect(v2.json().changes.map((c: Json) => [c.key, c.change]).sort()).toEqual([
      ['screen.personal', 'modified'],
      ['storage.purpose', 'modified'],
    ]);

    const preview = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge`)).json();
    const changes = Object.fromEntries(preview.changes.map((c: Json) => [c.key, c]));
    expect(changes['screen.personal']).toMatchObject({ change: 'modified', conflict: false, suggested: 'take' });
    expect(changes['screen.personal'].definition.theirs.fr.prompt).toMatch(/sur les élèves\?$/);
    const current = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}`)).json();
    const merged = await tenant.appAdmin.request('POST', `/api/v1/assessments/${a.id}/merge`, {
      version: current.version,
      toVersionId: next.id,
      decisions: preview.changes.map((c: Json) => ({ key: c.key, action: 'take' })),
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const inFrench = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}?lang=fr`)).json();
    expect(questionOf(inFrench, 'screen.personal').prompt).toBe('L’application recueille-t-elle des renseignements personnels sur les élèves?');
    expect(questionOf(inFrench, 'storage.purpose').answer.value).toBe('Pratique de la lecture à la maison et en classe');
    // The institution's own answer is untouched; English is unchanged.
    expect(questionOf(inFrench, 'screen.under13').answer).toMatchObject({ value: 'no', origin: 'institution' });
    const inEnglish = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}?lang=en`)).json();
    expect(questionOf(inEnglish, 'screen.personal').prompt).toBe('Does the app collect personal information?');
    expect(questionOf(inEnglish, 'storage.purpose').answer.value).toBe('Reading practice at home');
  });

  it('puts a merge to a French reader in French: prompts, section titles, wording and answers, no English left', async () => {
    const { template, draft } = await draftWith(sections());
    const v1 = (await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version })).json();
    const { tenant, assessment: a } = await adoptedBy(v1);
    // Version 2 rewords the personal-information question and answers it "unsure", in both languages.
    const next = (await operator.request('POST', `/api/v1/bank/templates/${template.id}/versions`)).json();
    const content = sections();
    const personal = content[0]!.questions[0]!;
    personal.prompt = 'Does the app collect or derive personal information?';
    personal.preAnswer = 'unsure';
    personal.fr = { ...personal.fr!, prompt: 'L’application recueille-t-elle ou déduit-elle des renseignements personnels?' };
    const saved = await operator.request('PUT', `/api/v1/bank/versions/${next.id}`, { version: next.version, changeLog: 'Reworded', sections: content });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await operator.request('POST', `/api/v1/bank/versions/${next.id}/publish`, { version: saved.json().version })).statusCode).toBe(200);

    const french = await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge?lang=fr`);
    expect(french.statusCode, french.body).toBe(200);
    const change = french.json().changes.find((c: Json) => c.key === 'screen.personal');
    expect(change).toMatchObject({
      prompt: 'L’application recueille-t-elle ou déduit-elle des renseignements personnels?',
      sectionTitle: 'Examen préliminaire',
    });
    expect(change.definition.theirs.prompt).toBe('L’application recueille-t-elle ou déduit-elle des renseignements personnels?');
    expect(change.definition.base.prompt).toBe('L’application recueille-t-elle des renseignements personnels?');
    expect(change.definition.ours.prompt).toBe('L’application recueille-t-elle des renseignements personnels?');
    for (const c of french.json().changes as Json[]) {
      const words = [c.prompt, c.sectionTitle, c.definition.base?.prompt, c.definition.theirs?.prompt, c.definition.ours?.prompt].join(' | ');
      for (const english of ['Does the app', 'Screening', 'Storage and residency', 'personal information']) expect(words).not.toContain(english);
    }
    // The web page words each answer as the question reads it, in the reader's language.
    const { describeAnswer } = await import('../../../web/features/assessments/describe-answer.js');
    const fr = i18next.createInstance();
    await fr.init({ resources: { fr: { translation: frMessages } }, lng: 'fr', interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
    expect(describeAnswer(change.definition.theirs, change.answer.theirs, fr.t)).toBe('Incertain');
    expect(describeAnswer(change.definition.base, change.answer.base, fr.t)).toBe('Oui');

    // An English reader reads the English.
    const english = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/merge?lang=en`)).json();
    expect(english.changes.find((c: Json) => c.key === 'screen.personal')).toMatchObject({
      prompt: 'Does the app collect or derive personal information?',
      sectionTitle: 'Screening',
    });
  });

  it('writes the bank’s French text into a French summary and the English into an English one', async () => {
    const content = sections();
    content[1]!.questions.push({
      key: 'k.teacher_guidance',
      kind: 'long_text',
      prompt: 'Guidance for teachers',
      guidance: '',
      options: {},
      required: false,
      locked: false,
      condition: null,
      jurisdictions: [],
      preAnswer: 'Use first names only.',
      fr: { prompt: 'Consignes pour le personnel enseignant', guidance: '', choices: {}, columns: {}, preAnswer: 'Utilisez seulement les prénoms.' },
    });
    const { draft } = await draftWith(content);
    const version = (await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: draft.version })).json();
    const { tenant, assessment: a } = await adoptedBy(version);
    const french = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher&lang=fr`)).json();
    expect(french.points.map((p: Json) => p.text)).toContain('Utilisez seulement les prénoms.');
    const english = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${a.id}/summary?audience=teacher&lang=en`)).json();
    expect(english.points.map((p: Json) => p.text)).toContain('Use first names only.');
  });
});
