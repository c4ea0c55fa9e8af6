/**
 * Documents attached to an app of the inventory or to an assessment: upload, list, download, delete.
 * The right to each follows its owner's (the inventory's or the assessments' abilities); a file of
 * another institution is not found. Every file is type-checked by its bytes, size-limited and
 * encrypted with the institution's key before it reaches the database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ATTACHMENT_TYPES, type AttachmentBody, type AttachmentList, type AttachmentUploadQuery } from '../../../contracts/attachments.js';
import { authorize, policy, scopeOf, type Ability, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { AppError, invalid, invalidFields, notFound } from '../../platform/errors.js';
import { findInventoryItem, ownColumns, updateInventoryItem } from '../inventory/inventory.repo.js';
import { decryptAttachment, encryptAttachment, newSealedAttachmentKey, openAttachmentKey } from './attachment-crypto.js';
import {
  deleteAttachment,
  findAttachment,
  findAttachmentMeta,
  findSealedAttachmentKey,
  insertAttachment,
  itemOfOwner,
  listAttachments,
  ownerExists,
  sealedAttachmentKey,
  type AttachmentMeta,
  type AttachmentOwner,
} from './attachments.repo.js';
import { detectAttachmentType } from './file-type.js';

const abilities = (owner: AttachmentOwner | AttachmentMeta): { read: Ability; write: Ability } =>
  'inventoryItemId' in owner && owner.inventoryItemId
    ? { read: 'readInventory', write: 'manageInventory' }
    : { read: 'readAssessments', write: 'manageAssessments' };

function present(actor: Actor, r: AttachmentMeta): AttachmentBody {
  return {
    id: r.id,
    inventoryItemId: r.inventoryItemId,
    assessmentId: r.assessmentId,
    kind: r.kind as AttachmentBody['kind'],
    fileName: r.fileName,
    contentType: r.contentType,
    byteSize: r.byteSize,
    sha256: r.sha256,
    agreementExpiresOn: r.agreementExpiresOn,
    uploadedBy: r.uploadedBy,
    createdAt: r.createdAt.toISOString(),
    canDelete: policy[abilities(r).write](actor),
  };
}

/** A file over the limit: 413, on the `file` field, with the limit in bytes and megabytes. */
export function fileTooLarge(max: number) {
  return invalidFields(
    {
      file: {
        code: 'file_too_large',
        message: `must be at most ${max} bytes`,
        params: { maximum: max, megabytes: Math.round((max / 1024 / 1024) * 10) / 10 },
      },
    },
    'The file is too large',
    'payload_too_large',
  );
}

/** The audited shape of an attachment: what describes it, never its bytes. */
const audited = (r: AttachmentMeta) => ({
  kind: r.kind,
  fileName: r.fileName,
  contentType: r.contentType,
  byteSize: r.byteSize,
  sha256: r.sha256,
  agreementExpiresOn: r.agreementExpiresOn,
  inventoryItemId: r.inventoryItemId,
  assessmentId: r.assessmentId,
});

/**
 * An agreement uploaded with its end date carries the app's own agreement end along (the date the
 * expiry rule, the public list and the reminders read) when the app has none or an earlier one;
 * never earlier, nor before the app's signing date. Audited as the app's update, in the upload's
 * transaction.
 */
async function followAgreementEnd(tx: Tx, scope: TenantScope, actor: Actor, itemId: string, endsOn: string): Promise<void> {
  const found = await findInventoryItem(tx, scope, itemId);
  if (!found) return;
  const before = ownColumns(found);
  const current = before.agreementExpiresOn as string | null;
  const signed = before.agreementSignedOn as string | null;
  if ((current && current >= endsOn) || (signed && signed > endsOn)) return;
  const after = await updateInventoryItem(tx, scope, itemId, before.version, { agreementExpiresOn: endsOn });
  if (!after) throw new AppError('stale', 'The app was changed meanwhile: upload the agreement again');
  const { tenantId: _t, createdAt: _c, updatedAt: _u, ...beforeAudit } = before;
  const { tenantId: _t2, createdAt: _c2, updatedAt: _u2, ...afterAudit } = after;
  await recordAudit(tx, actor, {
    action: 'inventory.update',
    recordType: 'inventory_item',
    recordId: itemId,
    before: beforeAudit,
    after: { ...afterAudit, comment: `Agreement end taken from the attached agreement (${endsOn})` },
  });
}

/** The name a download is saved under: the stored name, with the extension of its checked type. */
export function downloadName(fileName: string, contentType: string): string {
  const ext = ATTACHMENT_TYPES[contentType as keyof typeof ATTACHMENT_TYPES] ?? 'bin';
  const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const alt = ext === 'jpg' && /\.jpe?g$/i.test(fileName) ? fileName : `${base}.${ext}`;
  return alt;
}

export function createAttachmentService(ctx: Pick<AppContext, 'db' | 'config'>) {
  const { db, config } = ctx;
  const keys = config.secretKeys;

  return {
    maxBytes: config.attachmentMaxBytes,

    async list(actor: Actor, owner: AttachmentOwner): Promise<AttachmentList> {
      authorize(actor, abilities(owner).read);
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, async (tx) => {
        if (!(await ownerExists(tx, scope, owner))) throw notFound('inventoryItemId' in owner ? 'App' : 'Assessment');
        return listAttachments(tx, scope, owner);
      });
      return {
        items: rows.map((r) => present(actor, r)),
        canUpload: policy[abilities(owner).write](actor),
        maxBytes: config.attachmentMaxBytes,
      };
    },

    /** Attaches a file: checked (type by its bytes, size), encrypted, stored and audited in one transaction. */
    async upload(actor: Actor, owner: AttachmentOwner, input: AttachmentUploadQuery, file: Buffer): Promise<AttachmentBody> {
      authorize(actor, abilities(owner).write);
      const scope = scopeOf(actor);
      if (file.length === 0) throw invalid('file', 'is empty', 'file_empty');
      if (file.length > config.attachmentMaxBytes) throw fileTooLarge(config.attachmentMaxBytes);
      const contentType = detectAttachmentType(file);
      if (!contentType) throw invalid('file', 'is not a PDF, Word (DOCX), PNG or JPEG file', 'file_type');
      if (input.agreementExpiresOn && input.kind !== 'agreement')
        throw invalid('agreementExpiresOn', 'applies to agreements only', 'agreement_only');
      const id = randomUUID();
      return withTenant(db, scope, async (tx) => {
        if (!(await ownerExists(tx, scope, owner))) throw notFound('inventoryItemId' in owner ? 'App' : 'Assessment');
        const key = openAttachmentKey(
          keys,
          scope.tenantId,
          await sealedAttachmentKey(tx, scope, () => newSealedAttachmentKey(keys, scope.tenantId)),
        );
        const row = await insertAttachment(tx, {
          tenantId: scope.tenantId,
          id,
          inventoryItemId: 'inventoryItemId' in owner ? owner.inventoryItemId : null,
          assessmentId: 'assessmentId' in owner ? owner.assessmentId : null,
          kind: input.kind,
          fileName: input.fileName,
          contentType,
          byteSize: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
          agreementExpiresOn: input.agreementExpiresOn ?? null,
          content: encryptAttachment(key, scope.tenantId, id, file),
          uploadedBy: actor.userId,
        });
        await recordAudit(tx, actor, { action: 'attachment.upload', recordType: 'attachment', recordId: id, after: audited(row) });
        if (input.kind === 'agreement' && input.agreementExpiresOn) {
          const itemId = await itemOfOwner(tx, scope, owner);
          if (itemId) await followAgreementEnd(tx, scope, actor, itemId, input.agreementExpiresOn);
        }
        return present(actor, row);
      });
    },

    /** The file, decrypted, with its checked type and name. */
    async download(actor: Actor, id: string): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
      const scope = scopeOf(actor);
      const { row, sealed } = await withTenant(db, scope, async (tx) => ({
        row: await findAttachment(tx, scope, id),
        sealed: await findSealedAttachmentKey(tx, scope),
      }));
      if (!row || !sealed) throw notFound('Document');
      authorize(actor, abilities(row).read);
      const bytes = decryptAttachment(openAttachmentKey(keys, scope.tenantId, sealed), scope.tenantId, id, row.content);
      return { fileName: downloadName(row.fileName, row.contentType), contentType: row.contentType, bytes };
    },

    async remove(actor: Actor, id: string): Promise<void> {
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        const row = await findAttachmentMeta(tx, scope, id);
        if (!row) throw notFound('Document');
        authorize(actor, abilities(row).write);
        await deleteAttachment(tx, scope, id);
        await recordAudit(tx, actor, { action: 'attachment.delete', recordType: 'attachment', recordId: id, before: audited(row) });
      });
    },
  };
}
export type AttachmentService = ReturnType<typeof createAttachmentService>;
