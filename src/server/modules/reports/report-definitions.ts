import { sql, type SQL } from 'drizzle-orm';
import type { TenantScope } from '../../platform/db.js';
import { AUDIENCES, GRADE_LEVELS, INVENTORY_STATUSES, SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import { riskLevel } from '../../../contracts/assessments.js';
import type { ReportChart, ReportColumn, ReportId, ReportRow } from '../../../contracts/reports.js';
import { reportQueries, type ItemRow, type MatrixItem } from './reports.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';

/** What a report's statement is built from: the filtered items clause and the filters. */
export interface ReportQueryInput {
  where: SQL;
  grade: readonly string[];
  audience: readonly string[];
  today: string;
  days: number;
}

/** What a report's rows are shaped with: the same, plus the institution's context. */
export interface ReportInput extends ReportQueryInput {
  /** The institution's grade levels, in natural order (empty unless the report `usesGradeLevels`). */
  gradeLevels: readonly string[];
}

export interface ReportOutput {
  columns: ReportColumn[];
  rows: ReportRow[];
  chart: ReportChart;
}

/**
 * A report is one SQL statement over the filtered inventory and a shaping of its rows into a table
 * and a chart. Being one statement, a report costs about its bare SQL: the service adds the
 * transaction, the tenant scope and the run counter (in the same statement), and the shaping.
 */
export interface ReportDefinition<R = unknown> {
  id: ReportId;
  title: string;
  /** Whether `shape` reads the institution's grade levels (the others' statements skip them). */
  usesGradeLevels?: boolean;
  /** Whether the query returns one column, `row`, holding each row as a JSON array (not an object). */
  compactRows?: boolean;
  /** The report's query. */
  query(input: ReportQueryInput): SQL;
  /** The table and chart from the statement's rows; no database access. */
  shape(rows: R[], input: ReportInput): ReportOutput;
}

/** "date_of_birth" → "Date of birth": the English label of a domain code in downloads. */
export function humanise(code: string): string {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const GRADE_LABEL = (g: string) => (g === 'JK' ? 'JK' : g === 'K' ? 'K' : g === 'ADULT' ? 'Adult' : `Grade ${g}`);
const col = (key: string, label: string, kind: ReportColumn['kind'] = 'text', labelKey?: string): ReportColumn => ({
  key,
  label,
  kind,
  ...(labelKey ? { labelKey } : {}),
});
const APP_COLUMNS = [col('app', 'App'), col('vendor', 'Vendor'), col('status', 'Status', 'code')];
/*
 * Rows are built as object literals with every key written out: spreading a shared part
 * (`{ ...appCells(r), more }`) or adding computed keys one by one is an order of magnitude slower
 * in V8, which shows at 5,000 rows.
 */

/** One collator for every comparison (what `localeCompare` does, without building one per call). */
const collator = new Intl.Collator();

function countBy<T>(items: readonly T[], keys: readonly string[], keyOf: (t: T) => readonly string[]): Map<string, number> {
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const t of items) for (const k of keyOf(t)) if (counts.has(k)) counts.set(k, counts.get(k)! + 1);
  return counts;
}

const approvedByGrade: ReportDefinition<MatrixItem> = {
  id: 'approved-by-grade',
  title: 'Approved apps by grade',
  usesGradeLevels: true,
  compactRows: true,
  query: (input) => reportQueries.approvedByGrade(input.where),
  shape(items, input) {
    const grades = input.grade.length ? input.gradeLevels.filter((g) => input.grade.includes(g)) : input.gradeLevels;
    const keyOf = new Map(grades.map((g) => [g, `grade:${g}`]));
    const columns = [...APP_COLUMNS, ...grades.map((g) => col(keyOf.get(g)!, GRADE_LABEL(g), 'check', `gradeShort.${g}`))];
    // Each row starts as a copy of one template that has every key, so all rows share one shape,
    // then marks the grades its app is used in: a third of the time of adding each grade's key.
    const template: ReportRow = { id: '', app: '', vendor: '', status: '' };
    for (const key of keyOf.values()) template[key] = false;
    const counts = new Map(grades.map((g) => [g, 0]));
    const rows = new Array<ReportRow>(items.length);
    for (let i = 0; i < items.length; i++) {
      const [id, app, vendor, status, used] = items[i]!;
      const row = { ...template };
      row.id = id;
      row.app = app;
      row.vendor = vendor;
      row.status = status;
      for (const g of used) {
        const key = keyOf.get(g);
        if (key === undefined) continue;
        row[key] = true;
        counts.set(g, counts.get(g)! + 1);
      }
      rows[i] = row;
    }
    return {
      columns,
      rows,
      chart: {
        kind: 'bar',
        categoryKey: 'grade',
        series: [{ key: 'apps', label: 'Approved apps' }],
        data: grades.map((g) => ({ grade: g, apps: counts.get(g)! })),
      },
    };
  },
};

const inventoryByStatus: ReportDefinition<{ status: string; count: number }> = {
  id: 'inventory-by-status',
  title: 'Inventory by status',
  query: (input) => reportQueries.inventoryByStatus(input.where),
  shape(found) {
    const counts = new Map(found.map((r) => [r.status, Number(r.count)]));
    const rows = INVENTORY_STATUSES.map((s) => ({ status: s, apps: counts.get(s) ?? 0 }));
    return {
      columns: [col('status', 'Status', 'code'), col('apps', 'Apps', 'number')],
      rows,
      chart: { kind: 'pie', categoryKey: 'status', series: [{ key: 'apps', label: 'Apps' }], data: rows },
    };
  },
};

const appsWithoutApprovedPia: ReportDefinition<ItemRow & { pia_status: string | null; next_review_on: string | null }> = {
  id: 'apps-without-approved-pia',
  title: 'Apps without an approved PIA',
  query: (input) => reportQueries.appsWithoutApprovedPia(input.where),
  shape(items) {
    const rows = items.map((r) => ({
      id: r.id,
      app: r.name,
      vendor: r.vendor,
      status: r.status,
      piaStatus: r.pia_status ?? 'none',
      nextReviewOn: r.next_review_on,
    }));
    const counts = countBy(items, INVENTORY_STATUSES, (r) => [r.status]);
    return {
      columns: [...APP_COLUMNS, col('piaStatus', 'PIA status', 'code'), col('nextReviewOn', 'Next review', 'date')],
      rows,
      chart: {
        kind: 'bar',
        categoryKey: 'status',
        series: [{ key: 'apps', label: 'Apps' }],
        data: INVENTORY_STATUSES.filter((s) => s !== 'retired').map((s) => ({ status: s, apps: counts.get(s)! })),
      },
    };
  },
};

type DueRow = ItemRow & {
  next_review_on: string | null;
  agreement_expires_on: string | null;
  review_in_days: number | null;
  agreement_in_days: number | null;
};
const reviewsDue: ReportDefinition<DueRow> = {
  id: 'reviews-due',
  title: 'Reviews due and agreements expiring',
  query: (input) => reportQueries.reviewsDue(input.where, input.today, input.days),
  shape(items, input) {
    const tally = { review_overdue: 0, review_due: 0, agreement_expired: 0, agreement_expiring: 0 };
    const rows = items.map((r) => {
      const reviewIn = r.review_in_days === null ? null : Number(r.review_in_days);
      const agreementIn = r.agreement_in_days === null ? null : Number(r.agreement_in_days);
      const review = reviewIn === null || reviewIn > input.days ? null : reviewIn < 0 ? 'review_overdue' : 'review_due';
      const agreement =
        agreementIn === null || agreementIn > input.days ? null : agreementIn < 0 ? 'agreement_expired' : 'agreement_expiring';
      if (review) tally[review]++;
      if (agreement) tally[agreement]++;
      return {
        id: r.id,
        app: r.name,
        vendor: r.vendor,
        status: r.status,
        nextReviewOn: r.next_review_on,
        reviewState: review,
        agreementExpiresOn: r.agreement_expires_on,
        agreementState: agreement,
      };
    });
    return {
      columns: [
        ...APP_COLUMNS,
        col('nextReviewOn', 'Next review', 'date'),
        col('reviewState', 'Review', 'code'),
        col('agreementExpiresOn', 'Agreement expires', 'date'),
        col('agreementState', 'Agreement', 'code'),
      ],
      rows,
      chart: {
        kind: 'bar',
        categoryKey: 'state',
        series: [{ key: 'apps', label: 'Apps' }],
        data: Object.entries(tally).map(([state, apps]) => ({ state, apps })),
      },
    };
  },
};

const dataElementsByAudience: ReportDefinition<Record<string, string | number>> = {
  id: 'data-elements-by-audience',
  title: 'Data elements collected, by audience',
  query: (input) => reportQueries.dataElementsByAudience(input.where),
  shape(found, input) {
    const audiences = input.audience.length ? AUDIENCES.filter((a) => input.audience.includes(a)) : AUDIENCES;
    const rows = found
      .map((r) => {
        const element = String(r.element);
        const row: ReportRow = { element, sensitive: SENSITIVE_DATA_ELEMENTS.has(element), apps: Number(r.apps) };
        for (const a of audiences) row[a] = Number(r[a]);
        return row;
      })
      .sort((a, b) => Number(b.apps) - Number(a.apps) || collator.compare(String(a.element), String(b.element)));
    return {
      columns: [
        col('element', 'Data element', 'code'),
        col('sensitive', 'Sensitive', 'boolean'),
        col('apps', 'Apps', 'number'),
        ...audiences.map((a) => col(a, humanise(a), 'number', `audience.${a}`)),
      ],
      rows,
      chart: {
        kind: 'stacked-bar',
        categoryKey: 'element',
        series: audiences.map((a) => ({ key: a, label: humanise(a), labelKey: `audience.${a}` })),
        data: rows.map(
          (r) => Object.fromEntries([['element', r.element], ...audiences.map((a) => [a, r[a]])]) as Record<string, string | number>,
        ),
      },
    };
  },
};

/** Where an app stores data: only Canada, the US (and maybe Canada), elsewhere too, or unknown. */
export function storageClass(countries: readonly string[]): 'canada' | 'us' | 'elsewhere' | 'unknown' {
  if (countries.length === 0) return 'unknown';
  if (countries.some((c) => c !== 'CA' && c !== 'US')) return 'elsewhere';
  return countries.includes('US') ? 'us' : 'canada';
}

const dataStorage: ReportDefinition<ItemRow & { is_custom: boolean; countries: string[] }> = {
  id: 'data-storage',
  title: 'Where data is stored',
  query: (input) => reportQueries.dataStorage(input.where),
  shape(items) {
    const tally = { canada: 0, us: 0, elsewhere: 0, unknown: 0 };
    const rows = items.map((r) => {
      const location = storageClass(r.countries);
      tally[location]++;
      return {
        id: r.id,
        app: r.name,
        vendor: r.vendor,
        status: r.status,
        countries: r.countries,
        inCanada: r.countries.includes('CA'),
        inUs: r.countries.includes('US'),
        elsewhere: location === 'elsewhere',
        location,
      };
    });
    return {
      columns: [
        ...APP_COLUMNS,
        col('countries', 'Countries of storage', 'list'),
        col('inCanada', 'In Canada', 'boolean'),
        col('inUs', 'In the US', 'boolean'),
        col('elsewhere', 'Elsewhere', 'boolean'),
        col('location', 'Location', 'code'),
      ],
      rows,
      chart: {
        kind: 'pie',
        categoryKey: 'location',
        series: [{ key: 'apps', label: 'Apps' }],
        data: Object.entries(tally).map(([location, apps]) => ({ location, apps })),
      },
    };
  },
};

const sensitiveUnder13: ReportDefinition<ItemRow & { elements: string[] }> = {
  id: 'sensitive-under-13',
  title: 'Sensitive data used by students under 13',
  query: (input) => reportQueries.sensitiveUnder13(input.where),
  shape(items) {
    const order = new Map(GRADE_LEVELS.map((g, i) => [g as string, i]));
    const rows = items.map((r) => ({
      id: r.id,
      app: r.name,
      vendor: r.vendor,
      status: r.status,
      grades: r.grades.sort((a, b) => order.get(a)! - order.get(b)!),
      sensitiveElements: r.elements,
    }));
    const elements = [...new Set(items.flatMap((r) => r.elements))].sort();
    const counts = countBy(items, elements, (r) => r.elements);
    return {
      columns: [...APP_COLUMNS, col('grades', 'Grades under 13', 'list'), col('sensitiveElements', 'Sensitive data', 'list')],
      rows,
      chart: {
        kind: 'bar',
        categoryKey: 'element',
        series: [{ key: 'apps', label: 'Apps' }],
        data: elements.map((e) => ({ element: e, apps: counts.get(e)! })),
      },
    };
  },
};

const vendors: ReportDefinition<{ vendor: string; apps: number; approved: number; names: string[] }> = {
  id: 'vendors',
  title: 'Vendor list',
  query: (input) => reportQueries.vendors(input.where),
  shape(found) {
    const rows = found.map((r) => ({
      vendor: r.vendor || '(no vendor)',
      apps: Number(r.apps),
      approved: Number(r.approved),
      appNames: r.names,
    }));
    const top = [...rows].sort((a, b) => b.apps - a.apps || collator.compare(a.vendor, b.vendor)).slice(0, 15);
    return {
      columns: [
        col('vendor', 'Vendor'),
        col('apps', 'Apps', 'number'),
        col('approved', 'Approved apps', 'number'),
        col('appNames', 'App names', 'list'),
      ],
      rows,
      chart: {
        kind: 'bar',
        categoryKey: 'vendor',
        series: [
          { key: 'apps', label: 'Apps' },
          { key: 'approved', label: 'Approved' },
        ],
        data: top.map((r) => ({ vendor: r.vendor, apps: r.apps, approved: r.approved })),
      },
    };
  },
};

type RiskRow = {
  id: string;
  item_id: string;
  name: string;
  vendor: string;
  status: string;
  title: string;
  likelihood: number;
  impact: number;
  residual_likelihood: number | null;
  residual_impact: number | null;
  mitigation: string;
  owner: string;
  due_on: string | null;
  due_in_days: number | null;
};
const SCALE = [1, 2, 3, 4, 5] as const;
/** The district-wide risk register: every open risk with its level, treatment, owner and due date, and a likelihood × impact heat map. */
const riskRegister: ReportDefinition<RiskRow> = {
  id: 'risk-register',
  title: 'Risk register',
  query: (input) => reportQueries.riskRegister(input.where, input.today),
  shape(risks, input) {
    const grid = new Map<string, number>();
    const rows = risks.map((r) => {
      const dueIn = r.due_in_days === null ? null : Number(r.due_in_days);
      grid.set(`${r.likelihood}:${r.impact}`, (grid.get(`${r.likelihood}:${r.impact}`) ?? 0) + 1);
      return {
        id: r.id,
        app: r.name,
        vendor: r.vendor,
        status: r.status,
        risk: r.title,
        level: riskLevel(r.likelihood, r.impact),
        likelihood: r.likelihood,
        impact: r.impact,
        residualLevel:
          r.residual_likelihood !== null && r.residual_impact !== null ? riskLevel(r.residual_likelihood, r.residual_impact) : null,
        mitigation: r.mitigation,
        owner: r.owner,
        dueOn: r.due_on,
        dueState: dueIn === null ? null : dueIn < 0 ? 'treatment_overdue' : dueIn <= input.days ? 'treatment_due' : null,
      };
    });
    return {
      columns: [
        ...APP_COLUMNS,
        col('risk', 'Risk'),
        col('level', 'Level', 'code'),
        col('likelihood', 'Likelihood', 'number'),
        col('impact', 'Impact', 'number'),
        col('residualLevel', 'Residual level', 'code'),
        col('mitigation', 'Mitigation'),
        col('owner', 'Owner'),
        col('dueOn', 'Due', 'date'),
        col('dueState', 'Treatment', 'code'),
      ],
      rows,
      chart: {
        kind: 'heatmap',
        categoryKey: 'likelihood',
        series: SCALE.map((i) => ({ key: `impact${i}`, label: `Impact ${i}` })),
        data: [...SCALE]
          .reverse()
          .map((l) => Object.fromEntries([['likelihood', l], ...SCALE.map((i) => [`impact${i}`, grid.get(`${l}:${i}`) ?? 0])])),
      },
    };
  },
};

type StaleEvidenceRow = ItemRow & {
  assessment_id: string;
  pia_status: string;
  review_months: number;
  answers: number;
  stale: number;
  without_evidence: number;
  oldest_seen_on: string | null;
  stale_questions: string[];
};
/**
 * Stale evidence: per app, how many answers of its PIA rest on evidence seen longer ago than the
 * institution's review period, and how many name no source at all, with the oldest day seen and
 * the questions (by key) to check again.
 */
const staleEvidence: ReportDefinition<StaleEvidenceRow> = {
  id: 'stale-evidence',
  title: 'Stale or missing evidence',
  query: (input) => reportQueries.staleEvidence(input.where, input.today),
  shape(found) {
    const rows = found.map((r) => ({
      id: r.id,
      app: r.name,
      vendor: r.vendor,
      status: r.status,
      assessmentId: r.assessment_id,
      piaStatus: r.pia_status,
      answers: r.answers,
      staleAnswers: r.stale,
      withoutEvidence: r.without_evidence,
      oldestSeenOn: r.oldest_seen_on,
      reviewMonths: r.review_months,
      staleQuestions: r.stale_questions,
    }));
    return {
      columns: [
        ...APP_COLUMNS,
        col('piaStatus', 'PIA status', 'code'),
        col('answers', 'Answers', 'number'),
        col('staleAnswers', 'Stale evidence', 'number'),
        col('withoutEvidence', 'No evidence', 'number'),
        col('oldestSeenOn', 'Oldest evidence seen', 'date'),
        col('reviewMonths', 'Review period (months)', 'number'),
        col('staleQuestions', 'Questions to check again', 'list'),
      ],
      rows,
      chart: {
        kind: 'stacked-bar',
        categoryKey: 'app',
        series: [
          { key: 'staleAnswers', label: 'Stale evidence' },
          { key: 'withoutEvidence', label: 'No evidence' },
        ],
        data: rows.map((r) => ({ app: r.app, staleAnswers: r.staleAnswers, withoutEvidence: r.withoutEvidence })),
      },
    };
  },
};

export const REPORTS: Readonly<Record<ReportId, ReportDefinition<never>>> = {
  'approved-by-grade': approvedByGrade,
  'inventory-by-status': inventoryByStatus,
  'apps-without-approved-pia': appsWithoutApprovedPia,
  'reviews-due': reviewsDue,
  'data-elements-by-audience': dataElementsByAudience,
  'data-storage': dataStorage,
  'sensitive-under-13': sensitiveUnder13,
  vendors,
  'risk-register': riskRegister,
  'stale-evidence': staleEvidence,
};

/**
 * The statement a report runs: its query, with the rows handed back as one JSON array (in the
 * query's order) — the drivers then decode one value instead of every column of every row, which
 * on PGlite cost more than the query itself for the larger reports — and, for a report that needs
 * them, the institution's grade levels (rather than another round trip). The benchmark's bare SQL
 * is this same statement.
 */
export function reportStatement(id: ReportId, input: ReportQueryInput, scope: TenantScope): SQL {
  const levels = REPORTS[id].usesGradeLevels
    ? sql`, (select n.grade_levels from institutions n where ${byTenant(sql`n.id`, scope)}) as grade_levels`
    : sql``;
  const row = REPORTS[id].compactRows ? sql`r.row` : sql`r`;
  return sql`select coalesce(json_agg(${row}), '[]')::text as rows${levels} from (${REPORTS[id].query(input)}) r`;
}

/** The result of a report statement: its rows, and the institution's grade levels when asked for. */
export interface ReportStatementResult {
  rows: string;
  grade_levels?: string[] | null;
}
