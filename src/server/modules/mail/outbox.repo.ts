/**
 * The mail outbox's queries. `queueMail` runs in the caller's transaction (request or system code);
 * the `system…` functions are the workers' and the operator's, across institutions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Language } from '../../../contracts/domain.js';
import { mailOutbox } from '../../db/schema/index.js';
import { queryRows, type Tx } from '../../platform/db.js';
import { openSecret, sealSecret, type Keyring } from '../../platform/secrets.js';
import type { RenderedMail } from './mail.templates.js';

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/** A logical email to queue. */
export interface QueuedMail {
  /** Unique per logical mail: queueing the same key twice keeps the first. */
  idempotencyKey: string;
  /** The institution the mail is about (its purge removes the row); null for account mail. */
  institutionId: string | null;
  to: string;
  /**
   * The recipient is not a user (a staff member who asked for an app): the address is sealed with the
   * content instead of kept in `recipient`, and erased with it once sent, so nothing keeps it after.
   */
  sealRecipient?: boolean;
  language: Language;
  template: string;
  content: RenderedMail;
}

/** The sealed content's additional data binds it to its row. */
const aadOf = (id: string) => `mail_outbox:${id}`;

/** What a row's sealed content holds: the mail, and the recipient when it is sealed too. */
export type SealedContent = RenderedMail & { to?: string };

/** `recipient` of a row whose recipient is sealed in its content (see `QueuedMail.sealRecipient`). */
export const SEALED_RECIPIENT = '';

/** Seals a mail's content for its row. */
export function sealContent(keys: Keyring, id: string, content: SealedContent): string {
  return sealSecret(keys, JSON.stringify(content), aadOf(id));
}

/** Opens a row's sealed content. */
export function openContent(keys: Keyring, id: string, sealed: string): SealedContent {
  return JSON.parse(openSecret(keys, sealed, aadOf(id))) as SealedContent;
}

/** The stable Message-ID of a logical mail (no personal data: a digest of its key). */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40)}@outbox.vetted>`;
}

/**
 * Adds a mail to the outbox in `tx`, the transaction of the change that causes it. Returns false when
 * a mail with this idempotency key was queued already (it is not queued twice).
 */
export async function queueMail(tx: Tx, keys: Keyring, mail: QueuedMail): Promise<boolean> {
  const id = randomUUID();
  // No RETURNING: request code may add to the outbox but read nothing of it.
  const result = await tx
    .insert(mailOutbox)
    .values({
      id,
      idempotencyKey: mail.idempotencyKey,
      institutionId: mail.institutionId,
      recipient: mail.sealRecipient ? SEALED_RECIPIENT : mail.to,
      language: mail.language,
      template: mail.template,
      subject: mail.content.subject,
      content: sealContent(keys, id, mail.sealRecipient ? { ...mail.content, to: mail.to } : mail.content),
    })
    .onConflictDoNothing({ target: mailOutbox.idempotencyKey });
  const { rowCount, affectedRows } = result as unknown as { rowCount?: number | null; affectedRows?: number };
  return (rowCount ?? affectedRows ?? 0) > 0;
}

/** A claimed row: the worker that holds it sends it, then reports with `attempts` as its claim token. */
export interface ClaimedMail {
  id: string;
  idempotencyKey: string;
  institutionId: string | null;
  recipient: string;
  content: string | null;
  attempts: number;
}

/**
 * Claims up to `limit` due mails for `leaseSeconds`: queued rows whose next attempt is due, and rows
 * left `sending` by a worker whose claim ran out (a process that died). `FOR UPDATE SKIP LOCKED`:
 * two workers never claim the same row.
 */
export async function systemClaimDue(tx: Tx, limit: number, leaseSeconds: number): Promise<ClaimedMail[]> {
  return queryRows<ClaimedMail>(
    tx,
    sql`update ${mailOutbox} o
           set status = 'sending', attempts = o.attempts + 1, updated_at = now(),
               claimed_until = now() + make_interval(secs => ${leaseSeconds})
         where o.id in (
           select id from ${mailOutbox}
            where (status = 'queued' and next_attempt_at <= now()) or (status = 'sending' and claimed_until < now())
            order by next_attempt_at, id
            limit ${limit}
            for update skip locked)
        returning o.id, o.idempotency_key as "idempotencyKey", o.institution_id as "institutionId", o.recipient, o.content, o.attempts`,
  );
}

/**
 * Records a sent mail, if this worker's claim still holds (same attempt). `keepContent`: the embedded
 * mode keeps it for the operator's mailbox; with SMTP it is erased.
 */
export async function systemMarkSent(tx: Tx, claim: Pick<ClaimedMail, 'id' | 'attempts'>, keepContent: boolean): Promise<boolean> {
  const rows = await tx
    .update(mailOutbox)
    .set({
      status: 'sent',
      sentAt: new Date(),
      claimedUntil: null,
      lastError: null,
      updatedAt: new Date(),
      ...(keepContent ? {} : { content: null }),
    })
    .where(and(eq(mailOutbox.id, claim.id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.attempts, claim.attempts)))
    .returning({ id: mailOutbox.id });
  return rows.length > 0;
}

/**
 * Records a failed attempt: queued again after `delaySeconds`, or `failed` for good (content erased)
 * when `final`.
 */
export async function systemMarkFailed(
  tx: Tx,
  claim: Pick<ClaimedMail, 'id' | 'attempts'>,
  error: string,
  retry: { final: boolean; delaySeconds: number },
): Promise<void> {
  await tx
    .update(mailOutbox)
    .set({
      status: retry.final ? 'failed' : 'queued',
      claimedUntil: null,
      lastError: error.slice(0, 500),
      nextAttemptAt: sql`now() + make_interval(secs => ${retry.delaySeconds})`,
      updatedAt: new Date(),
      ...(retry.final ? { content: null } : {}),
    })
    .where(and(eq(mailOutbox.id, claim.id), eq(mailOutbox.status, 'sending'), eq(mailOutbox.attempts, claim.attempts)));
}

/** Delivery states of logical mails, by idempotency key. */
export async function systemStatusesOf(tx: Tx, keys: string[]): Promise<Map<string, { status: OutboxStatus; sentAt: Date | null; attempts: number }>> {
  if (!keys.length) return new Map();
  const rows = await tx
    .select({ key: mailOutbox.idempotencyKey, status: mailOutbox.status, sentAt: mailOutbox.sentAt, attempts: mailOutbox.attempts })
    .from(mailOutbox)
    .where(inArray(mailOutbox.idempotencyKey, keys));
  return new Map(rows.map((r) => [r.key, { status: r.status as OutboxStatus, sentAt: r.sentAt, attempts: r.attempts }]));
}

/** The operator's mailbox: the newest mails first. */
export async function systemListMailbox(tx: Tx, limit: number, offset: number) {
  const [items, [count]] = await Promise.all([
    tx
      .select({
        id: mailOutbox.id,
        recipient: mailOutbox.recipient,
        subject: mailOutbox.subject,
        template: mailOutbox.template,
        language: mailOutbox.language,
        status: mailOutbox.status,
        attempts: mailOutbox.attempts,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
      })
      .from(mailOutbox)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(limit)
      .offset(offset),
    tx.select({ n: sql<number>`count(*)::int` }).from(mailOutbox),
  ]);
  return { items, total: count?.n ?? 0 };
}

/** One mail of the operator's mailbox, with its sealed content. */
export async function systemFindMail(tx: Tx, id: string) {
  const [row] = await tx.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

/** Removes an institution's mail (the purge). Returns how many rows went. */
export async function systemDeleteInstitutionMail(tx: Tx, institutionId: string): Promise<number> {
  const rows = await tx.delete(mailOutbox).where(eq(mailOutbox.institutionId, institutionId)).returning({ id: mailOutbox.id });
  return rows.length;
}

/** Removes the mail addressed to these people that names no institution (the purge, before it forgets them). */
export async function systemDeleteMailTo(tx: Tx, addresses: string[]): Promise<number> {
  if (!addresses.length) return 0;
  const lower = addresses.map((a) => a.toLowerCase());
  const rows = await tx
    .delete(mailOutbox)
    .where(and(isNull(mailOutbox.institutionId), inArray(sql`lower(${mailOutbox.recipient})`, lower)))
    .returning({ id: mailOutbox.id });
  return rows.length;
}
