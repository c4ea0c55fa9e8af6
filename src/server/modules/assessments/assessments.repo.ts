/** Drizzle queries of assessments. Every function takes the transaction and the tenant scope. */
import { NO_PROVENANCE, type ProvenanceColumns } from './evidence.js';
import { randomUUID } from 'node:crypto';
import type { Language } from '../../../contracts/domain.js';
import type { AnswerOrigin } from '../../../contracts/assessments.js';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
  assessmentAnswers,
  assessmentMerges,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessments,
  assessmentSections,
  assessmentSignoffs,
  inventoryItems,
  piaTemplates,
  piaTemplateVersions,
  users,
} from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type AssessmentRow = typeof assessments.$inferSelect;
export type RevisionRow = typeof assessmentRevisions.$inferSelect;
export type SectionRow = typeof assessmentSections.$inferSelect;
export type QuestionRow = typeof assessmentQuestions.$inferSelect;
export type AnswerRow = typeof assessmentAnswers.$inferSelect;
export type RiskRow = typeof assessmentRisks.$inferSelect;
export type SignoffRow = typeof assessmentSignoffs.$inferSelect;
export type AnswerWithUser = AnswerRow & { updatedByName: string | null };
/** An assessment with what lists show next to it. */
export type AssessmentListRow = AssessmentRow & {
  appName: string;
  vendor: string;
  inventoryStatus: string;
  templateTitle: string | null;
  baseVersionNumber: number | null;
};
/** A revision with everything in it. */
export interface RevisionContent {
  revision: RevisionRow;
  templateVersionNumber: number | null;
  sections: (SectionRow & { questions: (QuestionRow & { answer: AnswerWithUser | null })[] })[];
  risks: RiskRow[];
  signoffs: SignoffRow[];
}

const selectList = {
  a: assessments,
  appName: inventoryItems.name,
  vendor: inventoryItems.vendor,
  inventoryStatus: inventoryItems.status,
  templateTitle: piaTemplates.title,
  baseVersionNumber: piaTemplateVersions.number,
};

function listQuery(tx: Tx, where: SQL) {
  return tx
    .select(selectList)
    .from(assessments)
    .innerJoin(inventoryItems, and(eq(inventoryItems.tenantId, assessments.tenantId), eq(inventoryItems.id, assessments.inventoryItemId)))
    .leftJoin(piaTemplates, eq(piaTemplates.id, assessments.templateId))
    .leftJoin(piaTemplateVersions, eq(piaTemplateVersions.id, assessments.baseVersionId))
    .where(where);
}

type ListResult = Awaited<ReturnType<typeof listQuery>>[number];
const flatten = (r: ListResult): AssessmentListRow => ({
  ...r.a,
  appName: r.appName,
  vendor: r.vendor,
  inventoryStatus: r.inventoryStatus,
  templateTitle: r.templateTitle,
  baseVersionNumber: r.baseVersionNumber,
});

export async function listAssessments(
  tx: Tx,
  scope: TenantScope,
  q: { inventoryItemId?: string | undefined; status?: string | undefined },
): Promise<AssessmentListRow[]> {
  const where: SQL[] = [byTenant(assessments.tenantId, scope)];
  if (q.inventoryItemId) where.push(eq(assessments.inventoryItemId, q.inventoryItemId));
  if (q.status) where.push(eq(assessments.status, q.status));
  const rows = await listQuery(tx, and(...where)!).orderBy(asc(sql`lower(${inventoryItems.name})`), asc(assessments.id));
  return rows.map(flatten);
}

export async function findAssessment(tx: Tx, scope: TenantScope, id: string): Promise<AssessmentListRow | undefined> {
  const [row] = await listQuery(tx, and(byTenant(assessments.tenantId, scope), eq(assessments.id, id))!);
  return row ? flatten(row) : undefined;
}

export async function findAssessmentForItem(tx: Tx, scope: TenantScope, inventoryItemId: string): Promise<AssessmentRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessments)
    .where(and(byTenant(assessments.tenantId, scope), eq(assessments.inventoryItemId, inventoryItemId)));
  return row;
}

export async function insertAssessment(
  tx: Tx,
  scope: TenantScope,
  values: Omit<typeof assessments.$inferInsert, 'tenantId'>,
): Promise<AssessmentRow> {
  const [row] = await tx
    .insert(assessments)
    .values({ ...values, tenantId: scope.tenantId })
    .returning();
  return row!;
}

/** Updates only when the stored version is `version` (and bumps it); undefined means someone saved first. */
export async function updateAssessment(
  tx: Tx,
  scope: TenantScope,
  id: string,
  version: number,
  patch: Partial<typeof assessments.$inferInsert> = {},
): Promise<AssessmentRow | undefined> {
  const [row] = await tx
    .update(assessments)
    .set({ ...patch, version: version + 1, updatedAt: new Date() })
    .where(and(byTenant(assessments.tenantId, scope), eq(assessments.id, id), eq(assessments.version, version)))
    .returning();
  return row;
}

export async function insertRevision(
  tx: Tx,
  scope: TenantScope,
  values: Omit<typeof assessmentRevisions.$inferInsert, 'tenantId' | 'id'>,
): Promise<RevisionRow> {
  const [row] = await tx
    .insert(assessmentRevisions)
    .values({ ...values, id: randomUUID(), tenantId: scope.tenantId })
    .returning();
  return row!;
}

export async function updateRevision(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<typeof assessmentRevisions.$inferInsert>,
): Promise<RevisionRow> {
  const [row] = await tx
    .update(assessmentRevisions)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(byTenant(assessmentRevisions.tenantId, scope), eq(assessmentRevisions.id, id)))
    .returning();
  return row!;
}

export async function findRevision(tx: Tx, scope: TenantScope, assessmentId: string, number: number): Promise<RevisionRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessmentRevisions)
    .where(
      and(
        byTenant(assessmentRevisions.tenantId, scope),
        eq(assessmentRevisions.assessmentId, assessmentId),
        eq(assessmentRevisions.number, number),
      ),
    );
  return row;
}

export async function listRevisions(
  tx: Tx,
  scope: TenantScope,
  assessmentId: string,
): Promise<(RevisionRow & { templateVersionNumber: number | null })[]> {
  const rows = await tx
    .select({ r: assessmentRevisions, n: piaTemplateVersions.number })
    .from(assessmentRevisions)
    .leftJoin(piaTemplateVersions, eq(piaTemplateVersions.id, assessmentRevisions.templateVersionId))
    .where(and(byTenant(assessmentRevisions.tenantId, scope), eq(assessmentRevisions.assessmentId, assessmentId)))
    .orderBy(desc(assessmentRevisions.number));
  return rows.map((r) => ({ ...r.r, templateVersionNumber: r.n }));
}

/** Everything in a revision: sections with questions and answers in order, risks, sign-offs. */
export async function loadRevision(tx: Tx, scope: TenantScope, revision: RevisionRow): Promise<RevisionContent> {
  const [sections, questions, answers, risks, signoffs, [tv]] = await Promise.all([
    tx
      .select()
      .from(assessmentSections)
      .where(and(byTenant(assessmentSections.tenantId, scope), eq(assessmentSections.revisionId, revision.id)))
      .orderBy(asc(assessmentSections.position)),
    tx
      .select()
      .from(assessmentQuestions)
      .where(and(byTenant(assessmentQuestions.tenantId, scope), eq(assessmentQuestions.revisionId, revision.id)))
      .orderBy(asc(assessmentQuestions.position)),
    tx
      .select({ a: assessmentAnswers, first: users.firstName, last: users.lastName })
      .from(assessmentAnswers)
      .leftJoin(users, eq(users.id, assessmentAnswers.updatedBy))
      .where(and(byTenant(assessmentAnswers.tenantId, scope), eq(assessmentAnswers.revisionId, revision.id))),
    tx
      .select()
      .from(assessmentRisks)
      .where(and(byTenant(assessmentRisks.tenantId, scope), eq(assessmentRisks.revisionId, revision.id)))
      .orderBy(asc(assessmentRisks.position), asc(assessmentRisks.createdAt)),
    tx
      .select()
      .from(assessmentSignoffs)
      .where(and(byTenant(assessmentSignoffs.tenantId, scope), eq(assessmentSignoffs.revisionId, revision.id)))
      .orderBy(asc(assessmentSignoffs.at)),
    revision.templateVersionId
      ? tx.select({ n: piaTemplateVersions.number }).from(piaTemplateVersions).where(eq(piaTemplateVersions.id, revision.templateVersionId))
      : Promise.resolve([] as { n: number }[]),
  ]);
  const byQuestion = new Map<string, AnswerWithUser>(
    answers.map((r) => [r.a.questionId, { ...r.a, updatedByName: r.first === null ? null : `${r.first} ${r.last ?? ''}`.trim() }]),
  );
  return {
    revision,
    templateVersionNumber: tv?.n ?? null,
    sections: sections.map((s) => ({
      ...s,
      questions: questions.filter((q) => q.sectionId === s.id).map((q) => ({ ...q, answer: byQuestion.get(q.id) ?? null })),
    })),
    risks,
    signoffs,
  };
}

export async function insertSections(
  tx: Tx,
  scope: TenantScope,
  rows: Omit<typeof assessmentSections.$inferInsert, 'tenantId'>[],
): Promise<void> {
  if (rows.length) await tx.insert(assessmentSections).values(rows.map((r) => ({ ...r, tenantId: scope.tenantId })));
}

export async function insertQuestions(
  tx: Tx,
  scope: TenantScope,
  rows: Omit<typeof assessmentQuestions.$inferInsert, 'tenantId'>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await tx.insert(assessmentQuestions).values(rows.slice(i, i + 200).map((r) => ({ ...r, tenantId: scope.tenantId })));
}

export async function insertAnswers(
  tx: Tx,
  scope: TenantScope,
  rows: Omit<typeof assessmentAnswers.$inferInsert, 'tenantId'>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await tx.insert(assessmentAnswers).values(rows.slice(i, i + 200).map((r) => ({ ...r, tenantId: scope.tenantId })));
}

export async function insertRisks(
  tx: Tx,
  scope: TenantScope,
  rows: Omit<typeof assessmentRisks.$inferInsert, 'tenantId'>[],
): Promise<void> {
  if (rows.length) await tx.insert(assessmentRisks).values(rows.map((r) => ({ ...r, tenantId: scope.tenantId })));
}

export async function findQuestion(tx: Tx, scope: TenantScope, revisionId: string, id: string): Promise<QuestionRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessmentQuestions)
    .where(
      and(byTenant(assessmentQuestions.tenantId, scope), eq(assessmentQuestions.revisionId, revisionId), eq(assessmentQuestions.id, id)),
    );
  return row;
}

export async function findSection(tx: Tx, scope: TenantScope, revisionId: string, id: string): Promise<SectionRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessmentSections)
    .where(and(byTenant(assessmentSections.tenantId, scope), eq(assessmentSections.revisionId, revisionId), eq(assessmentSections.id, id)));
  return row;
}

export async function updateQuestion(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<typeof assessmentQuestions.$inferInsert>,
): Promise<QuestionRow> {
  const [row] = await tx
    .update(assessmentQuestions)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(byTenant(assessmentQuestions.tenantId, scope), eq(assessmentQuestions.id, id)))
    .returning();
  return row!;
}

export async function deleteQuestions(tx: Tx, scope: TenantScope, ids: string[]): Promise<void> {
  if (ids.length)
    await tx.delete(assessmentQuestions).where(and(byTenant(assessmentQuestions.tenantId, scope), inArray(assessmentQuestions.id, ids)));
}

export async function nextPosition(
  tx: Tx,
  scope: TenantScope,
  table: 'sections' | 'questions' | 'risks',
  parentId: string,
): Promise<number> {
  const q =
    table === 'sections'
      ? tx
          .select({ n: sql<number>`coalesce(max(${assessmentSections.position}), -1)::int` })
          .from(assessmentSections)
          .where(and(byTenant(assessmentSections.tenantId, scope), eq(assessmentSections.revisionId, parentId)))
      : table === 'questions'
        ? tx
            .select({ n: sql<number>`coalesce(max(${assessmentQuestions.position}), -1)::int` })
            .from(assessmentQuestions)
            .where(and(byTenant(assessmentQuestions.tenantId, scope), eq(assessmentQuestions.sectionId, parentId)))
        : tx
            .select({ n: sql<number>`coalesce(max(${assessmentRisks.position}), -1)::int` })
            .from(assessmentRisks)
            .where(and(byTenant(assessmentRisks.tenantId, scope), eq(assessmentRisks.revisionId, parentId)));
  const [row] = await q;
  return (row?.n ?? -1) + 1;
}

export async function findAnswer(tx: Tx, scope: TenantScope, questionId: string): Promise<AnswerRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessmentAnswers)
    .where(and(byTenant(assessmentAnswers.tenantId, scope), eq(assessmentAnswers.questionId, questionId)));
  return row;
}

/** Writes an answer when its stored version is `version` (0: no answer yet); undefined when someone saved first. */
export async function saveAnswer(
  tx: Tx,
  scope: TenantScope,
  input: {
    questionId: string;
    revisionId: string;
    value: unknown;
    origin: AnswerOrigin;
    updatedBy: string | null;
    version: number;
    /** The answer's evidence; undefined keeps what is stored. */
    evidence?: { evidenceUrl: string | null; evidenceQuote: string; evidenceSeenOn: string | null } | undefined;
    /** A vendor's answer's days; undefined keeps what is stored. Any other origin has none (an edit clears them). */
    provenance?: ProvenanceColumns | undefined;
  },
): Promise<AnswerRow | undefined> {
  const provenance = input.origin === 'vendor' ? input.provenance : NO_PROVENANCE;
  if (input.version === 0) {
    const [row] = await tx
      .insert(assessmentAnswers)
      .values({
        tenantId: scope.tenantId,
        questionId: input.questionId,
        revisionId: input.revisionId,
        value: input.value,
        origin: input.origin,
        updatedBy: input.updatedBy,
        version: 1,
        ...input.evidence,
        ...provenance,
      })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await tx
    .update(assessmentAnswers)
    .set({
      value: input.value,
      origin: input.origin,
      updatedBy: input.updatedBy,
      version: input.version + 1,
      updatedAt: new Date(),
      ...input.evidence,
      ...provenance,
    })
    .where(
      and(
        byTenant(assessmentAnswers.tenantId, scope),
        eq(assessmentAnswers.questionId, input.questionId),
        eq(assessmentAnswers.version, input.version),
      ),
    )
    .returning();
  return row;
}

export async function findRisk(tx: Tx, scope: TenantScope, revisionId: string, id: string): Promise<RiskRow | undefined> {
  const [row] = await tx
    .select()
    .from(assessmentRisks)
    .where(and(byTenant(assessmentRisks.tenantId, scope), eq(assessmentRisks.revisionId, revisionId), eq(assessmentRisks.id, id)));
  return row;
}

export async function updateRisk(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<typeof assessmentRisks.$inferInsert>,
): Promise<RiskRow> {
  const [row] = await tx
    .update(assessmentRisks)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(byTenant(assessmentRisks.tenantId, scope), eq(assessmentRisks.id, id)))
    .returning();
  return row!;
}

export async function deleteRisk(tx: Tx, scope: TenantScope, id: string): Promise<void> {
  await tx.delete(assessmentRisks).where(and(byTenant(assessmentRisks.tenantId, scope), eq(assessmentRisks.id, id)));
}

export async function insertSignoff(
  tx: Tx,
  scope: TenantScope,
  values: Omit<typeof assessmentSignoffs.$inferInsert, 'tenantId' | 'id'>,
): Promise<SignoffRow> {
  const [row] = await tx
    .insert(assessmentSignoffs)
    .values({ ...values, id: randomUUID(), tenantId: scope.tenantId })
    .returning();
  return row!;
}

export async function insertMerge(
  tx: Tx,
  scope: TenantScope,
  values: Omit<typeof assessmentMerges.$inferInsert, 'tenantId' | 'id'>,
): Promise<void> {
  await tx.insert(assessmentMerges).values({ ...values, id: randomUUID(), tenantId: scope.tenantId });
}

/** The signer's display name (a user of this institution, or operator staff, who are not visible here). */
/** The language a person chose, or null (not chosen, or no such person). */
export async function userLanguage(tx: Tx, userId: string | null): Promise<Language | null> {
  if (!userId) return null;
  const [row] = await tx.select({ language: users.language }).from(users).where(eq(users.id, userId));
  return (row?.language ?? null) as Language | null;
}

export async function userName(tx: Tx, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const [row] = await tx.select({ f: users.firstName, l: users.lastName }).from(users).where(eq(users.id, userId));
  return row ? `${row.f} ${row.l}`.trim() : null;
}
