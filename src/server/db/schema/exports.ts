import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { institutions } from './tenants.js';

/**
 * A full export of an institution's data (XLSX workbook or zip of CSVs), produced in the background
 * into a file under the data folder; downloadable until `expires_at`, then deleted. Who asked for it
 * is in the audit log, not here.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    format: text('format').notNull(),
    status: text('status').notNull().default('queued'),
    /** Rows written so far and rows expected, for the progress bar. */
    rowsDone: integer('rows_done').notNull().default(0),
    rowsTotal: integer('rows_total').notNull().default(0),
    fileName: text('file_name'),
    fileSize: bigint('file_size', { mode: 'number' }),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /**
     * The process producing a running export (`host/pid/token`, see platform/worker-identity.ts). With
     * `updated_at`, which the job beats while it runs, it tells an export whose worker died from one
     * still in progress.
     */
    workerId: text('worker_id'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('data_exports_tenant_created_idx').on(t.tenantId, t.createdAt),
    check('data_exports_format_check', sql`${t.format} in ('xlsx', 'csv')`),
    check('data_exports_status_check', sql`${t.status} in ('queued', 'running', 'ready', 'failed', 'expired')`),
  ],
);
