import { sql } from 'drizzle-orm';
import { check, date, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { institutions } from './tenants.js';

/**
 * How many times each report was run, per institution and per day (UTC). Commitment 2: this is the
 * only usage metric ("the number of times a report is run"), and it holds nothing about who ran a
 * report — no user, session, address or time of day. So, unlike every other table, it has no
 * `created_at`/`updated_at`: they would keep the first and last run time of each day. A test keeps
 * the column list to exactly these.
 */
export const reportRuns = pgTable(
  'report_runs',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    report: text('report').notNull(),
    day: date('day').notNull(),
    runCount: integer('run_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.report, t.day] }), check('report_runs_count_check', sql`${t.runCount} >= 0`)],
);
