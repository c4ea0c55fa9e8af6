/**
 * The REST contract of reports, the dashboard and data exports: zod schemas shared by the server
 * (validation + OpenAPI) and the web client. Every string is bounded.
 */
import { z } from 'zod';
import { isoDate } from './dates.js';
import { AUDIENCES, GRADE_LEVELS, INVENTORY_STATUSES, LANGUAGES } from './domain.js';

/** The generic reports every institution has (PRODUCT.md, "Reports"). */
export const REPORT_IDS = [
  'approved-by-grade',
  'inventory-by-status',
  'apps-without-approved-pia',
  'reviews-due',
  'data-elements-by-audience',
  'data-storage',
  'sensitive-under-13',
  'vendors',
  'risk-register',
  'stale-evidence',
] as const;
export type ReportId = (typeof REPORT_IDS)[number];

/** Which filters a report accepts, beyond the common ones (school, grade, audience, status). */
export const REPORT_PARAMS: Readonly<Record<ReportId, readonly 'days'[]>> = {
  'approved-by-grade': [],
  'inventory-by-status': [],
  'apps-without-approved-pia': [],
  'reviews-due': ['days'],
  'data-elements-by-audience': [],
  'data-storage': [],
  'sensitive-under-13': [],
  vendors: [],
  'risk-register': ['days'],
  'stale-evidence': [],
};

const csvList = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v), z.array(item).max(max));

export const reportParamsSchema = z.strictObject({ id: z.enum(REPORT_IDS) });

/** Filters of a report run. Lists come as comma-separated query values (`grade=3,4`). */
export const reportQuerySchema = z.strictObject({
  schoolId: z.uuid().optional(),
  grade: csvList(z.enum(GRADE_LEVELS), GRADE_LEVELS.length).optional(),
  audience: csvList(z.enum(AUDIENCES), AUDIENCES.length).optional(),
  status: csvList(z.enum(INVENTORY_STATUSES), INVENTORY_STATUSES.length).optional(),
  /** Look-ahead window of "reviews due" (days from today). */
  days: z.coerce.number().int().min(1).max(730).default(60),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const reportDownloadQuerySchema = reportQuerySchema.extend({
  format: z.enum(['xlsx', 'csv']),
  /** The language of the file's words (headers, statuses, grades…); the reader's own when absent. */
  lang: z.enum(LANGUAGES).optional(),
});
export type ReportDownloadQuery = z.infer<typeof reportDownloadQuerySchema>;

export const REPORT_COLUMN_KINDS = ['text', 'number', 'date', 'boolean', 'check', 'list', 'code'] as const;
export const reportColumnSchema = z.object({
  key: z.string(),
  /** English header, used in downloads; the web client translates by `key` (or `labelKey`). */
  label: z.string(),
  kind: z.enum(REPORT_COLUMN_KINDS),
  /** i18n key of the header when it is a domain value (a grade, an audience). */
  labelKey: z.string().optional(),
  /**
   * A `check` column ticked when the row's list under `of.key` holds `of.value` (a grade among an
   * app's grades), rather than by a boolean of its own: a row then carries its list once, not a key
   * per column. Read a cell through `cellOf`.
   */
  of: z.object({ key: z.string(), value: z.string() }).optional(),
});
export type ReportColumn = z.infer<typeof reportColumnSchema>;

export const reportCellSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export type ReportCell = z.infer<typeof reportCellSchema>;
export type ReportRow = Record<string, ReportCell>;

/** The cell of a row under a column: its own key's value, or for a column `of` a list, whether the list holds its value. */
export function cellOf(column: ReportColumn, row: ReportRow): ReportCell | undefined {
  if (!column.of) return row[column.key];
  const list = row[column.of.key];
  return Array.isArray(list) && list.includes(column.of.value);
}

export const reportChartSchema = z.object({
  /**
   * `heatmap`: one datum per row of the grid (its category, e.g. likelihood 5 to 1), one series per
   * column (e.g. impact 1 to 5), each value a count; `levelOf` names each cell's level when given.
   */
  kind: z.enum(['bar', 'stacked-bar', 'pie', 'heatmap']),
  /** The key of each datum that names its category (x axis / slice). */
  categoryKey: z.string(),
  series: z.array(z.object({ key: z.string(), label: z.string(), labelKey: z.string().optional() })),
  data: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
});
export type ReportChart = z.infer<typeof reportChartSchema>;

export const reportResultSchema = z.object({
  report: z.enum(REPORT_IDS),
  title: z.string(),
  generatedAt: z.string(),
  filters: z.object({
    schoolId: z.string().nullable(),
    grade: z.array(z.string()),
    audience: z.array(z.string()),
    status: z.array(z.string()),
    days: z.number().int().nullable(),
  }),
  columns: z.array(reportColumnSchema),
  rows: z.array(z.record(z.string(), reportCellSchema)),
  chart: reportChartSchema,
});
export type ReportResult = z.infer<typeof reportResultSchema>;

export const reportDefinitionSchema = z.object({ id: z.enum(REPORT_IDS), title: z.string(), params: z.array(z.enum(['days'])) });
export const reportListSchema = z.object({ items: z.array(reportDefinitionSchema) });

/** Run counts as platform admins see them: numbers only, never who ran a report. */
export const reportRunCountsQuerySchema = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  institutionId: z.uuid().optional(),
});
export const reportRunCountSchema = z.object({
  institutionId: z.uuid(),
  institutionName: z.string(),
  report: z.string(),
  day: z.string(),
  count: z.number().int(),
});
export const reportRunCountsSchema = z.object({ items: z.array(reportRunCountSchema) });

// ---------- dashboard ----------
export const dashboardSchema = z.object({
  total: z.number().int(),
  countsByStatus: z.array(z.object({ status: z.enum(INVENTORY_STATUSES), count: z.number().int() })),
  reviews: z.object({
    overdue: z.number().int(),
    dueIn30Days: z.number().int(),
    agreementsExpired: z.number().int(),
    agreementsExpiringIn30Days: z.number().int(),
  }),
  /** The next reviews and agreement expiries, soonest first (at most 10). */
  dueSoon: z.array(
    z.object({ id: z.uuid(), name: z.string(), nextReviewOn: z.string().nullable(), agreementExpiresOn: z.string().nullable() }),
  ),
  /** Apps per grade and status: the grade heat map. */
  gradeHeatmap: z.object({
    grades: z.array(z.enum(GRADE_LEVELS)),
    cells: z.array(z.object({ grade: z.enum(GRADE_LEVELS), status: z.enum(INVENTORY_STATUSES), count: z.number().int() })),
  }),
  /** Latest changes of the institution; empty for callers who may not read the audit log. */
  recentChanges: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      actorLabel: z.string(),
      action: z.string(),
      recordType: z.string(),
      recordId: z.string(),
      recordName: z.string().nullable(),
    }),
  ),
  canSeeChanges: z.boolean(),
});
export type DashboardBody = z.infer<typeof dashboardSchema>;

// ---------- exports ----------
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export const EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed', 'expired'] as const;
export const exportCreateSchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS),
  /** The language of the file's headers and words; the requester's own when absent. */
  lang: z.enum(LANGUAGES).optional(),
});
export const dataExportSchema = z.object({
  id: z.uuid(),
  format: z.enum(EXPORT_FORMATS),
  status: z.enum(EXPORT_STATUSES),
  rowsDone: z.number().int(),
  rowsTotal: z.number().int(),
  /** 0–100. */
  percent: z.number().int(),
  fileName: z.string().nullable(),
  fileSize: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  /** Present while the file can be downloaded. */
  downloadUrl: z.string().nullable(),
});
export type DataExportBody = z.infer<typeof dataExportSchema>;
export const dataExportListSchema = z.object({ items: z.array(dataExportSchema) });
/** The longest a request may wait for an export to finish (`?wait=`), in seconds. */
export const EXPORT_WAIT_MAX_SECONDS = 25;
/**
 * `wait`: while the export (or, for the list, any export being prepared) is queued or running, answer
 * once it is ready or failed, or after this many seconds with its progress; 0 (the default) answers at once.
 */
export const exportWaitQuerySchema = z.strictObject({
  wait: z.coerce.number().int().min(0).max(EXPORT_WAIT_MAX_SECONDS).default(0),
});
