/**
 * Reports and exports at the size of a large district: 5,000 inventory items and 2,000 assessments
 * (one revision each with 11 sections, 44 questions and answers, 3 risks, 2 sign-offs), 10,000 audit
 * events. Each report: median server-side time (service call: transaction, tenant scope, query,
 * shaping, run counter) against the median of its bare SQL on the same database. Full export: XLSX
 * and zip of CSVs written to a file, with wall time and peak resident memory.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type SQL } from 'drizzle-orm';
import { AUDIENCES, DATA_ELEMENT_CODES, GRADE_LEVELS, INVENTORY_STATUSES, STORAGE_COUNTRIES } from '../../src/contracts/domain.js';
import { REPORT_IDS, type ReportId, type ReportQuery } from '../../src/contracts/reports.js';
import { catalogApps, inventoryItems } from '../../src/server/db/schema/index.js';
import { countExportRows, writeFullExport } from '../../src/server/modules/exports/full-export.js';
import { itemFilter, reportQueries, type ReportFilters } from '../../src/server/modules/reports/reports.repo.js';
import { createReportsService, utcToday } from '../../src/server/modules/reports/reports.service.js';
import type { Actor } from '../../src/server/platform/authz.js';
import { queryRows, unsafeTenantScope, withSystem, type Db } from '../../src/server/platform/db.js';
import { buildInstitution, buildUser } from '../support/factories.js';
import { openTestDatabase } from '../support/test-db.js';
import type { BenchTable } from './run.js';

const ITEMS = 5000;
const ASSESSMENTS = 2000;
const RUNS = 21;

/** A small deterministic generator so every run measures the same data. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function pick<T>(r: () => number, from: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(r() * (max - min + 1));
  const out = new Set<T>();
  while (out.size < Math.min(n, from.length)) out.add(from[Math.floor(r() * from.length)]!);
  return [...out];
}

export async function generate(db: Db) {
  const r = rng(42);
  const { institution, schools } = await buildInstitution(db, { gradeLevels: [...GRADE_LEVELS] });
  const tenantId = institution.id;
  const users: Awaited<ReturnType<typeof buildUser>>[] = [];
  for (const role of ['site_admin', 'app_admin', 'app_admin'] as const)
    users.push(await buildUser(db, { tenantId, role, canApprove: role === 'site_admin' }));
  const apps = Array.from({ length: 400 }, (_, i) => ({
    id: randomUUID(),
    slug: `bench-${tenantId.slice(0, 8)}-${i}`,
    name: `Bench App ${i}`,
    vendor: `Vendor ${i % 120}`,
    storageCountries: pick(r, STORAGE_COUNTRIES, 0, 3),
    dataElements: pick(r, DATA_ELEMENT_CODES, 1, 6),
  }));
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const app = i < apps.length ? apps[i]! : null;
    const day = (offset: number) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
    return {
      tenantId,
      id: randomUUID(),
      catalogAppId: app?.id ?? null,
      customName: app ? null : `Custom Tool ${i}`,
      name: app?.name ?? `Custom Tool ${i}`,
      vendor: app?.vendor ?? `Vendor ${i % 700}`,
      grades: pick(r, GRADE_LEVELS, 1, 6),
      schoolIds: pick(
        r,
        schools.map((s) => s.id),
        0,
        2,
      ),
      audiences: pick(r, AUDIENCES, 1, 3),
      dataElements: pick(r, DATA_ELEMENT_CODES, 1, 8),
      purpose: `Purpose of tool ${i}: classroom use, homework and communication with families.`,
      status: INVENTORY_STATUSES[Math.floor(r() * INVENTORY_STATUSES.length)]!,
      nextReviewOn: r() < 0.8 ? day(Math.floor(r() * 730) - 200) : null,
      agreementExpiresOn: r() < 0.6 ? day(Math.floor(r() * 900) - 100) : null,
      ownerUserId: users[i % users.length]!.id,
    };
  });
  await withSystem(db, async (tx) => {
    await tx.insert(catalogApps).values(apps);
    for (let i = 0; i < items.length; i += 500) await tx.insert(inventoryItems).values(items.slice(i, i + 500));
  });
  // Assessments and their content, generated in SQL for speed.
  await withSystem(db, async (tx) => {
    const statuses = sql`(array['draft','in_review','approved','approved_with_conditions','rejected'])`;
    await tx.execute(sql`insert into assessments (tenant_id, id, inventory_item_id, title, status, approved_revision, created_by)
      select i.tenant_id, gen_random_uuid(), i.id, 'PIA of ' || i.name, ${statuses}[1 + (row_number() over (order by i.id)) % 5],
        null, ${users[0]!.id}::uuid
      from inventory_items i where i.tenant_id = ${tenantId} order by i.id limit ${ASSESSMENTS}`);
    await tx.execute(
      sql`update assessments set approved_revision = 1 where tenant_id = ${tenantId} and status in ('approved', 'approved_with_conditions')`,
    );
    await tx.execute(sql`insert into assessment_revisions (tenant_id, id, assessment_id, number, status, conditions, next_review_on, submitted_at, decided_at)
      select a.tenant_id, gen_random_uuid(), a.id, 1, a.status, 'Use with class accounts only.', current_date + 365, now(), now()
      from assessments a where a.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into assessment_sections (tenant_id, id, revision_id, key, origin, code, title, position)
      select r.tenant_id, gen_random_uuid(), r.id, 's' || n, 'operator', chr(64 + n), 'Section ' || chr(64 + n), n
      from assessment_revisions r cross join generate_series(1, 11) n where r.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into assessment_questions (tenant_id, id, revision_id, section_id, key, origin, position, kind, prompt)
      select s.tenant_id, gen_random_uuid(), s.revision_id, s.id, s.key || '-q' || n, 'operator', n, 'long_text', 'Question ' || n || ' of ' || s.title || ': describe how the vendor handles it.'
      from assessment_sections s cross join generate_series(1, 4) n where s.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into assessment_answers (tenant_id, question_id, revision_id, value, origin, updated_by)
      select q.tenant_id, q.id, q.revision_id, jsonb_build_object('text', 'The vendor encrypts data at rest and in transit; see the DPA, section ' || q.position || '.'), 'institution', ${users[1]!.id}::uuid
      from assessment_questions q where q.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into assessment_risks (tenant_id, id, revision_id, title, likelihood, impact, mitigation, owner, residual_likelihood, residual_impact, position)
      select r.tenant_id, gen_random_uuid(), r.id, 'Risk ' || n, 1 + n % 5, 1 + (n * 2) % 5, 'Mitigation ' || n, 'IT services', 1, 1 + n % 5, n
      from assessment_revisions r cross join generate_series(1, 3) n where r.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into assessment_signoffs (tenant_id, id, revision_id, user_id, signer_name, role, decision, comment)
      select r.tenant_id, gen_random_uuid(), r.id, ${users[0]!.id}::uuid, 'Pat Privacy', 'site_admin', case when n = 1 then 'submitted' else coalesce(nullif(nullif(r.status, 'draft'), 'in_review'), 'submitted') end, 'Reviewed.'
      from assessment_revisions r cross join generate_series(1, 2) n where r.tenant_id = ${tenantId}`);
    await tx.execute(sql`insert into audit_events (tenant_id, actor_user_id, actor_label, actor_role, action, record_type, record_id, changes, request_id, source)
      select i.tenant_id, ${users[1]!.id}::uuid, 'Bench user', 'app_admin', case when n = 1 then 'inventory.create' else 'inventory.update' end, 'inventory_item', i.id::text,
        jsonb_build_object('purpose', jsonb_build_object('before', null, 'after', i.purpose)), 'bench', 'web'
      from inventory_items i cross join generate_series(1, 2) n where i.tenant_id = ${tenantId}`);
  });
  // Fresh statistics, as autovacuum would have them (ANALYZE needs the tables' owner, not vetted_system).
  await db.execute(sql`analyze`);
  const actor: Actor = {
    kind: 'user',
    userId: users[0]!.id,
    role: 'site_admin',
    canApprove: true,
    tenantId,
    homeTenantId: tenantId,
    label: 'bench',
    requestId: 'bench',
    source: 'web',
  };
  return { tenantId, actor };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  return (await timeBoth(fn, async () => {}))[0];
}

/** Medians of two functions run alternately, so load on the machine weighs on both alike. */
async function timeBoth(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    tb.push(performance.now() - t0);
  }
  return [median(ta), median(tb)];
}

/** The statement each report runs, as it would be typed in psql (no transaction, no tenant role). */
function bareQuery(id: ReportId, where: SQL): SQL {
  switch (id) {
    case 'approved-by-grade':
      return reportQueries.approvedByGrade(where);
    case 'inventory-by-status':
      return reportQueries.inventoryByStatus(where);
    case 'apps-without-approved-pia':
      return reportQueries.appsWithoutApprovedPia(where);
    case 'reviews-due':
      return reportQueries.reviewsDue(where, utcToday(), 60);
    case 'data-elements-by-audience':
      return reportQueries.dataElementsByAudience(where);
    case 'data-storage':
      return reportQueries.dataStorage(where);
    case 'sensitive-under-13':
      return reportQueries.sensitiveUnder13(where);
    case 'vendors':
      return reportQueries.vendors(where);
  }
}

async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peak: number; before: number }> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, peak, before };
  } finally {
    clearInterval(timer);
  }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

export async function bench(): Promise<BenchTable[]> {
  const database = await openTestDatabase();
  const kind = process.env.TEST_DATABASE_URL ? 'PostgreSQL 15 (local server)' : 'PGlite (in-process, in memory)';
  try {
    const t0 = performance.now();
    const { tenantId, actor } = await generate(database.db);
    const generated = performance.now() - t0;
    const db = database.db;
    const scope = unsafeTenantScope(tenantId);
    const service = createReportsService({ db });
    const noFilters: ReportFilters = { schoolId: undefined, grade: [], audience: [], status: [] };
    const grade4: ReportFilters = { ...noFilters, grade: ['4'] };

    const rows: (string | number)[][] = [];
    for (const id of REPORT_IDS) {
      for (const [label, filters] of [
        ['none', noFilters],
        ['grade 4', grade4],
      ] as const) {
        const q = { days: 60, grade: [...filters.grade] } as ReportQuery;
        const result = await service.run(actor, id, q);
        const [serviceMs, bareMs] = await timeBoth(
          () => service.run(actor, id, q),
          () => queryRows(db, bareQuery(id, itemFilter(scope, filters))),
        );
        const ratio = serviceMs / bareMs;
        rows.push([
          id,
          label,
          result.rows.length,
          serviceMs.toFixed(1),
          bareMs.toFixed(1),
          ratio.toFixed(2),
          serviceMs <= 150 && ratio <= 1.5 ? 'yes' : 'no',
        ]);
      }
    }
    const dashboardMs = await timeIt(() => service.dashboard(actor));
    rows.push(['dashboard (home page)', 'none', '-', dashboardMs.toFixed(1), '-', '-', dashboardMs <= 150 ? 'yes' : 'no']);

    const dir = await mkdtemp(path.join(tmpdir(), 'vetted-bench-'));
    const exportRows: (string | number)[][] = [];
    try {
      const total = await countExportRows(db, scope);
      for (const format of ['xlsx', 'csv'] as const) {
        const file = path.join(dir, `export.${format === 'xlsx' ? 'xlsx' : 'zip'}`);
        const started = performance.now();
        const { peak, before } = await peakRss(() => writeFullExport(db, scope, format, createWriteStream(file)));
        const seconds = (performance.now() - started) / 1000;
        const size = (await stat(file)).size;
        exportRows.push([
          format === 'xlsx' ? 'XLSX workbook' : 'zip of CSVs',
          total,
          seconds.toFixed(2),
          mb(size),
          mb(before),
          mb(peak),
          format === 'xlsx' ? (seconds <= 10 && peak <= 300 * 1024 * 1024 ? 'yes' : 'no') : '-',
        ]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const setup = `${kind}; one institution with ${ITEMS.toLocaleString('en')} inventory items, ${ASSESSMENTS.toLocaleString('en')} assessments (44 answered questions, 3 risks, 2 sign-offs each), ${(ITEMS * 2).toLocaleString('en')} audit events; generated in ${(generated / 1000).toFixed(1)} s.`;
    return [
      {
        title: 'Reports: server-side time vs bare SQL',
        setup: `${setup} Median of ${RUNS} runs after 3 warm-ups. "Service" is the whole service call (transaction, tenant role and scope, institution lookup, the query, shaping rows and chart, run counter upsert); "bare SQL" is the same statement run directly without transaction or tenant role. Target: ≤ 150 ms and ≤ 1.5× bare SQL.`,
        columns: ['report', 'filter', 'rows', 'service ms', 'bare SQL ms', 'ratio', 'meets target'],
        rows,
      },
      {
        title: 'Full export of one institution',
        setup: `${setup} Written to a local file through the streaming writers, pages of 1,000 rows each in its own transaction. RSS is the resident memory of the whole process${kind.startsWith('PGlite') ? ', which here includes the in-memory database itself' : ''}. Target (XLSX): ≤ 10 s and ≤ 300 MB peak.`,
        columns: ['format', 'rows', 'seconds', 'file size', 'RSS before', 'peak RSS', 'meets target'],
        rows: exportRows,
      },
    ];
  } finally {
    await database.close();
  }
}
