import { boolean, date, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { institutions } from './tenants.js';

/**
 * A person's choice of reminders: the categories of their daily digest, whether it is also emailed,
 * and after how many days an assessment waiting for a decision is in it. No row: their role's defaults.
 */
export const reminderPreferences = pgTable(
  'reminder_preferences',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    userId: uuid('user_id').notNull(),
    categories: text('categories').array().notNull(),
    byEmail: boolean('by_email').notNull().default(true),
    decisionWaitDays: integer('decision_wait_days').notNull().default(7),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index('reminder_preferences_user_idx').on(t.userId),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
  ],
);

/**
 * One row per person and day a digest was made: the key that makes the daily job idempotent (a
 * retry, a restart or a second process finds the row and makes nothing again).
 */
export const reminderDigests = pgTable(
  'reminder_digests',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    items: integer('items').notNull(),
    emailed: boolean('emailed').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.day] }),
    index('reminder_digests_user_idx').on(t.userId),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
  ],
);

/**
 * The notification centre: one row per item of a person's digest. `record_type`/`record_id` name the
 * item (an app, an assessment); `subject` is the app's name when the digest was made.
 */
export const notifications = pgTable(
  'notifications',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    category: text('category').notNull(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    subject: text('subject').notNull(),
    days: integer('days').notNull(),
    date: date('date', { mode: 'string' }),
    readAt: timestamp('read_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('notifications_item_key').on(t.tenantId, t.userId, t.day, t.category, t.recordId),
    index('notifications_user_idx').on(t.userId, t.createdAt),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete('cascade'),
  ],
);
