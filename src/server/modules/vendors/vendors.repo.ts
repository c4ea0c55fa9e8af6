/**
 * Vendor questionnaires' queries. A questionnaire belongs to an `Owner`: the bank (the operator's,
 * `tenant_id` null, reached inside `withSystem` alone) or one institution (inside `withTenant`, behind
 * row-level security). The vendor's page finds its questionnaire by the link token's hash as system
 * code (`unsafe…`): the hash is the only input.
 */
import { and, asc, desc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { piaTemplates, piaTemplateVersions, vendorAnswerFiles, vendorAnswers, vendorQuestionnaires } from '../../db/schema/index.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type QuestionnaireRow = typeof vendorQuestionnaires.$inferSelect;
export type VendorAnswerRow = typeof vendorAnswers.$inferSelect;
export type VendorFileRow = typeof vendorAnswerFiles.$inferSelect;
/** A file without its bytes and key (lists). */
export type VendorFileMeta = Omit<VendorFileRow, 'content' | 'keySecret'>;
export type QuestionnaireWithTemplate = QuestionnaireRow & {
  templateTitle: string;
  /** The template's title in French, when the bank has it. */
  templateTitleFr: string | null;
  templateVersionNumber: number;
  /** How many questions the vendor has answered so far. */
  answeredCount: number;
};

/** Whose questionnaire: the bank's (the operator's) or one institution's. */
export type Owner = { kind: 'bank' } | { kind: 'institution'; scope: TenantScope };

const ownedBy = (owner: Owner): SQL =>
  owner.kind === 'bank' ? isNull(vendorQuestionnaires.tenantId) : byTenant(vendorQuestionnaires.tenantId, owner.scope);

/** The questionnaire whose link hash this is, and whether its institution (if any) is still active. */
export async function unsafeFindByTokenHash(tx: Tx, tokenHash: string): Promise<QuestionnaireRow | undefined> {
  const [row] = await tx.select().from(vendorQuestionnaires).where(eq(vendorQuestionnaires.tokenHash, tokenHash));
  if (!row || !row.tenantId) return row;
  const [inst] = await queryRows<{ status: string }>(tx, sql`select status from institutions where id = ${row.tenantId}`);
  return inst?.status === 'active' ? row : undefined;
}

export async function insertQuestionnaire(tx: Tx, values: typeof vendorQuestionnaires.$inferInsert): Promise<QuestionnaireRow> {
  const [row] = await tx.insert(vendorQuestionnaires).values(values).returning();
  return row!;
}

const withTemplate = {
  q: vendorQuestionnaires,
  templateTitle: piaTemplates.title,
  templateTitleFr: sql<string | null>`${piaTemplates.fr}->>'title'`,
  templateVersionNumber: piaTemplateVersions.number,
  answeredCount: sql<number>`(select count(*)::int from vendor_answers a where a.questionnaire_id = ${vendorQuestionnaires.id} and a.value is not null and a.value <> 'null'::jsonb)`,
};

export async function findQuestionnaire(tx: Tx, owner: Owner, id: string): Promise<QuestionnaireWithTemplate | undefined> {
  const [row] = await tx
    .select(withTemplate)
    .from(vendorQuestionnaires)
    .innerJoin(piaTemplates, eq(piaTemplates.id, vendorQuestionnaires.templateId))
    .innerJoin(piaTemplateVersions, eq(piaTemplateVersions.id, vendorQuestionnaires.templateVersionId))
    .where(and(ownedBy(owner), eq(vendorQuestionnaires.id, id)));
  return row
    ? {
        ...row.q,
        templateTitle: row.templateTitle,
        templateTitleFr: row.templateTitleFr,
        templateVersionNumber: row.templateVersionNumber,
        answeredCount: row.answeredCount,
      }
    : undefined;
}

export async function listQuestionnaires(tx: Tx, owner: Owner): Promise<QuestionnaireWithTemplate[]> {
  const rows = await tx
    .select(withTemplate)
    .from(vendorQuestionnaires)
    .innerJoin(piaTemplates, eq(piaTemplates.id, vendorQuestionnaires.templateId))
    .innerJoin(piaTemplateVersions, eq(piaTemplateVersions.id, vendorQuestionnaires.templateVersionId))
    .where(ownedBy(owner))
    .orderBy(desc(vendorQuestionnaires.createdAt), asc(vendorQuestionnaires.id))
    .limit(500);
  return rows.map((r) => ({
    ...r.q,
    templateTitle: r.templateTitle,
    templateTitleFr: r.templateTitleFr,
    templateVersionNumber: r.templateVersionNumber,
    answeredCount: r.answeredCount,
  }));
}

export async function updateQuestionnaire(
  tx: Tx,
  owner: Owner,
  id: string,
  patch: Partial<typeof vendorQuestionnaires.$inferInsert>,
): Promise<QuestionnaireRow> {
  const [row] = await tx
    .update(vendorQuestionnaires)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(ownedBy(owner), eq(vendorQuestionnaires.id, id)))
    .returning();
  return row!;
}

export async function listAnswers(tx: Tx, questionnaireId: string): Promise<VendorAnswerRow[]> {
  return tx
    .select()
    .from(vendorAnswers)
    .where(eq(vendorAnswers.questionnaireId, questionnaireId))
    .orderBy(asc(vendorAnswers.createdAt), asc(vendorAnswers.questionKey));
}

/**
 * Saves one answer when the caller read `version` (0: no answer yet); undefined when someone saved it
 * since (the caller answers 409).
 */
export async function saveVendorAnswer(
  tx: Tx,
  q: Pick<QuestionnaireRow, 'id' | 'tenantId'>,
  input: {
    questionKey: string;
    value: unknown;
    evidenceUrl: string | null;
    evidenceQuote: string;
    evidenceSeenOn: string | null;
    version: number;
  },
): Promise<VendorAnswerRow | undefined> {
  const { version, ...fields } = input;
  if (version === 0) {
    const [row] = await tx
      .insert(vendorAnswers)
      .values({ questionnaireId: q.id, tenantId: q.tenantId, ...fields, version: 1 })
      .onConflictDoNothing()
      .returning();
    return row;
  }
  const [row] = await tx
    .update(vendorAnswers)
    .set({ ...fields, version: version + 1, updatedAt: new Date() })
    .where(
      and(eq(vendorAnswers.questionnaireId, q.id), eq(vendorAnswers.questionKey, input.questionKey), eq(vendorAnswers.version, version)),
    )
    .returning();
  return row;
}

export async function setReview(
  tx: Tx,
  questionnaireId: string,
  questionKey: string,
  review: 'accepted' | 'rejected',
  note: string,
): Promise<VendorAnswerRow | undefined> {
  const [row] = await tx
    .update(vendorAnswers)
    .set({ review, reviewNote: note, updatedAt: new Date() })
    .where(and(eq(vendorAnswers.questionnaireId, questionnaireId), eq(vendorAnswers.questionKey, questionKey)))
    .returning();
  return row;
}

/** Questionnaires whose link has run out while still holding the contact's sealed email (every owner). */
export async function unsafeListExpiredWithEmail(tx: Tx, now: Date): Promise<{ id: string; tenantId: string | null }[]> {
  return tx
    .select({ id: vendorQuestionnaires.id, tenantId: vendorQuestionnaires.tenantId })
    .from(vendorQuestionnaires)
    .where(and(lt(vendorQuestionnaires.expiresAt, now), sql`${vendorQuestionnaires.contactEmailSecret} is not null`))
    .limit(1000);
}

/** Erases the sealed email of one questionnaire (system code: the expiry sweep). */
export async function unsafeEraseContact(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .update(vendorQuestionnaires)
    .set({ contactEmailSecret: null, updatedAt: new Date() })
    .where(and(eq(vendorQuestionnaires.id, id), sql`${vendorQuestionnaires.contactEmailSecret} is not null`))
    .returning({ id: vendorQuestionnaires.id });
  return rows.length > 0;
}

const fileMeta = {
  id: vendorAnswerFiles.id,
  questionnaireId: vendorAnswerFiles.questionnaireId,
  tenantId: vendorAnswerFiles.tenantId,
  questionKey: vendorAnswerFiles.questionKey,
  fileName: vendorAnswerFiles.fileName,
  contentType: vendorAnswerFiles.contentType,
  byteSize: vendorAnswerFiles.byteSize,
  sha256: vendorAnswerFiles.sha256,
  createdAt: vendorAnswerFiles.createdAt,
  updatedAt: vendorAnswerFiles.updatedAt,
};

/** The files of a questionnaire, oldest first, without their bytes. */
export async function listFiles(tx: Tx, questionnaireId: string): Promise<VendorFileMeta[]> {
  return tx
    .select(fileMeta)
    .from(vendorAnswerFiles)
    .where(eq(vendorAnswerFiles.questionnaireId, questionnaireId))
    .orderBy(asc(vendorAnswerFiles.createdAt), asc(vendorAnswerFiles.id));
}

/** One file of a questionnaire (another questionnaire's is not found). */
export async function findFile(tx: Tx, questionnaireId: string, id: string): Promise<VendorFileRow | undefined> {
  const [row] = await tx
    .select()
    .from(vendorAnswerFiles)
    .where(and(eq(vendorAnswerFiles.questionnaireId, questionnaireId), eq(vendorAnswerFiles.id, id)));
  return row;
}

export async function insertFile(tx: Tx, values: typeof vendorAnswerFiles.$inferInsert): Promise<VendorFileMeta> {
  const [row] = await tx.insert(vendorAnswerFiles).values(values).returning(fileMeta);
  return row!;
}

export async function deleteFile(tx: Tx, questionnaireId: string, id: string): Promise<VendorFileMeta | undefined> {
  const [row] = await tx
    .delete(vendorAnswerFiles)
    .where(and(eq(vendorAnswerFiles.questionnaireId, questionnaireId), eq(vendorAnswerFiles.id, id)))
    .returning(fileMeta);
  return row;
}
