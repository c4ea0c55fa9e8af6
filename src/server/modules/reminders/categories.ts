/**
 * The categories of the daily digest: what each finds on a day, and where its items are in the web
 * app. One entry per category of REMINDER_CATEGORIES (src/contracts/reminders.ts); the type of
 * CATEGORIES makes a category without its entry a compile error.
 *
 * Thresholds are exact days: an app whose review is due in 29 days is in no digest that day, so a
 * person hears of it 30 days, 7 days and on the day before, never every day in between.
 */
import { sql } from 'drizzle-orm';
import type { ReminderCategory } from '../../../contracts/reminders.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

/** Days before a review is due on which it is in the digest. */
export const REVIEW_THRESHOLDS = [30, 7, 0] as const;
/** Days before an agreement expires on which it is in the digest. */
export const AGREEMENT_THRESHOLDS = [60, 30, 0] as const;

/** One item a category found on a day. */
export interface FoundItem {
  recordType: 'inventory_item' | 'assessment' | 'staff_request';
  recordId: string;
  /** The app's name (the app asked for, for a staff request). */
  subject: string;
  /** Days until the date, or days waiting (decisions, triage). */
  days: number;
  date: string | null;
}

/** What a person chose, as a category reads it. */
export interface PersonChoices {
  decisionWaitDays: number;
}

export interface CategoryDefinition {
  /** Every item of the category in the institution on `day` (YYYY-MM-DD). */
  find(tx: Tx, scope: TenantScope, day: string): Promise<FoundItem[]>;
  /** Whether a found item is in this person's digest (default: every item). */
  wanted?(item: FoundItem, person: PersonChoices): boolean;
  /** Where the item is in the web app. */
  link(item: Pick<FoundItem, 'recordType' | 'recordId'>): string;
}

const inventoryLink = (item: { recordId: string }) => `/inventory/${item.recordId}`;

/** Apps (not retired nor refused) whose `column` date is exactly one of `thresholds` days after `day`. */
function datedItems(column: 'next_review_on' | 'agreement_expires_on', thresholds: readonly number[]) {
  return async (tx: Tx, scope: TenantScope, day: string): Promise<FoundItem[]> => {
    const days = sql.join(
      thresholds.map((n) => sql`${day}::date + ${n}::int`),
      sql`, `,
    );
    const rows = await queryRows<{ id: string; name: string; date: string; days: number }>(
      tx,
      sql`select id, name, ${sql.identifier(column)}::text as date, (${sql.identifier(column)} - ${day}::date)::int as days
            from inventory_items
           where ${byTenant(sql`tenant_id`, scope)}
             and status not in ('retired', 'not_approved')
             and ${sql.identifier(column)} in (${days})
           order by ${sql.identifier(column)}, name, id`,
    );
    return rows.map((r) => ({ recordType: 'inventory_item', recordId: r.id, subject: r.name, days: r.days, date: r.date }));
  };
}

export const CATEGORIES: Record<ReminderCategory, CategoryDefinition> = {
  reviews: { find: datedItems('next_review_on', REVIEW_THRESHOLDS), link: inventoryLink },
  agreements: { find: datedItems('agreement_expires_on', AGREEMENT_THRESHOLDS), link: inventoryLink },
  decisions: {
    /** Assessments in review: days since their current revision was submitted (UTC days). */
    async find(tx, scope, day) {
      const rows = await queryRows<{ id: string; name: string; date: string; days: number }>(
        tx,
        sql`select a.id, i.name, (r.submitted_at at time zone 'UTC')::date::text as date,
                   (${day}::date - (r.submitted_at at time zone 'UTC')::date)::int as days
              from assessments a
              join assessment_revisions r on r.tenant_id = a.tenant_id and r.assessment_id = a.id and r.number = a.current_revision
              join inventory_items i on i.tenant_id = a.tenant_id and i.id = a.inventory_item_id
             where ${byTenant(sql`a.tenant_id`, scope)}
               and a.status = 'in_review' and r.submitted_at is not null
               and (r.submitted_at at time zone 'UTC')::date < ${day}::date
             order by r.submitted_at, i.name, a.id`,
      );
      return rows.map((r) => ({ recordType: 'assessment', recordId: r.id, subject: r.name, days: r.days, date: r.date }));
    },
    // Every day while it waits longer than the person's number of days: a decision is still owed.
    wanted: (item, person) => item.days > person.decisionWaitDays,
    link: (item) => `/assessments/${item.recordId}`,
  },
  triage: {
    /**
     * Staff requests waiting for triage, made before `day`: days waiting counted from `day` (UTC days),
     * never from the clock, so a digest made late or again says what it said on its day. The app asked
     * for is all a line holds: nothing about the requester.
     */
    async find(tx, scope, day) {
      const rows = await queryRows<{ id: string; app_name: string; date: string; days: number }>(
        tx,
        sql`select id, app_name, (created_at at time zone 'UTC')::date::text as date,
                   (${day}::date - (created_at at time zone 'UTC')::date)::int as days
              from staff_requests
             where ${byTenant(sql`tenant_id`, scope)}
               and status = 'waiting'
               and (created_at at time zone 'UTC')::date < ${day}::date
             order by created_at, app_name, id`,
      );
      return rows.map((r) => ({ recordType: 'staff_request', recordId: r.id, subject: r.app_name, days: r.days, date: r.date }));
    },
    // Every day while it waits, like a decision owed: the queue is where it is triaged.
    link: () => '/requests',
  },
};
