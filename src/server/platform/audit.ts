import { createHash } from 'node:crypto';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { auditEvents } from '../db/schema/index.js';
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
    out[k] = SECRET_FIELDS.has(k) ? { before: b === null ? null : '[set]', after: a === null ? null : '[changed]' } : { before: b, after: a };
  }
  return out;
}

export interface AuditInput {
  action: string;
  recordType: string;
  recordId: string;
  before?: Json | null;
  after?: Json | null;
  /** Overrides the actor's tenant (institution creation is recorded in the new tenant). */
  tenantId?: string | null;
}

/** An audit event as stored, before its chain fields. */
export type AuditValues = Omit<typeof auditEvents.$inferInsert, 'id' | 'seq' | 'prevHash' | 'hash' | 'piiDigest' | 'redactedAt' | 'createdAt' | 'updatedAt'>;
type AuditRow = typeof auditEvents.$inferSelect;

/** The personal part of an event: it enters the chain through its digest, so erasure keeps the chain whole. */
export function piiDigestOf(e: Pick<AuditRow, 'actorUserId' | 'actorLabel' | 'changes'>): string {
  return digest({ actorUserId: e.actorUserId ?? null, actorLabel: e.actorLabel, changes: e.changes ?? {} });
}

/** The hash of an event given the previous one's: covers every field but the personal part, which its digest stands for. */
export function chainHash(
  prevHash: string,
  e: Pick<AuditRow, 'seq' | 'at' | 'actorRole' | 'action' | 'recordType' | 'recordId' | 'requestId' | 'source'> & {
    tenantId?: string | null;
    beforeDigest?: string | null;
    afterDigest?: string | null;
    piiDigest: string | null;
  },
): string {
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
    piiDigest: e.piiDigest,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

/** The hash before the first event of a chain. */
export const GENESIS = '0'.repeat(64);

/**
 * Appends events to their institutions' chains in the caller's transaction. Security: a
 * transaction-scoped advisory lock per chain serialises concurrent writers, so two transactions never
 * take the same position; the lock is released at commit or rollback.
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
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(tenantId ? eq(auditEvents.tenantId, tenantId) : isNull(auditEvents.tenantId), sql`${auditEvents.seq} is not null`))
      .orderBy(sql`${auditEvents.seq} desc`)
      .limit(1);
    let seq = head?.seq ?? 0;
    let prev = head?.hash ?? GENESIS;
    // One clock reading per batch, at millisecond precision, so the stored time hashes as it reads back.
    const at = new Date(Date.now());
    const rows = list.map((e) => {
      seq += 1;
      const row = { ...e, tenantId, at: e.at ?? at, seq, prevHash: prev, piiDigest: piiDigestOf({ actorUserId: e.actorUserId ?? null, actorLabel: e.actorLabel, changes: e.changes }) };
      const hash = chainHash(prev, row);
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
  /** Events checked. */
  events: number;
  /** Events of the first break, if any, and why. */
  brokenAt?: { seq: number | null; id: number; reason: 'gap' | 'hash' | 'link' | 'content' | 'unchained' };
  lastHash: string;
}

/**
 * Recomputes a chain from its first event: a changed field, a removed or inserted event, or a
 * personal part changed without the erasure procedure all break it. Runs in `tx` (system scope for
 * operator events or any tenant; the tenant's own scope works for its chain).
 */
export async function verifyAuditChain(tx: Tx, tenantId: string | null, batch = 1000): Promise<ChainReport> {
  const chain = tenantId ? eq(auditEvents.tenantId, tenantId) : isNull(auditEvents.tenantId);
  const [unchained] = await tx
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(chain, sql`(${auditEvents.seq} is null or ${auditEvents.hash} is null)`))
    .orderBy(asc(auditEvents.id))
    .limit(1);
  let events = 0;
  let prev = GENESIS;
  let expected = 1;
  let brokenAt: ChainReport['brokenAt'];
  if (unchained) brokenAt = { seq: null, id: unchained.id, reason: 'unchained' };
  let after = 0;
  outer: while (!brokenAt) {
    const rows = await tx.select().from(auditEvents).where(and(chain, gt(auditEvents.seq, after))).orderBy(asc(auditEvents.seq)).limit(batch);
    if (rows.length === 0) break;
    for (const r of rows) {
      events++;
      const seq = r.seq!;
      if (seq !== expected) brokenAt = { seq, id: r.id, reason: 'gap' };
      else if (r.prevHash !== prev) brokenAt = { seq, id: r.id, reason: 'link' };
      else if (!r.redactedAt && r.piiDigest !== piiDigestOf(r)) brokenAt = { seq, id: r.id, reason: 'content' };
      else if (r.hash !== chainHash(prev, { ...r, piiDigest: r.piiDigest ?? '' })) brokenAt = { seq, id: r.id, reason: 'hash' };
      if (brokenAt) break outer;
      prev = r.hash!;
      expected++;
      after = seq;
    }
  }
  return { tenantId, ok: !brokenAt, events, ...(brokenAt ? { brokenAt } : {}), lastHash: prev };
}
