/**
 * The bundle commands between two cells, each its own database, as an operator runs them:
 * `bundle export --out` in the primary, `bundle import` in the other cell (once: the same file again
 * is refused, exit code 1, nothing changed), and `bundle keygen` for a rotation.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { CLI_TEST_TIMEOUT, itRunsCli, runCli } from '../../../../test/support/cli.js';
import { buildCatalogApp } from '../../../../test/support/factories.js';
import { createMigratedDataDir, openCrashTestDatabase } from '../../../../test/support/test-db.js';
import { queryRows } from '../../platform/db.js';
import { publicKeyOf } from './bank-bundle.js';

type Cell = Awaited<ReturnType<typeof openCrashTestDatabase>>;
let ca: Cell;
let us: Cell;
const seed = randomBytes(32);

beforeAll(async () => {
  ca = await openCrashTestDatabase('vetted-bundle-ca-');
  us = await openCrashTestDatabase('vetted-bundle-us-');
  for (const cell of [ca, us]) if (!cell.databaseUrl) await createMigratedDataDir(cell.dataDir);
  const db = await ca.open();
  try {
    await buildCatalogApp(db.db, { name: 'Carried by the command line' });
  } finally {
    await db.close();
  }
});
afterAll(async () => {
  await ca?.close();
  await us?.close();
});

const envOf = (cell: Cell, more: Record<string, string>) => ({
  DATA_DIR: cell.dataDir,
  DATABASE_URL: cell.databaseUrl ?? '',
  DEMO_SEED: 'false',
  ...more,
});

describe('bundle commands', () => {
  itRunsCli(
    'export in the primary, import once in the other cell',
    async () => {
      const file = path.join(ca.dataDir, 'bank-bundle.json');
      const exported = await runCli(
        ['bundle', 'export', '--out', file],
        envOf(ca, { REGION: 'ca', BUNDLE_SIGNING_KEY: seed.toString('base64') }),
      );
      expect(exported.code, exported.out).toBe(0);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'vetted-bank-bundle', sequence: 1, region: 'ca' });

      const importEnv = envOf(us, { REGION: 'us', BUNDLE_TRUSTED_KEYS: publicKeyOf(seed).toString('base64') });
      const imported = await runCli(['bundle', 'import', file], importEnv);
      expect(imported.code, imported.out).toBe(0);
      expect(JSON.parse(imported.out.slice(imported.out.indexOf('{')))).toMatchObject({ sequence: 1 });
      const again = await runCli(['bundle', 'import', file], importEnv);
      expect(again.code).toBe(1);
      expect(again.out).toContain('Bank bundle 1 was already applied here');

      const db = await us.open();
      try {
        const rows = await queryRows<{ name: string }>(db.db, sql`select name from catalog_apps`);
        expect(rows.map((r) => r.name)).toContain('Carried by the command line');
      } finally {
        await db.close();
      }

      const keygen = await runCli(['bundle', 'keygen'], envOf(us, {}));
      expect(keygen.code, keygen.out).toBe(0);
      const [, key] = /BUNDLE_SIGNING_KEY=(\S+)/.exec(keygen.out)!;
      expect(keygen.out).toContain(publicKeyOf(Buffer.from(key!, 'base64')).toString('base64'));
    },
    CLI_TEST_TIMEOUT,
  );
});
