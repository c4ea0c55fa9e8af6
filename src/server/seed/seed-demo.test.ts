import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import {
  AGREEMENT_TYPES,
  APP_CATEGORIES,
  AUDIENCES,
  DATA_ELEMENT_CODES,
  GRADE_LEVELS,
  INVENTORY_STATUSES,
  SIGN_IN_SUPPORT,
  STORAGE_COUNTRIES,
} from '../../contracts/domain.js';
import {
  assessmentAnswers,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessments,
  assessmentSignoffs,
  auditEvents,
  catalogApps,
  institutions,
  inventoryItems,
  piaTemplates,
  piaTemplateVersions,
  schools,
  ssoDomains,
  users,
} from '../db/schema/index.js';
import type { Condition } from '../../contracts/assessments.js';
import { isAnswered, isShown } from '../modules/assessments/answers.js';
import { signIn } from '../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.js';
import { DEMO_APPS_WITHOUT_PIA, DEMO_REOPENED_APP } from './seed-demo-pias.js';
import { openDatabase, withSystem, type Database } from '../platform/db.js';
import { verifyAuditChain } from '../platform/audit.js';
import { verifyPassword } from '../platform/passwords.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import { seedDemo, type DemoCredentials } from './seed-demo.js';

const NOW = new Date('2025-03-15T12:00:00Z');
const inSet = (allowed: readonly string[]) => {
  const set = new Set<string>(allowed);
  return (values: readonly string[]) => values.filter((v) => !set.has(v));
};

async function counts(database: Database) {
  return withSystem(database.db, async (tx) => ({
    catalog: await tx.$count(catalogApps),
    institutions: await tx.$count(institutions),
    schools: await tx.$count(schools),
    users: await tx.$count(users),
    inventory: await tx.$count(inventoryItems),
    domains: await tx.$count(ssoDomains),
    bank: (await tx.$count(piaTemplates)) + (await tx.$count(piaTemplateVersions)),
    audit: await tx.$count(auditEvents),
    assessments: await tx.$count(assessments),
    revisions: await tx.$count(assessmentRevisions),
    answers: await tx.$count(assessmentAnswers),
    signoffs: await tx.$count(assessmentSignoffs),
    risks: await tx.$count(assessmentRisks),
  }));
}

describe('seedDemo', () => {
  let database: Database;
  let credentials: DemoCredentials;

  beforeAll(async () => {
    database = await openDatabase({ inMemory: true });
    await database.migrate();
    credentials = await seedDemo(database.db, { now: NOW });
  });

  afterAll(async () => {
    await database?.close();
  });

  it('seeds at least 45 demo catalog apps with valid codes', async () => {
    const apps = await withSystem(database.db, (tx) => tx.select().from(catalogApps));
    expect(apps.length).toBeGreaterThanOrEqual(45);
    expect(apps.length).toBe(DEMO_CATALOG.length);
    for (const app of apps) {
      expect(app.isDemo).toBe(true);
      expect(app.categories.length).toBeGreaterThan(0);
      expect(app.dataElements.length).toBeGreaterThan(0);
      expect(inSet(APP_CATEGORIES)(app.categories), app.slug).toEqual([]);
      expect(inSet(DATA_ELEMENT_CODES)(app.dataElements), app.slug).toEqual([]);
      expect(inSet(SIGN_IN_SUPPORT)(app.signInSupport), app.slug).toEqual([]);
      expect(inSet(STORAGE_COUNTRIES)(app.storageCountries), app.slug).toEqual([]);
      expect(inSet(STORAGE_COUNTRIES)(app.processingCountries), app.slug).toEqual([]);
      for (const url of [app.website, app.privacyPolicyUrl, app.termsUrl]) {
        expect(new URL(url ?? '').hostname.endsWith('.example'), `${app.slug} ${url}`).toBe(true);
      }
    }
    const categoriesUsed = new Set(apps.flatMap((a) => a.categories));
    expect([...APP_CATEGORIES].filter((c) => !categoriesUsed.has(c))).toEqual([]);
  });

  it('seeds two demo institutions whose inventory is consistent with them', async () => {
    const data = await withSystem(database.db, async (tx) => ({
      institutions: await tx.select().from(institutions),
      schools: await tx.select().from(schools),
      items: await tx.select().from(inventoryItems),
      apps: await tx.select().from(catalogApps),
      users: await tx.select().from(users),
    }));
    expect(data.institutions).toHaveLength(2);
    const appsById = new Map(data.apps.map((a) => [a.id, a]));
    const statuses = new Set<string>();
    for (const inst of data.institutions) {
      expect(inst.isDemo).toBe(true);
      expect(inst.name).toMatch(/\(demo\)/);
      expect(inst.region).toBe('ca');
      expect(inSet(GRADE_LEVELS)(inst.gradeLevels)).toEqual([]);
      const instSchools = data.schools.filter((s) => s.tenantId === inst.id);
      expect(instSchools.length).toBeGreaterThanOrEqual(3);
      expect(instSchools.length).toBeLessThanOrEqual(6);
      for (const s of instSchools) {
        expect(inst.gradeLevels).toContain(s.gradeFrom);
        expect(inst.gradeLevels).toContain(s.gradeTo);
      }
      const schoolIds = new Set(instSchools.map((s) => s.id));
      const instUserIds = new Set(data.users.filter((u) => u.tenantId === inst.id).map((u) => u.id));
      const items = data.items.filter((i) => i.tenantId === inst.id);
      expect(items.length).toBeGreaterThanOrEqual(12);
      expect(items.length).toBeLessThanOrEqual(30);
      expect(items.filter((i) => i.catalogAppId === null).length).toBeGreaterThanOrEqual(2);
      for (const item of items) {
        statuses.add(item.status);
        expect(inSet(inst.gradeLevels)(item.grades), item.name).toEqual([]);
        expect(
          item.schoolIds.filter((id) => !schoolIds.has(id)),
          item.name,
        ).toEqual([]);
        expect(inSet(DATA_ELEMENT_CODES)(item.dataElements), item.name).toEqual([]);
        expect(inSet(AUDIENCES)(item.audiences), item.name).toEqual([]);
        expect(item.audiences.length).toBeGreaterThan(0);
        expect(AGREEMENT_TYPES).toContain(item.agreementType);
        expect(item.purpose).not.toBe('');
        if (item.ownerUserId) expect(instUserIds.has(item.ownerUserId), item.name).toBe(true);
        if (item.status === 'approved_with_conditions') expect(item.conditionsOfUse, item.name).not.toBe('');
        if (item.catalogAppId) {
          const app = appsById.get(item.catalogAppId);
          expect(app, item.name).toBeDefined();
          expect(item.name).toBe(app?.name);
          expect(item.vendor).toBe(app?.vendor);
          expect(inSet(app?.dataElements ?? [])(item.dataElements), item.name).toEqual([]);
        } else {
          expect(item.customName).toBe(item.name);
        }
      }
    }
    expect([...INVENTORY_STATUSES].filter((s) => !statuses.has(s))).toEqual([]);
  });

  it('dates agreements and reviews relative to the seeding date', async () => {
    const items = await withSystem(database.db, (tx) => tx.select().from(inventoryItems));
    const today = NOW.toISOString().slice(0, 10);
    const in60 = new Date(NOW.getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect(items.some((i) => i.agreementExpiresOn && i.agreementExpiresOn >= today && i.agreementExpiresOn <= in60)).toBe(true);
    expect(items.some((i) => i.nextReviewOn && i.nextReviewOn < today)).toBe(true);
  });

  it('returns accounts that exist, with the shared password', async () => {
    expect(credentials.password).toHaveLength(12);
    expect(credentials.accounts.length).toBe(8);
    const rows = await withSystem(database.db, (tx) => tx.select().from(users));
    const byEmail = new Map(rows.map((u) => [u.email, u]));
    for (const account of credentials.accounts) {
      const user = byEmail.get(account.email);
      expect(user, account.email).toBeDefined();
      expect(user?.role).toBe(account.role);
    }
    const admin = byEmail.get('admin@vetted.example');
    expect(admin?.role).toBe('platform_admin');
    expect(admin?.tenantId).toBeNull();
    expect(await verifyPassword(admin?.passwordHash, credentials.password)).toBe(true);
    const approvers = rows.filter((u) => u.role === 'app_admin' && u.canApprove);
    expect(approvers).toHaveLength(2);
  });

  it('audits every created record as the seed job', async () => {
    const c = await counts(database);
    const events = await withSystem(database.db, (tx) => tx.select().from(auditEvents));
    const signoffs = await withSystem(database.db, (tx) => tx.select().from(assessmentSignoffs));
    const signed = (...decisions: string[]) => signoffs.filter((s) => decisions.includes(s.decision)).length;
    const assessmentEvents =
      c.assessments + signed('submitted') + signed('approved', 'approved_with_conditions', 'rejected') + signed('reopened') + c.risks;
    expect(events).toHaveLength(c.catalog + c.institutions + c.schools + c.users + c.inventory + c.domains + c.bank + assessmentEvents);
    for (const e of events) {
      expect(['system:demo-seed', 'system:bank-seed']).toContain(e.actorLabel);
      expect(e.source).toBe('seed');
    }
    expect(events.filter((e) => e.action === 'inventory.create')).toHaveLength(c.inventory);
    expect(events.filter((e) => e.action === 'assessment.create')).toHaveLength(c.assessments);
    expect(events.filter((e) => e.action === 'assessment.submit')).toHaveLength(signed('submitted'));
    expect(events.filter((e) => e.action === 'assessment.decide')).toHaveLength(signed('approved', 'approved_with_conditions', 'rejected'));
    expect(events.filter((e) => e.action === 'assessment.risk.add')).toHaveLength(c.risks);
  });

  it('gives every approved app its approved PIA, consistent with the inventory and with every required question answered', async () => {
    const rows = await withSystem(database.db, (tx) =>
      tx
        .select({ item: inventoryItems, slug: catalogApps.slug, a: assessments })
        .from(inventoryItems)
        .leftJoin(catalogApps, eq(catalogApps.id, inventoryItems.catalogAppId))
        .leftJoin(assessments, and(eq(assessments.tenantId, inventoryItems.tenantId), eq(assessments.inventoryItemId, inventoryItems.id)))
        .where(inArray(inventoryItems.status, ['approved', 'approved_with_conditions'])),
    );
    const skipped = rows.filter((r) => (DEMO_APPS_WITHOUT_PIA as readonly (string | null)[]).includes(r.slug));
    expect(skipped.every((r) => r.a === null)).toBe(true);
    const assessed = rows.filter((r) => !skipped.includes(r));
    expect(assessed.length).toBeGreaterThanOrEqual(25);
    for (const { item, a } of assessed) {
      expect(a, item.name).not.toBeNull();
      expect(a!.approvedRevision, item.name).toBe(1);
      const [revision] = await withSystem(database.db, (tx) =>
        tx
          .select()
          .from(assessmentRevisions)
          .where(and(eq(assessmentRevisions.assessmentId, a!.id), eq(assessmentRevisions.number, 1))),
      );
      expect(revision, item.name).toMatchObject({
        status: item.status,
        nextReviewOn: item.nextReviewOn,
        conditions: item.status === 'approved_with_conditions' ? item.conditionsOfUse : '',
      });
      expect(revision!.decidedAt!.getTime(), item.name).toBeLessThan(NOW.getTime());
      expect(await unansweredRequired(revision!.id), item.name).toEqual([]);
      const decisions = await withSystem(database.db, (tx) =>
        tx.select().from(assessmentSignoffs).where(eq(assessmentSignoffs.revisionId, revision!.id)),
      );
      expect(decisions.map((d) => d.decision).sort(), item.name).toEqual(['submitted', item.status].sort());
    }
  });

  it('holds assessments in every state, the app’s own bank PIA where the bank has one', async () => {
    const rows = await withSystem(database.db, (tx) =>
      tx
        .select({ status: assessments.status, slug: catalogApps.slug, template: piaTemplates.slug })
        .from(assessments)
        .innerJoin(
          inventoryItems,
          and(eq(inventoryItems.tenantId, assessments.tenantId), eq(inventoryItems.id, assessments.inventoryItemId)),
        )
        .leftJoin(catalogApps, eq(catalogApps.id, inventoryItems.catalogAppId))
        .innerJoin(piaTemplates, eq(piaTemplates.id, assessments.templateId)),
    );
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected']));
    const bankSlugs = new Set(
      (await withSystem(database.db, (tx) => tx.select({ slug: piaTemplates.slug }).from(piaTemplates))).map((r) => r.slug),
    );
    for (const r of rows)
      expect(r.template, r.slug ?? '').toBe(r.slug && bankSlugs.has(`pia-${r.slug}`) ? `pia-${r.slug}` : 'generic-edtech-pia');
    const drafts = await withSystem(database.db, (tx) =>
      tx
        .select({ id: assessmentRevisions.id })
        .from(assessmentRevisions)
        .innerJoin(assessments, and(eq(assessments.id, assessmentRevisions.assessmentId), eq(assessments.currentRevision, 1)))
        .where(eq(assessmentRevisions.status, 'draft')),
    );
    expect(drafts.length).toBeGreaterThan(0);
    for (const d of drafts) expect((await unansweredRequired(d.id)).length, 'a draft is partly answered').toBeGreaterThan(0);
  });

  async function unansweredRequired(revisionId: string): Promise<string[]> {
    const [questions, answers] = await withSystem(database.db, (tx) =>
      Promise.all([
        tx.select().from(assessmentQuestions).where(eq(assessmentQuestions.revisionId, revisionId)),
        tx.select().from(assessmentAnswers).where(eq(assessmentAnswers.revisionId, revisionId)),
      ]),
    );
    const valueOf = new Map(answers.map((a) => [a.questionId, a.value]));
    const byKey = new Map(questions.map((q) => [q.key, valueOf.get(q.id)]));
    return questions
      .filter((q) => q.required && !q.hidden && isShown((q.condition ?? null) as Condition | null, byKey) && !isAnswered(valueOf.get(q.id)))
      .map((q) => q.key);
  }

  it('gives each demo institution its email domain, verified and recorded as approved by the operator', async () => {
    const rows = await withSystem(database.db, (tx) =>
      tx
        .select({
          domain: ssoDomains.domain,
          status: ssoDomains.status,
          method: ssoDomains.verificationMethod,
          by: ssoDomains.approvedByLabel,
          name: institutions.name,
        })
        .from(ssoDomains)
        .innerJoin(institutions, eq(institutions.id, ssoDomains.tenantId)),
    );
    expect(rows.map((r) => r.domain).sort()).toEqual(['cedarvalley.example', 'lakeshore.example']);
    for (const r of rows) expect(r).toMatchObject({ status: 'verified', method: 'operator', by: 'system:demo-seed' });
    const events = await withSystem(database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.action, 'sso_domain.approve')));
    expect(events).toHaveLength(2);
  });

  it('writes nothing when run again', async () => {
    const before = await counts(database);
    const again = await seedDemo(database.db, { now: NOW });
    expect(again.accounts).toEqual([]);
    expect(await counts(database)).toEqual(before);
  });

  it('writes every audit event into its hash chain', async () => {
    const reports = await withSystem(database.db, async (tx) => {
      const chains = await tx.selectDistinct({ id: auditEvents.tenantId }).from(auditEvents);
      return Promise.all(chains.map((c) => verifyAuditChain(tx, c.id)));
    });
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.filter((r) => !r.ok)).toEqual([]);
  });
});

describe('seedDemo, seen through the API', () => {
  let t: TestApp;
  const password = 'demo-password-for-this-test-1';

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.database.db, { password });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('shows a demo site admin a reopened PIA with a master-bank update waiting to merge', async () => {
    const [admin] = await withSystem(t.database.db, (tx) =>
      tx
        .select({ user: users })
        .from(users)
        .innerJoin(institutions, eq(institutions.id, users.tenantId))
        .where(and(eq(institutions.name, DEMO_REOPENED_APP.institution), eq(users.role, 'site_admin'))),
    );
    const client = await signIn(t.app, admin!.user, password);
    const list = await client.request('GET', '/api/v1/assessments');
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: { id: string; status: string; update: { number: number } | null; currentRevision: number }[] })
      .items;
    const waiting = items.filter((a) => a.update !== null && a.status === 'draft');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ currentRevision: 2, update: { number: 2 } });
    const one = await client.request('GET', `/api/v1/assessments/${waiting[0]!.id}`);
    expect((one.json() as { abilities: { merge: boolean } }).abilities.merge).toBe(true);
    const preview = await client.request('GET', `/api/v1/assessments/${waiting[0]!.id}/merge`);
    expect(preview.statusCode).toBe(200);
    const body = preview.json() as { fromVersion: { number: number }; toVersion: { number: number }; changes: { key: string }[] };
    expect(body.fromVersion.number).toBe(1);
    expect(body.toVersion.number).toBe(2);
    expect(body.changes.map((c) => c.key)).toContain('h.backup_purge');
  });
});
