import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { institutions } from './tenants.js';

/**
 * Versions of Vetted's own privacy policy, published by the operator (shared, not tenant data: public
 * at /privacy). Markdown in English and French. A `significant` version emails every site admin of every
 * active institution (commitment 10) and shows them a notice until acknowledged; a `minor` one does not.
 */
export const privacyPolicyVersions = pgTable(
  'privacy_policy_versions',
  {
    id: uuid('id').primaryKey(),
    /** 1, 2, 3… in publication order. */
    number: integer('number').notNull(),
    kind: text('kind').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    bodyEn: text('body_en').notNull(),
    bodyFr: text('body_fr').notNull(),
    /** What changed, in a few lines: quoted in the email and the notice. */
    summaryEn: text('summary_en').notNull(),
    summaryFr: text('summary_fr').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('privacy_policy_versions_number_key').on(t.number),
    check('privacy_policy_versions_kind_check', sql`${t.kind} in ('significant', 'minor')`),
  ],
);

/**
 * One row per site admin told of a significant version: the recipient and whether they acknowledged
 * the in-app notice — nothing else. Its delivery state is the outbox row of
 * `privacy-policy:<version>:<user>`.
 */
export const privacyPolicyNotices = pgTable(
  'privacy_policy_notices',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => privacyPolicyVersions.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.versionId, t.userId] }),
    index('privacy_policy_notices_version_idx').on(t.versionId),
    index('privacy_policy_notices_user_idx').on(t.userId),
  ],
);
