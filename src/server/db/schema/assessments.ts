import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { BankQuestionFr, BankSectionFr, BankTemplateFr } from '../../../contracts/assessments.js';
import { catalogApps } from './catalog.js';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { inventoryItems } from './inventory.js';
import { institutions } from './tenants.js';

const QUESTION_KIND_SQL = sql.raw(
  `'yes_no_unsure', 'single_choice', 'multiple_choice', 'short_text', 'long_text', 'date', 'country_list', 'data_elements', 'table_rows', 'evidence_link', 'risk'`,
);

// ---------------------------------------------------------------------------------------------
// The master bank (operator-owned, shared by every tenant, no personal data). Request code reads
// it; only system code (the operator console, seeding) writes it.
// ---------------------------------------------------------------------------------------------

/** A PIA template: a stable id whose content lives in numbered versions. */
export const piaTemplates = pgTable(
  'pia_templates',
  {
    id: uuid('id').primaryKey(),
    /** Stable human key used by seeding and bundles (e.g. `generic-edtech`). */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    /** The catalog app this template is for; null for a generic template. */
    catalogAppId: uuid('catalog_app_id').references(() => catalogApps.id),
    jurisdictions: text('jurisdictions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The generic structure an institution starts from when it starts a PIA blank. */
    isGeneric: boolean('is_generic').notNull().default(false),
    isDemo: boolean('is_demo').notNull().default(false),
    /** The Canadian French of the title and description (docs/adr/0013-bilingual-bank.md). */
    fr: jsonb('fr').$type<BankTemplateFr>(),
    ...timestamps,
  },
  (t) => [uniqueIndex('pia_templates_slug_key').on(t.slug), index('pia_templates_catalog_app_idx').on(t.catalogAppId)],
);

/** One numbered version of a template: a draft (editable) or published (immutable). */
export const piaTemplateVersions = pgTable(
  'pia_template_versions',
  {
    id: uuid('id').primaryKey(),
    templateId: uuid('template_id')
      .notNull()
      .references(() => piaTemplates.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    status: text('status').notNull().default('draft'),
    /** What changed in this version, shown to adopters. */
    changeLog: text('change_log').notNull().default(''),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by'),
    /** Optimistic-concurrency counter for edits of a draft. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('pia_template_versions_number_key').on(t.templateId, t.number),
    uniqueIndex('pia_template_versions_one_draft_key')
      .on(t.templateId)
      .where(sql`${t.status} = 'draft'`),
    index('pia_template_versions_published_by_idx').on(t.publishedBy),
    foreignKey({ columns: [t.publishedBy], foreignColumns: [users.id] }).onDelete('set null'),
    check('pia_template_versions_status_check', sql`${t.status} in ('draft', 'published')`),
    check('pia_template_versions_number_check', sql`${t.number} >= 1`),
  ],
);

/** A section (A–K in the seed structure) of a template version. `key` is stable across versions. */
export const piaTemplateSections = pgTable(
  'pia_template_sections',
  {
    id: uuid('id').primaryKey(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => piaTemplateVersions.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    code: text('code').notNull().default(''),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    /** The Canadian French of the title and description; null until translated. */
    fr: jsonb('fr').$type<BankSectionFr>(),
    ...timestamps,
  },
  (t) => [uniqueIndex('pia_template_sections_key').on(t.versionId, t.key)],
);

/**
 * A question of a template version. `key` identifies the question across versions (the three-way
 * merge matches on it). `pre_answer` is the operator's answer, copied into adopters' copies.
 */
export const piaTemplateQuestions = pgTable(
  'pia_template_questions',
  {
    id: uuid('id').primaryKey(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => piaTemplateVersions.id, { onDelete: 'cascade' }),
    sectionId: uuid('section_id')
      .notNull()
      .references(() => piaTemplateSections.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    position: integer('position').notNull().default(0),
    kind: text('kind').notNull(),
    prompt: text('prompt').notNull(),
    guidance: text('guidance').notNull().default(''),
    /** `{ choices?: [{value,label}], columns?: [{key,label}] }` depending on the kind. */
    options: jsonb('options').notNull().default({}),
    required: boolean('required').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    preAnswer: jsonb('pre_answer'),
    /** Who gave the pre-answer: `operator`, or `vendor` (a vendor questionnaire the operator reviewed). */
    preAnswerOrigin: text('pre_answer_origin').notNull().default('operator'),
    /** The source of the pre-answer: a link, a quotation or a document's name, and the day it was seen. */
    preAnswerEvidenceUrl: text('pre_answer_evidence_url'),
    preAnswerEvidenceQuote: text('pre_answer_evidence_quote').notNull().default(''),
    preAnswerEvidenceSeenOn: date('pre_answer_evidence_seen_on'),
    /** A vendor's pre-answer: the day the vendor submitted it and the day the operator reviewed and published it (null otherwise). */
    preAnswerVendorAnsweredOn: date('pre_answer_vendor_answered_on'),
    preAnswerReviewedOn: date('pre_answer_reviewed_on'),
    /** `{ questionKey, anyOf: [...] }`: shown only when that earlier answer matches. */
    condition: jsonb('condition'),
    jurisdictions: text('jurisdictions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The Canadian French of the prompt, guidance, choice and column labels and a text pre-answer; null until translated. */
    fr: jsonb('fr').$type<BankQuestionFr>(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('pia_template_questions_key').on(t.versionId, t.key),
    index('pia_template_questions_section_idx').on(t.sectionId),
    check('pia_template_questions_kind_check', sql`${t.kind} in (${QUESTION_KIND_SQL})`),
    check('pia_template_questions_pre_answer_origin_check', sql`${t.preAnswerOrigin} in ('operator', 'vendor')`),
    check(
      'pia_template_questions_pre_answer_provenance_check',
      sql`${t.preAnswerOrigin} = 'vendor' or (${t.preAnswerVendorAnsweredOn} is null and ${t.preAnswerReviewedOn} is null)`,
    ),
  ],
);

// ---------------------------------------------------------------------------------------------
// Assessments (a client's PIA). Every table is a tenant table: tenant_id leads keys and indexes.
// ---------------------------------------------------------------------------------------------

/** One PIA of an inventory item; its content lives in numbered revisions. */
export const assessments = pgTable(
  'assessments',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    inventoryItemId: uuid('inventory_item_id').notNull(),
    templateId: uuid('template_id').references(() => piaTemplates.id),
    /** The template version the current revision is based on (moves forward on merge). */
    baseVersionId: uuid('base_version_id').references(() => piaTemplateVersions.id),
    title: text('title').notNull(),
    /** Status of the current revision, kept here for lists and reports. */
    status: text('status').notNull().default('draft'),
    currentRevision: integer('current_revision').notNull().default(1),
    /** Revision number of the latest approved revision, if any (reports: "has an approved PIA"). */
    approvedRevision: integer('approved_revision'),
    createdBy: uuid('created_by'),
    /** Optimistic-concurrency counter: every write to the current revision increments it. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assessments_inventory_item_key').on(t.tenantId, t.inventoryItemId),
    foreignKey({ columns: [t.tenantId, t.inventoryItemId], foreignColumns: [inventoryItems.tenantId, inventoryItems.id] }).onDelete(
      'cascade',
    ),
    index('assessments_template_idx').on(t.templateId),
    index('assessments_base_version_idx').on(t.baseVersionId),
    index('assessments_created_by_idx').on(t.createdBy),
    index('assessments_status_idx').on(t.tenantId, t.status),
    foreignKey({ columns: [t.createdBy], foreignColumns: [users.id] }).onDelete('set null'),
    check('assessments_status_check', sql`${t.status} in ('draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected')`),
  ],
);

/** A revision: the full content of an assessment at one round of review. Decided revisions are frozen. */
export const assessmentRevisions = pgTable(
  'assessment_revisions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    assessmentId: uuid('assessment_id').notNull(),
    number: integer('number').notNull(),
    status: text('status').notNull().default('draft'),
    templateVersionId: uuid('template_version_id').references(() => piaTemplateVersions.id),
    createdBy: uuid('created_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** Conditions of use when approved with conditions (teacher-facing). */
    conditions: text('conditions').notNull().default(''),
    nextReviewOn: date('next_review_on'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assessment_revisions_number_key').on(t.tenantId, t.assessmentId, t.number),
    foreignKey({ columns: [t.tenantId, t.assessmentId], foreignColumns: [assessments.tenantId, assessments.id] }).onDelete('cascade'),
    index('assessment_revisions_template_version_idx').on(t.templateVersionId),
    index('assessment_revisions_created_by_idx').on(t.createdBy),
    foreignKey({ columns: [t.createdBy], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'assessment_revisions_status_check',
      sql`${t.status} in ('draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected')`,
    ),
  ],
);

/** A section of a revision: copied from the template (origin operator) or added by the institution. */
export const assessmentSections = pgTable(
  'assessment_sections',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    key: text('key').notNull(),
    origin: text('origin').notNull(),
    code: text('code').notNull().default(''),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    /** The bank's French of a section copied from the bank; null for the institution's own sections. */
    fr: jsonb('fr').$type<BankSectionFr>(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assessment_sections_key').on(t.tenantId, t.revisionId, t.key),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    check('assessment_sections_origin_check', sql`${t.origin} in ('operator', 'institution')`),
  ],
);

/** A question of a revision. Operator questions keep the template's `key`; `hidden` hides an editable one. */
export const assessmentQuestions = pgTable(
  'assessment_questions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    sectionId: uuid('section_id').notNull(),
    key: text('key').notNull(),
    origin: text('origin').notNull(),
    position: integer('position').notNull().default(0),
    kind: text('kind').notNull(),
    prompt: text('prompt').notNull(),
    guidance: text('guidance').notNull().default(''),
    options: jsonb('options').notNull().default({}),
    required: boolean('required').notNull().default(false),
    locked: boolean('locked').notNull().default(false),
    hidden: boolean('hidden').notNull().default(false),
    condition: jsonb('condition'),
    jurisdictions: text('jurisdictions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The bank's French of a question copied from the bank (kept in step by the merge); null for the institution's own. */
    fr: jsonb('fr').$type<BankQuestionFr>(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('assessment_questions_key').on(t.tenantId, t.revisionId, t.key),
    index('assessment_questions_section_idx').on(t.tenantId, t.sectionId),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.sectionId], foreignColumns: [assessmentSections.tenantId, assessmentSections.id] }).onDelete(
      'cascade',
    ),
    check('assessment_questions_origin_check', sql`${t.origin} in ('operator', 'institution')`),
    check('assessment_questions_kind_check', sql`${t.kind} in (${QUESTION_KIND_SQL})`),
  ],
);

/**
 * The answer to one question; remembers its origin and who last changed it. Origin: `operator`, the
 * master bank's pre-answer; `institution`, the institution's people; `onboarding`, the operator's staff
 * loading the institution's data during onboarding (labelled as the operator's, never as the institution's);
 * `vendor`, the vendor's own answer through a vendor questionnaire, reviewed by the operator or the institution.
 */
export const assessmentAnswers = pgTable(
  'assessment_answers',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    questionId: uuid('question_id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    value: jsonb('value'),
    origin: text('origin').notNull(),
    /** The answer's source: a link, a quotation or a document's name, and the day it was seen (stale after the review period). */
    evidenceUrl: text('evidence_url'),
    evidenceQuote: text('evidence_quote').notNull().default(''),
    evidenceSeenOn: date('evidence_seen_on'),
    /** A vendor's answer from the bank: the day the vendor submitted it and the day the operator reviewed and published it. */
    vendorAnsweredOn: date('vendor_answered_on'),
    reviewedOn: date('reviewed_on'),
    updatedBy: uuid('updated_by'),
    /** Optimistic-concurrency counter for autosave. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.questionId] }),
    // A revision's answers, and the full export's pages of answers in that order.
    index('assessment_answers_revision_idx').on(t.tenantId, t.revisionId, t.questionId),
    index('assessment_answers_updated_by_idx').on(t.updatedBy),
    foreignKey({ columns: [t.tenantId, t.questionId], foreignColumns: [assessmentQuestions.tenantId, assessmentQuestions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.updatedBy], foreignColumns: [users.id] }).onDelete('set null'),
    check('assessment_answers_origin_check', sql`${t.origin} in ('operator', 'institution', 'onboarding', 'vendor')`),
    // An answer the institution (or anyone but the vendor) wrote carries no vendor provenance.
    check(
      'assessment_answers_provenance_check',
      sql`${t.origin} = 'vendor' or (${t.vendorAnsweredOn} is null and ${t.reviewedOn} is null)`,
    ),
  ],
);

/** The risk register of a revision. Levels are computed from likelihood × impact (1–5 each). */
export const assessmentRisks = pgTable(
  'assessment_risks',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    likelihood: integer('likelihood').notNull(),
    impact: integer('impact').notNull(),
    mitigation: text('mitigation').notNull().default(''),
    /** A role or team, not a person's details (commitment 1). */
    owner: text('owner').notNull().default(''),
    dueOn: date('due_on'),
    residualLikelihood: integer('residual_likelihood'),
    residualImpact: integer('residual_impact'),
    position: integer('position').notNull().default(0),
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('assessment_risks_revision_idx').on(t.tenantId, t.revisionId),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    check('assessment_risks_scale_check', sql`${t.likelihood} between 1 and 5 and ${t.impact} between 1 and 5`),
    check(
      'assessment_risks_residual_check',
      sql`(${t.residualLikelihood} is null or ${t.residualLikelihood} between 1 and 5) and (${t.residualImpact} is null or ${t.residualImpact} between 1 and 5)`,
    ),
  ],
);

/** Sign-off records: who, in what role, when, which decision, with what comment. */
export const assessmentSignoffs = pgTable(
  'assessment_signoffs',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    userId: uuid('user_id'),
    /** The signer's name as it was at signing, so the record survives the account. */
    signerName: text('signer_name').notNull(),
    role: text('role').notNull(),
    decision: text('decision').notNull(),
    comment: text('comment').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('assessment_signoffs_revision_idx').on(t.tenantId, t.revisionId),
    index('assessment_signoffs_user_idx').on(t.userId),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'assessment_signoffs_decision_check',
      sql`${t.decision} in ('submitted', 'returned', 'approved', 'approved_with_conditions', 'rejected', 'reopened')`,
    ),
  ],
);

/** A merge of a new master version into an assessment, with every decision and both sides of each conflict. */
export const assessmentMerges = pgTable(
  'assessment_merges',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    assessmentId: uuid('assessment_id').notNull(),
    revisionId: uuid('revision_id').notNull(),
    fromVersionId: uuid('from_version_id').references(() => piaTemplateVersions.id),
    toVersionId: uuid('to_version_id')
      .notNull()
      .references(() => piaTemplateVersions.id),
    decisions: jsonb('decisions').notNull(),
    mergedBy: uuid('merged_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('assessment_merges_assessment_idx').on(t.tenantId, t.assessmentId),
    index('assessment_merges_revision_idx').on(t.tenantId, t.revisionId),
    index('assessment_merges_from_idx').on(t.fromVersionId),
    index('assessment_merges_to_idx').on(t.toVersionId),
    index('assessment_merges_by_idx').on(t.mergedBy),
    foreignKey({ columns: [t.tenantId, t.assessmentId], foreignColumns: [assessments.tenantId, assessments.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.tenantId, t.revisionId], foreignColumns: [assessmentRevisions.tenantId, assessmentRevisions.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.mergedBy], foreignColumns: [users.id] }).onDelete('set null'),
  ],
);

/**
 * One email telling one person of an adopting institution that a template they use has a new
 * published version. Written after the email is sent, so a retried job never sends it twice.
 */
export const piaUpdateNotices = pgTable(
  'pia_update_notices',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => piaTemplateVersions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.versionId, t.userId] }),
    index('pia_update_notices_version_idx').on(t.versionId),
    index('pia_update_notices_user_idx').on(t.userId),
    check('pia_update_notices_language_check', sql`${t.language} in ('en', 'fr')`),
  ],
);
