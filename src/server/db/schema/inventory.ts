import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { catalogApps } from './catalog.js';
import { textList, timestamps, uuidList } from './columns.js';
import { users } from './identity.js';
import { institutions } from './tenants.js';

/** An app an institution uses: a catalog app or a custom one. */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    catalogAppId: uuid('catalog_app_id').references(() => catalogApps.id),
    customName: text('custom_name'),
    customVendor: text('custom_vendor'),
    customWebsite: text('custom_website'),
    /** Denormalised display name (catalog name or custom name) for search and sort. */
    name: text('name').notNull(),
    vendor: text('vendor').notNull().default(''),
    grades: textList('grades'),
    schoolIds: uuidList('school_ids'),
    audiences: textList('audiences'),
    dataElements: textList('data_elements'),
    purpose: text('purpose').notNull().default(''),
    ownerUserId: uuid('owner_user_id'),
    status: text('status').notNull().default('requested'),
    conditionsOfUse: text('conditions_of_use').notNull().default(''),
    agreementType: text('agreement_type').notNull().default('none'),
    agreementSigned: boolean('agreement_signed').notNull().default(false),
    agreementSignedOn: date('agreement_signed_on'),
    agreementExpiresOn: date('agreement_expires_on'),
    agreementUrl: text('agreement_url'),
    nextReviewOn: date('next_review_on'),
    notes: text('notes').notNull().default(''),
    isPublic: boolean('is_public').notNull().default(false),
    /** Optimistic-concurrency counter, incremented on every update. */
    version: integer('version').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('inventory_items_catalog_key')
      .on(t.tenantId, t.catalogAppId)
      .where(sql`${t.catalogAppId} is not null`),
    uniqueIndex('inventory_items_custom_name_key')
      .on(t.tenantId, sql`lower(${t.customName})`)
      .where(sql`${t.catalogAppId} is null`),
    index('inventory_items_catalog_idx').on(t.catalogAppId),
    index('inventory_items_owner_idx').on(t.ownerUserId),
    index('inventory_items_status_idx').on(t.tenantId, t.status),
    foreignKey({ columns: [t.ownerUserId], foreignColumns: [users.id] }).onDelete('set null'),
    check(
      'inventory_items_source_check',
      sql`(${t.catalogAppId} is not null and ${t.customName} is null) or (${t.catalogAppId} is null and ${t.customName} is not null)`,
    ),
    check(
      'inventory_items_status_check',
      sql`${t.status} in ('requested', 'in_review', 'approved', 'approved_with_conditions', 'not_approved', 'needs_review', 'retired')`,
    ),
  ],
);
