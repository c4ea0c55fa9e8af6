/**
 * A backup restores the institution as it was: after a backup and a restore into a fresh database,
 * every row of every tenant table, every column, equals the original's — compared in the databases
 * themselves, not through the exporter that wrote the backup. The tables and columns come from the
 * catalog, and the rows are built from it, so a table or column added later is covered unedited.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../platform/config.js';
import type { Database } from '../../platform/db.js';
import { RowMaker, columnsNeverFilled, readCatalog, rowsOfTenant, tenantTablesOf, type Catalog, type CatalogTable } from '../../../../test/support/catalog-rows.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { EXCLUDED_TABLES } from './archive.js';
import { createBackupService } from './backups.service.js';

/**
 * What a restore legitimately does not give back as it was — the one list, each with its reason.
 * Everything else must come back equal, column by column.
 */
const NOT_RESTORED_AS_IS = {
  /** Whole tables left out of every archive: `EXCLUDED_TABLES` in archive.ts says why for each. */
  tables: Object.keys(EXCLUDED_TABLES),
  /**
   * Columns the database numbers itself (GENERATED ALWAYS identity, e.g. audit_events.id): not
   * archived, renumbered on restore. Rows are compared in their order, without them.
   */
  identityColumns: 'renumbered on restore, order kept',
} as const;

let dataDir: string;
let config: Config;
let original: Database;
let catalog: Catalog;
let institution: string;
let archived: CatalogTable[];

/** Rows of the institution in the compared tables, as each database holds them. */
const snapshot = (db: Database) => rowsOfTenant(db.db, catalog, institution, archived);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-restore-'));
  config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent' });
  original = await openTestDatabase();
  catalog = await readCatalog(original.db);
  archived = tenantTablesOf(catalog).filter((t) => !NOT_RESTORED_AS_IS.tables.includes(t.name));
  // Every column filled: two rows of every tenant table, then one more for each column still null.
  const maker = new RowMaker(catalog, { full: true });
  institution = await maker.tenant(original.db);
  const neighbour = await maker.tenant(original.db);
  for (const t of tenantTablesOf(catalog)) {
    if (t.name === catalog.tenantTable) continue;
    // Two rows of the institution where its key allows (a key of tenant_id alone holds one).
    const onePerTenant = t.primaryKey.every((c) => c === t.tenantColumn);
    for (const tenant of onePerTenant ? [institution, neighbour] : [institution, institution, neighbour]) await maker.insert(original.db, t.name, tenant);
  }
  const rows = await snapshot(original);
  for (const t of archived) {
    for (const column of columnsNeverFilled(t, rows[t.name]!)) await maker.insert(original.db, t.name, institution, { filled: column });
  }
});
afterAll(async () => {
  await original?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a backup restored into a fresh database', () => {
  it('holds a value in every column of every archived tenant table before the backup (so the comparison covers them)', async () => {
    const rows = await snapshot(original);
    const empty = archived.flatMap((t) => (rows[t.name]!.length ? columnsNeverFilled(t, rows[t.name]!).map((c) => `${t.name}.${c}`) : [`${t.name} (no rows)`]));
    expect(empty).toEqual([]);
  });

  it('gives back every row of every tenant table, every column equal to the original', async () => {
    const backups = createBackupService({ db: original.db, config, jobs: undefined as never });
    const { name } = await backups.systemBackupInstitution(institution);
    const file = await backups.store.getArchive(institution, name);
    const before = await snapshot(original);

    const fresh = await openTestDatabase();
    try {
      const restored = await createBackupService({ db: fresh.db, config, jobs: undefined as never }, backups.store).systemRestoreFile(file);
      expect(restored.institutionId).toBe(institution);
      const after = await snapshot(fresh);
      for (const t of archived) {
        expect(after[t.name], `${t.name}: rows restored`).toHaveLength(before[t.name]!.length);
        expect(after[t.name], `${t.name}: every column restored as it was`).toEqual(before[t.name]);
      }
      // The tables left out come back empty, as the list above says.
      const left = await rowsOfTenant(fresh.db, catalog, institution, tenantTablesOf(catalog).filter((t) => NOT_RESTORED_AS_IS.tables.includes(t.name)));
      for (const [table, rows] of Object.entries(left)) expect(rows, table).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, 180_000);
});
