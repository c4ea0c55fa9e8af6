/**
 * The cross-tenant suite, run once per wall configuration (see docs/security.md, "Tenant isolation
 * tests"):
 *   isolation.test.ts        both walls (the application's tenant filter and row-level security);
 *   app-filter-alone.test.ts row-level security switched off in that file's own database;
 *   rls-alone.test.ts        the application's tenant filter (`byTenant`) neutralised.
 * Each wall alone must keep institution A's records out of reach of institution B's users on every
 * route: B's site admin and app admin call each route of CASES (routes.ts) with A's ids; every answer
 * has the case's status and holds none of A's ids or names, lists show B's own rows, and after all
 * of them every row of A in every tenant table is exactly as before.
 *
 * A new route fails "covers every route" until it has a line in CASES or, with its reason, in
 * EXCLUDED (routes.ts). A new kind of record needs its id in `makeRecords` below.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { inventoryItems } from '../../src/server/db/schema/index.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Db } from '../../src/server/platform/db.js';
import { byTenant } from '../../src/server/platform/tenant-filter.js';
import { insertTemplate, insertVersion, touchDraft, writeVersionContent } from '../../src/server/modules/assessments/bank.repo.js';
import { sampleSections } from '../support/pia.js';
import { buildCatalogApp, buildTenantWithUsers, type Client } from '../support/factories.js';
import { remindersOf } from '../support/reminders.js';
import { startSamlIdp } from '../support/saml-idp.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { CASES, EXCLUDED, ONLY_WHEN_BUILT, PDF_FILE, type CrossTenantCase, type Ids, type Role } from './routes.js';

export type Wall = 'both' | 'app-filter-alone' | 'rls-alone';
type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;

/** Path parameters other than `:id`: A's records, except the connection, which is B's own. */
const PARAMS: Record<string, (a: Ids, b: Ids) => string> = {
  questionId: (a) => a.question,
  riskId: (a) => a.risk,
  userId: (a) => a.user,
  domainId: (a) => a.ssoDomain,
  number: () => '1',
  institutionId: (a) => a.institution,
  connectionId: (_a, b) => b.sso,
};

/**
 * Switches row-level security off on every table of this test file's own database (not the roles,
 * which a PostgreSQL server shares with every other database): the application's filter is then
 * the only wall.
 */
export async function disableRowLevelSecurity(db: Db): Promise<string[]> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and c.relrowsecurity order by 1`,
  );
  for (const { name } of tables) {
    await db.execute(sql`alter table ${sql.identifier(name)} no force row level security`);
    await db.execute(sql`alter table ${sql.identifier(name)} disable row level security`);
  }
  return tables.map((t) => t.name);
}

/**
 * Which walls stand, seen from B's unit of work on inventory items: row-level security stands when a
 * query with no filter sees none of A's rows; the application filter stands when `byTenant(B)` keeps
 * A's rows out of a query that row-level security does not restrict (the system role).
 */
async function wallsStanding(db: Db, a: Tenant, b: Tenant): Promise<{ rls: boolean; appFilter: boolean }> {
  const scopeB = unsafeTenantScope(b.institution.id);
  const seenByB = await withTenant(db, scopeB, (tx) => queryRows<{ tenant_id: string }>(tx, sql`select tenant_id from inventory_items`));
  const filtered = await withSystem(db, (tx) =>
    tx.select({ tenantId: inventoryItems.tenantId }).from(inventoryItems).where(byTenant(inventoryItems.tenantId, scopeB)),
  );
  return {
    rls: seenByB.length > 0 && seenByB.every((r) => r.tenant_id === b.institution.id),
    appFilter: filtered.length > 0 && filtered.every((r) => r.tenantId === b.institution.id),
  };
}

/** Every row of `tenantId` in every table with a tenant_id column, and its institution row. */
async function snapshotOf(db: Db, tenantId: string): Promise<Record<string, unknown[]>> {
  return withSystem(db, async (tx) => {
    const tables = await queryRows<{ table_name: string }>(
      tx,
      sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id' order by table_name`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { table_name } of tables) {
      const rows = await queryRows<{ row: unknown }>(
        tx,
        sql`select to_jsonb(t) as row from ${sql.identifier(table_name)} t where tenant_id = ${tenantId} order by to_jsonb(t)::text`,
      );
      out[table_name] = rows.map((r) => r.row);
    }
    out.institutions = await queryRows(tx, sql`select to_jsonb(i) as row from institutions i where id = ${tenantId}`);
    return out;
  });
}

/** A published bank template a vendor questionnaire asks from (the bank is not seeded here). */
async function vendorTemplate(t: TestApp): Promise<string> {
  return withSystem(t.database.db, async (tx) => {
    const template = await insertTemplate(tx, { slug: `isolation-${randomUUID()}`, title: 'Isolation template' });
    const version = await insertVersion(tx, template.id, 1);
    await writeVersionContent(tx, version.id, sampleSections());
    await touchDraft(tx, version.id, version.version, { status: 'published', publishedAt: new Date() });
    return template.id;
  });
}

/** One of each kind of record, through the API, named so that any answer holding it is found. */
async function makeRecords(t: TestApp, tenant: Tenant, mark: string): Promise<{ ids: Ids; names: string[] }> {
  const admin = tenant.siteAdmin;
  const ok = (res: LightMyRequestResponse, status: number) => {
    expect(res.statusCode, res.body).toBe(status);
    return res.json();
  };
  const names = [`App ${mark}`, `invitee-${mark}@example.org`, `Sign-in ${mark}`, `Question ${mark}`, `Risk ${mark}`];
  const item = ok(
    await admin.request('POST', '/api/v1/inventory', {
      custom: { name: names[0] },
      grades: ['3'],
      schoolIds: [tenant.schools[0]!.id],
      // Due for review today: today's digest gives each of the institution's people a notification.
      nextReviewOn: new Date().toISOString().slice(0, 10),
    }),
    201,
  );
  const inv = ok(
    await admin.request('POST', '/api/v1/invitations', { email: names[1], firstName: 'In', lastName: 'Vitee', role: 'app_admin' }),
    201,
  );
  // A SAML connection: its public metadata and start routes answer without any network, so the
  // cases pairing one institution with another's connection can tell a refusal from a success.
  const sso = ok(
    await admin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: names[2],
      idp: { metadataXml: startSamlIdp().metadataXml },
    }),
    201,
  );
  const own = ok(await admin.request('GET', '/api/v1/account/sessions'), 200);
  const pia = ok(await admin.request('POST', '/api/v1/assessments', { inventoryItemId: item.id }), 201);
  const section = pia.revision.sections[0].id as string;
  const withQuestion = ok(
    await admin.request('POST', `/api/v1/assessments/${pia.id}/questions`, {
      version: pia.version,
      sectionId: section,
      kind: 'short_text',
      prompt: names[3],
    }),
    201,
  );
  const withRisk = ok(
    await admin.request('POST', `/api/v1/assessments/${pia.id}/risks`, {
      version: withQuestion.version,
      title: names[4],
      likelihood: 2,
      impact: 2,
    }),
    201,
  );
  const attachment = ok(
    await admin.request('POST', `/api/v1/inventory/${item.id}/attachments?kind=agreement&fileName=dpa.pdf`, PDF_FILE),
    201,
  );
  const exp = ok(await admin.request('POST', '/api/v1/exports', { format: 'csv' }), 202);
  const domain = ok(await admin.request('POST', '/api/v1/sso/domains', { domain: `isolation-${randomUUID()}.example` }), 201);
  const grant = ok(await admin.request('POST', '/api/v1/support-access', { hours: 1, reason: names[0] }), 201);
  await remindersOf(t).digests.runInstitution(tenant.institution.id, new Date().toISOString().slice(0, 10));
  const notices = ok(await admin.request('GET', '/api/v1/me/notifications'), 200);
  const link = ok(await admin.request('POST', '/api/v1/staff-requests/link'), 201);
  ok(
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/public/staff-requests',
      payload: { token: link.token, appName: `Requested ${mark}`, purpose: names[0] },
    }),
    201,
  );
  const staffRequest = ok(await admin.request('GET', '/api/v1/staff-requests'), 200).items[0];
  const vendorQuestionnaire = ok(
    await admin.request('POST', '/api/v1/vendor-questionnaires', {
      inventoryItemId: item.id,
      templateId: await vendorTemplate(t),
      email: `vendor-${mark}@example.org`,
      productName: `Vendor ${mark}`,
    }),
    201,
  );
  // Let the export and the mail finish so that the rows stay still while the suite compares them.
  await t.jobs.runPending();
  const ids: Ids = {
    institution: tenant.institution.id,
    school: tenant.schools[0]!.id,
    user: tenant.appAdmin.user.id,
    siteAdmin: tenant.siteAdmin.user.id,
    inventory: item.id,
    invitation: inv.id,
    sso: sso.id,
    session: own.items[0].id,
    assessment: pia.id,
    attachment: attachment.id,
    section,
    question: withQuestion.revision.sections[0].questions.find((q: { prompt: string }) => q.prompt === names[3]).id,
    risk: withRisk.revision.risks[0].id,
    export: exp.id,
    supportGrant: grant.id,
    ssoDomain: domain.id,
    notification: notices.items[0].id,
    staffRequest: staffRequest.id,
    vendorQuestionnaire: vendorQuestionnaire.id,
    catalog: '',
  };
  return {
    ids,
    names: [
      ...names,
      `Requested ${mark}`,
      `Vendor ${mark}`,
      `vendor-${mark}@example.org`,
      tenant.institution.name,
      tenant.siteAdmin.user.email,
      tenant.appAdmin.user.email,
      tenant.approver.user.email,
    ],
  };
}

/** The URL of a case: the route's parameters filled with A's ids (B's own connection for `:connectionId`). */
function urlOf(url: string, c: CrossTenantCase, a: Ids, b: Ids): string {
  const path = url.replace(/:(\w+)/g, (_m, name: string) => {
    if (c.params?.[name]) return c.params[name];
    if (name === 'id') {
      if (!c.id) throw new Error(`${url}: the case needs an \`id\` kind`);
      return a[c.id];
    }
    const param = PARAMS[name];
    if (!param) throw new Error(`${url}: add :${name} to PARAMS of the isolation suite`);
    return param(a, b);
  });
  return path + (c.query?.(a) ?? '');
}

export function describeCrossTenant(wall: Wall): void {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let aIds: Ids;
  let bIds: Ids;
  let aMarkers: string[];

  beforeAll(async () => {
    t = await createTestApp();
    if (wall === 'app-filter-alone') {
      const tables = await disableRowLevelSecurity(t.database.db);
      expect(tables).toContain('inventory_items');
    }
    a = await buildTenantWithUsers(t.app, t.database.db);
    b = await buildTenantWithUsers(t.app, t.database.db);
    const catalog = await buildCatalogApp(t.database.db);
    const ownerRecords = await makeRecords(t, a, `owner-${randomUUID()}`);
    const intruderRecords = await makeRecords(t, b, `intruder-${randomUUID()}`);
    aIds = { ...ownerRecords.ids, catalog: catalog.id };
    bIds = { ...intruderRecords.ids, catalog: catalog.id };
    aMarkers = [
      ...Object.entries(aIds)
        .filter(([k]) => k !== 'catalog')
        .map(([, v]) => v),
      a.approver.user.id,
      ...ownerRecords.names,
    ];
  });
  afterAll(async () => t?.close());

  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  describe(`tenant isolation (${wall === 'both' ? 'both walls' : wall === 'app-filter-alone' ? 'application filter alone' : 'row-level security alone'})`, () => {
    it('covers every route: each is a cross-tenant case or excluded with its reason', () => {
      const routes = t.app.routeList.map(key);
      const neither = routes.filter((k) => !(k in CASES) && !(k in EXCLUDED));
      expect(neither, 'add a line for these routes to CASES (or, with a reason, to EXCLUDED) in test/isolation/routes.ts').toEqual([]);
      const both = Object.keys(CASES).filter((k) => k in EXCLUDED);
      expect(both, 'a route is either a case or excluded').toEqual([]);
      const stale = [...Object.keys(CASES), ...Object.keys(EXCLUDED)].filter((k) => !routes.includes(k) && !ONLY_WHEN_BUILT.has(k));
      expect(stale, 'these entries name no route').toEqual([]);
      expect(Object.values(EXCLUDED).every((reason) => reason.length > 10)).toBe(true);
    });

    it(`has ${wall === 'both' ? 'both walls' : 'exactly one wall'} standing`, async () => {
      const standing = await wallsStanding(t.database.db, a, b);
      expect(standing).toEqual({ rls: wall !== 'app-filter-alone', appFilter: wall !== 'rls-alone' });
    });

    it('refuses A’s school in B’s institution settings with a field-level 400, and writes nothing', async () => {
      const before = await snapshotOf(t.database.db, b.institution.id);
      const patch = await b.siteAdmin.request('PATCH', `/api/v1/institutions/${b.institution.id}`, {
        schools: [{ id: aIds.school, name: 'Taken', gradeFrom: 'K', gradeTo: '7' }],
      });
      expect(patch.statusCode).toBe(400);
      expect(patch.json().error.fields).toMatchObject({ 'schools.0.id': expect.any(String) });
      const item = await b.siteAdmin.request('POST', '/api/v1/inventory', {
        custom: { name: 'Foreign refs' },
        schoolIds: [aIds.school],
        ownerUserId: aIds.user,
      });
      expect(item.statusCode).toBe(400);
      expect(item.json().error.fields).toMatchObject({ 'schoolIds.0': expect.any(String), ownerUserId: expect.any(String) });
      expect(await snapshotOf(t.database.db, b.institution.id)).toEqual(before);
    });
    it('answers every route of B’s users with A’s ids as expected, with none of A’s data, and changes nothing of A', async () => {
      const before = await snapshotOf(t.database.db, a.institution.id);
      const clients: [Role, Client][] = [
        ['site', b.siteAdmin],
        ['app', b.appAdmin],
      ];
      const failures: string[] = [];
      const routes = t.app.routeList.filter((r) => key(r) in CASES);
      // Cases run in the order of CASES (the last ones change B's own state).
      const order = Object.keys(CASES);
      routes.sort((x, y) => order.indexOf(key(x)) - order.indexOf(key(y)));
      for (const route of routes)
        for (const c of [CASES[key(route)]!].flat()) {
          const url = urlOf(route.url, c, aIds, bIds);
          const body = c.body?.(aIds);
          const sent = url + JSON.stringify(body ?? '');
          for (const [role, client] of c.anonymous ? ([['anonymous', undefined]] as const) : clients) {
            const res = client
              ? await client.request(route.method as 'GET', url, body)
              : await t.app.inject({ method: route.method as 'GET', url });
            const expected = client && c.forbidden?.includes(role as Role) ? 403 : c.status;
            const who = `${role}: ${route.method} ${url}`;
            if (res.statusCode !== expected) failures.push(`${who} → ${res.statusCode}, expected ${expected}: ${res.body.slice(0, 300)}`);
            const leaked = aMarkers.filter((m) => res.body.includes(m) && !sent.includes(m));
            if (leaked.length) failures.push(`${who} → holds A's ${leaked.join(', ')}`);
            if (c.redirectsTo && !String(res.headers.location ?? '').startsWith(c.redirectsTo))
              failures.push(`${who} → leads to ${res.headers.location}, expected ${c.redirectsTo}`);
            if (c.shows && res.statusCode < 300 && expected < 300 && !res.body.includes(c.shows(bIds)))
              failures.push(`${who} → does not show B's own ${c.shows(bIds)}`);
          }
        }
      expect(failures).toEqual([]);
      expect(await snapshotOf(t.database.db, a.institution.id)).toEqual(before);
    });
  });
}
