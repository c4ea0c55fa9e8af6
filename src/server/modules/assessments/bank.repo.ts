/**
 * The master bank: shared, operator-owned tables (no tenant). Reads run under any role; writes run
 * only inside `withSystem` (the database grants request code SELECT alone).
 */
import { evidenceValue, NO_PROVENANCE, preAnswerEvidenceOf, preAnswerProvenanceOf, type ProvenanceColumns } from './evidence.js';
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { BankQuestionInput, BankSectionInput } from '../../../contracts/assessments.js';
import { catalogApps, piaTemplateQuestions, piaTemplateSections, piaTemplates, piaTemplateVersions } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { containsPattern } from '../catalog/catalog.repo.js';

export type TemplateRow = typeof piaTemplates.$inferSelect;
export type TemplateVersionRow = typeof piaTemplateVersions.$inferSelect;
export type TemplateSectionRow = typeof piaTemplateSections.$inferSelect;
export type TemplateQuestionRow = typeof piaTemplateQuestions.$inferSelect;
export type TemplateWithApp = TemplateRow & { catalogAppName: string | null };
/** A version's content: its sections in order, each with its questions in order. */
export type VersionContent = { version: TemplateVersionRow; sections: (TemplateSectionRow & { questions: TemplateQuestionRow[] })[] };

export async function listTemplates(
  tx: Tx,
  q: { catalogAppId?: string | undefined; text?: string | undefined; publishedOnly: boolean },
): Promise<TemplateWithApp[]> {
  const where: SQL[] = [];
  if (q.catalogAppId) where.push(eq(piaTemplates.catalogAppId, q.catalogAppId));
  if (q.text) where.push(or(ilike(piaTemplates.title, containsPattern(q.text)), ilike(catalogApps.name, containsPattern(q.text)))!);
  if (q.publishedOnly) {
    where.push(sql`exists (select 1 from ${piaTemplateVersions} v where v.template_id = ${piaTemplates.id} and v.status = 'published')`);
  }
  const rows = await tx
    .select({ t: piaTemplates, catalogAppName: catalogApps.name })
    .from(piaTemplates)
    .leftJoin(catalogApps, eq(catalogApps.id, piaTemplates.catalogAppId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(piaTemplates.isGeneric), asc(sql`lower(${piaTemplates.title})`));
  return rows.map((r) => ({ ...r.t, catalogAppName: r.catalogAppName }));
}

export async function findTemplate(tx: Tx, id: string): Promise<TemplateWithApp | undefined> {
  const [row] = await tx
    .select({ t: piaTemplates, catalogAppName: catalogApps.name })
    .from(piaTemplates)
    .leftJoin(catalogApps, eq(catalogApps.id, piaTemplates.catalogAppId))
    .where(eq(piaTemplates.id, id));
  return row ? { ...row.t, catalogAppName: row.catalogAppName } : undefined;
}

export async function findTemplateBySlug(tx: Tx, slug: string): Promise<TemplateRow | undefined> {
  const [row] = await tx.select().from(piaTemplates).where(eq(piaTemplates.slug, slug));
  return row;
}

export async function findGenericTemplate(tx: Tx): Promise<TemplateRow | undefined> {
  const [row] = await tx.select().from(piaTemplates).where(eq(piaTemplates.isGeneric, true)).orderBy(asc(piaTemplates.createdAt)).limit(1);
  return row;
}

export async function listVersions(tx: Tx, templateIds: string[]): Promise<TemplateVersionRow[]> {
  if (!templateIds.length) return [];
  return tx
    .select()
    .from(piaTemplateVersions)
    .where(inArray(piaTemplateVersions.templateId, templateIds))
    .orderBy(asc(piaTemplateVersions.number));
}

export async function findVersion(tx: Tx, id: string): Promise<TemplateVersionRow | undefined> {
  const [row] = await tx.select().from(piaTemplateVersions).where(eq(piaTemplateVersions.id, id));
  return row;
}

export async function findVersionByNumber(tx: Tx, templateId: string, number: number): Promise<TemplateVersionRow | undefined> {
  const [row] = await tx
    .select()
    .from(piaTemplateVersions)
    .where(and(eq(piaTemplateVersions.templateId, templateId), eq(piaTemplateVersions.number, number)));
  return row;
}

export async function latestPublished(tx: Tx, templateId: string): Promise<TemplateVersionRow | undefined> {
  const [row] = await tx
    .select()
    .from(piaTemplateVersions)
    .where(and(eq(piaTemplateVersions.templateId, templateId), eq(piaTemplateVersions.status, 'published')))
    .orderBy(desc(piaTemplateVersions.number))
    .limit(1);
  return row;
}

/** The sections and questions of a version, in order. */
export async function loadVersionContent(tx: Tx, version: TemplateVersionRow): Promise<VersionContent> {
  const [sections, questions] = await Promise.all([
    tx.select().from(piaTemplateSections).where(eq(piaTemplateSections.versionId, version.id)).orderBy(asc(piaTemplateSections.position)),
    tx
      .select()
      .from(piaTemplateQuestions)
      .where(eq(piaTemplateQuestions.versionId, version.id))
      .orderBy(asc(piaTemplateQuestions.position)),
  ]);
  return {
    version,
    sections: sections.map((s) => ({ ...s, questions: questions.filter((q) => q.sectionId === s.id) })),
  };
}

export async function insertTemplate(tx: Tx, values: Omit<typeof piaTemplates.$inferInsert, 'id'>): Promise<TemplateRow> {
  const [row] = await tx
    .insert(piaTemplates)
    .values({ id: randomUUID(), ...values })
    .returning();
  return row!;
}

export async function updateTemplate(
  tx: Tx,
  id: string,
  patch: Partial<typeof piaTemplates.$inferInsert>,
): Promise<TemplateRow | undefined> {
  const [row] = await tx
    .update(piaTemplates)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(piaTemplates.id, id))
    .returning();
  return row;
}

export async function insertVersion(tx: Tx, templateId: string, number: number, changeLog = ''): Promise<TemplateVersionRow> {
  const [row] = await tx.insert(piaTemplateVersions).values({ id: randomUUID(), templateId, number, changeLog }).returning();
  return row!;
}

/** A question as a version is written from, with the vendor provenance only the server sets (never the editor). */
export type StoredQuestionInput = BankQuestionInput & { preAnswerProvenance?: ProvenanceColumns };
export type StoredSectionInput = Omit<BankSectionInput, 'questions'> & { questions: StoredQuestionInput[] };

/** Who gave a stored pre-answer: the operator unless it is a vendor's (no pre-answer: the operator). */
function storedPreAnswerOrigin(q: StoredQuestionInput): 'operator' | 'vendor' {
  return q.preAnswer !== undefined && q.preAnswer !== null ? (q.preAnswerOrigin ?? 'operator') : 'operator';
}

/** Only a vendor's pre-answer keeps the vendor's and the operator's days. */
function storedProvenance(q: StoredQuestionInput) {
  const p = storedPreAnswerOrigin(q) === 'vendor' ? (q.preAnswerProvenance ?? NO_PROVENANCE) : NO_PROVENANCE;
  return { preAnswerVendorAnsweredOn: p.vendorAnsweredOn, preAnswerReviewedOn: p.reviewedOn };
}

/** The section and question rows of a version's content, with fresh ids (shared by the editor and the seed). */
export function versionContentRows(versionId: string, sections: readonly StoredSectionInput[]) {
  const sectionRows = sections.map((s, position) => ({
    id: randomUUID(),
    versionId,
    key: s.key,
    code: s.code,
    title: s.title,
    description: s.description,
    position,
    fr: s.fr ?? null,
  }));
  const questionRows = sections.flatMap((s, si) =>
    s.questions.map((q, position) => ({
      id: randomUUID(),
      versionId,
      sectionId: sectionRows[si]!.id,
      key: q.key,
      position,
      kind: q.kind,
      prompt: q.prompt,
      guidance: q.guidance,
      options: q.options,
      required: q.required,
      locked: q.locked,
      preAnswer: q.preAnswer ?? null,
      preAnswerOrigin: storedPreAnswerOrigin(q),
      preAnswerEvidenceUrl: q.preAnswerEvidence?.url ?? null,
      preAnswerEvidenceQuote: q.preAnswerEvidence?.quote.trim() ?? '',
      preAnswerEvidenceSeenOn: q.preAnswerEvidence?.seenOn ?? null,
      ...storedProvenance(q),
      condition: q.condition,
      jurisdictions: [...q.jurisdictions],
      fr: q.fr ?? null,
    })),
  );
  return { sectionRows, questionRows };
}

/** Replaces the content of a (draft) version with `sections`. */
export async function writeVersionContent(tx: Tx, versionId: string, sections: readonly StoredSectionInput[]): Promise<void> {
  await tx.delete(piaTemplateSections).where(eq(piaTemplateSections.versionId, versionId));
  if (!sections.length) return;
  const { sectionRows, questionRows } = versionContentRows(versionId, sections);
  await tx.insert(piaTemplateSections).values(sectionRows);
  // Large templates: insert in chunks to stay far below the bind-parameter limit.
  for (let i = 0; i < questionRows.length; i += 200) await tx.insert(piaTemplateQuestions).values(questionRows.slice(i, i + 200));
}

/** Bumps the edit counter of a draft only when it is still at `version`; undefined when stale or published. */
export async function touchDraft(
  tx: Tx,
  id: string,
  version: number,
  patch: Partial<typeof piaTemplateVersions.$inferInsert> = {},
): Promise<TemplateVersionRow | undefined> {
  const [row] = await tx
    .update(piaTemplateVersions)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(eq(piaTemplateVersions.id, id), eq(piaTemplateVersions.version, version), eq(piaTemplateVersions.status, 'draft')))
    .returning();
  return row;
}

/** The content of a version in the shape a draft is written from (to copy a version into a new draft). */
export function contentAsInput(content: VersionContent): StoredSectionInput[] {
  return content.sections.map((s) => ({
    key: s.key,
    code: s.code,
    title: s.title,
    description: s.description,
    ...(s.fr ? { fr: s.fr } : {}),
    questions: s.questions.map((q) => ({
      key: q.key,
      kind: q.kind as BankSectionInput['questions'][number]['kind'],
      prompt: q.prompt,
      guidance: q.guidance,
      options: q.options as BankSectionInput['questions'][number]['options'],
      required: q.required,
      locked: q.locked,
      preAnswer: q.preAnswer ?? undefined,
      preAnswerOrigin: q.preAnswerOrigin as BankSectionInput['questions'][number]['preAnswerOrigin'],
      preAnswerEvidence: preAnswerEvidenceInput(q),
      preAnswerProvenance: preAnswerProvenanceOf(q),
      condition: (q.condition ?? null) as BankSectionInput['questions'][number]['condition'],
      jurisdictions: q.jurisdictions as BankSectionInput['questions'][number]['jurisdictions'],
      ...(q.fr ? { fr: q.fr } : {}),
    })),
  }));
}

/** A question's pre-answer evidence in the shape a draft is written from (null: none). */
export function preAnswerEvidenceInput(q: TemplateQuestionRow) {
  return evidenceValue(preAnswerEvidenceOf(q));
}
