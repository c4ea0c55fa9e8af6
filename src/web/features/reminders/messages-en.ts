/** English messages of the notification centre, its bell and the reminder choices. */
import type { ReminderCategory } from '../../../contracts/reminders.js';

const categories: Record<ReminderCategory, string> = {
  reviews: 'Reviews due (30, 7 and 0 days before)',
  agreements: 'Agreements expiring (60, 30 and 0 days before)',
  decisions: 'Assessments waiting for a decision',
  triage: 'Staff requests waiting for triage',
};

export const remindersEn = {
  nav: 'Notifications',
  bell_zero: 'Notifications: none unread',
  bell_one: 'Notifications: {{count}} unread',
  bell_other: 'Notifications: {{count}} unread',
  title: 'Notifications',
  intro: 'Your daily reminders: what is due, what is expiring, and what waits for a decision or for triage.',
  empty: 'No notifications yet.',
  list: 'My notifications',
  unreadBadge: 'Unread',
  markRead: 'Mark read',
  markReadFor: 'Mark read: {{subject}}',
  markAllRead: 'Mark all read',
  markedAll: 'All your notifications are marked read.',
  dayOf: 'Reminder of {{date}}',
  sentence: {
    reviews: { today: 'Review due today ({{date}})', inDays: 'Review due in {{days}} days ({{date}})' },
    agreements: { today: 'Agreement expires today ({{date}})', inDays: 'Agreement expires in {{days}} days ({{date}})' },
    decisions: { waiting: 'Waiting {{days}} days for a decision (submitted {{date}})' },
    triage: {
      waiting_one: 'Staff request waiting {{count}} day for triage (requested {{date}})',
      waiting_other: 'Staff request waiting {{count}} days for triage (requested {{date}})',
    },
  },
  categories,
  prefs: {
    title: 'My reminders',
    intro: 'Each morning Vetted looks for what needs you and leaves it here.',
    defaults: 'These are your role’s defaults until you save your own choices.',
    categories: 'What my daily reminders hold',
    byEmail: 'Also send me my reminders by email (one message a day, only when something is due)',
    waitDays: 'Remind me of an assessment waiting for a decision after this many days',
    save: 'Save my reminder choices',
    saved: 'Your reminder choices are saved.',
  },
};
