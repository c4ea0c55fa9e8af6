/**
 * A mail worker in its own process: drains the outbox until nothing is queued or being sent (waiting
 * out the claims of dead workers), printing `sending <address>` before each send and `done` at the end.
 * Env: DATABASE_URL or DATA_DIR, SMTP_HOST, SMTP_PORT, MAIL_LEASE_SECONDS.
 */
import { sql } from 'drizzle-orm';
import { createMailOutbox } from '../../src/server/modules/mail/outbox.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { openDatabase, queryRows } from '../../src/server/platform/db.js';
import { createJobs } from '../../src/server/platform/jobs.js';
import { createMailer } from '../../src/server/platform/mail.js';

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const jobs = await createJobs({ db: database.db });
const outbox = createMailOutbox(
  { db: database.db, config, mailer: createMailer(config), jobs },
  {
    leaseSeconds: Number(process.env.MAIL_LEASE_SECONDS ?? 120),
    beforeSend: async (mail) => {
      process.stdout.write(`sending ${mail.recipient}\n`);
    },
  },
);
let sent = 0;
for (const end = Date.now() + 90_000; Date.now() < end; ) {
  sent += (await outbox.drain()).sent;
  const [left] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from mail_outbox where status in ('queued', 'sending')`);
  if (!left?.n) break;
  await new Promise((r) => setTimeout(r, 300));
}
process.stdout.write(`sent ${sent}\ndone\n`);
await jobs.stop();
await database.close();
