/**
 * The mail outbox against a real SMTP server on loopback: queued with the change (rolled back with
 * it), sent once per idempotency key, by any number of workers at once, retried with exponential
 * backoff when the server refuses, and in the recipient's language.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtp, type TestSmtp } from '../../../../test/support/smtp.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { mailOutbox } from '../../db/schema/index.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Database } from '../../platform/db.js';
import { createJobs, type Jobs } from '../../platform/jobs.js';
import { createMailer } from '../../platform/mail.js';
import { renderMail } from './mail.templates.js';
import { backoffSeconds, createMailOutbox, type MailOutboxOptions } from './outbox.js';
import { messageIdOf } from './outbox.repo.js';

let database: Database;
let jobs: Jobs;
let smtp: TestSmtp;
let dataDir: string;
/** Refuse the next n messages with 451. */
let refuseNext = 0;
let refused = 0;

beforeAll(async () => {
  database = await openTestDatabase();
  jobs = await createJobs({ db: database.db });
  smtp = await startTestSmtp({
    accept: async () => {
      if (refuseNext <= 0) return undefined;
      refuseNext--;
      refused++;
      return Object.assign(new Error('Try again later'), { responseCode: 451 });
    },
  });
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-outbox-'));
}, 120_000);
afterAll(async () => {
  await jobs?.stop();
  await database?.close();
  await smtp?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function configFor(): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'silent',
  });
}

let registered = false;
async function outboxOf(opts: MailOutboxOptions = {}) {
  const config = configFor();
  const outbox = createMailOutbox({ db: database.db, config, mailer: createMailer(config), jobs }, opts);
  if (!registered) {
    await jobs.register(outbox.job);
    registered = true;
  }
  return outbox;
}

const received = (to: string) => smtp.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === to)));

function mailTo(to: string, key = randomUUID(), language: 'en' | 'fr' = 'en') {
  return {
    idempotencyKey: `test:${key}`,
    institutionId: null,
    to,
    language,
    template: 'invitation',
    content: renderMail('invitation', language, { firstName: 'Ada', institutionName: 'Lakeview <School> Board', link: 'http://localhost/invite?token=abc' }),
  };
}

describe('the mail outbox', () => {
  it('queues a mail with the change that causes it: rolled back with it, sent once when it commits', async () => {
    const outbox = await outboxOf();
    const gone = `gone-${randomUUID()}@example.test`;
    const kept = `kept-${randomUUID()}@example.test`;
    await expect(
      withSystem(database.db, async (tx) => {
        await outbox.queue(tx, mailTo(gone));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(kept)));
    // The job that sends it was queued in the same transaction.
    expect(await jobs.runPending(outbox.job)).toBeGreaterThanOrEqual(1);
    await smtp.waitFor(kept);
    expect(received(gone)).toHaveLength(0);
    const [mail] = received(kept);
    expect(mail!.subject).toBe('Your Vetted account for Lakeview <School> Board / Votre compte Vetted pour Lakeview <School> Board');
    expect(mail!.text).toContain('http://localhost/invite?token=abc');
    // HTML escapes what it quotes.
    expect(mail!.html).toContain('Lakeview &lt;School&gt; Board');
    expect(mail!.html).not.toContain('<School>');
    const [row] = await withSystem(database.db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.recipient, kept)));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, content: null });
    expect(mail!.messageId).toBe(messageIdOf(row!.idempotencyKey));
  });

  it('keeps the content sealed while queued, never in clear', async () => {
    const outbox = await outboxOf();
    const to = `sealed-${randomUUID()}@example.test`;
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to)));
    const [row] = await withSystem(database.db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.recipient, to)));
    expect(row!.content).toMatch(/^v2\./);
    expect(row!.content).not.toContain('token=abc');
    await outbox.drain();
  });

  it('sends one logical mail once, however often it is queued', async () => {
    const outbox = await outboxOf();
    const to = `once-${randomUUID()}@example.test`;
    const key = randomUUID();
    expect(await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to, key)))).toBe(true);
    expect(await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to, key)))).toBe(false);
    await outbox.drain();
    await outbox.drain();
    await smtp.waitFor(to);
    expect(received(to)).toHaveLength(1);
  });

  it('lets two workers drain at once, each mail sent exactly once', async () => {
    const slow = { beforeSend: () => new Promise<void>((r) => setTimeout(r, 20)) };
    const a = await outboxOf(slow);
    const b = await outboxOf(slow);
    const tag = randomUUID().slice(0, 8);
    const recipients = Array.from({ length: 16 }, (_, i) => `pair-${tag}-${i}@example.test`);
    await withSystem(database.db, async (tx) => {
      for (const to of recipients) await a.queue(tx, mailTo(to));
    });
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    expect(ra.sent + rb.sent).toBe(recipients.length);
    for (const to of recipients) expect(received(to)).toHaveLength(1);
  });

  it('retries a refusing SMTP server with exponential backoff, without duplicates, and fails for good after the last attempt', async () => {
    const outbox = await outboxOf({ retryBaseSeconds: 30, maxAttempts: 3 });
    const to = `retry-${randomUUID()}@example.test`;
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to)));
    const delays: number[] = [];
    refuseNext = 2;
    const before = refused;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await outbox.drain();
      const [row] = await queryRows<{ status: string; attempts: number; wait: number }>(
        database.db,
        sql`select status, attempts, extract(epoch from next_attempt_at - now())::float as wait from mail_outbox where recipient = ${to}`,
      );
      if (attempt < 3) {
        expect(result).toEqual({ sent: 0, retry: 1, failed: 0 });
        expect(row).toMatchObject({ status: 'queued', attempts: attempt });
        delays.push(row!.wait);
        // Not due yet: another drain sends nothing.
        expect(await outbox.drain()).toEqual({ sent: 0, retry: 0, failed: 0 });
        // Time passes.
        await withSystem(database.db, (tx) => tx.update(mailOutbox).set({ nextAttemptAt: new Date() }).where(eq(mailOutbox.recipient, to)));
      } else {
        expect(result).toEqual({ sent: 1, retry: 0, failed: 0 });
        expect(row).toMatchObject({ status: 'sent', attempts: 3 });
      }
    }
    expect(refused - before).toBe(2);
    expect(delays[0]).toBeGreaterThan(25);
    expect(delays[0]).toBeLessThanOrEqual(30);
    expect(delays[1]).toBeGreaterThan(55);
    expect(delays[1]).toBeLessThanOrEqual(60);
    expect(backoffSeconds(3, 30)).toBe(120);
    expect(received(to)).toHaveLength(1);

    const lost = `lost-${randomUUID()}@example.test`;
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(lost)));
    refuseNext = 3;
    for (let i = 0; i < 3; i++) {
      await outbox.drain();
      await withSystem(database.db, (tx) => tx.update(mailOutbox).set({ nextAttemptAt: new Date() }).where(eq(mailOutbox.recipient, lost)));
    }
    const [row] = await withSystem(database.db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.recipient, lost)));
    expect(row).toMatchObject({ status: 'failed', attempts: 3, content: null });
    expect(row!.lastError).toMatch(/451/);
    expect(received(lost)).toHaveLength(0);
    refuseNext = 0;
  });

  it('takes again a mail whose worker died holding it, once its claim ran out', async () => {
    const outbox = await outboxOf({ leaseSeconds: 1 });
    const to = `orphan-${randomUUID()}@example.test`;
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to)));
    // A worker claims it and dies before sending.
    await withSystem(database.db, (tx) => tx.execute(sql`update mail_outbox set status = 'sending', attempts = 1, claimed_until = now() + interval '1 second' where recipient = ${to}`));
    expect(await outbox.drain()).toEqual({ sent: 0, retry: 0, failed: 0 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await outbox.drain()).toEqual({ sent: 1, retry: 0, failed: 0 });
    expect(received(to)).toHaveLength(1);
  });

  it('writes French mail for French recipients', async () => {
    const outbox = await outboxOf();
    const to = `fr-${randomUUID()}@example.test`;
    await withSystem(database.db, (tx) => outbox.queue(tx, mailTo(to, randomUUID(), 'fr')));
    await outbox.drain();
    const mail = await smtp.waitFor(to);
    expect(mail.subject).toBe('Votre compte Vetted pour Lakeview <School> Board / Your Vetted account for Lakeview <School> Board');
    expect(mail.text!.indexOf('Bonjour Ada')).toBeLessThan(mail.text!.indexOf('Hello Ada'));
    expect(mail.html).toContain('lang="fr-CA"');
  });

  it('lets request code queue mail about its own institution only, and read none', async () => {
    const outbox = await outboxOf();
    const [inst] = await queryRows<{ id: string }>(database.db, sql`select gen_random_uuid()::text as id`);
    const scope = unsafeTenantScope(inst!.id);
    const own = { ...mailTo(`own-${randomUUID()}@example.test`), institutionId: inst!.id };
    await withTenant(database.db, scope, (tx) => outbox.queue(tx, own));
    const other = { ...mailTo(`other-${randomUUID()}@example.test`), institutionId: randomUUID() };
    await expect(withTenant(database.db, scope, (tx) => outbox.queue(tx, other))).rejects.toThrow();
    await expect(withTenant(database.db, scope, (tx) => tx.select().from(mailOutbox))).rejects.toMatchObject({ cause: { code: "42501" } });
    expect(await withTenant(database.db, scope, (tx) => tx.select({ key: mailOutbox.idempotencyKey }).from(mailOutbox))).toEqual([{ key: own.idempotencyKey }]);
    await outbox.drain();
  });
});
