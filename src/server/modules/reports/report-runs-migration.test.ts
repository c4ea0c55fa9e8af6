/**
 * The migration that leaves the report-run counter with a date and a count only keeps every count
 * recorded before it.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder, queryRows, type Database } from '../../platform/db.js';
import { openEmptyTestDatabase } from '../../../../test/support/test-db.js';

const MIGRATION = '0021_export_worker_mail_files_report_runs';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function migrateFrom(database: Database, folder: string): Promise<void> {
  const client = (database.db as unknown as { $client: never }).$client;
  if (database.kind === 'pglite') await migratePglite(drizzlePglite(client), { migrationsFolder: folder });
  else await migratePg(drizzlePg(client), { migrationsFolder: folder });
}

describe(`migration ${MIGRATION}`, () => {
  it('drops the run times and keeps every count', async () => {
    // The migrations before this one, in a folder of their own.
    const before = await mkdtemp(path.join(tmpdir(), 'vetted-migrations-'));
    cleanups.push(() => rm(before, { recursive: true, force: true }));
    await cp(migrationsFolder, before, { recursive: true });
    const journalFile = path.join(before, 'meta/_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string; idx: number }[] };
    const at = journal.entries.findIndex((e) => e.tag === MIGRATION);
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    await writeFile(journalFile, JSON.stringify(journal));

    const database = await openEmptyTestDatabase();
    cleanups.push(() => database.close());
    await migrateFrom(database, before);
    const tenantId = '6a0c1a43-8f4b-4f5e-9d0e-3f1f1d0a5b11';
    await database.db.execute(sql`insert into institutions (id, name, kind, country, subdivision, region, grade_levels) values (${tenantId}, 'District', 'district', 'CA', 'BC', 'ca', '{K,1}')`);
    await database.db.execute(sql`insert into report_runs (tenant_id, report, day, run_count, created_at, updated_at) values
      (${tenantId}, 'vendors', '2026-11-01', 7, '2026-11-01T08:01:00Z', '2026-11-01T16:59:00Z'),
      (${tenantId}, 'data-storage', '2026-11-02', 2, '2026-11-02T09:00:00Z', '2026-11-02T09:05:00Z')`);

    await migrateFrom(database, migrationsFolder);
    const columns = await queryRows<{ c: string }>(
      database.db,
      sql`select column_name as c from information_schema.columns where table_schema = 'public' and table_name = 'report_runs' order by 1`,
    );
    expect(columns.map((r) => r.c)).toEqual(['day', 'report', 'run_count', 'tenant_id']);
    const rows = await queryRows<{ report: string; day: string; run_count: number }>(
      database.db,
      sql`select report, day::text as day, run_count from report_runs order by day`,
    );
    expect(rows).toEqual([
      { report: 'vendors', day: '2026-11-01', run_count: 7 },
      { report: 'data-storage', day: '2026-11-02', run_count: 2 },
    ]);
  }, 180_000);
});
