import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { institutions } from './tenants.js';

/**
 * The end of service of an institution: requested by its site admin or set by a platform admin,
 * confirmed by a platform admin. From `endOfServiceAt` the institution is read-only; at `purgeAfter`
 * (end of service + grace) the purge deletes it. Tenant data: purged with the rest.
 */
export const offboardings = pgTable(
  'offboardings',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => institutions.id),
    status: text('status').notNull(),
    /** Who receives the deletion certificate (the only personal data here; purged with the tenant). */
    contactEmail: text('contact_email').notNull(),
    endOfServiceAt: timestamp('end_of_service_at', { withTimezone: true }).notNull(),
    purgeAfter: timestamp('purge_after', { withTimezone: true }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [check('offboardings_status_check', sql`${t.status} in ('requested', 'scheduled')`)],
);

/**
 * Proof that an institution's data was deleted. Operator-owned and kept after the purge, so it holds
 * no `tenant_id` column and no personal data — except `contact_email`, held only until the
 * certificate is mailed, then cleared.
 */
export const deletionCertificates = pgTable('deletion_certificates', {
  id: uuid('id').primaryKey(),
  institutionId: uuid('institution_id').notNull().unique(),
  institutionName: text('institution_name').notNull(),
  region: text('region').notNull(),
  endOfServiceAt: timestamp('end_of_service_at', { withTimezone: true }).notNull(),
  purgeStartedAt: timestamp('purge_started_at', { withTimezone: true }).notNull(),
  purgeCompletedAt: timestamp('purge_completed_at', { withTimezone: true }),
  /** Rows deleted per table, accumulated batch by batch (a re-run adds what it deletes). */
  tableCounts: jsonb('table_counts').notNull().default(sql`'{}'::jsonb`),
  /** Tables checked empty of the institution's id after the purge. */
  tablesVerified: integer('tables_verified').notNull().default(0),
  archivesRemoved: integer('archives_removed').notNull().default(0),
  /** Embedded-mode mail files (DATA_DIR/mail) of the institution deleted by the purge. */
  mailFilesRemoved: integer('mail_files_removed').notNull().default(0),
  keyDestroyed: boolean('key_destroyed').notNull().default(false),
  /** SHA-256 of the canonical certificate body. */
  digest: text('digest'),
  contactEmail: text('contact_email'),
  mailedAt: timestamp('mailed_at', { withTimezone: true }),
  ...timestamps,
});
