/**
 * The cross-tenant suite: every /api/v1 route, called by each role of institution A with the ids of
 * institution B's records, answers 404 and leaves B's rows exactly as they were. Routes added later
 * fail this suite until they are described in ROUTE_CASES, so no route escapes it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitations } from '../../src/server/db/schema/index.js';
import { queryRows, withSystem } from '../../src/server/platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let a: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let b: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let platformInA: Client;
/** B's record ids by the kind of record a route's `:id` names. */
const bIds: Record<string, string> = {};
const aIds: Record<string, string> = {};

type Body = (ids: Record<string, string>) => unknown;
/** How to call each route with a body that is valid, so that only the tenant check can refuse it. */
type Role = 'site' | 'app' | 'approver' | 'platform';
/**
 * `forbidden`: roles refused with 403 whatever the id (their role lacks the right, which reveals
 * nothing about B); every other role must get 404 for B's ids.
 */
const ROUTE_CASES: Record<string, { kind?: string; body?: Body; query?: string; tenantScoped: boolean; forbidden?: Role[] }> = {
  'GET /api/v1/session': { tenantScoped: false },
  'POST /api/v1/session': { tenantScoped: false },
  'DELETE /api/v1/session': { tenantScoped: false },
  'PUT /api/v1/session/institution': { tenantScoped: false },
  'GET /api/v1/users': { tenantScoped: true },
  'GET /api/v1/users/directory': { tenantScoped: true },
  'PATCH /api/v1/users/:id': { kind: 'user', body: () => ({ canApprove: true }), tenantScoped: true, forbidden: ['app', 'approver'] },
  'GET /api/v1/invitations': { tenantScoped: true },
  'POST /api/v1/invitations': { tenantScoped: true },
  'DELETE /api/v1/invitations/:id': { kind: 'invitation', tenantScoped: true, forbidden: ['app', 'approver'] },
  'GET /api/v1/invitations/preview': { tenantScoped: false },
  'POST /api/v1/invitations/accept': { tenantScoped: false },
  'GET /api/v1/institutions': { tenantScoped: true },
  'POST /api/v1/institutions': { tenantScoped: false },
  'GET /api/v1/institutions/:id': { kind: 'institution', tenantScoped: true },
  'PATCH /api/v1/institutions/:id': { kind: 'institution', body: () => ({ name: 'Renamed by A' }), tenantScoped: true, forbidden: ['app', 'approver'] },
  'GET /api/v1/catalog/apps': { tenantScoped: false },
  // Public: by slug, no session; its own suite shows only published, approved apps appear.
  'GET /api/v1/public/lists/:slug': { tenantScoped: false },
  'GET /api/v1/catalog/apps/:id': { kind: 'catalog', tenantScoped: false },
  'POST /api/v1/catalog/apps': { tenantScoped: false },
  'PATCH /api/v1/catalog/apps/:id': { kind: 'catalog', tenantScoped: false },
  'GET /api/v1/inventory': { tenantScoped: true },
  'POST /api/v1/inventory': { tenantScoped: true },
  'GET /api/v1/inventory/:id': { kind: 'inventory', tenantScoped: true },
  'PATCH /api/v1/inventory/:id': { kind: 'inventory', body: () => ({ version: 1, purpose: 'changed by A' }), tenantScoped: true },
  'POST /api/v1/inventory/:id/transition': { kind: 'inventory', body: () => ({ version: 1, status: 'in_review' }), tenantScoped: true },
  'DELETE /api/v1/inventory/:id': { kind: 'inventory', tenantScoped: true },
  'GET /api/v1/inventory/:id/history': { kind: 'inventory', tenantScoped: true },
  'GET /api/v1/audit': { tenantScoped: true },
  'POST /api/v1/session/mfa': { tenantScoped: false },
  'POST /api/v1/session/mfa/enrolment': { tenantScoped: false },
  'POST /api/v1/session/mfa/enrolment/confirm': { tenantScoped: false },
  'GET /api/v1/account/security': { tenantScoped: false },
  'POST /api/v1/account/mfa/enrolment': { tenantScoped: false },
  'POST /api/v1/account/mfa/enrolment/confirm': { tenantScoped: false },
  'POST /api/v1/account/mfa/recovery-codes': { tenantScoped: false },
  'DELETE /api/v1/account/mfa': { tenantScoped: false },
  'GET /api/v1/account/sessions': { tenantScoped: false },
  'DELETE /api/v1/account/sessions': { tenantScoped: false },
  // A session handle of B's site admin: nobody else's session can be ended by its id.
  'DELETE /api/v1/account/sessions/:id': { kind: 'session', tenantScoped: true },
  'DELETE /api/v1/users/:id/sessions': { kind: 'user', tenantScoped: true, forbidden: ['app', 'approver'] },
  // Platform admins reset only platform admins: an institution's user is not found for them either.
  'DELETE /api/v1/users/:id/mfa': { kind: 'user', tenantScoped: true, forbidden: ['app', 'approver'] },
  'POST /api/v1/session/reauthenticate': { tenantScoped: false },
  'POST /api/v1/session/reauthenticate/sso': { tenantScoped: false },
  'POST /api/v1/account/password': { tenantScoped: false },
  'POST /api/v1/password-resets': { tenantScoped: false },
  'POST /api/v1/password-resets/complete': { tenantScoped: false },
  'POST /api/v1/account/email': { tenantScoped: false },
  'POST /api/v1/email-changes/confirm': { tenantScoped: false },
  'GET /api/v1/sso/connections': { tenantScoped: true },
  'POST /api/v1/sso/connections': { tenantScoped: true },
  'PATCH /api/v1/sso/connections/:id': { kind: 'sso', body: () => ({ displayName: 'Renamed by A' }), tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'DELETE /api/v1/sso/connections/:id': { kind: 'sso', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'GET /api/v1/sso/domains': { tenantScoped: true },
  'POST /api/v1/sso/domains': { tenantScoped: true },
  'POST /api/v1/sso/domains/:id/verify': { kind: 'ssoDomain', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'DELETE /api/v1/sso/domains/:id': { kind: 'ssoDomain', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'GET /api/v1/sso/connections/:id/links': { kind: 'sso', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'PUT /api/v1/sso/connections/:id/links/:userId': { kind: 'sso', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'DELETE /api/v1/sso/connections/:id/links/:userId': { kind: 'sso', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  // Operator routes: platform admins see and approve any institution's domain claims; every other role is refused (403).
  'GET /api/v1/institutions/:id/sso-domains': { kind: 'institution', tenantScoped: false },
  'POST /api/v1/institutions/:id/sso-domains/:domainId/approve': { kind: 'institution', tenantScoped: false },
  'GET /api/v1/sso/policy': { tenantScoped: true },
  'PUT /api/v1/sso/policy': { tenantScoped: true },
  'GET /api/v1/sso/discover': { tenantScoped: false },
  'GET /api/v1/sso/start/:institutionId/:connectionId': { tenantScoped: false },
  'GET /api/v1/sso/oidc/callback': { tenantScoped: false },
  'GET /api/v1/sso/saml/:institutionId/:connectionId/metadata': { tenantScoped: false },
  'POST /api/v1/sso/saml/:institutionId/:connectionId/acs': { tenantScoped: false },
  'GET /api/v1/sso/saml/:institutionId/:connectionId/logout': { tenantScoped: false },
  'GET /api/v1/audit/verify': { tenantScoped: true },
  // Operator route: platform admins offboard any institution; every other role is refused (403).
  'PUT /api/v1/institutions/:id/offboarding': { kind: 'institution', tenantScoped: false },
  'GET /api/v1/institutions/:id/offboarding': { kind: 'institution', tenantScoped: true, forbidden: ['app', 'approver'] },
  'PATCH /api/v1/institutions/:id/offboarding': { kind: 'institution', tenantScoped: false },
  'DELETE /api/v1/institutions/:id/offboarding': { kind: 'institution', tenantScoped: false },
  'GET /api/v1/offboardings': { tenantScoped: false },
  'POST /api/v1/institutions/:id/purge': { kind: 'institution', tenantScoped: false },
  'GET /api/v1/deletion-certificates/:id': { tenantScoped: false },
  'GET /api/v1/deletion-certificates/:id/download': { tenantScoped: false },
  'POST /api/v1/institution/offboarding-request': { tenantScoped: true },
  'GET /api/v1/institution/archive': { tenantScoped: true },
  'GET /api/v1/deletion-certificates': { tenantScoped: false },
  'GET /api/v1/me/data': { tenantScoped: false },
  'GET /api/v1/me/export': { tenantScoped: false },
  'PATCH /api/v1/me': { tenantScoped: false },
  'DELETE /api/v1/me': { tenantScoped: false },
  'GET /api/v1/bank/templates': { tenantScoped: false },
  'POST /api/v1/bank/templates': { tenantScoped: false },
  'GET /api/v1/bank/templates/:id': { tenantScoped: false },
  'PATCH /api/v1/bank/templates/:id': { tenantScoped: false },
  'POST /api/v1/bank/templates/:id/versions': { tenantScoped: false },
  'GET /api/v1/bank/versions/:id': { tenantScoped: false },
  'PUT /api/v1/bank/versions/:id': { tenantScoped: false },
  'POST /api/v1/bank/versions/:id/publish': { tenantScoped: false },
  'GET /api/v1/assessments': { tenantScoped: true },
  'POST /api/v1/assessments': { tenantScoped: true },
  'GET /api/v1/assessments/:id': { kind: 'assessment', tenantScoped: true },
  'GET /api/v1/assessments/:id/revisions/:number': { kind: 'assessment', tenantScoped: true },
  'GET /api/v1/assessments/:id/compare': { kind: 'assessment', query: '?from=1&to=1', tenantScoped: true },
  'PUT /api/v1/assessments/:id/answers/:questionId': { kind: 'assessment', body: () => ({ value: 'changed by A', version: 0 }), tenantScoped: true },
  'POST /api/v1/assessments/:id/sections': { kind: 'assessment', body: () => ({ version: 1, title: 'By A' }), tenantScoped: true },
  'POST /api/v1/assessments/:id/questions': { kind: 'assessment', body: (ids) => ({ version: 1, sectionId: ids.section, kind: 'short_text', prompt: 'By A' }), tenantScoped: true },
  'PATCH /api/v1/assessments/:id/questions/:questionId': { kind: 'assessment', body: () => ({ version: 1, hidden: true }), tenantScoped: true },
  'DELETE /api/v1/assessments/:id/questions/:questionId': { kind: 'assessment', body: () => ({ version: 1 }), tenantScoped: true },
  'POST /api/v1/assessments/:id/risks': { kind: 'assessment', body: () => ({ version: 1, title: 'By A', likelihood: 1, impact: 1 }), tenantScoped: true },
  'PATCH /api/v1/assessments/:id/risks/:riskId': { kind: 'assessment', body: () => ({ version: 1, likelihood: 5 }), tenantScoped: true },
  'DELETE /api/v1/assessments/:id/risks/:riskId': { kind: 'assessment', body: () => ({ version: 1 }), tenantScoped: true },
  'POST /api/v1/assessments/:id/submit': { kind: 'assessment', body: () => ({ version: 1 }), tenantScoped: true },
  'POST /api/v1/assessments/:id/return': { kind: 'assessment', body: () => ({ version: 1, comment: 'By A' }), tenantScoped: true, forbidden: ['app', 'platform'] },
  'POST /api/v1/assessments/:id/decide': { kind: 'assessment', body: () => ({ version: 1, decision: 'approved' }), tenantScoped: true, forbidden: ['app', 'platform'] },
  'POST /api/v1/assessments/:id/reopen': { kind: 'assessment', body: () => ({ version: 1 }), tenantScoped: true },
  'GET /api/v1/assessments/:id/merge': { kind: 'assessment', tenantScoped: true },
  'POST /api/v1/assessments/:id/merge': { kind: 'assessment', body: (ids) => ({ version: 1, toVersionId: ids.section, decisions: [] }), tenantScoped: true },
  'GET /api/v1/assessments/:id/summary': { kind: 'assessment', query: '?audience=parent', tenantScoped: true },
  'GET /api/v1/assessments/:id/pdf': { kind: 'assessment', tenantScoped: true },
  'GET /api/v1/reports': { tenantScoped: true, forbidden: ['platform'] },
  // `:id` of a report is its name (same for every institution), not a record id.
  'GET /api/v1/reports/:id': { tenantScoped: false },
  'GET /api/v1/reports/:id/download': { tenantScoped: false },
  'GET /api/v1/dashboard': { tenantScoped: true },
  'GET /api/v1/platform/report-runs': { tenantScoped: false },
  'GET /api/v1/platform/admins': { tenantScoped: false },
  'POST /api/v1/exports': { tenantScoped: true },
  'GET /api/v1/exports': { tenantScoped: true },
  'GET /api/v1/exports/:id': { kind: 'export', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
  'GET /api/v1/exports/:id/download': { kind: 'export', tenantScoped: true, forbidden: ['app', 'approver', 'platform'] },
};

/** Every row of every table that has a tenant_id column (and B's institution row), as JSON. */
async function snapshotOf(tenantId: string): Promise<Record<string, unknown[]>> {
  return withSystem(t.database.db, async (tx) => {
    const tables = await queryRows<{ table_name: string }>(
      tx,
      sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { table_name } of tables) {
      const rows = await queryRows<{ row: unknown }>(tx, sql`select to_jsonb(t) as row from ${sql.identifier(table_name)} t where tenant_id = ${tenantId} order by to_jsonb(t)::text`);
      out[table_name] = rows.map((r) => r.row);
    }
    out.institutions = await queryRows(tx, sql`select to_jsonb(i) as row from institutions i where id = ${tenantId}`);
    return out;
  });
}

async function makeRecords(tenant: typeof a, ids: Record<string, string>) {
  const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name: `App ${randomUUID()}` }, grades: ['3'] });
  expect(item.statusCode).toBe(201);
  ids.inventory = item.json().id;
  const inv = await tenant.siteAdmin.request('POST', '/api/v1/invitations', { email: `invitee-${randomUUID()}@example.org`, firstName: 'In', lastName: 'Vitee', role: 'app_admin' });
  expect(inv.statusCode).toBe(201);
  ids.invitation = inv.json().id;
  ids.user = tenant.appAdmin.user.id;
  const sso = await tenant.siteAdmin.request('POST', '/api/v1/sso/connections', {
    preset: 'oidc',
    issuer: 'https://idp.example.org',
    displayName: 'District sign-in',
    clientId: 'vetted',
    clientSecret: 'not-a-real-secret',
  });
  expect(sso.statusCode).toBe(201);
  ids.sso = sso.json().id;
  const domain = await tenant.siteAdmin.request('POST', '/api/v1/sso/domains', { domain: `isolation-${randomUUID()}.example` });
  expect(domain.statusCode).toBe(201);
  ids.ssoDomain = domain.json().id;
  const own = await tenant.siteAdmin.request('GET', '/api/v1/account/sessions');
  ids.session = own.json().items[0].id;
  ids.institution = tenant.institution.id;
  const pia = await tenant.siteAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: ids.inventory });
  expect(pia.statusCode).toBe(201);
  ids.assessment = pia.json().id;
  ids.section = pia.json().revision.sections[0].id;
  const withQuestion = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${ids.assessment}/questions`, { version: pia.json().version, sectionId: ids.section, kind: 'short_text', prompt: 'Ours' });
  expect(withQuestion.statusCode).toBe(201);
  ids.question = withQuestion.json().revision.sections[0].questions[0].id;
  const withRisk = await tenant.siteAdmin.request('POST', `/api/v1/assessments/${ids.assessment}/risks`, { version: withQuestion.json().version, title: 'Ours', likelihood: 2, impact: 2 });
  expect(withRisk.statusCode).toBe(201);
  ids.risk = withRisk.json().revision.risks[0].id;
  const exp = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
  expect(exp.statusCode).toBe(202);
  ids.export = exp.json().id;
  // Let the export finish so that B's rows stay still while the suite compares them.
  await t.jobs.runPending();
}

beforeAll(async () => {
  t = await createTestApp();
  a = await buildTenantWithUsers(t.app, t.database.db);
  b = await buildTenantWithUsers(t.app, t.database.db);
  await makeRecords(a, aIds);
  await makeRecords(b, bIds);
  const catalog = await buildCatalogApp(t.database.db);
  aIds.catalog = bIds.catalog = catalog.id;
  const platform = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
  platformInA = await signIn(t.app, platform);
  const sw = await platformInA.request('PUT', '/api/v1/session/institution', { institutionId: a.institution.id });
  expect(sw.statusCode).toBe(200);
});
afterAll(async () => t?.close());

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const apiRoutes = () => t.app.routeList.filter((r) => r.url.startsWith('/api/v1/'));

describe('tenant isolation', () => {
  it('knows every API route', () => {
    const unknown = apiRoutes().map(key).filter((k) => !(k in ROUTE_CASES));
    expect(unknown, 'describe these routes in ROUTE_CASES of the isolation suite').toEqual([]);
  });

  it('answers 404 to every role of A for every record of B, and changes nothing of B', async () => {
    const before = await snapshotOf(b.institution.id);
    const clients: [Role, Client][] = [
      ['site', a.siteAdmin],
      ['app', a.appAdmin],
      ['approver', a.approver],
      ['platform', platformInA],
    ];
    const idRoutes = apiRoutes().filter((r) => r.url.includes(':id'));
    expect(idRoutes.length).toBeGreaterThan(5);
    for (const route of idRoutes) {
      const c = ROUTE_CASES[key(route)]!;
      if (!c.tenantScoped) continue;
      for (const [role, client] of clients) {
        // Platform admins legitimately read every institution record from the operator console.
        if (role === 'platform' && c.kind === 'institution' && route.method === 'GET') continue;
        const url = route.url.replace(':id', bIds[c.kind!]!).replace(':questionId', bIds.question!).replace(':riskId', bIds.risk!).replace(':number', '1').replace(':userId', bIds.user!) + (c.query ?? '');
        const res = await client.request(route.method as 'GET', url, c.body?.(bIds));
        const expected = c.forbidden?.includes(role) ? 403 : 404;
        expect(res.statusCode, `${role}: ${route.method} ${route.url} → ${res.body}`).toBe(expected);
      }
    }
    expect(await snapshotOf(b.institution.id)).toEqual(before);
  });

  it('lists only the caller’s own institution’s records', async () => {
    for (const client of [a.siteAdmin, a.appAdmin, platformInA]) {
      const items = (await client.request('GET', '/api/v1/inventory?pageSize=100')).json().items.map((i: { id: string }) => i.id);
      expect(items).toContain(aIds.inventory);
      expect(items).not.toContain(bIds.inventory);
    }
    const directory = (await a.appAdmin.request('GET', '/api/v1/users/directory')).json().items.map((u: { id: string }) => u.id);
    expect(directory).toContain(a.siteAdmin.user.id);
    expect(directory).not.toContain(b.siteAdmin.user.id);
    const users = (await a.siteAdmin.request('GET', '/api/v1/users')).json().items.map((u: { id: string }) => u.id);
    expect(users).toContain(a.appAdmin.user.id);
    expect(users).not.toContain(b.appAdmin.user.id);
    const invs = (await a.siteAdmin.request('GET', '/api/v1/invitations')).json().items.map((i: { id: string }) => i.id);
    expect(invs).toEqual([aIds.invitation]);
    const insts = (await a.appAdmin.request('GET', '/api/v1/institutions')).json().items.map((i: { id: string }) => i.id);
    expect(insts).toEqual([a.institution.id]);
    const audit = (await a.siteAdmin.request('GET', '/api/v1/audit?pageSize=200')).json().items;
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.every((e: { recordId: string }) => e.recordId !== bIds.inventory)).toBe(true);
  });

  it('refuses a foreign id inside a body with a field-level 400 and writes nothing', async () => {
    const before = await snapshotOf(a.institution.id);
    const res = await a.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Foreign refs' }, schoolIds: [b.schools[0]!.id], ownerUserId: b.siteAdmin.user.id });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toMatchObject({ 'schoolIds.0': expect.any(String), ownerUserId: expect.any(String) });
    const patch = await a.siteAdmin.request('PATCH', `/api/v1/institutions/${a.institution.id}`, { schools: [{ id: b.schools[0]!.id, name: 'Stolen', gradeFrom: 'K', gradeTo: '7' }] });
    expect(patch.statusCode).toBe(400);
    expect(await snapshotOf(a.institution.id)).toEqual(before);
  });

  it('never lets B’s invitation be revoked through A, even by guessing its id', async () => {
    const rows = await withSystem(t.database.db, (tx) => tx.select().from(invitations).where(sql`${invitations.id} = ${bIds.invitation}`));
    expect(rows[0]!.revokedAt).toBeNull();
  });
});
