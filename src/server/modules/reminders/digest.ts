/**
 * The daily digest. A cron (UTC) starts `reminders-daily`, which enqueues one `reminders-institution`
 * job per active institution, keyed by institution and day (a singleton: a second enqueue while one
 * waits or runs is dropped). That job finds each category's items of the day once, then for each
 * person, in one transaction: claims the person's digest of the day (the unique key (institution,
 * person, day): a retry, a restart or a second process finds it and makes nothing again), writes the
 * notifications, queues one email through the outbox in the person's language when they chose email,
 * and records the audit event. Nothing due for a person: nothing is written and nothing is sent.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { isoDate } from '../../../contracts/dates.js';
import { REMINDER_CATEGORIES, type ReminderCategory } from '../../../contracts/reminders.js';
import { recordAudit } from '../../platform/audit.js';
import { systemActor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant } from '../../platform/db.js';
import { defineJob, type Jobs } from '../../platform/jobs.js';
import type { MailOutbox } from '../mail/index.js';
import { mailLanguageOf, renderMail } from '../mail/mail.templates.js';
import { today } from '../inventory/decision-rules.js';
import { CATEGORIES, type FoundItem } from './categories.js';
import { actAsPerson, activeInstitution, addNotifications, claimDigest, peopleOf } from './reminders.repo.js';
import { choicesOf } from './reminders.service.js';

/** The idempotency key of a person's digest email of a day. */
export const digestMailKey = (userId: string, day: string) => `reminders:${userId}:${day}`;

/** A calendar day as people read it, in their language. */
function longDate(day: string, language: 'en' | 'fr'): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** What a run of one institution's day did. */
export interface DigestRun {
  /** People whose digest was made by this run. */
  digests: number;
  notifications: number;
  emails: number;
}

export function createDigests(ctx: Pick<AppContext, 'db' | 'config'>, outbox: Pick<MailOutbox, 'queue' | 'kick'>) {
  const { db, config } = ctx;

  /** Makes the digests of one institution's day. Idempotent per person and day. */
  async function runInstitution(tenantId: string, day: string): Promise<DigestRun> {
    const scope = unsafeTenantScope(tenantId);
    const found = await withTenant(db, scope, async (tx) => {
      const institution = await activeInstitution(tx, scope);
      if (!institution) return null;
      const items = {} as Record<ReminderCategory, FoundItem[]>;
      for (const category of REMINDER_CATEGORIES) items[category] = await CATEGORIES[category].find(tx, scope, day);
      return { institution, items, people: await peopleOf(tx, scope) };
    });
    const run: DigestRun = { digests: 0, notifications: 0, emails: 0 };
    if (!found) return run;
    const actor = systemActor('reminders', 'job', tenantId);
    for (const person of found.people) {
      const choices = choicesOf(person.role, person.preferences);
      const mine = choices.categories.flatMap((category) =>
        found.items[category].filter((i) => CATEGORIES[category].wanted?.(i, choices) ?? true).map((i) => ({ category, ...i })),
      );
      if (!mine.length) continue;
      const made = await withTenant(db, scope, async (tx) => {
        await actAsPerson(tx, person.userId);
        if (!(await claimDigest(tx, scope, { userId: person.userId, day, items: mine.length, emailed: choices.byEmail }))) return false;
        await addNotifications(
          tx,
          mine.map((i) => ({
            tenantId,
            id: randomUUID(),
            userId: person.userId,
            day,
            category: i.category,
            recordType: i.recordType,
            recordId: i.recordId,
            subject: i.subject,
            days: i.days,
            date: i.date,
          })),
        );
        if (choices.byEmail) {
          const language = mailLanguageOf(person.language, found.institution);
          await outbox.queue(tx, {
            idempotencyKey: digestMailKey(person.userId, day),
            institutionId: tenantId,
            to: person.email,
            language,
            template: 'reminder-digest',
            content: renderMail('reminder-digest', language, {
              firstName: person.firstName,
              institutionName: found.institution.name,
              lines: mine.map((i) => ({
                category: i.category,
                subject: i.subject,
                days: i.days,
                date: i.date ? longDate(i.date, language) : '',
                url: `${config.publicUrl}${CATEGORIES[i.category].link(i)}`,
              })),
              link: `${config.publicUrl}/notifications`,
            }),
          });
        }
        // Counts only: the items are the institution's records, already in its log.
        await recordAudit(tx, actor, {
          action: 'reminders.digest',
          recordType: 'user',
          recordId: person.userId,
          after: { day, items: mine.length, emailed: choices.byEmail },
        });
        return true;
      });
      if (!made) continue;
      run.digests++;
      run.notifications += mine.length;
      if (choices.byEmail) run.emails++;
    }
    if (run.emails) outbox.kick();
    return run;
  }

  return { runInstitution };
}
export type Digests = ReturnType<typeof createDigests>;

/** The jobs: the daily fan-out (cron, and at start for a process that slept through it) and one per institution and day. */
export function createReminderJobs(ctx: Pick<AppContext, 'db'> & { jobs: Pick<Jobs, 'send'> }, digests: Digests) {
  const institution = defineJob({
    name: 'reminders-institution',
    version: 1,
    payload: z.object({ tenantId: z.uuid(), day: isoDate }),
    // One per institution and day waits or runs at a time, whichever process enqueued it.
    singletonKey: (p) => `${p.tenantId}:${p.day}`,
    retryLimit: 5,
    handle: async ({ tenantId, day }) => {
      await digests.runInstitution(tenantId, day);
    },
  });
  const daily = defineJob({
    name: 'reminders-daily',
    version: 1,
    payload: z.object({ day: isoDate.optional() }),
    singletonKey: (p) => `reminders-daily:${p.day ?? 'today'}`,
    // 10:00 UTC: past midnight everywhere in North America, so the UTC day the thresholds count from is
    // the schools' own day; early morning in the east (5–6 a.m.), before the working day in the west.
    schedule: { cron: '0 10 * * *', payload: {} },
    runAtStart: true,
    handle: async ({ day }) => {
      const on = day ?? today();
      const active = await withSystem(ctx.db, (tx) =>
        queryRows<{ id: string }>(tx, sql`select id from institutions where status = 'active' order by id`),
      );
      for (const { id } of active) await ctx.jobs.send(institution, { tenantId: id, day: on });
    },
  });
  return { daily, institution };
}
