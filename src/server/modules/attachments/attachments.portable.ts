/**
 * Attachments in the portability archive: the institution takes its documents with it, so each
 * file leaves decrypted (`content` is then the plain file, `sha256` its digest), while the
 * institution's sealed key is blanked like every sealed value.
 */
import type { Keyring } from '../../platform/secrets.js';
import { decryptAttachment, openAttachmentKey } from './attachment-crypto.js';

type JsonRow = Record<string, unknown>;

/** PostgreSQL's JSON text of a bytea (`\x` and hex digits) and back. */
const fromPgHex = (v: string): Buffer => Buffer.from(v.replace(/^\\x/, ''), 'hex');
const toPgHex = (b: Buffer): string => `\\x${b.toString('hex')}`;

/** Decrypts the `attachments` rows of an archive's raw tables in place. */
export function decryptArchivedAttachments(keys: Keyring, tenantId: string): (tables: Record<string, JsonRow[]>) => void {
  return (tables) => {
    const files = tables.attachments ?? [];
    if (!files.length) return;
    const sealed = tables.attachment_keys?.[0]?.sealed_key;
    if (typeof sealed !== 'string') throw new Error('The institution has attachments but no attachment key');
    const key = openAttachmentKey(keys, tenantId, sealed);
    for (const row of files) {
      row.content = toPgHex(decryptAttachment(key, tenantId, String(row.id), fromPgHex(String(row.content))));
    }
  };
}
