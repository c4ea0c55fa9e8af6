/**
 * The grace period after an institution's end of service: one guard refuses every state-changing
 * route for people acting in it (the routes are read from the app, so a route added later is
 * covered), while exports, the archive and the rights of individuals stay usable; the operator
 * follows and cancels offboardings.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { canonicalJson } from '../../platform/audit.js';
import { systemExportInstitution } from './archive.js';
import { createBackupService } from './backups.service.js';
import { createLifecycleService } from './lifecycle.service.js';
import { OPEN_WHILE_READ_ONLY } from './lifecycle.routes.js';

let t: TestApp;
let operator: Client;
let readOnly: Awaited<ReturnType<typeof buildPopulatedTenant>>;
let neighbour: Awaited<ReturnType<typeof buildTenantWithUsers>>;
/** A platform admin working inside the read-only institution. */
let operatorInside: Client;
let invitationToken: string;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const unsafeRoutes = () => t.app.routeList.filter((r) => r.url.startsWith('/api/v1/') && UNSAFE.has(r.method));
/** The institution's data as an archive, without the time it was made. */
const contentOf = async (id: string) => {
  const { createdAt: _c, ...rest } = await systemExportInstitution(t.database.db, id, 'backup');
  return canonicalJson(rest);
};

beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
  readOnly = await buildPopulatedTenant(t.app, t.database.db);
  neighbour = await buildTenantWithUsers(t.app, t.database.db);
  const email = `late-${randomUUID().slice(0, 8)}@example.org`;
  const invited = await readOnly.siteAdmin.request('POST', '/api/v1/invitations', {
    email,
    firstName: 'Late',
    lastName: 'Comer',
    role: 'app_admin',
  });
  expect(invited.statusCode, invited.body).toBe(201);
  invitationToken = /\/invite\?token=([A-Za-z0-9_-]+)/.exec((await t.smtp.waitFor(email)).text ?? '')![1]!;

  const off = await operator.request('PUT', `/api/v1/institutions/${readOnly.institution.id}/offboarding`, {
    contactEmail: 'dpo@example.org',
  });
  expect(off.statusCode, off.body).toBe(200);
  expect(off.json()).toMatchObject({ status: 'scheduled', phase: 'read_only' });
  operatorInside = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
  expect((await operatorInside.request('PUT', '/api/v1/session/institution', { institutionId: readOnly.institution.id })).statusCode).toBe(
    200,
  );
}, 60_000);
afterAll(async () => t?.close());

describe('a read-only institution', () => {
  it('tells the web client, on every session, until when it can be exported', async () => {
    const session = (await readOnly.appAdmin.request('GET', '/api/v1/session')).json();
    expect(session.institution.readOnly).toMatchObject({ since: expect.any(String), purgeAfter: expect.any(String) });
    expect(new Date(session.institution.readOnly.purgeAfter).getTime() - new Date(session.institution.readOnly.since).getTime()).toBe(
      7 * 24 * 3600_000,
    );
    expect((await operatorInside.request('GET', '/api/v1/session')).json().institution.readOnly).not.toBeNull();
    expect((await neighbour.siteAdmin.request('GET', '/api/v1/session')).json().institution.readOnly).toBeNull();
  });

  it('refuses every state-changing route of the app, except the listed ones, and changes nothing', async () => {
    const routes = unsafeRoutes();
    expect(routes.length).toBeGreaterThan(40);
    // The list of open routes names real routes only (a renamed route cannot leave a stale entry).
    const known = new Set(routes.map(key));
    expect(Object.keys(OPEN_WHILE_READ_ONLY).filter((k) => !known.has(k))).toEqual([]);
    expect(new Set(Object.values(OPEN_WHILE_READ_ONLY))).toEqual(new Set(['sign-in', 'own account', 'account security', 'rights', 'export', 'operator']));

    const before = await contentOf(readOnly.institution.id);
    const refused: string[] = [];
    for (const route of routes) {
      if (key(route) in OPEN_WHILE_READ_ONLY) continue;
      const url = route.url.replace(/:[A-Za-z]+/g, () => randomUUID());
      for (const [who, client] of [
        ['site admin', readOnly.siteAdmin],
        ['app admin', readOnly.appAdmin],
        ['platform admin inside', operatorInside],
      ] as const) {
        const res = await client.request(route.method as 'POST', url, {});
        expect(res.statusCode, `${who}: ${key(route)} → ${res.body}`).toBe(409);
        expect(res.json().error.code).toBe('institution_read_only');
      }
      // The same request in an active institution is answered on its merits, never as read-only.
      const control = await neighbour.siteAdmin.request(route.method as 'POST', url, {});
      expect(control.body ? control.json().error?.code : null, `${key(route)} in an active institution`).not.toBe('institution_read_only');
      refused.push(key(route));
    }
    expect(refused).toEqual(
      expect.arrayContaining([
        'POST /api/v1/inventory',
        'PATCH /api/v1/institutions/:id',
        'POST /api/v1/invitations',
        'PUT /api/v1/sso/policy',
      ]),
    );
    expect(await contentOf(readOnly.institution.id)).toBe(before);
  }, 120_000);

  it('keeps exports, the archive and the rights of individuals usable, and takes no new accounts', async () => {
    expect((await readOnly.appAdmin.request('GET', '/api/v1/inventory')).statusCode).toBe(200);
    const started = await readOnly.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(started.statusCode, started.body).toBe(202);
    await t.jobs.runPending();
    const done = await readOnly.siteAdmin.request('GET', `/api/v1/exports/${started.json().id}`);
    expect(done.json()).toMatchObject({ status: 'ready' });
    expect((await readOnly.siteAdmin.request('GET', done.json().downloadUrl)).statusCode).toBe(200);
    expect((await readOnly.siteAdmin.request('GET', '/api/v1/institution/archive')).statusCode).toBe(200);

    const fixed = await readOnly.appAdmin.request('PATCH', '/api/v1/me', { lastName: 'Corrected' });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect((await readOnly.appAdmin.request('GET', '/api/v1/me/export')).statusCode).toBe(200);
    // A site admin still resets a colleague's lost second factor and ends their sessions.
    // (This colleague never set one up: the request gets past the guard and is answered on its merits.)
    const reset = await readOnly.siteAdmin.request('DELETE', `/api/v1/users/${readOnly.appAdmin.user.id}/mfa`);
    expect(reset.json().error.message, reset.body).toBe('Two-step verification is not set up for this person.');
    const leaver = await signIn(t.app, await buildUser(t.database.db, { tenantId: readOnly.institution.id, role: 'app_admin' }));
    const ended = await readOnly.siteAdmin.request('DELETE', `/api/v1/users/${leaver.user.id}/sessions`);
    expect(ended.statusCode, ended.body).toBeLessThan(300);
    expect((await leaver.request('GET', '/api/v1/inventory')).statusCode).toBe(401);
    expect((await readOnly.approver.request('DELETE', '/api/v1/me')).statusCode).toBe(200);

    const accept = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token: invitationToken, password: 'a long enough passphrase' },
    });
    expect(accept.statusCode).toBe(409);
    expect(accept.json().error.code).toBe('institution_read_only');
  });
});

describe('following offboardings (platform admins)', () => {
  it('lists each institution in its phase, and only to platform admins', async () => {
    const requested = await buildTenantWithUsers(t.app, t.database.db);
    const req = await requested.siteAdmin.request('POST', '/api/v1/institution/offboarding-request', {
      contactEmail: 'dpo@requested.example',
    });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({ status: 'requested', phase: 'requested' });
    // Requested is not confirmed: the institution works as before.
    expect((await requested.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Still open' } })).statusCode).toBe(201);

    const later = await buildTenantWithUsers(t.app, t.database.db);
    const end = new Date(Date.now() + 10 * 24 * 3600_000).toISOString();
    const scheduled = await operator.request('PUT', `/api/v1/institutions/${later.institution.id}/offboarding`, {
      contactEmail: 'dpo@later.example',
      endOfServiceAt: end,
    });
    expect(scheduled.json()).toMatchObject({ phase: 'scheduled' });
    // Until its end of service comes, a scheduled institution can still be changed.
    expect((await later.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Before the end' } })).statusCode).toBe(201);
    expect((await later.appAdmin.request('GET', '/api/v1/session')).json().institution.readOnly).toBeNull();

    const list = await operator.request('GET', '/api/v1/offboardings');
    expect(list.statusCode).toBe(200);
    const phases = Object.fromEntries(list.json().items.map((i: { institutionId: string; phase: string }) => [i.institutionId, i.phase]));
    expect(phases[requested.institution.id]).toBe('requested');
    expect(phases[later.institution.id]).toBe('scheduled');
    expect(phases[readOnly.institution.id]).toBe('read_only');
    expect(phases[neighbour.institution.id]).toBeUndefined();
    expect((await requested.siteAdmin.request('GET', '/api/v1/offboardings')).statusCode).toBe(403);
    const own = await requested.siteAdmin.request('GET', `/api/v1/institutions/${requested.institution.id}/offboarding`);
    expect(own.json().offboarding).toMatchObject({ phase: 'requested', contactEmail: 'dpo@requested.example' });

    // The operator confirms the request as it was made.
    const confirmed = await operator.request('PUT', `/api/v1/institutions/${requested.institution.id}/offboarding`, {
      contactEmail: 'dpo@requested.example',
    });
    expect(confirmed.json()).toMatchObject({ status: 'scheduled', phase: 'read_only' });
    expect((await requested.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Too late' } })).statusCode).toBe(409);
  });

  it('moves a scheduled end of service, and the end of its grace period with it', async () => {
    const DAY = 24 * 3600_000;
    const graceMs = t.config.offboardingGraceDays * DAY;
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const id = tenant.institution.id;
    const url = `/api/v1/institutions/${id}/offboarding`;
    const move = (client: Client, endOfServiceAt: unknown, to = url) => client.request('PATCH', to, { endOfServiceAt });
    const inTenDays = new Date(Date.now() + 10 * DAY).toISOString();
    // Nothing to move yet.
    const none = await move(operator, inTenDays);
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json().error.code).toBe('invalid_transition');
    expect((await operator.request('PUT', url, { contactEmail: 'dpo@moving.example', endOfServiceAt: inTenDays })).statusCode).toBe(200);
    const scheduled = (await operator.request('GET', url)).json().offboarding;

    // Refusals leave it as it was.
    expect((await move(tenant.siteAdmin, inTenDays)).statusCode).toBe(403);
    expect((await move(tenant.appAdmin, inTenDays)).statusCode).toBe(403);
    expect((await move(operator, inTenDays, `/api/v1/institutions/${randomUUID()}/offboarding`)).statusCode).toBe(404);
    for (const bad of [undefined, 'next week', '2030-01-01', 42]) {
      const res = await move(operator, bad);
      expect(res.statusCode, `${String(bad)}: ${res.body}`).toBe(400);
      expect(res.json().error.fields).toHaveProperty('endOfServiceAt');
    }
    const extra = await operator.request('PATCH', url, { endOfServiceAt: inTenDays, contactEmail: 'someone@example.org' });
    expect(extra.statusCode).toBe(400);
    const past = await move(operator, new Date(Date.now() - DAY).toISOString());
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields.endOfServiceAt).toMatch(/future/);
    expect(past.json().error.fieldCodes).toEqual({ endOfServiceAt: 'date_not_future' });
    expect((await operator.request('GET', url)).json().offboarding).toEqual(scheduled);

    // Moved later: the grace period follows; the change and its audit event are in the institution's log.
    const inTwentyDays = new Date(Date.now() + 20 * DAY);
    inTwentyDays.setUTCMilliseconds(0);
    const moved = await move(operator, inTwentyDays.toISOString());
    expect(moved.statusCode, moved.body).toBe(200);
    const expected = {
      status: 'scheduled',
      phase: 'scheduled',
      contactEmail: 'dpo@moving.example',
      endOfServiceAt: inTwentyDays.toISOString(),
      purgeAfter: new Date(inTwentyDays.getTime() + graceMs).toISOString(),
      requestedAt: scheduled.requestedAt,
      confirmedAt: scheduled.confirmedAt,
    };
    expect(moved.json()).toEqual(expected);
    expect((await operator.request('GET', url)).json().offboarding).toEqual(expected);
    const audit = (await tenant.siteAdmin.request('GET', '/api/v1/audit?action=institution.offboard_reschedule')).json();
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      recordType: 'institution',
      recordId: id,
      changes: {
        endOfServiceAt: { before: scheduled.endOfServiceAt, after: expected.endOfServiceAt },
        purgeAfter: { before: scheduled.purgeAfter, after: expected.purgeAfter },
      },
    });
    expect((await tenant.siteAdmin.request('GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
    // A platform admin working inside a read-only institution moves another one's date too (an operator route)…
    const earlier = new Date(Date.now() + 2 * DAY).toISOString();
    expect((await move(operatorInside, earlier)).json()).toMatchObject({ phase: 'scheduled', endOfServiceAt: earlier });
    // …but the read-only institution's own date has passed: it cannot move any more.
    const tooLate = await move(operatorInside, inTenDays, `/api/v1/institutions/${readOnly.institution.id}/offboarding`);
    expect(tooLate.statusCode, tooLate.body).toBe(409);
    expect(tooLate.json().error).toMatchObject({ code: 'invalid_transition', message: expect.stringMatching(/past its end of service/) });

    // A request is confirmed with its date, not moved.
    const requested = await buildTenantWithUsers(t.app, t.database.db);
    expect((await requested.siteAdmin.request('POST', '/api/v1/institution/offboarding-request', { contactEmail: 'dpo@requested.example' })).statusCode).toBe(201);
    const unconfirmed = await move(operator, inTenDays, `/api/v1/institutions/${requested.institution.id}/offboarding`);
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error.message).toMatch(/only requested/);
  });

  it('cancels during the grace period, not once the purge has started', async () => {
    const id = readOnly.institution.id;
    expect((await readOnly.siteAdmin.request('DELETE', `/api/v1/institutions/${id}/offboarding`)).statusCode).toBe(403);
    // A platform admin working inside the read-only institution can cancel it.
    const cancel = await operatorInside.request('DELETE', `/api/v1/institutions/${id}/offboarding`);
    expect(cancel.statusCode, cancel.body).toBe(204);
    expect((await readOnly.siteAdmin.request('GET', `/api/v1/institutions/${id}/offboarding`)).json()).toEqual({ offboarding: null });
    expect((await readOnly.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Back in service' } })).statusCode).toBe(201);
    const audit = (await readOnly.siteAdmin.request('GET', '/api/v1/audit?action=institution.offboard_cancel')).json();
    expect(audit.items.length).toBe(1);
    expect((await operator.request('DELETE', `/api/v1/institutions/${id}/offboarding`)).statusCode).toBe(409);

    // Offboarded again; the purge starts (and stops midway): cancelling is now refused.
    expect((await operator.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'dpo@example.org' })).statusCode).toBe(
      200,
    );
    const ctx = { db: t.database.db, config: t.config, mailer: { send: async () => {}, folder: undefined }, jobs: t.jobs };
    const lifecycle = createLifecycleService(ctx, createBackupService(ctx));
    const stop = new Error('stopped for the test');
    await expect(
      lifecycle.systemPurge(id, {
        batchSize: 1,
        afterBatch: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const list = (await operator.request('GET', '/api/v1/offboardings')).json();
    expect(list.items.find((i: { institutionId: string }) => i.institutionId === id)).toMatchObject({ phase: 'purging' });
    // Midway, once the purge has deleted the offboarding itself, the institution stays read-only.
    await t.database.db.execute(sql`delete from offboardings where tenant_id = ${id}`);
    expect(await lifecycle.isReadOnly(id)).toBe(true);
    expect((await readOnly.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'During the purge' } })).statusCode).not.toBe(
      201,
    );
    const during = (await operator.request('GET', '/api/v1/offboardings')).json();
    expect(during.items.find((i: { institutionId: string }) => i.institutionId === id)).toMatchObject({ phase: 'purging' });
    expect((await operator.request('GET', `/api/v1/institutions/${id}/offboarding`)).json().offboarding).toMatchObject({
      phase: 'purging',
    });
    const refused = await operator.request('DELETE', `/api/v1/institutions/${id}/offboarding`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/purge .* has started/);
    const notMoved = await operator.request('PATCH', `/api/v1/institutions/${id}/offboarding`, { endOfServiceAt: new Date(Date.now() + 24 * 3600_000).toISOString() });
    expect(notMoved.statusCode).toBe(409);
    const certificate = await lifecycle.systemPurge(id);
    expect(certificate.purgeCompletedAt).not.toBeNull();
  }, 60_000);

  it('purges now, once the grace period is over, when a platform admin asks', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const id = tenant.institution.id;
    expect((await operator.request('POST', `/api/v1/institutions/${id}/purge`)).statusCode).toBe(404);
    expect((await operator.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'dpo@example.org' })).statusCode).toBe(
      200,
    );
    const early = await operator.request('POST', `/api/v1/institutions/${id}/purge`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/grace period of this institution ends on/);

    const other = await buildTenantWithUsers(t.app, t.database.db);
    const past = new Date(Date.now() - 8 * 24 * 3600_000).toISOString();
    expect(
      (
        await operator.request('PUT', `/api/v1/institutions/${other.institution.id}/offboarding`, {
          contactEmail: 'dpo@example.org',
          endOfServiceAt: past,
        })
      ).statusCode,
    ).toBe(200);
    expect((await other.siteAdmin.request('POST', `/api/v1/institutions/${other.institution.id}/purge`)).statusCode).toBe(403);
    const now = await operator.request('POST', `/api/v1/institutions/${other.institution.id}/purge`);
    expect(now.statusCode, now.body).toBe(202);
    await t.jobs.runPending();
    const certificates = (await operator.request('GET', '/api/v1/deletion-certificates')).json().items;
    expect(certificates.find((c: { institutionId: string }) => c.institutionId === other.institution.id)).toMatchObject({
      keyDestroyed: true,
      mailed: true,
    });
    expect((await operator.request('GET', `/api/v1/institutions/${other.institution.id}/offboarding`)).statusCode).toBe(404);
  }, 60_000);
});
