/**
 * Vetted's own privacy policy through the API, with a real SMTP server on loopback: the operator
 * publishes; a significant version reaches each active site admin of each active institution once,
 * in their language, with an in-app notice until acknowledged; a minor one sends nothing; bad input is
 * a 400 naming the fields; the public page shows the version in force and the history.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { institutions, users } from '../../src/server/db/schema/index.js';
import { queryRows, withSystem } from '../../src/server/platform/db.js';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { createTestApp, mailTo, settleOutbox, type TestApp } from '../support/test-app.js';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
}, 120_000);
afterAll(async () => t?.close());

const body = (kind: 'significant' | 'minor', n: string) => ({
  kind,
  effectiveOn: '2026-01-15',
  bodyEn: `# Privacy policy ${n}\n\nWe keep **little**.`,
  bodyFr: `# Politique de confidentialité ${n}\n\nNous gardons **peu**.`,
  summaryEn: kind === 'significant' ? `What changed in ${n}` : '',
  summaryFr: kind === 'significant' ? `Ce qui change dans ${n}` : '',
});

const to = (address: string) => mailTo(t, address);

const outboxSettled = () => settleOutbox(t);

describe('the privacy policy', () => {
  it('refuses bad input with a message per field, and anyone but the operator', async () => {
    const bad = await operator.request('POST', '/api/v1/privacy-policy/versions', { kind: 'major', effectiveOn: 'soon', bodyEn: '', bodyFr: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(expect.arrayContaining(['kind', 'effectiveOn', 'bodyEn']));
    const noSummary = await operator.request('POST', '/api/v1/privacy-policy/versions', { ...body('significant', 'x'), summaryFr: '' });
    expect(noSummary.statusCode).toBe(400);
    expect(noSummary.json().error.fieldCodes).toEqual({ summaryFr: 'summary_required' });
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    expect((await tenant.siteAdmin.request('POST', '/api/v1/privacy-policy/versions', body('minor', 'x'))).statusCode).toBe(403);
  });

  it('emails each active site admin of each active institution once, in their language, and shows them a notice until acknowledged', async () => {
    const english = await buildTenantWithUsers(t.app, t.database.db);
    const quebec = await buildTenantWithUsers(t.app, t.database.db, { subdivision: 'QC' });
    const chosenFr = await buildUser(t.database.db, { tenantId: english.institution.id, role: 'site_admin' });
    await withSystem(t.database.db, (tx) => tx.update(users).set({ language: 'fr' }).where(eq(users.id, chosenFr.id)));
    const disabled = await buildUser(t.database.db, { tenantId: english.institution.id, role: 'site_admin' });
    await withSystem(t.database.db, (tx) => tx.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled.id)));
    const leaving = await buildTenantWithUsers(t.app, t.database.db);
    await withSystem(t.database.db, (tx) => tx.update(institutions).set({ status: 'offboarding' }).where(eq(institutions.id, leaving.institution.id)));

    const res = await operator.request('POST', '/api/v1/privacy-policy/versions', body('significant', 'A'));
    expect(res.statusCode, res.body).toBe(201);
    const { version, notified } = res.json();
    expect(version.kind).toBe('significant');
    await outboxSettled();

    const en = to(english.siteAdmin.user.email);
    expect(en).toHaveLength(1);
    expect(en[0]!.subject).toBe(`Vetted is changing its privacy policy (version ${version.number})`);
    expect(en[0]!.text).toContain('What changed in A');
    expect(en[0]!.text).toContain('http://localhost:3000/privacy');
    expect(en[0]!.html).toContain('<a href="http://localhost:3000/privacy">');
    const qc = to(quebec.siteAdmin.user.email);
    expect(qc).toHaveLength(1);
    expect(qc[0]!.subject).toBe(`Vetted modifie sa politique de confidentialité (version ${version.number})`);
    expect(qc[0]!.text).toContain('Ce qui change dans A');
    expect(qc[0]!.text).toContain('15 janvier 2026');
    expect(to(chosenFr.email)[0]!.subject).toMatch(/^Vetted modifie/);
    // Not app admins, not disabled admins, not institutions on their way out.
    expect(to(english.appAdmin.user.email)).toHaveLength(0);
    expect(to(disabled.email)).toHaveLength(0);
    expect(to(leaving.siteAdmin.user.email)).toHaveLength(0);
    expect(notified).toBeGreaterThanOrEqual(3);

    // Delivery per recipient, for the operator.
    const deliveries = await operator.request('GET', `/api/v1/privacy-policy/versions/${version.number}/deliveries`);
    expect(deliveries.statusCode).toBe(200);
    expect(deliveries.json().counts).toEqual({ queued: 0, sent: notified, failed: 0 });
    expect(deliveries.json().recipients).toContainEqual({
      email: english.siteAdmin.user.email,
      institutionName: english.institution.name,
      status: 'sent',
      acknowledged: false,
    });
    expect((await english.siteAdmin.request('GET', `/api/v1/privacy-policy/versions/${version.number}/deliveries`)).statusCode).toBe(403);

    // The notice, until acknowledged; only for site admins.
    const notices = await english.siteAdmin.request('GET', '/api/v1/privacy-policy/notices');
    expect(notices.json()).toEqual([{ versionId: version.id, number: version.number, effectiveOn: '2026-01-15', summaryEn: 'What changed in A', summaryFr: 'Ce qui change dans A' }]);
    expect((await english.appAdmin.request('GET', '/api/v1/privacy-policy/notices')).json()).toEqual([]);
    // Another institution's admin cannot acknowledge it for them; app admins may not at all.
    expect((await english.appAdmin.request('POST', `/api/v1/privacy-policy/notices/${version.id}/acknowledge`)).statusCode).toBe(403);
    const later = await buildTenantWithUsers(t.app, t.database.db);
    expect((await later.siteAdmin.request('POST', `/api/v1/privacy-policy/notices/${version.id}/acknowledge`)).statusCode).toBe(404);
    expect((await english.siteAdmin.request('POST', `/api/v1/privacy-policy/notices/${version.id}/acknowledge`)).statusCode).toBe(204);
    expect((await english.siteAdmin.request('GET', '/api/v1/privacy-policy/notices')).json()).toEqual([]);
    expect((await english.siteAdmin.request('POST', `/api/v1/privacy-policy/notices/${version.id}/acknowledge`)).statusCode).toBe(404);
    expect((await quebec.siteAdmin.request('GET', '/api/v1/privacy-policy/notices')).json()).toHaveLength(1);
    const after = await operator.request('GET', `/api/v1/privacy-policy/versions/${version.number}/deliveries`);
    expect(after.json().recipients.find((r: { email: string }) => r.email === english.siteAdmin.user.email).acknowledged).toBe(true);

    // The publication and the acknowledgement are audited.
    const events = await queryRows<{ action: string }>(
      t.database.db,
      sql`select action from audit_events where record_id = ${version.id} order by id`,
    );
    expect(events.map((e) => e.action)).toEqual(['privacy_policy.publish', 'privacy_policy.acknowledge']);

    // Running the workers again sends nothing more.
    const before = t.smtp.messages.length;
    await outboxSettled();
    expect(t.smtp.messages.length).toBe(before);
  });

  it('sends nothing for a minor version, and shows the version in force with the history in public', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const before = t.smtp.messages.length;
    const res = await operator.request('POST', '/api/v1/privacy-policy/versions', { ...body('minor', 'B'), effectiveOn: '2026-02-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().notified).toBe(0);
    await outboxSettled();
    expect(t.smtp.messages.length).toBe(before);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/privacy-policy/notices')).json()).toEqual([]);

    const future = await operator.request('POST', '/api/v1/privacy-policy/versions', { ...body('minor', 'C'), effectiveOn: '2999-01-01' });
    const pub = await t.app.inject({ method: 'GET', url: '/api/v1/public/privacy-policy' });
    expect(pub.statusCode).toBe(200);
    // In force: the newest whose day has come (not the one taking effect in 2999).
    expect(pub.json().current.number).toBe(res.json().version.number);
    expect(pub.json().current.bodyFr).toContain('Nous gardons **peu**.');
    expect(pub.json().history.map((h: { number: number }) => h.number)).toEqual([future.json().version.number, res.json().version.number, res.json().version.number - 1]);
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/public/privacy-policy/versions/${future.json().version.number}` });
    expect(one.json().bodyEn).toContain('# Privacy policy C');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/public/privacy-policy/versions/9999' })).statusCode).toBe(404);
  });
});
