import type { SQL } from 'drizzle-orm';
import { AUDIENCES, GRADE_LEVELS, INVENTORY_STATUSES, SENSITIVE_DATA_ELEMENTS } from '../../../contracts/domain.js';
import type { ReportChart, ReportColumn, ReportId, ReportRow } from '../../../contracts/reports.js';
import type { Tx } from '../../platform/db.js';
import { reportQueries, runReportQuery, type ItemRow } from './reports.repo.js';

/** What a report builds from: the filtered items clause plus the institution's context. */
export interface ReportInput {
  where: SQL;
  /** The institution's grade levels, in natural order. */
  gradeLevels: readonly string[];
  grade: readonly string[];
  audience: readonly string[];
  today: string;
  days: number;
}

export interface ReportOutput {
  columns: ReportColumn[];
  rows: ReportRow[];
  chart: ReportChart;
}

export interface ReportDefinition {
  id: ReportId;
  title: string;
  /** Whether `build` reads the institution's grade levels (saves a query for the others). */
  usesGradeLevels?: boolean;
  build(tx: Tx, input: ReportInput): Promise<ReportOutput>;
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
const appCells = (r: { id: string; name: string; vendor: string; status: string }) => ({
  id: r.id,
  app: r.name,
  vendor: r.vendor,
  status: r.status,
});

function countBy<T>(items: readonly T[], keys: readonly string[], keyOf: (t: T) => readonly string[]): Map<string, number> {
  const counts = new Map(keys.map((k) => [k, 0]));
  for (const t of items) for (const k of keyOf(t)) if (counts.has(k)) counts.set(k, counts.get(k)! + 1);
  return counts;
}

const approvedByGrade: ReportDefinition = {
  id: 'approved-by-grade',
  title: 'Approved apps by grade',
  usesGradeLevels: true,
  async build(tx, input) {
    const items = await runReportQuery<ItemRow>(tx, reportQueries.approvedByGrade(input.where));
    const grades = input.grade.length ? input.gradeLevels.filter((g) => input.grade.includes(g)) : input.gradeLevels;
    const columns = [...APP_COLUMNS, ...grades.map((g) => col(`grade:${g}`, GRADE_LABEL(g), 'check', `gradeShort.${g}`))];
    const rows = items.map((r) => {
      const row: ReportRow = appCells(r);
      const has = new Set(r.grades);
      for (const g of grades) row[`grade:${g}`] = has.has(g);
      return row;
    });
    const counts = countBy(items, grades, (r) => r.grades);
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

const inventoryByStatus: ReportDefinition = {
  id: 'inventory-by-status',
  title: 'Inventory by status',
  async build(tx, input) {
    const found = await runReportQuery<{ status: string; count: number }>(tx, reportQueries.inventoryByStatus(input.where));
    const counts = new Map(found.map((r) => [r.status, Number(r.count)]));
    const rows = INVENTORY_STATUSES.map((s) => ({ status: s, apps: counts.get(s) ?? 0 }));
    return {
      columns: [col('status', 'Status', 'code'), col('apps', 'Apps', 'number')],
      rows,
      chart: { kind: 'pie', categoryKey: 'status', series: [{ key: 'apps', label: 'Apps' }], data: rows },
    };
  },
};

const appsWithoutApprovedPia: ReportDefinition = {
  id: 'apps-without-approved-pia',
  title: 'Apps without an approved PIA',
  async build(tx, input) {
    const items = await runReportQuery<ItemRow & { pia_status: string | null; next_review_on: string | null }>(
      tx,
      reportQueries.appsWithoutApprovedPia(input.where),
    );
    const rows = items.map((r) => ({ ...appCells(r), piaStatus: r.pia_status ?? 'none', nextReviewOn: r.next_review_on }));
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
const reviewsDue: ReportDefinition = {
  id: 'reviews-due',
  title: 'Reviews due and agreements expiring',
  async build(tx, input) {
    const items = await runReportQuery<DueRow>(tx, reportQueries.reviewsDue(input.where, input.today, input.days));
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
        ...appCells(r),
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

const dataElementsByAudience: ReportDefinition = {
  id: 'data-elements-by-audience',
  title: 'Data elements collected, by audience',
  async build(tx, input) {
    const found = await runReportQuery<Record<string, string | number>>(tx, reportQueries.dataElementsByAudience(input.where));
    const audiences = input.audience.length ? AUDIENCES.filter((a) => input.audience.includes(a)) : AUDIENCES;
    const rows = found
      .map((r) => {
        const element = String(r.element);
        const row: ReportRow = { element, sensitive: SENSITIVE_DATA_ELEMENTS.has(element), apps: Number(r.apps) };
        for (const a of audiences) row[a] = Number(r[a]);
        return row;
      })
      .sort((a, b) => Number(b.apps) - Number(a.apps) || String(a.element).localeCompare(String(b.element)));
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

const dataStorage: ReportDefinition = {
  id: 'data-storage',
  title: 'Where data is stored',
  async build(tx, input) {
    const items = await runReportQuery<ItemRow & { is_custom: boolean; countries: string[] }>(tx, reportQueries.dataStorage(input.where));
    const tally = { canada: 0, us: 0, elsewhere: 0, unknown: 0 };
    const rows = items.map((r) => {
      const location = storageClass(r.countries);
      tally[location]++;
      return {
        ...appCells(r),
        countries: r.countries,
        inCanada: r.countries.includes('CA'),
        inUs: r.countries.includes('US'),
        elsewhere: r.countries.some((c) => c !== 'CA' && c !== 'US'),
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

const sensitiveUnder13: ReportDefinition = {
  id: 'sensitive-under-13',
  title: 'Sensitive data used by students under 13',
  async build(tx, input) {
    const items = await runReportQuery<ItemRow & { elements: string[] }>(tx, reportQueries.sensitiveUnder13(input.where));
    const order = new Map(GRADE_LEVELS.map((g, i) => [g as string, i]));
    const rows = items.map((r) => ({
      ...appCells(r),
      grades: [...r.grades].sort((a, b) => order.get(a)! - order.get(b)!),
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

const vendors: ReportDefinition = {
  id: 'vendors',
  title: 'Vendor list',
  async build(tx, input) {
    const found = await runReportQuery<{ vendor: string; apps: number; approved: number; names: string[] }>(
      tx,
      reportQueries.vendors(input.where),
    );
    const rows = found.map((r) => ({
      vendor: r.vendor || '(no vendor)',
      apps: Number(r.apps),
      approved: Number(r.approved),
      appNames: r.names,
    }));
    const top = [...rows].sort((a, b) => b.apps - a.apps || a.vendor.localeCompare(b.vendor)).slice(0, 15);
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

export const REPORTS: Readonly<Record<ReportId, ReportDefinition>> = {
  'approved-by-grade': approvedByGrade,
  'inventory-by-status': inventoryByStatus,
  'apps-without-approved-pia': appsWithoutApprovedPia,
  'reviews-due': reviewsDue,
  'data-elements-by-audience': dataElementsByAudience,
  'data-storage': dataStorage,
  'sensitive-under-13': sensitiveUnder13,
  vendors,
};
