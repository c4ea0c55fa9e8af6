import { createHash, randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import { auditEn } from '../../../contracts/i18n/audit-en.js';
import { auditFr } from '../../../contracts/i18n/audit-fr.js';
import { domainEn } from '../../../contracts/i18n/domain-en.js';
import { domainFr } from '../../../contracts/i18n/domain-fr.js';
import { exportsEn } from '../../../contracts/i18n/exports-en.js';
import { exportSheetsFr, exportsFr } from '../../../contracts/i18n/exports-fr.js';
import { ATTACHMENT_KINDS } from '../../../contracts/attachments.js';
import { QUESTION_KINDS, SIGNOFF_DECISIONS } from '../../../contracts/assessments.js';
import { STAFF_REQUEST_STATUSES } from '../../../contracts/requests.js';
import { reportsEn } from '../../../contracts/i18n/reports-en.js';
import { reportsFr } from '../../../contracts/i18n/reports-fr.js';
import {
  assessmentAnswers,
  assessmentQuestions,
  assessmentRevisions,
  assessmentRisks,
  assessmentSections,
  assessmentSignoffs,
  assessments,
  attachments,
  auditEvents,
  dataExports,
  institutions,
  inventoryItems,
  staffRequests,
  reportRuns,
  schools,
  users,
} from '../../db/schema/index.js';
import { isSecretText, withoutSecretValues } from '../../platform/secret-values.js';
import { copyAll, unsafeTenantScope, withSystem, withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { copyOptions, EXPORT_ENTITIES, type ExportEntity, type SheetFormat } from './export-entities.js';
import { entityLayout } from './export-words.js';
import { exportSettledOrTimeout } from './export-settled.js';
import { buildCatalogApp, buildTenantWithUsers, type Client } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { insertAssessment } from '../../../../test/support/report-fixtures.js';
import { unzip } from '../../../../test/support/unzip.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
type Value = string | number | boolean | null;

// An independent reading of the rules: text starting with = + - @ tab or CR gets a leading apostrophe.
const neutral = (s: string) => (['=', '+', '-', '@', '\t', '\r'].includes(s.charAt(0)) ? `'${s}` : s);
const ts = (d: Date | string) => new Date(d).toISOString();
const list = (a: readonly string[]) => neutral(a.join('; '));
// Secrets are blanked, as the service's own rule for what leaves it says (secret-values.ts).
const str = (s: string | null) => (s === null || isSecretText(s) ? null : neutral(s));
/** A JSON value as PostgreSQL writes a jsonb value: a space after each colon and comma, keys in the order read back. */
const pgJson = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(pgJson).join(', ')}]`
    : v !== null && typeof v === 'object'
      ? `{${Object.entries(v)
          .map(([k, x]) => `${JSON.stringify(k)}: ${pgJson(x)}`)
          .join(', ')}}`
      : JSON.stringify(v);

/** The document attached in the seeded institution. */
const DOCUMENT = Buffer.from('%PDF-1.4\n% exported\n%%EOF\n');

const HOSTILE = ['=HYPERLINK("http://evil.example","click")', '+SUM(1,2)', '-2+3', '@cmd', '\tindent', '\rcarriage'];

/** The control characters XML cannot hold. */
// eslint-disable-next-line no-control-regex
const XML_UNFIT = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g;
/** Text with markup, a control character and line ends. */
const MARKUP = 'a <b> & "c" \u0001d\r\ne';
/** A value sealed as platform/secrets.ts seals one, and a private key. */
const SEALED_VALUE = `v2.${'k'.repeat(10)}.${'i'.repeat(16)}.${'c'.repeat(20)}.${'t'.repeat(22)}`;
const PRIVATE_KEY_TEXT = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----';
/** An answer holding secrets at several depths, and a key shaped like a sealed value (a key is kept). */
const SEALED_KEY = `v1.${'k'.repeat(16)}..${'t'.repeat(22)}`;
const SECRET_ANSWER = { text: 'kept', deep: { pem: PRIVATE_KEY_TEXT, list: ['ok', SEALED_VALUE] }, [SEALED_KEY]: 'key kept' };

/** The email a staff requester left: sealed in the database, never in an export. */
const REQUESTER_EMAIL = 'staff.requester@example.org';

async function seedTenant(): Promise<Tenant> {
  const tenant = await buildTenantWithUsers(t.app, t.database.db);
  const app = await buildCatalogApp(t.database.db, { name: 'Catalog Reader', storageCountries: ['CA'] });
  const created = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
    catalogAppId: app.id,
    grades: ['3', '4'],
    schoolIds: [tenant.schools[0]!.id],
    audiences: ['students', 'parents'],
    dataElements: ['name', 'photo', 'assessment_results'],
    purpose: HOSTILE[0],
    agreementType: 'vendor_dpa',
    agreementSigned: true,
    agreementSignedOn: '2026-01-15',
    agreementExpiresOn: '2027-01-15',
    nextReviewOn: '2026-12-01',
  });
  expect(created.statusCode, created.body).toBe(201);
  for (const [i, name] of HOSTILE.entries()) {
    const res = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
      custom: { name: `${name} ${i}`, vendor: HOSTILE[(i + 1) % HOSTILE.length] },
      notes: HOSTILE[(i + 2) % HOSTILE.length],
      dataElements: ['email'],
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  // An app that collects nothing: no row in the data elements sheet, and pages must read past it.
  const quiet = await tenant.appAdmin.request('POST', '/api/v1/inventory', {
    custom: { name: 'Quiet Timer', vendor: 'Quiet' },
    dataElements: [],
  });
  expect(quiet.statusCode, quiet.body).toBe(201);
  // A staff request whose requester left an email: the request is exported, the email never.
  const link = await tenant.siteAdmin.request('POST', '/api/v1/staff-requests/link');
  const asked = await t.app.inject({
    method: 'POST',
    url: '/api/v1/public/staff-requests',
    payload: {
      token: link.json().token,
      appName: HOSTILE[1],
      purpose: HOSTILE[2],
      grades: ['3'],
      studentCount: 20,
      email: REQUESTER_EMAIL,
    },
  });
  expect(asked.statusCode, asked.body).toBe(201);
  await withSystem(t.database.db, (tx) =>
    tx.update(users).set({ firstName: '=1+1', lastName: '@Risky' }).where(eq(users.id, tenant.appAdmin.user.id)),
  );
  await insertAssessment(t.database.db, {
    tenantId: tenant.institution.id,
    inventoryItemId: created.json().id,
    status: 'approved',
    text: HOSTILE[3]!,
    signerUserId: tenant.siteAdmin.user.id,
  });
  const id = tenant.institution.id;
  await withSystem(t.database.db, async (tx) => {
    // Markup, a control character XML cannot hold and line ends, in a workbook's text.
    await tx.execute(sql`update inventory_items set notes = ${MARKUP} where tenant_id = ${id} and name = 'Quiet Timer'`);
    // Secrets where no column should hold one are blanked in every export, whatever the column: a
    // second line of defence behind the choice of columns.
    await tx.execute(sql`update inventory_items set conditions_of_use = ${SEALED_VALUE} where tenant_id = ${id} and name = 'Quiet Timer'`);
    await tx.execute(
      sql`update assessment_answers set value = ${JSON.stringify(SECRET_ANSWER)}::jsonb
        where tenant_id = ${id} and question_id = (select min(question_id::text)::uuid from assessment_answers where tenant_id = ${id})`,
    );
    // A bare negative number as JSON, which a spreadsheet would read as a formula.
    await tx.execute(
      sql`insert into audit_events (tenant_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
        values (${id}, 'System', 'system', 'inventory.update', 'inventory_item', ${created.json().id}, '-2'::jsonb, 'export-test', 'system')`,
    );
  });
  // A document whose name would be a formula in a spreadsheet.
  const doc = await tenant.appAdmin.request(
    'POST',
    `/api/v1/inventory/${created.json().id}/attachments?kind=agreement&fileName=${encodeURIComponent('+SUM(1,2).pdf')}&agreementExpiresOn=2027-01-15`,
    DOCUMENT,
  );
  expect(doc.statusCode, doc.body).toBe(201);
  expect((await tenant.siteAdmin.request('GET', '/api/v1/reports/vendors')).statusCode).toBe(200);
  return tenant;
}

/** Every message tree a coded column's words come from, by language (read here by its own walk). */
const WORDS = {
  en: { ...domainEn, ...auditEn, reports: reportsEn, exports: exportsEn },
  fr: { ...domainFr, ...auditFr, reports: reportsFr, exports: exportsFr },
} as const;
type Lang = keyof typeof WORDS;

/**
 * What the database holds for the tenant, sheet by sheet (by English name), as cells (before
 * file-format details), in `lang`: a coded column is its words then its codes.
 */
async function expectedSheets(
  tenantId: string,
  lang: Lang = 'en',
): Promise<Record<string, { headers: number; rows: Map<string, Value[]> }>> {
  const say = (tree: string, code: string): string => {
    if (tree === 'country') return new Intl.DisplayNames([lang === 'fr' ? 'fr-CA' : 'en-CA'], { type: 'region' }).of(code)!;
    let node: unknown = WORDS[lang];
    // The system's role in the audit log is named like the system itself.
    const key = tree === 'role' && code === 'system' ? 'auditActor.system' : `${tree}.${code}`;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    return typeof node === 'string' ? node : code;
  };
  /** A coded cell: its words, then its code. */
  const coded = (tree: string, code: string | null): Value[] => (code === null ? [null, null] : [str(say(tree, code)), str(code)]);
  const codedList = (tree: string, codes: readonly string[]): Value[] => [list(codes.map((c) => say(tree, c))), list(codes)];
  return withSystem(t.database.db, async (tx) => {
    const [inst] = await tx.select().from(institutions).where(eq(institutions.id, tenantId));
    const schoolRows = await tx.select().from(schools).where(eq(schools.tenantId, tenantId));
    const userRows = await tx.select().from(users).where(eq(users.tenantId, tenantId));
    const items = await tx.select().from(inventoryItems).where(eq(inventoryItems.tenantId, tenantId));
    const requests = await tx.select().from(staffRequests).where(eq(staffRequests.tenantId, tenantId));
    const events = await tx.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
    const runs = await tx.select().from(reportRuns).where(eq(reportRuns.tenantId, tenantId));
    const pias = await tx.select().from(assessments).where(eq(assessments.tenantId, tenantId));
    const revisions = await tx.select().from(assessmentRevisions).where(eq(assessmentRevisions.tenantId, tenantId));
    const questions = await tx.select().from(assessmentQuestions).where(eq(assessmentQuestions.tenantId, tenantId));
    const sections = await tx.select().from(assessmentSections).where(eq(assessmentSections.tenantId, tenantId));
    const answers = await tx.select().from(assessmentAnswers).where(eq(assessmentAnswers.tenantId, tenantId));
    const risks = await tx.select().from(assessmentRisks).where(eq(assessmentRisks.tenantId, tenantId));
    const signoffs = await tx.select().from(assessmentSignoffs).where(eq(assessmentSignoffs.tenantId, tenantId));
    const documents = await tx.select().from(attachments).where(eq(attachments.tenantId, tenantId));
    const itemName = new Map(items.map((i) => [i.id, i.name]));
    const revision = new Map(revisions.map((r) => [r.id, r]));
    const question = new Map(questions.map((q) => [q.id, q]));
    const section = new Map(sections.map((q) => [q.id, q]));
    const tsOrNull = (d: Date | string | null) => (d === null ? null : ts(d));
    const product = (a: number | null, b: number | null) => (a === null || b === null ? null : a * b);
    const schoolName = new Map(schoolRows.map((s) => [s.id, s]));
    const day = (d: unknown) => (d === null ? null : String(d).slice(0, 10));
    const map = <T>(rows: T[], key: (r: T) => string, cells: (r: T) => Value[]) => new Map(rows.map((r) => [key(r), cells(r)]));
    return {
      Institution: {
        headers: 16,
        rows: map(
          [inst!],
          (r) => r.id,
          (r) => [
            r.id,
            str(r.name),
            ...coded('kind', r.kind),
            ...coded('country', r.country),
            r.subdivision,
            ...coded('region', r.region),
            ...codedList('grade', r.gradeLevels),
            ...coded('institutionStatus', r.status),
            str(r.publicSlug),
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      Schools: {
        headers: 9,
        rows: map(
          schoolRows,
          (r) => r.id,
          (r) => [
            r.id,
            str(r.name),
            ...coded('grade', r.gradeFrom),
            ...coded('grade', r.gradeTo),
            r.position,
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      Users: {
        headers: 11,
        rows: map(
          userRows,
          (r) => r.id,
          (r) => [
            r.id,
            str(r.email),
            str(r.firstName),
            str(r.lastName),
            ...coded('role', r.role),
            r.canApprove,
            ...coded('userStatus', r.status),
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      Inventory: {
        headers: 31,
        rows: map(
          items,
          (r) => r.id,
          (r) => [
            r.id,
            str(r.name),
            str(r.vendor),
            r.catalogAppId,
            r.catalogAppId === null,
            str(r.customWebsite),
            ...coded('status', r.status),
            ...codedList('grade', r.grades),
            list(
              r.schoolIds
                .map((id) => schoolName.get(id)!)
                .sort((a, b) => a.position - b.position)
                .map((s) => s.name),
            ),
            list(r.schoolIds),
            ...codedList('audience', r.audiences),
            ...codedList('dataElement', r.dataElements),
            str(r.purpose),
            r.ownerUserId,
            str(r.conditionsOfUse),
            ...coded('agreementType', r.agreementType),
            r.agreementSigned,
            day(r.agreementSignedOn),
            day(r.agreementExpiresOn),
            str(r.agreementUrl),
            day(r.nextReviewOn),
            str(r.notes),
            r.isPublic,
            r.version,
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      'Staff requests': {
        headers: 22,
        rows: map(
          requests,
          (r) => r.id,
          (r) => [
            r.id,
            str(r.appName),
            str(r.appVendor),
            r.catalogAppId,
            str(r.appWebsite),
            str(r.purpose),
            ...codedList('grade', r.grades),
            list(r.schoolIds),
            ...codedList('audience', r.audiences),
            r.studentCount,
            ...codedList('dataElement', r.dataElements),
            ...coded('exports.staffRequestStatus', r.status),
            str(r.declineReason),
            r.mergedIntoId,
            r.inventoryItemId,
            tsOrNull(r.triagedAt),
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      'Data elements': {
        headers: 7,
        rows: new Map(
          items.flatMap((r) =>
            r.dataElements.map((e) => [
              `${r.id}/${e}`,
              [
                r.id,
                str(r.name),
                ...coded('dataElement', e),
                SENSITIVE_DATA_ELEMENTS.has(e),
                ...codedList('audience', r.audiences),
              ] as Value[],
            ]),
          ),
        ),
      },
      Assessments: {
        headers: 14,
        rows: map(
          pias,
          (r) => r.id,
          (r) => [
            r.id,
            r.inventoryItemId,
            str(itemName.get(r.inventoryItemId)!),
            str(r.title),
            ...coded('reports.codes', r.status),
            r.currentRevision,
            r.approvedRevision,
            r.templateId,
            r.baseVersionId,
            r.createdBy,
            r.version,
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      'Assessment revisions': {
        headers: 13,
        rows: map(
          revisions,
          (r) => r.id,
          (r) => [
            r.id,
            r.assessmentId,
            r.number,
            ...coded('reports.codes', r.status),
            r.templateVersionId,
            r.createdBy,
            tsOrNull(r.submittedAt),
            tsOrNull(r.decidedAt),
            str(r.conditions),
            day(r.nextReviewOn),
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      Answers: {
        headers: 23,
        rows: map(
          answers,
          (r) => r.questionId,
          (r) => {
            const q = question.get(r.questionId)!;
            const sec = section.get(q.sectionId)!;
            const rev = revision.get(r.revisionId)!;
            return [
              rev.assessmentId,
              r.revisionId,
              rev.number,
              r.questionId,
              str(sec.code),
              str(sec.title),
              str(q.key),
              ...coded('exports.questionKind', q.kind),
              str(q.prompt),
              ...coded('exports.origin', q.origin),
              str(pgJson(withoutSecretValues(r.value).value)),
              ...coded('exports.origin', r.origin),
              r.evidenceUrl,
              str(r.evidenceQuote),
              day(r.evidenceSeenOn),
              day(r.vendorAnsweredOn),
              day(r.reviewedOn),
              r.updatedBy,
              r.version,
              ts(r.updatedAt),
            ];
          },
        ),
      },
      Risks: {
        headers: 17,
        rows: map(
          risks,
          (r) => r.id,
          (r) => [
            r.id,
            revision.get(r.revisionId)!.assessmentId,
            r.revisionId,
            str(r.title),
            str(r.description),
            r.likelihood,
            r.impact,
            r.likelihood * r.impact,
            str(r.mitigation),
            str(r.owner),
            day(r.dueOn),
            r.residualLikelihood,
            r.residualImpact,
            product(r.residualLikelihood, r.residualImpact),
            r.position,
            ts(r.createdAt),
            ts(r.updatedAt),
          ],
        ),
      },
      'Sign-offs': {
        headers: 12,
        rows: map(
          signoffs,
          (r) => r.id,
          (r) => [
            r.id,
            revision.get(r.revisionId)!.assessmentId,
            r.revisionId,
            revision.get(r.revisionId)!.number,
            r.userId,
            str(r.signerName),
            ...coded('role', r.role),
            ...coded('exports.decision', r.decision),
            str(r.comment),
            ts(r.at),
          ],
        ),
      },
      Attachments: {
        headers: 12,
        rows: map(
          documents,
          (r) => r.id,
          (r) => [
            r.id,
            r.inventoryItemId,
            r.assessmentId,
            ...coded('exports.attachmentKind', r.kind),
            str(r.fileName),
            r.contentType,
            r.byteSize,
            r.sha256,
            day(r.agreementExpiresOn),
            r.uploadedBy,
            ts(r.createdAt),
          ],
        ),
      },
      'Audit events': {
        headers: 16,
        rows: map(
          events,
          (r) => String(r.id),
          (r) => [
            r.id,
            ts(r.at),
            r.actorUserId,
            str(r.actorLabel),
            ...coded('role', r.actorRole),
            ...coded('auditAction', r.action),
            ...coded('auditRecordType', r.recordType),
            r.recordId,
            str(pgJson(withoutSecretValues(r.changes).value)),
            r.beforeDigest,
            r.afterDigest,
            r.requestId,
            r.source,
          ],
        ),
      },
      'Report runs': {
        headers: 4,
        rows: map(
          runs,
          (r) => `${day(r.day)}/${r.report}`,
          (r) => [day(r.day), ...coded('reports.titles', r.report), r.runCount],
        ),
      },
    };
  });
}

/** The key a sheet row is matched on (ids are the first cell; data elements and runs combine two). */
function rowKey(sheet: string, cells: Value[]): string {
  if (sheet === 'Data elements') return `${String(cells[0])}/${String(cells[3])}`;
  if (sheet === 'Report runs') return `${String(cells[0])}/${String(cells[2])}`;
  if (sheet === 'Answers') return String(cells[3]);
  return String(cells[0]);
}

type Expected = Awaited<ReturnType<typeof expectedSheets>>;

/**
 * Checks every sheet of a workbook (in SHEETS order, whatever its language) against the database;
 * returns each sheet's rows by key.
 */
function expectWorkbook(book: ExcelJS.Workbook, expected: Expected): Map<string, Value[]>[] {
  expect(book.worksheets).toHaveLength(SHEETS.length);
  return book.worksheets.map((ws, i) => {
    const name = SHEETS[i]!;
    const want = expected[name]!;
    expect((ws.getRow(1).values as unknown[]).length - 1, name).toBe(want.headers);
    const got = new Map<string, Value[]>();
    for (let r = 2; r <= ws.rowCount; r++) {
      const cells: Value[] = [];
      for (let c = 1; c <= want.headers; c++) cells.push((ws.getRow(r).getCell(c).value as Value | undefined) ?? null);
      got.set(rowKey(name, cells), cells);
    }
    // XML reads a bare CR as LF (the writer stores line ends as LF on purpose) and cannot hold most
    // control characters (left out); empty text is an empty cell.
    const xlsxForm = new Map(
      [...want.rows].map(([k, cells]) => [
        k,
        cells.map((v) => (v === '' ? null : typeof v === 'string' ? v.replace(/\r\n?/g, '\n').replace(XML_UNFIT, '') : v)),
      ]),
    );
    expect(got, name).toEqual(xlsxForm);
    return got;
  });
}

/** Checks every CSV file of a zip export against the database. */
function expectCsvFiles(files: Map<string, Buffer>, expected: Expected): void {
  for (const sheet of SHEETS) {
    const records = parse(files.get(`${FILES[sheet]}.csv`)!, { bom: true }) as string[][];
    expect(records[0]!.length, sheet).toBe(expected[sheet]!.headers);
    const got = new Map(records.slice(1).map((r) => [rowKey(sheet, r), r]));
    const want = new Map([...expected[sheet]!.rows].map(([k, cells]) => [k, cells.map((v) => (v === null ? '' : String(v)))]));
    expect(got, sheet).toEqual(want);
  }
}

async function waitReady(client: Client, id: string) {
  await t.jobs.runPending();
  for (let i = 0; i < 200; i++) {
    const res = await client.request('GET', `/api/v1/exports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    if (body.status === 'ready' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('export did not finish');
}

const SHEETS = [
  'Institution',
  'Schools',
  'Users',
  'Inventory',
  'Staff requests',
  'Data elements',
  'Assessments',
  'Assessment revisions',
  'Answers',
  'Risks',
  'Sign-offs',
  'Attachments',
  'Audit events',
  'Report runs',
];
const FRENCH_SHEETS: Record<string, string> = {
  Institution: 'Établissement',
  Schools: 'Écoles',
  Users: 'Utilisateurs',
  Inventory: 'Inventaire',
  'Staff requests': 'Demandes du personnel',
  'Data elements': 'Données',
  Assessments: 'Évaluations',
  'Assessment revisions': 'Révisions des évaluations',
  Answers: 'Réponses',
  Risks: 'Risques',
  'Sign-offs': 'Signatures',
  Attachments: 'Pièces jointes',
  'Audit events': 'Journal d’audit',
  'Report runs': 'Exécutions des rapports',
};
const FILES: Record<string, string> = {
  Institution: 'institution',
  Schools: 'schools',
  Users: 'users',
  Inventory: 'inventory',
  'Staff requests': 'staff-requests',
  'Data elements': 'data-elements',
  Assessments: 'assessments',
  'Assessment revisions': 'assessment-revisions',
  Answers: 'answers',
  Risks: 'risks',
  'Sign-offs': 'sign-offs',
  Attachments: 'attachments',
  'Audit events': 'audit-events',
  'Report runs': 'report-runs',
};

describe('full export', () => {
  it('writes an XLSX workbook whose every cell matches the database, formulas neutralised', async () => {
    const tenant = await seedTenant();
    const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ status: 'queued', format: 'xlsx', downloadUrl: null });
    const done = await waitReady(tenant.siteAdmin, started.json().id);
    expect(done).toMatchObject({ status: 'ready', percent: 100 });
    expect(done.rowsTotal).toBe(done.rowsDone);
    expect(done.downloadUrl).toBe(`/api/v1/exports/${done.id}/download`);
    expect(new Date(done.expiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);

    const expected = await expectedSheets(tenant.institution.id);
    const file = await tenant.siteAdmin.request('GET', done.downloadUrl);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="test-district-.*-export-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(SHEETS);

    const sheets = expectWorkbook(book, expected);
    const parts = await unzip(file.rawPayload);
    expect([...parts.values()].filter((b) => b.includes(SEALED_VALUE) || b.includes('PRIVATE KEY'))).toEqual([]);
    for (const ws of book.worksheets) expect((ws.getRow(1).values as unknown[]).join(' ').toLowerCase()).not.toMatch(/password|token|hash/);
    expect(sheets.reduce((n, got) => n + got.size, 0)).toBe(done.rowsTotal);
    const neutralised = sheets.flatMap((got) => [...got.values()].flat()).filter((v) => typeof v === 'string' && v.startsWith("'")).length;
    expect(neutralised).toBeGreaterThanOrEqual(HOSTILE.length * 3 + 2 + 8);
  });

  it('lists each document in the XLSX workbook, whose fingerprint names the file the CSV download carries', async () => {
    const tenant = await seedTenant();
    const download = async (format: 'xlsx' | 'csv') => {
      const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format });
      expect(started.statusCode, started.body).toBe(202);
      const done = await waitReady(tenant.siteAdmin, started.json().id);
      return (await tenant.siteAdmin.request('GET', done.downloadUrl)).rawPayload;
    };
    const [document] = await withSystem(t.database.db, (tx) =>
      tx.select().from(attachments).where(eq(attachments.tenantId, tenant.institution.id)),
    );
    const xlsx = await download('xlsx');
    // A workbook is a spreadsheet: the listing, not the files (no part of it holds the document's bytes).
    const parts = await unzip(xlsx);
    expect([...parts.values()].filter((b) => b.includes(DOCUMENT))).toEqual([]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Attachments')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const listed = Object.fromEntries(header.map((h, i) => [String(h), row[i]]));
    expect(listed).toMatchObject({
      ID: document!.id,
      'File name': "'+SUM(1,2).pdf",
      'SHA-256': createHash('sha256').update(DOCUMENT).digest('hex'),
    });
    // The CSV download carries the file itself, under the id the listing gives; its bytes have the listed fingerprint.
    const files = await unzip(await download('csv'));
    const file = files.get(`attachments/${String(listed.ID)}/+SUM(1,2).pdf`)!;
    expect(createHash('sha256').update(file).digest('hex')).toBe(listed['SHA-256']);
  });

  it('writes a zip of CSVs whose every value matches the database', async () => {
    const tenant = await seedTenant();
    const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(started.statusCode, started.body).toBe(202);
    const done = await waitReady(tenant.siteAdmin, started.json().id);
    expect(done.status).toBe('ready');
    const expected = await expectedSheets(tenant.institution.id);
    const file = await tenant.siteAdmin.request('GET', done.downloadUrl);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/zip');
    const files = await unzip(file.rawPayload);
    // The sheets, then each attached document as it was uploaded.
    const documents = await withSystem(t.database.db, (tx) =>
      tx.select().from(attachments).where(eq(attachments.tenantId, tenant.institution.id)),
    );
    expect(documents).toHaveLength(1);
    expect([...files.keys()]).toEqual([...SHEETS.map((s) => `${FILES[s]}.csv`), `attachments/${documents[0]!.id}/+SUM(1,2).pdf`]);
    expect(files.get(`attachments/${documents[0]!.id}/+SUM(1,2).pdf`)).toEqual(DOCUMENT);
    expect(files.get('staff-requests.csv')!.toString('utf8').split('\n').length).toBeGreaterThan(1);
    expect([...files.values()].filter((b) => b.toString('utf8').toLowerCase().includes(REQUESTER_EMAIL))).toEqual([]);
    expect([...files.values()].filter((b) => b.includes(SEALED_VALUE) || b.includes('PRIVATE KEY'))).toEqual([]);
    expect(files.get('answers.csv')!.toString('utf8')).toContain(`""${SEALED_KEY}"": ""key kept""`);
    expectCsvFiles(files, expected);
  });

  it('keeps exports to the institution’s site admins, and links expire', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    expect((await tenant.appAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' })).statusCode).toBe(403);
    const bad = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'pdf' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toContain('format');

    const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' });
    const id = started.json().id;
    const done = await waitReady(tenant.siteAdmin, id);
    expect((await other.siteAdmin.request('GET', `/api/v1/exports/${id}`)).statusCode).toBe(404);
    expect((await other.siteAdmin.request('GET', `/api/v1/exports/${id}/download`)).statusCode).toBe(404);
    expect((await tenant.appAdmin.request('GET', `/api/v1/exports/${id}/download`)).statusCode).toBe(403);
    expect((await tenant.siteAdmin.request('GET', done.downloadUrl)).statusCode).toBe(200);

    await withSystem(t.database.db, (tx) =>
      tx
        .update(dataExports)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(dataExports.id, id)),
    );
    const expired = await tenant.siteAdmin.request('GET', done.downloadUrl);
    expect(expired.statusCode).toBe(404);
    expect(expired.json().error.message).toMatch(/expired/);
    const listed = (await tenant.siteAdmin.request('GET', '/api/v1/exports')).json().items;
    expect(listed.find((e: { id: string }) => e.id === id)).toMatchObject({ status: 'expired', downloadUrl: null });
    const { existsSync } = await import('node:fs');
    const { exportFilePath } = await import('./export-files.js');
    expect(existsSync(exportFilePath(t.config.dataDir, tenant.institution.id, id, 'xlsx'))).toBe(false);

    const audit = await withSystem(t.database.db, (tx) =>
      tx.execute(
        sql`select action from audit_events where tenant_id = ${tenant.institution.id} and record_type = 'data_export' order by id`,
      ),
    );
    expect((audit as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual(['export.create', 'export.download']);
  });

  /**
   * Every row of `entity` as the database writes it for `format`, read by its key `size` rows a page
   * (the embedded database's way), and the number of rows each page held.
   */
  async function pagedRows(tx: Tx, scope: TenantScope, entity: ExportEntity, format: SheetFormat, size: number) {
    const words = entityLayout(entity, 'en').words;
    const pages: Buffer[] = [];
    const counts: number[] = [];
    let after: string[] | null = null;
    for (;;) {
      const end = await entity.pageEnd(tx, scope, after, size);
      if (end.rows === 0) break;
      pages.push(await copyAll(t.database.db, tx, entity.rowsQuery(scope, words, { after, limit: size }), copyOptions(format)));
      counts.push(end.rows);
      if (end.rows < size) break;
      after = end.last;
    }
    return { bytes: Buffer.concat(pages), counts };
  }

  /** A sheet's rows as COPY wrote them, each as comparable text: CSV records, or the text format's lines. */
  const rowsOf = (bytes: Buffer, format: SheetFormat): string[] =>
    format === 'csv' ? (parse(bytes) as string[][]).map((r) => JSON.stringify(r)) : bytes.toString('utf8').split('\n').slice(0, -1);

  it('reads every entity by its key, two rows a page, as through its whole statement: the same rows, none lost or repeated', async () => {
    const tenant = await seedTenant();
    const scope = unsafeTenantScope(tenant.institution.id);
    for (const format of ['csv', 'xlsx'] as const) {
      for (const entity of EXPORT_ENTITIES) {
        const { paged, whole, count } = await withTenant(t.database.db, scope, async (tx) => ({
          paged: await pagedRows(tx, scope, entity, format, 2),
          whole: await copyAll(t.database.db, tx, entity.rowsQuery(scope, entityLayout(entity, 'en').words), copyOptions(format)),
          count: await entity.count(tx, scope),
        }));
        const what = `${entity.name} (${format})`;
        expect(count, what).toBeGreaterThan(0);
        expect(
          paged.counts.reduce((n, c) => n + c, 0),
          what,
        ).toBe(count);
        expect(
          paged.counts.slice(0, -1).every((c) => c === 2),
          what,
        ).toBe(true);
        const pagedRowsRead = rowsOf(paged.bytes, format);
        expect(pagedRowsRead, what).toHaveLength(count);
        expect(new Set(pagedRowsRead).size, what).toBe(count);
        // The whole statement reads the rows in the database's order, pages in key order: the same rows.
        expect(rowsOf(whole, format).sort(), what).toEqual(pagedRowsRead.sort());
        // Every row has a field for each of the sheet's columns.
        if (format === 'xlsx') for (const row of pagedRowsRead) expect(row.split('\t'), what).toHaveLength(entity.cellTypes.length);
      }
    }
  });

  it('writes the export in the reader’s language: French headers and words, the codes in their own columns', async () => {
    const tenant = await seedTenant();
    // Without `lang`, the export speaks the language the requester chose.
    const chose = await tenant.siteAdmin.request('PATCH', '/api/v1/me', { language: 'fr' });
    expect(chose.statusCode, chose.body).toBe(200);
    const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' });
    expect(started.statusCode, started.body).toBe(202);
    const done = await waitReady(tenant.siteAdmin, started.json().id);
    expect(done.status).toBe('ready');
    const expected = await expectedSheets(tenant.institution.id, 'fr');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await tenant.siteAdmin.request('GET', done.downloadUrl)).rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(SHEETS.map((s) => FRENCH_SHEETS[s]));
    expectWorkbook(book, expected);
    // The inventory's coded columns, read by their French headers: words, then the codes as stored.
    const inventory = book.getWorksheet('Inventaire')!;
    const headers = (inventory.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers).toEqual(
      expect.arrayContaining(['Statut', 'Statut (code)', 'Niveaux', 'Niveaux (code)', 'Données', 'Données (code)', 'Publics (code)']),
    );
    expect(headers).not.toContain('Status');
    const [item] = await withSystem(t.database.db, (tx) =>
      tx
        .select()
        .from(inventoryItems)
        .where(and(eq(inventoryItems.tenantId, tenant.institution.id), eq(inventoryItems.agreementType, 'vendor_dpa'))),
    );
    const row = [...Array(inventory.rowCount - 1).keys()]
      .map((r) => (inventory.getRow(r + 2).values as unknown[]).slice(1))
      .find((cells) => cells[0] === item!.id)!;
    const cell = (header: string) => row[headers.indexOf(header)];
    expect(cell('Niveaux')).toBe('3e année; 4e année');
    expect(cell('Niveaux (code)')).toBe('3; 4');
    expect(cell('Publics')).toBe('Élèves; Parents/tuteurs');
    expect(cell('Publics (code)')).toBe('students; parents');
    expect(cell('Statut (code)')).toBe(item!.status);
    expect(cell('Statut')).toBe(domainFr.status[item!.status as keyof typeof domainFr.status]);
    expect(cell('Statut')).not.toBe(item!.status);
    // The request records the language asked for.
    const audit = await withSystem(t.database.db, (tx) =>
      tx.execute(sql`select changes from audit_events where record_id = ${done.id} and action = 'export.create'`),
    );
    expect((audit as unknown as { rows: { changes: unknown }[] }).rows[0]!.changes).toMatchObject({
      format: { after: 'xlsx' },
      language: { after: 'fr' },
    });
  });

  it('takes the language asked for over the reader’s own; CSV files keep their names', async () => {
    const tenant = await seedTenant();
    const bad = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv', lang: 'de' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toContain('lang');
    const started = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv', lang: 'fr' });
    expect(started.statusCode, started.body).toBe(202);
    const done = await waitReady(tenant.siteAdmin, started.json().id);
    const expected = await expectedSheets(tenant.institution.id, 'fr');
    const files = await unzip((await tenant.siteAdmin.request('GET', done.downloadUrl)).rawPayload);
    expect([...files.keys()].filter((f) => f.endsWith('.csv'))).toEqual(SHEETS.map((s) => `${FILES[s]}.csv`));
    expectCsvFiles(files, expected);
    const audit = parse(files.get('audit-events.csv')!, { bom: true }) as string[][];
    expect(audit[0]).toEqual(expect.arrayContaining(['Action', 'Action (code)', 'Rôle de l’auteur', 'Type d’enregistrement (code)']));
    const created = audit.find((r) => r[audit[0]!.indexOf('Action (code)')] === 'export.create')!;
    expect(created[audit[0]!.indexOf('Action')]).toBe(auditFr.auditAction.export.create);

    // The same person, asking in English: English headers, the same codes.
    const english = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv', lang: 'en' });
    const ready = await waitReady(tenant.siteAdmin, english.json().id);
    const inventory = parse((await unzip((await tenant.siteAdmin.request('GET', ready.downloadUrl)).rawPayload)).get('inventory.csv')!, {
      bom: true,
    }) as string[][];
    expect(inventory[0]!.slice(0, 10)).toEqual([
      'ID',
      'App',
      'Vendor',
      'Catalog app ID',
      'Custom app',
      'Custom app website',
      'Status',
      'Status (code)',
      'Grades',
      'Grades (code)',
    ]);
  });

  it('has French words for every sheet and column', () => {
    for (const entity of EXPORT_ENTITIES) {
      const french = exportSheetsFr[entity.file];
      expect(french, entity.file).toBeDefined();
      expect(french!.sheet.length, entity.file).toBeLessThanOrEqual(31);
      expect(
        entity.columns.filter((c) => !french!.columns[c.key]).map((c) => c.key),
        entity.file,
      ).toEqual([]);
    }
    expect(Object.keys(exportsEn.staffRequestStatus)).toEqual([...STAFF_REQUEST_STATUSES]);
    expect(Object.keys(exportsEn.decision)).toEqual([...SIGNOFF_DECISIONS]);
    expect(Object.keys(exportsEn.attachmentKind)).toEqual([...ATTACHMENT_KINDS]);
    expect(Object.keys(exportsEn.questionKind)).toEqual([...QUESTION_KINDS]);
  });

  it('answers a request that waits (`?wait=`) once the export is ready, and after its wait while it is still queued', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    for (const wait of ['26', '-1', 'soon']) {
      const bad = await tenant.siteAdmin.request('GET', `/api/v1/exports?wait=${wait}`);
      expect(bad.statusCode, wait).toBe(400);
      expect(Object.keys(bad.json().error.fields)).toContain('wait');
    }
    const id = (await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' })).json().id;
    // The test's jobs run when told: until then, a short wait answers with the export still queued.
    expect((await tenant.siteAdmin.request('GET', `/api/v1/exports/${id}?wait=1`)).json().status).toBe('queued');
    expect((await other.siteAdmin.request('GET', `/api/v1/exports/${id}?wait=20`)).statusCode).toBe(404);
    expect((await other.siteAdmin.request('GET', '/api/v1/exports?wait=20')).json().items).toEqual([]);
    // Long waits, on the export and on the list, are not answered while its job has not run...
    const answered: string[] = [];
    const one = tenant.siteAdmin.request('GET', `/api/v1/exports/${id}?wait=20`).then((r) => (answered.push('one'), r));
    const list = tenant.siteAdmin.request('GET', '/api/v1/exports?wait=20').then((r) => (answered.push('list'), r));
    await new Promise((r) => setTimeout(r, 1500));
    expect(answered).toEqual([]);
    // ...and are once it has, ready: the job tells this process's waiting requests as it ends.
    const told = exportSettledOrTimeout([id], 10 * 60_000);
    await t.jobs.runPending();
    await told;
    expect((await one).json()).toMatchObject({ id, status: 'ready', downloadUrl: `/api/v1/exports/${id}/download` });
    expect((await list).json().items.find((e: { id: string }) => e.id === id)).toMatchObject({ status: 'ready' });
  });

  it('refuses a second export while one is being prepared', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await withSystem(t.database.db, (tx) =>
      tx.insert(dataExports).values({ tenantId: tenant.institution.id, id: randomUUID(), format: 'csv', status: 'running' }),
    );
    const res = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' });
    expect(res.statusCode).toBe(409);
  });
});
