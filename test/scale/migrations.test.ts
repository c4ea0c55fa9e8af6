/**
 * Migrations meeting each other on a new cluster (initdb, on loopback): the roles the first migration
 * creates belong to the whole cluster, so databases first migrated at the same moment race on them,
 * and two processes starting at once migrate the same database together. Every one must end migrated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/server/platform/db.js';
import { CLI_TEST_TIMEOUT } from '../support/cli.js';
import { missingScaleTools, startCluster, type Cluster } from '../support/pg-cluster.js';

const missing = process.env.VETTED_MUTATION_RUN ? 'not under mutation testing' : missingScaleTools();
if (missing) process.stdout.write(`test/scale/migrations.test.ts skipped: ${missing}\n`);

describe.skipIf(missing)('migrations started together on a new cluster', () => {
  let cluster: (Cluster & { remove(): Promise<void> }) | undefined;

  beforeAll(async () => {
    cluster = await startCluster();
  }, CLI_TEST_TIMEOUT);
  afterAll(async () => {
    await cluster?.stop();
    await cluster?.remove();
  }, CLI_TEST_TIMEOUT);

  /** Opens `count` databases on each of `names` and migrates all of them at once. */
  async function migrateTogether(names: string[], count: number): Promise<PromiseSettledResult<void>[]> {
    const opened: Database[] = [];
    try {
      for (const name of names) {
        for (let i = 0; i < count; i++) opened.push(await openDatabase({ databaseUrl: cluster!.url(name), poolSize: 2 }));
      }
      return await Promise.allSettled(opened.map((d) => d.migrate()));
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
  }

  const applied = async (name: string) =>
    (await cluster!.query<{ n: string }>('select count(*)::text as n from drizzle.__drizzle_migrations', name))[0]!.n;

  it(
    'migrates four new databases at once, each twice at the same moment, and each ends with every migration applied once',
    async () => {
      const names = ['one', 'two', 'three', 'four'];
      for (const name of names) await cluster!.query(`create database ${name}`);
      const results = await migrateTogether(names, 2);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      const counts = await Promise.all(names.map(applied));
      expect(new Set(counts).size).toBe(1);
      expect(Number(counts[0])).toBeGreaterThan(30);
      const roles = await cluster!.query<{ rolname: string }>(`select rolname from pg_roles where rolname like 'vetted_%' order by 1`);
      expect(roles.map((r) => r.rolname)).toEqual(['vetted_app', 'vetted_audit', 'vetted_system']);
    },
    CLI_TEST_TIMEOUT,
  );
});
