/**
 * Where backup archives and institution keys are kept. The local folder store is the default; a
 * cloud store implements the same interface. Keys and archives are kept apart (`keys/` and
 * `archives/`), so destroying a key makes every copy of that institution's archives unreadable.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface BackupStore {
  /** Archive names of an institution, oldest first. */
  listArchives(institutionId: string): Promise<string[]>;
  putArchive(institutionId: string, name: string, bytes: Buffer): Promise<void>;
  getArchive(institutionId: string, name: string): Promise<Buffer>;
  deleteArchive(institutionId: string, name: string): Promise<void>;
  getKey(institutionId: string): Promise<Buffer | null>;
  putKey(institutionId: string, wrapped: Buffer): Promise<void>;
  /** Removes the key; true when there was one. */
  destroyKey(institutionId: string): Promise<boolean>;
  /** Institutions that have archives or a key (for sweeps). */
  listInstitutions(): Promise<string[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ARCHIVE = /^[0-9TZ-]+\.vbk$/;

function checkId(id: string): string {
  if (!UUID.test(id)) throw new Error(`Not an institution id: ${id}`);
  return id;
}

/** A backup store on a local folder (files mode 0600, written atomically through a rename). */
export function createFolderBackupStore(root: string): BackupStore {
  const archives = (id: string) => path.join(root, 'archives', checkId(id));
  const keyFile = (id: string) => path.join(root, 'keys', `${checkId(id)}.key`);
  const atomicWrite = async (file: string, bytes: Buffer) => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, file);
  };
  const missing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';
  return {
    async listArchives(id) {
      try {
        return (await readdir(archives(id))).filter((f) => ARCHIVE.test(f)).sort();
      } catch (err) {
        if (missing(err)) return [];
        throw err;
      }
    },
    putArchive: (id, name, bytes) => {
      if (!ARCHIVE.test(name)) throw new Error(`Not an archive name: ${name}`);
      return atomicWrite(path.join(archives(id), name), bytes);
    },
    getArchive: (id, name) => {
      if (!ARCHIVE.test(name)) throw new Error(`Not an archive name: ${name}`);
      return readFile(path.join(archives(id), name));
    },
    async deleteArchive(id, name) {
      if (!ARCHIVE.test(name)) throw new Error(`Not an archive name: ${name}`);
      await rm(path.join(archives(id), name), { force: true });
    },
    async getKey(id) {
      try {
        return await readFile(keyFile(id));
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    putKey: (id, wrapped) => atomicWrite(keyFile(id), wrapped),
    async destroyKey(id) {
      const had = (await this.getKey(id)) !== null;
      await rm(keyFile(id), { force: true });
      return had;
    },
    async listInstitutions() {
      const ids = new Set<string>();
      for (const dir of ['archives', 'keys']) {
        try {
          for (const f of await readdir(path.join(root, dir))) {
            const id = f.replace(/\.key$/, '');
            if (UUID.test(id)) ids.add(id);
          }
        } catch (err) {
          if (!missing(err)) throw err;
        }
      }
      return [...ids].sort();
    },
  };
}
