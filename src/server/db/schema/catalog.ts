import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/** Operator-curated apps shared by all tenants. Holds no personal data. */
export const catalogApps = pgTable(
  'catalog_apps',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    vendor: text('vendor').notNull(),
    website: text('website'),
    privacyPolicyUrl: text('privacy_policy_url'),
    termsUrl: text('terms_url'),
    categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
    description: text('description').notNull().default(''),
    storageCountries: text('storage_countries').array().notNull().default(sql`'{}'::text[]`),
    processingCountries: text('processing_countries').array().notNull().default(sql`'{}'::text[]`),
    signInSupport: text('sign_in_support').array().notNull().default(sql`'{}'::text[]`),
    dataElements: text('data_elements').array().notNull().default(sql`'{}'::text[]`),
    isDemo: boolean('is_demo').notNull().default(false),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('catalog_apps_slug_key').on(t.slug),
    index('catalog_apps_name_idx').on(sql`lower(${t.name})`),
  ],
);
