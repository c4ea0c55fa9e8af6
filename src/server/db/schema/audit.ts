import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { institutions } from './tenants.js';

/**
 * Who (or which system job) did what to which record, when, from where. `tenant_id` is null for
 * operator-level events (catalog edits, institution creation is recorded in the new tenant).
 * `changes` holds the changed fields; the digests are SHA-256 of the canonical before/after records.
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_events_tenant_record_idx').on(t.tenantId, t.recordType, t.recordId),
    index('audit_events_tenant_at_idx').on(t.tenantId, t.at),
    index('audit_events_actor_idx').on(t.actorUserId),
  ],
);
