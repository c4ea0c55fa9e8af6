import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, signIn } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { openCrashTestDatabase } from '../../../../test/support/test-db.js';
import { buildApp } from '../../app.js';
import type { Config } from '../../platform/config.js';
import { projectRoot, queryRows, type Database } from '../../platform/db.js';
import { createJobs } from '../../platform/jobs.js';
import { createBackupService } from './backups.service.js';
import { createLifecycleService } from './lifecycle.service.js';

let dataDir: string;
let config: Config;
let databaseUrl: string | undefined;
let open: () => Promise<Database>;
let shared: Awaited<ReturnType<typeof openCrashTestDatabase>> | undefined;

beforeAll(async () => {
  shared = await openCrashTestDatabase('vetted-purge-');
  ({ dataDir, config, databaseUrl, open } = shared);
});
afterAll(async () => {
  await shared?.close();
});

/** Runs the purge in a child process and kills it (SIGKILL) after a few committed batches. */
function purgeAndKill(institutionId: string, afterBatches: number): Promise<{ batches: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/support/purge-child.ts'), institutionId], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let batches = 0;
    let finished = false;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line.startsWith('batch')) batches++;
        if (line === 'done') finished = true;
      }
      if (batches >= afterBatches && !finished) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`purge child failed (${code}): ${err}`));
      else resolve({ batches, finished });
    });
  });
}

describe('a purge killed midway', () => {
  it('completes when run again, leaving nothing of the institution', async () => {
    let database = await open();
    await database.migrate();
    const jobs = await createJobs({ db: database.db });
    const app = await buildApp({ config, db: database.db, mailer: { send: async () => {}, folder: undefined }, jobs }, { logLevel: 'silent' });
    const tenant = await buildPopulatedTenant(app, database.db, 5);
    const neighbour = await buildPopulatedTenant(app, database.db, 2);
    const operator = await signIn(app, await buildUser(database.db, { tenantId: null, role: 'platform_admin' }));
    const id = tenant.institution.id;
    expect((await operator.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'dpo@example.org' })).statusCode).toBe(200);
    await createBackupService({ db: database.db, config, jobs }).systemBackupInstitution(id);
    await app.close();
    await jobs.stop();
    if (!databaseUrl) await database.close();

    const killed = await purgeAndKill(id, 4);
    expect(killed).toMatchObject({ finished: false });
    expect(killed.batches).toBeGreaterThanOrEqual(4);

    if (!databaseUrl) database = await open();
    const jobs2 = await createJobs({ db: database.db });
    try {
      const [partial] = await queryRows<{ purge_completed_at: string | null; table_counts: Record<string, number> }>(
        database.db,
        sql`select purge_completed_at, table_counts from deletion_certificates where institution_id = ${id}`,
      );
      expect(partial!.purge_completed_at).toBeNull();
      const mails: string[] = [];
      const backups = createBackupService({ db: database.db, config, jobs: jobs2 });
      const lifecycle = createLifecycleService({ db: database.db, config, jobs: jobs2, mailer: { send: async (m) => void mails.push(m.to), folder: undefined } }, backups);
      expect(await lifecycle.systemDueForPurge()).toContain(id);
      const cert = await lifecycle.systemPurge(id);
      expect(cert.purgeCompletedAt).not.toBeNull();
      expect(mails).toEqual(['dpo@example.org']);
      const counts = cert.tableCounts as Record<string, number>;
      expect(counts.inventory_items).toBe(5);
      const left = await queryRows<{ t: string }>(
        database.db,
        sql`select c.table_name as t from information_schema.columns c where c.table_schema = 'public' and c.column_name = 'tenant_id'`,
      );
      for (const { t } of left) {
        const [r] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from ${sql.identifier(t)} where tenant_id = ${id}`);
        expect(r!.n, t).toBe(0);
      }
      const [n] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from inventory_items where tenant_id = ${neighbour.institution.id}`);
      expect(n!.n).toBe(2);
      expect(await backups.store.listArchives(id)).toEqual([]);
    } finally {
      await jobs2.stop();
      if (!databaseUrl) await database.close();
    }
  }, 400_000);
});
