/**
 * Attached documents through the real app: types recognised by their bytes (a renamed HTML page is
 * refused), the size limit, rights, another institution's documents not found, download headers that
 * keep a document out of the page, encryption at rest, and the documents' whole life with their
 * institution: backup then restore into a fresh database (the same bytes come back), the portability
 * archive (the files in the clear, the key not), and the purge (nothing left, on the certificate).
 */
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { attachmentKeys, attachments, auditEvents } from '../../db/schema/index.js';
import { queryRows, withSystem } from '../../platform/db.js';
import { createJobs } from '../../platform/jobs.js';
import { createMailer } from '../../platform/mail.js';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { scheduleDuePurge } from '../../../../test/support/lifecycle.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { createBackupService } from '../lifecycle/backups.service.js';
import { createFolderBackupStore } from '../lifecycle/backup-store.js';
import { systemPurgeInstitution } from '../lifecycle/purge.js';
import { detectAttachmentType } from './file-type.js';

const MAX = 4096;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ ATTACHMENT_MAX_BYTES: String(MAX) });
});
afterAll(async () => t?.close());

const pdf = (marker = Math.random().toString(36)) => Buffer.from(`%PDF-1.7\n% ${marker}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR fake image body')]);
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF fake image body')]);

/** A zip holding the given entries (a real one, as Word writes its documents). */
async function zipOf(entries: string[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of entries) zip.addBuffer(Buffer.from(`<xml name="${name}"/>`), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
const docx = () => zipOf(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);

const upload = (c: Client, url: string, file: Buffer) => c.request('POST', url, file);
const itemUrl = (id: string, q = 'kind=agreement&fileName=dpa.pdf') => `/api/v1/inventory/${id}/attachments?${q}`;

async function tenantWithItem() {
  const tenant = await buildTenantWithUsers(t.app, t.database.db);
  const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', {
    custom: { name: `Doc app ${Math.random().toString(36).slice(2)}` },
  });
  expect(item.statusCode, item.body).toBe(201);
  const pia = await tenant.siteAdmin.request('POST', '/api/v1/assessments', { inventoryItemId: item.json().id });
  expect(pia.statusCode, pia.body).toBe(201);
  return { tenant, itemId: item.json().id as string, assessmentId: pia.json().id as string };
}

const storedRows = (tenantId: string) =>
  withSystem(t.database.db, (tx) => tx.select().from(attachments).where(eq(attachments.tenantId, tenantId)));

describe('file types', () => {
  it('recognises PDF, DOCX, PNG and JPEG by their bytes, and nothing else', async () => {
    expect(detectAttachmentType(pdf())).toBe('application/pdf');
    expect(detectAttachmentType(png())).toBe('image/png');
    expect(detectAttachmentType(jpeg())).toBe('image/jpeg');
    expect(detectAttachmentType(await docx())).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(detectAttachmentType(Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'))).toBeNull();
    // A zip that is not a Word document (a spreadsheet's parts), and a zip's header alone.
    expect(detectAttachmentType(await zipOf(['[Content_Types].xml', 'xl/workbook.xml']))).toBeNull();
    expect(detectAttachmentType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]))).toBeNull();
  });

  it('stores each accepted type as found in the file, whatever the name says', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const cases: [Buffer, string, string][] = [
      [pdf(), 'contract.docx', 'application/pdf'],
      [png(), 'scan.png', 'image/png'],
      [jpeg(), 'photo.jpeg', 'image/jpeg'],
      [await docx(), 'terms.pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ];
    for (const [file, name, type] of cases) {
      const res = await upload(tenant.appAdmin, itemUrl(itemId, `kind=vendor_document&fileName=${name}`), file);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        contentType: type,
        fileName: name,
        byteSize: file.length,
        sha256: createHash('sha256').update(file).digest('hex'),
      });
    }
  });

  it('refuses an HTML page renamed .pdf with a field error, and writes nothing', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const html = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/api/v1/session")</script></body></html>');
    const res = await upload(tenant.siteAdmin, itemUrl(itemId), html);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toEqual({ file: 'is not a PDF, Word (DOCX), PNG or JPEG file' });
    expect(res.json().error.fieldCodes).toEqual({ file: 'file_type' });
    expect(await storedRows(tenant.institution.id)).toEqual([]);
    // Nor does a client's word make it a PDF: only a raw file body is taken.
    const claimed = await t.app.inject({
      method: 'POST',
      url: itemUrl(itemId),
      cookies: { [tenant.siteAdmin.cookie.name]: tenant.siteAdmin.cookie.value },
      headers: { 'x-csrf-token': tenant.siteAdmin.csrf, 'content-type': 'application/pdf' },
      payload: html,
    });
    expect(claimed.statusCode).toBe(415);
    expect(await storedRows(tenant.institution.id)).toEqual([]);
  });

  it('refuses bad fields one by one', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const bad = async (q: string) => {
      const res = await upload(tenant.siteAdmin, itemUrl(itemId, q), pdf());
      expect(res.statusCode, q).toBe(400);
      return Object.keys(res.json().error.fields);
    };
    expect(await bad('kind=poster&fileName=a.pdf')).toEqual(['kind']);
    expect(await bad('kind=agreement&fileName=..%2Fetc%2Fpasswd')).toEqual(['fileName']);
    expect(await bad('kind=agreement')).toEqual(['fileName']);
    expect(await bad('kind=agreement&fileName=a.pdf&agreementExpiresOn=2027-02-30')).toEqual(['agreementExpiresOn']);
    expect(await bad('kind=other&fileName=a.pdf&agreementExpiresOn=2027-02-01')).toEqual(['agreementExpiresOn']);
    const empty = await upload(tenant.siteAdmin, itemUrl(itemId), Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(await storedRows(tenant.institution.id)).toEqual([]);
  });
});

describe('size limit', () => {
  it('takes a file of exactly the limit and refuses one byte more with 413 on the file field', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const head = pdf('limit');
    const atLimit = Buffer.concat([head, Buffer.alloc(MAX - head.length, 0x20)]);
    expect(atLimit.length).toBe(MAX);
    expect((await upload(tenant.siteAdmin, itemUrl(itemId), atLimit)).statusCode).toBe(201);
    const over = Buffer.concat([atLimit, Buffer.from(' ')]);
    const res = await upload(tenant.siteAdmin, itemUrl(itemId), over);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'payload_too_large',
      fields: { file: `must be at most ${MAX} bytes` },
      fieldCodes: { file: 'file_too_large' },
    });
    expect(await storedRows(tenant.institution.id)).toHaveLength(1);
  });
});

describe('list, download, delete', () => {
  it('downloads the same bytes as a file, never inline, with the checked type, sandboxed', async () => {
    const { tenant, itemId, assessmentId } = await tenantWithItem();
    const file = pdf('download');
    const up = await upload(
      tenant.siteAdmin,
      itemUrl(itemId, 'kind=agreement&fileName=Entente%20%C3%A9l%C3%A8ves.txt&agreementExpiresOn=2027-06-30'),
      file,
    );
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({
      kind: 'agreement',
      agreementExpiresOn: '2027-06-30',
      inventoryItemId: itemId,
      assessmentId: null,
      canDelete: true,
    });
    const onPia = await upload(tenant.appAdmin, `/api/v1/assessments/${assessmentId}/attachments?kind=other&fileName=notes.png`, png());
    expect(onPia.statusCode, onPia.body).toBe(201);

    const listed = await tenant.appAdmin.request('GET', `/api/v1/inventory/${itemId}/attachments`);
    expect(listed.json()).toMatchObject({ canUpload: true, maxBytes: MAX, items: [{ id: up.json().id }] });
    expect(
      (await tenant.appAdmin.request('GET', `/api/v1/assessments/${assessmentId}/attachments`))
        .json()
        .items.map((i: { id: string }) => i.id),
    ).toEqual([onPia.json().id]);

    const res = await tenant.appAdmin.request('GET', `/api/v1/attachments/${up.json().id}/download`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(file)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    // Saved under its name with the extension of its real type.
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="Entente _l_ves.pdf"; filename*=UTF-8''Entente%20%C3%A9l%C3%A8ves.pdf`,
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');

    // At rest, the file is encrypted: its bytes appear nowhere in the row.
    const [row] = (await storedRows(tenant.institution.id)).filter((r) => r.id === up.json().id);
    expect(row!.content.includes(Buffer.from('download'))).toBe(false);
    expect(row!.content.length).toBe(file.length + 28);
  });

  it('deletes with an audit event, and the file is gone', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const up = (await upload(tenant.siteAdmin, itemUrl(itemId), pdf())).json();
    const del = await tenant.appAdmin.request('DELETE', `/api/v1/attachments/${up.id}`);
    expect(del.statusCode).toBe(204);
    expect((await tenant.appAdmin.request('GET', `/api/v1/attachments/${up.id}/download`)).statusCode).toBe(404);
    expect((await tenant.appAdmin.request('DELETE', `/api/v1/attachments/${up.id}`)).statusCode).toBe(404);
    const events = await queryRows<{ action: string; record_id: string }>(
      t.database.db,
      sql`select action, record_id from audit_events where tenant_id = ${tenant.institution.id} and record_type = 'attachment' order by id`,
    );
    expect(events).toEqual([
      { action: 'attachment.upload', record_id: up.id },
      { action: 'attachment.delete', record_id: up.id },
    ]);
  });

  it('goes with the app it is attached to', async () => {
    const { tenant, itemId } = await tenantWithItem();
    await upload(tenant.siteAdmin, itemUrl(itemId), pdf());
    expect((await tenant.siteAdmin.request('DELETE', `/api/v1/inventory/${itemId}`)).statusCode).toBe(204);
    expect(await storedRows(tenant.institution.id)).toEqual([]);
  });
});

describe('an agreement’s end date', () => {
  const item = async (c: Client, id: string) =>
    (await c.request('GET', `/api/v1/inventory/${id}`)).json() as { agreementExpiresOn: string | null; version: number };
  const itemUpdates = async (tenantId: string, itemId: string) =>
    (await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)))).filter(
      (e) => e.action === 'inventory.update' && e.recordId === itemId,
    );

  it('fills or extends the app’s own agreement end, never shortens it, audited as the app’s update', async () => {
    const { tenant, itemId, assessmentId } = await tenantWithItem();
    const id = tenant.institution.id;
    expect((await item(tenant.siteAdmin, itemId)).agreementExpiresOn).toBeNull();

    // None yet: the agreement's end becomes the app's.
    expect(
      (await upload(tenant.appAdmin, itemUrl(itemId, 'kind=agreement&fileName=dpa.pdf&agreementExpiresOn=2027-06-30'), pdf())).statusCode,
    ).toBe(201);
    expect((await item(tenant.siteAdmin, itemId)).agreementExpiresOn).toBe('2027-06-30');
    const first = await itemUpdates(id, itemId);
    expect(first).toHaveLength(1);
    expect((first[0]!.changes as Record<string, unknown>).agreementExpiresOn).toEqual({ before: null, after: '2027-06-30' });

    // An earlier one (an old agreement filed for the record), another kind, or none: the app keeps its date.
    expect(
      (await upload(tenant.appAdmin, itemUrl(itemId, 'kind=agreement&fileName=old.pdf&agreementExpiresOn=2026-01-31'), pdf())).statusCode,
    ).toBe(201);
    expect((await upload(tenant.appAdmin, itemUrl(itemId, 'kind=agreement&fileName=undated.pdf'), pdf())).statusCode).toBe(201);
    expect((await upload(tenant.appAdmin, itemUrl(itemId, 'kind=vendor_document&fileName=notes.pdf'), pdf())).statusCode).toBe(201);
    expect((await item(tenant.siteAdmin, itemId)).agreementExpiresOn).toBe('2027-06-30');
    expect(await itemUpdates(id, itemId)).toHaveLength(1);

    // A renewal attached to the app's assessment: later, so it carries the app's date along.
    const renewal = await upload(
      tenant.appAdmin,
      `/api/v1/assessments/${assessmentId}/attachments?kind=agreement&fileName=renewal.pdf&agreementExpiresOn=2029-06-30`,
      pdf(),
    );
    expect(renewal.statusCode, renewal.body).toBe(201);
    expect((await item(tenant.siteAdmin, itemId)).agreementExpiresOn).toBe('2029-06-30');
    expect(await itemUpdates(id, itemId)).toHaveLength(2);
  });

  it('writes neither the document nor the app’s date when the upload is refused', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const refused = await upload(
      tenant.appAdmin,
      itemUrl(itemId, 'kind=agreement&fileName=dpa.pdf&agreementExpiresOn=2027-06-30'),
      Buffer.from('<html></html>'),
    );
    expect(refused.statusCode).toBe(400);
    expect((await item(tenant.siteAdmin, itemId)).agreementExpiresOn).toBeNull();
    expect(await itemUpdates(tenant.institution.id, itemId)).toEqual([]);
    expect(await storedRows(tenant.institution.id)).toEqual([]);
  });
});

describe('rights and isolation', () => {
  it('answers 404 for another institution’s app, assessment and document, and changes nothing', async () => {
    const a = await tenantWithItem();
    const b = await tenantWithItem();
    const doc = (await upload(a.tenant.siteAdmin, itemUrl(a.itemId), pdf())).json();
    for (const [method, url, body] of [
      ['GET', `/api/v1/inventory/${a.itemId}/attachments`, undefined],
      ['POST', itemUrl(a.itemId), pdf()],
      ['GET', `/api/v1/assessments/${a.assessmentId}/attachments`, undefined],
      ['POST', `/api/v1/assessments/${a.assessmentId}/attachments?kind=other&fileName=x.pdf`, pdf()],
      ['GET', `/api/v1/attachments/${doc.id}/download`, undefined],
      ['DELETE', `/api/v1/attachments/${doc.id}`, undefined],
    ] as const) {
      const res = await b.tenant.siteAdmin.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await storedRows(a.tenant.institution.id)).toHaveLength(1);
    expect(await storedRows(b.tenant.institution.id)).toEqual([]);
  });

  it('lets the operator under support access read and download, never upload or delete; refuses a signed-out caller', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const doc = (await upload(tenant.siteAdmin, itemUrl(itemId), pdf())).json();
    const operatorUser = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const operator = await signIn(t.app, operatorUser);
    expect((await operator.request('PUT', '/api/v1/session/institution', { institutionId: tenant.institution.id })).statusCode).toBe(200);
    expect((await operator.request('GET', `/api/v1/inventory/${itemId}/attachments`)).statusCode).toBe(403);
    expect((await tenant.siteAdmin.request('POST', '/api/v1/support-access', { hours: 1, reason: 'Help with documents' })).statusCode).toBe(
      201,
    );
    const listed = await operator.request('GET', `/api/v1/inventory/${itemId}/attachments`);
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toMatchObject({ canUpload: false, items: [{ id: doc.id, canDelete: false }] });
    expect((await operator.request('GET', `/api/v1/attachments/${doc.id}/download`)).statusCode).toBe(200);
    expect((await upload(operator, itemUrl(itemId), pdf())).statusCode).toBe(403);
    expect((await operator.request('DELETE', `/api/v1/attachments/${doc.id}`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${doc.id}/download` })).statusCode).toBe(401);
    expect(await storedRows(tenant.institution.id)).toHaveLength(1);
  });
});

describe('with the institution’s data', () => {
  it('come back byte for byte after a backup restored into a fresh database', async () => {
    const { tenant, itemId, assessmentId } = await tenantWithItem();
    const files = [pdf('restored'), await docx(), jpeg()];
    const ids: string[] = [];
    ids.push((await upload(tenant.siteAdmin, itemUrl(itemId), files[0]!)).json().id);
    ids.push(
      (
        await upload(
          tenant.siteAdmin,
          `/api/v1/assessments/${assessmentId}/attachments?kind=vendor_document&fileName=terms.docx`,
          files[1]!,
        )
      ).json().id,
    );
    ids.push((await upload(tenant.siteAdmin, itemUrl(itemId, 'kind=other&fileName=photo.jpg'), files[2]!)).json().id);

    const backups = createBackupService({ db: t.database.db, config: t.config, jobs: t.jobs });
    const { name } = await backups.systemBackupInstitution(tenant.institution.id);
    const file = await backups.store.getArchive(tenant.institution.id, name);
    // The backup file holds no file in the clear (encrypted twice: by the institution's key, then the backup's).
    expect(file.includes(Buffer.from('restored'))).toBe(false);

    const fresh = await openTestDatabase();
    const jobs = await createJobs({ db: fresh.db });
    const app = await buildApp({ config: t.config, db: fresh.db, mailer: createMailer(t.config), jobs }, { logLevel: 'silent' });
    try {
      await app.ready();
      const restored = await createBackupService({ db: fresh.db, config: t.config, jobs }, backups.store).systemRestoreFile(file);
      expect(restored.counts).toMatchObject({ attachments: 3, attachment_keys: 1 });
      const admin = await signIn(app, tenant.siteAdmin.user);
      for (const [i, id] of ids.entries()) {
        const res = await admin.request('GET', `/api/v1/attachments/${id}/download`);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.rawPayload.equals(files[i]!), `file ${i}`).toBe(true);
      }
      const listed = await admin.request('GET', `/api/v1/assessments/${assessmentId}/attachments`);
      expect(listed.json().items).toMatchObject([{ id: ids[1], fileName: 'terms.docx', kind: 'vendor_document' }]);
    } finally {
      await app.close();
      await jobs.stop();
      await fresh.close();
    }
  }, 180_000);

  it('leave in the portability archive in the clear, with their digests, and without the institution’s key', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const file = pdf('portable');
    const doc = (await upload(tenant.siteAdmin, itemUrl(itemId), file)).json();
    const res = await tenant.siteAdmin.request('GET', '/api/v1/institution/archive');
    expect(res.statusCode).toBe(200);
    const archive = res.json();
    const [row] = archive.tables.attachments.rows;
    expect(row).toMatchObject({
      id: doc.id,
      file_name: 'dpa.pdf',
      content_type: 'application/pdf',
      sha256: createHash('sha256').update(file).digest('hex'),
    });
    expect(row.content).toBe(`\\x${file.toString('hex')}`);
    expect(archive.tables.attachment_keys.rows).toEqual([expect.objectContaining({ sealed_key: null })]);
    expect(archive.redactedColumns.attachment_keys).toEqual(['sealed_key']);
  });

  it('are listed in the full data export', async () => {
    const { tenant, itemId } = await tenantWithItem();
    const doc = (
      await upload(tenant.siteAdmin, itemUrl(itemId, 'kind=agreement&fileName=dpa.pdf&agreementExpiresOn=2028-01-31'), pdf())
    ).json();
    const { EXPORT_ENTITIES, copyOptions } = await import('../exports/export-entities.js');
    const { entityLayout } = await import('../exports/export-words.js');
    const entity = EXPORT_ENTITIES.find((e) => e.file === 'attachments')!;
    const { copyAll, unsafeTenantScope, withTenant } = await import('../../platform/db.js');
    const scope = unsafeTenantScope(tenant.institution.id);
    const csv = await withTenant(t.database.db, scope, (tx) =>
      copyAll(t.database.db, tx, entity.rowsQuery(scope, entityLayout(entity, 'en').words), copyOptions('csv')),
    );
    const rows = parse(csv) as string[][];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual(expect.arrayContaining([doc.id, itemId, 'agreement', 'dpa.pdf', 'application/pdf', doc.sha256, '2028-01-31']));
  });

  it('are purged with their institution and its key, counted on the certificate', async () => {
    const { tenant, itemId, assessmentId } = await tenantWithItem();
    const neighbour = await tenantWithItem();
    await upload(tenant.siteAdmin, itemUrl(itemId), pdf());
    await upload(tenant.siteAdmin, `/api/v1/assessments/${assessmentId}/attachments?kind=other&fileName=a.png`, png());
    await upload(neighbour.tenant.siteAdmin, itemUrl(neighbour.itemId), pdf());
    const id = tenant.institution.id;
    await scheduleDuePurge(t.database.db, id);
    const cert = await systemPurgeInstitution(
      { db: t.database.db, store: createFolderBackupStore(t.config.backup.dir), mailer: createMailer(t.config) },
      id,
    );
    expect(cert.purgeCompletedAt).toBeInstanceOf(Date);
    expect(cert.tableCounts).toMatchObject({ attachments: 2, attachment_keys: 1 });
    expect(await storedRows(id)).toEqual([]);
    expect(await withSystem(t.database.db, (tx) => tx.select().from(attachmentKeys).where(eq(attachmentKeys.tenantId, id)))).toEqual([]);
    // The neighbour keeps its document, and it still opens.
    expect(await storedRows(neighbour.tenant.institution.id)).toHaveLength(1);
    const [kept] = await storedRows(neighbour.tenant.institution.id);
    expect((await neighbour.tenant.siteAdmin.request('GET', `/api/v1/attachments/${kept!.id}/download`)).statusCode).toBe(200);
  }, 120_000);
});
