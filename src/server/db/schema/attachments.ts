import { sql } from 'drizzle-orm';
import { check, customType, date, foreignKey, index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { assessments } from './assessments.js';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { inventoryItems } from './inventory.js';
import { institutions } from './tenants.js';

/** PostgreSQL `bytea`, read as a Buffer on both drivers. */
export const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * Each institution's key for its attachments (ADR 0011): 32 random bytes sealed under `SECRETS_KEY`
 * (platform/secrets.ts, bound to the institution), made on the first upload. Backed up and restored
 * with the institution's rows; blanked in the portability archive (a sealed value never leaves).
 */
export const attachmentKeys = pgTable('attachment_keys', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => institutions.id),
  sealedKey: text('sealed_key').notNull(),
  ...timestamps,
});

/**
 * A file attached to an inventory item or to an assessment (one of the two): an agreement (DPA), a
 * vendor document or another document. `content` is the file encrypted with the institution's key
 * (AES-256-GCM: 12-byte iv, 16-byte tag, ciphertext; bound to the row). `sha256` is the digest of
 * the plain file, so a restored or exported copy can be checked against it.
 */
export const attachments = pgTable(
  'attachments',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    inventoryItemId: uuid('inventory_item_id'),
    assessmentId: uuid('assessment_id'),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    /** The type found in the file's own bytes, never the one the client claimed. */
    contentType: text('content_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: text('sha256').notNull(),
    agreementExpiresOn: date('agreement_expires_on', { mode: 'string' }),
    content: bytea('content').notNull(),
    uploadedBy: uuid('uploaded_by'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.inventoryItemId], foreignColumns: [inventoryItems.tenantId, inventoryItems.id] }).onDelete(
      'cascade',
    ),
    foreignKey({ columns: [t.tenantId, t.assessmentId], foreignColumns: [assessments.tenantId, assessments.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.uploadedBy], foreignColumns: [users.id] }).onDelete('set null'),
    index('attachments_inventory_item_idx').on(t.tenantId, t.inventoryItemId),
    index('attachments_assessment_idx').on(t.tenantId, t.assessmentId),
    index('attachments_uploaded_by_idx').on(t.uploadedBy),
    check('attachments_owner_check', sql`(${t.inventoryItemId} is null) <> (${t.assessmentId} is null)`),
    check('attachments_kind_check', sql`${t.kind} in ('agreement', 'vendor_document', 'other')`),
    check(
      'attachments_content_type_check',
      sql`${t.contentType} in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/png', 'image/jpeg')`,
    ),
  ],
);
