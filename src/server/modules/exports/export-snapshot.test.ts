/**
 * On PostgreSQL the full export reads in one read-only REPEATABLE READ transaction: every sheet
 * shows the institution at the instant the export began, whatever is written while it runs.
 * Skipped on PGlite (set TEST_DATABASE_URL), where pages are short transactions of their own.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { unzip } from '../../../../test/support/unzip.js';
import { schools } from '../../db/schema/index.js';
import { unsafeTenantScope, withSystem } from '../../platform/db.js';
import { writeFullExport } from './full-export.js';

const onServer = Boolean(process.env.TEST_DATABASE_URL);
let t: TestApp;

beforeAll(async () => {
  if (onServer) t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A writable that keeps what it is given. */
function collector(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

describe.skipIf(!onServer)('the full export on PostgreSQL', () => {
  it('shows every sheet as it was when the export began, though a school is added after its first page', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const scope = unsafeTenantScope(institution.id);
    const addSchool = (name: string) =>
      withSystem(t.database.db, (tx) =>
        tx.insert(schools).values({ tenantId: institution.id, id: randomUUID(), name, gradeFrom: 'K', gradeTo: '5' }),
      );
    await addSchool('Before the export');
    let added = false;
    const { out, bytes } = collector();
    await writeFullExport(t.database.db, scope, 'csv', out, async () => {
      // After the first page (the institution's sheet), before the schools' sheet is read.
      if (!added) {
        added = true;
        await addSchool('During the export');
      }
    });
    expect(added).toBe(true);
    const files = await unzip(bytes());
    const sheet = [...files.entries()].find(([name]) => name.startsWith('schools'));
    expect(sheet, [...files.keys()].join(', ')).toBeDefined();
    const rows = parse(sheet![1].toString('utf8').replace(/^\ufeff/, '')) as string[][];
    const names = rows
      .slice(1)
      .map((r) => r[1]!)
      .filter((name) => name.endsWith(' the export'));
    expect(names, JSON.stringify(rows)).toEqual(['Before the export']);
  });
});
