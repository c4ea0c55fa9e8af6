/**
 * The audit chain's tamper evidence, on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
 * every column of an event is covered (tampered one by one, the list read from the table itself), the
 * chain's end is anchored where the roles writing events cannot reach, and chains written by the
 * version-1 code keep verifying after the upgrade.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution } from '../../../test/support/factories.js';
import { scheduleDuePurge } from '../../../test/support/lifecycle.js';
import { openTestDatabase } from '../../../test/support/test-db.js';
import { auditEvents, auditHeads } from '../db/schema/index.js';
import { createFolderBackupStore } from '../modules/lifecycle/backup-store.js';
import { systemPurgeInstitution } from '../modules/lifecycle/purge.js';
import { GENESIS, HASHED_FIELDS, UNHASHED_FIELDS, chainKey, eventHash, piiDigestOf, recordAudit, verifyAuditChain } from './audit.js';
import { systemActor, type Actor } from './authz.js';
import { migrationsFolder, openDatabase, queryRows, unsafeTenantScope, withSystem, withTenant, type Database, type Db } from './db.js';
import { pgCode } from './errors.js';

type AuditRow = typeof auditEvents.$inferSelect;
type Column = keyof AuditRow;

let database: Database & { url: string | undefined };
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database?.close());

/** A person of the institution, as request code records them. */
const person = (tenantId: string): Actor => ({
  ...systemActor('restore', 'web', tenantId),
  userId: randomUUID(),
  label: 'Dana Smith',
  role: 'site_admin',
});

/** Writes `n` events in the institution's chain, as request code does (the tenant role), one transaction each. */
async function writeEvents(db: Db, tenantId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await withTenant(db, unsafeTenantScope(tenantId), (tx) =>
      recordAudit(tx, person(tenantId), {
        action: 'inventory.update',
        recordType: 'inventory_item',
        recordId: randomUUID(),
        before: { name: `App ${i}` },
        after: { name: `App ${i + 1}` },
      }),
    );
  }
}

const verify = (db: Db, tenantId: string | null) => withSystem(db, (tx) => verifyAuditChain(tx, tenantId));
const eventsOf = (db: Db, tenantId: string) =>
  withSystem(db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(asc(auditEvents.seq)));
const anchorOf = async (db: Db, tenantId: string | null) =>
  (
    await withSystem(db, (tx) =>
      tx
        .select({ seq: auditHeads.seq, hash: auditHeads.hash })
        .from(auditHeads)
        .where(eq(auditHeads.chainId, chainKey(tenantId))),
    )
  )[0] ?? null;

/** The error code of a rejected promise (permission denied is 42501). */
async function failure(p: Promise<unknown>): Promise<{ code: string | undefined; message: string }> {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    return { code: pgCode(err), message: `${(err as Error).message} ${cause?.message ?? ''}` };
  }
  throw new Error('expected the statement to be refused');
}

/**
 * Columns a tamperer cannot change detectably, by design, and why. Every other column of the table is
 * tampered below: a column added later is tampered too, and fails the test until the hash covers it.
 */
const NOT_TAMPER_EVIDENT: Partial<Record<Column, string>> = {
  id: 'an identity number a restore renumbers; PostgreSQL refuses to set it to anything but a fresh one',
  redactedAt: 'the erasure procedure sets it when it replaces the personal part (whose digest stays hashed)',
  updatedAt: 'bookkeeping set by erasure and sealing',
};
/** Columns that move the event elsewhere: the chain reports the gap the event leaves. */
const MOVES_THE_EVENT = new Set<Column>(['seq', 'tenantId']);

/** Another valid value for a column, of its type. */
async function tamperedValue(db: Db, column: Column, value: unknown): Promise<unknown> {
  const type = getTableColumns(auditEvents)[column].columnType;
  if (column === 'tenantId') return (await buildInstitution(db)).institution.id;
  if (column === 'hashVersion') return value === 1 ? 2 : 1;
  switch (type) {
    case 'PgUUID':
      return randomUUID();
    case 'PgText':
      return value === null ? 'tampered' : `${String(value)}-tampered`;
    case 'PgBigInt53':
    case 'PgSmallInt':
      return Number(value) + 1000;
    case 'PgTimestamp':
      return new Date((value as Date).getTime() + 1000);
    case 'PgJsonb':
      return { tampered: { before: null, after: 1 } };
    default:
      throw new Error(`No tampered value for ${column} (${type}): add one`);
  }
}

describe('the audit chain', () => {
  it('classifies every column: hashed, or left out of the hash for a stated reason', () => {
    const columns = Object.keys(getTableColumns(auditEvents)).sort();
    const classified = [...HASHED_FIELDS, ...Object.keys(UNHASHED_FIELDS)].sort();
    expect(classified).toEqual(columns);
  });

  it('verifies a clean chain, anchored at its newest event', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 3);
    const events = await eventsOf(db, institution.id);
    expect(events.map((e) => [e.seq, e.hashVersion])).toEqual([
      [1, 2],
      [2, 2],
      [3, 2],
    ]);
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, events: 3, anchor: { seq: 3, hash: events[2]!.hash } });
    // In the institution's own scope too (the site admins' check).
    expect(await withTenant(db, unsafeTenantScope(institution.id), (tx) => verifyAuditChain(tx, institution.id))).toMatchObject({
      ok: true,
      events: 3,
    });
    // Request code reads its own anchor only.
    const other = (await buildInstitution(db)).institution.id;
    await writeEvents(db, other, 1);
    const seen = await withTenant(db, unsafeTenantScope(institution.id), (tx) =>
      tx.select({ chainId: auditHeads.chainId }).from(auditHeads),
    );
    expect(seen).toEqual([{ chainId: institution.id }]);
  });

  it('detects a change to any column of an event, naming the event', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 4);
    const target = (await eventsOf(db, institution.id))[1]!;
    const columns = (Object.keys(getTableColumns(auditEvents)) as Column[]).filter((c) => !(c in NOT_TAMPER_EVIDENT));
    expect(columns.length).toBeGreaterThan(15);
    const missed: string[] = [];
    for (const column of columns) {
      const original = target[column];
      const tampered = await tamperedValue(db, column, original);
      // The writer role with UPDATE on the table (system code) changes the stored event.
      await withSystem(db, (tx) =>
        tx
          .update(auditEvents)
          .set({ [column]: tampered })
          .where(eq(auditEvents.id, target.id)),
      );
      const report = await verify(db, institution.id);
      const named = MOVES_THE_EVENT.has(column)
        ? report.brokenAt?.seq === 3 && report.brokenAt.reason === 'gap'
        : report.brokenAt?.id === target.id;
      if (report.ok || !named) missed.push(`${column}: ${JSON.stringify(report.brokenAt ?? 'verified')}`);
      await withSystem(db, (tx) =>
        tx
          .update(auditEvents)
          .set({ [column]: original })
          .where(eq(auditEvents.id, target.id)),
      );
      expect(await verify(db, institution.id), `after restoring ${column}`).toMatchObject({ ok: true, events: 4 });
    }
    expect(missed).toEqual([]);
    // The one stored number left out: PostgreSQL refuses to set it.
    expect(
      (await failure(withSystem(db, (tx) => tx.execute(sql`update audit_events set id = id + 1000 where id = ${target.id}`)))).code,
    ).toBe('428C9');
  });

  it('detects the newest events removed by the role that writes them, and keeps reporting the hole', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 3);
    await withSystem(db, (tx) => tx.execute(sql`delete from audit_events where tenant_id = ${institution.id} and seq = 3`));
    expect(await verify(db, institution.id)).toMatchObject({
      ok: false,
      events: 2,
      brokenAt: { seq: 3, id: null, reason: 'truncated' },
      anchor: { seq: 3 },
    });
    // The chain goes on from its anchor, past the hole, which verification still finds.
    await writeEvents(db, institution.id, 1);
    expect((await eventsOf(db, institution.id)).map((e) => e.seq)).toEqual([1, 2, 4]);
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: 'gap' } });
    // A backup of the chain with its hole restores (as into a fresh database: no events, no anchor), and still shows the hole.
    const rows = await queryRows<Record<string, unknown>>(
      db,
      sql`select * from audit_events where tenant_id = ${institution.id} order by id`,
    );
    await db.execute(sql`delete from audit_events where tenant_id = ${institution.id}`);
    await db.execute(sql`delete from audit_heads where chain_id = ${institution.id}`);
    await withSystem(db, (tx) =>
      tx.execute(
        sql`insert into audit_events overriding system value select * from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(rows)}::jsonb)`,
      ),
    );
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: 'gap' }, anchor: { seq: 4 } });
    // Every event removed: still reported.
    const { institution: emptied } = await buildInstitution(db);
    await writeEvents(db, emptied.id, 2);
    await withSystem(db, (tx) => tx.execute(sql`delete from audit_events where tenant_id = ${emptied.id}`));
    expect(await verify(db, emptied.id)).toMatchObject({ ok: false, events: 0, brokenAt: { seq: 1, reason: 'truncated' } });
  });

  it('detects the newest event rewritten with every hash recomputed, as someone who knows the algorithm would', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 3);
    const events = await eventsOf(db, institution.id);
    const newest = { ...events[2]!, action: 'inventory.nothing' };
    const hash = eventHash(newest)!;
    await withSystem(db, (tx) => tx.update(auditEvents).set({ action: newest.action, hash }).where(eq(auditEvents.id, newest.id)));
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 3, id: newest.id, reason: 'anchor' } });
  });

  it('refuses the roles writing events any change to the anchor', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 2);
    const before = await anchorOf(db, institution.id);
    const statements = [
      sql`update audit_heads set seq = seq + 1, hash = ${GENESIS} where chain_id = ${institution.id}`,
      sql`delete from audit_heads where chain_id = ${institution.id}`,
      sql`insert into audit_heads (chain_id, seq, hash) values (${randomUUID()}, 1, ${GENESIS})`,
      sql`truncate audit_heads`,
      sql`alter table audit_events disable trigger audit_events_anchor`,
      sql`drop trigger audit_events_anchor on audit_events`,
    ];
    for (const statement of statements) {
      expect((await failure(withSystem(db, (tx) => tx.execute(statement)))).code).toBe('42501');
      expect((await failure(withTenant(db, unsafeTenantScope(institution.id), (tx) => tx.execute(statement)))).code).toBe('42501');
    }
    expect(await anchorOf(db, institution.id)).toEqual(before);
    // Even its owner cannot move an anchor back.
    expect((await failure(db.execute(sql`update audit_heads set seq = 1 where chain_id = ${institution.id}`))).message).toMatch(
      /cannot move back/,
    );
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, anchor: before });
  });

  it('refuses, or detects, events replayed, replaced, reordered or added past the anchor', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 3);
    const events = await eventsOf(db, institution.id);
    const copy = (e: AuditRow, overrides: Partial<AuditRow> = {}) => {
      const { id: _id, ...rest } = { ...e, ...overrides };
      return rest;
    };
    // Replacing the newest event (removed, then a forged one, correctly hashed, in its place): the database refuses it.
    const [newestRaw] = await queryRows<Record<string, unknown>>(db, sql`select * from audit_events where id = ${events[2]!.id}`);
    await withSystem(db, (tx) => tx.delete(auditEvents).where(eq(auditEvents.id, events[2]!.id)));
    const forged = { ...copy(events[2]!), action: 'inventory.nothing', requestId: 'forged' };
    const forgedRow = { ...forged, hash: eventHash(forged)! };
    expect((await failure(withSystem(db, (tx) => tx.insert(auditEvents).values(forgedRow)))).message).toMatch(/anchored at event 3/);
    // Put back as it was (only with the triggers off: even the database owner cannot write behind the anchor), the chain verifies again.
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(
        sql`insert into audit_events overriding system value select * from jsonb_populate_record(null::audit_events, ${JSON.stringify(newestRaw)}::jsonb)`,
      );
    });
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, events: 3 });
    // Reordered: the first two events swap positions.
    const place = (seqs: [number, number][]) =>
      withSystem(db, async (tx) => {
        for (const [i] of seqs)
          await tx
            .update(auditEvents)
            .set({ seq: -1 - i })
            .where(eq(auditEvents.id, events[i]!.id));
        for (const [i, seq] of seqs) await tx.update(auditEvents).set({ seq }).where(eq(auditEvents.id, events[i]!.id));
      });
    await place([
      [0, 2],
      [1, 1],
    ]);
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 1, id: events[1]!.id, reason: 'link' } });
    await place([
      [0, 1],
      [1, 2],
    ]);
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, events: 3 });
    // An event correctly linked and hashed, added by the database owner with the triggers off: past the anchor.
    const extra = { ...copy(events[2]!), seq: 4, prevHash: events[2]!.hash, requestId: 'extra' };
    await db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.insert(auditEvents).values({ ...extra, hash: eventHash(extra)! });
    });
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: 'anchor' }, anchor: { seq: 3 } });

    // Replaying an old event at the next position: accepted by the database, found by verification.
    const { institution: other } = await buildInstitution(db);
    await writeEvents(db, other.id, 3);
    const first = (await eventsOf(db, other.id))[0]!;
    await withSystem(db, (tx) => tx.insert(auditEvents).values(copy(first, { seq: 4 })));
    expect(await verify(db, other.id)).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: 'link' } });
    // …and at a position already taken, refused.
    expect(await failure(withSystem(db, (tx) => tx.insert(auditEvents).values(copy(first))))).toBeTruthy();
  });

  it('keeps a purged institution’s anchor as the record of its chain, and reports it purged', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 2);
    const anchor = await anchorOf(db, institution.id);
    await scheduleDuePurge(db, institution.id, { contactEmail: 'it@example.org' });
    const folder = await mkdtemp(path.join(tmpdir(), 'vetted-audit-purge-'));
    try {
      const mails: unknown[] = [];
      const mailer = { send: async (m: unknown) => void mails.push(m) };
      await systemPurgeInstitution({ db, store: createFolderBackupStore(folder), mailer: mailer as never }, institution.id);
      expect(mails).toHaveLength(1);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect(await verify(db, institution.id)).toMatchObject({ ok: true, events: 0, purged: true, anchor });
  });

  it('reports every chain truncated when the events table is emptied by a superuser', async () => {
    const db = database.db;
    const { institution } = await buildInstitution(db);
    await writeEvents(db, institution.id, 2);
    await withSystem(db, (tx) =>
      recordAudit(tx, systemActor('restore'), { action: 'catalog.update', recordType: 'catalog_app', recordId: randomUUID() }),
    );
    await db.execute(sql`truncate audit_events`);
    expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 1, reason: 'truncated' } });
    expect(await verify(db, null)).toMatchObject({ ok: false, brokenAt: { seq: 1, reason: 'truncated' } });
  });
});

/**
 * A chain as the version-1 code wrote it (before every field was hashed), with the hashes that code
 * computed: fixed here, so a change to how version 1 is verified cannot go unnoticed.
 */
const V1_TENANT = '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const V1_EVENTS = [
  {
    at: '2025-03-01T09:15:00.123Z',
    actorUserId: '0d2b4f6a-8c1e-4a3b-9d5f-7e6a5b4c3d2e',
    actorLabel: 'Dana Smith',
    actorRole: 'site_admin',
    action: 'inventory.create',
    recordType: 'inventory_item',
    recordId: 'a3b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    changes: { name: { before: null, after: 'Maths app' } },
    requestId: 'req-1',
    source: 'web',
    seq: 1,
    prevHash: GENESIS,
    beforeDigest: null,
    afterDigest: '4f3694fd55856f3ed7779fa8bfa183cb87faffb9142c554d2d53ea5ce8acd7f5',
    piiDigest: 'c6f236426752e8b21d3d7b029d1a45fcaa085943be132b51d2e3d23fc2b3219f',
    hash: '50c4006f474cab8bfca2ff6ddcafcb8de14db7bf1c9e71a405d3e45d4033e4b2',
  },
  {
    at: '2025-03-02T10:00:00.456Z',
    actorUserId: null,
    actorLabel: 'system:job',
    actorRole: 'system',
    action: 'inventory.update',
    recordType: 'inventory_item',
    recordId: 'a3b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    changes: { name: { before: 'Maths app', after: 'Maths app 2' } },
    requestId: 'job-2',
    source: 'job',
    seq: 2,
    prevHash: '50c4006f474cab8bfca2ff6ddcafcb8de14db7bf1c9e71a405d3e45d4033e4b2',
    beforeDigest: '4f3694fd55856f3ed7779fa8bfa183cb87faffb9142c554d2d53ea5ce8acd7f5',
    afterDigest: 'ad8cc2d71e83cdfd7dbc55fcafd8b8854442cafbed9eaf4ca9bf773cd36a6a56',
    piiDigest: '61ed6a0dac13180343c48dacad9197e0b9882cf07dc5c1a8774a8f6dda295533',
    hash: '6711de4abd6e07dc0c538123ecc2c34e5efc9632b7e96d21f6235b62356b7464',
  },
];

/** The migrations folder as it stood before the anchor (the journal cut after `last`). */
async function migrationsUpTo(last: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vetted-migrations-'));
  await cp(migrationsFolder, dir, { recursive: true });
  const journalFile = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === last);
  if (cut < 0) throw new Error(`no migration ${last}`);
  journal.entries = journal.entries.slice(0, cut + 1);
  await writeFile(journalFile, JSON.stringify(journal));
  return dir;
}

describe('upgrading a database holding version-1 chains', () => {
  it('anchors them where they end, verifies them, and continues them with version-2 events', async () => {
    const admin = process.env.TEST_DATABASE_URL;
    const name = `vetted_t_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    let url: string | undefined;
    if (admin) {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`create database ${name}`);
      await c.end();
      const u = new URL(admin);
      u.pathname = `/${name}`;
      url = u.toString();
    }
    const old = await migrationsUpTo('0017_saml_single_logout');
    const target = await openDatabase(url ? { databaseUrl: url } : { inMemory: true });
    try {
      const db = target.db;
      const migrateTo = (folder: string) =>
        url ? migratePg(db as never, { migrationsFolder: folder }) : migratePglite(db as never, { migrationsFolder: folder });
      await migrateTo(old);
      // As SQL naming the columns of that time: the schema in code has columns later migrations add.
      await db.execute(sql`insert into institutions (id, name, kind, country, subdivision, region, grade_levels)
        values (${V1_TENANT}, 'Upgraded District', 'district', 'CA', 'BC', 'ca', array['K'])`);
      for (const e of V1_EVENTS) {
        expect(piiDigestOf(e)).toBe(e.piiDigest);
        await db.execute(sql`insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id,
            before_digest, after_digest, changes, request_id, source, seq, prev_hash, hash, pii_digest)
          values (${V1_TENANT}, ${e.at}, ${e.actorUserId}, ${e.actorLabel}, ${e.actorRole}, ${e.action}, ${e.recordType}, ${e.recordId},
            ${e.beforeDigest}, ${e.afterDigest}, ${JSON.stringify(e.changes)}::jsonb, ${e.requestId}, ${e.source}, ${e.seq}, ${e.prevHash}, ${e.hash}, ${e.piiDigest})`);
      }
      await migrateTo(migrationsFolder);

      expect(await anchorOf(db, V1_TENANT)).toEqual({ seq: 2, hash: V1_EVENTS[1]!.hash });
      expect(await verify(db, V1_TENANT)).toMatchObject({ ok: true, events: 2, anchor: { seq: 2 } });
      await writeEvents(db, V1_TENANT, 1);
      const events = await eventsOf(db, V1_TENANT);
      expect(events.map((e) => [e.seq, e.hashVersion])).toEqual([
        [1, null],
        [2, null],
        [3, 2],
      ]);
      expect(await verify(db, V1_TENANT)).toMatchObject({ ok: true, events: 3, anchor: { seq: 3 } });
      // A version-1 event still detects a change to what version 1 hashed…
      await withSystem(db, (tx) =>
        tx
          .update(auditEvents)
          .set({ recordId: 'tampered' })
          .where(and(eq(auditEvents.tenantId, V1_TENANT), eq(auditEvents.seq, 1))),
      );
      expect(await verify(db, V1_TENANT)).toMatchObject({ ok: false, brokenAt: { seq: 1, reason: 'hash' } });
      await withSystem(db, (tx) =>
        tx
          .update(auditEvents)
          .set({ recordId: V1_EVENTS[0]!.recordId })
          .where(and(eq(auditEvents.tenantId, V1_TENANT), eq(auditEvents.seq, 1))),
      );
      // …and a version-2 event passed off as version 1 is found.
      await withSystem(db, (tx) =>
        tx
          .update(auditEvents)
          .set({ hashVersion: null })
          .where(and(eq(auditEvents.tenantId, V1_TENANT), eq(auditEvents.seq, 3))),
      );
      expect(await verify(db, V1_TENANT)).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'hash' } });
      const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_heads`);
      expect(n).toBe(1);
    } finally {
      await target.close();
      await rm(old, { recursive: true, force: true });
      if (admin) {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      }
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('on PostgreSQL, served by a user that is neither a superuser nor may create roles', () => {
  it('leaves that user no way to write the anchor, while the service appends and verifies', async () => {
    const admin = process.env.TEST_DATABASE_URL!;
    const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
    const role = `vetted_t_owner_${suffix}`;
    const password = randomUUID();
    const name = `vetted_t_${suffix}`;
    const run = async (statement: string) => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(statement);
      } finally {
        await c.end();
      }
    };
    await run(`create role ${role} login createrole password '${password}'`);
    await run(`create database ${name} owner ${role}`);
    const url = new URL(admin);
    url.username = role;
    url.password = password;
    url.pathname = `/${name}`;
    const service = await openDatabase({ databaseUrl: url.toString() });
    try {
      await service.migrate();
      // Creating the roles needed CREATEROLE; serving does not, and with it PostgreSQL 15 would let the user grant itself vetted_audit.
      await run(`alter role ${role} nocreaterole`);
      const db = service.db;
      const { institution } = await buildInstitution(db);
      await writeEvents(db, institution.id, 2);
      expect(await verify(db, institution.id)).toMatchObject({ ok: true, events: 2, anchor: { seq: 2 } });
      // The service's own user, outside any role it takes for a unit of work: refused.
      for (const statement of [
        sql`update audit_heads set seq = seq + 1 where chain_id = ${institution.id}`,
        sql`delete from audit_heads`,
        sql`insert into audit_heads (chain_id, seq, hash) values (${randomUUID()}, 1, ${GENESIS})`,
        sql`set role vetted_audit`,
        sql`grant vetted_audit to current_user`,
      ]) {
        expect((await failure(db.execute(statement))).code).toBe('42501');
      }
      // It owns audit_events, so it can remove the newest event: the anchor, out of its reach, tells.
      await db.execute(sql`delete from audit_events where tenant_id = ${institution.id} and seq = 2`);
      expect(await verify(db, institution.id)).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: 'truncated' } });
    } finally {
      await service.close();
      await run(`drop database if exists ${name} with (force)`);
      await run(`drop role if exists ${role}`);
    }
  });
});
