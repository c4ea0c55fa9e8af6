import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/server/platform/config.js';
import { openDatabase, type Database } from '../../src/server/platform/db.js';

/**
 * A fresh database with no migration applied: in-memory PGlite by default (started from `dump`, a
 * data directory, when given), or — when TEST_DATABASE_URL is set — a new database created on that
 * PostgreSQL server, dropped by `close`. Migration tests start here.
 */
export async function openEmptyTestDatabase(dump?: Blob): Promise<Database & { url: string | undefined }> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) return { ...(await openDatabase({ inMemory: true, ...(dump ? { loadDataDir: dump } : {}) })), url: undefined };
  const name = `vetted_t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default (from the suite's
 * migrated dump), or a new database on the TEST_DATABASE_URL server, dropped after.
 */
export async function openTestDatabase(): Promise<Database & { url: string | undefined }> {
  const dump = process.env.TEST_DATABASE_URL ? undefined : process.env.VETTED_TEST_PGLITE_DUMP;
  const database = await openEmptyTestDatabase(dump ? new Blob([await readFile(dump)]) : undefined);
  await database.migrate();
  return database;
}

/**
 * Puts a migrated embedded database in `dataDir` (as `DATA_DIR` holds it) for a command run in a
 * child process: the suites' migrated dump when there is one, which costs a fraction of creating and
 * migrating a database folder (the slowest step of a CLI test on a loaded machine).
 */
export async function createMigratedDataDir(dataDir: string): Promise<void> {
  const dump = process.env.VETTED_TEST_PGLITE_DUMP;
  if (dump) {
    const client = new PGlite(path.join(dataDir, 'pglite'), { loadDataDir: new Blob([await readFile(dump)]) });
    await client.waitReady;
    await client.close();
    return;
  }
  const database = await openDatabase({ dataDir });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

/**
 * A database two processes can open one after the other (a test kills the first mid-work): a
 * folder-backed embedded database in its own data folder, or a fresh database on the
 * TEST_DATABASE_URL server; with the configuration of a service using it. `close` removes both.
 */
export async function openCrashTestDatabase(prefix: string): Promise<{
  dataDir: string;
  config: Config;
  databaseUrl: string | undefined;
  open: () => Promise<Database>;
  close: () => Promise<void>;
}> {
  const dataDir = await mkdtemp(path.join(tmpdir(), prefix));
  const keep = process.env.TEST_DATABASE_URL ? await openTestDatabase() : undefined;
  const databaseUrl = keep?.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  return {
    dataDir,
    config,
    databaseUrl,
    open: () => openDatabase(databaseUrl ? { databaseUrl } : { dataDir }),
    async close() {
      await keep?.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
