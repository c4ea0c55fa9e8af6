import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/**
 * Bank bundles this cell published (the primary region) or applied (another region): the operator's
 * catalog and master bank, signed, carried between region cells. No personal data. The sequence of
 * each direction only grows: an import of a sequence at or below the last applied one is refused.
 */
export const bankBundles = pgTable(
  'bank_bundles',
  {
    id: uuid('id').primaryKey(),
    direction: text('direction').notNull(),
    sequence: integer('sequence').notNull(),
    /** SHA-256 of the bundle's content (docs/operations.md, "Signed bank bundle"). */
    contentDigest: text('content_digest').notNull(),
    /** Which Ed25519 key signed it (the first 16 hex digits of the SHA-256 of the public key). */
    keyId: text('key_id').notNull(),
    bundleCreatedAt: timestamp('bundle_created_at', { withTimezone: true }).notNull(),
    /** The signed document as published, served to the other cells (exported bundles only). */
    document: text('document'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('bank_bundles_sequence_key').on(t.direction, t.sequence),
    check('bank_bundles_direction_check', sql`${t.direction} in ('exported', 'imported')`),
    check('bank_bundles_sequence_check', sql`${t.sequence} >= 1`),
  ],
);
