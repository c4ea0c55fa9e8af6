/**
 * The mail outbox (docs/adr/0010-mail-outbox.md): a mail is queued in the transaction of the change
 * that causes it, with a job that sends it; workers claim due rows one at a time
 * (`FOR UPDATE SKIP LOCKED`), send outside any transaction, and record the outcome under their claim.
 * A failed attempt is retried with exponential backoff; a claim left by a dead process runs out and
 * the row is taken again. A cron every minute drains what is due, so a retry never waits for a new mail.
 */
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { withSystem, type Tx } from '../../platform/db.js';
import { defineJob, type JobLogger, type Jobs } from '../../platform/jobs.js';
import {
  messageIdOf,
  openContent,
  SEALED_RECIPIENT,
  queueMail,
  systemClaimDue,
  systemMarkFailed,
  systemMarkSent,
  type ClaimedMail,
  type QueuedMail,
} from './outbox.repo.js';

export interface MailOutboxOptions {
  /** How long a claim holds before another worker may take the row (default 120 s). */
  leaseSeconds?: number;
  /** The first retry's delay, doubled at each attempt (default 30 s). */
  retryBaseSeconds?: number;
  /** Attempts before a mail is failed for good (default 6: about 15 minutes of retries). */
  maxAttempts?: number;
  /** Called before each send (tests pace and observe workers with it). */
  beforeSend?: (mail: ClaimedMail) => Promise<void>;
  log?: Pick<JobLogger, 'warn' | 'error'>;
}

/** The delay before the next attempt after `attempts` failed ones. */
export function backoffSeconds(attempts: number, baseSeconds: number): number {
  return baseSeconds * 2 ** Math.max(0, attempts - 1);
}

export function createMailOutbox(ctx: Pick<AppContext, 'db' | 'config' | 'mailer'> & { jobs: Pick<Jobs, 'enqueue'> }, opts: MailOutboxOptions = {}) {
  const { db, config, mailer } = ctx;
  const leaseSeconds = opts.leaseSeconds ?? 120;
  const retryBaseSeconds = opts.retryBaseSeconds ?? 30;
  const maxAttempts = opts.maxAttempts ?? 6;
  // Embedded mode keeps sent content for the operator's mailbox (its .eml files hold it too).
  const keepContent = mailer.folder !== undefined;

  async function sendOne(claim: ClaimedMail): Promise<'sent' | 'retry' | 'failed'> {
    let content;
    try {
      if (!claim.content) throw new Error('no content');
      content = openContent(config.secretKeys, claim.id, claim.content);
    } catch {
      // Content that cannot be opened (a retired key) would fail the same way on every retry.
      await withSystem(db, (tx) => systemMarkFailed(tx, claim, 'content could not be opened', { final: true, delaySeconds: 0 }));
      opts.log?.error({ mail: claim.id }, 'mail content could not be opened; failed');
      return 'failed';
    }
    try {
      await opts.beforeSend?.(claim);
      // Network call outside any transaction.
      const { to: sealedTo, ...mail } = content;
      const sealedRecipient = claim.recipient === SEALED_RECIPIENT;
      if (sealedRecipient && !sealedTo) throw new Error('no recipient');
      await mailer.send({
        to: sealedRecipient ? sealedTo! : claim.recipient,
        ...mail,
        messageId: messageIdOf(claim.idempotencyKey),
        ...(claim.institutionId ? { tenantId: claim.institutionId } : {}),
        ...(sealedRecipient ? { recipientNotKept: true } : {}),
      });
    } catch (err) {
      const final = claim.attempts >= maxAttempts;
      const reason = err instanceof Error ? err.message : String(err);
      await withSystem(db, (tx) => systemMarkFailed(tx, claim, reason, { final, delaySeconds: backoffSeconds(claim.attempts, retryBaseSeconds) }));
      // Security: the id and attempt only; never the recipient or the content.
      opts.log?.warn({ mail: claim.id, attempt: claim.attempts, final }, 'mail attempt failed');
      return final ? 'failed' : 'retry';
    }
    // A sealed recipient goes with the content: nothing of the address stays once sent.
    await withSystem(db, (tx) => systemMarkSent(tx, claim, keepContent && claim.recipient !== SEALED_RECIPIENT));
    return 'sent';
  }

  /** Sends every due mail, one claim at a time, until none is due. Safe to run in many workers at once. */
  async function drain(): Promise<{ sent: number; retry: number; failed: number }> {
    const counts = { sent: 0, retry: 0, failed: 0 };
    for (;;) {
      const [claim] = await withSystem(db, (tx) => systemClaimDue(tx, 1, leaseSeconds));
      if (!claim) return counts;
      counts[await sendOne(claim)]++;
    }
  }

  const job = defineJob({
    name: 'mail-outbox',
    version: 1,
    payload: z.object({}),
    // One waiting drain is enough: it sends everything due when it runs.
    singletonKey: () => 'mail-outbox',
    retryLimit: 2,
    retryDelaySeconds: 10,
    schedule: { cron: '* * * * *', payload: {} },
    runAtStart: true,
    handle: async () => {
      await drain();
    },
  });

  let running: Promise<unknown> | null = null;
  let again = false;

  return {
    job,
    drain,

    /**
     * Queues a mail in `tx` (the transaction of the change that causes it) with the job that sends it.
     * Returns false when this logical mail was queued already.
     */
    async queue(tx: Tx, mail: QueuedMail): Promise<boolean> {
      const added = await queueMail(tx, config.secretKeys, mail);
      if (added) await ctx.jobs.enqueue(tx, job, {});
      return added;
    },

    /**
     * After a commit: sends what is due now, in this process, without waiting for a worker's poll.
     * Best effort — the queued job and the cron send it otherwise.
     */
    kick(): void {
      // A drain under way may have looked before this commit: it runs once more when it ends.
      if (running) {
        again = true;
        return;
      }
      const run = async (): Promise<void> => {
        do {
          again = false;
          await drain().catch((err: unknown) => opts.log?.error({ err: err instanceof Error ? err.message : String(err) }, 'mail drain failed'));
        } while (again);
      };
      running = run().finally(() => (running = null));
    },

    /** Resolves once a drain started by `kick` has finished (shutdown, tests). */
    async settled(): Promise<void> {
      await running;
    },
  };
}
export type MailOutbox = ReturnType<typeof createMailOutbox>;
