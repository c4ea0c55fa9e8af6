/** The daily digest's real code, run by tests on their own app's database, mailer and job platform. */
import { createMailOutbox } from '../../src/server/modules/mail/outbox.js';
import { createDigests, createReminderJobs } from '../../src/server/modules/reminders/index.js';
import { createMailer } from '../../src/server/platform/mail.js';
import type { TestApp } from './test-app.js';

/** The digests (run one institution's day now) and the job definitions the app registered (found by their queue names). */
export function remindersOf(t: TestApp) {
  const outbox = createMailOutbox({ db: t.database.db, config: t.config, mailer: createMailer(t.config), jobs: t.jobs });
  const digests = createDigests({ db: t.database.db, config: t.config }, outbox);
  return { digests, jobs: createReminderJobs({ db: t.database.db, jobs: t.jobs }, digests), outbox };
}
