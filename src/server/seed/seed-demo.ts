/**
 * Seeds the demo: the demo catalog, two demo institutions with schools, staff, inventory, privacy impact
 * assessments in every state and verified email domains (recorded as approved by the operator), and a platform admin — in one transaction, with one audit event per created record. Safe to re-run: a
 * database that already holds the first demo catalog app is left untouched.
 */
import type { AuditAction, AuditRecordType } from '../../contracts/audit.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { catalogApps, institutions, inventoryItems, schools, ssoDomains, users } from '../db/schema/index.js';
import { appendAuditEvents, type AuditValues } from '../platform/audit.js';
import { withSystem, type Db, type Tx } from '../platform/db.js';
import { hashPassword } from '../platform/passwords.js';
import { unsafeVerifiedElsewhere } from '../modules/identity/sso-domains.repo.js';
import { DEMO_CATALOG, type DemoCatalogApp } from './demo-catalog.js';
import { buildDemoInstitutions, type DemoInstitution } from './demo-institutions.js';
import { seedDemoAssessments } from './seed-demo-pias.js';
import { seedPiaBank } from './seed-pia-bank.js';

/** An account the seed created, for printing once at startup. */
export interface DemoAccount {
  email: string;
  role: string;
  institution: string | null;
}

/** The one shared demo password and the accounts that use it. Empty when nothing was seeded. */
export interface DemoCredentials {
  password: string;
  accounts: DemoAccount[];
  /** Addresses (slugs) of the demo institutions' public lists. */
  publicLists: string[];
}

/** The operator's demo account. */
/** The operator's team: two, so that one can reset the other's lost second factor. */
export const DEMO_PLATFORM_ADMINS = [
  { email: 'admin@vetted.example', firstName: 'Avery', lastName: 'Lindqvist' },
  { email: 'ops@vetted.example', firstName: 'Sam', lastName: 'Whitfield' },
] as const;

type CatalogAppRow = typeof catalogApps.$inferSelect;
type AuditInsert = AuditValues;

/** An audit event for a record the seed created (no user acted: the actor is the seed job). */
function seedAudit(tenantId: string | null, action: AuditAction, recordType: AuditRecordType, recordId: string): AuditInsert {
  return {
    tenantId,
    actorUserId: null,
    actorLabel: 'system:demo-seed',
    actorRole: 'system',
    action,
    recordType,
    recordId,
    changes: {},
    requestId: 'seed',
    source: 'seed',
  };
}

/**
 * Inserts catalog apps that are not there yet (matched by slug), auditing each insert, and returns
 * every requested app's row by slug — the new ones and those already present.
 */
export async function seedCatalog(tx: Tx, apps: readonly DemoCatalogApp[] = DEMO_CATALOG): Promise<Map<string, CatalogAppRow>> {
  if (apps.length === 0) return new Map();
  const inserted = await tx
    .insert(catalogApps)
    .values(
      apps.map((app) => ({
        id: randomUUID(),
        slug: app.slug,
        name: app.name,
        vendor: app.vendor,
        website: app.website,
        privacyPolicyUrl: app.privacyPolicyUrl,
        termsUrl: app.termsUrl,
        categories: [...app.categories],
        description: app.description,
        storageCountries: [...app.storageCountries],
        processingCountries: [...app.processingCountries],
        signInSupport: [...app.signInSupport],
        dataElements: [...app.dataElements],
        isDemo: app.isDemo,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: catalogApps.id });
  if (inserted.length > 0) {
    await appendAuditEvents(
      tx,
      inserted.map((row) => seedAudit(null, 'catalog.create', 'catalog_app', row.id)),
    );
  }
  const rows = await tx
    .select()
    .from(catalogApps)
    .where(
      inArray(
        catalogApps.slug,
        apps.map((a) => a.slug),
      ),
    );
  return new Map(rows.map((row) => [row.slug, row]));
}

/**
 * Seeds the demo data. Returns the shared demo password and the accounts created with it; returns
 * `{ password: '', accounts: [], publicLists: [] }` without writing when the demo is already there.
 */
export async function seedDemo(db: Db, opts: { now?: Date; password?: string | undefined } = {}): Promise<DemoCredentials> {
  const now = opts.now ?? new Date();
  if (await isSeeded(db)) return { password: '', accounts: [], publicLists: [] };

  // Hashing is slow: done once, before the transaction opens.
  const password = opts.password ?? randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  const demo = buildDemoInstitutions(now);

  return withSystem(db, async (tx) => {
    // A concurrent seeder may have won the race since the first check.
    if (await isSeededTx(tx)) return { password: '', accounts: [], publicLists: [] };
    const catalog = await seedCatalog(tx);
    await seedPiaBank(tx, catalog, now);
    const taken = await existingEmails(tx, [
      ...DEMO_PLATFORM_ADMINS.map((a) => a.email),
      ...demo.flatMap((i) => i.users.map((u) => u.email)),
    ]);
    const accounts: DemoAccount[] = [];

    for (const admin of DEMO_PLATFORM_ADMINS) {
      if (taken.has(admin.email.toLowerCase())) continue;
      const id = randomUUID();
      await tx.insert(users).values({ id, tenantId: null, ...admin, role: 'platform_admin', passwordHash });
      await appendAuditEvents(tx, [seedAudit(null, 'user.create', 'user', id)]);
      accounts.push({ email: admin.email, role: 'platform_admin', institution: null });
    }
    for (const institution of demo) {
      accounts.push(...(await seedInstitution(tx, institution, catalog, passwordHash, taken, now)));
    }
    return { password, accounts, publicLists: demo.map((i) => i.publicSlug) };
  });
}

/** Inserts one demo institution with its schools, users, inventory and assessments; returns the accounts created. */
async function seedInstitution(
  tx: Tx,
  demo: DemoInstitution,
  catalog: ReadonlyMap<string, CatalogAppRow>,
  passwordHash: string,
  takenEmails: ReadonlySet<string>,
  now: Date,
): Promise<DemoAccount[]> {
  const tenantId = randomUUID();
  const audits: AuditInsert[] = [];
  await tx.insert(institutions).values({
    id: tenantId,
    name: demo.name,
    kind: demo.kind,
    country: demo.country,
    subdivision: demo.subdivision,
    region: demo.region,
    gradeLevels: demo.gradeLevels,
    status: 'active',
    publicSlug: demo.publicSlug,
    isDemo: true,
    // The demo districts approved many apps before they assessed them in Vetted, as districts moving
    // from spreadsheets do: the rules start off, for a site admin to turn on in Settings.
    requireApprovedPia: false,
    expiredAgreement: 'keep',
  });
  audits.push(seedAudit(tenantId, 'institution.create', 'institution', tenantId));

  const schoolRows = demo.schools.map((s, position) => ({
    tenantId,
    id: randomUUID(),
    name: s.name,
    gradeFrom: s.gradeFrom,
    gradeTo: s.gradeTo,
    position,
  }));
  await tx.insert(schools).values(schoolRows);
  const schoolIds = new Map(demo.schools.map((s, i) => [s.key, schoolRows[i]?.id]));
  for (const row of schoolRows) audits.push(seedAudit(tenantId, 'school.create', 'school', row.id));

  const userRows = demo.users
    .filter((u) => !takenEmails.has(u.email.toLowerCase()))
    .map((u) => ({
      id: randomUUID(),
      tenantId,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      role: u.role,
      canApprove: u.canApprove,
      passwordHash,
    }));
  if (userRows.length > 0) await tx.insert(users).values(userRows);
  const userIds = new Map(userRows.map((u) => [u.email, u.id]));
  for (const u of userRows) audits.push(seedAudit(tenantId, 'user.create', 'user', u.id));
  const accounts: DemoAccount[] = userRows.map((u) => ({ email: u.email, role: u.role, institution: demo.name }));

  const items = demo.inventory.map((item) => {
    const id = randomUUID();
    const source =
      item.source.kind === 'catalog'
        ? catalogSource(catalog, item.source.slug)
        : {
            catalogAppId: null,
            customName: item.source.name,
            customVendor: item.source.vendor,
            customWebsite: item.source.website,
            name: item.source.name,
            vendor: item.source.vendor,
          };
    audits.push(seedAudit(tenantId, 'inventory.create', 'inventory_item', id));
    return {
      tenantId,
      id,
      ...source,
      grades: item.grades,
      schoolIds: item.schools.map((key) => {
        const schoolId = schoolIds.get(key);
        if (!schoolId) throw new Error(`Demo data: unknown school "${key}" in ${demo.name}`);
        return schoolId;
      }),
      audiences: item.audiences,
      dataElements: item.dataElements,
      purpose: item.purpose,
      ownerUserId: item.ownerEmail ? (userIds.get(item.ownerEmail) ?? null) : null,
      status: item.status,
      conditionsOfUse: item.conditionsOfUse,
      agreementType: item.agreement.type,
      agreementSigned: item.agreement.signed,
      agreementSignedOn: item.agreement.signedOn,
      agreementExpiresOn: item.agreement.expiresOn,
      agreementUrl: item.agreement.url,
      nextReviewOn: item.nextReviewOn,
      notes: item.notes,
      isPublic: item.isPublic,
    };
  });
  if (items.length > 0) await tx.insert(inventoryItems).values(items);
  audits.push(
    ...(await seedDemoAssessments(tx, tenantId, demo, items, userIds, now, (action, recordId) =>
      seedAudit(tenantId, action, 'assessment', recordId),
    )),
  );
  for (const domain of demo.ssoDomains) {
    // A domain another institution of this database verified stays theirs.
    if (await unsafeVerifiedElsewhere(tx, tenantId, domain)) continue;
    const id = randomUUID();
    await tx.insert(ssoDomains).values({
      tenantId,
      id,
      domain,
      status: 'verified',
      verificationToken: randomBytes(20).toString('hex'),
      verifiedAt: new Date(),
      verificationMethod: 'operator',
      approvedByLabel: 'system:demo-seed',
    });
    audits.push(seedAudit(tenantId, 'sso_domain.approve', 'sso_domain', id));
  }
  await appendAuditEvents(tx, audits);
  return accounts;
}

/** The catalog columns of an inventory item for a catalog app, with its name and vendor denormalised. */
function catalogSource(catalog: ReadonlyMap<string, CatalogAppRow>, slug: string) {
  const app = catalog.get(slug);
  if (!app) throw new Error(`Demo data: unknown catalog app "${slug}"`);
  return { catalogAppId: app.id, customName: null, customVendor: null, customWebsite: null, name: app.name, vendor: app.vendor };
}

/** Lower-cased emails among `emails` that already have an account. */
async function existingEmails(tx: Tx, emails: readonly string[]): Promise<Set<string>> {
  const lower = emails.map((e) => e.toLowerCase());
  const rows = await tx
    .select({ email: users.email })
    .from(users)
    .where(inArray(sql`lower(${users.email})`, lower));
  return new Set(rows.map((r) => r.email.toLowerCase()));
}

/** Whether the demo catalog (recognised by its first app's slug) is already in the database. */
function isSeeded(db: Db): Promise<boolean> {
  return withSystem(db, isSeededTx);
}

async function isSeededTx(tx: Tx): Promise<boolean> {
  const first = DEMO_CATALOG[0];
  if (!first) return true;
  const rows = await tx.select({ id: catalogApps.id }).from(catalogApps).where(eq(catalogApps.slug, first.slug)).limit(1);
  return rows.length > 0;
}
