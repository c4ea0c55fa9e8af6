/**
 * A significant privacy-policy version reaches each site admin exactly once — with mail workers in
 * separate processes at once (PostgreSQL), and when the worker process is killed in the middle of
 * sending and another starts (PostgreSQL and the embedded database). The SMTP server is real, on
 * loopback; the workers are `test/support/mail-worker-child.ts` processes.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailOutbox } from '../../src/server/modules/mail/outbox.js';
import { createPrivacyPolicyService } from '../../src/server/modules/policy/privacy-policy.service.js';
import type { Actor } from '../../src/server/platform/authz.js';
import { projectRoot, queryRows } from '../../src/server/platform/db.js';
import { createJobs } from '../../src/server/platform/jobs.js';
import { buildInstitution, buildUser } from '../support/factories.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { openCrashTestDatabase } from '../support/test-db.js';

let shared: Awaited<ReturnType<typeof openCrashTestDatabase>>;
let smtp: TestSmtp;
/** Decides each arriving message (set per test). */
let gate: (mail: ParsedMail) => Promise<(Error & { responseCode?: number }) | undefined> = async () => undefined;

beforeAll(async () => {
  shared = await openCrashTestDatabase('vetted-mail-');
  smtp = await startTestSmtp({ accept: (m) => gate(m) });
  const database = await shared.open();
  await database.migrate();
  await database.close();
}, 120_000);
afterAll(async () => {
  await smtp?.close();
  await shared?.close();
});

const operator: Actor = {
  kind: 'user',
  userId: null,
  role: 'platform_admin',
  canApprove: false,
  tenantId: null,
  homeTenantId: null,
  label: 'operator (test)',
  requestId: 'test',
  source: 'api',
};

/** Institutions with site admins, and a significant version published (its mail queued, not sent: no worker here). */
async function publishTo(admins: number): Promise<{ emails: string[]; notified: number }> {
  const database = await shared.open();
  try {
    const jobs = await createJobs({ db: database.db });
    const outbox = createMailOutbox({ db: database.db, config: shared.config, mailer: { send: async () => {}, folder: undefined }, jobs });
    await jobs.register(outbox.job);
    const emails: string[] = [];
    for (let i = 0; i < admins; i += 3) {
      const { institution } = await buildInstitution(database.db, i % 2 ? { subdivision: 'QC' } : {});
      for (let j = i; j < Math.min(admins, i + 3); j++) emails.push((await buildUser(database.db, { tenantId: institution.id, role: 'site_admin' })).email);
    }
    const service = createPrivacyPolicyService({ db: database.db, config: shared.config }, { queue: outbox.queue, kick: () => {} });
    const res = await service.publish(operator, {
      kind: 'significant',
      effectiveOn: '2026-03-01',
      bodyEn: '# Policy',
      bodyFr: '# Politique',
      summaryEn: 'Changed',
      summaryFr: 'Modifiée',
    });
    expect(res.notified).toBeGreaterThanOrEqual(admins);
    await jobs.stop();
    return { emails, notified: res.notified };
  } finally {
    await database.close();
  }
}

/** Runs a worker process; `onLine` may kill it. Resolves with its output lines. */
function worker(onLine?: (line: string, kill: () => void) => void): Promise<{ lines: string[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test/support/mail-worker-child.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATA_DIR: shared.dataDir,
        ...(shared.databaseUrl ? { DATABASE_URL: shared.databaseUrl } : {}),
        SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        MAIL_LEASE_SECONDS: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let err = '';
    let killed = false;
    let buffered = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        onLine?.(line, () => {
          killed = true;
          child.kill('SIGKILL');
        });
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`mail worker failed (${code}): ${err}`));
      else resolve({ lines, killed });
    });
  });
}

const receivedBy = (email: string) => smtp.messages.filter((m) => JSON.stringify(m.to).toLowerCase().includes(email.toLowerCase()));

async function outboxStates(): Promise<Record<string, number>> {
  const database = await shared.open();
  try {
    const rows = await queryRows<{ status: string; n: number }>(database.db, sql`select status, count(*)::int as n from mail_outbox group by status`);
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await database.close();
  }
}

describe('privacy-policy mail across worker processes', () => {
  it('reaches each site admin once when the worker is killed in the middle of sending and another starts', async () => {
    smtp.messages.length = 0;
    const { emails, notified } = await publishTo(6);
    // The third message arrives and the server holds it: the worker is killed before it is accepted.
    let arrivals = 0;
    let release: (() => void) | undefined;
    gate = async () => {
      arrivals++;
      if (arrivals !== 3) return undefined;
      await new Promise<void>((r) => (release = r));
      return Object.assign(new Error('connection gone'), { responseCode: 451 });
    };
    const first = await worker((line, kill) => {
      if (line.startsWith('sending') && arrivals >= 2 && release === undefined) {
        // Wait until the server holds the third message, then kill.
        const poll = setInterval(() => {
          if (release) {
            clearInterval(poll);
            kill();
          }
        }, 20);
      }
    });
    expect(first.killed).toBe(true);
    release?.();
    gate = async () => undefined;
    expect(smtp.messages.length).toBe(2);
    // The killed worker's claim is left behind; the next worker waits it out and sends the rest.
    const second = await worker();
    expect(second.lines).toContain('done');
    for (const email of emails) expect(receivedBy(email), email).toHaveLength(1);
    expect(smtp.messages).toHaveLength(notified);
    expect(await outboxStates()).toEqual({ sent: notified });
  }, 240_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)('reaches each site admin once with two worker processes sending at once (PostgreSQL)', async () => {
    smtp.messages.length = 0;
    const { emails, notified } = await publishTo(12);
    // A slow server, so that both workers are at work together.
    gate = () => new Promise((r) => setTimeout(() => r(undefined), 300));
    const [a, b] = await Promise.all([worker(), worker()]);
    gate = async () => undefined;
    const sentBy = (w: { lines: string[] }) => Number(w.lines.find((l) => l.startsWith('sent '))?.slice(5));
    expect(sentBy(a) + sentBy(b)).toBe(notified);
    for (const email of emails) expect(receivedBy(email), email).toHaveLength(1);
    // Everyone told, each once: the admins of earlier tests get this version too.
    expect(smtp.messages).toHaveLength(notified);
    expect(new Set(smtp.messages.map((m) => JSON.stringify(m.to))).size).toBe(notified);
    expect(Object.keys(await outboxStates())).toEqual(['sent']);
  }, 240_000);
});
