/**
 * Reminders: the daily digest each person chooses (which categories, whether by email) and the
 * in-app notifications it leaves.
 *
 * A category is one entry in REMINDER_CATEGORIES; the server's category registry
 * (src/server/modules/reminders/categories.ts) and the words of each language are typed by this list,
 * so adding one (the staff requests waiting for triage) fails the type check until it is complete.
 */
import { z } from 'zod';
import type { InstitutionRole } from './domain.js';
import { FIELD_MESSAGES } from './field-messages.js';

export const REMINDER_CATEGORIES = [
  /** Apps whose next review is due in 30, 7 or 0 days. */
  'reviews',
  /** Apps whose agreement expires in 60, 30 or 0 days. */
  'agreements',
  /** Assessments submitted and waiting for a decision more than the person's number of days. */
  'decisions',
  /** Staff requests waiting for triage: one line per request, every day while it waits. */
  'triage',
] as const;
export type ReminderCategory = (typeof REMINDER_CATEGORIES)[number];

/** The categories a person gets until they choose, by role. */
export const DEFAULT_REMINDER_CATEGORIES: Record<InstitutionRole, readonly ReminderCategory[]> = {
  site_admin: ['reviews', 'agreements', 'decisions', 'triage'],
  app_admin: ['reviews', 'agreements', 'decisions', 'triage'],
};
/** Days an assessment waits for a decision before it is in the digest, until the person chooses. */
export const DEFAULT_DECISION_WAIT_DAYS = 7;
export const MAX_DECISION_WAIT_DAYS = 365;

export const reminderCategorySchema = z.enum(REMINDER_CATEGORIES);

/** What a person chooses. */
export const reminderPreferencesInputSchema = z.strictObject({
  categories: z
    .array(reminderCategorySchema)
    .max(REMINDER_CATEGORIES.length)
    .refine((v) => new Set(v).size === v.length, FIELD_MESSAGES.repeated_value),
  /** false: in the notification centre only. */
  byEmail: z.boolean(),
  decisionWaitDays: z.number().int().min(1).max(MAX_DECISION_WAIT_DAYS),
});
export type ReminderPreferencesInput = z.infer<typeof reminderPreferencesInputSchema>;

/** A person's choices, and whether they are the defaults of their role (never chosen). */
export const reminderPreferencesSchema = z.object({
  categories: z.array(reminderCategorySchema),
  byEmail: z.boolean(),
  decisionWaitDays: z.number().int(),
  isDefault: z.boolean(),
  /** Every category the service offers, in order. */
  available: z.array(reminderCategorySchema),
});
export type ReminderPreferencesBody = z.infer<typeof reminderPreferencesSchema>;

/** One notification of the centre. */
export const notificationSchema = z.object({
  id: z.string(),
  category: reminderCategorySchema,
  /** The day of the digest that made it (YYYY-MM-DD). */
  day: z.string(),
  /** What it is about: the app's name (the app asked for, for a staff request). */
  subject: z.string(),
  /** Days until the date (reviews, agreements; 0 = today), or days waiting (decisions, triage). */
  days: z.number().int(),
  /** The date due or expiring (reviews, agreements), the day submitted (decisions) or requested (triage). */
  date: z.string().nullable(),
  /** Where the item is in the web app (a path). */
  link: z.string(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type NotificationBody = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});

export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  total: z.number().int(),
  unread: z.number().int(),
});
export type NotificationListBody = z.infer<typeof notificationListSchema>;

export const unreadCountSchema = z.object({ unread: z.number().int() });
export type UnreadCountBody = z.infer<typeof unreadCountSchema>;
