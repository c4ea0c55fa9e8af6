/**
 * The documents of one institution, decrypted one at a time, for the full export's zip. Each file is
 * read in its own short transaction, so an export of many documents never holds them all at once.
 */
import { asc } from 'drizzle-orm';
import { attachments } from '../../db/schema/index.js';
import { withTenant, type Db, type TenantScope } from '../../platform/db.js';
import type { Keyring } from '../../platform/secrets.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { decryptAttachment, openAttachmentKey } from './attachment-crypto.js';
import { findAttachment, findSealedAttachmentKey } from './attachments.repo.js';
import { downloadName } from './attachments.service.js';

/** Calls `add` with the path in the archive (`attachments/<id>/<name>`) and the bytes of each document, oldest first. */
export async function forEachAttachmentFile(
  db: Db,
  scope: TenantScope,
  keys: Keyring,
  add: (name: string, bytes: Buffer) => Promise<void>,
): Promise<void> {
  const ids = await withTenant(db, scope, (tx) =>
    tx
      .select({ id: attachments.id })
      .from(attachments)
      .where(byTenant(attachments.tenantId, scope))
      .orderBy(asc(attachments.createdAt), asc(attachments.id)),
  );
  for (const { id } of ids) {
    const found = await withTenant(db, scope, async (tx) => ({
      row: await findAttachment(tx, scope, id),
      sealed: await findSealedAttachmentKey(tx, scope),
    }));
    // Removed since the list was read: nothing to export.
    if (!found.row || !found.sealed) continue;
    const bytes = decryptAttachment(openAttachmentKey(keys, scope.tenantId, found.sealed), scope.tenantId, id, found.row.content);
    await add(`attachments/${id}/${downloadName(found.row.fileName, found.row.contentType)}`, bytes);
  }
}
