/** Queries of reminder choices, digests and notifications (tenant data; notifications also per person). */
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import { institutions, notifications, reminderDigests, reminderPreferences, users } from '../../db/schema/index.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type PreferencesRow = typeof reminderPreferences.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;

/**
 * Security: names the person whose notifications this transaction may see. Row-level security on
 * `notifications` admits request code to that person's rows only (migration 0028); transaction-local.
 */
export async function actAsPerson(tx: Tx, userId: string): Promise<void> {
  await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
}

export async function findPreferences(tx: Tx, scope: TenantScope, userId: string): Promise<PreferencesRow | undefined> {
  const [row] = await tx
    .select()
    .from(reminderPreferences)
    .where(and(byTenant(reminderPreferences.tenantId, scope), eq(reminderPreferences.userId, userId)));
  return row;
}

export async function savePreferences(
  tx: Tx,
  scope: TenantScope,
  userId: string,
  p: { categories: string[]; byEmail: boolean; decisionWaitDays: number },
): Promise<PreferencesRow> {
  const [row] = await tx
    .insert(reminderPreferences)
    .values({ tenantId: scope.tenantId, userId, ...p })
    .onConflictDoUpdate({
      target: [reminderPreferences.tenantId, reminderPreferences.userId],
      set: { ...p, updatedAt: new Date() },
    })
    .returning();
  return row!;
}

/** The institution's people who may get reminders, with their choices (null: never chosen). */
export async function peopleOf(tx: Tx, scope: TenantScope) {
  return tx
    .select({
      userId: users.id,
      role: users.role,
      email: users.email,
      firstName: users.firstName,
      language: users.language,
      preferences: reminderPreferences,
    })
    .from(users)
    .leftJoin(reminderPreferences, and(eq(reminderPreferences.tenantId, users.tenantId), eq(reminderPreferences.userId, users.id)))
    .where(and(byTenant(users.tenantId, scope), eq(users.status, 'active'), sql`${users.role} in ('site_admin', 'app_admin')`))
    .orderBy(users.id);
}

/** The institution, when it is active (no reminders for one on its way out). */
export async function activeInstitution(tx: Tx, scope: TenantScope) {
  const [row] = await tx
    .select({ name: institutions.name, country: institutions.country, subdivision: institutions.subdivision })
    .from(institutions)
    .where(and(byTenant(institutions.id, scope), eq(institutions.status, 'active')));
  return row;
}

/** Claims the person's digest of the day; false when it was made already (by a retry or another process). */
export async function claimDigest(tx: Tx, scope: TenantScope, d: { userId: string; day: string; items: number; emailed: boolean }): Promise<boolean> {
  const rows = await tx
    .insert(reminderDigests)
    .values({ tenantId: scope.tenantId, ...d })
    .onConflictDoNothing()
    .returning({ userId: reminderDigests.userId });
  return rows.length > 0;
}

export async function addNotifications(tx: Tx, rows: (typeof notifications.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(notifications).values(rows).onConflictDoNothing();
}

const ownRows = (scope: TenantScope, userId: string) => and(byTenant(notifications.tenantId, scope), eq(notifications.userId, userId));

export async function listNotifications(tx: Tx, scope: TenantScope, userId: string, q: { unreadOnly: boolean; limit: number; offset: number }) {
  const where = q.unreadOnly ? and(ownRows(scope, userId), isNull(notifications.readAt)) : ownRows(scope, userId);
  const items = await tx
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.day), notifications.category, notifications.days, notifications.subject, notifications.id)
    .limit(q.limit)
    .offset(q.offset);
  const [total] = await tx.select({ n: count() }).from(notifications).where(where);
  return { items, total: total?.n ?? 0 };
}

export async function unreadCount(tx: Tx, scope: TenantScope, userId: string): Promise<number> {
  const [r] = await tx
    .select({ n: count() })
    .from(notifications)
    .where(and(ownRows(scope, userId), isNull(notifications.readAt)));
  return r?.n ?? 0;
}

/** Marks one of the person's notifications read; undefined when they have none by that id. */
export async function markRead(tx: Tx, scope: TenantScope, userId: string, id: string): Promise<{ changed: boolean } | undefined> {
  const [found] = await tx
    .select({ readAt: notifications.readAt })
    .from(notifications)
    .where(and(ownRows(scope, userId), eq(notifications.id, id)))
    .for('update');
  if (!found) return undefined;
  if (found.readAt) return { changed: false };
  await tx
    .update(notifications)
    .set({ readAt: new Date(), updatedAt: new Date() })
    .where(and(ownRows(scope, userId), eq(notifications.id, id)));
  return { changed: true };
}

/** Marks every unread notification of the person read; how many. */
export async function markAllRead(tx: Tx, scope: TenantScope, userId: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update notifications set read_at = now(), updated_at = now()
         where ${byTenant(sql`tenant_id`, scope)} and user_id = ${userId} and read_at is null
         returning id`,
  );
  return rows.length;
}
