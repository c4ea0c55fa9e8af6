import type { Config } from './config.js';
import type { Db } from './db.js';
import type { Jobs } from './jobs.js';
import type { Mailer } from './mail.js';

/** What modules are built from. Services take a `Pick<>` of it. */
export interface AppContext {
  config: Config;
  db: Db;
  mailer: Mailer;
  /** Enqueueing and workers (platform/jobs.ts). */
  jobs: Jobs;
}
