/**
 * Staff requests through the real HTTP app, database and SMTP server: the request link (open, rotate,
 * close), the public request and status pages, 400 per field, triage (accept with a pre-filled PIA,
 * merge, decline), and the requester's email: sealed, never audited, erased once the decision mail is
 * sent, and found afterwards in no column of any table.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, mailOutbox, staffRequests } from '../../src/server/db/schema/index.js';
import { unsafeTenantScope, withSystem, withTenant } from '../../src/server/platform/db.js';
import { listRequestsWaitingForTriage } from '../../src/server/modules/requests/requests.repo.js';
import { seedPiaBank } from '../../src/server/seed/seed-pia-bank.js';
import { buildCatalogApp, buildTenantWithUsers, type Client } from '../support/factories.js';
import { columnsHolding } from '../support/scan.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await withSystem(t.database.db, (tx) => seedPiaBank(tx, new Map()));
});
afterAll(async () => t?.close());

type Json = Record<string, any>;
type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;

const publicGet = (url: string) => t.app.inject({ method: 'GET', url });
// Each request from its own address: the per-address limit (20 an hour) has its own test below.
let addresses = 0;
const submit = (payload: Json) =>
  t.app.inject({ method: 'POST', url: '/api/v1/public/staff-requests', payload, remoteAddress: `198.51.100.${(addresses++ % 250) + 1}` });

async function openLink(admin: Client): Promise<string> {
  const res = await admin.request('POST', '/api/v1/staff-requests/link');
  expect(res.statusCode, res.body).toBe(201);
  return res.json().token as string;
}

async function requestApp(token: string, extra: Json = {}): Promise<{ statusToken: string; id: string; tenantId: string }> {
  const res = await submit({ token, appName: `Story Maker ${Math.random().toString(36).slice(2)}`, purpose: 'Grade 3 writing projects', grades: ['3'], ...extra });
  expect(res.statusCode, res.body).toBe(201);
  const statusToken = res.json().statusToken as string;
  const rows = await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).orderBy(staffRequests.createdAt));
  const row = rows.at(-1)!;
  return { statusToken, id: row.id, tenantId: row.tenantId };
}

const rowOf = async (id: string) => (await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.id, id))))[0]!;

/** Sends what the outbox holds (the job workers' part), then waits for the mail to `to`. */
async function mailTo(to: string) {
  await t.jobs.runPending();
  return t.smtp.waitFor(to, 20_000);
}

/** Answers every required question still unanswered, then submits and decides. */
async function decide(admin: Client, assessmentId: string, decision: string, extra: Json = {}) {
  let pia = (await admin.request('GET', `/api/v1/assessments/${assessmentId}`)).json();
  for (const s of pia.revision.sections)
    for (const q of s.questions) {
      if (!q.required || q.answer?.value != null) continue;
      const value = q.kind === 'yes_no_unsure' ? 'yes' : q.kind === 'single_choice' ? q.options.choices[0].value : 'Answered for the test';
      const saved = await admin.request('PUT', `/api/v1/assessments/${assessmentId}/answers/${q.id}`, { value, version: 0 });
      expect(saved.statusCode, saved.body).toBe(200);
    }
  pia = (await admin.request('GET', `/api/v1/assessments/${assessmentId}`)).json();
  const submitted = await admin.request('POST', `/api/v1/assessments/${assessmentId}/submit`, { version: pia.version });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const decided = await admin.request('POST', `/api/v1/assessments/${assessmentId}/decide`, { version: submitted.json().version, decision, ...extra });
  expect(decided.statusCode, decided.body).toBe(200);
  return decided.json();
}

describe('the request link', () => {
  it('opens, rotates (the old link is 404 at once) and closes; only site admins manage it', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/staff-requests/link')).json()).toEqual({ open: false, openedAt: null });
    expect((await tenant.appAdmin.request('POST', '/api/v1/staff-requests/link')).statusCode).toBe(403);
    const first = await openLink(tenant.siteAdmin);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const page = await publicGet(`/api/v1/public/staff-requests/page?token=${first}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().institution.name).toBe(tenant.institution.name);
    expect(page.json().schools.map((s: Json) => s.id).sort()).toEqual(tenant.schools.map((s) => s.id).sort());
    // Only the keyed hash is stored.
    expect(await columnsHolding(t.database.db, first)).toEqual([]);

    const second = await openLink(tenant.siteAdmin);
    expect(second).not.toBe(first);
    expect((await publicGet(`/api/v1/public/staff-requests/page?token=${first}`)).statusCode).toBe(404);
    expect((await submit({ token: first, appName: 'Old link', purpose: 'x' })).statusCode).toBe(404);
    expect((await publicGet(`/api/v1/public/staff-requests/page?token=${second}`)).statusCode).toBe(200);

    expect((await tenant.siteAdmin.request('DELETE', '/api/v1/staff-requests/link')).statusCode).toBe(204);
    expect((await publicGet(`/api/v1/public/staff-requests/page?token=${second}`)).statusCode).toBe(404);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/staff-requests/link')).json().open).toBe(false);
    const actions = await withSystem(t.database.db, (tx) => tx.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.tenantId, tenant.institution.id)));
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['staff_request_link.open', 'staff_request_link.rotate', 'staff_request_link.close']));
  });
});

describe('the public request page', () => {
  let tenant: Tenant;
  let other: Tenant;
  let token: string;
  beforeAll(async () => {
    tenant = await buildTenantWithUsers(t.app, t.database.db, { gradeLevels: ['K', '1', '2', '3'] });
    other = await buildTenantWithUsers(t.app, t.database.db);
    token = await openLink(tenant.siteAdmin);
  });

  it('answers 400 per field and writes nothing', async () => {
    const before = (await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.tenantId, tenant.institution.id)))).length;
    const bad = await submit({ token, purpose: '', grades: ['12', '12'], studentCount: -1, email: 'not-an-email', dataElements: ['nonsense'] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['purpose', 'grades', 'studentCount', 'email', 'dataElements.0']));
    expect((await submit({ token, purpose: 'No app named' })).json().error.fields).toMatchObject({ appName: expect.any(String) });
    const refs = await submit({ token, appName: 'Refs', purpose: 'x', grades: ['12'], schoolIds: [other.schools[0]!.id], catalogAppId: undefined });
    expect(refs.statusCode).toBe(400);
    expect(refs.json().error.fields).toMatchObject({ 'grades.0': expect.any(String), 'schoolIds.0': expect.any(String) });
    const unknownApp = await submit({ token, catalogAppId: '00000000-0000-4000-8000-000000000000', purpose: 'x' });
    expect(unknownApp.json().error.fields).toMatchObject({ catalogAppId: expect.any(String) });
    const after = (await withSystem(t.database.db, (tx) => tx.select().from(staffRequests).where(eq(staffRequests.tenantId, tenant.institution.id)))).length;
    expect(after).toBe(before);
    expect((await submit({ token: 'guessed', appName: 'x', purpose: 'x' })).statusCode).toBe(404);
  });

  it('keeps the email sealed, out of the queue and the audit log; the status token is only hashed', async () => {
    const email = `teacher.${Date.now()}@staff.example.org`;
    const r = await requestApp(token, { email, schoolIds: [tenant.schools[0]!.id], studentCount: 25 });
    const row = await rowOf(r.id);
    expect(row.requesterEmailSecret).toMatch(/^v2\./);
    expect(row.statusTokenHash).not.toContain(r.statusToken);
    expect(await columnsHolding(t.database.db, email)).toEqual([]);
    expect(await columnsHolding(t.database.db, r.statusToken)).toEqual([]);
    const queue = await tenant.appAdmin.request('GET', '/api/v1/staff-requests?status=waiting');
    expect(queue.statusCode).toBe(200);
    const item = queue.json().items.find((i: Json) => i.id === r.id);
    expect(item).toMatchObject({ status: 'waiting', awaitsMail: true, studentCount: 25, grades: ['3'] });
    expect(queue.body).not.toContain(email);
    const status = await publicGet(`/api/v1/public/staff-requests/status?token=${r.statusToken}`);
    expect(status.json()).toMatchObject({ stage: 'waiting', institutionName: tenant.institution.name });
    // Another institution's admin: 404 for this request.
    expect((await other.siteAdmin.request('GET', `/api/v1/staff-requests/${r.id}`)).statusCode).toBe(404);
    expect((await other.siteAdmin.request('POST', `/api/v1/staff-requests/${r.id}/decline`, { reason: 'no' })).statusCode).toBe(404);
    expect((await rowOf(r.id)).status).toBe('waiting');
  });
});

describe('triage', () => {
  it('accepts into review with a pre-filled PIA; the decision mail reaches the requester, then the email is gone everywhere', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const app = await buildCatalogApp(t.database.db, { storageCountries: ['CA'], dataElements: ['name', 'email'] });
    const token = await openLink(tenant.siteAdmin);
    const email = `requester.${Date.now()}@staff.example.org`;
    const res = await submit({ token, catalogAppId: app.id, purpose: 'Reading circles', grades: ['4', '5'], audiences: ['students'], dataElements: ['grade'], email, language: 'fr' });
    expect(res.statusCode, res.body).toBe(201);
    const statusToken = res.json().statusToken as string;
    const dupEmail = `second.${Date.now()}@staff.example.org`;
    const dup = await submit({ token, catalogAppId: app.id, purpose: 'Same app', email: dupEmail });
    const queue = (await tenant.siteAdmin.request('GET', '/api/v1/staff-requests')).json().items as Json[];
    const first = queue.find((q) => q.purpose === 'Reading circles')!;
    const second = queue.find((q) => q.purpose === 'Same app')!;
    expect(dup.statusCode).toBe(201);

    const merged = await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${second.id}/merge`, { intoId: first.id });
    expect(merged.json()).toMatchObject({ status: 'merged', mergedIntoId: first.id });
    expect((await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${first.id}/merge`, { intoId: first.id })).json().error.fields).toMatchObject({ intoId: expect.any(String) });

    const accepted = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${first.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', inventoryStatus: 'in_review' });
    expect((await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${first.id}/accept`, {})).statusCode).toBe(409);
    const item = (await tenant.appAdmin.request('GET', `/api/v1/inventory/${accepted.json().inventoryItemId}`)).json();
    expect(item).toMatchObject({ catalogAppId: app.id, grades: ['4', '5'], audiences: ['students'], purpose: 'Reading circles' });
    expect([...item.dataElements].sort()).toEqual(['email', 'grade', 'name']);
    const pia = (await tenant.appAdmin.request('GET', `/api/v1/assessments/${accepted.json().assessmentId}`)).json();
    const answers = new Map<string, unknown>(pia.revision.sections.flatMap((s: Json) => s.questions.map((q: Json) => [q.key, q.answer?.value ?? null])));
    expect(answers.get('b.purpose')).toBe('Reading circles');
    expect(answers.get('b.grades')).toEqual(['4', '5']);
    expect(answers.get('b.audiences')).toEqual(['students']);
    expect([...(answers.get('c.data_elements') as string[])].sort()).toEqual(['email', 'grade', 'name']);
    expect(answers.get('f.storage_countries')).toEqual(['CA']);
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${statusToken}`)).json().stage).toBe('in_review');

    await decide(tenant.siteAdmin, pia.id, 'approved_with_conditions', { conditions: 'Use class codes, no student emails.' });
    const mail = await mailTo(email);
    expect(mail.subject).toContain('approuvée avec conditions');
    expect(mail.text).toContain('Use class codes, no student emails.');
    const dupMail = await mailTo(dupEmail);
    expect(dupMail.text).toContain('approved with conditions');
    // Sent: the outbox keeps neither the address nor the content.
    const outbox = await withSystem(t.database.db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.template, 'staff-request-decision')));
    expect(outbox.filter((m) => m.institutionId === tenant.institution.id).map((m) => [m.status, m.recipient, m.content])).toEqual([
      ['sent', '', null],
      ['sent', '', null],
    ]);
    expect((await rowOf(first.id)).requesterEmailSecret).toBeNull();
    expect((await rowOf(second.id)).requesterEmailSecret).toBeNull();
    const status = (await publicGet(`/api/v1/public/staff-requests/status?token=${statusToken}`)).json();
    expect(status).toMatchObject({ stage: 'approved_with_conditions', guidance: 'Use class codes, no student emails.' });
    // The scan sees what it looks for (a user's email), and neither requester's email anywhere.
    expect(await columnsHolding(t.database.db, tenant.siteAdmin.user.email)).toContain('public.users.email');
    expect(await columnsHolding(t.database.db, email)).toEqual([]);
    expect(await columnsHolding(t.database.db, dupEmail)).toEqual([]);
  });

  it('declines with a reason: the requester hears it, and the email is erased', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const email = `declined.${Date.now()}@staff.example.org`;
    const r = await requestApp(token, { email });
    const empty = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${r.id}/decline`, { reason: '  ' });
    expect(empty.json().error.fields).toMatchObject({ reason: expect.any(String) });
    const declined = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${r.id}/decline`, { reason: 'We already approved a similar app.' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', awaitsMail: false });
    expect((await rowOf(r.id)).requesterEmailSecret).toBeNull();
    const mail = await mailTo(email);
    expect(mail.text).toContain('We already approved a similar app.');
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${r.statusToken}`)).json()).toMatchObject({ stage: 'declined', declineReason: 'We already approved a similar app.' });
    expect(await columnsHolding(t.database.db, email)).toEqual([]);
    const events = await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, r.id)));
    expect(events.map((e) => e.action).sort()).toEqual(['staff_request.create', 'staff_request.decline', 'staff_request.notify']);
  });
});

describe('an accepted request whose app is removed before a decision', () => {
  it('is declined with a reason its status page shows, in the same transaction as the removal; no sealed email is left', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const email = `removed.${Date.now()}@staff.example.org`;
    const dupEmail = `removed-dup.${Date.now()}@staff.example.org`;
    const first = await requestApp(token, { email, language: 'fr' });
    const dup = await requestApp(token, { email: dupEmail });
    const merged = await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${dup.id}/merge`, { intoId: first.id });
    expect(merged.statusCode, merged.body).toBe(200);
    const accepted = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${first.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const itemId = accepted.json().inventoryItemId as string;

    // Another institution cannot remove it: 404, and nothing changes.
    expect((await other.siteAdmin.request('DELETE', `/api/v1/inventory/${itemId}`)).statusCode).toBe(404);
    expect((await rowOf(first.id)).requesterEmailSecret).toMatch(/^v2\./);
    expect((await rowOf(first.id)).status).toBe('accepted');

    const removed = await tenant.appAdmin.request('DELETE', `/api/v1/inventory/${itemId}`);
    expect(removed.statusCode, removed.body).toBe(204);
    // Erased at once, by the removal itself (before any mail is sent).
    for (const id of [first.id, dup.id]) expect((await rowOf(id)).requesterEmailSecret).toBeNull();
    expect(await rowOf(first.id)).toMatchObject({ status: 'declined', declineReason: 'L’application a été retirée de l’inventaire avant qu’une décision soit prise.' });
    expect((await rowOf(dup.id)).status).toBe('merged');
    // Each requester's status page says so, in the request's words; the queue too.
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${first.statusToken}`)).json()).toMatchObject({
      stage: 'declined',
      declineReason: 'L’application a été retirée de l’inventaire avant qu’une décision soit prise.',
    });
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${dup.statusToken}`)).json().stage).toBe('declined');
    expect((await tenant.siteAdmin.request('GET', `/api/v1/staff-requests/${first.id}`)).json()).toMatchObject({ status: 'declined', awaitsMail: false, inventoryItemId: null });
    // Each hears it in their language, then the address is gone from every table.
    expect((await mailTo(email)).text).toContain('L’application a été retirée de l’inventaire');
    expect((await mailTo(dupEmail)).text).toContain('The app was removed from the inventory before a decision was made.');
    expect(await columnsHolding(t.database.db, email)).toEqual([]);
    expect(await columnsHolding(t.database.db, dupEmail)).toEqual([]);
    const events = await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, first.id)));
    expect(events.map((e) => e.action).sort()).toEqual(['staff_request.accept', 'staff_request.create', 'staff_request.decline', 'staff_request.notify']);
    expect(JSON.stringify(events)).not.toContain(email);
  });

  it('keeps an app’s decided requests as they are, and still leaves no sealed email behind', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const r = await requestApp(token);
    const accepted = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${r.id}/accept`, {});
    const itemId = accepted.json().inventoryItemId as string;
    await decide(tenant.siteAdmin, accepted.json().assessmentId, 'approved');
    expect((await tenant.appAdmin.request('DELETE', `/api/v1/inventory/${itemId}`)).statusCode).toBe(204);
    expect(await rowOf(r.id)).toMatchObject({ status: 'accepted', declineReason: '', requesterEmailSecret: null });
  });
});

describe('an accepted request whose app is retired before a decision', () => {
  it('is declined with its reason and its email erased in the retirement’s transaction; the requester hears it in English or French', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const frEmail = `retired-fr.${Date.now()}@staff.example.org`;
    const enEmail = `retired-en.${Date.now()}@staff.example.org`;
    const first = await requestApp(token, { email: frEmail, language: 'fr' });
    const dup = await requestApp(token, { email: enEmail });
    expect((await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${dup.id}/merge`, { intoId: first.id })).statusCode).toBe(200);
    const accepted = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${first.id}/accept`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    const itemId = accepted.json().inventoryItemId as string;
    // Back to requested (review put off), then retired: no decision was ever made.
    const item = (await tenant.appAdmin.request('GET', `/api/v1/inventory/${itemId}`)).json();
    const back = await tenant.appAdmin.request('POST', `/api/v1/inventory/${itemId}/transition`, { version: item.version, status: 'requested' });
    expect(back.statusCode, back.body).toBe(200);
    // A refused move (stale version) changes nothing: the email stays sealed.
    expect((await tenant.appAdmin.request('POST', `/api/v1/inventory/${itemId}/transition`, { version: item.version, status: 'retired' })).statusCode).toBe(409);
    expect((await rowOf(first.id)).requesterEmailSecret).toMatch(/^v2\./);
    const retired = await tenant.appAdmin.request('POST', `/api/v1/inventory/${itemId}/transition`, { version: back.json().version, status: 'retired' });
    expect(retired.statusCode, retired.body).toBe(200);
    // Erased by the retirement itself, before any mail is sent; the decline mails are queued with it.
    for (const id of [first.id, dup.id]) expect((await rowOf(id)).requesterEmailSecret).toBeNull();
    const queued = await withSystem(t.database.db, (tx) => tx.select().from(mailOutbox).where(eq(mailOutbox.institutionId, tenant.institution.id)));
    expect(queued.filter((m) => m.idempotencyKey.startsWith('staff-request-decision:')).map((m) => m.idempotencyKey).sort()).toEqual(
      [`staff-request-decision:${dup.id}`, `staff-request-decision:${first.id}`].sort(),
    );
    const reasonFr = 'L’application a été mise hors service avant qu’une décision soit prise.';
    expect(await rowOf(first.id)).toMatchObject({ status: 'declined', declineReason: reasonFr });
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${first.statusToken}`)).json()).toMatchObject({ stage: 'declined', declineReason: reasonFr });
    expect((await publicGet(`/api/v1/public/staff-requests/status?token=${dup.statusToken}`)).json().stage).toBe('declined');
    expect((await mailTo(frEmail)).text).toContain(reasonFr);
    expect((await mailTo(enEmail)).text).toContain('The app was retired before a decision was made.');
    expect(await columnsHolding(t.database.db, frEmail)).toEqual([]);
    expect(await columnsHolding(t.database.db, enEmail)).toEqual([]);
    const events = await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.recordId, first.id)));
    expect(JSON.stringify(events.find((e) => e.action === 'staff_request.decline')?.changes)).toContain(itemId);
    expect(JSON.stringify(events)).not.toContain(frEmail);
  });

  it('leaves a request whose app was decided before it was retired as it was', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const r = await requestApp(token);
    const accepted = await tenant.appAdmin.request('POST', `/api/v1/staff-requests/${r.id}/accept`, {});
    const itemId = accepted.json().inventoryItemId as string;
    await decide(tenant.siteAdmin, accepted.json().assessmentId, 'approved');
    const item = (await tenant.appAdmin.request('GET', `/api/v1/inventory/${itemId}`)).json();
    expect((await tenant.appAdmin.request('POST', `/api/v1/inventory/${itemId}/transition`, { version: item.version, status: 'retired' })).statusCode).toBe(200);
    expect(await rowOf(r.id)).toMatchObject({ status: 'accepted', declineReason: '' });
  });
});

describe('what leaves the service', () => {
  it('the portability archive carries the requests but not the sealed email; a backup keeps it sealed', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    const email = `archived.${Date.now()}@staff.example.org`;
    const r = await requestApp(token, { email });
    const res = await tenant.siteAdmin.request('GET', '/api/v1/institution/archive');
    expect(res.statusCode).toBe(200);
    const archive = res.json();
    const rows = archive.tables.staff_requests.rows as Json[];
    expect(rows.find((x) => x.id === r.id)).toMatchObject({ purpose: 'Grade 3 writing projects', requester_email_secret: null, status_token_hash: null });
    expect(archive.tables.staff_request_links.rows[0].link_token_hash).toBeNull();
    expect(res.body).not.toContain(email);
    // Still waiting: the request itself keeps it, sealed.
    expect((await rowOf(r.id)).requesterEmailSecret).toMatch(/^v2\./);
  });
});

describe('requests waiting for triage (for reminders)', () => {
  it('counts and lists one institution’s waiting requests, oldest first, with their age', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const token = await openLink(tenant.siteAdmin);
    await requestApp(await openLink(other.siteAdmin));
    const a = await requestApp(token);
    const b = await requestApp(token);
    const c = await requestApp(token);
    await tenant.siteAdmin.request('POST', `/api/v1/staff-requests/${c.id}/decline`, { reason: 'Not needed' });
    await withSystem(t.database.db, (tx) => tx.update(staffRequests).set({ createdAt: new Date(Date.now() - 3 * 86_400_000) }).where(eq(staffRequests.id, b.id)));
    const scope = unsafeTenantScope(tenant.institution.id);
    const waiting = await withTenant(t.database.db, scope, (tx) => listRequestsWaitingForTriage(tx, scope));
    expect(waiting.count).toBe(2);
    expect(waiting.oldestAgeDays).toBe(3);
    expect(waiting.items.map((i) => [i.id, i.ageDays])).toEqual([
      [b.id, 3],
      [a.id, 0],
    ]);
  });
});

describe('public routes', () => {
  it('limits requests per address: the 21st within the hour is refused with 429', async () => {
    const from = (i: number) => t.app.inject({ method: 'POST', url: '/api/v1/public/staff-requests', remoteAddress: '203.0.113.77', payload: { token: `not-a-link-${i}`, appName: 'x', purpose: 'x' } });
    for (let i = 0; i < 20; i++) expect((await from(i)).statusCode).toBe(404);
    expect((await from(20)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/staff-requests', remoteAddress: '203.0.113.78', payload: { token: 'not-a-link', appName: 'x', purpose: 'x' } })).statusCode).toBe(404);
  });
});
