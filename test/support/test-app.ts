import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/platform/config.js';
import { queryRows, type Database } from '../../src/server/platform/db.js';
import { createJobs, type Jobs } from '../../src/server/platform/jobs.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';
import { openTestDatabase } from './test-db.js';

export interface TestApp {
  app: FastifyInstance;
  /** `url`: the PostgreSQL database of this file when TEST_DATABASE_URL is set. */
  database: Database & { url: string | undefined };
  config: Config;
  smtp: TestSmtp;
  /** Enqueue-only jobs platform: tests run due jobs with `jobs.runPending()`. */
  jobs: Jobs;
  close(): Promise<void>;
}

/** The whole service on a fresh database, with a real SMTP server on loopback for its mail. */
export async function createTestApp(env: Record<string, string> = {}, opts: { logStream?: { write(line: string): void }; logLevel?: string } = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-test-'));
  const smtp = await startTestSmtp();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    PUBLIC_URL: 'http://localhost:3000',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_ADDRESS_RATE_LIMIT: '10000',
    ...env,
  });
  const database = await openTestDatabase();
  const jobs = await createJobs({ db: database.db });
  const app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs }, { logLevel: opts.logLevel ?? 'silent', ...(opts.logStream ? { logStream: opts.logStream } : {}) });
  await app.ready();
  return {
    app,
    database,
    config,
    smtp,
    jobs,
    async close() {
      await app.close();
      await jobs.stop();
      await database.close();
      await smtp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The mail the test SMTP server received for `address` (any recipient field naming it). */
export const mailTo = (t: TestApp, address: string) => t.smtp.messages.filter((m) => JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()));

/** Runs every due job until the mail outbox has nothing queued or being sent. */
export async function settleOutbox(t: TestApp): Promise<void> {
  for (let i = 0; i < 300; i++) {
    await t.jobs.runPending();
    const [r] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from mail_outbox where status in ('queued', 'sending')`);
    if (r!.n === 0) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the outbox did not settle');
}
