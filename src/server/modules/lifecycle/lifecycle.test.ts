import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { archiveJsonSchema, archiveSchema } from '../../../contracts/archive.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildTenantWithUsers, buildUser, PASSWORD, signIn, type Client } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { canonicalJson, digest, verifyAuditChain } from '../../platform/audit.js';
import { projectRoot, queryRows, withSystem, type Database, type Db } from '../../platform/db.js';
import { EXCLUDED_TABLES, archivedTables, systemExportInstitution, systemRestoreInstitution, type InstitutionArchive } from './archive.js';
import { createBackupService } from './backups.service.js';
import { createLifecycleService } from './lifecycle.service.js';
import { listTenantTables } from './tenant-tables.js';
import { readCatalog, rowsOfTenant, tenantTablesOf } from '../../../../test/support/catalog-rows.js';

let t: TestApp;
let operator: Client;
beforeAll(async () => {
  t = await createTestApp();
  operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
});
afterAll(async () => t?.close());

const services = () => {
  const ctx = { db: t.database.db, config: t.config, mailer: { send: async () => {}, folder: undefined }, jobs: t.jobs };
  const backups = createBackupService(ctx);
  return { backups, lifecycle: createLifecycleService(ctx, backups) };
};

/** Rows per tenant table holding this institution's id. */
async function countsOf(db: Db, id: string): Promise<Record<string, number>> {
  return withSystem(db, async (tx) => {
    const out: Record<string, number> = {};
    for (const table of await listTenantTables(tx)) {
      const [r] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(table.name)} where tenant_id = ${id}`);
      out[table.name] = r!.n;
    }
    const [i] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from institutions where id = ${id}`);
    out.institutions = i!.n;
    return out;
  });
}

/** Copies the operator-owned shared tables (the master bank) between databases, as the region import does. */
async function copySharedTables(from: Db, to: Db) {
  for (const table of ['catalog_apps', 'pia_templates', 'pia_template_versions', 'privacy_policy_versions']) {
    const rows = await queryRows<{ r: unknown }>(from, sql`select to_jsonb(x) as r from ${sql.identifier(table)} x`);
    if (!rows.length) continue;
    await to.execute(sql`insert into ${sql.identifier(table)} select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows.map((r) => r.r))}::jsonb) on conflict do nothing`);
  }
}

/** The institution's rows in each archived table, read from the database itself (not through the exporter). */
async function archivedRowsOf(db: Db, id: string) {
  const catalog = await readCatalog(db);
  return rowsOfTenant(db, catalog, id, tenantTablesOf(catalog).filter((x) => !(x.name in EXCLUDED_TABLES)));
}

function withoutTime(a: InstitutionArchive) {
  const { createdAt: _c, ...rest } = a;
  return canonicalJson(rest);
}

describe('the institution archive', () => {
  it('covers every tenant table (or says why not), read from the database catalog', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const tables = await withSystem(t.database.db, (tx) => listTenantTables(tx));
    const archived = new Set((await withSystem(t.database.db, (tx) => archivedTables(tx))).map((x) => x.name));
    for (const table of tables) {
      expect(archived.has(table.name) || table.name in EXCLUDED_TABLES, `tenant table ${table.name} is neither archived nor excluded`).toBe(true);
    }
    for (const name of Object.keys(EXCLUDED_TABLES)) expect(tables.map((x) => x.name)).toContain(name);
    const counts = await countsOf(t.database.db, tenant.institution.id);
    for (const [table, n] of Object.entries(counts)) expect(n, `populate test/support/populate.ts with a row of ${table}`).toBeGreaterThan(0);

    const archive = await systemExportInstitution(t.database.db, tenant.institution.id, 'portability');
    for (const name of archived) expect(archive.tables[name]?.rows.length, name).toBe(counts[name]);
    // Portability never carries sign-in secrets.
    expect(archive.tables.users!.rows.every((r) => r.password_hash === null)).toBe(true);
    expect(archive.redactedColumns.users).toContain('password_hash');
  });

  it('backs up encrypted, and restores into a fresh database with equal content', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const { backups } = services();
    const result = await backups.systemBackupInstitution(tenant.institution.id);
    const file = await backups.store.getArchive(tenant.institution.id, result.name);
    expect(file.toString('latin1')).not.toContain(tenant.institution.name);
    const before = await systemExportInstitution(t.database.db, tenant.institution.id, 'backup');

    const other: Database = await openTestDatabase();
    try {
      // The other database serves the same region: it has the same master bank (catalog, templates).
      await copySharedTables(t.database.db, other.db);
      const restoreCtx = { db: other.db, config: t.config, jobs: t.jobs };
      const restored = await createBackupService(restoreCtx, backups.store).systemRestoreFile(file);
      expect(restored.institutionId).toBe(tenant.institution.id);
      // The master bank was there: nothing of it is added, and the region's own records are kept.
      expect(Object.values(restored.shared).every((n) => n === 0)).toBe(true);
      expect(await archivedRowsOf(other.db, tenant.institution.id)).toEqual(await archivedRowsOf(t.database.db, tenant.institution.id));
      const after = await systemExportInstitution(other.db, tenant.institution.id, 'backup');
      expect(after.contentDigest).toBe(before.contentDigest);
      expect(withoutTime(after)).toBe(withoutTime(before));
      expect(await withSystem(other.db, (tx) => verifyAuditChain(tx, tenant.institution.id))).toMatchObject({ ok: true });
      // A second restore into the same database is refused.
      await expect(createBackupService(restoreCtx, backups.store).systemRestoreFile(file)).rejects.toThrow(/already exists/);
      // An altered file does not decrypt.
      const tampered = Buffer.from(file);
      tampered[tampered.length - 5]! ^= 1;
      await expect(backups.openBackupFile(tampered)).rejects.toThrow();
    } finally {
      await other.close();
    }
  }, 120_000);

  it('restores into an empty database with the master-bank records it refers to, or refuses clearly and writes nothing', async () => {
    const db = t.database.db;
    const tenant = await buildPopulatedTenant(t.app, db);
    const id = tenant.institution.id;
    // The template the institution's assessment adopted gets a section and a question: parts of its version.
    const [used] = await queryRows<{ template_id: string; base_version_id: string }>(db, sql`select template_id, base_version_id from assessments where tenant_id = ${id}`);
    const sectionId = randomUUID();
    await db.execute(sql`insert into pia_template_sections (id, version_id, key, title) values (${sectionId}, ${used!.base_version_id}, 'A', 'Screening')`);
    await db.execute(sql`insert into pia_template_questions (id, version_id, section_id, key, kind, prompt) values (${randomUUID()}, ${used!.base_version_id}, ${sectionId}, 'a.personal', 'yes_no_unsure', 'Personal information?')`);
    const { backups } = services();
    const file = await backups.store.getArchive(id, (await backups.systemBackupInstitution(id)).name);
    const before = await systemExportInstitution(db, id, 'backup');
    expect(Object.fromEntries(Object.entries(before.shared!).map(([k, v]) => [k, v.rows.length]))).toEqual({
      catalog_apps: 1,
      pia_templates: 1,
      pia_template_versions: 1,
      pia_template_sections: 1,
      pia_template_questions: 1,
      // The privacy-policy version its site admin's notice names.
      privacy_policy_versions: 1,
    });

    const empty: Database = await openTestDatabase();
    try {
      const restoreCtx = { db: empty.db, config: t.config, jobs: t.jobs };
      const archive = await backups.openBackupFile(file);
      // A backup without the master bank (made before archives carried it) is refused before anything is written…
      const { shared: _s, ...bare } = archive;
      await expect(systemRestoreInstitution(empty.db, bare, t.config.region)).rejects.toThrow(
        /lacks records of the master bank .*: catalog_apps \(1\), pia_templates \(1\), pia_template_versions \(1\)/,
      );
      // …so is one whose records clash with a different master bank (the same template slug, another id)…
      const slug = (archive.shared!.pia_templates!.rows[0]! as { slug: string }).slug;
      await empty.db.execute(sql`insert into pia_templates (id, slug, title) values (${randomUUID()}, ${slug}, 'Another bank')`);
      await expect(createBackupService(restoreCtx, backups.store).systemRestoreFile(file)).rejects.toThrow(/master bank holds other records .*: pia_templates \(1\)/);
      expect(Object.values(await countsOf(empty.db, id)).every((n) => n === 0)).toBe(true);
      const [bank] = await queryRows<{ n: number }>(empty.db, sql`select (select count(*) from catalog_apps) + (select count(*) from pia_template_versions) as n`);
      expect(Number(bank!.n)).toBe(0);
      await empty.db.execute(sql`delete from pia_templates`);

      // …and into a database without any master bank, the archive brings what the institution needs.
      const restored = await createBackupService(restoreCtx, backups.store).systemRestoreFile(file);
      expect(restored.shared).toMatchObject({ catalog_apps: 1, pia_templates: 1, pia_template_versions: 1, pia_template_sections: 1, pia_template_questions: 1 });
      expect(await archivedRowsOf(empty.db, id)).toEqual(await archivedRowsOf(db, id));
      const after = await systemExportInstitution(empty.db, id, 'backup');
      expect(after.contentDigest).toBe(before.contentDigest);
      expect(withoutTime(after)).toBe(withoutTime(before));
    } finally {
      await empty.close();
    }
  }, 120_000);

  it('follows the committed JSON Schema', async () => {
    const committed = JSON.parse(await readFile(path.join(projectRoot, 'docs/archive-format.schema.json'), 'utf8'));
    expect(committed, 'regenerate docs/archive-format.schema.json from src/contracts/archive.ts').toEqual(archiveJsonSchema());
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const archive = await systemExportInstitution(t.database.db, tenant.institution.id, 'backup');
    expect(archiveSchema.safeParse(JSON.parse(JSON.stringify(archive))).success).toBe(true);
    expect(archiveSchema.safeParse({ ...archive, contentDigest: 'x' }).success).toBe(false);
  });

  it('lets a site admin download the portability archive', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const res = await tenant.siteAdmin.request('GET', '/api/v1/institution/archive');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="vetted-archive-/);
    const body = res.json() as InstitutionArchive;
    expect(body.format).toBe('vetted-institution-archive');
    expect(body.institutionId).toBe(tenant.institution.id);
    expect((await tenant.appAdmin.request('GET', '/api/v1/institution/archive')).statusCode).toBe(403);
  });
});

describe('the audit chain', () => {
  it('verifies, and detects a changed field, a changed actor and a removed event', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const ok = await tenant.siteAdmin.request('GET', '/api/v1/audit/verify');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true });
    expect(ok.json().events).toBeGreaterThan(3);
    const id = tenant.institution.id;
    const verify = async () => (await tenant.siteAdmin.request('GET', '/api/v1/audit/verify')).json();
    const [e2] = await queryRows<{ id: number; action: string }>(t.database.db, sql`select id, action from audit_events where tenant_id = ${id} and seq = 2`);
    // The database owner (the app roles cannot) changes a field…
    await t.database.db.execute(sql`update audit_events set action = 'inventory.nothing' where id = ${e2!.id}`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: 'hash' } });
    await t.database.db.execute(sql`update audit_events set action = ${e2!.action} where id = ${e2!.id}`);
    expect(await verify()).toMatchObject({ ok: true });
    // …or who did it…
    const [e3] = await queryRows<{ actor_label: string }>(t.database.db, sql`select actor_label from audit_events where tenant_id = ${id} and seq = 3`);
    await t.database.db.execute(sql`update audit_events set actor_label = 'someone else' where tenant_id = ${id} and seq = 3`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: 'content' } });
    await t.database.db.execute(sql`update audit_events set actor_label = ${e3!.actor_label} where tenant_id = ${id} and seq = 3`);
    // …or removes an event.
    await t.database.db.execute(sql`delete from audit_events where tenant_id = ${id} and seq = 1`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: 'gap' } });
  });

  it('seals the events written before the chain existed; changing, removing or adding one is still detected', async () => {
    const db = t.database.db;
    const { institution } = await buildInstitution(db);
    const id = institution.id;
    const admin = await buildUser(db, { tenantId: id, role: 'site_admin' });
    const leaver = await buildUser(db, { tenantId: id, role: 'app_admin' });
    // Events as the service wrote them before chaining existed (migration 0007): no seq, hash or personal digest.
    const legacy = [
      [admin, 'institution.update', { name: { before: 'Old name', after: 'New name' } }],
      [leaver, 'inventory.create', { name: { before: null, after: 'Reading app' } }],
      [admin, 'user.update', { email: { before: null, after: leaver.email } }],
    ] as const;
    for (const [i, [who, action, changes]] of legacy.entries()) {
      await db.execute(sql`insert into audit_events (tenant_id, at, actor_user_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
        values (${id}, now() - interval '30 days' + ${i} * interval '1 hour', ${who.id}, ${`${who.firstName} ${who.lastName}`}, ${who.role}, ${action}, 'institution', ${id}, ${JSON.stringify(changes)}::jsonb, ${`legacy-${i}`}, 'web')`);
    }
    const siteAdmin = await signIn(t.app, admin);
    const verify = async () => (await siteAdmin.request('GET', '/api/v1/audit/verify')).json();
    expect(await verify()).toMatchObject({ ok: false, sealed: 0, brokenAt: { seq: null, reason: 'unchained' } });

    const { lifecycle } = services();
    expect(await lifecycle.systemSealAll(id)).toEqual([{ tenantId: id, sealed: 3 }]);
    expect(await lifecycle.systemSealAll(id)).toEqual([{ tenantId: id, sealed: 0 }]);
    expect(await verify()).toMatchObject({ ok: true, sealed: 3 });
    expect((await siteAdmin.request('GET', '/api/v1/audit?action=audit.seal')).json().items).toHaveLength(1);

    const [first] = await queryRows<{ id: number; action: string; actor_label: string }>(db, sql`select id::int as id, action, actor_label from audit_events where tenant_id = ${id} and seq is null order by id limit 1`);
    const restoreFirst = () => db.execute(sql`update audit_events set action = ${first!.action}, actor_label = ${first!.actor_label} where id = ${first!.id}`);
    // A sealed event changed…
    await db.execute(sql`update audit_events set action = 'institution.nothing' where id = ${first!.id}`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { reason: 'sealed' } });
    await restoreFirst();
    // …or its personal part changed outside the erasure procedure…
    await db.execute(sql`update audit_events set actor_label = 'Someone else' where id = ${first!.id}`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { id: first!.id, reason: 'content' } });
    await restoreFirst();
    expect(await verify()).toMatchObject({ ok: true, sealed: 3 });
    // …or an unchained event slipped in: verify finds it, and sealing again will not cover it.
    await db.execute(sql`insert into audit_events (tenant_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source, pii_digest)
      values (${id}, 'Intruder', 'site_admin', 'user.update', 'user', ${admin.id}, '{}'::jsonb, 'x', 'web', 'x')`);
    expect(await verify()).toMatchObject({ ok: false });
    await expect(lifecycle.systemSealAll(id)).resolves.toEqual([{ tenantId: id, sealed: 0 }]);
    await db.execute(sql`delete from audit_events where tenant_id = ${id} and request_id = 'x'`);
    expect(await verify()).toMatchObject({ ok: true, sealed: 3 });
    // …or a sealed event removed.
    const [gone] = await queryRows<Record<string, unknown>>(db, sql`select * from audit_events where id = ${first!.id}`);
    await db.execute(sql`delete from audit_events where id = ${first!.id}`);
    expect(await verify()).toMatchObject({ ok: false, brokenAt: { reason: 'sealed' } });
    await db.execute(sql`insert into audit_events overriding system value select * from jsonb_populate_record(null::audit_events, ${JSON.stringify(gone)}::jsonb)`);
    expect(await verify()).toMatchObject({ ok: true, sealed: 3 });

    // Erasing a person named in sealed events keeps the chain whole.
    const leaving = await signIn(t.app, leaver);
    expect((await leaving.request('DELETE', '/api/v1/me')).statusCode).toBe(200);
    const [scrubbed] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from audit_events where tenant_id = ${id} and seq is null and redacted_at is not null`);
    expect(scrubbed!.n).toBe(2);
    expect(await verify()).toMatchObject({ ok: true, sealed: 3 });
  });

  it('never seals an unchained event written after the chain began', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const id = tenant.institution.id;
    await t.database.db.execute(sql`insert into audit_events (tenant_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
      values (${id}, 'Intruder', 'site_admin', 'user.update', 'user', ${tenant.appAdmin.user.id}, '{}'::jsonb, 'late', 'web')`);
    await expect(services().lifecycle.systemSealAll(id)).rejects.toThrow(/written after the chain began/);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: false, brokenAt: { reason: 'unchained' } });
  });

  it('keeps one chain under concurrent writers', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Parallel ${i}` } })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    expect((await tenant.siteAdmin.request('GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});

describe('offboarding and purge', () => {
  it('makes the institution read-only, then purges every row, archive and key, and certifies it', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const neighbour = await buildPopulatedTenant(t.app, t.database.db);
    const id = tenant.institution.id;
    const { backups, lifecycle } = services();
    await backups.systemBackupInstitution(id);
    await backups.systemBackupInstitution(neighbour.institution.id);
    const neighbourBefore = await systemExportInstitution(t.database.db, neighbour.institution.id, 'backup');

    // Only a platform admin sets the end of service.
    expect((await tenant.siteAdmin.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'dpo@example.org' })).statusCode).toBe(403);
    const off = await operator.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'DPO@example.org' });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json()).toMatchObject({ status: 'scheduled', phase: 'read_only', contactEmail: 'dpo@example.org' });
    expect(new Date(off.json().purgeAfter).getTime() - new Date(off.json().endOfServiceAt).getTime()).toBe(7 * 24 * 3600_000);

    // Read-only, but still readable and exportable.
    const write = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Too late' } });
    expect(write.statusCode).toBe(409);
    expect(write.json().error.code).toBe('institution_read_only');
    expect((await tenant.appAdmin.request('GET', '/api/v1/inventory')).statusCode).toBe(200);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/institution/archive')).statusCode).toBe(200);
    expect((await neighbour.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Still fine' } })).statusCode).toBe(201);
    const neighbourAfterWrite = await systemExportInstitution(t.database.db, neighbour.institution.id, 'backup');

    // Not due before the grace period ends; due after.
    expect(await lifecycle.systemDueForPurge()).not.toContain(id);
    expect(await lifecycle.systemDueForPurge(new Date(Date.now() + 8 * 24 * 3600_000))).toContain(id);

    // A spreadsheet export left on disk goes with the rest.
    const exportsDir = path.join(t.config.dataDir, 'exports', id);
    await mkdir(exportsDir, { recursive: true });
    await writeFile(path.join(exportsDir, 'old.xlsx'), 'x');
    const purgeCtx = { ...services(), mailer: { send: (m: { to: string; subject: string; text: string }) => mails.push(m), folder: undefined } };
    const mails: { to: string; subject: string; text: string }[] = [];
    const certificate = await createLifecycleService({ db: t.database.db, config: t.config, mailer: purgeCtx.mailer as never, jobs: t.jobs }, backups).systemPurge(id, { batchSize: 2 });

    const after = await countsOf(t.database.db, id);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await backups.store.listArchives(id)).toEqual([]);
    expect(await backups.store.getKey(id)).toBeNull();
    expect(existsSync(exportsDir)).toBe(false);
    expect(certificate).toMatchObject({ keyDestroyed: true, archivesRemoved: 1, contactEmail: null });
    expect(certificate.digest).toMatch(/^[0-9a-f]{64}$/);
    expect((certificate.tableCounts as Record<string, number>).inventory_items).toBe(3);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('dpo@example.org');
    expect(mails[0]!.text).toContain(certificate.digest!);
    expect(JSON.stringify(certificate)).not.toContain(tenant.siteAdmin.user.email);

    // The neighbour is untouched, byte for byte, with its archive and key.
    const neighbourNow = await systemExportInstitution(t.database.db, neighbour.institution.id, 'backup');
    expect(withoutTime(neighbourNow)).toBe(withoutTime(neighbourAfterWrite));
    expect(neighbourBefore.contentDigest).not.toBe(neighbourAfterWrite.contentDigest);
    expect(await backups.store.listArchives(neighbour.institution.id)).toHaveLength(1);

    // Platform admins see the certificate; nobody else does. Running the purge again changes nothing.
    const list = await operator.request('GET', '/api/v1/deletion-certificates');
    expect(list.json().items.find((c: { institutionId: string }) => c.institutionId === id)).toMatchObject({ keyDestroyed: true, mailed: true });
    const one = await operator.request('GET', `/api/v1/deletion-certificates/${certificate.id}`);
    expect(one.json()).toMatchObject({ certificateId: certificate.id, institutionName: tenant.institution.name, digest: certificate.digest, archivesRemoved: 1 });
    const file = await operator.request('GET', `/api/v1/deletion-certificates/${certificate.id}/download`);
    expect(file.headers['content-disposition']).toBe(`attachment; filename="vetted-deletion-certificate-${id}.json"`);
    // Anyone holding the file can check its digest: SHA-256 of the canonical certificate without `digest` and `mailed`.
    const { digest: stated, mailed: _m, ...body } = file.json();
    expect(digest(body)).toBe(stated);
    expect((await operator.request('GET', `/api/v1/deletion-certificates/${randomUUID()}`)).statusCode).toBe(404);
    expect((await neighbour.siteAdmin.request('GET', `/api/v1/deletion-certificates/${certificate.id}`)).statusCode).toBe(403);
    expect((await neighbour.siteAdmin.request('GET', '/api/v1/deletion-certificates')).statusCode).toBe(403);
    const again = await services().lifecycle.systemPurge(id);
    expect(again.digest).toBe(certificate.digest);
  }, 120_000);
});

describe('rights of individuals', () => {
  it('shows, corrects, downloads and erases my data; the last site admin cannot leave', async () => {
    const tenant = await buildPopulatedTenant(t.app, t.database.db);
    const mine = await tenant.appAdmin.request('GET', '/api/v1/me/data');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().profile.email).toBe(tenant.appAdmin.user.email);
    expect(mine.json().sessions.some((s: { current: boolean }) => s.current)).toBe(true);
    expect(mine.json().auditEvents.length).toBeGreaterThan(0);
    expect(JSON.stringify(mine.json())).not.toContain('password');
    // The person's reminder choices and notifications are theirs too.
    expect(mine.json().reminderPreferences).toEqual({ categories: ['reviews'], byEmail: false, decisionWaitDays: 10 });
    expect(mine.json().notifications).toEqual([]);
    const admins = (await tenant.siteAdmin.request('GET', '/api/v1/me/data')).json();
    expect(admins.reminderPreferences).toBeNull();
    expect(admins.notifications).toMatchObject([{ day: '2026-11-01', category: 'reviews', subject: 'App', days: 7, date: '2026-11-08', readAt: null }]);

    const fix = await tenant.appAdmin.request('PATCH', '/api/v1/me', { firstName: 'Corrected' });
    expect(fix.statusCode, fix.body).toBe(200);
    expect(fix.json()).toMatchObject({ firstName: 'Corrected', email: tenant.appAdmin.user.email.toLowerCase() });
    // The email changes only by a link to the new address (account.test.ts); the earlier one is erased too below.
    const taken = await tenant.approver.request('PATCH', '/api/v1/me', { email: tenant.appAdmin.user.email });
    expect(taken.json().error.fieldCodes).toEqual({ email: 'email_by_link' });
    expect((await tenant.appAdmin.request('POST', '/api/v1/account/email', { newEmail: 'Corrected.Person@Example.org', password: PASSWORD })).statusCode).toBe(202);
    const token = decodeURIComponent(/token=([A-Za-z0-9_%-]+)/.exec((await t.smtp.waitFor('corrected.person@example.org')).text ?? '')![1]!);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/email-changes/confirm', payload: { token } })).statusCode).toBe(204);
    expect((await tenant.appAdmin.request('PATCH', '/api/v1/me', { firstName: '' })).statusCode).toBe(400);

    const download = await tenant.appAdmin.request('GET', '/api/v1/me/export');
    expect(download.headers['content-disposition']).toMatch(/attachment/);
    expect(download.json().profile.firstName).toBe('Corrected');

    const last = await tenant.siteAdmin.request('DELETE', '/api/v1/me');
    expect(last.statusCode).toBe(409);
    expect(last.json().error.message).toMatch(/last site administrator/);

    const erased = await tenant.appAdmin.request('DELETE', '/api/v1/me');
    expect(erased.statusCode, erased.body).toBe(200);
    const pseudonym = erased.json().pseudonym as string;
    expect((await tenant.appAdmin.request('GET', '/api/v1/me/data')).statusCode).toBe(401);
    const everywhere = JSON.stringify(await systemExportInstitution(t.database.db, tenant.institution.id, 'backup')).toLowerCase();
    expect(everywhere).not.toContain('corrected.person@example.org');
    expect(everywhere).not.toContain(tenant.appAdmin.user.email.toLowerCase());
    expect(everywhere).toContain(pseudonym);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});
