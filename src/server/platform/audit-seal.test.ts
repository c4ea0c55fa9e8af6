import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildUser } from '../../../test/support/factories.js';
import { CLI_TEST_TIMEOUT, itRunsCli, runCli } from '../../../test/support/cli.js';
import { createMigratedDataDir, openTestDatabase } from '../../../test/support/test-db.js';
import { recordAudit, verifyAuditChain } from './audit.js';
import { sealPendingAuditChains } from './audit-seal.js';
import { systemActor } from './authz.js';
import { openDatabase, queryRows, withSystem, type Database, type Db } from './db.js';

let database: Database & { url: string | undefined };
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

/** Events as the service wrote them before chaining existed (migration 0007): no seq, hash or personal digest. */
async function insertLegacyEvents(db: Db, tenantId: string | null, n: number): Promise<void> {
  const who = await buildUser(db, tenantId ? { tenantId, role: 'site_admin' } : { tenantId: null, role: 'platform_admin' });
  for (let i = 0; i < n; i++) {
    await db.execute(sql`insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
      values (${tenantId}, now() - interval '30 days' + ${i} * interval '1 hour', ${who.id}, ${`${who.firstName} ${who.lastName}`}, ${who.role},
        'institution.update', 'institution', ${tenantId ?? 'operator'}, ${JSON.stringify({ name: { before: `Name ${i}`, after: `Name ${i + 1}` } })}::jsonb, ${`legacy-${i}`}, 'web')`);
  }
}

/** A chained event written by the service after the upgrade. */
const writeChained = (db: Db, tenantId: string | null) =>
  withSystem(db, (tx) =>
    recordAudit(tx, systemActor('restore', 'job', tenantId), {
      action: 'institution.update',
      recordType: 'institution',
      recordId: tenantId ?? 'operator',
    }),
  );

const verify = (db: Db, tenantId: string | null) => withSystem(db, (tx) => verifyAuditChain(tx, tenantId));
const countEvents = async (db: Db) => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events`))[0]!.n;

describe('sealing after migrations', () => {
  it('seals every chain holding events from before the chain, once, and still detects tampering', async () => {
    const db = database.db;
    const { institution: a } = await buildInstitution(db);
    const { institution: b } = await buildInstitution(db);
    const { institution: late } = await buildInstitution(db);
    await insertLegacyEvents(db, null, 2);
    await insertLegacyEvents(db, a.id, 3);
    // After the upgrade the service writes chained events in some chains…
    await writeChained(db, null);
    await writeChained(db, b.id);
    // …and an unchained event written after a chain began can only come from outside the service.
    await writeChained(db, late.id);
    await insertLegacyEvents(db, late.id, 1);
    expect(await verify(db, a.id)).toMatchObject({ ok: false, brokenAt: { reason: 'unchained' } });
    expect(await verify(db, null)).toMatchObject({ ok: false, brokenAt: { reason: 'unchained' } });

    const [lateEvent] = await queryRows<{ id: number }>(
      db,
      sql`select id::int as id from audit_events where tenant_id = ${late.id} and seq is null`,
    );
    expect(await sealPendingAuditChains(db)).toEqual(
      expect.arrayContaining([
        { tenantId: null, sealed: 2 },
        { tenantId: a.id, sealed: 3 },
        { tenantId: late.id, sealed: 0, unsealableEventId: lateEvent!.id },
      ]),
    );
    expect(await verify(db, null)).toMatchObject({ ok: true, sealed: 2 });
    expect(await verify(db, a.id)).toMatchObject({ ok: true, sealed: 3 });
    expect(await verify(db, b.id)).toMatchObject({ ok: true, sealed: 0 });
    expect(await verify(db, late.id)).toMatchObject({ ok: false, brokenAt: { id: lateEvent!.id, reason: 'unchained' } });
    const [seal] = await queryRows<{ actor_label: string; changes: { legacyEvents: { after: { events: number } } } }>(
      db,
      sql`select actor_label, changes from audit_events where tenant_id = ${a.id} and action = 'audit.seal'`,
    );
    expect(seal).toMatchObject({ actor_label: 'system:migrate', changes: { legacyEvents: { after: { events: 3 } } } });

    // A second start seals nothing and writes nothing (the late chain is reported again).
    const before = await countEvents(db);
    expect(await sealPendingAuditChains(db)).toEqual([{ tenantId: late.id, sealed: 0, unsealableEventId: lateEvent!.id }]);
    expect(await countEvents(db)).toBe(before);

    // Changing a sealed event is detected, and a later start does not paper over it.
    const [first] = await queryRows<{ id: number }>(
      db,
      sql`select id::int as id from audit_events where tenant_id = ${a.id} and seq is null order by id limit 1`,
    );
    await db.execute(sql`update audit_events set action = 'institution.nothing' where id = ${first!.id}`);
    expect(await verify(db, a.id)).toMatchObject({ ok: false, brokenAt: { reason: 'sealed' } });
    await sealPendingAuditChains(db);
    expect(await verify(db, a.id)).toMatchObject({ ok: false, brokenAt: { reason: 'sealed' } });
    await db.execute(sql`update audit_events set action = 'institution.update' where id = ${first!.id}`);
    expect(await verify(db, a.id)).toMatchObject({ ok: true, sealed: 3 });
    // Removing one is detected too.
    await db.execute(sql`delete from audit_events where id = ${first!.id}`);
    expect(await verify(db, a.id)).toMatchObject({ ok: false, brokenAt: { reason: 'sealed' } });
    expect(await countEvents(db)).toBe(before - 1);
  });

  it('seals a chain of thousands of legacy events, written in batches, every one of them covered', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    const who = await buildUser(db, { tenantId: institution.id, role: 'site_admin' });
    // More than two batches of the sealing statement, the last one partial.
    const n = 2_345;
    await db.execute(sql`insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
      select ${institution.id}, now() - interval '90 days' + i * interval '1 minute', ${who.id}, ${`${who.firstName} ${who.lastName}`}, ${who.role},
        'institution.update', 'institution', ${institution.id}, jsonb_build_object('name', jsonb_build_object('before', 'Name ' || i, 'after', 'Name ' || (i + 1))), 'legacy-' || i, 'web'
      from generate_series(1, ${n}) as i`);
    expect(await sealPendingAuditChains(db)).toEqual(expect.arrayContaining([{ tenantId: institution.id, sealed: n }]));
    const [undigested] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from audit_events where tenant_id = ${institution.id} and seq is null and pii_digest is null`,
    );
    expect(undigested!.n).toBe(0);
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, sealed: n });
    // The last event of the last batch is covered: changing its personal part breaks the chain.
    await db.execute(sql`update audit_events set actor_label = 'Someone Else'
      where id = (select max(id) from audit_events where tenant_id = ${institution.id} and seq is null)`);
    expect(await verify(db, institution.id)).toMatchObject({ ok: false });
  });

  itRunsCli(
    'runs as part of `main.js migrate`',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-seal-'));
      const url = database.url;
      // PostgreSQL: the suite's own database. PGlite: a data folder the command opens after this process closes it.
      if (!url) await createMigratedDataDir(dataDir);
      const target = url ? database : await openDatabase({ dataDir });
      try {
        const { institution } = await buildInstitution(target.db);
        await insertLegacyEvents(target.db, institution.id, 2);
        expect(await verify(target.db, institution.id)).toMatchObject({ ok: false, brokenAt: { reason: 'unchained' } });
        if (!url) await target.close();
        const { code, out } = await runCli(['migrate'], { DATA_DIR: dataDir, DATABASE_URL: url ?? '' });
        expect(code, out).toBe(0);
        const after = url ? database : await openDatabase({ dataDir });
        try {
          expect(await verify(after.db, institution.id)).toMatchObject({ ok: true, sealed: 2 });
        } finally {
          if (!url) await after.close();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    CLI_TEST_TIMEOUT,
  );
});
