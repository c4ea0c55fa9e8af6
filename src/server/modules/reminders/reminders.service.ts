/**
 * A person's reminder choices and notification centre. Each person sees and changes only their own:
 * the queries name them, and row-level security on `notifications` admits only the person the
 * transaction names (`actAsPerson`).
 */
import type {
  NotificationBody,
  NotificationListBody,
  ReminderCategory,
  ReminderPreferencesBody,
  ReminderPreferencesInput,
} from '../../../contracts/reminders.js';
import { DEFAULT_DECISION_WAIT_DAYS, DEFAULT_REMINDER_CATEGORIES, REMINDER_CATEGORIES } from '../../../contracts/reminders.js';
import type { InstitutionRole } from '../../../contracts/domain.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { CATEGORIES } from './categories.js';
import {
  actAsPerson,
  findPreferences,
  listNotifications,
  markAllRead,
  markRead,
  savePreferences,
  unreadCount,
  type NotificationRow,
  type PreferencesRow,
} from './reminders.repo.js';

/** A person's effective choices: their own, else their role's defaults. Unknown categories (retired) are dropped. */
export function choicesOf(role: string, row: PreferencesRow | null | undefined) {
  if (!row) {
    const categories = DEFAULT_REMINDER_CATEGORIES[role as InstitutionRole] ?? [];
    return { categories: [...categories], byEmail: true, decisionWaitDays: DEFAULT_DECISION_WAIT_DAYS, isDefault: true };
  }
  const known = new Set<string>(REMINDER_CATEGORIES);
  return {
    categories: row.categories.filter((c): c is ReminderCategory => known.has(c)),
    byEmail: row.byEmail,
    decisionWaitDays: row.decisionWaitDays,
    isDefault: false,
  };
}

export function presentNotification(n: NotificationRow): NotificationBody {
  const category = n.category as ReminderCategory;
  return {
    id: n.id,
    category,
    day: n.day,
    subject: n.subject,
    days: n.days,
    date: n.date,
    link: CATEGORIES[category]?.link({ recordType: n.recordType as 'inventory_item', recordId: n.recordId }) ?? '/',
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}

export function createRemindersService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;

  /** Runs `fn` in the actor's institution as the actor, the only person whose notifications it sees. */
  const asPerson = <T>(actor: Actor, fn: Parameters<typeof withTenant<T>>[2]) => {
    authorize(actor, 'receiveReminders');
    const scope = scopeOf(actor);
    return withTenant(db, scope, async (tx) => {
      await actAsPerson(tx, actor.userId!);
      return fn(tx);
    });
  };

  return {
    async preferences(actor: Actor): Promise<ReminderPreferencesBody> {
      return asPerson(actor, async (tx) => {
        const row = await findPreferences(tx, scopeOf(actor), actor.userId!);
        return { ...choicesOf(actor.role, row), available: [...REMINDER_CATEGORIES] };
      });
    },

    async savePreferences(actor: Actor, input: ReminderPreferencesInput): Promise<ReminderPreferencesBody> {
      return asPerson(actor, async (tx) => {
        const scope = scopeOf(actor);
        const before = choicesOf(actor.role, await findPreferences(tx, scope, actor.userId!));
        // Kept in the order the service offers them, whatever order they came in.
        const categories = REMINDER_CATEGORIES.filter((c) => input.categories.includes(c));
        const row = await savePreferences(tx, scope, actor.userId!, { categories, byEmail: input.byEmail, decisionWaitDays: input.decisionWaitDays });
        const after = choicesOf(actor.role, row);
        await recordAudit(tx, actor, {
          action: 'reminders.preferences_update',
          recordType: 'user',
          recordId: actor.userId!,
          before: { categories: before.categories, byEmail: before.byEmail, decisionWaitDays: before.decisionWaitDays },
          after: { categories: after.categories, byEmail: after.byEmail, decisionWaitDays: after.decisionWaitDays },
        });
        return { ...after, available: [...REMINDER_CATEGORIES] };
      });
    },

    async list(actor: Actor, q: { unreadOnly: boolean; page: number; pageSize: number }): Promise<NotificationListBody> {
      return asPerson(actor, async (tx) => {
        const scope = scopeOf(actor);
        const { items, total } = await listNotifications(tx, scope, actor.userId!, {
          unreadOnly: q.unreadOnly,
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        });
        return { items: items.map(presentNotification), total, unread: await unreadCount(tx, scope, actor.userId!) };
      });
    },

    async unread(actor: Actor): Promise<{ unread: number }> {
      return asPerson(actor, async (tx) => ({ unread: await unreadCount(tx, scopeOf(actor), actor.userId!) }));
    },

    async markRead(actor: Actor, id: string): Promise<void> {
      await asPerson(actor, async (tx) => {
        const result = await markRead(tx, scopeOf(actor), actor.userId!, id);
        if (!result) throw notFound('Notification');
        if (result.changed) await recordAudit(tx, actor, { action: 'notification.read', recordType: 'notification', recordId: id });
      });
    },

    async markAllRead(actor: Actor): Promise<{ marked: number }> {
      return asPerson(actor, async (tx) => {
        const marked = await markAllRead(tx, scopeOf(actor), actor.userId!);
        if (marked) await recordAudit(tx, actor, { action: 'notification.read_all', recordType: 'user', recordId: actor.userId!, after: { marked } });
        return { marked };
      });
    },
  };
}
export type RemindersService = ReturnType<typeof createRemindersService>;
