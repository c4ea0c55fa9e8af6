import { and, asc, eq, getTableColumns } from 'drizzle-orm';
import { attachmentKeys, attachments, assessments, inventoryItems } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type AttachmentRow = typeof attachments.$inferSelect;
/** An attachment without its bytes (lists never read the files). */
export type AttachmentMeta = Omit<AttachmentRow, 'content'>;

const { content: _content, ...metaColumns } = getTableColumns(attachments);

/** What an attachment belongs to. */
export type AttachmentOwner = { inventoryItemId: string } | { assessmentId: string };

export async function ownerExists(tx: Tx, scope: TenantScope, owner: AttachmentOwner): Promise<boolean> {
  const rows =
    'inventoryItemId' in owner
      ? await tx
          .select({ id: inventoryItems.id })
          .from(inventoryItems)
          .where(and(byTenant(inventoryItems.tenantId, scope), eq(inventoryItems.id, owner.inventoryItemId)))
      : await tx
          .select({ id: assessments.id })
          .from(assessments)
          .where(and(byTenant(assessments.tenantId, scope), eq(assessments.id, owner.assessmentId)));
  return rows.length > 0;
}

export async function listAttachments(tx: Tx, scope: TenantScope, owner: AttachmentOwner): Promise<AttachmentMeta[]> {
  const ownerCondition =
    'inventoryItemId' in owner ? eq(attachments.inventoryItemId, owner.inventoryItemId) : eq(attachments.assessmentId, owner.assessmentId);
  return tx
    .select(metaColumns)
    .from(attachments)
    .where(and(byTenant(attachments.tenantId, scope), ownerCondition))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

export async function findAttachmentMeta(tx: Tx, scope: TenantScope, id: string): Promise<AttachmentMeta | undefined> {
  const [row] = await tx
    .select(metaColumns)
    .from(attachments)
    .where(and(byTenant(attachments.tenantId, scope), eq(attachments.id, id)));
  return row;
}

export async function findAttachment(tx: Tx, scope: TenantScope, id: string): Promise<AttachmentRow | undefined> {
  const [row] = await tx
    .select()
    .from(attachments)
    .where(and(byTenant(attachments.tenantId, scope), eq(attachments.id, id)));
  return row;
}

export async function insertAttachment(tx: Tx, row: typeof attachments.$inferInsert): Promise<AttachmentMeta> {
  const [created] = await tx.insert(attachments).values(row).returning(metaColumns);
  return created!;
}

export async function deleteAttachment(tx: Tx, scope: TenantScope, id: string): Promise<boolean> {
  const rows = await tx
    .delete(attachments)
    .where(and(byTenant(attachments.tenantId, scope), eq(attachments.id, id)))
    .returning({ id: attachments.id });
  return rows.length > 0;
}

/** The institution's sealed attachment key, made (by `make`) on first use; concurrent first uploads agree on one. */
export async function sealedAttachmentKey(tx: Tx, scope: TenantScope, make: () => string): Promise<string> {
  const read = async () =>
    (await tx.select({ sealed: attachmentKeys.sealedKey }).from(attachmentKeys).where(byTenant(attachmentKeys.tenantId, scope)))[0]?.sealed;
  const found = await read();
  if (found) return found;
  await tx.insert(attachmentKeys).values({ tenantId: scope.tenantId, sealedKey: make() }).onConflictDoNothing();
  const made = await read();
  if (!made) throw new Error('The attachment key could not be read back');
  return made;
}

/** The institution's sealed key, if it has one (downloads never make one). */
export async function findSealedAttachmentKey(tx: Tx, scope: TenantScope): Promise<string | undefined> {
  const [row] = await tx.select({ sealed: attachmentKeys.sealedKey }).from(attachmentKeys).where(byTenant(attachmentKeys.tenantId, scope));
  return row?.sealed;
}

/** The inventory item an owner is, or belongs to (an assessment's app). */
export async function itemOfOwner(tx: Tx, scope: TenantScope, owner: AttachmentOwner): Promise<string | undefined> {
  if ('inventoryItemId' in owner) return owner.inventoryItemId;
  const [row] = await tx
    .select({ itemId: assessments.inventoryItemId })
    .from(assessments)
    .where(and(byTenant(assessments.tenantId, scope), eq(assessments.id, owner.assessmentId)));
  return row?.itemId;
}
