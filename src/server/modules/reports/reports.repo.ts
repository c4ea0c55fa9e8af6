import { sql, type SQL } from 'drizzle-orm';
import { AUDIENCES, INVENTORY_STATUSES, SENSITIVE_DATA_ELEMENTS, UNDER_13_GRADES } from '../../../contracts/domain.js';
import { preparedRowsAll, queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { hasApprovedPia, piaOfItem, piaStatus } from './pia-state.js';
import { byTenant } from '../../platform/tenant-filter.js';

/** The common filters of every report. An empty list means "any". */
export interface ReportFilters {
  schoolId: string | undefined;
  grade: readonly string[];
  audience: readonly string[];
  status: readonly string[];
}

const textArray = (values: readonly string[]) =>
  sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
const APPROVED = ['approved', 'approved_with_conditions'] as const;

/**
 * The WHERE clause over `inventory_items i` for a tenant and its filters. The tenant condition is
 * explicit (first wall) although row-level security would hide other tenants anyway (second wall).
 */
export function itemFilter(scope: TenantScope, f: ReportFilters): SQL {
  const where: SQL[] = [byTenant(sql`i.tenant_id`, scope)];
  if (f.schoolId) where.push(sql`${f.schoolId}::uuid = any(i.school_ids)`);
  if (f.grade.length) where.push(sql`i.grades && ${textArray(f.grade)}`);
  if (f.audience.length) where.push(sql`i.audiences && ${textArray(f.audience)}`);
  if (f.status.length) where.push(sql`i.status = any(${textArray(f.status)})`);
  return sql.join(where, sql` and `);
}

const rows = <T>(tx: Tx, query: SQL): Promise<T[]> => queryRows<T>(tx, query);

/** An approved app of the grade matrix, as a JSON array: about half the decoding of an object. */
export type MatrixItem = [id: string, name: string, vendor: string, status: string, grades: string[]];

export interface ItemRow {
  id: string;
  name: string;
  vendor: string;
  status: string;
  grades: string[];
}

/** The report queries. Each is one SQL statement, so a report costs about its bare SQL. */
export const reportQueries = {
  /** One compact row per app, `[id, name, vendor, status, grades]` (see `MatrixItem`). */
  approvedByGrade(f: SQL): SQL {
    return sql`select json_build_array(i.id, i.name, i.vendor, i.status, i.grades) as row from inventory_items i
      where ${f} and i.status = any(${textArray(APPROVED)}) order by lower(i.name), i.id`;
  },
  /** The same apps as `approvedByGrade`, in the same order, as columns. */
  approvedApps(f: SQL): SQL {
    return sql`select i.id, i.name, i.vendor, i.status, i.grades from inventory_items i
      where ${f} and i.status = any(${textArray(APPROVED)}) order by lower(i.name), i.id`;
  },
  inventoryByStatus(f: SQL): SQL {
    return sql`select i.status, count(*)::int as count from inventory_items i where ${f} group by i.status`;
  },
  appsWithoutApprovedPia(f: SQL): SQL {
    return sql`select i.id, i.name, i.vendor, i.status, ${piaStatus()} as pia_status, i.next_review_on::text as next_review_on
      from inventory_items i ${piaOfItem()}
      where ${f} and i.status <> 'retired' and not ${hasApprovedPia()}
      order by lower(i.name), i.id`;
  },
  /**
   * The risks of every assessment's current revision, for apps not retired: the district's open risks.
   * A decided revision's risks stay until a new revision replaces them.
   */
  riskRegister(f: SQL, today: string): SQL {
    return sql`select r.id, i.id as item_id, i.name, i.vendor, i.status, r.title, r.likelihood, r.impact,
        r.residual_likelihood, r.residual_impact, r.mitigation, r.owner, r.due_on::text as due_on,
        (r.due_on - ${today}::date) as due_in_days
      from inventory_items i
      join assessments pia on pia.tenant_id = i.tenant_id and pia.inventory_item_id = i.id
      join assessment_revisions rev on rev.tenant_id = pia.tenant_id and rev.assessment_id = pia.id and rev.number = pia.current_revision
      join assessment_risks r on r.tenant_id = rev.tenant_id and r.revision_id = rev.id
      where ${f} and i.status <> 'retired'
      order by r.likelihood * r.impact desc, r.due_on nulls last, lower(i.name), r.position, r.id`;
  },
  /**
   * Per app not retired, the answers of its PIA's current revision (questions not hidden) whose
   * evidence was seen longer ago than the institution's review period, and those naming no source;
   * only apps with at least one of either. Stale as `isStale` (evidence.ts) has it: the day seen
   * plus the period is before today.
   *
   * The answers (44 or so per PIA, the bulk of the work) are grouped by their revision alone, from
   * narrow rows whose two conditions are worked out once each (`offset 0` keeps that projection
   * below the grouping): the sort before the grouping then holds a uuid, two flags, a date and, for
   * a stale answer only, its question's place and key — not the app's name, vendor and statuses,
   * which are joined to the few grouped rows afterwards. Grouping by the app's columns sorted every
   * answer with them and spilled to disk at a few thousand apps.
   */
  staleEvidence(f: SQL, today: string): SQL {
    const stale = sql`(a.evidence_seen_on is not null and (a.evidence_seen_on + make_interval(months => n.evidence_review_months))::date < ${today}::date)`;
    const none = sql`(a.evidence_url is null and a.evidence_quote = '' and a.evidence_seen_on is null)`;
    return sql`select i.id, i.name, i.vendor, i.status, pia.id as assessment_id, pia.status as pia_status,
        n.evidence_review_months as review_months, s.answers, s.stale, s.without_evidence, s.oldest_seen_on, s.stale_questions
      from (
        select e.tenant_id, e.revision_id,
            count(*)::int as answers,
            count(*) filter (where e.stale)::int as stale,
            count(*) filter (where e.none)::int as without_evidence,
            min(e.seen_on)::text as oldest_seen_on,
            coalesce(array_agg(e.key order by e.position, e.key) filter (where e.stale), '{}'::text[]) as stale_questions
          from (
            select a.tenant_id, a.revision_id, a.evidence_seen_on as seen_on, x.stale, ${none} as none,
                case when x.stale then q.position end as position, case when x.stale then q.key end as key
              from inventory_items i
              join institutions n on n.id = i.tenant_id
              join assessments pia on pia.tenant_id = i.tenant_id and pia.inventory_item_id = i.id
              join assessment_revisions rev on rev.tenant_id = pia.tenant_id and rev.assessment_id = pia.id and rev.number = pia.current_revision
              join assessment_answers a on a.tenant_id = rev.tenant_id and a.revision_id = rev.id
              join assessment_questions q on q.tenant_id = a.tenant_id and q.id = a.question_id and not q.hidden
              cross join lateral (select ${stale} as stale) x
              where ${f} and i.status <> 'retired' and a.value is not null and a.value <> 'null'::jsonb
              offset 0
          ) e
          group by e.tenant_id, e.revision_id
      ) s
      join assessment_revisions rev on rev.tenant_id = s.tenant_id and rev.id = s.revision_id
      join assessments pia on pia.tenant_id = rev.tenant_id and pia.id = rev.assessment_id
      join inventory_items i on i.tenant_id = pia.tenant_id and i.id = pia.inventory_item_id
      join institutions n on n.id = i.tenant_id
      where ${f} and (s.stale > 0 or s.without_evidence > 0)
      order by s.stale desc, s.without_evidence desc, lower(i.name), i.id`;
  },
  reviewsDue(f: SQL, today: string, days: number): SQL {
    return sql`select i.id, i.name, i.vendor, i.status, i.next_review_on::text as next_review_on,
        i.agreement_expires_on::text as agreement_expires_on,
        (i.next_review_on - ${today}::date) as review_in_days,
        (i.agreement_expires_on - ${today}::date) as agreement_in_days
      from inventory_items i
      where ${f} and i.status <> 'retired'
        and (i.next_review_on <= ${today}::date + ${days}::int or i.agreement_expires_on <= ${today}::date + ${days}::int)
      order by least(coalesce(i.next_review_on, 'infinity'::date), coalesce(i.agreement_expires_on, 'infinity'::date)), lower(i.name), i.id`;
  },
  dataElementsByAudience(f: SQL): SQL {
    const perAudience = AUDIENCES.map((a) => sql`, count(*) filter (where ${a} = any(i.audiences))::int as ${sql.identifier(a)}`);
    return sql`select de as element, count(*)::int as apps ${sql.join(perAudience, sql``)}
      from inventory_items i cross join lateral unnest(i.data_elements) as de
      where ${f} group by de`;
  },
  dataStorage(f: SQL): SQL {
    return sql`select i.id, i.name, i.vendor, i.status, (i.catalog_app_id is null) as is_custom,
        coalesce(c.storage_countries, '{}'::text[]) as countries
      from inventory_items i left join catalog_apps c on c.id = i.catalog_app_id
      where ${f} order by lower(i.name), i.id`;
  },
  sensitiveUnder13(f: SQL): SQL {
    const under13 = textArray(UNDER_13_GRADES);
    const sensitive = textArray([...SENSITIVE_DATA_ELEMENTS]);
    return sql`select i.id, i.name, i.vendor, i.status,
        array(select g from unnest(i.grades) g where g = any(${under13})) as grades,
        array(select d from unnest(i.data_elements) d where d = any(${sensitive}) order by d) as elements
      from inventory_items i
      where ${f} and i.status <> 'retired' and 'students' = any(i.audiences)
        and i.grades && ${under13} and i.data_elements && ${sensitive}
      order by lower(i.name), i.id`;
  },
  /** Per vendor: its apps, how many are approved, their names, and its rank by number of apps (1: the most). */
  vendors(f: SQL): SQL {
    return sql`select i.vendor, count(*)::int as apps,
        count(*) filter (where i.status = any(${textArray(APPROVED)}))::int as approved,
        array_agg(i.name order by lower(i.name)) as names,
        rank() over (order by count(*) desc)::int as apps_rank
      from inventory_items i where ${f} group by i.vendor order by lower(i.vendor)`;
  },
};

/** Several report queries that do not depend on each other, sent together (`preparedRowsAll`): the rows of each. */
export async function runReportQueries(tx: Tx, queries: SQL[]): Promise<unknown[][]> {
  return preparedRowsAll(tx, queries);
}

/**
 * `query`, adding in the same statement one run of `report` to today's count (UTC) for the tenant:
 * a data-modifying WITH runs once whether or not the query reads it, and saves a round trip per
 * report. Nothing about the caller is kept, nor the time of the run: a date and a count.
 */
export function countingRun(scope: TenantScope, report: string, today: string, query: SQL): SQL {
  return sql`with counted_run as (
      insert into report_runs (tenant_id, report, day, run_count) values (${scope.tenantId}, ${report}, ${today}::date, 1)
      on conflict (tenant_id, report, day) do update set run_count = report_runs.run_count + 1
    )
    ${query}`;
}

/** Run counts of every institution (platform admins; system scope only). */
export async function unsafeListReportRuns(
  tx: Tx,
  q: { from?: string | undefined; to?: string | undefined; institutionId?: string | undefined },
) {
  const where: SQL[] = [sql`true`];
  if (q.from) where.push(sql`r.day >= ${q.from}::date`);
  if (q.to) where.push(sql`r.day <= ${q.to}::date`);
  if (q.institutionId) where.push(sql`r.tenant_id = ${q.institutionId}::uuid`);
  return rows<{ institution_id: string; institution_name: string; report: string; day: string; count: number }>(
    tx,
    sql`select r.tenant_id as institution_id, n.name as institution_name, r.report, r.day::text as day, r.run_count as count
      from report_runs r join institutions n on n.id = r.tenant_id
      where ${sql.join(where, sql` and `)} order by r.day desc, n.name, r.report limit 5000`,
  );
}

/** The dashboard's figures in one round trip per part. */
export const dashboardQueries = {
  byGradeAndStatus(scope: TenantScope): SQL {
    // Items are counted by their list of grades first, then each list of the few distinct ones is
    // unnested: the same counts as unnesting every item's grades, at half the cost.
    return sql`select g as grade, s.status, sum(s.n)::int as count
      from (select i.grades, i.status, count(*) as n from inventory_items i
            where ${byTenant(sql`i.tenant_id`, scope)} group by i.grades, i.status) s
      cross join lateral unnest(s.grades) as g
      group by g, s.status`;
  },
  byStatus(scope: TenantScope): SQL {
    return sql`select i.status, count(*)::int as count from inventory_items i where ${byTenant(sql`i.tenant_id`, scope)} group by i.status`;
  },
  reviews(scope: TenantScope, today: string): SQL {
    return sql`select
        count(*) filter (where i.next_review_on < ${today}::date)::int as overdue,
        count(*) filter (where i.next_review_on >= ${today}::date and i.next_review_on <= ${today}::date + 30)::int as due_in_30_days,
        count(*) filter (where i.agreement_expires_on < ${today}::date)::int as agreements_expired,
        count(*) filter (where i.agreement_expires_on >= ${today}::date and i.agreement_expires_on <= ${today}::date + 30)::int as agreements_expiring
      from inventory_items i where ${byTenant(sql`i.tenant_id`, scope)} and i.status <> 'retired'`;
  },
  dueSoon(scope: TenantScope, today: string): SQL {
    return sql`select i.id, i.name, i.next_review_on::text as next_review_on, i.agreement_expires_on::text as agreement_expires_on
      from inventory_items i
      where ${byTenant(sql`i.tenant_id`, scope)} and i.status <> 'retired'
        and (i.next_review_on <= ${today}::date + 30 or i.agreement_expires_on <= ${today}::date + 30)
      order by least(coalesce(i.next_review_on, 'infinity'::date), coalesce(i.agreement_expires_on, 'infinity'::date)), lower(i.name)
      limit 10`;
  },
  recentChanges(scope: TenantScope): SQL {
    // The item is found by primary key: record_id is text, so it is turned into a uuid (when it is
    // one) rather than the item's id into text, which would compare against every item. The uuid is
    // worked out beside the event, and the join compares it alone: under row-level security a join
    // condition holding the regular expression (not leakproof) is checked only after the policy, as a
    // filter over every item of the institution for each event, never as a key of the index.
    return sql`select e.id, e.at, e.actor_label, e.action, e.record_type, e.record_id, i.name as record_name
      from (select e.*, case when e.record_type = 'inventory_item'
                               and e.record_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                             then e.record_id::uuid end as item_id
            from audit_events e where ${byTenant(sql`e.tenant_id`, scope)} order by e.id desc limit 10) e
      left join inventory_items i on i.tenant_id = e.tenant_id and i.id = e.item_id
      order by e.id desc`;
  },
};

export const ALL_STATUSES = INVENTORY_STATUSES;
