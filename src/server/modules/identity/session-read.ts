import { getTableColumns, type InferSelectModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { sessions, users } from '../../db/schema/index.js';
import type { RawRow } from '../../platform/db.js';

/** Only refresh `last_seen_at` this often, so reads do not all become writes. */
export const TOUCH_INTERVAL_MS = 60_000;

const SESSION_ID = /^[0-9a-f]{64}$/;

/** `alias.column as "prefix_column"` for every column of a table. */
function columnsOf(table: PgTable, alias: string): string {
  return Object.values(getTableColumns(table))
    .map((c) => `${alias}."${c.name}" as "${alias}_${c.name}"`)
    .join(', ');
}

const SELECT_LIST = `${columnsOf(sessions, 's')}, ${columnsOf(users, 'u')}`;

/**
 * The statement that authenticates a request, as text for one simple-protocol message (its values
 * are a keyed hash in hexadecimal and timestamps this function writes, never text from a client):
 * the session joined with its user, with the tenant set transaction-locally from the session row, and
 * the session's `last_seen_at` refreshed when it is older than the touch interval — only while the
 * session is within its idle and absolute limits and its user active, so a lapsed session is never
 * revived. Times are the application's clock (`now`), as the checks made on the row are.
 */
export function sessionRead(id: string, now: number, idleMs: number): string {
  // Security: the id goes into the SQL text; it must be what hashToken produces and nothing else.
  if (!SESSION_ID.test(id)) throw new Error('A session id is a hexadecimal SHA-256');
  const at = (ms: number) => `'${new Date(ms).toISOString()}'::timestamptz`;
  return (
    `with touched as (update sessions set last_seen_at = ${at(now)} where id = '${id}'` +
    ` and last_seen_at < ${at(now - TOUCH_INTERVAL_MS)} and last_seen_at >= ${at(now - idleMs)} and expires_at > ${at(now)}` +
    ` and user_id in (select id from users where status = 'active'))` +
    ` select set_config('app.tenant_id', coalesce(s.tenant_id::text, ''), true) as tenant_setting, ${SELECT_LIST}` +
    ` from sessions s join users u on u.id = s.user_id where s.id = '${id}'`
  );
}

/** A table's row from the prefixed columns of a raw row, each value mapped as drizzle maps it. */
export function fromRow<T extends PgTable>(table: T, prefix: 's_' | 'u_', row: RawRow): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[`${prefix}${column.name}`];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as InferSelectModel<T>;
}
