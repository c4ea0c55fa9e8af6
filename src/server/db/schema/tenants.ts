import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/** The tenant. RLS: a tenant sees only its own row (`id` plays the part of `tenant_id`). */
export const institutions = pgTable(
  'institutions',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    country: text('country').notNull(),
    subdivision: text('subdivision').notNull(),
    region: text('region').notNull(),
    gradeLevels: text('grade_levels').array().notNull(),
    status: text('status').notNull().default('active'),
    publicSlug: text('public_slug'),
    isDemo: boolean('is_demo').notNull().default(false),
    /** Decision rule: an app is approved or listed publicly only with an approved PIA. */
    requireApprovedPia: boolean('require_approved_pia').notNull().default(true),
    /** Decision rule: what an expired agreement does to an approved app (`needs_review`: back to review, off the public list). */
    expiredAgreement: text('expired_agreement').notNull().default('needs_review'),
    /** Decision rule: months from an approval to the next review. */
    reviewIntervalMonths: integer('review_interval_months').notNull().default(12),
    /** Months after the day an answer's evidence was seen before it is flagged stale. */
    evidenceReviewMonths: integer('evidence_review_months').notNull().default(12),
    ...timestamps,
  },
  (t) => [
    check('institutions_expired_agreement_check', sql`${t.expiredAgreement} in ('needs_review', 'keep')`),
    check('institutions_review_interval_check', sql`${t.reviewIntervalMonths} between 1 and 60`),
    check('institutions_evidence_review_check', sql`${t.evidenceReviewMonths} between 1 and 60`),
    uniqueIndex('institutions_public_slug_key').on(t.publicSlug),
    check('institutions_region_check', sql`${t.region} in ('ca', 'us')`),
    check('institutions_status_check', sql`${t.status} in ('active', 'offboarding', 'purged')`),
  ],
);

/** Schools of an institution, each with its grade span. */
export const schools = pgTable(
  'schools',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    gradeFrom: text('grade_from').notNull(),
    gradeTo: text('grade_to').notNull(),
    position: integer('position').notNull().default(0),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex('schools_name_key').on(t.tenantId, sql`lower(${t.name})`)],
);
