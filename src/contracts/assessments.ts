/**
 * The PIA contract: question kinds, answer shapes, the master bank and assessments. Shared by the
 * server (validation + OpenAPI) and the web client. Every string is bounded.
 */
import { z } from 'zod';
import { isoDate } from './dates.js';
import { FIELD_MESSAGES } from './field-messages.js';
import { DATA_ELEMENT_CODES, LANGUAGES } from './domain.js';

/** The largest integer a request may carry where a 4-byte integer column holds it (versions, revision numbers). */
const INT_MAX = 2_147_483_647;

/** Kinds of question a PIA can ask (PRODUCT.md "PIA template"). */
export const QUESTION_KINDS = [
  'yes_no_unsure',
  'single_choice',
  'multiple_choice',
  'short_text',
  'long_text',
  'date',
  'country_list',
  'data_elements',
  'table_rows',
  'evidence_link',
  'risk',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Statuses of an assessment (and of each of its revisions). */
export const ASSESSMENT_STATUSES = ['draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];
/** Decided statuses: a revision with one of these is frozen. */
export const DECIDED_STATUSES: readonly AssessmentStatus[] = ['approved', 'approved_with_conditions', 'rejected'];
export const DECISIONS = ['approved', 'approved_with_conditions', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];
export const SIGNOFF_DECISIONS = ['submitted', 'returned', 'approved', 'approved_with_conditions', 'rejected', 'reopened'] as const;

/**
 * Jurisdiction tags of templates and questions: `CA-generic` (all of Canada), every province and
 * territory, `US-generic` (all of the US: federal law) and US states. A state code is read with the
 * institution's country (`CA` is California, for a US institution).
 */
export const JURISDICTIONS = [
  'CA-generic',
  'BC',
  'AB',
  'SK',
  'MB',
  'ON',
  'QC',
  'NS',
  'NB',
  'US-generic',
  'NY',
  'CA',
  'IL',
  'TX',
  'WA',
  'CO',
  'CT',
  'UT',
  'PE',
  'NL',
  'YT',
  'NT',
  'NU',
  'VA',
  'FL',
] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];
/** The tags that name all of a country; every other tag is a province, territory or state of it. */
export const COUNTRY_JURISDICTIONS = { CA: 'CA-generic', US: 'US-generic' } as const;
export const CANADIAN_JURISDICTIONS: readonly Jurisdiction[] = [
  'BC',
  'AB',
  'SK',
  'MB',
  'ON',
  'QC',
  'NB',
  'NS',
  'PE',
  'NL',
  'YT',
  'NT',
  'NU',
];
export const US_JURISDICTIONS: readonly Jurisdiction[] = ['NY', 'CA', 'IL', 'TX', 'CO', 'CT', 'VA', 'WA', 'FL', 'UT'];

/** Risk levels from likelihood × impact (each 1–5). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export function riskLevel(likelihood: number, impact: number): RiskLevel {
  const score = likelihood * impact;
  if (score <= 4) return 'low';
  if (score <= 9) return 'medium';
  if (score <= 16) return 'high';
  return 'critical';
}

const uuid = z.uuid();
const key = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, FIELD_MESSAGES.key_format);
const label = (max = 300) => z.string().trim().min(1).max(max);
const text = (max = 5000) => z.string().max(max);
const scale = z.number().int().min(1).max(5);

// ---------- question definitions ----------
export const choiceSchema = z.strictObject({ value: key, label: label(300) });
export const columnSchema = z.strictObject({ key, label: label(200) });
export const questionOptionsSchema = z.strictObject({
  choices: z.array(choiceSchema).max(50).optional(),
  columns: z.array(columnSchema).max(12).optional(),
});
export type QuestionOptions = z.infer<typeof questionOptionsSchema>;
/** Shown only when the answer to the earlier question `questionKey` is (or contains) one of `anyOf`. */
export const conditionSchema = z.strictObject({ questionKey: key, anyOf: z.array(z.string().max(80)).min(1).max(20) });
export type Condition = z.infer<typeof conditionSchema>;

// ---------- evidence of an answer ----------
/** Evidence is stale this many months after the day it was seen, unless the institution sets its own period. */
export const EVIDENCE_REVIEW_MONTHS = 12;
/** Today's calendar day (UTC), `YYYY-MM-DD`. */
const todayUtc = () => new Date().toISOString().slice(0, 10);
/**
 * The source of an answer: a link and/or a quotation or a document's name, and the day it was seen
 * (never after today). All empty: no evidence.
 */
export const evidenceSaveSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .default(null),
    quote: z.string().trim().max(5000).default(''),
    seenOn: isoDate
      .refine((v) => v <= todayUtc(), FIELD_MESSAGES.not_after_today)
      .nullable()
      .default(null),
  })
  .superRefine((e, ctx) => {
    // A source is dated, and a date belongs to a source.
    const named = e.url !== null || e.quote.trim() !== '';
    if (named && e.seenOn === null) ctx.addIssue({ code: 'custom', path: ['seenOn'], message: FIELD_MESSAGES.evidence_seen_on });
    if (!named && e.seenOn !== null) ctx.addIssue({ code: 'custom', path: ['url'], message: FIELD_MESSAGES.evidence_source });
  });
export type EvidenceInput = z.input<typeof evidenceSaveSchema>;
/** The evidence of an answer as read, with `stale` when it was seen longer ago than the review period. */
export const evidenceSchema = z.object({
  url: z.string().nullable(),
  quote: z.string(),
  seenOn: z.string().nullable(),
  stale: z.boolean(),
});
export type EvidenceBody = z.infer<typeof evidenceSchema>;
/**
 * Where a vendor's answer comes from: the day the vendor submitted it and the day the operator
 * reviewed and published it into the bank (days, `YYYY-MM-DD`). Null for any other answer.
 */
export const provenanceSchema = z.object({
  vendorAnsweredOn: z.string().nullable(),
  reviewedOn: z.string().nullable(),
});
export type ProvenanceBody = z.infer<typeof provenanceSchema>;

// ---------- answer values, one shape per kind ----------
const yesNo = z.enum(['yes', 'no', 'unsure']);
const countryCode = z.string().regex(/^[A-Z]{2}$/, FIELD_MESSAGES.country_code);
const uniqueArray = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
    .meta({ uniqueItems: true });
export const answerValueSchemas = {
  yes_no_unsure: yesNo,
  single_choice: z.string().max(80),
  multiple_choice: uniqueArray(z.string().max(80), 50),
  short_text: z.string().max(500),
  long_text: z.string().max(20000),
  date: isoDate,
  country_list: uniqueArray(countryCode, 60),
  data_elements: uniqueArray(z.enum(DATA_ELEMENT_CODES), DATA_ELEMENT_CODES.length),
  table_rows: z.array(z.record(z.string().max(80), z.string().max(2000))).max(200),
  evidence_link: z.strictObject({ url: z.url({ protocol: /^https?$/ }).max(2000), label: z.string().max(300).default('') }),
  risk: z.strictObject({ likelihood: scale, impact: scale, note: z.string().max(2000).default('') }),
} as const satisfies Record<QuestionKind, z.ZodType>;
export type AnswerValue = z.infer<(typeof answerValueSchemas)[QuestionKind]>;

// ---------- the master bank ----------
/** Who gave a bank pre-answer: the operator, or a vendor through a questionnaire the operator reviewed. */
export const PRE_ANSWER_ORIGINS = ['operator', 'vendor'] as const;
export type PreAnswerOrigin = (typeof PRE_ANSWER_ORIGINS)[number];
/**
 * The Canadian French of a bank element. The bank is written in English and French: each template,
 * section and question carries its French beside its English, and a published version holds both.
 * Choice and column labels are keyed by the choice's value and the column's key.
 */
export const bankQuestionFrSchema = z.strictObject({
  prompt: label(1000),
  guidance: text(5000).default(''),
  choices: z.record(key, label(300)).default({}),
  columns: z.record(key, label(200)).default({}),
  /**
   * The operator's pre-answer as a French reader reads it, in the shape of the English one, for the
   * kinds whose answer holds words (short and long text, table rows, a link's label, a risk's note);
   * choices, dates and countries are values, and read through their labels.
   */
  preAnswer: z.unknown().optional(),
});
export type BankQuestionFr = z.output<typeof bankQuestionFrSchema>;
export const bankSectionFrSchema = z.strictObject({ title: label(300), description: text(5000).default('') });
export type BankSectionFr = z.output<typeof bankSectionFrSchema>;
export const bankTemplateFrSchema = z.strictObject({ title: label(300), description: text(5000).default('') });
export type BankTemplateFr = z.output<typeof bankTemplateFrSchema>;
export const bankQuestionInputSchema = z.strictObject({
  key,
  kind: z.enum(QUESTION_KINDS),
  prompt: label(1000),
  guidance: text(5000).default(''),
  options: questionOptionsSchema.default({}),
  required: z.boolean().default(false),
  locked: z.boolean().default(false),
  preAnswer: z.unknown().optional(),
  /** Who gave the pre-answer; the operator unless a vendor questionnaire published it. */
  preAnswerOrigin: z.enum(PRE_ANSWER_ORIGINS).optional(),
  /** The source of the pre-answer (stale after the same review period as an institution's answers). */
  preAnswerEvidence: evidenceSaveSchema.nullable().optional(),
  condition: conditionSchema.nullable().default(null),
  jurisdictions: uniqueArray(z.enum(JURISDICTIONS), JURISDICTIONS.length).default([]),
  fr: bankQuestionFrSchema.optional(),
});
export type BankQuestionInput = z.output<typeof bankQuestionInputSchema>;
export const bankSectionInputSchema = z.strictObject({
  key,
  code: z.string().trim().max(8).default(''),
  title: label(300),
  description: text(5000).default(''),
  questions: z.array(bankQuestionInputSchema).max(200),
  fr: bankSectionFrSchema.optional(),
});
export type BankSectionInput = z.output<typeof bankSectionInputSchema>;
/** Replaces the whole content of a draft version. */
export const bankVersionContentSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  changeLog: text(10000).default(''),
  sections: z.array(bankSectionInputSchema).max(40),
});
export type BankVersionContent = z.output<typeof bankVersionContentSchema>;
export const bankTemplateCreateSchema = z.strictObject({
  slug: key,
  title: label(300),
  description: text(5000).default(''),
  catalogAppId: uuid.nullable().default(null),
  jurisdictions: uniqueArray(z.enum(JURISDICTIONS), JURISDICTIONS.length).default([]),
  fr: bankTemplateFrSchema.optional(),
  /** Start version 1 from the latest published content of this template (e.g. the generic PIA). */
  copyFromTemplateId: uuid.optional(),
});
export const bankTemplateUpdateSchema = z.strictObject({
  title: label(300).optional(),
  description: text(5000).optional(),
  catalogAppId: uuid.nullable().optional(),
  jurisdictions: uniqueArray(z.enum(JURISDICTIONS), JURISDICTIONS.length).optional(),
  fr: bankTemplateFrSchema.nullable().optional(),
});
export const bankPublishSchema = z.strictObject({ version: z.number().int().min(1).max(INT_MAX), changeLog: text(10000).optional() });
export const bankQuerySchema = z.strictObject({ catalogAppId: uuid.optional(), q: z.string().trim().max(200).optional() });

export const bankQuestionSchema = z.object({
  id: uuid,
  key: z.string(),
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string(),
  guidance: z.string(),
  options: questionOptionsSchema,
  required: z.boolean(),
  locked: z.boolean(),
  preAnswer: z.unknown().nullable(),
  preAnswerEvidence: evidenceSchema.nullable(),
  /** A vendor's pre-answer: its days (null for the operator's own). */
  preAnswerProvenance: provenanceSchema.nullable(),
  condition: conditionSchema.nullable(),
  jurisdictions: z.array(z.string()),
  /** The French beside the English (null until translated). */
  fr: bankQuestionFrSchema.nullable(),
});
export type BankQuestionBody = z.infer<typeof bankQuestionSchema>;
export const bankSectionSchema = z.object({
  id: uuid,
  key: z.string(),
  code: z.string(),
  title: z.string(),
  description: z.string(),
  questions: z.array(bankQuestionSchema),
  fr: bankSectionFrSchema.nullable(),
});
export const bankVersionSummarySchema = z.object({
  id: uuid,
  number: z.number().int(),
  status: z.enum(['draft', 'published']),
  changeLog: z.string(),
  publishedAt: z.string().nullable(),
  version: z.number().int(),
});
/** A question a version added, changed or removed since the version before it. */
export const bankVersionChangeSchema = z.object({
  key: z.string(),
  sectionTitle: z.string(),
  prompt: z.string(),
  change: z.enum(['added', 'modified', 'removed']),
});
export type BankVersionChange = z.infer<typeof bankVersionChangeSchema>;
export const bankVersionSchema = bankVersionSummarySchema.extend({
  templateId: uuid,
  sections: z.array(bankSectionSchema),
  /** Question by question, what this version changes since the previous one (empty for version 1). */
  changes: z.array(bankVersionChangeSchema),
});
export type BankVersionBody = z.infer<typeof bankVersionSchema>;
export const bankTemplateSchema = z.object({
  id: uuid,
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  catalogAppId: uuid.nullable(),
  catalogAppName: z.string().nullable(),
  jurisdictions: z.array(z.string()),
  fr: bankTemplateFrSchema.nullable(),
  isGeneric: z.boolean(),
  latestPublished: bankVersionSummarySchema.nullable(),
  versions: z.array(bankVersionSummarySchema),
  updatedAt: z.string(),
});
export type BankTemplateBody = z.infer<typeof bankTemplateSchema>;

// ---------- assessments ----------
export const assessmentCreateSchema = z.strictObject({
  inventoryItemId: uuid,
  /** A published bank version to adopt; omitted: start blank from the generic structure. */
  templateVersionId: uuid.optional(),
  title: label(300).optional(),
});
export const assessmentQuerySchema = z.strictObject({
  inventoryItemId: uuid.optional(),
  status: z.enum(ASSESSMENT_STATUSES).optional(),
});
export const answerSaveSchema = z.strictObject({
  value: z.unknown(),
  /** The answer's source; omitted: the evidence stays as it is. */
  evidence: evidenceSaveSchema.optional(),
  /** The answer version last seen (0 when the question had no answer). */
  version: z.number().int().min(0).max(INT_MAX),
});
export const ownSectionCreateSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  title: label(300),
  description: text(5000).default(''),
});
export const ownQuestionCreateSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  sectionId: uuid,
  kind: z.enum(QUESTION_KINDS),
  prompt: label(1000),
  guidance: text(5000).default(''),
  options: questionOptionsSchema.default({}),
  required: z.boolean().default(false),
});
export const questionUpdateSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  hidden: z.boolean().optional(),
  prompt: label(1000).optional(),
  guidance: text(5000).optional(),
  options: questionOptionsSchema.optional(),
  required: z.boolean().optional(),
});
export const versionOnlySchema = z.strictObject({ version: z.number().int().min(1).max(INT_MAX) });
const riskFields = {
  title: label(300),
  description: text(5000),
  likelihood: scale,
  impact: scale,
  mitigation: text(5000),
  owner: z.string().trim().max(200),
  dueOn: isoDate.nullable(),
  residualLikelihood: scale.nullable(),
  residualImpact: scale.nullable(),
};
export const riskCreateSchema = z.strictObject({
  ...riskFields,
  description: riskFields.description.default(''),
  mitigation: riskFields.mitigation.default(''),
  owner: riskFields.owner.default(''),
  dueOn: riskFields.dueOn.default(null),
  residualLikelihood: riskFields.residualLikelihood.default(null),
  residualImpact: riskFields.residualImpact.default(null),
  /** The assessment version last seen. */
  version: z.number().int().min(1).max(INT_MAX),
});
export const riskUpdateSchema = z
  .strictObject({ ...riskFields, version: z.number().int().min(1).max(INT_MAX) })
  .partial()
  .required({ version: true });
export const submitSchema = z.strictObject({ version: z.number().int().min(1).max(INT_MAX), comment: text(5000).default('') });
export const returnSchema = z.strictObject({ version: z.number().int().min(1).max(INT_MAX), comment: z.string().trim().min(1).max(5000) });
export const decideSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  decision: z.enum(DECISIONS),
  comment: text(5000).default(''),
  conditions: text(5000).default(''),
  nextReviewOn: isoDate.nullable().default(null),
});
export const reopenSchema = z.strictObject({ version: z.number().int().min(1).max(INT_MAX), comment: text(5000).default('') });
export const mergeDecisionSchema = z.strictObject({ key: z.string().max(80), action: z.enum(['take', 'keep']) });
export const mergeApplySchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  toVersionId: uuid,
  decisions: z.array(mergeDecisionSchema).max(2000),
});
/** `lang`: the language of the bank's wording in the diff (default: the one the reader chose, else English). */
export const mergeQuerySchema = z.strictObject({ toVersionId: uuid.optional(), lang: z.enum(LANGUAGES).optional() });
export const compareQuerySchema = z.strictObject({
  from: z.coerce.number().int().min(1).max(INT_MAX),
  to: z.coerce.number().int().min(1).max(INT_MAX),
});
export const revisionParamsSchema = z.object({ id: uuid, number: z.coerce.number().int().min(1).max(INT_MAX) });
export const questionParamsSchema = z.object({ id: uuid, questionId: uuid });
export const riskParamsSchema = z.object({ id: uuid, riskId: uuid });
/** `lang`: the reader's language for the bank's text (default: the one the reader chose, else English). */
export const readerQuerySchema = z.strictObject({ lang: z.enum(LANGUAGES).optional() });
/** `lang`: the language of the output (default: the one the reader chose, else English). */
export const pdfQuerySchema = z.strictObject({
  revision: z.coerce.number().int().min(1).max(INT_MAX).optional(),
  lang: z.enum(LANGUAGES).optional(),
});
export const summaryQuerySchema = pdfQuerySchema.extend({ audience: z.enum(['teacher', 'parent']) });

/**
 * Who wrote an answer: `operator`, the master bank's pre-answer; `institution`, the institution's
 * people; `onboarding`, the operator's staff loading the institution's data during onboarding;
 * `vendor`, the vendor's own answer through a vendor questionnaire, reviewed before it was published.
 */
export const ANSWER_ORIGINS = ['operator', 'institution', 'onboarding', 'vendor'] as const;
export type AnswerOrigin = (typeof ANSWER_ORIGINS)[number];
export const answerSchema = z.object({
  value: z.unknown().nullable(),
  origin: z.enum(ANSWER_ORIGINS),
  /** Null when the answer names no source. */
  evidence: evidenceSchema.nullable(),
  /** A vendor's answer from the bank: its days (null otherwise, and once anyone edits the answer). */
  provenance: provenanceSchema.nullable(),
  updatedBy: z.object({ id: uuid, name: z.string() }).nullable(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export const assessmentQuestionSchema = z.object({
  id: uuid,
  key: z.string(),
  origin: z.enum(['operator', 'institution']),
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string(),
  guidance: z.string(),
  options: questionOptionsSchema,
  required: z.boolean(),
  locked: z.boolean(),
  hidden: z.boolean(),
  condition: conditionSchema.nullable(),
  /** False when its condition on an earlier answer is not met. */
  isShown: z.boolean(),
  jurisdictions: z.array(z.string()),
  /** The language of the text: the reader's for bank text, `en` where the bank has no French; null for the institution's own. */
  lang: z.enum(LANGUAGES).nullable(),
  answer: answerSchema.nullable(),
});
export type AssessmentQuestionBody = z.infer<typeof assessmentQuestionSchema>;
export const assessmentSectionSchema = z.object({
  id: uuid,
  key: z.string(),
  origin: z.enum(['operator', 'institution']),
  code: z.string(),
  title: z.string(),
  description: z.string(),
  /** As a question's `lang`. */
  lang: z.enum(LANGUAGES).nullable(),
  questions: z.array(assessmentQuestionSchema),
});
export const riskSchema = z.object({
  id: uuid,
  title: z.string(),
  description: z.string(),
  likelihood: z.number().int(),
  impact: z.number().int(),
  inherentScore: z.number().int(),
  inherentLevel: z.enum(RISK_LEVELS),
  mitigation: z.string(),
  owner: z.string(),
  dueOn: z.string().nullable(),
  residualLikelihood: z.number().int().nullable(),
  residualImpact: z.number().int().nullable(),
  residualLevel: z.enum(RISK_LEVELS).nullable(),
  version: z.number().int(),
});
export type RiskBody = z.infer<typeof riskSchema>;
export const signoffSchema = z.object({
  id: uuid,
  userId: uuid.nullable(),
  signerName: z.string(),
  /** The signer's role as recorded (the English label of the time). */
  role: z.string(),
  /** That role as a code, for the reader's language; null for a label no longer known. */
  roleKey: z.enum(['site_admin', 'app_admin_approver', 'app_admin', 'operator', 'system']).nullable(),
  decision: z.enum(SIGNOFF_DECISIONS),
  comment: z.string(),
  at: z.string(),
});
export const revisionSummarySchema = z.object({
  id: uuid,
  number: z.number().int(),
  status: z.enum(ASSESSMENT_STATUSES),
  isFrozen: z.boolean(),
  templateVersionNumber: z.number().int().nullable(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  conditions: z.string(),
  nextReviewOn: z.string().nullable(),
  createdAt: z.string(),
});
export const revisionSchema = revisionSummarySchema.extend({
  sections: z.array(assessmentSectionSchema),
  risks: z.array(riskSchema),
  signoffs: z.array(signoffSchema),
});
export type RevisionBody = z.infer<typeof revisionSchema>;
export const assessmentSummarySchema = z.object({
  id: uuid,
  inventoryItemId: uuid,
  appName: z.string(),
  title: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  currentRevision: z.number().int(),
  approvedRevision: z.number().int().nullable(),
  templateId: uuid.nullable(),
  templateTitle: z.string().nullable(),
  baseVersionNumber: z.number().int().nullable(),
  /** The newest published version of the adopted template, when newer than the base. */
  update: z.object({ versionId: uuid, number: z.number().int(), changeLog: z.string() }).nullable(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type AssessmentSummaryBody = z.infer<typeof assessmentSummarySchema>;
export const assessmentSchema = assessmentSummarySchema.extend({
  inventoryStatus: z.string(),
  revision: revisionSchema,
  /** How many shown answers of the current revision rest on evidence older than the review period. */
  staleEvidence: z.number().int(),
  revisions: z.array(revisionSummarySchema),
  /** What the caller may do now; the UI shows controls from it. */
  abilities: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    returnForChanges: z.boolean(),
    decide: z.boolean(),
    reopen: z.boolean(),
    merge: z.boolean(),
  }),
});
export type AssessmentBody = z.infer<typeof assessmentSchema>;
export const answerSavedSchema = z.object({ questionId: uuid, answer: answerSchema, assessmentVersion: z.number().int() });

/** One question's three-way comparison: base (template then), theirs (template now), ours (the copy). */
const facetSchema = z.object({
  base: z.unknown().nullable(),
  theirs: z.unknown().nullable(),
  ours: z.unknown().nullable(),
  theirsChanged: z.boolean(),
  oursChanged: z.boolean(),
  conflict: z.boolean(),
});
export const mergeChangeSchema = z.object({
  key: z.string(),
  sectionTitle: z.string(),
  prompt: z.string(),
  change: z.enum(['added', 'removed', 'modified']),
  definition: facetSchema,
  answer: facetSchema,
  /** The evidence of the answer (`{ url, quote, seenOn }` or null on each side); taken with the answer. */
  evidence: facetSchema,
  conflict: z.boolean(),
  /** What is taken when nobody decides: take clean changes, keep on conflict. */
  suggested: z.enum(['take', 'keep']),
});
export type MergeChangeBody = z.infer<typeof mergeChangeSchema>;
export const mergePreviewSchema = z.object({
  fromVersion: z.object({ id: uuid, number: z.number().int() }).nullable(),
  toVersion: z.object({ id: uuid, number: z.number().int(), changeLog: z.string() }),
  changes: z.array(mergeChangeSchema),
});
export const compareEntrySchema = z.object({
  key: z.string(),
  sectionTitle: z.string(),
  prompt: z.string(),
  from: z.unknown().nullable(),
  to: z.unknown().nullable(),
  change: z.enum(['added', 'removed', 'changed', 'same']),
});
export const compareSchema = z.object({
  from: revisionSummarySchema,
  to: revisionSummarySchema,
  questions: z.array(compareEntrySchema),
  risks: z.object({ from: z.array(riskSchema), to: z.array(riskSchema) }),
});
export const summarySchema = z.object({
  audience: z.enum(['teacher', 'parent']),
  appName: z.string(),
  vendor: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  revision: z.number().int(),
  decidedAt: z.string().nullable(),
  /** The language every generated word of the summary is in. */
  language: z.enum(LANGUAGES),
  headline: z.string(),
  points: z.array(z.object({ heading: z.string(), text: z.string() })),
});
export type SummaryBody = z.infer<typeof summarySchema>;

// ---------- the documents the laws ask for ----------
/**
 * Documents a law asks an institution to produce from its assessment: New York's supplemental
 * information about a contract (Education Law 2-d), Illinois SOPPA's list of operators, BC's
 * assessment of disclosure outside Canada, Québec's privacy impact assessment summary.
 */
export const LAW_DOCUMENT_KINDS = ['ny-supplemental', 'il-operators', 'bc-outside-canada', 'qc-pia-summary'] as const;
export type LawDocumentKind = (typeof LAW_DOCUMENT_KINDS)[number];
/** The jurisdiction whose institutions are offered each document. */
export const LAW_DOCUMENT_JURISDICTION: Record<LawDocumentKind, Jurisdiction> = {
  'ny-supplemental': 'NY',
  'il-operators': 'IL',
  'bc-outside-canada': 'BC',
  'qc-pia-summary': 'QC',
};
export const lawDocumentParamsSchema = z.object({ id: uuid, kind: z.enum(LAW_DOCUMENT_KINDS) });
export const lawDocumentQuerySchema = z.strictObject({
  revision: z.coerce.number().int().min(1).max(INT_MAX).optional(),
  lang: z.enum(LANGUAGES).optional(),
});
export const lawDocumentSchema = z.object({
  kind: z.enum(LAW_DOCUMENT_KINDS),
  language: z.enum(LANGUAGES),
  title: z.string(),
  institutionName: z.string(),
  appName: z.string(),
  revision: z.number().int(),
  /** The law the document answers, with its reference (e.g. the Parents' Bill of Rights). */
  basis: z.string(),
  intro: z.string(),
  /** Each part the law asks for; `missing` when the assessment does not answer it yet. */
  parts: z.array(z.object({ heading: z.string(), text: z.string(), missing: z.boolean() })),
  /** Illinois: one row per operator with a written agreement. */
  rows: z.array(z.object({ operator: z.string(), app: z.string(), dataElements: z.string(), agreement: z.string() })),
});
export type LawDocumentBody = z.infer<typeof lawDocumentSchema>;
export const lawDocumentListSchema = z.object({ items: z.array(z.object({ kind: z.enum(LAW_DOCUMENT_KINDS), title: z.string() })) });
