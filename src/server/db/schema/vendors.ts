import { sql } from 'drizzle-orm';
import {
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
import { piaTemplates, piaTemplateVersions } from './assessments.js';
import { bytea } from './attachments.js';
import { timestamps } from './columns.js';
import { institutions } from './tenants.js';

/**
 * A vendor questionnaire: a vendor contact asked, by an unguessable link, to answer the questions of a
 * bank template version for their product. `tenant_id` is null for the operator's questionnaires
 * (whose accepted answers become pre-answers of the bank) and names the institution for an
 * institution's own (whose accepted answers land in its PIA of `inventory_item_id`); the latter are
 * tenant rows behind both walls, the former are reached by system code alone. Only the link's keyed
 * hash is stored; the contact's email is sealed and erased once the questionnaire is submitted,
 * revoked or expired.
 */
export const vendorQuestionnaires = pgTable(
  'vendor_questionnaires',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id').references(() => institutions.id),
    templateId: uuid('template_id')
      .notNull()
      .references(() => piaTemplates.id),
    /** The version whose questions the vendor answers. */
    templateVersionId: uuid('template_version_id')
      .notNull()
      .references(() => piaTemplateVersions.id),
    /** An institution's questionnaire: the app of its inventory whose PIA receives the answers (no foreign key: the item may be removed). */
    inventoryItemId: uuid('inventory_item_id'),
    productName: text('product_name').notNull(),
    vendorName: text('vendor_name').notNull().default(''),
    /** Keyed hash of the link token (the link itself is only in the invitation mail). */
    tokenHash: text('token_hash').notNull(),
    /** Sealed contact email (never exported, never audited, never shown); null once it has served. */
    contactEmailSecret: text('contact_email_secret'),
    language: text('language').notNull().default('en'),
    status: text('status').notNull().default('open'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The bank version the accepted answers were published in (operator questionnaires). */
    publishedVersionId: uuid('published_version_id').references(() => piaTemplateVersions.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('vendor_questionnaires_token_key').on(t.tokenHash),
    index('vendor_questionnaires_tenant_idx').on(t.tenantId, t.status, t.createdAt),
    index('vendor_questionnaires_template_idx').on(t.templateId),
    index('vendor_questionnaires_version_idx').on(t.templateVersionId),
    index('vendor_questionnaires_published_version_idx').on(t.publishedVersionId),
    check('vendor_questionnaires_status_check', sql`${t.status} in ('open', 'submitted', 'published', 'closed')`),
    check('vendor_questionnaires_language_check', sql`${t.language} in ('en', 'fr')`),
  ],
);

/** A vendor's answer to one question (by key), with its evidence and the reviewer's verdict. */
export const vendorAnswers = pgTable(
  'vendor_answers',
  {
    questionnaireId: uuid('questionnaire_id').notNull(),
    /** The questionnaire's institution (null for the operator's), for the walls. */
    tenantId: uuid('tenant_id').references(() => institutions.id),
    questionKey: text('question_key').notNull(),
    value: jsonb('value'),
    evidenceUrl: text('evidence_url'),
    evidenceQuote: text('evidence_quote').notNull().default(''),
    /** The day the vendor saw the evidence. */
    evidenceSeenOn: date('evidence_seen_on'),
    review: text('review').notNull().default('pending'),
    reviewNote: text('review_note').notNull().default(''),
    /** Optimistic-concurrency counter: each save names the version it read. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.questionnaireId, t.questionKey] }),
    index('vendor_answers_tenant_idx').on(t.tenantId, t.questionnaireId),
    foreignKey({ columns: [t.questionnaireId], foreignColumns: [vendorQuestionnaires.id] }).onDelete('cascade'),
    check('vendor_answers_review_check', sql`${t.review} in ('pending', 'accepted', 'rejected')`),
  ],
);

/**
 * A file the vendor attaches as the evidence of one answer (by question key): checked like an
 * attachment (type by its own bytes, size), encrypted with a key of its own (AES-256-GCM, bound to
 * the row) that is kept sealed under `SECRETS_KEY` in `key_secret` (bound to the row), whether the
 * questionnaire is the operator's (no institution) or an institution's.
 */
export const vendorAnswerFiles = pgTable(
  'vendor_answer_files',
  {
    id: uuid('id').primaryKey(),
    questionnaireId: uuid('questionnaire_id').notNull(),
    /** The questionnaire's institution (null for the operator's), for the walls. */
    tenantId: uuid('tenant_id').references(() => institutions.id),
    questionKey: text('question_key').notNull(),
    fileName: text('file_name').notNull(),
    /** The type found in the file's own bytes, never the one the client claimed. */
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    /** The file's own key, sealed (bound to `vendor_answer_files:<id>`). */
    keySecret: text('key_secret').notNull(),
    content: bytea('content').notNull(),
    ...timestamps,
  },
  (t) => [
    index('vendor_answer_files_questionnaire_idx').on(t.tenantId, t.questionnaireId, t.questionKey),
    foreignKey({ columns: [t.questionnaireId], foreignColumns: [vendorQuestionnaires.id] }).onDelete('cascade'),
    check(
      'vendor_answer_files_content_type_check',
      sql`${t.contentType} in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/png', 'image/jpeg')`,
    ),
  ],
);
