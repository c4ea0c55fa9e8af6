import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { institutions } from './tenants.js';

/**
 * Who (or which system job) did what to which record, when, from where. `tenant_id` is null for
 * operator-level events (catalog edits, institution creation is recorded in the new tenant).
 * `changes` holds the changed fields; the digests are SHA-256 of the canonical before/after records.
 *
 * Tamper evidence: events form one hash chain per institution (and one for operator events):
 * `seq` counts 1, 2, 3… without gaps and `hash` = SHA-256 of the previous hash and this event, where the
 * personal part (actor id and label, changes) enters through `pii_digest`. Erasing a person replaces
 * that part with a pseudonym and sets `redacted_at`, keeping `pii_digest`, so the chain still verifies.
 * `hash_version` says how `hash` was computed: null (or 1) for events written before version 2, which
 * left `created_at` and `prev_hash` out of the digested body; 2 digests every field of the record
 * (see `HASHED_FIELDS` in platform/audit.ts and docs/adr/0006-audit-chain-anchor.md).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id').references(() => institutions.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    actorRole: text('actor_role').notNull(),
    action: text('action').notNull(),
    recordType: text('record_type').notNull(),
    recordId: text('record_id').notNull(),
    beforeDigest: text('before_digest'),
    afterDigest: text('after_digest'),
    changes: jsonb('changes').notNull(),
    requestId: text('request_id').notNull(),
    source: text('source').notNull(),
    seq: bigint('seq', { mode: 'number' }),
    prevHash: text('prev_hash'),
    hash: text('hash'),
    piiDigest: text('pii_digest'),
    hashVersion: smallint('hash_version'),
    redactedAt: timestamp('redacted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_tenant_record_idx').on(t.tenantId, t.recordType, t.recordId),
    index('audit_events_tenant_at_idx').on(t.tenantId, t.at),
    // An institution's events in order: the dashboard's latest changes and the export's pages.
    index('audit_events_tenant_id_idx').on(t.tenantId, t.id),
    index('audit_events_actor_idx').on(t.actorUserId),
    // One event per position of each chain; operator events (no tenant) form their own chain.
    uniqueIndex('audit_events_chain_key')
      .on(sql`coalesce(${t.tenantId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.seq)
      .where(sql`${t.seq} is not null`),
    // Events from before the chain: the check after migrations finds the chains to seal without a full scan.
    index('audit_events_unchained_idx')
      .on(t.tenantId)
      .where(sql`${t.seq} is null or ${t.hash} is null`),
  ],
);

/**
 * The anchor of each audit chain: its newest position and hash, one row per chain (`chain_id` is the
 * institution's id, or the zero uuid for the operator chain, as in `audit_events_chain_key`). Owned by
 * the `vetted_audit` role and written only by the trigger on `audit_events` inserts, which moves it
 * forward and refuses an event at or behind it (migration `audit_chain_anchor_owner`): request and
 * system code (`vetted_app`, `vetted_system`) may read it, never write it. Verification compares a chain's end with it, so removing the newest
 * events is detected. Not a tenant table (no `tenant_id`): it outlives a purge, as the record of how
 * long the purged chain was (no personal data: a position and a hash).
 */
export const auditHeads = pgTable('audit_heads', {
  chainId: uuid('chain_id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
