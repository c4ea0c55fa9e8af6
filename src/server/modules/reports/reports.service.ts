import { and, eq, type SQL } from 'drizzle-orm';
import { GRADE_LEVELS, INVENTORY_STATUSES, type GradeLevel, type InventoryStatus, type Language } from '../../../contracts/domain.js';
import {
  REPORT_IDS,
  REPORT_PARAMS,
  type DashboardBody,
  type ReportChart,
  type ReportColumn,
  type ReportId,
  type ReportQuery,
  type ReportResult,
} from '../../../contracts/reports.js';
import { schools } from '../../db/schema/index.js';
import { authorize, policy, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { iso } from '../../platform/dates.js';
import { lastRows, withSystem, withTenant, withTenantRead, type TenantScope, type Tx } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { JsonText } from '../../platform/http.js';
import { userLanguage } from '../assessments/assessments.repo.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import { REPORTS, reportRowsStatement, reportStatement, type ReportQueryInput, type ReportStatementResult } from './report-definitions.js';
import { countingRun, dashboardQueries, itemFilter, runReportQueries, unsafeListReportRuns } from './reports.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';

/** Today in UTC, `YYYY-MM-DD`: the day a run is counted on and the origin of "due in N days". */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const gradeOrder = new Map(GRADE_LEVELS.map((g, i) => [g as string, i]));
/** An institution's grade levels in their natural order. */
const inOrder = (levels: readonly string[] | null | undefined) =>
  [...(levels ?? [])].sort((a, b) => (gradeOrder.get(a) ?? 99) - (gradeOrder.get(b) ?? 99));

/** What a report's answer holds before its columns, rows and chart. */
type ReportHead = Pick<ReportResult, 'report' | 'title' | 'generatedAt' | 'filters'>;

/**
 * A report's answer as JSON text, in the order of `reportResultSchema`: `rows` (and `chartData`,
 * the chart's data, when given) are JSON array text put in as they are, written by PostgreSQL or
 * by JSON.stringify.
 */
function resultText(head: ReportHead, columns: ReportColumn[], rows: string, chart: ReportChart, chartData: string | null) {
  const chartText =
    chartData === null ? JSON.stringify(chart) : `${JSON.stringify({ ...chart, data: undefined }).slice(0, -1)},"data":${chartData}}`;
  return new JsonText<ReportResult>(
    `${JSON.stringify(head).slice(0, -1)},"columns":${JSON.stringify(columns)},"rows":${rows},"chart":${chartText}}`,
  );
}

export function createReportsService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;

  async function institutionOf(tx: Tx, scope: TenantScope) {
    const institution = await findInstitution(tx, scope);
    if (!institution) throw notFound('Institution');
    return institution;
  }

  /**
   * Runs a report and counts the run: `answer` reads the report's statement (with the run counter)
   * and makes the answer; `wanted` says which language a download speaks (null: none).
   */
  async function execute<T>(
    actor: Actor,
    id: ReportId,
    q: ReportQuery,
    wanted: Language | 'reader' | null,
    answer: (tx: Tx, input: ReportQueryInput, head: ReportHead, scope: TenantScope) => Promise<T>,
  ) {
    authorize(actor, 'runReports');
    const scope = scopeOf(actor);
    const today = utcToday();
    const filters = { schoolId: q.schoolId, grade: q.grade ?? [], audience: q.audience ?? [], status: q.status ?? [] };
    return withTenant(
      db,
      scope,
      async (tx) => {
        let schoolName: string | null = null;
        if (filters.schoolId) {
          const [school] = await tx
            .select({ name: schools.name })
            .from(schools)
            .where(and(byTenant(schools.tenantId, scope), eq(schools.id, filters.schoolId)));
          if (!school) throw invalid('schoolId', 'is not a school of this institution');
          schoolName = school.name;
        }
        const language = wanted === 'reader' ? ((await userLanguage(tx, actor.userId)) ?? 'en') : wanted;
        const input = { where: itemFilter(scope, filters), grade: filters.grade, audience: filters.audience, today, days: q.days };
        const head: ReportHead = {
          report: id,
          title: REPORTS[id].title,
          generatedAt: new Date().toISOString(),
          filters: {
            schoolId: filters.schoolId ?? null,
            grade: [...filters.grade],
            audience: [...filters.audience],
            status: [...filters.status],
            days: REPORT_PARAMS[id].includes('days') ? q.days : null,
          },
        };
        return { result: await answer(tx, input, head, scope), schoolName, language };
      },
      { asyncCommit: true },
    );
  }

  /**
   * The report's statement with the run counter; its one row, or 404 when the institution is gone.
   * It is the unit of work's last statement: on PostgreSQL it carries the commit (`lastRows`).
   */
  async function statementRow(tx: Tx, scope: TenantScope, id: ReportId, today: string, statement: SQL) {
    const [row] = await lastRows<ReportStatementResult>(tx, countingRun(scope, id, today, statement));
    if (REPORTS[id].usesGradeLevels && !row?.grade_levels) throw notFound('Institution');
    return row;
  }

  /** The rows of `reportRowsStatement` as `shape` reads them, with its input (the grade levels in order). */
  async function compactRows(tx: Tx, input: ReportQueryInput, id: ReportId, scope: TenantScope) {
    const row = await statementRow(tx, scope, id, input.today, reportRowsStatement(id, input, scope));
    return { rows: JSON.parse(row?.rows ?? '[]') as never[], input: { ...input, gradeLevels: inOrder(row?.grade_levels) } };
  }

  /** The rows of `reportRowsStatement`, shaped in the process by the report's `shape`. */
  async function shaped(tx: Tx, input: ReportQueryInput, head: ReportHead, scope: TenantScope): Promise<ReportResult> {
    const compact = await compactRows(tx, input, head.report, scope);
    return { ...head, ...REPORTS[head.report].shape(compact.rows, compact.input) };
  }

  /**
   * The JSON answer. A report whose rows PostgreSQL writes (ADR 0021): its rows' text (and its
   * chart's data, when written too) put into the answer as they are, with the columns and chart
   * made from the statement's summary; the others are shaped, then written with JSON.stringify.
   */
  async function answerText(tx: Tx, input: ReportQueryInput, head: ReportHead, scope: TenantScope): Promise<JsonText<ReportResult>> {
    const definition = REPORTS[head.report];
    const written = definition.written;
    if (!written) {
      const { columns, rows, chart } = await shaped(tx, input, head, scope);
      return resultText(head, columns, JSON.stringify(rows), chart, null);
    }
    const row = await statementRow(tx, scope, head.report, input.today, reportStatement(head.report, input, scope));
    const summary = row?.summary ? (JSON.parse(row.summary) as never) : (null as never);
    const { columns, chart } = written.frame(summary, { ...input, gradeLevels: inOrder(row?.grade_levels) });
    return resultText(head, columns, row?.rows ?? '[]', chart, row?.chart_data ?? null);
  }

  return {
    /** The reports an institution can run. */
    list(actor: Actor) {
      authorize(actor, 'runReports');
      return { items: REPORT_IDS.map((id) => ({ id, title: REPORTS[id].title, params: [...REPORT_PARAMS[id]] })) };
    },

    /**
     * Runs a report over the caller's institution and counts the run (per institution, report and
     * day; commitment 2: nothing about who ran it). Downloads are runs too. The count is written
     * without waiting for the disk (asynchronous commit): a crash may lose the last runs' counts,
     * never a report, and the report does not pay for a flush of the write-ahead log.
     */
    async run(actor: Actor, id: ReportId, q: ReportQuery): Promise<JsonText<ReportResult>> {
      return (await execute(actor, id, q, null, answerText)).result;
    },

    /**
     * Runs a report for a download, with what the file needs besides: the language of its words (the
     * one asked for, else the reader's own, else English) and the chosen school's name.
     */
    download(actor: Actor, id: ReportId, q: ReportQuery, language: Language | undefined) {
      return execute(actor, id, q, language ?? 'reader', shaped);
    },

    /** Run counts across institutions, for platform admins: numbers only. */
    async runCounts(actor: Actor, q: { from?: string | undefined; to?: string | undefined; institutionId?: string | undefined }) {
      authorize(actor, 'readReportRunCounts');
      const rows = await withSystem(db, (tx) => unsafeListReportRuns(tx, q));
      return {
        items: rows.map((r) => ({
          institutionId: r.institution_id,
          institutionName: r.institution_name,
          report: r.report,
          day: r.day,
          count: Number(r.count),
        })),
      };
    },

    /** The institution's home page: counts by status, reviews due, grade heat map, recent changes. */
    async dashboard(actor: Actor): Promise<DashboardBody> {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      const today = utcToday();
      const canSeeChanges = policy.readAudit(actor);
      return withTenantRead(db, scope, async (tx) => {
        const institution = await institutionOf(tx, scope);
        // The five parts do not depend on each other: they go to the database together (one round trip on PostgreSQL).
        const parts = await runReportQueries(tx, [
          dashboardQueries.byStatus(scope),
          dashboardQueries.reviews(scope, today),
          dashboardQueries.dueSoon(scope, today),
          dashboardQueries.byGradeAndStatus(scope),
          ...(canSeeChanges ? [dashboardQueries.recentChanges(scope)] : []),
        ]);
        const byStatus = parts[0] as { status: string; count: number }[];
        const [reviews] = parts[1] as {
          overdue: number;
          due_in_30_days: number;
          agreements_expired: number;
          agreements_expiring: number;
        }[];
        const dueSoon = parts[2] as { id: string; name: string; next_review_on: string | null; agreement_expires_on: string | null }[];
        const heat = parts[3] as { grade: string; status: string; count: number }[];
        const changes = (parts[4] ?? []) as {
          id: number | string;
          at: Date | string;
          actor_label: string;
          action: string;
          record_type: string;
          record_id: string;
          record_name: string | null;
        }[];
        const counts = new Map(byStatus.map((r) => [r.status, Number(r.count)]));
        const grades = GRADE_LEVELS.filter((g) => institution.gradeLevels.includes(g));
        const gradeSet = new Set<string>(grades);
        return {
          total: [...counts.values()].reduce((a, b) => a + b, 0),
          countsByStatus: INVENTORY_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 })),
          reviews: {
            overdue: Number(reviews?.overdue ?? 0),
            dueIn30Days: Number(reviews?.due_in_30_days ?? 0),
            agreementsExpired: Number(reviews?.agreements_expired ?? 0),
            agreementsExpiringIn30Days: Number(reviews?.agreements_expiring ?? 0),
          },
          dueSoon: dueSoon.map((r) => ({
            id: r.id,
            name: r.name,
            nextReviewOn: r.next_review_on,
            agreementExpiresOn: r.agreement_expires_on,
          })),
          gradeHeatmap: {
            grades,
            cells: heat
              .filter((c) => gradeSet.has(c.grade))
              .map((c) => ({ grade: c.grade as GradeLevel, status: c.status as InventoryStatus, count: Number(c.count) })),
          },
          recentChanges: changes.map((c) => ({
            id: Number(c.id),
            at: iso(c.at),
            actorLabel: c.actor_label,
            action: c.action,
            recordType: c.record_type,
            recordId: c.record_id,
            recordName: c.record_name,
          })),
          canSeeChanges,
        };
      });
    },
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
