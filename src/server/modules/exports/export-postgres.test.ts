/**
 * The full export on PostgreSQL (skipped on PGlite; set TEST_DATABASE_URL):
 * - it reads in read-only REPEATABLE READ transactions sharing one snapshot, so every sheet shows the
 *   institution at the instant the export began, whatever is written while it runs (PGlite reads
 *   short page transactions of their own);
 * - its job runs in a process of its own (ADR 0019): the serving process starts it, waits for it,
 *   and fails the export when it dies (PGlite's exports run in the serving process).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { unzip } from '../../../../test/support/unzip.js';
import { dataExports, schools } from '../../db/schema/index.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, withTenantSnapshots, type Tx } from '../../platform/db.js';
import { exportFilePath } from './export-files.js';
import { preparedExportProcessPid, prepareExportProcess, runDataExportInChildProcess, stopSpareExportProcess } from './export-process.js';
import { writeFullExport } from './full-export.js';
import { EXPORT_ENTITIES, type ExportEntity } from './export-entities.js';
import { until } from '../../../../test/support/until.js';

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
      // After the first page (the institution's sheet), written while the export runs.
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

  it('fails, rather than waits, when a sheet’s statement failed before the sheet’s turn came', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const [first, second] = EXPORT_ENTITIES;
    // The first sheet takes a while; the second's statement, on the other connection, fails at once.
    const slow: ExportEntity = { ...first!, rowsQuery: () => 'select pg_sleep(0.5)::text' };
    const failing: ExportEntity = { ...second!, rowsQuery: () => 'select (1 / 0)::text' };
    const out = new Writable({ write: (_chunk, _encoding, done) => done() });
    await expect(
      writeFullExport(t.database.db, unsafeTenantScope(institution.id), 'csv', out, async () => {}, [slow, failing]),
    ).rejects.toThrow(/division by zero/);
  });

  it('reads through connections that all see the snapshot of the first, whenever each reads first', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const scope = unsafeTenantScope(institution.id);
    const count = async (tx: Tx) =>
      Number((await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from schools where tenant_id = ${institution.id}`))[0]!.n);
    const before = await withTenant(t.database.db, scope, count);
    const seen = await withTenantSnapshots(
      t.database.db,
      scope,
      3,
      async (txs) => {
        expect(txs).toHaveLength(3);
        // Committed after the snapshot was taken, before any of the others has read anything.
        await withSystem(t.database.db, (tx) =>
          tx.insert(schools).values({ tenantId: institution.id, id: randomUUID(), name: 'Added', gradeFrom: 'K', gradeTo: '5' }),
        );
        const pids = await Promise.all(
          txs.map(async (tx) => (await queryRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`))[0]!.pid),
        );
        // The settings asked for are in force in every one of them (the export's: no parallel workers).
        const workers = await Promise.all(
          txs.map(
            async (tx) => (await queryRows<{ n: string }>(tx, sql`select current_setting('max_parallel_workers_per_gather') as n`))[0]!.n,
          ),
        );
        return { counts: await Promise.all(txs.map(count)), pids, workers };
      },
      'set local max_parallel_workers_per_gather = 0',
    );
    expect(seen!.value.workers).toEqual(['0', '0', '0']);
    expect(new Set(seen!.value.pids).size).toBe(3);
    expect(seen!.value.counts).toEqual([before, before, before]);
    expect(await withTenant(t.database.db, scope, count)).toBe(before + 1);
  });
});

async function exportRow(tenantId: string, exportId: string) {
  const rows = await withTenant(t.database.db, unsafeTenantScope(tenantId), (tx) =>
    tx
      .select()
      .from(dataExports)
      .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, exportId))),
  );
  return rows[0]!;
}

/** The process id a worker identity (`host/pid/token`) names. */
const pidOf = (workerId: string | null) => Number(workerId?.split('/')[1]);

describe.skipIf(!onServer)('an export on PostgreSQL', () => {
  it('runs in another process, which writes the file and marks it ready', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db, 3);
    const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' });
    expect(created.statusCode, created.body).toBe(202);
    const exportId = (created.json() as { id: string }).id;
    await t.jobs.runPending();
    const row = await exportRow(tenant.institution.id, exportId);
    expect(row.status).toBe('ready');
    const pid = pidOf(row.workerId);
    expect(Number.isInteger(pid) && pid > 0, String(row.workerId)).toBe(true);
    expect(pid).not.toBe(process.pid);
    expect(existsSync(exportFilePath(t.config.dataDir, tenant.institution.id, exportId, 'xlsx'))).toBe(true);
    const download = await tenant.siteAdmin.request('GET', `/api/v1/exports/${exportId}/download`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.subarray(0, 2).toString()).toBe('PK');
  }, 200_000);

  it('is failed, its partial file removed, when its process is killed midway', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db, 3);
    const tenantId = tenant.institution.id;
    const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(created.statusCode, created.body).toBe(202);
    const exportId = (created.json() as { id: string }).id;
    const part = `${exportFilePath(t.config.dataDir, tenantId, exportId, 'csv')}.part`;

    // The answers' sheet looks up each answer's section; the count of rows does not. With that table
    // locked, the export process writes the first sheets and then waits: it is killed there.
    const lock = new pg.Client({ connectionString: t.database.url });
    await lock.connect();
    try {
      await lock.query('begin; lock table assessment_sections in access exclusive mode');
      const ran = t.jobs.runPending();
      const running = await until(
        'the export to be written by its process',
        async () => {
          const row = await exportRow(tenantId, exportId);
          return row.status === 'running' && row.workerId && existsSync(part) ? row : undefined;
        },
        { seconds: 120, everyMs: 10 },
      );
      const pid = pidOf(running.workerId);
      expect(pid).not.toBe(process.pid);
      process.kill(pid, 'SIGKILL');
      await ran;
    } finally {
      await lock.query('rollback').catch(() => undefined);
      await lock.end();
    }
    const row = await exportRow(tenantId, exportId);
    expect(row).toMatchObject({ status: 'failed', workerId: null });
    expect(existsSync(part)).toBe(false);
    expect(existsSync(exportFilePath(t.config.dataDir, tenantId, exportId, 'csv'))).toBe(false);
  }, 200_000);

  it('ends the process kept after an export once it has waited its time, and starts a fresh one in its place', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db, 3);
    const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(created.statusCode, created.body).toBe(202);
    const exportId = (created.json() as { id: string }).id;
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    try {
      prepareExportProcess();
      const ran = preparedExportProcessPid()!;
      await runDataExportInChildProcess({ db: t.database.db, config: { ...t.config, exportProcessKeepSeconds: 1 } }, t.database.url!, {
        v: 1,
        tenantId: tenant.institution.id,
        exportId,
      });
      expect((await exportRow(tenant.institution.id, exportId)).status).toBe('ready');
      expect(preparedExportProcessPid()).toBe(ran);
      const fresh = await until(
        'a fresh process in its place',
        async () => {
          const pid = preparedExportProcessPid();
          return pid !== null && pid !== ran ? pid : undefined;
        },
        { seconds: 30, everyMs: 50 },
      );
      expect(fresh).toBeGreaterThan(0);
      await until('the kept process to be gone', async () => (alive(ran) ? undefined : true), { seconds: 30, everyMs: 50 });
    } finally {
      stopSpareExportProcess();
    }
  }, 200_000);

  it('runs in the process started ahead of it, which is kept, warm, for the next; one that died waiting is replaced', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db, 3);
    const tenantId = tenant.institution.id;
    const exportOnce = async () => {
      const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
      expect(created.statusCode, created.body).toBe(202);
      const exportId = (created.json() as { id: string }).id;
      await t.jobs.runPending();
      return exportRow(tenantId, exportId);
    };
    try {
      prepareExportProcess();
      const ready = preparedExportProcessPid();
      expect(ready).toBeGreaterThan(0);
      const first = await exportOnce();
      expect(first.status).toBe('ready');
      expect(pidOf(first.workerId)).toBe(ready);
      // The same process waits for the next export, and runs it.
      expect(preparedExportProcessPid()).toBe(ready);
      const second = await exportOnce();
      expect(second.status).toBe('ready');
      expect(pidOf(second.workerId)).toBe(ready);
      // Killed while it waits, it is not used: the next export runs in another.
      process.kill(ready!, 'SIGKILL');
      await until('the waiting process to be gone', async () => (preparedExportProcessPid() === null ? true : undefined), {
        seconds: 30,
        everyMs: 10,
      });
      const third = await exportOnce();
      expect(third.status).toBe('ready');
      expect(pidOf(third.workerId)).not.toBe(ready);
      expect(pidOf(third.workerId)).toBeGreaterThan(0);
    } finally {
      stopSpareExportProcess();
    }
  }, 200_000);
});
