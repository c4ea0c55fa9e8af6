import { eq } from 'drizzle-orm';
import { piaTemplateQuestions, piaTemplateSections } from '../db/schema/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { piaTemplates, piaTemplateVersions } from '../db/schema/index.js';
import { hasWords } from '../modules/assessments/localize.js';
import type { QuestionKind, QuestionOptions } from '../../contracts/assessments.js';
import { withSystem } from '../platform/db.js';
import { buildTenantWithUsers } from '../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { APP_PIAS } from './pia-apps.js';
import { GENERIC_TEMPLATE } from './pia-generic.js';
import { seedCatalog } from './seed-demo.js';
import { appTemplateSlug, seedPiaBank } from './seed-pia-bank.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Json = Record<string, any>;

describe('the seeded master bank', () => {
  it('publishes the generic A–K PIA and at least ten pre-answered app PIAs, once', async () => {
    const created = await withSystem(t.database.db, async (tx) => seedPiaBank(tx, await seedCatalog(tx)));
    expect(created).toBe(1 + APP_PIAS.length);
    expect(APP_PIAS.length).toBeGreaterThanOrEqual(10);
    const again = await withSystem(t.database.db, async (tx) => seedPiaBank(tx, await seedCatalog(tx)));
    expect(again).toBe(0);
    const drafts = await withSystem(t.database.db, (tx) => tx.select().from(piaTemplateVersions).where(eq(piaTemplateVersions.status, 'draft')));
    expect(drafts).toEqual([]);
    const generic = await withSystem(t.database.db, (tx) => tx.select().from(piaTemplates).where(eq(piaTemplates.slug, GENERIC_TEMPLATE.slug)));
    expect(generic[0]!.isGeneric).toBe(true);
  });

  it('lets an institution adopt an app PIA with the operator’s answers, and start blank from the generic structure', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const list = (await tenant.appAdmin.request('GET', '/api/v1/bank/templates')).json().items as Json[];
    const generic = list.find((x) => x.slug === GENERIC_TEMPLATE.slug)!;
    const version = (await tenant.appAdmin.request('GET', `/api/v1/bank/versions/${generic.latestPublished.id}`)).json();
    expect(version.sections.map((s: Json) => s.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M']);
    const all = version.sections.flatMap((s: Json) => s.questions);
    expect(all.length).toBeGreaterThan(50);
    expect(all.every((q: Json) => q.guidance !== undefined)).toBe(true);
    const tags = new Set(all.flatMap((q: Json) => q.jurisdictions));
    for (const tag of ['BC', 'US-generic', 'NS']) expect(tags).toContain(tag);

    const quill = list.find((x) => x.slug === appTemplateSlug('quillpath-reading'))!;
    expect(quill.catalogAppName).toBe('Quillpath Reading');
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: quill.catalogAppId, grades: ['2'] });
    const adopted = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: quill.latestPublished.id });
    expect(adopted.statusCode, adopted.body).toBe(201);
    const questions = adopted.json().revision.sections.flatMap((s: Json) => s.questions);
    const storage = questions.find((q: Json) => q.key === 'f.storage_countries');
    expect(storage).toMatchObject({ locked: true, answer: { value: ['US'], origin: 'operator' } });
    expect(questions.filter((q: Json) => q.answer).length).toBeGreaterThan(30);
    // Submittable as adopted: every required question is pre-answered.
    const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${adopted.json().id}/submit`, { version: adopted.json().version });
    expect(submitted.statusCode, submitted.body).toBe(200);

    const custom = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Homework Hub', vendor: 'Local' } });
    const blank = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: custom.json().id });
    expect(blank.statusCode, blank.body).toBe(201);
    expect(blank.json().templateId).toBe(generic.id);
    // A BC district: sections A–K and the provincial law (its own province's questions); no US law.
    expect(blank.json().revision.sections.map((s: Json) => s.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L']);
    expect(blank.json().revision.sections.flatMap((s: Json) => s.questions).filter((q: Json) => q.answer)).toEqual([]);
  });

  it('holds every text in English and Canadian French, and no French is a copy of its English', async () => {
    const [templates, sections, questions] = await withSystem(t.database.db, (tx) =>
      Promise.all([tx.select().from(piaTemplates), tx.select().from(piaTemplateSections), tx.select().from(piaTemplateQuestions)]),
    );
    expect(questions.length).toBeGreaterThan(500);
    const missing: string[] = [];
    const copies: string[] = [];
    /** English of more than three words whose "French" is the same text is a copy, not a translation. */
    const pair = (where: string, english: string, french: string | undefined) => {
      if (!english.trim()) return;
      if (!french?.trim()) missing.push(where);
      else if (french.trim() === english.trim() && english.trim().split(/\s+/).length > 3) copies.push(`${where}: ${english}`);
    };
    for (const x of templates) {
      pair(`${x.slug} title`, x.title, x.fr?.title);
      pair(`${x.slug} description`, x.description, x.fr?.description);
    }
    for (const x of sections) {
      pair(`section ${x.key} title`, x.title, x.fr?.title);
      pair(`section ${x.key} description`, x.description, x.fr?.description);
    }
    for (const q of questions) {
      pair(`${q.key} prompt`, q.prompt, q.fr?.prompt);
      pair(`${q.key} guidance`, q.guidance, q.fr?.guidance);
      const options = q.options as QuestionOptions;
      for (const c of options.choices ?? []) pair(`${q.key} choice ${c.value}`, c.label, q.fr?.choices[c.value]);
      for (const c of options.columns ?? []) pair(`${q.key} column ${c.key}`, c.label, q.fr?.columns[c.key]);
      if (hasWords(q.kind as QuestionKind, q.preAnswer)) {
        if (!hasWords(q.kind as QuestionKind, q.fr?.preAnswer)) missing.push(`${q.key} pre-answer`);
        else if (typeof q.preAnswer === 'string') pair(`${q.key} pre-answer`, q.preAnswer, q.fr!.preAnswer as string);
        else if (JSON.stringify(q.preAnswer) === JSON.stringify(q.fr!.preAnswer)) copies.push(`${q.key} pre-answer: ${JSON.stringify(q.preAnswer)}`);
      }
    }
    expect(missing, 'bank text without French').toEqual([]);
    expect(copies, 'French equal to its English').toEqual([]);
  });
});
