import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { catalogApps } from './catalog.js';
import { textList, timestamps, uuidList } from './columns.js';
import { institutions } from './tenants.js';

/**
 * An institution's staff request page, while it is open: reached by an unguessable link the
 * institution shares internally. Only the link's keyed hash is stored; rotating replaces it (the
 * old link stops working), closing deletes the row.
 */
export const staffRequestLinks = pgTable(
  'staff_request_links',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    linkTokenHash: text('link_token_hash').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId] }), uniqueIndex('staff_request_links_token_key').on(t.linkTokenHash)],
);

/**
 * A staff member's request for an app. The requester is not a user: nothing names them. An email
 * they may leave to hear the decision is sealed (`requester_email_secret`) and erased once the
 * decision mail is queued (it then lives sealed in the outbox until sent) or the request is closed.
 */
export const staffRequests = pgTable(
  'staff_requests',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    /** Keyed hash of the status page's link token (the link itself is shown once, to the requester). */
    statusTokenHash: text('status_token_hash').notNull(),
    catalogAppId: uuid('catalog_app_id').references(() => catalogApps.id),
    /** The catalog app's name, or the name the requester typed. */
    appName: text('app_name').notNull(),
    appVendor: text('app_vendor').notNull().default(''),
    appWebsite: text('app_website'),
    purpose: text('purpose').notNull(),
    grades: textList('grades'),
    schoolIds: uuidList('school_ids'),
    audiences: textList('audiences'),
    studentCount: integer('student_count'),
    dataElements: textList('data_elements'),
    /** Sealed requester email (never exported, never audited); null once served or when none was left. */
    requesterEmailSecret: text('requester_email_secret'),
    /** The language of the request page, for the decision mail. */
    language: text('language').notNull().default('en'),
    status: text('status').notNull().default('waiting'),
    declineReason: text('decline_reason').notNull().default(''),
    /** The request this one duplicates (no foreign key: an archive restores rows in any order). */
    mergedIntoId: uuid('merged_into_id'),
    /** The inventory item an accepted request became (no foreign key: the item may be removed later). */
    inventoryItemId: uuid('inventory_item_id'),
    /** When the decision mail was queued (the email erased at the same time). */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    triagedAt: timestamp('triaged_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('staff_requests_status_token_key').on(t.statusTokenHash),
    index('staff_requests_status_idx').on(t.tenantId, t.status, t.createdAt),
    index('staff_requests_catalog_idx').on(t.catalogAppId),
    index('staff_requests_item_idx').on(t.tenantId, t.inventoryItemId),
    index('staff_requests_merged_idx').on(t.tenantId, t.mergedIntoId),
    check('staff_requests_status_check', sql`${t.status} in ('waiting', 'accepted', 'merged', 'declined')`),
    check('staff_requests_language_check', sql`${t.language} in ('en', 'fr')`),
    check('staff_requests_student_count_check', sql`${t.studentCount} is null or ${t.studentCount} >= 0`),
  ],
);
