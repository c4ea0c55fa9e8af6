/**
 * The operator's boundary inside an institution (PRODUCT.md; ADR 0007): the approval decision and the
 * rights of people are the institution's alone. The operator onboards an institution (its first site
 * admin, data loaded in its name labelled as the operator's) and, afterwards, reads only what a site
 * admin lets it read for a limited time — every grant, revocation and use in the institution's log.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations, supportGrants, users } from '../../src/server/db/schema/index.js';
import { withSystem } from '../../src/server/platform/db.js';
import { hashToken, newToken } from '../../src/server/platform/tokens.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { SAMPLE_TEMPLATE_FR, sampleSections, uniqueSlug } from '../support/pia.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;
let t: TestApp;
let operatorUser: Awaited<ReturnType<typeof buildUser>>;
let operator: Client;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  operatorUser = await buildUser(db(), { tenantId: null, role: 'platform_admin' });
  operator = await signIn(t.app, operatorUser);
});
afterAll(async () => t?.close());

const tokenOf = (text: string) => /\/invite\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
const newItem = () => ({ custom: { name: `Custom ${Math.random().toString(36).slice(2)}` }, grades: ['3'] });
const question = (a: Json, key: string): Json => a.revision.sections.flatMap((s: Json) => s.questions).find((q: Json) => q.key === key);

/** A second signed-in session of the operator, acting in `institutionId`. */
async function operatorIn(institutionId: string): Promise<Client> {
  const c = await signIn(t.app, operatorUser);
  const res = await c.request('PUT', '/api/v1/session/institution', { institutionId });
  expect(res.statusCode, res.body).toBe(200);
  return c;
}

/** A published bank template (one for each call). */
async function publishTemplate(catalogAppId: string | null = null) {
  const created = await operator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Boundary PIA', catalogAppId, jurisdictions: ['BC'], fr: SAMPLE_TEMPLATE_FR });
  expect(created.statusCode, created.body).toBe(201);
  const draft = created.json().versions[0];
  const saved = await operator.request('PUT', `/api/v1/bank/versions/${draft.id}`, { version: draft.version, changeLog: 'First', sections: sampleSections() });
  const published = await operator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return published.json() as Json;
}

/** A tenant with people, an app and an assessment submitted for review (the decision is pending). */
async function tenantWithPiaInReview() {
  const tenant = await buildTenantWithUsers(t.app, db());
  const app = await buildCatalogApp(db(), { name: `Boundary ${uniqueSlug('x')}` });
  const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', { catalogAppId: app.id, grades: ['3'], audiences: ['students'], purpose: 'Practice' });
  expect(item.statusCode, item.body).toBe(201);
  const version = await publishTemplate(app.id);
  const created = await tenant.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: version.id });
  expect(created.statusCode, created.body).toBe(201);
  const submitted = await tenant.appAdmin.request('POST', `/api/v1/assessments/${created.json().id}/submit`, { version: created.json().version });
  expect(submitted.statusCode, submitted.body).toBe(200);
  return { tenant, assessment: submitted.json() as Json };
}

const auditOf = async (siteAdmin: Client) => (await siteAdmin.request('GET', '/api/v1/audit?pageSize=200')).json().items as Json[];

describe('the operator cannot take an institution’s decisions', () => {
  it('refuses the attack: a platform admin inviting an account of its own as site admin, then approving', async () => {
    const { tenant, assessment } = await tenantWithPiaInReview();
    const inside = await operatorIn(tenant.institution.id);
    const email = `operator.alt.${Date.now()}@example.org`;
    const invite = await inside.request('POST', '/api/v1/invitations', { email, firstName: 'Own', lastName: 'Account', role: 'site_admin' });
    expect(invite.statusCode, invite.body).toBe(403);
    expect(invite.json().error.message).toMatch(/first site administrator only/);
    const asAppAdmin = await inside.request('POST', '/api/v1/invitations', { email, firstName: 'Own', lastName: 'Account', role: 'app_admin', canApprove: true });
    expect(asAppAdmin.statusCode).toBe(403);
    const rows = await withSystem(db(), (tx) => tx.select().from(invitations).where(eq(invitations.email, email)));
    expect(rows).toEqual([]);

    // Nor does the operator decide itself, or give anyone the approver right.
    const decide = await inside.request('POST', `/api/v1/assessments/${assessment.id}/decide`, { version: assessment.version, decision: 'approved' });
    expect(decide.statusCode).toBe(403);
    const grant = await inside.request('PATCH', `/api/v1/users/${tenant.appAdmin.user.id}`, { canApprove: true });
    expect(grant.statusCode, grant.body).toBe(403);
    const promote = await inside.request('PATCH', `/api/v1/users/${tenant.appAdmin.user.id}`, { role: 'site_admin' });
    expect(promote.statusCode).toBe(403);
    const [appAdmin] = await withSystem(db(), (tx) => tx.select().from(users).where(eq(users.id, tenant.appAdmin.user.id)));
    expect(appAdmin).toMatchObject({ role: 'app_admin', canApprove: false });
    expect((await tenant.siteAdmin.request('GET', `/api/v1/assessments/${assessment.id}`)).json().status).toBe('in_review');
  });

  it('voids an invitation the operator sent once the institution has a site admin (sent before these rules)', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const token = newToken();
    const email = `legacy.${Date.now()}@example.org`;
    await withSystem(db(), (tx) =>
      tx.insert(invitations).values({
        tenantId: tenant.institution.id,
        id: randomUUID(),
        email,
        firstName: 'Legacy',
        lastName: 'Invite',
        role: 'site_admin',
        tokenHash: hashToken(t.config.sessionSecret, token),
        expiresAt: new Date(Date.now() + 3600_000),
        invitedBy: operatorUser.id,
      }),
    );
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: 'a long enough passphrase' } });
    expect(accepted.statusCode, accepted.body).toBe(404);
    expect(await withSystem(db(), (tx) => tx.select().from(users).where(eq(users.email, email)))).toEqual([]);
  });

  it('never lets an operator account be invited into an institution', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const res = await tenant.siteAdmin.request('POST', '/api/v1/invitations', { email: operatorUser.email.toUpperCase(), firstName: 'Op', lastName: 'Erator', role: 'app_admin' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields.email).toMatch(/operator account/);
  });
});

describe('onboarding', () => {
  it('lets the operator create the first site admin and load data, labelled as its own, until that admin arrives', async () => {
    const firstEmail = `first.${Date.now()}@example.org`;
    const created = await operator.request('POST', '/api/v1/institutions', {
      name: `Onboarding District ${uniqueSlug('o')}`,
      kind: 'district',
      country: 'CA',
      subdivision: 'BC',
      region: 'ca',
      gradeLevels: ['K', '1', '2', '3'],
      schools: [{ name: 'Lakeside Elementary', gradeFrom: 'K', gradeTo: '3' }],
      firstSiteAdmin: { email: firstEmail, firstName: 'Dana', lastName: 'First' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const institutionId = created.json().id as string;
    const inside = await operatorIn(institutionId);
    expect((await inside.request('GET', '/api/v1/session')).json().operatorAccess).toBe('onboarding');

    // Only the one first site admin: not an app admin, not a second site admin, not itself.
    expect((await inside.request('POST', '/api/v1/invitations', { email: 'someone@example.org', firstName: 'S', lastName: 'O', role: 'app_admin' })).statusCode).toBe(403);
    const second = await inside.request('POST', '/api/v1/invitations', { email: 'second@example.org', firstName: 'S', lastName: 'A', role: 'site_admin' });
    expect(second.statusCode, second.body).toBe(409);
    expect(second.json().error.fields.email).toBeTruthy();
    const own = await inside.request('POST', '/api/v1/invitations', { email: operatorUser.email, firstName: 'O', lastName: 'Wn', role: 'site_admin' });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.fields.email).toMatch(/operator account/);
    // Re-inviting the same person replaces their invitation.
    expect((await inside.request('POST', '/api/v1/invitations', { email: firstEmail, firstName: 'Dana', lastName: 'First', role: 'site_admin' })).statusCode).toBe(201);

    // Loading data: the profile, the inventory, PIA answers (labelled as the operator's).
    expect((await inside.request('PATCH', `/api/v1/institutions/${institutionId}`, { name: 'Lakeside District' })).statusCode).toBe(200);
    expect((await inside.request('PATCH', `/api/v1/institutions/${institutionId}`, { publicSlug: `lakeside-${Date.now()}` })).statusCode).toBe(403);
    const item = await inside.request('POST', '/api/v1/inventory', newItem());
    expect(item.statusCode, item.body).toBe(201);
    const version = await publishTemplate();
    const assessment = await inside.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: version.id });
    expect(assessment.statusCode, assessment.body).toBe(201);
    const purpose = question(assessment.json(), 'storage.purpose');
    const saved = await inside.request('PUT', `/api/v1/assessments/${assessment.json().id}/answers/${purpose.id}`, { value: 'Reading practice', version: 0 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().answer.origin).toBe('onboarding');
    // It never signs off in the institution's name.
    expect(assessment.json().abilities).toMatchObject({ submit: false, decide: false });
    expect((await inside.request('POST', `/api/v1/assessments/${assessment.json().id}/submit`, { version: saved.json().assessmentVersion })).statusCode).toBe(403);

    // The first site admin accepts: the window closes at once, for the session already inside too.
    // Two invitations (at creation, then again): the outbox sends both, after their commits.
    const mailsTo = () => t.smtp.messages.filter((m) => JSON.stringify(m.to).includes(firstEmail));
    for (let waited = 0; mailsTo().length < 2 && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    const mails = mailsTo();
    expect(mails).toHaveLength(2);
    const token = tokenOf(mails[mails.length - 1]!.text ?? '');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/invitations/accept', payload: { token, password: 'tundra orchid passphrase' } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    const siteAdmin = await signIn(t.app, (await withSystem(db(), (tx) => tx.select().from(users).where(eq(users.email, firstEmail))))[0]!, 'tundra orchid passphrase');

    expect((await inside.request('GET', '/api/v1/session')).json().operatorAccess).toBeNull();
    expect((await inside.request('GET', '/api/v1/inventory')).json().error.message).toMatch(/grant time-limited support access/);
    for (const [method, url, body] of [
      ['GET', '/api/v1/inventory', undefined],
      ['GET', `/api/v1/assessments/${assessment.json().id}`, undefined],
      ['GET', '/api/v1/users', undefined],
      ['GET', '/api/v1/audit', undefined],
      ['POST', '/api/v1/inventory', newItem()],
      ['PATCH', `/api/v1/institutions/${institutionId}`, { name: 'Taken back' }],
      ['PUT', `/api/v1/assessments/${assessment.json().id}/answers/${purpose.id}`, { value: 'Changed', version: saved.json().answer.version }],
      ['POST', '/api/v1/invitations', { email: `late.${Date.now()}@example.org`, firstName: 'L', lastName: 'A', role: 'site_admin' }],
      ['PATCH', `/api/v1/users/${siteAdmin.user.id}`, { status: 'disabled' }],
    ] as const) {
      const res = await inside.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    // The operator console keeps what it needs: the institutions list, with their status.
    expect((await inside.request('GET', `/api/v1/institutions/${institutionId}`)).json()).toMatchObject({ name: 'Lakeside District', status: 'active' });

    // The institution sees the operator's answer labelled as the operator's, and every step in its log.
    const seen = question((await siteAdmin.request('GET', `/api/v1/assessments/${assessment.json().id}`)).json(), 'storage.purpose');
    expect(seen.answer).toMatchObject({ value: 'Reading practice', origin: 'onboarding' });
    const log = await auditOf(siteAdmin);
    expect(log.find((e) => e.action === 'institution.enter')).toMatchObject({ actorRole: 'platform_admin' });
    expect(log.some((e) => e.action === 'assessment.answer' && e.actorRole === 'platform_admin')).toBe(true);
    expect(log.some((e) => e.action === 'inventory.create' && e.actorRole === 'platform_admin')).toBe(true);
  });
});

describe('support access', () => {
  it('is granted by a site admin, gives read-only access, and every use is in the institution’s log', async () => {
    const { tenant, assessment } = await tenantWithPiaInReview();
    const inside = await operatorIn(tenant.institution.id);
    expect((await inside.request('GET', '/api/v1/inventory')).statusCode).toBe(403);
    expect((await inside.request('GET', '/api/v1/session')).json().operatorAccess).toBeNull();

    // Only site admins grant and see grants; bad input is refused field by field.
    expect((await tenant.appAdmin.request('POST', '/api/v1/support-access', { hours: 2, reason: 'Help' })).statusCode).toBe(403);
    expect((await inside.request('POST', '/api/v1/support-access', { hours: 2, reason: 'Help' })).statusCode).toBe(403);
    for (const body of [{ hours: 0, reason: 'x' }, { hours: 169, reason: 'x' }, { hours: 2, reason: '  ' }, { hours: 1.5, reason: 'x' }]) {
      const bad = await tenant.siteAdmin.request('POST', '/api/v1/support-access', body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(Object.keys(bad.json().error.fields)).toEqual([body.reason.trim() ? 'hours' : 'reason']);
    }
    const granted = await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 4, reason: 'Import question' });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toMatchObject({ status: 'active', hours: 4, reason: 'Import question', grantedBy: { id: tenant.siteAdmin.user.id, name: expect.any(String) }, revokedAt: null });
    const hoursLeft = (new Date(granted.json().expiresAt).getTime() - Date.now()) / 3600_000;
    expect(hoursLeft).toBeGreaterThan(3.5);
    expect(hoursLeft).toBeLessThanOrEqual(4);

    // Reads, now.
    expect((await inside.request('GET', '/api/v1/session')).json().operatorAccess).toBe('support');
    for (const url of ['/api/v1/inventory', `/api/v1/assessments/${assessment.id}`, '/api/v1/users', '/api/v1/invitations', '/api/v1/audit']) {
      expect((await inside.request('GET', url)).statusCode, url).toBe(200);
    }
    // Never a write, a decision, a sign-off, or anyone's rights.
    const purpose = question(assessment, 'storage.purpose');
    for (const [method, url, body] of [
      ['POST', '/api/v1/inventory', newItem()],
      ['PATCH', `/api/v1/institutions/${tenant.institution.id}`, { name: 'Support rename' }],
      ['PUT', `/api/v1/assessments/${assessment.id}/answers/${purpose.id}`, { value: 'x', version: 0 }],
      ['POST', `/api/v1/assessments/${assessment.id}/decide`, { version: assessment.version, decision: 'approved' }],
      ['POST', `/api/v1/assessments/${assessment.id}/return`, { version: assessment.version, comment: 'x' }],
      ['POST', '/api/v1/invitations', { email: `support.${Date.now()}@example.org`, firstName: 'S', lastName: 'U', role: 'site_admin' }],
      ['PATCH', `/api/v1/users/${tenant.appAdmin.user.id}`, { canApprove: true }],
      ['DELETE', `/api/v1/users/${tenant.appAdmin.user.id}/sessions`, undefined],
      ['DELETE', `/api/v1/support-access/${granted.json().id}`, undefined],
      ['POST', '/api/v1/exports', { format: 'xlsx' }],
    ] as const) {
      const res = await inside.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await inside.request('POST', '/api/v1/inventory', newItem())).json().error.message).toMatch(/Support access is read-only/);
    expect((await inside.request('GET', '/api/v1/support-access')).statusCode).toBe(403);

    const log = await auditOf(tenant.siteAdmin);
    expect(log.find((e) => e.action === 'support_access.grant')).toMatchObject({ recordId: granted.json().id, actorRole: 'site_admin' });
    const uses = log.filter((e) => e.action === 'support_access.use');
    expect(uses.every((e) => e.actorRole === 'platform_admin')).toBe(true);
    const paths = uses.map((e) => `${e.changes.method.after} ${e.changes.path.after}`);
    expect(paths).toEqual(expect.arrayContaining(['GET /api/v1/users', `GET /api/v1/assessments/${assessment.id}`, 'POST /api/v1/inventory']));

    // The grants, as the institution's site admins see them.
    const list = await tenant.siteAdmin.request('GET', '/api/v1/support-access');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((g: Json) => [g.id, g.status])).toEqual([[granted.json().id, 'active']]);
    expect((await tenant.appAdmin.request('GET', '/api/v1/support-access')).statusCode).toBe(403);
  });

  it('ends at its expiry, or earlier when revoked; another institution’s grant is not found', async () => {
    const tenant = await buildTenantWithUsers(t.app, db());
    const inside = await operatorIn(tenant.institution.id);
    const first = (await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 1, reason: 'Expiring' })).json();
    expect((await inside.request('GET', '/api/v1/inventory')).statusCode).toBe(200);
    await withSystem(db(), (tx) =>
      tx.update(supportGrants).set({ expiresAt: new Date(Date.now() - 1000) }).where(and(eq(supportGrants.tenantId, tenant.institution.id), eq(supportGrants.id, first.id))),
    );
    expect((await inside.request('GET', '/api/v1/inventory')).statusCode).toBe(403);
    expect((await tenant.siteAdmin.request('DELETE', `/api/v1/support-access/${first.id}`)).statusCode).toBe(409);

    const second = (await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 168, reason: 'Revoked early' })).json();
    expect((await inside.request('GET', '/api/v1/inventory')).statusCode).toBe(200);
    const other = await buildTenantWithUsers(t.app, db());
    expect((await other.siteAdmin.request('DELETE', `/api/v1/support-access/${second.id}`)).statusCode).toBe(404);
    const revoked = await tenant.siteAdmin.request('DELETE', `/api/v1/support-access/${second.id}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedBy: { id: tenant.siteAdmin.user.id } });
    expect((await inside.request('GET', '/api/v1/inventory')).statusCode).toBe(403);
    expect((await tenant.siteAdmin.request('DELETE', `/api/v1/support-access/${second.id}`)).statusCode).toBe(409);

    const statuses = (await tenant.siteAdmin.request('GET', '/api/v1/support-access')).json().items.map((g: Json) => [g.id, g.status]);
    expect(statuses).toEqual([
      [second.id, 'revoked'],
      [first.id, 'expired'],
    ]);
    expect((await auditOf(tenant.siteAdmin)).some((e) => e.action === 'support_access.revoke' && e.recordId === second.id)).toBe(true);
  });
});
