import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
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
import { auditEvents, catalogApps, institutions, inventoryItems, piaTemplates, piaTemplateVersions, schools, ssoDomains, users } from '../db/schema/index.js';
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
        expect(item.schoolIds.filter((id) => !schoolIds.has(id)), item.name).toEqual([]);
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
    expect(events).toHaveLength(c.catalog + c.institutions + c.schools + c.users + c.inventory + c.domains + c.bank);
    for (const e of events) {
      expect(['system:demo-seed', 'system:bank-seed']).toContain(e.actorLabel);
      expect(e.source).toBe('seed');
    }
    expect(events.filter((e) => e.action === 'inventory.create')).toHaveLength(c.inventory);
  });

  it('gives each demo institution its email domain, verified and recorded as approved by the operator', async () => {
    const rows = await withSystem(database.db, (tx) =>
      tx.select({ domain: ssoDomains.domain, status: ssoDomains.status, method: ssoDomains.verificationMethod, by: ssoDomains.approvedByLabel, name: institutions.name })
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
