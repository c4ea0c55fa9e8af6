/**
 * Reminders through the API and the job platform, with a real SMTP server on loopback: the daily
 * digest at fixed days (30, 7 and 0 days before a review; 60, 30 and 0 before an agreement expires;
 * an assessment waiting for a decision longer than the person's number of days), nothing on a day in
 * between, never twice for a person and a day (a second run, two runs at once), in the person's
 * language; choices respected (email off: in-app only; a category off: not in it); the notification
 * centre (unread count, mark read, mark all read) where a person sees only their own; staff requests
 * made through the public page waiting for triage, from the next day on and while they wait, without
 * a word of their requesters.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessmentRevisions, inventoryItems, staffRequests, users } from '../../src/server/db/schema/index.js';
import { queryRows, withSystem } from '../../src/server/platform/db.js';
import { buildTenantWithUsers, type Client } from '../support/factories.js';
import { remindersOf } from '../support/reminders.js';
import { createTestApp, mailTo, settleOutbox, type TestApp } from '../support/test-app.js';

let t: TestApp;
let digests: ReturnType<typeof remindersOf>['digests'];
let jobs: ReturnType<typeof remindersOf>['jobs'];
beforeAll(async () => {
  t = await createTestApp();
  ({ digests, jobs } = remindersOf(t));
}, 120_000);
afterAll(async () => t?.close());

// Fixed days, far from today so that no other suite's items fall on them.
const REVIEW = '2031-05-20';
const EXPIRY = '2031-06-19';
const SUBMITTED = '2031-05-01T10:00:00Z';
const DAY = { reviewIn30: '2031-04-20', between: '2031-05-01', reviewIn7: '2031-05-13', reviewToday: '2031-05-20', expiresToday: '2031-06-19' };

const to = (address: string) => mailTo(t, address);

const settle = () => settleOutbox(t);

/** The day's run, as the cron starts it. */
async function runDay(day: string): Promise<void> {
  await t.jobs.send(jobs.daily, { day });
  await settle();
}

/** An institution with an app due for review on REVIEW, whose agreement expires on EXPIRY, and an assessment submitted on SUBMITTED. */
async function institutionWithDueItems(overrides: Parameters<typeof buildTenantWithUsers>[2] = {}) {
  const tenant = await buildTenantWithUsers(t.app, t.database.db, overrides);
  const name = `Reminded ${Math.random().toString(36).slice(2)}`;
  const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name } });
  expect(item.statusCode, item.body).toBe(201);
  const pia = await tenant.siteAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id });
  expect(pia.statusCode, pia.body).toBe(201);
  const submitted = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${pia.json().id}/submit`, { version: pia.json().version });
  expect(submitted.statusCode, submitted.body).toBe(200);
  await withSystem(t.database.db, async (tx) => {
    await tx.update(inventoryItems).set({ nextReviewOn: REVIEW, agreementExpiresOn: EXPIRY }).where(eq(inventoryItems.id, item.json().id));
    await tx.update(assessmentRevisions).set({ submittedAt: new Date(SUBMITTED) }).where(eq(assessmentRevisions.assessmentId, pia.json().id));
  });
  return { ...tenant, name, itemId: item.json().id as string, assessmentId: pia.json().id as string };
}

const notificationsOf = async (c: Client) => {
  const res = await c.request('GET', '/api/v1/me/notifications');
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; category: string; days: number; date: string | null; link: string; read: boolean; subject: string; day: string }[]; total: number; unread: number };
};

const unreadOf = async (c: Client) => (await c.request('GET', '/api/v1/me/notifications/unread-count')).json().unread as number;

describe('the daily digest', () => {
  it('reminds at exactly 30, 7 and 0 days before a review, 60, 30 and 0 before an agreement expires, and of a waiting decision; never twice; nothing in between', async () => {
    const tenant = await institutionWithDueItems();
    const admin = tenant.siteAdmin;
    const mine = () => to(admin.user.email).filter((m) => m.subject?.includes(tenant.institution.name));

    // A day in between: nothing due, nothing written, nothing sent.
    await runDay(DAY.between);
    expect((await notificationsOf(admin)).total).toBe(0);
    expect(mine()).toHaveLength(0);

    // 30 days before the review and 60 before the agreement expires; the assessment is not submitted yet.
    await runDay(DAY.reviewIn30);
    let list = await notificationsOf(admin);
    expect(list.items.map((n) => [n.category, n.days, n.date]).sort()).toEqual([
      ['agreements', 60, EXPIRY],
      ['reviews', 30, REVIEW],
    ]);
    expect(list.items.every((n) => n.link === `/inventory/${tenant.itemId}` && n.subject === tenant.name && !n.read && n.day === DAY.reviewIn30)).toBe(true);
    expect(list.unread).toBe(2);
    expect(mine()).toHaveLength(1);
    const first = mine()[0]!;
    expect(first.subject).toBe(`Vetted: 2 reminders for ${tenant.institution.name}`);
    expect(first.text).toContain(`The review of ${tenant.name} is due in 30 days (May 20, 2031).`);
    expect(first.text).toContain(`The agreement for ${tenant.name} expires in 60 days (June 19, 2031).`);
    expect(first.text).toContain(`http://localhost:3000/inventory/${tenant.itemId}`);
    expect(first.html).toContain(`<a href="http://localhost:3000/inventory/${tenant.itemId}">`);
    expect(first.text).toContain('http://localhost:3000/notifications');

    // The same day again (a retry, a restart): nothing more.
    await runDay(DAY.reviewIn30);
    expect((await notificationsOf(admin)).total).toBe(2);
    expect(mine()).toHaveLength(1);

    // 7 days before the review; the assessment has waited 12 days (> 7, the default).
    await runDay(DAY.reviewIn7);
    list = await notificationsOf(admin);
    const day7 = list.items.filter((n) => n.day === DAY.reviewIn7);
    expect(day7.map((n) => [n.category, n.days]).sort()).toEqual([
      ['decisions', 12],
      ['reviews', 7],
    ]);
    expect(day7.find((n) => n.category === 'decisions')!.link).toBe(`/assessments/${tenant.assessmentId}`);
    expect(mine()).toHaveLength(2);
    expect(mine()[1]!.text).toContain(`The assessment of ${tenant.name} has waited 12 days for a decision (submitted May 1, 2031).`);

    // The day of the review, 30 days before the agreement expires.
    await runDay(DAY.reviewToday);
    const day0 = (await notificationsOf(admin)).items.filter((n) => n.day === DAY.reviewToday);
    expect(day0.map((n) => [n.category, n.days]).sort()).toEqual([
      ['agreements', 30],
      ['decisions', 19],
      ['reviews', 0],
    ]);
    expect(mine()[2]!.text).toContain(`The review of ${tenant.name} is due today (May 20, 2031).`);

    // Every person of the institution gets their own; each a single digest a day.
    for (const who of [tenant.appAdmin, tenant.approver]) {
      expect((await notificationsOf(who)).total).toBe(7);
      expect(to(who.user.email).filter((m) => m.subject?.includes(tenant.institution.name))).toHaveLength(3);
    }
    const [digestRows] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from reminder_digests where tenant_id = ${tenant.institution.id}`);
    expect(digestRows!.n).toBe(9);
    const audit = await queryRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from audit_events where tenant_id = ${tenant.institution.id} and action = 'reminders.digest'`,
    );
    expect(audit[0]!.n).toBe(9);
  }, 120_000);

  it('makes a person’s digest once when two runs of the same day meet, and the singleton drops a second waiting job', async () => {
    const tenant = await institutionWithDueItems();
    const runs = await Promise.all([digests.runInstitution(tenant.institution.id, DAY.expiresToday), digests.runInstitution(tenant.institution.id, DAY.expiresToday)]);
    expect(runs.reduce((n, r) => n + r.digests, 0)).toBe(3);
    expect(runs.reduce((n, r) => n + r.emails, 0)).toBe(3);
    const payload = { tenantId: tenant.institution.id, day: DAY.expiresToday };
    const firstJob = await t.jobs.send(jobs.institution, payload);
    expect(firstJob).not.toBeNull();
    expect(await t.jobs.send(jobs.institution, payload)).toBeNull();
    await settle();
    expect((await notificationsOf(tenant.siteAdmin)).items.map((n) => [n.category, n.days]).sort()).toEqual([
      ['agreements', 0],
      ['decisions', 49],
    ]);
    const [mail] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from mail_outbox where institution_id = ${tenant.institution.id} and template = 'reminder-digest'`);
    expect(mail!.n).toBe(3);
    expect(to(tenant.siteAdmin.user.email)).toHaveLength(1);
  }, 120_000);

  it('writes to each person in their language (French in Quebec, or by their choice)', async () => {
    const quebec = await institutionWithDueItems({ subdivision: 'QC' });
    const english = await institutionWithDueItems();
    await withSystem(t.database.db, (tx) => tx.update(users).set({ language: 'fr' }).where(eq(users.id, english.appAdmin.user.id)));
    await runDay(DAY.reviewIn30);
    const fr = to(quebec.siteAdmin.user.email);
    expect(fr).toHaveLength(1);
    expect(fr[0]!.subject).toBe(`Vetted : 2 rappels pour ${quebec.institution.name}`);
    expect(fr[0]!.text).toContain(`La révision de ${quebec.name} est prévue dans 30 jours (20 mai 2031).`);
    expect(fr[0]!.text).toContain(`L’entente pour ${quebec.name} expire dans 60 jours (19 juin 2031).`);
    expect(fr[0]!.html).toContain('<html lang="fr-CA">');
    expect(to(english.appAdmin.user.email)[0]!.subject).toMatch(/^Vetted : 2 rappels/);
    expect(to(english.siteAdmin.user.email)[0]!.subject).toMatch(/^Vetted: 2 reminders/);
  }, 120_000);

  it('follows each person’s choices: email off means in-app only; a category off is left out; their own number of days', async () => {
    const tenant = await institutionWithDueItems();
    const saved = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: ['reviews', 'decisions'], byEmail: false, decisionWaitDays: 20 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ categories: ['reviews', 'decisions'], byEmail: false, decisionWaitDays: 20, isDefault: false });
    const quiet = await tenant.approver.request('PUT', '/api/v1/me/reminder-preferences', { categories: [], byEmail: true, decisionWaitDays: 7 });
    expect(quiet.statusCode).toBe(200);

    await runDay(DAY.reviewToday);
    // The app admin: the review only (agreements off; the assessment waited 19 days, not more than 20), no email.
    expect((await notificationsOf(tenant.appAdmin)).items.map((n) => [n.category, n.days])).toEqual([['reviews', 0]]);
    expect(to(tenant.appAdmin.user.email)).toHaveLength(0);
    // Nothing chosen: nothing at all.
    expect((await notificationsOf(tenant.approver)).total).toBe(0);
    expect(to(tenant.approver.user.email)).toHaveLength(0);
    // The site admin kept the defaults: all three, and the email.
    expect((await notificationsOf(tenant.siteAdmin)).total).toBe(3);
    expect(to(tenant.siteAdmin.user.email)).toHaveLength(1);

    const [digest] = await queryRows<{ emailed: boolean; items: number }>(
      t.database.db,
      sql`select emailed, items from reminder_digests where user_id = ${tenant.appAdmin.user.id}`,
    );
    expect(digest).toEqual({ emailed: false, items: 1 });
  }, 120_000);
});

/** The UTC day `n` days after `day`. */
const dayAfter = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe('staff requests waiting for triage', () => {
  /** A staff member asks for an app through the public request page, leaving their email. */
  async function requestApp(token: string, appName: string, email: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/staff-requests', payload: { token, appName, purpose: 'Grade 3 writing projects', grades: ['3'], email } });
    expect(res.statusCode, res.body).toBe(201);
    const [row] = await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.appName, appName)));
    // The day it was made, as the database's clock put it (UTC).
    return { id: row!.id, day: row!.createdAt.toISOString().slice(0, 10) };
  }

  it('reminds of each waiting request from the day after it was made, every day while it waits, never once triaged; never names the requester', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await withSystem(t.database.db, (tx) => tx.update(users).set({ language: 'fr' }).where(eq(users.id, tenant.appAdmin.user.id)));
    const link = await tenant.siteAdmin.request('POST', '/api/v1/staff-requests/link');
    expect(link.statusCode, link.body).toBe(201);
    const token = link.json().token as string;
    const tag = Math.random().toString(36).slice(2);
    const emails = [`teacher-a-${tag}@staff.example`, `teacher-b-${tag}@staff.example`, `teacher-c-${tag}@staff.example`];
    const names = [`Story Maker ${tag}`, `Math Quest ${tag}`, `Word Garden ${tag}`];
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await requestApp(token, names[i]!, emails[i]!));
    const [accepted, declined, waiting] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
    const day0 = waiting.day;
    const triageOf = async (c: Client, day: string) => (await notificationsOf(c)).items.filter((n) => n.category === 'triage' && n.day === day);
    const mine = (c: Client) => to(c.user.email).filter((m) => m.subject?.includes(tenant.institution.name));

    // Its own day: not yet.
    await runDay(day0);
    expect(await triageOf(tenant.siteAdmin, day0)).toEqual([]);
    expect(mine(tenant.siteAdmin)).toHaveLength(0);

    // The next day: one line per waiting request, one day waiting, linked to the triage queue.
    const day1 = dayAfter(day0);
    await runDay(day1);
    const lines = await triageOf(tenant.siteAdmin, day1);
    expect(lines.map((n) => [n.subject, n.days, n.date, n.link]).sort()).toEqual(names.map((n) => [n, 1, day0, '/requests']).sort());
    expect((await triageOf(tenant.appAdmin, day1)).length).toBe(3);
    const en = mine(tenant.siteAdmin);
    expect(en).toHaveLength(1);
    expect(en[0]!.subject).toBe(`Vetted: 3 reminders for ${tenant.institution.name}`);
    expect(en[0]!.text).toContain('Staff requests waiting for triage');
    const longEn = new Intl.DateTimeFormat('en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day0}T00:00:00Z`));
    expect(en[0]!.text).toContain(`A staff request for ${names[0]} has waited 1 day for triage (requested ${longEn}).`);
    expect(en[0]!.text).toContain('http://localhost:3000/requests');
    expect(en[0]!.html).toContain('<a href="http://localhost:3000/requests">');
    const fr = mine(tenant.appAdmin);
    expect(fr).toHaveLength(1);
    expect(fr[0]!.subject).toBe(`Vetted : 3 rappels pour ${tenant.institution.name}`);
    expect(fr[0]!.text).toContain('Demandes du personnel en attente de triage');
    const longFr = new Intl.DateTimeFormat('fr-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day0}T00:00:00Z`));
    expect(fr[0]!.text).toContain(`Une demande du personnel pour ${names[0]} attend le triage depuis 1 jour (faite le ${longFr}).`);

    // One accepted, one declined: only the one still waiting, two days now (counted from the digest's day).
    const ok = await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${accepted.id}/accept`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    const no = await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${declined.id}/decline`, { reason: 'We already have a writing app.' });
    expect(no.statusCode, no.body).toBe(200);
    const day2 = dayAfter(day0, 2);
    await runDay(day2);
    expect((await triageOf(tenant.siteAdmin, day2)).map((n) => [n.subject, n.days])).toEqual([[names[2], 2]]);
    const second = mine(tenant.siteAdmin).at(-1)!;
    expect(second.text).toContain(`A staff request for ${names[2]} has waited 2 days for triage`);
    expect(second.text).not.toContain(names[0]);
    expect(second.text).not.toContain(names[1]);
    expect(mine(tenant.appAdmin).at(-1)!.text).toContain(`attend le triage depuis 2 jours`);

    // A person who turns the category off hears nothing of it.
    const off = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: ['reviews'], byEmail: true, decisionWaitDays: 7 });
    expect(off.statusCode, off.body).toBe(200);
    const day3 = dayAfter(day0, 3);
    await runDay(day3);
    expect((await triageOf(tenant.siteAdmin, day3)).map((n) => n.days)).toEqual([3]);
    expect(await triageOf(tenant.appAdmin, day3)).toEqual([]);

    // The requesters' emails are in no notification and no digest.
    const rows = await queryRows<{ row: string }>(t.database.db, sql`select n::text as row from notifications n where tenant_id = ${tenant.institution.id}`);
    expect(rows.length).toBeGreaterThan(0);
    const digestsSent = [...mine(tenant.siteAdmin), ...mine(tenant.appAdmin), ...mine(tenant.approver)];
    for (const email of emails) {
      expect(rows.some((r) => r.row.toLowerCase().includes(email))).toBe(false);
      expect(digestsSent.some((m) => `${m.text}${m.html}`.toLowerCase().includes(email))).toBe(false);
    }
  }, 180_000);
});

describe('reminder choices', () => {
  it('starts from the role’s defaults, refuses bad input field by field without writing, and audits a change', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const defaults = await tenant.appAdmin.request('GET', '/api/v1/me/reminder-preferences');
    expect(defaults.json()).toEqual({
      categories: ['reviews', 'agreements', 'decisions', 'triage'],
      byEmail: true,
      decisionWaitDays: 7,
      isDefault: true,
      available: ['reviews', 'agreements', 'decisions', 'triage'],
    });
    const bad = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: ['reviews', 'gossip'], byEmail: 'yes', decisionWaitDays: 0 });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['byEmail', 'categories.1', 'decisionWaitDays']);
    const repeated = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: ['reviews', 'reviews'], byEmail: true, decisionWaitDays: 3 });
    expect(repeated.statusCode).toBe(400);
    expect(Object.keys(repeated.json().error.fields)).toEqual(['categories']);
    const extra = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: [], byEmail: true, decisionWaitDays: 3, userId: tenant.siteAdmin.user.id });
    expect(extra.statusCode).toBe(400);
    expect((await tenant.appAdmin.request('GET', '/api/v1/me/reminder-preferences')).json().isDefault).toBe(true);

    const ok = await tenant.appAdmin.request('PUT', '/api/v1/me/reminder-preferences', { categories: ['decisions', 'reviews'], byEmail: false, decisionWaitDays: 14 });
    expect(ok.json()).toMatchObject({ categories: ['reviews', 'decisions'], byEmail: false, decisionWaitDays: 14 });
    // Another person's choices are untouched.
    expect((await tenant.siteAdmin.request('GET', '/api/v1/me/reminder-preferences')).json().isDefault).toBe(true);
    const events = await queryRows<{ action: string; record_id: string }>(
      t.database.db,
      sql`select action, record_id from audit_events where tenant_id = ${tenant.institution.id} and action = 'reminders.preferences_update'`,
    );
    expect(events).toEqual([{ action: 'reminders.preferences_update', record_id: tenant.appAdmin.user.id }]);
  });
});

describe('the notification centre', () => {
  it('counts unread, marks one and all read; another person or institution gets 404 and changes nothing', async () => {
    const tenant = await institutionWithDueItems();
    const other = await buildTenantWithUsers(t.app, t.database.db);
    await digests.runInstitution(tenant.institution.id, DAY.reviewToday);
    const admin = tenant.siteAdmin;
    expect(await unreadOf(admin)).toBe(3);
    const [one, two] = (await notificationsOf(admin)).items;

    // Another person of the same institution, and another institution's site admin: 404, nothing changes.
    expect((await tenant.appAdmin.request('POST', `/api/v1/me/notifications/${one!.id}/read`)).statusCode).toBe(404);
    expect((await other.siteAdmin.request('POST', `/api/v1/me/notifications/${one!.id}/read`)).statusCode).toBe(404);
    expect((await other.siteAdmin.request('GET', '/api/v1/me/notifications')).json()).toEqual({ items: [], total: 0, unread: 0 });
    expect((await tenant.appAdmin.request('GET', '/api/v1/me/notifications')).json().items.map((n: { id: string }) => n.id)).not.toContain(one!.id);
    expect((await other.siteAdmin.request('POST', '/api/v1/me/notifications/read-all')).json()).toEqual({ marked: 0 });
    expect(await unreadOf(admin)).toBe(3);

    expect((await admin.request('POST', `/api/v1/me/notifications/${one!.id}/read`)).statusCode).toBe(204);
    expect(await unreadOf(admin)).toBe(2);
    // Read again: still fine, still 2, one audit event.
    expect((await admin.request('POST', `/api/v1/me/notifications/${one!.id}/read`)).statusCode).toBe(204);
    expect(await unreadOf(admin)).toBe(2);
    const unreadOnly = await admin.request('GET', '/api/v1/me/notifications?unread=true');
    expect(unreadOnly.json().items.map((n: { id: string }) => n.id)).toContain(two!.id);
    expect(unreadOnly.json().items.map((n: { id: string }) => n.id)).not.toContain(one!.id);
    expect((await admin.request('POST', '/api/v1/me/notifications/read-all')).json()).toEqual({ marked: 2 });
    expect(await unreadOf(admin)).toBe(0);
    // The others of the institution still have theirs unread.
    expect(await unreadOf(tenant.appAdmin)).toBe(3);
    const events = await queryRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_events where tenant_id = ${tenant.institution.id} and action like 'notification.%' order by id`,
    );
    expect(events.map((e) => e.action)).toEqual(['notification.read', 'notification.read_all']);

    expect((await admin.request('GET', '/api/v1/me/notifications?unread=maybe')).statusCode).toBe(400);
    expect((await admin.request('POST', '/api/v1/me/notifications/not-an-id/read')).statusCode).toBe(400);
  }, 120_000);

  it('row-level security shows request code only the person the transaction names, even with no filter', async () => {
    const tenant = await institutionWithDueItems();
    await digests.runInstitution(tenant.institution.id, DAY.reviewToday);
    const { withTenant, unsafeTenantScope } = await import('../../src/server/platform/db.js');
    const scope = unsafeTenantScope(tenant.institution.id);
    const seen = (userId: string | null) =>
      withTenant(t.database.db, scope, async (tx) => {
        if (userId) await tx.execute(sql`select set_config('app.user_id', ${userId}, true)`);
        return queryRows<{ user_id: string }>(tx, sql`select user_id from notifications`);
      });
    expect(await seen(null)).toEqual([]);
    const own = await seen(tenant.appAdmin.user.id);
    expect(own.length).toBe(3);
    expect(own.every((r) => r.user_id === tenant.appAdmin.user.id)).toBe(true);
  }, 120_000);

  it('is the institution’s people’s alone: the operator has none', async () => {
    const { buildUser, signIn } = await import('../support/factories.js');
    const operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
    expect((await operator.request('GET', '/api/v1/me/notifications/unread-count')).statusCode).toBe(403);
    expect((await operator.request('GET', '/api/v1/me/reminder-preferences')).statusCode).toBe(403);
  });
});
