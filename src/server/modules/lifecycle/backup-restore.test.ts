/**
 * A backup restores the institution as it was: after a backup and a restore into a fresh database,
 * every row of every tenant table, every column, equals the original's — compared in the databases
 * themselves, not through the exporter that wrote the backup. The tables and columns come from the
 * catalog, and the rows are built from it, so a table or column added later is covered unedited.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../platform/config.js';
import { queryRows, type Database } from '../../platform/db.js';
import { RowMaker, columnsNeverFilled, readCatalog, rowsOfTenant, tenantTablesOf, type Catalog, type CatalogTable } from '../../../../test/support/catalog-rows.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { EXCLUDED_TABLES, contentDigestOf, isSecretColumn, parseArchive, serializeArchive, systemExportInstitution, systemRestoreInstitution, withSnapshot, type InstitutionArchive } from './archive.js';
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
      expect(restored.counts).toEqual(Object.fromEntries(archived.filter((t) => t.name !== catalog.tenantTable).map((t) => [t.name, before[t.name]!.length])));
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

describe('the archive', () => {
  it('reads in one read-only snapshot, as the system role', async () => {
    const state = await withSnapshot(original.db, async (tx) =>
      (await queryRows<{ role: string; isolation: string; ro: string }>(
        tx,
        sql`select current_user::text as role, current_setting('transaction_isolation') as isolation, current_setting('transaction_read_only') as ro`,
      ))[0],
    );
    expect(state).toEqual({ role: 'vetted_system', isolation: 'repeatable read', ro: 'on' });
  });

  it('knows no institution it does not hold', async () => {
    await expect(systemExportInstitution(original.db, randomUUID(), 'backup')).rejects.toMatchObject({ code: 'not_found', message: 'Institution not found' });
  });

  it('blanks sign-in secrets in a portability archive only, and says which', async () => {
    const backup = await systemExportInstitution(original.db, institution, 'backup');
    const portable = await systemExportInstitution(original.db, institution, 'portability');
    expect(backup.redactedColumns).toEqual({});
    expect(backup.tables.users!.rows.every((r) => typeof r.password_hash === 'string')).toBe(true);
    expect(portable.redactedColumns.users).toContain('password_hash');
    // Secrets only: what a person typed or was given stays.
    for (const columns of Object.values(portable.redactedColumns)) for (const c of columns) expect(isSecretColumn(c), c).toBe(true);
    expect(portable.redactedColumns.users).not.toContain('email');
    for (const [table, columns] of Object.entries(portable.redactedColumns)) {
      expect(columns.length, table).toBeGreaterThan(0);
      for (const row of portable.tables[table]!.rows) for (const c of columns) expect(row[c], `${table}.${c}`).toBeNull();
      // Only those columns differ from the backup's rows.
      const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([c]) => !columns.includes(c)));
      expect(portable.tables[table]!.rows.map(strip)).toEqual(backup.tables[table]!.rows.map(strip));
    }
    for (const table of Object.keys(backup.tables)) if (!(table in portable.redactedColumns)) expect(portable.tables[table], table).toEqual(backup.tables[table]);
  });

  it("leaves out a reference to another institution's row (the rest of the row is kept)", async () => {
    // A nullable single-column reference from an archived table to a tenant table, found in the catalog.
    const found = archived.flatMap((t) =>
      t.foreignKeys
        .filter((fk) => fk.columns.length === 1 && catalog.tables.get(fk.table)?.tenantColumn === 'tenant_id' && !t.columns.find((c) => c.name === fk.columns[0])!.notNull)
        .map((fk) => ({ t, fk })),
    )[0];
    expect(found, 'no nullable reference between tenant tables in the catalog').toBeDefined();
    const { t, fk } = found!;
    const column = fk.columns[0]!;
    const [foreign] = await queryRows<{ v: string }>(original.db, sql`select ${sql.identifier(fk.refColumns[0]!)}::text as v from ${sql.identifier(fk.table)} where tenant_id <> ${institution} and tenant_id is not null limit 1`);
    const [own] = await queryRows<{ pk: string; v: string | null }>(original.db, sql`select ctid::text as pk, ${sql.identifier(column)}::text as v from ${sql.identifier(t.name)} where tenant_id = ${institution} limit 1`);
    await original.db.execute(sql`update ${sql.identifier(t.name)} set ${sql.identifier(column)} = ${foreign!.v} where ctid = ${own!.pk}::tid`);
    try {
      const archive = await systemExportInstitution(original.db, institution, 'backup');
      const values = archive.tables[t.name]!.rows.map((r) => r[column]);
      expect(values, `${t.name}.${column}`).not.toContain(foreign!.v);
      expect(values, `${t.name}.${column}`).toContain(null);
      expect(values.filter((v) => v !== null).length, `${t.name}.${column}: own references kept`).toBeGreaterThan(0);
    } finally {
      await original.db.execute(sql`update ${sql.identifier(t.name)} set ${sql.identifier(column)} = ${own!.v} where ${sql.identifier(column)} = ${foreign!.v} and tenant_id = ${institution}`);
    }
  });

  it('parses only an archive of this format and version whose content matches its digest', async () => {
    const archive = await systemExportInstitution(original.db, institution, 'backup');
    const text = serializeArchive(archive);
    expect(parseArchive(text)).toEqual(JSON.parse(text));
    const refused = (t: string) => {
      try {
        parseArchive(t);
      } catch (err) {
        return { code: (err as { code?: string }).code, message: (err as Error).message };
      }
      return 'accepted';
    };
    const change = (f: (a: InstitutionArchive) => unknown) => {
      const a = JSON.parse(text) as InstitutionArchive;
      f(a);
      return JSON.stringify(a);
    };
    expect(refused('{not json')).toEqual({ code: 'bad_request', message: 'The archive is not valid JSON' });
    expect(refused(change((a) => ((a as { format: string }).format = 'other')))).toEqual({ code: 'bad_request', message: 'This file is not a Vetted institution archive' });
    expect(refused('null')).toEqual({ code: 'bad_request', message: 'This file is not a Vetted institution archive' });
    expect(refused(change((a) => (a.formatVersion = 2)))).toEqual({ code: 'bad_request', message: 'Archive format version 2 is not supported (expected 1)' });
    expect(refused(change((a) => delete (a as Partial<InstitutionArchive>).tables))).toEqual({
      code: 'bad_request',
      message: 'The archive does not follow the archive format (docs/archive-format.schema.json)',
    });
    const tampered = change((a) => (a.institution.name = 'Another name'));
    expect(refused(tampered)).toEqual({ code: 'bad_request', message: 'The archive content does not match its digest' });
    expect(contentDigestOf(JSON.parse(tampered) as InstitutionArchive)).not.toBe(archive.contentDigest);
  });

  it('restores only a backup of this region, of tables this database has, of an institution it does not hold; refused, it writes nothing', async () => {
    const backup = await systemExportInstitution(original.db, institution, 'backup');
    const fresh = await openTestDatabase();
    try {
      const refusal = (a: InstitutionArchive, region = config.region) =>
        systemRestoreInstitution(fresh.db, a, region).then(
          () => 'restored',
          (err: unknown) => ({ code: (err as { code?: string }).code, message: (err as Error).message }),
        );
      expect(await refusal(await systemExportInstitution(original.db, institution, 'portability'))).toEqual({
        code: 'bad_request',
        message: 'Only a backup archive can be restored (a portability archive has no sign-in secrets)',
      });
      const other = config.region === 'ca' ? 'us' : 'ca';
      expect(await refusal(backup, other)).toEqual({
        code: 'bad_request',
        message: `This archive belongs to the ${config.region.toUpperCase()} region; this deployment serves ${other.toUpperCase()}`,
      });
      expect(await refusal({ ...backup, tables: { ...backup.tables, gadgets: { primaryKey: ['id'], rows: [] }, widgets: { primaryKey: ['id'], rows: [] } } })).toEqual({
        code: 'bad_request',
        message: 'This database has no table gadgets, widgets: migrate it first',
      });
      const [none] = await queryRows<{ n: number }>(fresh.db, sql`select count(*)::int as n from institutions`);
      expect(none!.n).toBe(0);
      // An archive made before a table existed restores, that table empty.
      // A table no other one refers to (a new table is such a leaf).
      const older = archived.find((t) => t.name !== catalog.tenantTable && ![...catalog.tables.values()].some((o) => o.foreignKeys.some((fk) => fk.table === t.name)))!.name;
      const tables = Object.fromEntries(Object.entries(backup.tables).filter(([name]) => name !== older));
      expect(await refusal({ ...backup, tables })).toBe('restored');
      expect(await refusal(backup)).toEqual({ code: 'conflict', message: 'This institution already exists in this database' });
      const [left] = await queryRows<{ n: number }>(fresh.db, sql`select count(*)::int as n from ${sql.identifier(older)} where tenant_id = ${institution}`);
      expect(left!.n, older).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 180_000);
});
