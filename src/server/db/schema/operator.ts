import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { institutions } from './tenants.js';

/**
 * Time-limited, read-only access an institution's site admin grants the operator's staff (support).
 * Without an active grant, and once onboarding is over, platform admins read nothing inside the
 * institution. A grant is never extended: a new one is granted. Revoked early by setting `revoked_at`.
 */
export const supportGrants = pgTable(
  'support_grants',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    /** Why the institution let the operator in (shown to its site admins and kept in the audit log). */
    reason: text('reason').notNull(),
    hours: integer('hours').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    grantedBy: uuid('granted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // The active grant of an institution, looked up on every request of a platform admin inside it.
    index('support_grants_expires_idx').on(t.tenantId, t.expiresAt),
    index('support_grants_granted_by_idx').on(t.grantedBy),
    index('support_grants_revoked_by_idx').on(t.revokedBy),
    check('support_grants_hours_check', sql`${t.hours} between 1 and 168`),
  ],
);
