import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellOf, reportResultSchema, type ReportColumn, type ReportRow } from '../../../contracts/reports.js';
import { type inventoryItems } from '../../db/schema/index.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant } from '../../platform/db.js';
import { buildCatalogApp, buildTenantWithUsers, buildUser, signIn } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { dayFromToday, insertAssessment, insertInventoryItem } from '../../../../test/support/report-fixtures.js';
import { dashboardQueries } from './reports.repo.js';
import { utcToday } from './reports.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

type Tenant = Awaited<ReturnType<typeof buildTenantWithUsers>>;
type ItemInsert = typeof inventoryItems.$inferInsert;
interface PlanNode {
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

const addItem = (tenant: Tenant, values: Partial<ItemInsert> & { name: string }) =>
  insertInventoryItem(t.database.db, tenant.institution.id, values);

async function runCount(tenantId: string, report: string): Promise<number> {
  const res = await withSystem(t.database.db, (tx) =>
    tx.execute(sql`select run_count from report_runs where tenant_id = ${tenantId} and report = ${report} and day = ${utcToday()}::date`),
  );
  const rows = (res as unknown as { rows: { run_count: number }[] }).rows;
  return rows.length ? Number(rows[0]!.run_count) : 0;
}

async function readXlsx(body: Buffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body as unknown as ArrayBuffer);
  return book;
}

describe('reports', () => {
  it('builds each report from the inventory, with filters', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const [north, central] = tenant.schools;
    const canadian = await buildCatalogApp(t.database.db, { name: 'Maple Math', vendor: 'Maple Ltd', storageCountries: ['CA'] });
    const american = await buildCatalogApp(t.database.db, { name: 'Eagle Read', vendor: 'Eagle Inc', storageCountries: ['US', 'CA'] });
    const global = await buildCatalogApp(t.database.db, { name: 'Globe Chat', vendor: 'Globe', storageCountries: ['IE', 'US'] });
    const a = await addItem(tenant, {
      catalogAppId: canadian.id,
      name: 'Maple Math',
      vendor: 'Maple Ltd',
      status: 'approved',
      grades: ['3', '4'],
      schoolIds: [north!.id],
      audiences: ['students'],
      dataElements: ['name', 'assessment_results'],
      nextReviewOn: dayFromToday(-3),
    });
    const b = await addItem(tenant, {
      catalogAppId: american.id,
      name: 'Eagle Read',
      vendor: 'Eagle Inc',
      status: 'approved_with_conditions',
      grades: ['9', '10'],
      schoolIds: [central!.id],
      audiences: ['students', 'employees'],
      dataElements: ['name', 'email'],
      agreementExpiresOn: dayFromToday(20),
    });
    const c = await addItem(tenant, {
      catalogAppId: global.id,
      name: 'Globe Chat',
      vendor: 'Globe',
      status: 'in_review',
      grades: ['5'],
      audiences: ['students'],
      dataElements: ['messages', 'name'],
      nextReviewOn: dayFromToday(200),
    });
    await addItem(tenant, {
      name: 'Old Tool',
      vendor: 'Maple Ltd',
      status: 'retired',
      grades: ['3'],
      audiences: ['employees'],
      dataElements: ['email'],
    });

    const get = async (url: string) => {
      const res = await tenant.appAdmin.request('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      // The route writes results without re-validating them: the contract is checked here instead
      // (parsing keeps only the schema's keys, so equality also means nothing extra went out).
      const body = res.json();
      expect(reportResultSchema.parse(body)).toEqual(body);
      return body;
    };

    const matrix = await get('/api/v1/reports/approved-by-grade');
    expect(matrix.rows.map((r: { app: string }) => r.app)).toEqual(['Eagle Read', 'Maple Math']);
    // Each app's grades once; each grade's column ticked from them.
    expect(matrix.rows[1].grades).toEqual(expect.arrayContaining(['3', '4']));
    expect(matrix.rows[1].grades).not.toContain('9');
    const gradeColumn = (g: string) => matrix.columns.find((c: ReportColumn) => c.key === `grade:${g}`);
    expect(gradeColumn('4')).toMatchObject({ kind: 'check', of: { key: 'grades', value: '4' } });
    expect([
      cellOf(gradeColumn('3'), matrix.rows[1]),
      cellOf(gradeColumn('4'), matrix.rows[1]),
      cellOf(gradeColumn('9'), matrix.rows[1]),
    ]).toEqual([true, true, false]);
    expect(matrix.chart.data.find((d: { grade: string }) => d.grade === '9').apps).toBe(1);
    const grade4 = await get('/api/v1/reports/approved-by-grade?grade=4');
    expect(grade4.rows.map((r: { app: string }) => r.app)).toEqual(['Maple Math']);
    expect(grade4.columns.map((c: { key: string }) => c.key)).toEqual(['app', 'vendor', 'status', 'grade:4']);
    const bySchool = await get(`/api/v1/reports/approved-by-grade?schoolId=${central!.id}`);
    expect(bySchool.rows.map((r: { app: string }) => r.app)).toEqual(['Eagle Read']);

    const byStatus = await get('/api/v1/reports/inventory-by-status');
    expect(Object.fromEntries(byStatus.rows.map((r: { status: string; apps: number }) => [r.status, r.apps]))).toEqual({
      requested: 0,
      in_review: 1,
      approved: 1,
      approved_with_conditions: 1,
      not_approved: 0,
      needs_review: 0,
      retired: 1,
    });
    const students = await get('/api/v1/reports/inventory-by-status?audience=employees');
    expect(students.rows.filter((r: { apps: number }) => r.apps > 0)).toEqual([
      { status: 'approved_with_conditions', apps: 1 },
      { status: 'retired', apps: 1 },
    ]);

    const noPia = await get('/api/v1/reports/apps-without-approved-pia');
    expect(noPia.rows.map((r: { id: string }) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(noPia.rows.every((r: { piaStatus: string }) => r.piaStatus === 'none')).toBe(true);
    // An approved PIA takes the app off the list whatever the app's status; a draft PIA does not.
    await insertAssessment(t.database.db, { tenantId: tenant.institution.id, inventoryItemId: c.id, status: 'approved_with_conditions' });
    await insertAssessment(t.database.db, { tenantId: tenant.institution.id, inventoryItemId: a.id, status: 'in_review' });
    const noPiaNow = await get('/api/v1/reports/apps-without-approved-pia');
    expect(noPiaNow.rows.map((r: { app: string; piaStatus: string }) => [r.app, r.piaStatus])).toEqual([
      ['Eagle Read', 'none'],
      ['Maple Math', 'in_review'],
    ]);

    const due = await get('/api/v1/reports/reviews-due?days=30');
    expect(
      due.rows.map((r: { app: string; reviewState: string | null; agreementState: string | null }) => [
        r.app,
        r.reviewState,
        r.agreementState,
      ]),
    ).toEqual([
      ['Maple Math', 'review_overdue', null],
      ['Eagle Read', null, 'agreement_expiring'],
    ]);
    expect(due.filters.days).toBe(30);
    const dueLong = await get('/api/v1/reports/reviews-due?days=365');
    expect(dueLong.rows).toHaveLength(3);

    const elements = await get('/api/v1/reports/data-elements-by-audience');
    const nameRow = elements.rows.find((r: { element: string }) => r.element === 'name');
    expect(nameRow).toMatchObject({ apps: 3, students: 3, employees: 1, parents: 0, sensitive: false });
    expect(elements.rows.find((r: { element: string }) => r.element === 'email')).toMatchObject({ apps: 2, employees: 2, students: 1 });

    const storage = await get('/api/v1/reports/data-storage');
    expect(Object.fromEntries(storage.rows.map((r: { app: string; location: string }) => [r.app, r.location]))).toEqual({
      'Eagle Read': 'us',
      'Globe Chat': 'elsewhere',
      'Maple Math': 'canada',
      'Old Tool': 'unknown',
    });

    const under13 = await get('/api/v1/reports/sensitive-under-13');
    expect(
      under13.rows.map((r: { app: string; grades: string[]; sensitiveElements: string[] }) => [r.app, r.grades, r.sensitiveElements]),
    ).toEqual([
      ['Globe Chat', ['5'], ['messages']],
      ['Maple Math', ['3', '4'], ['assessment_results']],
    ]);

    const vendors = await get('/api/v1/reports/vendors');
    expect(vendors.rows.find((r: { vendor: string }) => r.vendor === 'Maple Ltd')).toEqual({
      vendor: 'Maple Ltd',
      apps: 2,
      approved: 1,
      appNames: ['Maple Math', 'Old Tool'],
    });
  });

  it('counts each run per institution, report and day, and keeps nothing about who ran it', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const n = 7;
    for (let i = 0; i < n; i++) {
      const who = i % 2 ? tenant.siteAdmin : tenant.appAdmin;
      expect((await who.request('GET', '/api/v1/reports/vendors')).statusCode).toBe(200);
    }
    const download = await tenant.siteAdmin.request('GET', '/api/v1/reports/vendors/download?format=csv');
    expect(download.statusCode).toBe(200);
    // The count is committed asynchronously, after the answer is sent: it is seen a moment later.
    await expect.poll(() => runCount(tenant.institution.id, 'vendors'), { timeout: 30_000 }).toBe(n + 1);
    expect(await runCount(other.institution.id, 'vendors')).toBe(0);
    expect(await runCount(tenant.institution.id, 'data-storage')).toBe(0);

    // Commitment 2: the counter table has exactly these columns, none of which can point at a person.
    const cols = await withSystem(t.database.db, (tx) =>
      tx.execute(
        sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = 'report_runs' order by column_name`,
      ),
    );
    const names = (cols as unknown as { rows: { column_name: string }[] }).rows.map((r) => r.column_name);
    expect(names).toEqual(['day', 'report', 'run_count', 'tenant_id']);
    const fks = await withSystem(t.database.db, (tx) =>
      tx.execute(
        sql`select confrelid::regclass::text as table_name from pg_constraint where conrelid = 'report_runs'::regclass and contype = 'f'`,
      ),
    );
    expect((fks as unknown as { rows: { table_name: string }[] }).rows.map((r) => r.table_name)).toEqual(['institutions']);
    // Nor does a run leave anything in the audit log.
    const audit = await withSystem(t.database.db, (tx) =>
      tx.execute(sql`select count(*)::int as n from audit_events where tenant_id = ${tenant.institution.id} and action like 'report%'`),
    );
    expect((audit as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);

    // Platform admins see the counts (and only the counts); they cannot run an institution's report.
    const operator = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
    const counts = await operator.request('GET', `/api/v1/platform/report-runs?institutionId=${tenant.institution.id}`);
    expect(counts.statusCode, counts.body).toBe(200);
    expect(counts.json().items).toEqual([
      { institutionId: tenant.institution.id, institutionName: tenant.institution.name, report: 'vendors', day: utcToday(), count: n + 1 },
    ]);
    expect(Object.keys(counts.json().items[0]).sort()).toEqual(['count', 'day', 'institutionId', 'institutionName', 'report']);
    expect((await tenant.siteAdmin.request('GET', '/api/v1/platform/report-runs')).statusCode).toBe(403);
    expect((await operator.request('GET', '/api/v1/reports/vendors')).statusCode).toBe(403);
  });

  it('refuses bad filters field by field and another institution’s school', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const other = await buildTenantWithUsers(t.app, t.database.db);
    const cases: [string, string][] = [
      ['/api/v1/reports/vendors?grade=13', 'grade'],
      ['/api/v1/reports/vendors?status=lost', 'status'],
      ['/api/v1/reports/reviews-due?days=0', 'days'],
      ['/api/v1/reports/reviews-due?days=9999', 'days'],
      ['/api/v1/reports/vendors?schoolId=nope', 'schoolId'],
      ['/api/v1/reports/vendors?unknown=1', 'unknown'],
      [`/api/v1/reports/vendors?schoolId=${other.schools[0]!.id}`, 'schoolId'],
      ['/api/v1/reports/vendors/download?format=pdf', 'format'],
    ];
    for (const [url, field] of cases) {
      const res = await tenant.siteAdmin.request('GET', url);
      expect(res.statusCode, url).toBe(400);
      expect(Object.keys(res.json().error.fields ?? {}).join(','), url).toContain(field);
    }
    expect((await tenant.siteAdmin.request('GET', '/api/v1/reports/nope')).statusCode).toBe(400);
    expect(await runCount(tenant.institution.id, 'vendors')).toBe(0);
  });

  it('downloads a report as XLSX and CSV with the rows of the table, formulas neutralised', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+2', '-3', '@SUM(A1)', '\tTab', '\rReturn'];
    for (const [i, name] of hostile.entries()) {
      await addItem(tenant, {
        name,
        vendor: i % 2 ? `=cmd|' /C calc'!A0` : 'Plain Vendor',
        status: 'approved',
        grades: ['3'],
        audiences: ['students'],
      });
    }
    await addItem(tenant, { name: 'Zeta (grade 9 only)', vendor: 'Safe', status: 'approved', grades: ['9'] });
    const json = (await tenant.siteAdmin.request('GET', '/api/v1/reports/approved-by-grade?grade=3')).json();
    expect(json.rows).toHaveLength(hostile.length);
    const expected = json.rows.map((r: Record<string, unknown>) =>
      json.columns.map((c: ReportColumn) => {
        const v = cellOf(c, r as ReportRow);
        if (c.kind === 'check') return v ? '✓' : '';
        return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
      }),
    );
    expect(expected.flat().filter((v: unknown) => typeof v === 'string' && v.startsWith("'")).length).toBe(hostile.length + 3);
    // In the file the status reads as words, followed by its code for machines; the grade is named in full.
    expect(json.columns.map((c: { key: string }) => c.key).slice(0, 3)).toEqual(['app', 'vendor', 'status']);
    const headers = ['App', 'Vendor', 'Status', 'Status (code)', 'Grade 3'];
    const fileRows = expected.map((r: unknown[]) => [r[0], r[1], 'Approved', ...r.slice(2)]);

    const xlsx = await tenant.siteAdmin.request('GET', '/api/v1/reports/approved-by-grade/download?format=xlsx&grade=3');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toMatch(/attachment; filename="approved-by-grade-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const book = await readXlsx(xlsx.rawPayload);
    const sheet = book.worksheets[0]!;
    const read: unknown[][] = [];
    sheet.eachRow((row) => read.push((row.values as unknown[]).slice(1).map((v) => v ?? '')));
    expect(read[0]).toEqual(headers);
    // XML reads a bare CR as LF: the XLSX writer stores line ends as LF on purpose.
    expect(read.slice(1)).toEqual(
      fileRows.map((r: unknown[]) => r.map((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : (v ?? '')))),
    );
    for (const row of read.slice(1)) for (const v of row) expect(typeof v === 'object' && v !== null && 'formula' in v).toBe(false);

    const csv = await tenant.siteAdmin.request('GET', '/api/v1/reports/approved-by-grade/download?format=csv&grade=3');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const records = parse(csv.rawPayload, { bom: true, relax_column_count: false }) as string[][];
    expect(records[0]).toEqual(headers);
    expect(records.slice(1)).toEqual(fileRows.map((r: unknown[]) => r.map((v) => (v === null ? '' : String(v)))));
  });

  it('writes downloads in the reader’s language (or the one asked for), with the codes in their own columns', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const abroad = await buildCatalogApp(t.database.db, { name: 'Globe Notes', vendor: 'Globe', storageCountries: ['US', 'DE'] });
    await addItem(tenant, { catalogAppId: abroad.id, name: 'Globe Notes', vendor: 'Globe', status: 'approved', grades: ['3'] });
    const csvOf = async (url: string) => {
      const res = await tenant.siteAdmin.request('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return { language: res.headers['content-language'], records: parse(res.rawPayload, { bom: true }) as string[][] };
    };

    const english = await csvOf('/api/v1/reports/data-storage/download?format=csv');
    expect(english.language).toBe('en');
    const en = Object.fromEntries(english.records[0]!.map((h, i) => [h, english.records[1]![i]]));
    expect(en).toMatchObject({ Status: 'Approved', 'Status (code)': 'approved', 'In Canada': 'No', 'In the US': 'Yes' });
    expect(en['Countries of storage']).toBe('United States; Germany');
    expect(en['Countries of storage (code)']).toBe('US; DE');

    const french = await csvOf('/api/v1/reports/data-storage/download?format=csv&lang=fr');
    expect(french.language).toBe('fr');
    const fr = Object.fromEntries(french.records[0]!.map((h, i) => [h, french.records[1]![i]]));
    expect(fr).toMatchObject({ Statut: 'Approuvée', 'Statut (code)': 'approved', 'Au Canada': 'Non', 'Aux États-Unis': 'Oui' });
    expect(fr['Pays de stockage']).toBe('États-Unis; Allemagne');
    expect(fr['Pays de stockage (code)']).toBe('US; DE');
    expect(french.records.flat().filter((v) => /^(Approved|Yes|No|Status)$/.test(v))).toEqual([]);

    // Without `lang`, the file speaks the language the reader chose.
    const chose = await tenant.siteAdmin.request('PATCH', '/api/v1/me', { language: 'fr' });
    expect(chose.statusCode, chose.body).toBe(200);
    const xlsx = await tenant.siteAdmin.request('GET', '/api/v1/reports/approved-by-grade/download?format=xlsx&grade=3&status=approved');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-language']).toBe('fr');
    const book = await readXlsx(xlsx.rawPayload);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Applications approuvées par niveau'.slice(0, 31), 'À propos']);
    expect((book.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Application',
      'Fournisseur',
      'Statut',
      'Statut (code)',
      '3e année',
    ]);
    const about = book.worksheets[1]!;
    expect(about.getRow(3).values).toEqual([undefined, 'Filtres', 'niveaux 3e; statuts Approuvée']);
    expect((await csvOf('/api/v1/reports/data-storage/download?format=csv&lang=en')).language).toBe('en');

    const bad = await tenant.siteAdmin.request('GET', '/api/v1/reports/data-storage/download?format=csv&lang=de');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('lang');
  });

  it('shows the dashboard: counts by status, reviews due, grade heat map and recent changes', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    await addItem(tenant, { name: 'One', status: 'approved', grades: ['1', '2'], nextReviewOn: dayFromToday(-1) });
    await addItem(tenant, {
      name: 'Two',
      status: 'approved',
      grades: ['2'],
      nextReviewOn: dayFromToday(10),
      agreementExpiresOn: dayFromToday(-5),
    });
    await addItem(tenant, { name: 'Three', status: 'requested', grades: ['2', '12'], agreementExpiresOn: dayFromToday(29) });
    const created = await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name: 'Four' }, grades: ['K'] });
    expect(created.statusCode).toBe(201);

    const res = await tenant.siteAdmin.request('GET', '/api/v1/dashboard');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.total).toBe(4);
    expect(d.countsByStatus.find((c: { status: string }) => c.status === 'approved').count).toBe(2);
    expect(d.reviews).toEqual({ overdue: 1, dueIn30Days: 1, agreementsExpired: 1, agreementsExpiringIn30Days: 1 });
    expect(d.dueSoon.map((x: { name: string }) => x.name)).toEqual(['Two', 'One', 'Three']);
    const cell = (grade: string, status: string) =>
      d.gradeHeatmap.cells.find((c: { grade: string; status: string }) => c.grade === grade && c.status === status)?.count ?? 0;
    expect([cell('2', 'approved'), cell('2', 'requested'), cell('12', 'requested'), cell('K', 'requested'), cell('3', 'approved')]).toEqual(
      [2, 1, 1, 1, 0],
    );
    expect(d.gradeHeatmap.grades[0]).toBe('K');
    expect(d.canSeeChanges).toBe(true);
    expect(d.recentChanges[0]).toMatchObject({ action: 'inventory.create', recordName: 'Four' });

    const appAdminView = (await tenant.appAdmin.request('GET', '/api/v1/dashboard')).json();
    expect(appAdminView.canSeeChanges).toBe(false);
    expect(appAdminView.recentChanges).toEqual([]);
  });

  it('finds the item of each recent change by its primary key under row-level security, not among all the institution’s items', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    for (const name of ['Alpha', 'Beta']) {
      expect((await tenant.appAdmin.request('POST', '/api/v1/inventory', { custom: { name } })).statusCode).toBe(201);
    }
    // Enough items for a probe per event to be the planner's choice, as in a large institution.
    await withSystem(t.database.db, (tx) =>
      tx.execute(sql`insert into inventory_items (tenant_id, id, custom_name, name)
        select ${tenant.institution.id}::uuid, gen_random_uuid(), 'Filler ' || n, 'Filler ' || n from generate_series(1, 3000) n`),
    );
    await t.database.db.execute(sql`analyze inventory_items, audit_events`);
    // Scans and joins other than an index probe per event are set aside, so the plan shows whether
    // the item's id can be a key of the index at all (it cannot when the policy must be checked first).
    const plan = await withTenant(t.database.db, unsafeTenantScope(tenant.institution.id), async (tx) => {
      for (const setting of ['enable_seqscan', 'enable_bitmapscan', 'enable_hashjoin', 'enable_mergejoin', 'enable_material']) {
        await tx.execute(sql.raw(`set local ${setting} = off`));
      }
      const [row] = await queryRows<{ 'QUERY PLAN': unknown }>(
        tx,
        sql`explain (format json) ${dashboardQueries.recentChanges(unsafeTenantScope(tenant.institution.id))}`,
      );
      const doc = row!['QUERY PLAN'];
      return (typeof doc === 'string' ? JSON.parse(doc) : doc) as [{ Plan: PlanNode }];
    });
    const scans: PlanNode[] = [];
    const walk = (n: PlanNode) => {
      if (n['Relation Name'] === 'inventory_items') scans.push(n);
      n.Plans?.forEach(walk);
    };
    walk(plan[0].Plan);
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ 'Index Name': 'inventory_items_tenant_id_id_pk', 'Index Cond': expect.stringMatching(/\bid = /) });
    expect(scans[0]!.Filter).toBeUndefined();

    const d = (await tenant.siteAdmin.request('GET', '/api/v1/dashboard')).json();
    expect(d.recentChanges.slice(0, 2).map((c: { recordName: string }) => c.recordName)).toEqual(['Beta', 'Alpha']);
  });
});
