import { and, eq, getTableColumns, gt, gte, inArray, lt, type InferSelectModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { sessions, users } from '../../db/schema/index.js';
import type { RawRow, SessionGuard, Tx } from '../../platform/db.js';

/** Only refresh `last_seen_at` this often, so reads do not all become writes. */
export const TOUCH_INTERVAL_MS = 60_000;

const SESSION_ID = /^[0-9a-f]{64}$/;

/** `alias.column as "prefix_column"` for every column of a table. */
function columnsOf(table: PgTable, alias: string): string {
  return Object.values(getTableColumns(table))
    .map((c) => `${alias}."${c.name}" as "${alias}_${c.name}"`)
    .join(', ');
}

// The rows' versions (xmin) too: a request that takes them from the cache checks they are unchanged (sessionGuard).
const SELECT_LIST = `${columnsOf(sessions, 's')}, ${columnsOf(users, 'u')}, s.xmin::text as "v_session", u.xmin::text as "v_user"`;

/**
 * The statement that authenticates a request, as text for one simple-protocol message (its values
 * are a keyed hash in hexadecimal, never text from a client): the session joined with its user, with
 * the tenant set transaction-locally from the session row. It only reads: the session's `last_seen_at`
 * is refreshed by a statement of its own when the row shows it older than the touch interval
 * (`touchSession`), about once a minute per session, instead of every request planning an update.
 */
export function sessionRead(id: string): string {
  // Security: the id goes into the SQL text; it must be what hashToken produces and nothing else.
  if (!SESSION_ID.test(id)) throw new Error('A session id is a hexadecimal SHA-256');
  return (
    `select set_config('app.tenant_id', coalesce(s.tenant_id::text, ''), true) as tenant_setting, ${SELECT_LIST}` +
    ` from sessions s join users u on u.id = s.user_id where s.id = '${id}'`
  );
}

/** The versions of a session's row and its user's row, as the session read returned them. */
export interface RowVersions {
  session: string;
  user: string;
}

const XID = /^[0-9]{1,10}$/;

/** The row versions of a session read's row. */
export function versionsOf(row: RawRow): RowVersions {
  return { session: String(row.v_session), user: String(row.v_user) };
}

/**
 * The check of a session taken from the cache (migration 0038, ADR 0027): raises SQLSTATE VT401 unless
 * the session and its user are still the rows of these versions. As a parameterised statement, and as
 * text for a simple-protocol message (its values checked: a keyed hash in hexadecimal and two numbers).
 */
export function sessionGuard(id: string, versions: RowVersions): SessionGuard {
  if (!SESSION_ID.test(id) || !XID.test(versions.session) || !XID.test(versions.user))
    throw new Error('A session guard names a session id and two row versions');
  return {
    text: 'select vetted_session_guard($1, $2, $3)',
    values: [id, versions.session, versions.user],
    inline: `select vetted_session_guard('${id}', '${versions.session}', '${versions.user}')`,
  };
}

/** Whether a session last seen at `lastSeenAt` is due for its `last_seen_at` to be refreshed at `now`. */
export function touchDue(lastSeenAt: Date, now: number): boolean {
  return now - lastSeenAt.getTime() >= TOUCH_INTERVAL_MS;
}

/**
 * Refreshes a session's `last_seen_at` to `now` (the application's clock, as the checks made on its
 * row) — only while it is within its idle and absolute limits, its user active, and it was not
 * refreshed within the touch interval meanwhile, so a lapsed session is never revived.
 */
export async function touchSession(tx: Tx, id: string, now: number, idleMs: number): Promise<void> {
  await tx
    .update(sessions)
    .set({ lastSeenAt: new Date(now) })
    .where(
      and(
        eq(sessions.id, id),
        lt(sessions.lastSeenAt, new Date(now - TOUCH_INTERVAL_MS)),
        gte(sessions.lastSeenAt, new Date(now - idleMs)),
        gt(sessions.expiresAt, new Date(now)),
        inArray(sessions.userId, tx.select({ id: users.id }).from(users).where(eq(users.status, 'active'))),
      ),
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
