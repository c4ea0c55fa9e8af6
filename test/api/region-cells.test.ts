/**
 * Two region cells, each the whole service on its own database: `ca` (the primary, which signs the
 * bank bundle) and `us` (which trusts its keys and pulls from a real HTTP server on loopback).
 * Institutions of the other region are refused both ways; the bank and catalog travel as a signed
 * bundle, column for column, and a bundle tampered with, replayed, older or signed by an unknown key
 * changes nothing; an institution moves from one cell to the other with its portability archive,
 * then is purged in the first with its certificate.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTableColumns, type Table } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { decryptAttachment, openAttachmentKey } from '../../src/server/modules/attachments/attachment-crypto.js';
import { institutions, offboardings, piaUpdateNotices } from '../../src/server/db/schema/index.js';
import {
  BANK_TABLES,
  bankTables,
  publicKeyOf,
  serializeBundle,
  signBundle,
  type BankBundle,
} from '../../src/server/modules/bundle/bank-bundle.js';
import { createBundleService } from '../../src/server/modules/bundle/bundle.service.js';
import { createUpdateNoticeJobs } from '../../src/server/modules/assessments/update-notice.job.js';
import { queryRows, withSystem, type Db } from '../../src/server/platform/db.js';
import { createMailer } from '../../src/server/platform/mail.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { sampleSections, uniqueSlug } from '../support/pia.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Json = Record<string, any>;

const seed = randomBytes(32);
const retiredSeed = randomBytes(32);
const strangerSeed = randomBytes(32);
const b64 = (b: Buffer) => b.toString('base64');

let ca: TestApp;
let us: TestApp;
let caOperator: Client;
let usOperator: Client;
let server: Server;
/** What the loopback server answers at /bundle (404 while null). */
let served: string | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url !== '/bundle' || served === null) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  ca = await createTestApp({ REGION: 'ca', BUNDLE_SIGNING_KEY: b64(seed) });
  us = await createTestApp({
    REGION: 'us',
    // Two keys during a rotation: the retired one and the current one.
    BUNDLE_TRUSTED_KEYS: [b64(publicKeyOf(retiredSeed)), b64(publicKeyOf(seed))].join(','),
    BUNDLE_PULL_URL: `http://127.0.0.1:${port}/bundle`,
  });
  caOperator = await signIn(ca.app, await buildUser(ca.database.db, { tenantId: null, role: 'platform_admin' }));
  usOperator = await signIn(us.app, await buildUser(us.database.db, { tenantId: null, role: 'platform_admin' }));
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await us?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** Every row of the bank tables as the database holds them (published versions and their content only). */
async function bankRows(db: Db): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  for (const t of bankTables()) {
    const where =
      t.name === 'pia_template_versions'
        ? sql`where t.status = 'published'`
        : t.name === 'pia_template_sections' || t.name === 'pia_template_questions'
          ? sql`where t.version_id in (select id from pia_template_versions where status = 'published')`
          : sql``;
    const rows = await withSystem(db, (tx) =>
      queryRows<{ r: Json }>(tx, sql`select to_jsonb(t) as r from ${sql.identifier(t.name)} t ${where} order by t.id`),
    );
    out[t.name] = rows.map(({ r }) => r);
  }
  return out;
}

/** A fingerprint of everything a refused bundle must leave as it was. */
async function fingerprint(db: Db) {
  return withSystem(db, async (tx) => {
    const parts: Record<string, unknown> = {};
    for (const name of [...bankTables().map((t) => t.name), 'bank_bundles']) {
      const [r] = await queryRows<{ n: number; d: string | null }>(
        tx,
        sql`select count(*)::int as n, md5(string_agg(to_jsonb(t)::text, ',' order by t.id)) as d from ${sql.identifier(name)} t`,
      );
      parts[name] = r;
    }
    const [audit] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from audit_events`);
    const [jobs] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from pgboss.job`);
    return { ...parts, audit: audit!.n, jobs: jobs!.n };
  });
}

/** Publishes a new template version (the first one when `templateId` is not given), as the CA operator. */
async function publishTemplate(
  catalogAppId: string | null,
  templateId?: string,
  changeLog = 'First version',
): Promise<{ templateId: string; versionId: string }> {
  let draft: Json;
  if (!templateId) {
    const created = await caOperator.request('POST', '/api/v1/bank/templates', {
      slug: uniqueSlug(),
      title: `Cell PIA ${uniqueSlug('t')}`,
      fr: { title: `EFVP de la cellule ${uniqueSlug('t')}`, description: '' },
      catalogAppId,
      jurisdictions: ['BC'],
    });
    expect(created.statusCode, created.body).toBe(201);
    templateId = created.json().id as string;
    draft = created.json().versions[0];
  } else {
    draft = (await caOperator.request('POST', `/api/v1/bank/templates/${templateId}/versions`)).json();
  }
  const saved = await caOperator.request('PUT', `/api/v1/bank/versions/${draft.id}`, {
    version: draft.version,
    changeLog,
    sections: sampleSections(),
  });
  expect(saved.statusCode, saved.body).toBe(200);
  const published = await caOperator.request('POST', `/api/v1/bank/versions/${draft.id}/publish`, { version: saved.json().version });
  expect(published.statusCode, published.body).toBe(200);
  return { templateId, versionId: draft.id as string };
}

/** Publishes a bundle in CA and returns the document the other cells fetch. */
async function publishBundle(): Promise<string> {
  const res = await caOperator.request('POST', '/api/v1/bank-bundles');
  expect(res.statusCode, res.body).toBe(201);
  const latest = await ca.app.inject({ method: 'GET', url: '/api/v1/bank-bundles/latest' });
  expect(latest.statusCode).toBe(200);
  expect(JSON.parse(latest.body).sequence).toBe(res.json().sequence);
  return latest.body;
}

const importInto = (t: TestApp, operator: Client, document: string) =>
  operator.request('POST', '/api/v1/bank-bundles/import', { document });

const institutionBody = (country: 'CA' | 'US', subdivision: string) => ({
  name: `Cell District ${uniqueSlug()}`,
  kind: 'district',
  country,
  subdivision,
  gradeLevels: ['K', '1'],
  firstSiteAdmin: { email: `first.${uniqueSlug()}@example.org`, firstName: 'Ana', lastName: 'Okafor' },
});

describe('region cells', () => {
  it('refuses an institution of the other region both ways, naming where it belongs, and creates nothing', async () => {
    const count = async (t: TestApp) =>
      (await withSystem(t.database.db, (tx) => queryRows<{ n: number }>(tx, sql`select count(*)::int as n from institutions`)))[0]!.n;
    const [caBefore, usBefore] = [await count(ca), await count(us)];

    const american = await caOperator.request('POST', '/api/v1/institutions', institutionBody('US', 'WA'));
    expect(american.statusCode).toBe(400);
    expect(american.json().error.fields).toEqual({ country: 'This institution is in the United States: create it in the US region (us).' });
    expect(american.json().error.fieldCodes).toEqual({ country: 'belongs_in_us' });

    const canadian = await usOperator.request('POST', '/api/v1/institutions', institutionBody('CA', 'QC'));
    expect(canadian.statusCode).toBe(400);
    expect(canadian.json().error.fields).toEqual({ country: 'This institution is in Canada: create it in the Canadian region (ca).' });
    expect(canadian.json().error.fieldCodes).toEqual({ country: 'belongs_in_ca' });

    expect([await count(ca), await count(us)]).toEqual([caBefore, usBefore]);
    // Each cell takes its own.
    expect((await usOperator.request('POST', '/api/v1/institutions', institutionBody('US', 'OR'))).json().region).toBe('us');
    expect((await caOperator.request('POST', '/api/v1/institutions', institutionBody('CA', 'NS'))).json().region).toBe('ca');
  });
});

describe('the signed bank bundle', () => {
  it('carries every column of every bank table and no person, and gives the other cell the same catalog and bank', async () => {
    const app = await buildCatalogApp(ca.database.db, { name: `Bundled ${uniqueSlug()}` });
    await publishTemplate(app.id);
    // A draft stays in the primary.
    const draftOnly = await caOperator.request('POST', '/api/v1/bank/templates', { slug: uniqueSlug(), title: 'Draft only' });
    const document = await publishBundle();
    const bundle = JSON.parse(document) as BankBundle;

    // Every column the drizzle definitions declare, and every column the database has, is in every row.
    for (const table of BANK_TABLES) {
      const t = bankTables().find((b) => b.name === getTableConfig(table).name)!;
      const declared = Object.values(getTableColumns(table as Table))
        .map((c) => c.name)
        .sort();
      const inDb = (
        await queryRows<{ c: string }>(
          ca.database.db,
          sql`select column_name::text as c from information_schema.columns where table_schema = 'public' and table_name = ${t.name}`,
        )
      )
        .map((r) => r.c)
        .sort();
      expect(declared, t.name).toEqual(inDb);
      expect(bundle.tables[t.name]!.rows.length, t.name).toBeGreaterThan(0);
      for (const row of bundle.tables[t.name]!.rows) expect(Object.keys(row).sort(), t.name).toEqual(inDb);
    }
    // No person: the operator who published is a neutral actor, named nowhere.
    expect(bundle.tables.pia_template_versions!.rows.every((r) => r.published_by === null)).toBe(true);
    expect(document).not.toContain(caOperator.user.email);
    expect(document).not.toContain(caOperator.user.id);
    expect(document).not.toContain(caOperator.user.lastName);
    expect(document).not.toContain(draftOnly.json().versions[0].id);

    const applied = await importInto(us, usOperator, document);
    expect(applied.statusCode, applied.body).toBe(200);
    const [source, copy] = [await bankRows(ca.database.db), await bankRows(us.database.db)];
    for (const t of bankTables()) {
      const neutral = source[t.name]!.map((r) => ({ ...r, ...Object.fromEntries(t.personColumns.map((c) => [c, null])) }));
      expect(copy[t.name], t.name).toEqual(neutral);
    }
    // Recorded with its audit event.
    const [event] = await queryRows<Json>(
      us.database.db,
      sql`select action, actor_label from audit_events where action = 'bank.bundle.import' order by created_at desc limit 1`,
    );
    expect(event).toMatchObject({ action: 'bank.bundle.import' });
  });

  it('refuses a bundle tampered with, replayed, older or signed by an unknown key, changing nothing', async () => {
    await publishTemplate(null);
    const older = await publishBundle();
    await publishTemplate(null);
    const current = await publishBundle();
    expect((await importInto(us, usOperator, current)).statusCode).toBe(200);
    const before = await fingerprint(us.database.db);

    // Any byte: a few spread over the document, each changed to another character.
    for (const at of [10, Math.floor(current.length / 3), Math.floor(current.length / 2), current.length - 20]) {
      const ch = current[at] === 'a' ? 'b' : 'a';
      const tampered = current.slice(0, at) + ch + current.slice(at + 1);
      const res = await importInto(us, usOperator, tampered);
      expect(res.statusCode, `byte ${at}`).toBe(400);
      expect(res.json().error.fields.document, `byte ${at}`).toMatch(/changed|not valid JSON|not a Vetted bank bundle|digest/);
    }
    // A valid bundle with a name changed and its digest recomputed: the signature no longer matches.
    const forged = JSON.parse(current) as BankBundle;
    forged.tables.catalog_apps!.rows[0]!.name = 'Forged';
    const { signature, contentDigest: _d, ...content } = forged;
    const reDigested = { ...signBundle(content, seed), signature };
    const res = await importInto(us, usOperator, serializeBundle(reDigested));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.document).toBe('has a signature that does not match its content: it was changed after it was signed');

    const replay = await importInto(us, usOperator, current);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().error.message).toMatch(/^Bank bundle \d+ was already applied here on .*: nothing changed\.$/);
    const old = await importInto(us, usOperator, older);
    expect(old.statusCode).toBe(409);
    expect(old.json().error.message).toMatch(/^Bank bundle \d+ is older than bundle \d+, applied here already: nothing changed\.$/);

    const stranger = serializeBundle(signBundle({ ...content, sequence: content.sequence + 1 }, strangerSeed));
    const unknownKey = await importInto(us, usOperator, stranger);
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().error.fields.document).toMatch(
      /^is signed by key [0-9a-f]{16}, which this cell does not trust \(BUNDLE_TRUSTED_KEYS\)$/,
    );

    expect(await fingerprint(us.database.db)).toEqual(before);

    // The retired key of a rotation is still trusted here: the primary's next bundle, signed with it.
    const { signature: _s, contentDigest: _n, ...next } = JSON.parse(await publishBundle()) as BankBundle;
    const rotated = await importInto(us, usOperator, serializeBundle(signBundle(next, retiredSeed)));
    expect(rotated.statusCode, rotated.body).toBe(200);
  });

  it('applies a bundle of unchanged content again without changing a row', async () => {
    const first = await importInto(us, usOperator, await publishBundle());
    expect(first.statusCode, first.body).toBe(200);
    const rows = await bankRows(us.database.db);
    const again = await importInto(us, usOperator, await publishBundle());
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().newVersions).toBe(0);
    expect(await bankRows(us.database.db)).toEqual(rows);
  });

  it('is pulled on schedule from the primary, and a version it brings reaches adopters as an update notice', async () => {
    const app = await buildCatalogApp(ca.database.db, { name: `Pulled ${uniqueSlug()}` });
    const { templateId, versionId: v1 } = await publishTemplate(app.id);
    served = await publishBundle();
    // The job as the US cell registered it (its definition, to send and run it now rather than at its cron).
    const ctx = { db: us.database.db, config: us.config, jobs: us.jobs, mailer: createMailer(us.config) };
    const service = createBundleService(ctx, { notify: createUpdateNoticeJobs(ctx).fanOut });
    await us.jobs.send(service.pullJob, {});
    await us.jobs.runPending(service.pullJob);
    const [state] = await queryRows<{ state: string }>(
      us.database.db,
      sql`select state from pgboss.job where name = 'bank-bundle-pull-v1' order by created_on desc limit 1`,
    );
    expect(state!.state).toBe('completed');
    expect((await bankRows(us.database.db)).pia_template_versions!.map((v) => v.id)).toContain(v1);

    // A US district adopts the template in its own cell.
    const tenant = await buildTenantWithUsers(us.app, us.database.db, { country: 'US', subdivision: 'WA', region: 'us' });
    const item = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Reading',
    });
    expect(item.statusCode, item.body).toBe(201);
    const assessment = await tenant.appAdmin.request('POST', '/api/v1/assessments', {
      inventoryItemId: item.json().id,
      templateVersionId: v1,
    });
    expect(assessment.statusCode, assessment.body).toBe(201);

    // The primary publishes version 2; the pull brings it; its adopters here are told.
    const { versionId: v2 } = await publishTemplate(app.id, templateId, 'Storage reworded.');
    served = await publishBundle();
    await us.jobs.send(service.pullJob, {});
    await us.jobs.runPending();
    await us.jobs.runPending();
    const notices = await withSystem(us.database.db, (tx) =>
      tx
        .select()
        .from(piaUpdateNotices)
        .where(and(eq(piaUpdateNotices.versionId, v2), eq(piaUpdateNotices.tenantId, tenant.institution.id))),
    );
    expect(notices.map((n) => n.userId)).toContain(tenant.siteAdmin.user.id);
    const mail = await us.smtp.waitFor(tenant.siteAdmin.user.email);
    expect(mail.text).toContain(`/assessments/${assessment.json().id}/merge`);
    expect(mail.text).toContain('Storage reworded.');
  });
});

describe('moving an institution between regions', () => {
  it('moves a US district out of the Canadian cell: archive, import in the US cell, purge with its certificate in the Canadian one', async () => {
    // The bank both cells share, so the district's assessment finds its template in the US.
    const app = await buildCatalogApp(ca.database.db, { name: `Moved ${uniqueSlug()}` });
    const { versionId } = await publishTemplate(app.id);
    expect((await importInto(us, usOperator, await publishBundle())).statusCode).toBe(200);

    // A district of Washington created in the Canadian cell before regions followed countries.
    const legacy = await buildTenantWithUsers(ca.app, ca.database.db, { country: 'US', subdivision: 'WA', region: 'ca' });
    const id = legacy.institution.id;
    const item = await legacy.appAdmin.request('POST', '/api/v1/inventory', {
      catalogAppId: app.id,
      grades: ['3'],
      audiences: ['students'],
      purpose: 'Math',
    });
    expect(item.statusCode, item.body).toBe(201);
    expect(
      (await legacy.appAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id, templateVersionId: versionId }))
        .statusCode,
    ).toBe(201);
    const file = Buffer.from('%PDF-1.7\n% agreement of the district\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const attached = await legacy.appAdmin.request(
      'POST',
      `/api/v1/inventory/${item.json().id}/attachments?kind=agreement&fileName=dpa.pdf`,
      file,
    );
    expect(attached.statusCode, attached.body).toBe(201);

    const archive = await legacy.siteAdmin.request('GET', '/api/v1/institution/archive');
    expect(archive.statusCode).toBe(200);

    // The Canadian cell refuses it back in (it is a US district), the US cell takes it once.
    const intoCa = await caOperator.request('POST', '/api/v1/institutions/import', { archive: archive.body });
    expect(intoCa.statusCode).toBe(400);
    expect(intoCa.json().error.fieldCodes).toEqual({ country: 'belongs_in_us' });
    const moved = await usOperator.request('POST', '/api/v1/institutions/import', { archive: archive.body });
    expect(moved.statusCode, moved.body).toBe(201);
    expect(moved.json()).toMatchObject({ institutionId: id, from: 'ca' });
    const twice = await usOperator.request('POST', '/api/v1/institutions/import', { archive: archive.body });
    expect(twice.statusCode).toBe(409);

    const [row] = await withSystem(us.database.db, (tx) => tx.select().from(institutions).where(eq(institutions.id, id)));
    expect(row).toMatchObject({ country: 'US', subdivision: 'WA', region: 'us', name: legacy.institution.name });
    const items = await queryRows<Json>(us.database.db, sql`select name, purpose from inventory_items where tenant_id = ${id}`);
    expect(items).toEqual([{ name: item.json().name, purpose: 'Math' }]);
    // The attached document opens in the US cell, under its own new key, byte for byte.
    const [stored] = await queryRows<{ id: string; content: Buffer | Uint8Array; sealed_key: string }>(
      us.database.db,
      sql`select a.id, a.content, k.sealed_key from attachments a join attachment_keys k on k.tenant_id = a.tenant_id where a.tenant_id = ${id}`,
    );
    const key = openAttachmentKey(us.config.secretKeys, id, stored!.sealed_key);
    expect(decryptAttachment(key, id, stored!.id, Buffer.from(stored!.content))).toEqual(file);
    // Recorded in the institution's own log.
    const [event] = await queryRows<Json>(
      us.database.db,
      sql`select action, actor_label from audit_events where tenant_id = ${id} and action = 'institution.import'`,
    );
    expect(event).toBeDefined();

    // The Canadian cell purges it: end of service passed, grace period over.
    const now = Date.now();
    await withSystem(ca.database.db, async (tx) => {
      await tx.update(institutions).set({ status: 'offboarding' }).where(eq(institutions.id, id));
      await tx.insert(offboardings).values({
        tenantId: id,
        status: 'scheduled',
        contactEmail: 'dpo@example.org',
        endOfServiceAt: new Date(now - 8 * 86_400_000),
        purgeAfter: new Date(now - 86_400_000),
        requestedAt: new Date(now - 30 * 86_400_000),
      });
    });
    const purge = await caOperator.request('POST', `/api/v1/institutions/${id}/purge`);
    expect(purge.statusCode, purge.body).toBeLessThan(300);
    await ca.jobs.runPending();
    const certificates = await caOperator.request('GET', '/api/v1/deletion-certificates');
    const mine = (certificates.json().items as Json[]).find((c) => c.institutionId === id);
    expect(mine, certificates.body).toBeDefined();
    const certificate = await caOperator.request('GET', `/api/v1/deletion-certificates/${mine!.certificateId}`);
    expect(certificate.statusCode, certificate.body).toBe(200);
    expect(certificate.json()).toMatchObject({ institutionId: id, institutionName: legacy.institution.name, region: 'ca' });
    expect(certificate.json().purgeCompletedAt).toBeTruthy();
    const [left] = await queryRows<{ n: number }>(
      ca.database.db,
      sql`select count(*)::int as n from inventory_items where tenant_id = ${id}`,
    );
    expect(left!.n).toBe(0);
    // And the US cell still has it.
    const [kept] = await queryRows<{ n: number }>(
      us.database.db,
      sql`select count(*)::int as n from inventory_items where tenant_id = ${id}`,
    );
    expect(kept!.n).toBe(1);
  });
});
