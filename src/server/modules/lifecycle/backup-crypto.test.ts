import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKUP_FILE_FORMAT, decryptBackup, encryptBackup, newInstitutionKey, readBackupHeader, unwrapKey, wrapKey } from './backup-crypto.js';

const master = Buffer.alloc(32, 7);
const at = new Date('2026-11-29T03:00:00.123Z');

describe('backup encryption', () => {
  it('makes a new 256-bit key for each institution', () => {
    const a = newInstitutionKey();
    expect(a).toHaveLength(32);
    expect(newInstitutionKey().equals(a)).toBe(false);
  });

  it('wraps an institution key under the master key, bound to the institution', () => {
    const id = randomUUID();
    const key = newInstitutionKey();
    const wrapped = wrapKey(master, id, key);
    expect(wrapped[0]).toBe(1);
    expect(wrapped).toHaveLength(1 + 12 + 16 + 32);
    expect(wrapped.includes(key)).toBe(false);
    expect(unwrapKey(master, id, wrapped).equals(key)).toBe(true);
    expect(() => unwrapKey(master, randomUUID(), wrapped)).toThrow();
    expect(() => unwrapKey(Buffer.alloc(32, 8), id, wrapped)).toThrow();
    const otherFormat = Buffer.from(wrapped);
    otherFormat[0] = 2;
    expect(() => unwrapKey(master, id, otherFormat)).toThrow('Unknown key format');
    const altered = Buffer.from(wrapped);
    altered[40]! ^= 1;
    expect(() => unwrapKey(master, id, altered)).toThrow();
  });

  it('compresses and encrypts an archive under a readable, authenticated header', () => {
    const id = randomUUID();
    const key = newInstitutionKey();
    const plain = Buffer.from(JSON.stringify({ name: 'Cedar Valley School District', rows: Array.from({ length: 200 }, () => 'Cedar Valley') }));
    const file = encryptBackup(key, id, plain, at);
    expect(file.toString('latin1')).not.toContain('Cedar Valley');
    expect(file.length).toBeLessThan(plain.length / 2);
    const { header, body } = readBackupHeader(file);
    expect(header).toMatchObject({ format: BACKUP_FILE_FORMAT, version: 1, institutionId: id, createdAt: at.toISOString(), alg: 'AES-256-GCM', compression: 'gzip' });
    expect(Buffer.from(header.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(header.tag, 'base64')).toHaveLength(16);
    expect(file.subarray(0, file.indexOf(0x0a)).toString()).toBe(JSON.stringify(header));
    expect(body.equals(file.subarray(file.indexOf(0x0a) + 1))).toBe(true);
    const opened = decryptBackup(key, file);
    expect(opened.plain.equals(plain)).toBe(true);
    expect(opened.header).toEqual(header);
    // Two backups of the same content differ (fresh nonce).
    expect(encryptBackup(key, id, plain, at).equals(file)).toBe(false);
  });

  it('refuses another key, an altered body and an altered header', () => {
    const id = randomUUID();
    const key = newInstitutionKey();
    const file = encryptBackup(key, id, Buffer.from('archive'), at);
    expect(() => decryptBackup(newInstitutionKey(), file)).toThrow();
    const body = Buffer.from(file);
    body[body.length - 1]! ^= 1;
    expect(() => decryptBackup(key, body)).toThrow();
    const nl = file.indexOf(0x0a);
    const header = JSON.parse(file.subarray(0, nl).toString()) as Record<string, unknown>;
    for (const change of [{ institutionId: randomUUID() }, { createdAt: new Date(0).toISOString() }, { compression: 'none' }]) {
      const forged = Buffer.concat([Buffer.from(JSON.stringify({ ...header, ...change }) + '\n'), file.subarray(nl + 1)]);
      expect(() => decryptBackup(key, forged), JSON.stringify(change)).toThrow();
    }
  });

  it('tells a file that is not a backup', () => {
    expect(() => readBackupHeader(Buffer.from('no newline at all'))).toThrow('Not a Vetted backup file');
    expect(() => readBackupHeader(Buffer.concat([Buffer.from(`{"format":"${BACKUP_FILE_FORMAT}","pad":"${'x'.repeat(5000)}"}`), Buffer.from('\nbody')]))).toThrow('Not a Vetted backup file');
    expect(() => readBackupHeader(Buffer.from('{"format":"zip","version":1}\nbody'))).toThrow('Not a Vetted backup file (or an unsupported version)');
    expect(() => readBackupHeader(Buffer.from(`{"format":"${BACKUP_FILE_FORMAT}","version":2}\nbody`))).toThrow('unsupported version');
    expect(readBackupHeader(Buffer.from(`{"format":"${BACKUP_FILE_FORMAT}","version":1}\nbody`)).body.toString()).toBe('body');
    // A header line of 4096 bytes is read; one byte more is refused.
    const line = (length: number) => {
      const start = `{"format":"${BACKUP_FILE_FORMAT}","version":1,"p":"`;
      return `${start}${'x'.repeat(length - start.length - 2)}"}`;
    };
    expect(line(4096)).toHaveLength(4096);
    expect(() => readBackupHeader(Buffer.from(`${line(4096)}\nbody`))).not.toThrow();
    expect(() => readBackupHeader(Buffer.from(`${line(4097)}\nbody`))).toThrow('Not a Vetted backup file');
  });
});
