/**
 * Backup encryption: AES-256-GCM with one random key per institution; that key is stored wrapped
 * (AES-256-GCM) by the master key from configuration. A file is a one-line JSON header (authenticated
 * as additional data) then the ciphertext of the gzip-compressed archive.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

const ALG = 'aes-256-gcm';
export const BACKUP_FILE_FORMAT = 'vetted-backup';

function seal(key: Buffer, plain: Buffer, aad: Buffer): { iv: Buffer; tag: Buffer; data: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALG, key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

function open(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALG, key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

/** A new institution key. */
export function newInstitutionKey(): Buffer {
  return randomBytes(32);
}

/** The institution key wrapped by the master key, bound to the institution id. */
export function wrapKey(master: Buffer, institutionId: string, key: Buffer): Buffer {
  const { iv, tag, data } = seal(master, key, Buffer.from(`vetted-key:${institutionId}`));
  return Buffer.concat([Buffer.from([1]), iv, tag, data]);
}

export function unwrapKey(master: Buffer, institutionId: string, wrapped: Buffer): Buffer {
  if (wrapped[0] !== 1) throw new Error('Unknown key format');
  return open(master, wrapped.subarray(1, 13), wrapped.subarray(13, 29), wrapped.subarray(29), Buffer.from(`vetted-key:${institutionId}`));
}

export interface BackupHeader {
  format: typeof BACKUP_FILE_FORMAT;
  version: 1;
  institutionId: string;
  createdAt: string;
  alg: 'AES-256-GCM';
  compression: 'gzip';
  iv: string;
  tag: string;
}

/** Compresses and encrypts an archive's bytes. */
export function encryptBackup(key: Buffer, institutionId: string, plain: Buffer, createdAt: Date): Buffer {
  const header = { format: BACKUP_FILE_FORMAT, version: 1, institutionId, createdAt: createdAt.toISOString(), alg: 'AES-256-GCM', compression: 'gzip' } as const;
  const aad = Buffer.from(JSON.stringify(header));
  const { iv, tag, data } = seal(key, gzipSync(plain), aad);
  const full: BackupHeader = { ...header, iv: iv.toString('base64'), tag: tag.toString('base64') };
  return Buffer.concat([Buffer.from(JSON.stringify(full) + '\n'), data]);
}

/** Reads a backup file's header without decrypting. */
export function readBackupHeader(file: Buffer): { header: BackupHeader; body: Buffer } {
  const nl = file.indexOf(0x0a);
  if (nl < 0 || nl > 4096) throw new Error('Not a Vetted backup file');
  const header = JSON.parse(file.subarray(0, nl).toString('utf8')) as BackupHeader;
  if (header.format !== BACKUP_FILE_FORMAT || header.version !== 1) throw new Error('Not a Vetted backup file (or an unsupported version)');
  return { header, body: file.subarray(nl + 1) };
}

/** Decrypts and decompresses; throws when the file or its header was altered. */
export function decryptBackup(key: Buffer, file: Buffer): { header: BackupHeader; plain: Buffer } {
  const { header, body } = readBackupHeader(file);
  const { iv, tag, ...rest } = header;
  const aad = Buffer.from(JSON.stringify(rest));
  return { header, plain: gunzipSync(open(key, Buffer.from(iv, 'base64'), Buffer.from(tag, 'base64'), body, aad)) };
}
