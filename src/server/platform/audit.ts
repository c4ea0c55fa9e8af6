import { createHash } from 'node:crypto';
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

/** Records one audit event in the caller's transaction: the change and its event commit together. */
export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  const before = input.before ?? null;
  const after = input.after ?? null;
  await tx.insert(auditEvents).values({
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
  });
}
