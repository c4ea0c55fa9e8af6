/**
 * The audit log's parts, each pinned down: canonical JSON and digests, the change records and their
 * masking of secrets, event hashes of both versions, where an event is recorded and which lock its
 * writers share, the seal of events from before chaining, and what verification reports for each kind
 * of break. `audit-chain.test.ts` tampers the stored chain column by column; this file checks the rest.
 */
import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution } from '../../../test/support/factories.js';
import { openTestDatabase } from '../../../test/support/test-db.js';
import { auditEvents, deletionCertificates } from '../db/schema/index.js';
import {
  GENESIS,
  HASHED_FIELDS,
  SEAL_ACTION,
  UnsealableEventError,
  appendAuditEvents,
  canonicalJson,
  chainKey,
  diff,
  digest,
  eventHash,
  piiDigestOf,
  recordAudit,
  sealLegacyAuditEvents,
  verifyAuditChain,
  type HashInput,
} from './audit.js';
import { systemActor, type Actor } from './authz.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Database, type Db, type Tx } from './db.js';

let database: Database & { url: string | undefined };
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(async () => database?.close());

const person = (tenantId: string): Actor => ({
  ...systemActor('restore', 'web', tenantId),
  userId: randomUUID(),
  label: 'Dana Smith',
  role: 'site_admin',
});

async function writeEvents(tenantId: string, n: number): Promise<void> {
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

/** Events as the service wrote them before chaining existed: no position, hash or personal digest; `hoursAgo` gives each one's time. */
async function insertLegacy(tenantId: string | null, hoursAgo: number[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, h] of hoursAgo.entries()) {
    const [row] = await queryRows<{ id: number }>(
      db,
      sql`insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
          values (${tenantId}, date_trunc('second', now()) - ${h} * interval '1 hour', null, 'Legacy Person', 'site_admin', 'institution.update', 'institution',
            ${tenantId ?? 'operator'}, ${JSON.stringify({ name: { before: `Name ${i}`, after: `Name ${i + 1}` } })}::jsonb, ${`legacy-${i}`}, 'web')
          returning id::int as id`,
    );
    ids.push(row!.id);
  }
  return ids;
}

const verify = (tenantId: string | null) => withSystem(db, (tx) => verifyAuditChain(tx, tenantId));
const chainEvents = (tenantId: string | null) =>
  withSystem(db, (tx) =>
    tx
      .select()
      .from(auditEvents)
      .where(tenantId ? eq(auditEvents.tenantId, tenantId) : isNull(auditEvents.tenantId))
      .orderBy(asc(auditEvents.id)),
  );
const sealsOf = async (tenantId: string) => (await chainEvents(tenantId)).filter((e) => e.action === SEAL_ACTION);
const newInstitution = async () => (await buildInstitution(db)).institution.id;

describe('canonical JSON and digests', () => {
  it('sorts keys at every depth, keeps array order and writes times as ISO 8601', () => {
    const value = { b: 1, a: { d: new Date('2025-01-02T03:04:05.678Z'), c: [3, { z: 1, y: 2 }, 1] }, C: null };
    expect(canonicalJson(value)).toBe('{"C":null,"a":{"c":[3,{"y":2,"z":1},1],"d":"2025-01-02T03:04:05.678Z"},"b":1}');
    expect(canonicalJson({ a: { c: [3, { y: 2, z: 1 }, 1], d: new Date('2025-01-02T03:04:05.678Z') }, C: null, b: 1 })).toBe(
      canonicalJson(value),
    );
  });

  it('digests the canonical JSON with SHA-256, in hex', () => {
    const expected = createHash('sha256').update('{"a":1,"b":[2,1]}').digest('hex');
    expect(digest({ b: [2, 1], a: 1 })).toBe(expected);
    expect(digest({ a: 1, b: [2, 1] })).toBe(expected);
  });
});

describe('change records', () => {
  it('keep the changed fields only, with their values before and after, compared by content', () => {
    const t1 = new Date('2025-01-01T00:00:00Z');
    const t2 = new Date('2025-02-01T00:00:00Z');
    const before = { a: 1, b: { x: 1, y: 2 }, c: null, d: 'same', gone: 'x', createdAt: t1, updatedAt: t1, version: 1 };
    const after = { a: 2, b: { y: 2, x: 1 }, d: 'same', e: 'new', createdAt: t2, updatedAt: t2, version: 2 };
    expect(diff(before, after)).toEqual({
      a: { before: 1, after: 2 },
      gone: { before: 'x', after: null },
      e: { before: null, after: 'new' },
    });
  });

  it('record a creation and a deletion whole', () => {
    expect(diff(null, { name: 'App', updatedAt: new Date() })).toEqual({ name: { before: null, after: 'App' } });
    expect(diff({ name: 'App' }, null)).toEqual({ name: { before: 'App', after: null } });
    expect(diff(null, null)).toEqual({});
  });

  it('never copy a secret: only whether it was set and whether it changed', () => {
    const before = { passwordHash: 'hash-one', tokenHash: null, csrfToken: 'csrf-one', password: 'secret-one' };
    const after = { passwordHash: 'hash-two', tokenHash: 'token-two', csrfToken: null, password: 'secret-two' };
    const changes = diff(before, after);
    expect(changes).toEqual({
      passwordHash: { before: '[set]', after: '[changed]' },
      tokenHash: { before: null, after: '[changed]' },
      csrfToken: { before: '[set]', after: null },
      password: { before: '[set]', after: '[changed]' },
    });
    expect(JSON.stringify(changes)).not.toMatch(/hash-|token-two|csrf-one|secret-/);
  });
});

describe('event hashes', () => {
  const v2: HashInput = {
    hashVersion: 2,
    tenantId: '6f1c2a0e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    seq: 7,
    prevHash: 'ab'.repeat(32),
    at: new Date('2025-04-01T12:00:00.000Z'),
    createdAt: new Date('2025-04-01T12:00:00.000Z'),
    actorRole: 'site_admin',
    action: 'inventory.update',
    recordType: 'inventory_item',
    recordId: 'record-1',
    beforeDigest: 'b'.repeat(64),
    afterDigest: 'c'.repeat(64),
    requestId: 'req-7',
    source: 'web',
    piiDigest: 'd'.repeat(64),
  };

  it('are fixed for version 2: SHA-256 of a version tag and the canonical JSON of every hashed field', () => {
    const body = canonicalJson(Object.fromEntries(HASHED_FIELDS.map((f) => [f, v2[f]])));
    expect(eventHash(v2)).toBe(createHash('sha256').update(`vetted.audit.v2\n${body}`).digest('hex'));
    expect(eventHash(v2)).toBe(V2_HASH);
  });

  it('change with every hashed field, and hash a missing field as null', () => {
    const other: Record<string, unknown> = {
      hashVersion: 2,
      at: new Date('2025-04-01T12:00:01.000Z'),
      createdAt: new Date('2025-04-01T12:00:01.000Z'),
      seq: 8,
    };
    // The version is the one field not changed here: the other version hashes differently (below).
    for (const f of HASHED_FIELDS.filter((f) => f !== 'hashVersion')) {
      const changed = { ...v2, [f]: f in other ? other[f] : `${String(v2[f])}-x` } as HashInput;
      expect(eventHash(changed), f).not.toBe(eventHash(v2));
    }
    expect(eventHash({ ...v2, beforeDigest: undefined })).toBe(eventHash({ ...v2, beforeDigest: null }));
  });

  it('are version 1 for an event without a version, where a missing personal digest hashes as empty', () => {
    const v1: HashInput = { ...v2, hashVersion: null, piiDigest: undefined };
    expect(eventHash(v1)).toBe(eventHash({ ...v2, hashVersion: undefined, piiDigest: '' }));
    expect(eventHash(v1)).not.toBe(eventHash(v2));
    expect(eventHash({ ...v1, hashVersion: 1 })).toBe(eventHash(v1));
  });

  it('are null for a version this code does not know', () => {
    expect(eventHash({ ...v2, hashVersion: 3 })).toBeNull();
  });

  it('start from the genesis hash; the operator chain has the zero uuid as key', () => {
    expect(GENESIS).toBe('0'.repeat(64));
    expect(chainKey(null)).toBe('00000000-0000-0000-0000-000000000000');
    expect(chainKey(v2.tenantId!)).toBe(v2.tenantId);
  });
});

/** The names (`vetted.audit.<chain>`) of the advisory locks this transaction holds, among `chains`; any other lock as `other`. */
async function chainLocksHeld(tx: Tx, chains: (string | null)[]): Promise<string[]> {
  const held = await queryRows<{ classid: string; objid: string }>(
    tx,
    sql`select classid::bigint::text as classid, objid::bigint::text as objid from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`,
  );
  const names = chains.map((c) => `vetted.audit.${c ?? 'operator'}`);
  const keys = await queryRows<{ name: string; classid: string; objid: string }>(
    tx,
    sql`select name, ((k >> 32) & 4294967295)::text as classid, (k & 4294967295)::text as objid
        from (select name, hashtextextended(name, 0) as k from unnest(${`{${names.join(',')}}`}::text[]) as name) s`,
  );
  return held.map((h) => keys.find((k) => k.classid === h.classid && k.objid === h.objid)?.name ?? 'other').sort();
}

describe('recording', () => {
  it('stores the digests of the record before and after, the changes and the actor, in the actor’s chain', async () => {
    const tenantId = await newInstitution();
    const actor = person(tenantId);
    await withTenant(db, unsafeTenantScope(tenantId), (tx) =>
      recordAudit(tx, actor, {
        action: 'inventory.update',
        recordType: 'inventory_item',
        recordId: 'item-1',
        before: { name: 'A', n: 1 },
        after: { name: 'B', n: 1 },
      }),
    );
    const [e] = await chainEvents(tenantId);
    expect(e).toMatchObject({
      tenantId,
      seq: 1,
      prevHash: GENESIS,
      actorUserId: actor.userId,
      actorLabel: 'Dana Smith',
      actorRole: 'site_admin',
      action: 'inventory.update',
      recordType: 'inventory_item',
      recordId: 'item-1',
      beforeDigest: digest({ name: 'A', n: 1 }),
      afterDigest: digest({ name: 'B', n: 1 }),
      changes: { name: { before: 'A', after: 'B' } },
      requestId: actor.requestId,
      source: 'web',
      hashVersion: 2,
    });
    expect(e!.piiDigest).toBe(piiDigestOf(e!));
    expect(e!.createdAt.getTime()).toBe(e!.at.getTime());
  });

  it('records in the chain the input names instead of the actor’s: another institution’s, or the operator’s', async () => {
    const own = await newInstitution();
    const other = await newInstitution();
    const operatorBefore = (await chainEvents(null)).length;
    await withSystem(db, async (tx) => {
      await recordAudit(tx, person(own), { action: 'institution.create', recordType: 'institution', recordId: other, tenantId: other });
      await recordAudit(tx, person(own), { action: 'catalog.update', recordType: 'catalog_app', recordId: 'app-1', tenantId: null });
    });
    expect((await chainEvents(other)).map((e) => [e.action, e.beforeDigest, e.afterDigest, e.changes])).toEqual([
      ['institution.create', null, null, {}],
    ]);
    expect(await chainEvents(own)).toEqual([]);
    const operator = await chainEvents(null);
    expect(operator.length).toBe(operatorBefore + 1);
    expect(operator.at(-1)).toMatchObject({ action: 'catalog.update', recordId: 'app-1' });
    expect(await verify(other)).toMatchObject({ ok: true, events: 1 });
  });

  it('makes the writers of one chain wait for each other, and for no other chain', async () => {
    const a = await newInstitution();
    const b = await newInstitution();
    const held = (fn: (tx: Tx) => Promise<unknown>) =>
      withSystem(db, async (tx) => {
        await fn(tx);
        return chainLocksHeld(tx, [a, b, null]);
      });
    expect(await held((tx) => recordAudit(tx, person(a), { action: 'user.update', recordType: 'user', recordId: '1' }))).toEqual([
      `vetted.audit.${a}`,
    ]);
    expect(await held((tx) => recordAudit(tx, systemActor('restore'), { action: 'user.update', recordType: 'user', recordId: '1' }))).toEqual([
      'vetted.audit.operator',
    ]);
    // Sealing takes the lock of the chain it seals, whether or not there is anything to seal.
    expect(await held((tx) => sealLegacyAuditEvents(tx, b))).toEqual([`vetted.audit.${b}`]);
    await insertLegacy(b, [2]);
    expect(await held((tx) => sealLegacyAuditEvents(tx, b))).toEqual([`vetted.audit.${b}`]);
    expect(await held((tx) => sealLegacyAuditEvents(tx, null))).toEqual(['vetted.audit.operator']);
  });
});

describe('sealing the events from before chaining', () => {
  it('records how many there are, their digest and their first and last time, whatever order they were stored in', async () => {
    const tenantId = await newInstitution();
    // Stored newest first: the ids do not follow the times.
    await insertLegacy(tenantId, [1, 30, 5]);
    expect(await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId))).toBe(3);
    const [seal] = await sealsOf(tenantId);
    const legacy = (await chainEvents(tenantId)).filter((e) => e.seq === null);
    const times = legacy.map((e) => e.at.getTime());
    const summary = (seal!.changes as { legacyEvents: { after: { events: number; digest: string; from: string; to: string } } })
      .legacyEvents.after;
    expect(summary).toEqual({
      events: 3,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      from: new Date(Math.min(...times)).toISOString(),
      to: new Date(Math.max(...times)).toISOString(),
    });
    expect(seal).toMatchObject({
      seq: 1,
      actorUserId: null,
      actorLabel: 'system:audit-seal',
      actorRole: 'system',
      recordType: 'audit_log',
      recordId: tenantId,
      beforeDigest: null,
      afterDigest: digest(summary),
      source: 'cli',
    });
    expect(seal!.requestId).toMatch(/^audit-seal-\d+$/);
    for (const e of legacy) expect(e.piiDigest).toBe(piiDigestOf(e));
    expect(await verify(tenantId)).toMatchObject({ ok: true, events: 1, sealed: 3 });
  });

  it('seals once: a second run, or a chain with nothing from before, writes nothing', async () => {
    const tenantId = await newInstitution();
    await insertLegacy(tenantId, [3, 2]);
    expect(await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId, 'migrate'))).toBe(2);
    expect(await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId, 'migrate'))).toBe(0);
    expect((await sealsOf(tenantId)).map((s) => s.actorLabel)).toEqual(['system:migrate']);
    const clean = await newInstitution();
    await writeEvents(clean, 1);
    expect(await withSystem(db, (tx) => sealLegacyAuditEvents(tx, clean))).toBe(0);
    expect((await chainEvents(clean)).map((e) => e.action)).toEqual(['inventory.update']);
  });

  it('keeps the personal digest an event already has (its personal part may have been erased since)', async () => {
    const tenantId = await newInstitution();
    const [erased, plain] = await insertLegacy(tenantId, [4, 3]);
    const recorded = 'e'.repeat(64);
    await db.execute(
      sql`update audit_events set pii_digest = ${recorded}, actor_label = 'Erased person', redacted_at = now() where id = ${erased!}`,
    );
    await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId));
    const byId = new Map((await chainEvents(tenantId)).map((e) => [e.id, e]));
    expect(byId.get(erased!)!.piiDigest).toBe(recorded);
    expect(byId.get(plain!)!.piiDigest).toBe(piiDigestOf(byId.get(plain!)!));
    expect(await verify(tenantId)).toMatchObject({ ok: true, sealed: 2 });
  });

  it('still verifies after a restore renumbered the sealed events in another order', async () => {
    const tenantId = await newInstitution();
    await insertLegacy(tenantId, [10, 9, 8]);
    await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId));
    // Re-inserted newest first, with new ids, as a restore may.
    await db.execute(sql`with gone as (delete from audit_events where tenant_id = ${tenantId} and seq is null returning *)
      insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, before_digest, after_digest,
        changes, request_id, source, pii_digest, created_at, updated_at)
      select tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, before_digest, after_digest,
        changes, request_id, source, pii_digest, created_at, updated_at from gone order by at desc`);
    expect(await verify(tenantId)).toMatchObject({ ok: true, sealed: 3 });
  });

  it('refuses an event left unchained after the chain began, naming it', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 1);
    const [late] = await insertLegacy(tenantId, [0]);
    const err = await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsealableEventError);
    expect(err).toMatchObject({ name: 'UnsealableEventError', eventId: late });
    expect((err as Error).message).toContain(`Audit event ${late} is not chained`);
  });
});

describe('verification reports', () => {
  it('a clean chain with nothing else to say', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 2);
    const events = await chainEvents(tenantId);
    expect(await verify(tenantId)).toEqual({
      tenantId,
      ok: true,
      events: 2,
      sealed: 0,
      lastHash: events[1]!.hash,
      anchor: { seq: 2, hash: events[1]!.hash },
    });
  });

  it('a personal part changed without the erasure procedure as `content`; an erased one verifies', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 3);
    const target = (await chainEvents(tenantId))[1]!;
    await withSystem(db, (tx) => tx.update(auditEvents).set({ actorLabel: 'Someone Else' }).where(eq(auditEvents.id, target.id)));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: 2, id: target.id, reason: 'content' } });
    await withSystem(db, (tx) => tx.update(auditEvents).set({ redactedAt: new Date() }).where(eq(auditEvents.id, target.id)));
    expect(await verify(tenantId)).toMatchObject({ ok: true, events: 3 });
  });

  it('an event passed off as version 1, even with a valid version-1 hash, as `hash` at that event', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 3);
    const target = (await chainEvents(tenantId))[1]!;
    const downgraded = { ...target, hashVersion: null };
    await withSystem(db, (tx) =>
      tx
        .update(auditEvents)
        .set({ hashVersion: null, hash: eventHash(downgraded)! })
        .where(eq(auditEvents.id, target.id)),
    );
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: 2, id: target.id, reason: 'hash' } });
  });

  it('events whose anchor is gone as `anchor`, at the newest event', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 2);
    const newest = (await chainEvents(tenantId))[1]!;
    await db.execute(sql`delete from audit_heads where chain_id = ${tenantId}`);
    expect(await verify(tenantId)).toMatchObject({
      ok: false,
      events: 2,
      anchor: null,
      brokenAt: { seq: 2, id: newest.id, reason: 'anchor' },
    });
  });

  it('a break in the chain before any finding about the events from before chaining', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 2);
    const first = (await chainEvents(tenantId))[0]!;
    await insertLegacy(tenantId, [50]);
    await withSystem(db, (tx) => tx.update(auditEvents).set({ action: 'inventory.nothing' }).where(eq(auditEvents.id, first.id)));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: 1, id: first.id, reason: 'hash' } });
  });

  it('a sealed event whose personal part changed as `content`; one erased since verifies', async () => {
    const tenantId = await newInstitution();
    const [one, two] = await insertLegacy(tenantId, [6, 5]);
    await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId));
    await db.execute(sql`update audit_events set actor_label = 'Someone Else' where id = ${one!}`);
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: null, id: one!, reason: 'content' } });
    await db.execute(sql`update audit_events set redacted_at = now() where id = ${one!}`);
    await db.execute(
      sql`update audit_events set changes = '{"name":{"before":"[erased]","after":"[erased]"}}'::jsonb, redacted_at = now() where id = ${two!}`,
    );
    expect(await verify(tenantId)).toMatchObject({ ok: true, sealed: 2 });
  });

  it('a second seal as `sealed`, at that seal', async () => {
    const tenantId = await newInstitution();
    await insertLegacy(tenantId, [7]);
    await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId));
    const [seal] = await sealsOf(tenantId);
    const {
      tenantId: _t,
      actorUserId,
      actorLabel,
      actorRole,
      action,
      recordType,
      recordId,
      beforeDigest,
      afterDigest,
      changes,
      source,
    } = seal!;
    await withSystem(db, (tx) =>
      appendAuditEvents(tx, [
        {
          tenantId,
          actorUserId,
          actorLabel,
          actorRole,
          action,
          recordType,
          recordId,
          beforeDigest,
          afterDigest,
          changes,
          source,
          requestId: 'second-seal',
        },
      ]),
    );
    const second = (await sealsOf(tenantId))[1]!;
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: second.seq, id: second.id, reason: 'sealed' } });
  });

  it('a seal whose record of the sealed events was erased as `sealed`', async () => {
    const tenantId = await newInstitution();
    await insertLegacy(tenantId, [8]);
    await withSystem(db, (tx) => sealLegacyAuditEvents(tx, tenantId));
    const [seal] = await sealsOf(tenantId);
    await withSystem(db, (tx) => tx.update(auditEvents).set({ changes: {}, redactedAt: new Date() }).where(eq(auditEvents.id, seal!.id)));
    expect(await verify(tenantId)).toMatchObject({ ok: false, brokenAt: { seq: seal!.seq, id: seal!.id, reason: 'sealed' } });
  });

  it('an institution that still exists, with every event removed, as truncated even with a completed certificate made up for it', async () => {
    const tenantId = await newInstitution();
    await writeEvents(tenantId, 2);
    await db.execute(sql`delete from audit_events where tenant_id = ${tenantId}`);
    await withSystem(db, (tx) =>
      tx.insert(deletionCertificates).values({
        id: randomUUID(),
        institutionId: tenantId,
        institutionName: 'Made up',
        region: 'ca',
        endOfServiceAt: new Date(),
        purgeStartedAt: new Date(),
        purgeCompletedAt: new Date(),
      }),
    );
    const report = await verify(tenantId);
    expect(report).toMatchObject({ ok: false, events: 0, brokenAt: { seq: 1, reason: 'truncated' } });
    expect(report).not.toHaveProperty('purged');
  });
});

/** The version-2 hash of the sample event above, as this code computes it: a change to version 2 must not go unnoticed. */
const V2_HASH = '5a4204dbf43dc012326d7be5d26e27e9cbde2f36f97594dc24c7076ef99aaefe';
