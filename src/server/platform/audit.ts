import type { AuditAction, AuditRecordType, SystemActorName } from '../../contracts/audit.js';
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { auditEvents, auditHeads, deletionCertificates, institutions } from '../db/schema/index.js';
import type { Actor } from './authz.js';
import type { Tx } from './db.js';

type Json = Record<string, unknown>;

/** Canonical JSON: keys sorted, so equal records digest equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Date) return v.toISOString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/** Fields whose values are never copied into the audit log (only that they changed). */
const SECRET_FIELDS = new Set(['passwordHash', 'tokenHash', 'csrfToken', 'password']);
const IGNORED_FIELDS = new Set(['updatedAt', 'createdAt', 'version']);

/** Field-by-field changes between two records. */
export function diff(before: Json | null, after: Json | null): Record<string, { before: unknown; after: unknown }> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const k of keys) {
    if (IGNORED_FIELDS.has(k)) continue;
    const b = before?.[k] ?? null;
    const a = after?.[k] ?? null;
    if (canonicalJson(b) === canonicalJson(a)) continue;
    out[k] = SECRET_FIELDS.has(k)
      ? { before: b === null ? null : '[set]', after: a === null ? null : '[changed]' }
      : { before: b, after: a };
  }
  return out;
}

export interface AuditInput {
  action: AuditAction;
  recordType: AuditRecordType;
  recordId: string;
  before?: Json | null;
  after?: Json | null;
  /** Overrides the actor's tenant (institution creation is recorded in the new tenant). */
  tenantId?: string | null;
}

/** An audit event as stored, before its chain fields. */
export type AuditValues = Omit<
  typeof auditEvents.$inferInsert,
  'id' | 'seq' | 'prevHash' | 'hash' | 'hashVersion' | 'piiDigest' | 'redactedAt' | 'createdAt' | 'updatedAt'
>;
type AuditRow = typeof auditEvents.$inferSelect;

/** The personal part of an event: it enters the chain through its digest, so erasure keeps the chain whole. */
export function piiDigestOf(e: Pick<AuditRow, 'actorUserId' | 'actorLabel' | 'changes'>): string {
  return digest({ actorUserId: e.actorUserId ?? null, actorLabel: e.actorLabel, changes: e.changes ?? {} });
}

/** The hash version new events are written with (see `HASHED_FIELDS`). */
export const HASH_VERSION = 2;

/**
 * What version 2 of an event's hash digests: every column of `audit_events` but those of
 * `UNHASHED_FIELDS`. The personal part (actor id and label, changes) enters through `piiDigest`, which
 * verification checks against it, so erasure can replace it without breaking the chain.
 */
export const HASHED_FIELDS = [
  'hashVersion',
  'tenantId',
  'seq',
  'prevHash',
  'at',
  'createdAt',
  'actorRole',
  'action',
  'recordType',
  'recordId',
  'beforeDigest',
  'afterDigest',
  'requestId',
  'source',
  'piiDigest',
] as const satisfies readonly (keyof AuditRow)[];

/** The columns the hash leaves out, and why (a test checks every column is in one list or the other). */
export const UNHASHED_FIELDS = {
  id: 'a storage number that a restore renumbers: the position in the chain is `seq`',
  hash: 'the digest itself',
  actorUserId: 'personal: digested into `piiDigest`, which the hash covers',
  actorLabel: 'personal: digested into `piiDigest`, which the hash covers',
  changes: 'personal: digested into `piiDigest`, which the hash covers',
  redactedAt: 'set by erasure, after the event',
  updatedAt: 'set by erasure and sealing, after the event',
} as const satisfies Partial<Record<keyof AuditRow, string>>;

type HashedField = (typeof HASHED_FIELDS)[number];
/** What an event's hash is computed from (a stored row, or one about to be). */
export type HashInput = { [K in HashedField]?: AuditRow[K] | null | undefined } & { at: Date; prevHash: string | null };

/** Version 1 (events written before version 2): the body omits `created_at`, and the previous hash prefixes it. */
function hashV1(e: HashInput): string {
  const body = canonicalJson({
    seq: e.seq,
    tenantId: e.tenantId ?? null,
    at: e.at.toISOString(),
    actorRole: e.actorRole,
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    beforeDigest: e.beforeDigest ?? null,
    afterDigest: e.afterDigest ?? null,
    requestId: e.requestId,
    source: e.source,
    piiDigest: e.piiDigest ?? '',
  });
  return createHash('sha256').update(`${e.prevHash}\n${body}`).digest('hex');
}

/**
 * Version 2: SHA-256 of the canonical JSON object of every field of `HASHED_FIELDS` (keys sorted,
 * values JSON-escaped, so no value can shift a field boundary; times as ISO 8601), after a version tag.
 */
function hashV2(e: HashInput): string {
  const body = canonicalJson(Object.fromEntries(HASHED_FIELDS.map((f) => [f, e[f] ?? null])));
  return createHash('sha256').update(`vetted.audit.v2\n${body}`).digest('hex');
}

const HASHERS: Record<number, (e: HashInput) => string> = { 1: hashV1, 2: hashV2 };

/** The hash of an event, by its `hashVersion` (none: version 1); null for a version this code does not know. */
export function eventHash(e: HashInput): string | null {
  return HASHERS[e.hashVersion ?? 1]?.(e) ?? null;
}

/** The hash before the first event of a chain. */
export const GENESIS = '0'.repeat(64);

/** The anchor key of a chain: the institution, or the zero uuid for the operator chain (as `audit_events_chain_key`). */
export const chainKey = (tenantId: string | null) => tenantId ?? '00000000-0000-0000-0000-000000000000';

/**
 * Appends events to their institutions' chains in the caller's transaction. Security: a
 * transaction-scoped advisory lock per chain serialises concurrent writers, so two transactions never
 * take the same position; the lock is released at commit or rollback. Each chain continues from its
 * anchor (`audit_heads`), not from its newest stored event: after the newest events were removed the
 * chain goes on past the hole, which verification keeps reporting; the database trigger that moves
 * the anchor refuses an event at or behind it.
 */
export async function appendAuditEvents(tx: Tx, events: AuditValues[]): Promise<void> {
  const byChain = new Map<string | null, AuditValues[]>();
  for (const e of events) {
    const key = e.tenantId ?? null;
    byChain.set(key, [...(byChain.get(key) ?? []), e]);
  }
  for (const [tenantId, list] of byChain) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`vetted.audit.${tenantId ?? 'operator'}`}, 0))`);
    const [head] = await tx
      .select({ seq: auditHeads.seq, hash: auditHeads.hash })
      .from(auditHeads)
      .where(eq(auditHeads.chainId, chainKey(tenantId)));
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS;
    // One clock reading per batch, at millisecond precision, so the stored time hashes as it reads back.
    const at = new Date(Date.now());
    const rows = list.map((e) => {
      seq += 1;
      const when = e.at ?? at;
      const piiDigest = piiDigestOf({ actorUserId: e.actorUserId ?? null, actorLabel: e.actorLabel, changes: e.changes });
      const row = { ...e, tenantId, at: when, createdAt: when, seq, prevHash: prev, hashVersion: HASH_VERSION, piiDigest };
      const hash = eventHash(row)!;
      prev = hash;
      return { ...row, hash };
    });
    await tx.insert(auditEvents).values(rows);
  }
}

/** Records one audit event in the caller's transaction: the change and its event commit together. */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  const before = input.before ?? null;
  const after = input.after ?? null;
  await appendAuditEvents(tx, [
    {
      tenantId: input.tenantId === undefined ? actor.tenantId : input.tenantId,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      actorRole: actor.role,
      action: input.action,
      recordType: input.recordType,
      recordId: input.recordId,
      beforeDigest: before ? digest(before) : null,
      afterDigest: after ? digest(after) : null,
      changes: diff(before, after),
      requestId: actor.requestId,
      source: actor.source,
    },
  ]);
}

/** The outcome of checking one chain. */
export interface ChainReport {
  tenantId: string | null;
  ok: boolean;
  /** Chained events checked. */
  events: number;
  /** Events from before the chain existed, checked against the chain's seal (see `sealLegacyAuditEvents`). */
  sealed: number;
  /**
   * The first break, if any, and why: the event's position and id (`truncated`: the first missing
   * position, past the last event there is, and no id), or an unchained event's id without a position.
   */
  brokenAt?: { seq: number | null; id: number | null; reason: ChainBreak };
  lastHash: string;
  /** The chain's anchor: the newest position and hash the database recorded as events were written. */
  anchor: { seq: number; hash: string } | null;
  /** The institution was purged (its deletion certificate is complete): no events left, the anchor kept. */
  purged?: true;
}

/**
 * Why a chain is broken: `gap` a position is missing, `link` an event does not follow the previous one,
 * `hash` an event's fields do not match its hash, `content` its personal part does not match its digest,
 * `unchained`/`sealed` the events from before chaining, `truncated` the chain ends before its anchor
 * (its newest events were removed), `anchor` its newest event is not the anchored one (or there is no anchor).
 */
export type ChainBreak = 'gap' | 'hash' | 'link' | 'content' | 'unchained' | 'sealed' | 'truncated' | 'anchor';

/** The action of the chained event that seals a chain's legacy events (written before chaining existed). */
export const SEAL_ACTION: AuditAction = 'audit.seal';

/** What a seal records about the legacy events it covers. */
interface SealSummary {
  events: number;
  digest: string;
  from: string | null;
  to: string | null;
}

const chainOf = (tenantId: string | null) => (tenantId ? eq(auditEvents.tenantId, tenantId) : isNull(auditEvents.tenantId));
const unchained = sql`(${auditEvents.seq} is null or ${auditEvents.hash} is null)`;

/**
 * The digest of a chain's legacy events: each event as its chain hash would see it (the personal
 * part through its digest, so an erasure keeps it), sorted by content — never by the generated id,
 * which a restore renumbers.
 */
function legacyDigest(rows: AuditRow[]): SealSummary {
  const entries = rows
    .map((r) =>
      canonicalJson({
        tenantId: r.tenantId,
        at: r.at,
        actorRole: r.actorRole,
        action: r.action,
        recordType: r.recordType,
        recordId: r.recordId,
        beforeDigest: r.beforeDigest,
        afterDigest: r.afterDigest,
        requestId: r.requestId,
        source: r.source,
        piiDigest: r.piiDigest,
      }),
    )
    .sort();
  const hash = createHash('sha256');
  for (const e of entries) hash.update(`${e}\n`);
  const times = rows.map((r) => r.at.toISOString()).sort();
  return { events: rows.length, digest: hash.digest('hex'), from: times[0] ?? null, to: times.at(-1) ?? null };
}

/** An unchained event newer than its chain's first chained event: never sealed, `verify` reports it. */
export class UnsealableEventError extends Error {
  constructor(readonly eventId: number) {
    super(`Audit event ${eventId} is not chained but was written after the chain began: it cannot be sealed (see docs/operations.md)`);
    this.name = 'UnsealableEventError';
  }
}

/** Events whose personal-part digest one statement of `sealLegacyAuditEvents` writes. */
const SEAL_BATCH = 1000;

/**
 * Seals the events a chain holds from before hash chaining existed (migration 0007): gives each its
 * personal-part digest, then appends one chained `audit.seal` event recording how many there are and
 * the digest of their content. From then on verify checks them against the seal, so changing,
 * removing or adding any of them is detected like any other break. Only events older than the
 * chain's first chained event are legacy; an unchained event written after it is never sealed (it can
 * only come from outside the service: `verify` reports it). Runs once per chain; returns how many
 * events it sealed (0 when there is nothing to seal or the chain is sealed already). `by` names the
 * sealer in the `audit.seal` event (`audit-seal` for the command, `migrate` after migrations).
 */
export async function sealLegacyAuditEvents(tx: Tx, tenantId: string | null, by: SystemActorName = 'audit-seal'): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`vetted.audit.${tenantId ?? 'operator'}`}, 0))`);
  const chain = chainOf(tenantId);
  const [seal] = await tx
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(chain, eq(auditEvents.action, SEAL_ACTION), sql`${auditEvents.seq} is not null`))
    .limit(1);
  if (seal) return 0;
  const [first] = await tx
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(chain, sql`not ${unchained}`))
    .orderBy(asc(auditEvents.id))
    .limit(1);
  const rows = await tx.select().from(auditEvents).where(and(chain, unchained)).orderBy(asc(auditEvents.id));
  if (!rows.length) return 0;
  const late = rows.find((r) => first && r.id > first.id);
  if (late) throw new UnsealableEventError(late.id);
  const now = new Date();
  const undigested = rows.filter((r) => !r.piiDigest);
  for (const r of undigested) r.piiDigest = piiDigestOf(r);
  // One statement per SEAL_BATCH events, not one per event: an institution upgraded with tens of
  // thousands of events seals in seconds rather than minutes (docs/benchmarks.md, embedded start).
  for (let i = 0; i < undigested.length; i += SEAL_BATCH) {
    const values = undigested.slice(i, i + SEAL_BATCH).map((r) => sql`(${r.id}::bigint, ${r.piiDigest}::text)`);
    await tx.execute(sql`update audit_events e set pii_digest = v.digest, updated_at = ${now}
      from (values ${sql.join(values, sql`, `)}) as v(id, digest) where e.id = v.id`);
  }
  const summary = legacyDigest(rows);
  await appendAuditEvents(tx, [
    {
      tenantId,
      actorUserId: null,
      actorLabel: `system:${by}`,
      actorRole: 'system',
      action: SEAL_ACTION,
      recordType: 'audit_log',
      recordId: tenantId ?? 'operator',
      beforeDigest: null,
      afterDigest: digest(summary),
      changes: { legacyEvents: { before: null, after: summary } },
      requestId: `${by}-${now.getTime()}`,
      source: 'cli',
    },
  ]);
  return rows.length;
}

/**
 * Recomputes a chain from its first event: a changed field, a removed or inserted event, or a
 * personal part changed without the erasure procedure all break it. Then compares the chain's end with
 * its anchor, which the roles writing events cannot change: removing the newest events, or rewriting
 * the chain and recomputing every hash, breaks it too. Then checks the events from before chaining
 * against the chain's seal: without a seal, any unchained event is a break. Runs in `tx` (system scope
 * for operator events or any tenant; the tenant's own scope works for its chain).
 */
export async function verifyAuditChain(tx: Tx, tenantId: string | null, batch = 1000): Promise<ChainReport> {
  const chain = chainOf(tenantId);
  let events = 0;
  let prev = GENESIS;
  let expected = 1;
  let version = 1;
  let last: AuditRow | undefined;
  let brokenAt: ChainReport['brokenAt'];
  const seals: AuditRow[] = [];
  let after = 0;
  outer: for (;;) {
    const rows = await tx
      .select()
      .from(auditEvents)
      .where(and(chain, gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      events++;
      const seq = r.seq!;
      // A chain never goes back to an older hash version.
      const v = r.hashVersion ?? 1;
      if (seq !== expected) brokenAt = { seq, id: r.id, reason: 'gap' };
      else if (r.prevHash !== prev) brokenAt = { seq, id: r.id, reason: 'link' };
      else if (!r.redactedAt && r.piiDigest !== piiDigestOf(r)) brokenAt = { seq, id: r.id, reason: 'content' };
      else if (v < version || r.hash !== eventHash(r)) brokenAt = { seq, id: r.id, reason: 'hash' };
      if (brokenAt) break outer;
      if (r.action === SEAL_ACTION) seals.push(r);
      version = v;
      prev = r.hash!;
      last = r;
      expected++;
      after = seq;
    }
  }
  const [anchor] = await tx
    .select({ seq: auditHeads.seq, hash: auditHeads.hash })
    .from(auditHeads)
    .where(eq(auditHeads.chainId, chainKey(tenantId)));
  let purged = false;
  if (!brokenAt) {
    const end = last?.seq ?? 0;
    if (!anchor) {
      if (last) brokenAt = { seq: end, id: last.id, reason: 'anchor' };
    } else if (end < anchor.seq) {
      if (!last && (await wasPurged(tx, tenantId))) purged = true;
      else brokenAt = { seq: end + 1, id: null, reason: 'truncated' };
    } else if (end > anchor.seq || prev !== anchor.hash) brokenAt = { seq: end, id: last!.id, reason: 'anchor' };
  }
  let sealed = 0;
  if (!brokenAt) {
    const legacy = await tx.select().from(auditEvents).where(and(chain, unchained)).orderBy(asc(auditEvents.id));
    const [seal, extra] = seals;
    const recorded = (seal?.changes as { legacyEvents?: { after?: SealSummary } } | undefined)?.legacyEvents?.after;
    const altered = legacy.find((r) => !r.redactedAt && r.piiDigest !== piiDigestOf(r));
    if (extra) brokenAt = { seq: extra.seq, id: extra.id, reason: 'sealed' };
    else if (!seal && legacy[0]) brokenAt = { seq: null, id: legacy[0].id, reason: 'unchained' };
    else if (altered) brokenAt = { seq: null, id: altered.id, reason: 'content' };
    else if (seal && (!recorded || canonicalJson(legacyDigest(legacy)) !== canonicalJson(recorded)))
      brokenAt = { seq: seal.seq, id: seal.id, reason: 'sealed' };
    else sealed = legacy.length;
  }
  return {
    tenantId,
    ok: !brokenAt,
    events,
    sealed,
    ...(brokenAt ? { brokenAt } : {}),
    lastHash: prev,
    anchor: anchor ?? null,
    ...(purged ? { purged: true as const } : {}),
  };
}

/**
 * True when an institution's chain is gone because the institution was purged: the institution no
 * longer exists and its deletion certificate is complete. The purge deletes the events and keeps the
 * anchor, the record of how long the chain was. In an institution's own scope the institution exists,
 * so this never reads the certificates (which only system code may).
 */
async function wasPurged(tx: Tx, tenantId: string | null): Promise<boolean> {
  if (!tenantId) return false;
  const [inst] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, tenantId));
  if (inst) return false;
  const [cert] = await tx
    .select({ id: deletionCertificates.id })
    .from(deletionCertificates)
    .where(and(eq(deletionCertificates.institutionId, tenantId), sql`${deletionCertificates.purgeCompletedAt} is not null`));
  return Boolean(cert);
}
