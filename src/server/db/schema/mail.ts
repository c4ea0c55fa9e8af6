import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';

/**
 * The mail outbox (docs/adr/0010-mail-outbox.md): one row per logical email, written in the same
 * transaction as the change that causes it, sent by job workers. Not a tenant table: it is the
 * service's own delivery queue (like `pgboss.job`), shared by account mail that names no institution.
 * `institution_id` names the institution a message is about, so the purge can remove its rows.
 *
 * Security: `content` (subject, text, HTML — which may hold a one-time link) is sealed with the
 * secrets key while queued and erased once sent by SMTP; only the embedded mode keeps it, for the
 * operator's mailbox page (the same text is in its `.eml` files).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey(),
    /** One logical mail, once: e.g. `privacy-policy:<version>:<user>`. */
    idempotencyKey: text('idempotency_key').notNull(),
    institutionId: uuid('institution_id'),
    recipient: text('recipient').notNull(),
    language: text('language').notNull(),
    /** Which template wrote it (`invitation`, `privacy-policy-notice`…), for the mailbox and metrics. */
    template: text('template').notNull(),
    /** Sealed JSON `{ subject, text, html }`; null once sent by SMTP. */
    content: text('content'),
    subject: text('subject').notNull(),
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** While `sending`: the claim ends here; a claim left by a dead process is taken again after it. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** The SMTP error of the last failed attempt (no content, no credentials). */
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('mail_outbox_idempotency_key').on(t.idempotencyKey),
    index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_institution_idx').on(t.institutionId),
    check('mail_outbox_status_check', sql`${t.status} in ('queued', 'sending', 'sent', 'failed')`),
    check('mail_outbox_language_check', sql`${t.language} in ('en', 'fr')`),
  ],
);
