/**
 * An export whose process dies midway: at the next worker start it is failed and its partial file
 * removed, so that the institution can start a new export at once (not after the stall bound).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, signIn } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { openCrashTestDatabase } from '../../../../test/support/test-db.js';
import { buildApp } from '../../app.js';
import { dataExports } from '../../db/schema/index.js';
import type { Config } from '../../platform/config.js';
import { projectRoot, unsafeTenantScope, withSystem, withTenant, type Database } from '../../platform/db.js';
import { createJobs } from '../../platform/jobs.js';
import { THIS_PROCESS } from '../../platform/worker-identity.js';
import { exportFilePath } from './export-files.js';
import { systemSweepExpiredExports } from './exports.sweep.js';
import { until } from '../../../../test/support/until.js';

/** How long and how often the recovery is waited for. */
const RECOVERY_WAIT = { seconds: 90, everyMs: 250 };

let dataDir: string;
let config: Config;
let databaseUrl: string | undefined;
let open: () => Promise<Database>;
let shared: Awaited<ReturnType<typeof openCrashTestDatabase>> | undefined;

beforeAll(async () => {
  shared = await openCrashTestDatabase('vetted-export-');
  ({ dataDir, config, databaseUrl, open } = shared);
});
afterAll(async () => {
  await shared?.close();
});

/** Runs the queued exports in a child process and kills it (SIGKILL) once two pages are written. */
function exportAndKill(): Promise<{ pages: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/support/export-child.ts')], {
      cwd: projectRoot,
      env: { ...process.env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pages = 0;
    let finished = false;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line.startsWith('page')) pages++;
        if (line === 'done') finished = true;
      }
      if (pages >= 2 && !finished) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`export child failed (${code}): ${err}`));
      else resolve({ pages, finished });
    });
  });
}

describe('an export whose worker process was killed', () => {
  it('is failed when workers start again, its partial file removed, and a new export can start at once', async () => {
    let database = await open();
    await database.migrate();
    let jobs = await createJobs({ db: database.db });
    let app = await buildApp(
      { config, db: database.db, mailer: { send: async () => {}, folder: undefined }, jobs },
      { logLevel: 'silent' },
    );
    const tenant = await buildPopulatedTenant(app, database.db, 5);
    const tenantId = tenant.institution.id;
    const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(created.statusCode).toBe(202);
    const exportId = (created.json() as { id: string }).id;
    await app.close();
    await jobs.stop();
    if (!databaseUrl) await database.close();

    const killed = await exportAndKill();
    expect(killed).toMatchObject({ finished: false });
    expect(killed.pages).toBeGreaterThanOrEqual(2);
    const part = `${exportFilePath(dataDir, tenantId, exportId, 'csv')}.part`;
    expect(existsSync(part)).toBe(true);

    if (!databaseUrl) database = await open();
    const statusOf = async () =>
      (
        await withTenant(database.db, unsafeTenantScope(tenantId), (tx) =>
          tx
            .select()
            .from(dataExports)
            .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId))),
        )
      )[0]!;
    expect((await statusOf()).status).toBe('running');

    // A restarted service: its workers start, and with them the recovery of what the dead one left.
    jobs = await createJobs({ db: database.db });
    app = await buildApp({ config, db: database.db, mailer: { send: async () => {}, folder: undefined }, jobs }, { logLevel: 'silent' });
    try {
      await jobs.startWorkers();
      const failed = await until(
        'the interrupted export to be failed',
        async () => {
          const row = await statusOf();
          return row.status === 'running' ? undefined : row;
        },
        RECOVERY_WAIT,
      );
      expect(failed).toMatchObject({ status: 'failed', workerId: null });
      expect(failed.error).toMatch(/interrupted/);
      expect(existsSync(part)).toBe(false);

      // The institution starts a new export at once, and the running workers produce it.
      const admin = await signIn(app, tenant.siteAdmin.user);
      const again = await admin.request('POST', '/api/v1/exports', { format: 'csv' });
      expect(again.statusCode).toBe(202);
      const againId = (again.json() as { id: string }).id;
      const done = await until(
        'the new export',
        async () => {
          const r = (await admin.request('GET', `/api/v1/exports/${againId}`)).json() as { status: string };
          return r.status === 'ready' || r.status === 'failed' ? r.status : undefined;
        },
        RECOVERY_WAIT,
      );
      expect(done).toBe('ready');
    } finally {
      await app.close();
      await jobs.stop();
      await database.close();
    }
  }, 400_000);

  it('leaves alone an export running in a live process; fails one whose process is gone, or of another host not heard from', async () => {
    const database = await open();
    try {
      await database.migrate();
      const { institution } = await buildInstitution(database.db);
      const scope = unsafeTenantScope(institution.id);
      const live = randomUUID();
      const remoteFresh = randomUUID();
      const remoteSilent = randomUUID();
      // This host: an earlier process with our pid (a restarted container), and a pid that is gone.
      const [space, pid] = THIS_PROCESS.split('/');
      const samePidEarlier = randomUUID();
      const deadPid = randomUUID();
      await withSystem(database.db, async (tx) => {
        await tx.insert(dataExports).values([
          { tenantId: institution.id, id: live, format: 'csv', status: 'running', workerId: THIS_PROCESS },
          { tenantId: institution.id, id: remoteFresh, format: 'csv', status: 'running', workerId: 'another-host/4242/abcdef' },
          { tenantId: institution.id, id: remoteSilent, format: 'csv', status: 'running', workerId: 'another-host/4243/abcdef' },
          { tenantId: institution.id, id: samePidEarlier, format: 'csv', status: 'running', workerId: `${space}/${pid}/000000000000` },
          { tenantId: institution.id, id: deadPid, format: 'csv', status: 'running', workerId: `${space}/2147483646/abcdef` },
        ]);
        await tx.execute(
          sql`update data_exports set updated_at = now() - interval '10 minutes' where tenant_id = ${institution.id} and id = ${remoteSilent}`,
        );
      });
      await systemSweepExpiredExports({ db: database.db, config });
      const rows = await withTenant(database.db, scope, (tx) =>
        tx.select().from(dataExports).where(eq(dataExports.tenantId, institution.id)),
      );
      const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
      expect(status).toEqual({
        [live]: 'running',
        [remoteFresh]: 'running',
        [remoteSilent]: 'failed',
        [samePidEarlier]: 'failed',
        [deadPid]: 'failed',
      });
    } finally {
      await database.close();
    }
  }, 200_000);
});
