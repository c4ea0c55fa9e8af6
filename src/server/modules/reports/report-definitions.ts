import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
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
 * A report whose answer's rows PostgreSQL writes as JSON text, in the shape `shape` gives them (ADR
 * 0021): the service puts that text into the answer as it is. `shape` stays, for downloads; a test
 * requires both to give the same rows, columns and chart. `row`, `moreKeys`, `summary` and
 * `chartDatum` hold no parameter and depend on the input's grades and days alone (`writtenParts`).
 */
export interface WrittenRows<S = never> {
  /** The statement's rows, when not the report's own `query` (ordered as the answer's rows). */
  query?(input: ReportQueryInput, scope: TenantScope): SQL;
  /**
   * One row of the answer, from the query's row `r`: each key with its SQL, in the answer's order,
   * written as JSON by `row_to_json`.
   */
  row(input: ReportQueryInput): Record<string, SQL>;
  /** JSON text (`,"key":value…`) after the row's own keys, for keys that depend on the institution. */
  moreKeys?(input: ReportQueryInput): SQL;
  /** An aggregate over the rows `r`: one JSON value with what the columns and chart need (counts). */
  summary?(input: ReportQueryInput): SQL;
  /** The chart's datum of the row `r`, as `row`, for a chart with one datum per row. */
  chartDatum?(input: ReportQueryInput): Record<string, SQL>;
  /** The columns and the chart (its data empty when `chartDatum` writes it) from the summary. */
  frame(summary: S, input: ReportInput): { columns: ReportColumn[]; chart: ReportChart };
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
  /** The rows written by PostgreSQL, for the JSON answer (absent: `shape` makes them). */
  written?: WrittenRows<never>;
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
/** The first keys of a row about an app, from the query's row `r` (see `WrittenRows.row`). */
const APP_FIELDS = { id: sql`r.id`, app: sql`r.name`, vendor: sql`r.vendor`, status: sql`r.status` };
/*
 * Rows are built as object literals with every key written out: spreading a shared part
 * (`{ ...appCells(r), more }`) or adding computed keys one by one is an order of magnitude slower
 * in V8, which shows at 5,000 rows.
 */

/** One collator for every comparison (what `localeCompare` does, without building one per call). */
const collator = new Intl.Collator();

/**
 * A code of the contract (a grade, a status, a data element) written into a statement as a literal:
 * these come from the contract's constants, never from a request, and PostgreSQL cannot type a
 * parameter given to `json_build_object`.
 */
function literal(code: string): SQL {
  if (!/^[A-Za-z0-9_:-]+$/.test(code)) throw new Error(`not a code: ${code}`);
  return sql.raw(`'${code}'`);
}

/** A whole number (a filter's, checked by its schema) written into a statement as a literal. */
function integer(n: number): SQL {
  if (!Number.isSafeInteger(n)) throw new Error(`not an integer: ${n}`);
  return sql.raw(String(n));
}

/** `{"<code>": count of the rows `r` where `where(code)`, ...}`: an aggregate, one key per code. */
function countsOf(codes: readonly string[], where: (code: SQL) => SQL): SQL {
  if (!codes.length) return sql`'{}'::json`;
  return sql`json_build_object(${sql.join(
    codes.map((c) => sql`${literal(c)}, count(*) filter (where ${where(literal(c))})`),
    sql`, `,
  )})`;
}

function countBy<T>(items: readonly T[], keys: readonly string[], keyOf: (t: T) => readonly string[]): Map<string, number> {
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const t of items) for (const k of keyOf(t)) if (counts.has(k)) counts.set(k, counts.get(k)! + 1);
  return counts;
}

/** A column per grade, ticked when the app's `grades` hold it. */
const approvedByGradeColumns = (grades: readonly string[]) => [
  ...APP_COLUMNS,
  ...grades.map((g): ReportColumn => ({
    ...col(`grade:${g}`, GRADE_LABEL(g), 'check', `gradeShort.${g}`),
    of: { key: 'grades', value: g },
  })),
];
const approvedByGradeChart = (grades: readonly string[], apps: (grade: string) => number): ReportChart => ({
  kind: 'bar',
  categoryKey: 'grade',
  series: [{ key: 'apps', label: 'Approved apps' }],
  data: grades.map((g) => ({ grade: g, apps: apps(g) })),
});
/** The grades shown: the institution's, or those of the filter among them, in the institution's order. */
const shownGrades = (input: ReportInput) =>
  input.grade.length ? input.gradeLevels.filter((g) => input.grade.includes(g)) : input.gradeLevels;

/*
 * A row per approved app with its grades as one list, and a column per grade ticked from that list
 * (`of`): the answer carries each app's grades once, as the statement reads them, instead of a
 * flag per grade per app, which made it about three times the statement's bytes.
 */
const approvedByGrade: ReportDefinition<MatrixItem> = {
  id: 'approved-by-grade',
  title: 'Approved apps by grade',
  usesGradeLevels: true,
  compactRows: true,
  query: (input) => reportQueries.approvedByGrade(input.where),
  shape(items, input) {
    const grades = shownGrades(input);
    const counts = countBy(items, grades, (item) => item[4]);
    const rows = items.map(([id, app, vendor, status, used]) => ({ id, app, vendor, status, grades: used }));
    return { columns: approvedByGradeColumns(grades), rows, chart: approvedByGradeChart(grades, (g) => counts.get(g)!) };
  },
  written: {
    query: (input) => reportQueries.approvedApps(input.where),
    row: () => ({ ...APP_FIELDS, grades: sql`r.grades` }),
    summary: () => countsOf(GRADE_LEVELS, (g) => sql`${g} = any(r.grades)`),
    frame: (counts: Record<string, number>, input) => {
      const grades = shownGrades(input);
      return { columns: approvedByGradeColumns(grades), chart: approvedByGradeChart(grades, (g) => counts[g] ?? 0) };
    },
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

const OPEN_STATUSES = INVENTORY_STATUSES.filter((s) => s !== 'retired');
const appsWithoutApprovedPiaColumns = [...APP_COLUMNS, col('piaStatus', 'PIA status', 'code'), col('nextReviewOn', 'Next review', 'date')];
const appsWithoutApprovedPiaChart = (apps: (status: string) => number): ReportChart => ({
  kind: 'bar',
  categoryKey: 'status',
  series: [{ key: 'apps', label: 'Apps' }],
  data: OPEN_STATUSES.map((s) => ({ status: s, apps: apps(s) })),
});

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
    return { columns: appsWithoutApprovedPiaColumns, rows, chart: appsWithoutApprovedPiaChart((s) => counts.get(s)!) };
  },
  written: {
    row: () => ({
      ...APP_FIELDS,
      piaStatus: sql`coalesce(r.pia_status, 'none')`,
      nextReviewOn: sql`r.next_review_on`,
    }),
    summary: () => countsOf(OPEN_STATUSES, (s) => sql`r.status = ${s}`),
    frame: (counts: Record<string, number>) => ({
      columns: appsWithoutApprovedPiaColumns,
      chart: appsWithoutApprovedPiaChart((s) => counts[s] ?? 0),
    }),
  },
};

type DueRow = ItemRow & {
  next_review_on: string | null;
  agreement_expires_on: string | null;
  review_in_days: number | null;
  agreement_in_days: number | null;
};
const reviewsDueColumns = [
  ...APP_COLUMNS,
  col('nextReviewOn', 'Next review', 'date'),
  col('reviewState', 'Review', 'code'),
  col('agreementExpiresOn', 'Agreement expires', 'date'),
  col('agreementState', 'Agreement', 'code'),
];
const DUE_STATES = ['review_overdue', 'review_due', 'agreement_expired', 'agreement_expiring'] as const;
const reviewsDueChart = (apps: (state: string) => number): ReportChart => ({
  kind: 'bar',
  categoryKey: 'state',
  series: [{ key: 'apps', label: 'Apps' }],
  data: DUE_STATES.map((state) => ({ state, apps: apps(state) })),
});
/** SQL: `overdue` when `daysLeft` is below zero, `due` up to `days`, else (or null) null. */
const dueState = (daysLeft: SQL, days: number, overdue: string, due: string) =>
  sql`(case when ${daysLeft} < 0 then ${literal(overdue)} when ${daysLeft} <= ${integer(days)} then ${literal(due)} end)`;
const reviewState = (input: ReportQueryInput) => dueState(sql`r.review_in_days`, input.days, 'review_overdue', 'review_due');
const agreementState = (input: ReportQueryInput) =>
  dueState(sql`r.agreement_in_days`, input.days, 'agreement_expired', 'agreement_expiring');

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
    return { columns: reviewsDueColumns, rows, chart: reviewsDueChart((state) => tally[state as keyof typeof tally]) };
  },
  written: {
    row: (input) => ({
      ...APP_FIELDS,
      nextReviewOn: sql`r.next_review_on`,
      reviewState: reviewState(input),
      agreementExpiresOn: sql`r.agreement_expires_on`,
      agreementState: agreementState(input),
    }),
    summary: (input) => sql`json_build_object(
      'review_overdue', count(*) filter (where ${reviewState(input)} = 'review_overdue'),
      'review_due', count(*) filter (where ${reviewState(input)} = 'review_due'),
      'agreement_expired', count(*) filter (where ${agreementState(input)} = 'agreement_expired'),
      'agreement_expiring', count(*) filter (where ${agreementState(input)} = 'agreement_expiring'))`,
    frame: (counts: Record<string, number>) => ({ columns: reviewsDueColumns, chart: reviewsDueChart((state) => counts[state] ?? 0) }),
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

const dataStorageColumns = [
  ...APP_COLUMNS,
  col('countries', 'Countries of storage', 'list'),
  col('inCanada', 'In Canada', 'boolean'),
  col('inUs', 'In the US', 'boolean'),
  col('elsewhere', 'Elsewhere', 'boolean'),
  col('location', 'Location', 'code'),
];
const LOCATIONS = ['canada', 'us', 'elsewhere', 'unknown'] as const;
const dataStorageChart = (apps: (location: string) => number): ReportChart => ({
  kind: 'pie',
  categoryKey: 'location',
  series: [{ key: 'apps', label: 'Apps' }],
  data: LOCATIONS.map((location) => ({ location, apps: apps(location) })),
});
/** `storageClass` of the row `r`'s countries, in SQL. */
const storageClassOfRow = sql`(case when cardinality(r.countries) = 0 then 'unknown'
  when not (r.countries <@ array['CA', 'US']::text[]) then 'elsewhere' when 'US' = any(r.countries) then 'us' else 'canada' end)`;

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
    return { columns: dataStorageColumns, rows, chart: dataStorageChart((l) => tally[l as keyof typeof tally]) };
  },
  written: {
    row: () => ({
      ...APP_FIELDS,
      countries: sql`r.countries`,
      inCanada: sql`'CA' = any(r.countries)`,
      inUs: sql`'US' = any(r.countries)`,
      elsewhere: sql`${storageClassOfRow} = 'elsewhere'`,
      location: storageClassOfRow,
    }),
    summary: () => countsOf(LOCATIONS, (l) => sql`${storageClassOfRow} = ${l}`),
    frame: (counts: Record<string, number>) => ({ columns: dataStorageColumns, chart: dataStorageChart((l) => counts[l] ?? 0) }),
  },
};

const sensitiveUnder13Columns = [
  ...APP_COLUMNS,
  col('grades', 'Grades under 13', 'list'),
  col('sensitiveElements', 'Sensitive data', 'list'),
];
/** The chart of the elements some app has (sorted as `Array.prototype.sort` sorts them), with how many. */
const sensitiveUnder13Chart = (elements: readonly string[], apps: (element: string) => number): ReportChart => ({
  kind: 'bar',
  categoryKey: 'element',
  series: [{ key: 'apps', label: 'Apps' }],
  data: elements.map((e) => ({ element: e, apps: apps(e) })),
});
/** The contract's grades, in order, as a SQL array (the place of a grade is its order). */
const GRADE_ARRAY = sql`array[${sql.join(
  GRADE_LEVELS.map((g) => literal(g)),
  sql`, `,
)}]::text[]`;

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
    return { columns: sensitiveUnder13Columns, rows, chart: sensitiveUnder13Chart(elements, (e) => counts.get(e)!) };
  },
  written: {
    // The grades in the contract's order, those of the same place (the same grade) as they were.
    row: () => ({
      ...APP_FIELDS,
      grades: sql`array(select g from unnest(r.grades) with ordinality as u(g, o) order by array_position(${GRADE_ARRAY}, g), o)`,
      sensitiveElements: sql`r.elements`,
    }),
    summary: () => countsOf([...SENSITIVE_DATA_ELEMENTS], (e) => sql`${e} = any(r.elements)`),
    frame(counts: Record<string, number>) {
      const elements = Object.keys(counts)
        .filter((e) => counts[e]! > 0)
        .sort();
      return { columns: sensitiveUnder13Columns, chart: sensitiveUnder13Chart(elements, (e) => counts[e]!) };
    },
  },
};

const vendorsColumns = [
  col('vendor', 'Vendor'),
  col('apps', 'Apps', 'number'),
  col('approved', 'Approved apps', 'number'),
  col('appNames', 'App names', 'list'),
];
/** The chart of the 15 vendors with the most apps (ties by name), from those vendors or more. */
function vendorsChart(candidates: readonly { vendor: string; apps: number; approved: number }[]): ReportChart {
  const top = [...candidates].sort((a, b) => b.apps - a.apps || collator.compare(a.vendor, b.vendor)).slice(0, 15);
  return {
    kind: 'bar',
    categoryKey: 'vendor',
    series: [
      { key: 'apps', label: 'Apps' },
      { key: 'approved', label: 'Approved' },
    ],
    data: top.map((r) => ({ vendor: r.vendor, apps: r.apps, approved: r.approved })),
  };
}
const vendorName = sql`coalesce(nullif(r.vendor, ''), '(no vendor)')`;

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
    return { columns: vendorsColumns, rows, chart: vendorsChart(rows) };
  },
  /*
   * The chart's 15 vendors are sorted by the process's collator (not the database's): the summary
   * holds the vendors ranked 15th or better by their number of apps (all those tied with the 15th
   * too, `apps_rank`), which the process sorts and cuts.
   */
  written: {
    row: () => ({ vendor: vendorName, apps: sql`r.apps`, approved: sql`r.approved`, appNames: sql`r.names` }),
    summary: () => sql`coalesce(json_agg(json_build_array(${vendorName}, r.apps, r.approved)) filter (where r.apps_rank <= 15), '[]')`,
    frame: (candidates: [string, number, number][]) => ({
      columns: vendorsColumns,
      chart: vendorsChart(candidates.map(([vendor, apps, approved]) => ({ vendor, apps, approved }))),
    }),
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
const riskRegisterColumns = [
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
];
/** The likelihood × impact heat map, from the number of risks of each `likelihood:impact`. */
const riskRegisterChart = (risks: (cell: string) => number): ReportChart => ({
  kind: 'heatmap',
  categoryKey: 'likelihood',
  series: SCALE.map((i) => ({ key: `impact${i}`, label: `Impact ${i}` })),
  data: [...SCALE].reverse().map((l) => Object.fromEntries([['likelihood', l], ...SCALE.map((i) => [`impact${i}`, risks(`${l}:${i}`)])])),
});
/** `riskLevel` in SQL. */
const riskLevelOf = (likelihood: SQL, impact: SQL) => sql`(case when ${likelihood} * ${impact} <= 4 then 'low'
  when ${likelihood} * ${impact} <= 9 then 'medium' when ${likelihood} * ${impact} <= 16 then 'high' else 'critical' end)`;

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
    return { columns: riskRegisterColumns, rows, chart: riskRegisterChart((cell) => grid.get(cell) ?? 0) };
  },
  written: {
    row: (input) => ({
      ...APP_FIELDS,
      risk: sql`r.title`,
      level: riskLevelOf(sql`r.likelihood`, sql`r.impact`),
      likelihood: sql`r.likelihood`,
      impact: sql`r.impact`,
      residualLevel: sql`case when r.residual_likelihood is not null and r.residual_impact is not null
        then ${riskLevelOf(sql`r.residual_likelihood`, sql`r.residual_impact`)} end`,
      mitigation: sql`r.mitigation`,
      owner: sql`r.owner`,
      dueOn: sql`r.due_on`,
      dueState: dueState(sql`r.due_in_days`, input.days, 'treatment_overdue', 'treatment_due'),
    }),
    summary: () =>
      sql`json_build_object(${sql.join(
        SCALE.flatMap((l) =>
          SCALE.map(
            (i) =>
              sql`${literal(`${l}:${i}`)}, count(*) filter (where r.likelihood = ${sql.raw(String(l))} and r.impact = ${sql.raw(String(i))})`,
          ),
        ),
        sql`, `,
      )})`,
    frame: (grid: Record<string, number>) => ({ columns: riskRegisterColumns, chart: riskRegisterChart((cell) => grid[cell] ?? 0) }),
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
const staleEvidenceColumns = [
  ...APP_COLUMNS,
  col('piaStatus', 'PIA status', 'code'),
  col('answers', 'Answers', 'number'),
  col('staleAnswers', 'Stale evidence', 'number'),
  col('withoutEvidence', 'No evidence', 'number'),
  col('oldestSeenOn', 'Oldest evidence seen', 'date'),
  col('reviewMonths', 'Review period (months)', 'number'),
  col('staleQuestions', 'Questions to check again', 'list'),
];
const staleEvidenceChart = (data: ReportChart['data']): ReportChart => ({
  kind: 'stacked-bar',
  categoryKey: 'app',
  series: [
    { key: 'staleAnswers', label: 'Stale evidence' },
    { key: 'withoutEvidence', label: 'No evidence' },
  ],
  data,
});

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
      columns: staleEvidenceColumns,
      rows,
      chart: staleEvidenceChart(rows.map((r) => ({ app: r.app, staleAnswers: r.staleAnswers, withoutEvidence: r.withoutEvidence }))),
    };
  },
  written: {
    row: () => ({
      ...APP_FIELDS,
      assessmentId: sql`r.assessment_id`,
      piaStatus: sql`r.pia_status`,
      answers: sql`r.answers`,
      staleAnswers: sql`r.stale`,
      withoutEvidence: sql`r.without_evidence`,
      oldestSeenOn: sql`r.oldest_seen_on`,
      reviewMonths: sql`r.review_months`,
      staleQuestions: sql`r.stale_questions`,
    }),
    chartDatum: () => ({ app: sql`r.name`, staleAnswers: sql`r.stale`, withoutEvidence: sql`r.without_evidence` }),
    frame: () => ({ columns: staleEvidenceColumns, chart: staleEvidenceChart([]) }),
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
 * The statement a report's JSON answer runs. For a report whose rows PostgreSQL writes (`written`):
 * the answer's rows as one JSON array text (each row written by `row`, in the query's order), the
 * summary its columns and chart are made from, the chart's data when it has a datum per row, and
 * the institution's grade levels when the report uses them — one statement, one pass over the rows.
 * For the others, `reportRowsStatement`. The benchmark's bare SQL is this same statement.
 */
export function reportStatement(id: ReportId, input: ReportQueryInput, scope: TenantScope): SQL {
  const definition = REPORTS[id];
  const written = definition.written;
  if (!written) return reportRowsStatement(id, input, scope);
  const { select, from } = writtenParts(id, written, input);
  const query = written.query ? written.query(input, scope) : definition.query(input);
  return sql`select ${select}${gradeLevels(id, scope)} from (${query}) r ${from}`;
}

const dialect = new PgDialect();
/** The written parts of each report, by what they depend on (the grade filter and days); bounded. */
const partsByShape = new Map<string, { select: SQL; from: SQL }>();
const MAX_SHAPES = 500;

/** `{ key: SQL, … }` as a select list, each with its key as its name. */
const selectList = (fields: Record<string, SQL>) =>
  sql.join(
    Object.entries(fields).map(([key, value]) => sql`${value} as ${sql.identifier(key)}`),
    sql`, `,
  );

/**
 * What a written report's statement selects from its rows `r`, and the lateral projections it reads
 * them through (`x`, a row; `c`, a datum of the chart): `row_to_json` of a projection writes JSON
 * without the spaces `json_build_object` puts around its colons. They hold only constants of the
 * contract and the filter's grades and days, written as literals, so they are turned into text once
 * per report, grades and days, not built again on every request.
 */
function writtenParts(id: ReportId, written: WrittenRows<never>, input: ReportQueryInput): { select: SQL; from: SQL } {
  const shape = `${id}|${input.grade.join(',')}|${input.days}`;
  let parts = partsByShape.get(shape);
  if (!parts) {
    const row = written.moreKeys ? sql`concat(left(row_to_json(x)::text, -1), ${written.moreKeys(input)}, '}')` : sql`row_to_json(x)::text`;
    const summary = written.summary ? sql`${written.summary(input)}::text` : sql`null::text`;
    const chartData = written.chartDatum ? sql`, '[' || coalesce(string_agg(row_to_json(c)::text, ','), '') || ']' as chart_data` : sql``;
    const chartFrom = written.chartDatum ? sql` cross join lateral (select ${selectList(written.chartDatum(input))}) c` : sql``;
    parts = {
      select: constant(sql`'[' || coalesce(string_agg(${row}, ','), '') || ']' as rows, ${summary} as summary${chartData}`),
      from: constant(sql`cross join lateral (select ${selectList(written.row(input))}) x${chartFrom}`),
    };
    if (partsByShape.size >= MAX_SHAPES) partsByShape.clear();
    partsByShape.set(shape, parts);
  }
  return parts;
}

/** SQL holding no parameter, as its text. */
function constant(part: SQL): SQL {
  const query = dialect.sqlToQuery(part);
  if (query.params.length) throw new Error('a written part of a report has parameters');
  return sql.raw(query.sql);
}

/** The institution's grade levels, as a column of the statement, for a report that uses them. */
function gradeLevels(id: ReportId, scope: TenantScope): SQL {
  return REPORTS[id].usesGradeLevels
    ? sql`, (select n.grade_levels from institutions n where ${byTenant(sql`n.id`, scope)}) as grade_levels`
    : sql``;
}

/**
 * The statement whose rows a report's `shape` reads (downloads, and the reports PostgreSQL does not
 * write): its query, with the rows handed back as one JSON array (in the query's order) — the
 * drivers then decode one value instead of every column of every row, which on PGlite cost more
 * than the query itself for the larger reports — and, for a report that needs them, the
 * institution's grade levels (rather than another round trip).
 */
export function reportRowsStatement(id: ReportId, input: ReportQueryInput, scope: TenantScope): SQL {
  const row = REPORTS[id].compactRows ? sql`r.row` : sql`r`;
  return sql`select coalesce(json_agg(${row}), '[]')::text as rows${gradeLevels(id, scope)} from (${REPORTS[id].query(input)}) r`;
}

/**
 * The result of a report statement: its rows (a JSON array), and the institution's grade levels
 * when asked for; of a written report's, the summary (JSON) and the chart's data (a JSON array).
 */
export interface ReportStatementResult {
  rows: string;
  summary?: string | null;
  chart_data?: string | null;
  grade_levels?: string[] | null;
}
