import { sql } from 'drizzle-orm';
import { check, date, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { institutions } from './tenants.js';

/**
 * How many times each report was run, per institution and per day (UTC). Commitment 2: this is the
 * only usage metric, and it holds nothing about who ran a report — no user, session, address or
 * time of day. A test keeps the column list to exactly these.
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
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.report, t.day] }), check('report_runs_count_check', sql`${t.runCount} >= 0`)],
);
