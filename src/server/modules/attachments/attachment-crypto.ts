/**
 * Attachments are encrypted with their institution's own key (ADR 0011): AES-256-GCM, each file
 * bound to its row (`attachment:<institution>:<id>`), so a file copied into another row or another
 * institution does not open. The institution's key is kept sealed under `SECRETS_KEY`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { openSecret, sealSecret, type Keyring } from '../../platform/secrets.js';

const aadOf = (tenantId: string, id: string) => Buffer.from(`attachment:${tenantId}:${id}`);
/** What an institution's sealed attachment key is bound to. */
export const attachmentKeyAad = (tenantId: string) => `attachment-key:${tenantId}`;

/** A new institution key, sealed for storage. */
export function newSealedAttachmentKey(keys: Keyring, tenantId: string): string {
  return sealSecret(keys, randomBytes(32).toString('base64'), attachmentKeyAad(tenantId));
}

/** Opens an institution's sealed attachment key. */
export function openAttachmentKey(keys: Keyring, tenantId: string, sealed: string): Buffer {
  return Buffer.from(openSecret(keys, sealed, attachmentKeyAad(tenantId)), 'base64');
}

/** The stored form of a file: iv (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. */
export function encryptAttachment(key: Buffer, tenantId: string, id: string, plain: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aadOf(tenantId, id));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]);
}

/** The file back; throws when the stored bytes, the row or the key differ from those it was sealed with. */
export function decryptAttachment(key: Buffer, tenantId: string, id: string, stored: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, stored.subarray(0, 12));
  decipher.setAAD(aadOf(tenantId, id));
  decipher.setAuthTag(stored.subarray(12, 28));
  return Buffer.concat([decipher.update(stored.subarray(28)), decipher.final()]);
}
