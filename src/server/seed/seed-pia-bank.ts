/**
 * Seeds the master bank: the generic edtech PIA and the pre-answered PIAs of demo catalog apps, each
 * as a published version 1. Idempotent: a template whose slug exists is left as it is.
 */
import type { AuditAction, AuditRecordType } from '../../contracts/audit.js';
import { randomUUID } from 'node:crypto';
import { JURISDICTIONS, type BankSectionInput, type BankTemplateFr } from '../../contracts/assessments.js';
import { type catalogApps, piaTemplateQuestions, piaTemplates, piaTemplateSections, piaTemplateVersions } from '../db/schema/index.js';
import { appendAuditEvents } from '../platform/audit.js';
import type { Tx } from '../platform/db.js';
import { contentProblems, frenchProblems } from '../modules/assessments/bank.service.js';
import { versionContentRows } from '../modules/assessments/bank.repo.js';
import { APP_PIAS, SERVICES_FR, type AppPia } from './pia-apps.js';
import { GENERIC_TEMPLATE, genericSections } from './pia-generic.js';
import { jurisdictionSections } from './pia-jurisdictions.js';

type CatalogAppRow = typeof catalogApps.$inferSelect;

/** The template slug of an app's pre-answered PIA. */
export const appTemplateSlug = (appSlug: string) => `pia-${appSlug}`;

/**
 * The generic PIA as the bank publishes it: sections A–K, then the questions of each jurisdiction's
 * law (each shown only to institutions of that jurisdiction).
 */
export function bankGenericSections(): BankSectionInput[] {
  return [...genericSections(), ...jurisdictionSections()];
}

/**
 * The French of a pre-answer that holds words, in the shape of the English: a text as given, a risk
 * with its French note, a link with its French label, subprocessor rows with their services in French.
 */
function frenchPreAnswer(kind: string, english: unknown, fr: string | undefined, slug: string, key: string): unknown {
  const missing = () => new Error(`Bank seed: the French of "${key}" for "${slug}" is missing`);
  switch (kind) {
    case 'short_text':
    case 'long_text':
      if (fr === undefined) throw missing();
      return fr;
    case 'risk':
      if (fr === undefined) throw missing();
      return { ...(english as object), note: fr };
    case 'evidence_link':
      if (fr === undefined) throw missing();
      return { ...(english as object), label: fr };
    case 'table_rows':
      return (english as Record<string, string>[]).map((row) => {
        const service = row.service !== undefined ? SERVICES_FR[row.service] : undefined;
        if (row.service !== undefined && service === undefined) throw new Error(`Bank seed: the French of the service "${row.service}" is missing`);
        return { ...row, ...(service !== undefined ? { service } : {}) };
      });
    default:
      return undefined;
  }
}

/** The generic PIA with an app's pre-answers: catalog facts first, then what the operator verified. */
export function appSections(app: CatalogAppRow, pia: AppPia): BankSectionInput[] {
  const sections = bankGenericSections();
  const outside = [
    ...app.storageCountries,
    ...app.processingCountries,
    ...((pia.answers['f.support_countries'] as string[] | undefined) ?? []),
  ].some((c) => c !== 'CA');
  const answers: Record<string, unknown> = {
    'b.purpose': app.description,
    'c.data_elements': app.dataElements,
    'f.storage_countries': app.storageCountries,
    'f.processing_countries': app.processingCountries,
    'f.outside_canada': outside ? 'yes' : 'no',
    ...pia.answers,
  };
  for (const section of sections) {
    for (const question of section.questions) {
      let value = answers[question.key];
      if (question.key === 'g.sign_in') {
        const known = new Set((question.options.choices ?? []).map((c) => c.value));
        value = app.signInSupport.filter((s) => known.has(s));
      }
      if (value === undefined) continue;
      question.preAnswer = value;
      question.locked = pia.locked.includes(question.key);
      const preAnswerFr = frenchPreAnswer(question.kind, value, pia.fr[question.key], pia.slug, question.key);
      if (preAnswerFr !== undefined && question.fr) question.fr = { ...question.fr, preAnswer: preAnswerFr };
    }
  }
  return sections;
}

interface TemplateSeed {
  slug: string;
  title: string;
  description: string;
  catalogAppId: string | null;
  jurisdictions: readonly string[];
  fr: BankTemplateFr;
  isGeneric: boolean;
  isDemo: boolean;
  sections: BankSectionInput[];
}

/** Inserts the templates whose slug is new, each with a published version 1, in a few multi-row statements. */
async function seedTemplates(tx: Tx, seeds: TemplateSeed[], now: Date): Promise<number> {
  const existing = new Set((await tx.select({ slug: piaTemplates.slug }).from(piaTemplates)).map((r) => r.slug));
  const fresh = seeds.filter((s) => !existing.has(s.slug));
  if (!fresh.length) return 0;
  const templates: (typeof piaTemplates.$inferInsert)[] = [];
  const versions: (typeof piaTemplateVersions.$inferInsert)[] = [];
  const sections: (typeof piaTemplateSections.$inferInsert)[] = [];
  const questions: (typeof piaTemplateQuestions.$inferInsert)[] = [];
  for (const seed of fresh) {
    const problems = contentProblems(seed.sections);
    if (Object.keys(problems).length) throw new Error(`Bank seed: template "${seed.slug}" is not valid: ${JSON.stringify(problems)}`);
    // Published like any version: only with every text in both languages.
    const untranslated = Object.keys(frenchProblems(seed.sections, seed));
    if (untranslated.length) throw new Error(`Bank seed: template "${seed.slug}" lacks French: ${untranslated.join(', ')}`);
    const templateId = randomUUID();
    const versionId = randomUUID();
    const { sections: content, jurisdictions, ...fields } = seed;
    templates.push({ id: templateId, ...fields, jurisdictions: [...jurisdictions] });
    versions.push({ id: versionId, templateId, number: 1, status: 'published', changeLog: 'First published version.', publishedAt: now });
    const rows = versionContentRows(versionId, content);
    sections.push(...rows.sectionRows);
    questions.push(...rows.questionRows);
  }
  await tx.insert(piaTemplates).values(templates);
  await tx.insert(piaTemplateVersions).values(versions);
  await tx.insert(piaTemplateSections).values(sections);
  for (let i = 0; i < questions.length; i += 500) await tx.insert(piaTemplateQuestions).values(questions.slice(i, i + 500));
  const audit = (action: AuditAction, recordType: AuditRecordType, recordId: string) => ({
    tenantId: null,
    actorUserId: null,
    actorLabel: 'system:bank-seed',
    actorRole: 'system',
    action,
    recordType,
    recordId,
    changes: {},
    requestId: 'seed',
    source: 'seed',
  });
  // Through the chain, like every audit event (a direct insert would sit outside it, and verify would say so).
  await appendAuditEvents(tx, [
    ...templates.map((t) => audit('bank.template.create', 'pia_template', t.id!)),
    ...versions.map((v) => audit('bank.version.publish', 'pia_template_version', v.id!)),
  ]);
  return fresh.length;
}

/** Seeds the generic PIA and the app PIAs whose catalog apps are present. Returns how many templates were created. */
export async function seedPiaBank(tx: Tx, catalog: ReadonlyMap<string, CatalogAppRow>, now = new Date()): Promise<number> {
  const seeds: TemplateSeed[] = [
    // Its jurisdiction questions reach every province, territory and state the bank knows.
    { ...GENERIC_TEMPLATE, jurisdictions: JURISDICTIONS, catalogAppId: null, isGeneric: true, isDemo: false, sections: bankGenericSections() },
  ];
  for (const pia of APP_PIAS) {
    const app = catalog.get(pia.slug);
    if (!app) continue;
    seeds.push({
      slug: appTemplateSlug(pia.slug),
      title: `Privacy impact assessment — ${app.name}`,
      description: `Pre-answered by the operator from ${app.vendor}’s documentation and agreement. Complete the questions about your own use (purpose, notice, decision) and check the locked facts against your contract.`,
      catalogAppId: app.id,
      jurisdictions: pia.jurisdictions,
      fr: {
        title: `Évaluation des facteurs relatifs à la vie privée (EFVP) — ${app.name}`,
        description: `Préremplie par l’opérateur à partir de la documentation et de l’entente de ${app.vendor}. Répondez aux questions sur votre propre utilisation (finalité, avis, décision) et comparez les faits verrouillés avec votre contrat.`,
      },
      isGeneric: false,
      isDemo: app.isDemo,
      sections: appSections(app, pia),
    });
  }
  return seedTemplates(tx, seeds, now);
}
