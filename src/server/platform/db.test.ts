import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('the embedded database', () => {
  it('refuses a second process on the same folder, and takes over a lock left by a dead one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vetted-lock-'));
    dirs.push(dir);
    // A live process (our parent) holding the lock.
    await writeFile(path.join(dir, 'pglite.lock'), String(process.ppid));
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by process/);
    // A lock whose process is gone.
    await writeFile(path.join(dir, 'pglite.lock'), '2147483646');
    const database = await openDatabase({ dataDir: dir });
    await database.migrate();
    await database.close();
    // Opening a directory-backed database compiles and boots Postgres: slow on a loaded machine.
  }, 180_000);
});
