import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { migrationsFolder } from '../../src/server/platform/db.js';

/**
 * Migrates one embedded database before the suites start and leaves its dump for every test file
 * to load (each file still gets its own database; only the migration work is shared).
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) return async () => {};
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-pglite-'));
  const client = new PGlite();
  await migrate(drizzle(client), { migrationsFolder });
  const dump = await client.dumpDataDir('none');
  const file = path.join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  process.env.VETTED_TEST_PGLITE_DUMP = file;
  return async () => rm(dir, { recursive: true, force: true });
}
