/**
 * Scale data (`npm run seed -- --scale large`): thousands of institutions sharing one PostgreSQL
 * database, with at least a million inventory items, made by the server itself (INSERT … SELECT over
 * generate_series, one short transaction per batch of institutions, as `vetted_system` like every
 * seeding step), not row by row from here. Institution 1 is the largest; the others share the rest
 * evenly. Every id and value derives from the institution's and item's numbers, so the same
 * institution seeded alone (`only: 'largest'`) holds the very same rows: the benchmark compares the
 * two (test/bench/scale.bench.ts).
 */
import { sql } from 'drizzle-orm';
import { AUDIENCES, DATA_ELEMENT_CODES, GRADE_LEVELS, INVENTORY_STATUSES } from '../../contracts/domain.js';
import { queryRows, withSystem, type Db } from '../platform/db.js';

export interface ScalePlan {
  institutions: number;
  items: number;
  /** Items of institution 1, the largest. */
  largest: number;
}

/** Named scales: `large` is the one the issue asks for. */
export const SCALES: Record<'small' | 'medium' | 'large', ScalePlan> = {
  small: { institutions: 100, items: 50_000, largest: 20_000 },
  medium: { institutions: 1_000, items: 400_000, largest: 20_000 },
  large: { institutions: 2_000, items: 1_000_000, largest: 20_000 },
};

/**
 * `--scale small|medium|large`, or `--scale <institutions>x<items>` (e.g. 500x200000); the largest
 * institution holds 20,000 items, or all but one item a piece of the others when fewer are asked for.
 */
export function scalePlanOf(arg: string): ScalePlan {
  if (arg in SCALES) return SCALES[arg as keyof typeof SCALES];
  const m = /^(\d+)x(\d+)$/.exec(arg);
  if (!m) throw new Error(`Unknown scale "${arg}": use small, medium, large or <institutions>x<items> (e.g. 500x200000)`);
  const institutions = Number(m[1]);
  const items = Number(m[2]);
  if (institutions < 1 || items < institutions) throw new Error('A scale needs at least one institution and one item per institution');
  return { institutions, items, largest: Math.min(20_000, items - (institutions - 1)) };
}

/** Institutions per transaction: about 25,000 items at the large scale. */
const BATCH = 50;

const textArray = (xs: readonly string[]) => sql.raw(`array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ')}]::text[]`);

/** A version 4 uuid from the md5 of a text (SQL, written here): its version and variant digits set. */
const uuidOf = (text: string) => sql.raw(`overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`);

/** The id of institution `n` (the same derivation as the seed's SQL). */
export async function scaleInstitutionId(db: Db, n: number): Promise<string> {
  const [row] = await queryRows<{ id: string }>(db, sql`select ${uuidOf(`'vetted-scale-institution-' || ${Number(n)}`)}::text as id`);
  return row!.id;
}

/**
 * Loads `plan` (or institution 1 of it alone). Returns what was loaded and how long it took. A
 * database that already holds a scale institution is refused: the seed never doubles its rows.
 */
export async function seedScale(
  db: Db,
  plan: ScalePlan,
  opts: { only?: 'largest'; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ institutions: number; items: number; seconds: number; largestId: string }> {
  const started = Date.now();
  const last = opts.only === 'largest' ? 1 : plan.institutions;
  const others = Math.max(1, plan.institutions - 1);
  const base = Math.floor((plan.items - plan.largest) / others);
  const extra = plan.items - plan.largest - base * others;
  const largestId = await scaleInstitutionId(db, 1);
  const [exists] = await withSystem(db, (tx) =>
    queryRows<{ n: number }>(tx, sql`select count(*)::int as n from institutions where id = ${largestId}::uuid`),
  );
  if (exists!.n > 0) throw new Error('This database holds the scale data already');

  const grades = textArray(GRADE_LEVELS);
  const audiences = textArray(AUDIENCES);
  const elements = textArray(DATA_ELEMENT_CODES);
  const statuses = textArray(INVENTORY_STATUSES);
  let items = 0;
  for (let lo = 1; lo <= last; lo += BATCH) {
    const hi = Math.min(last, lo + BATCH - 1);
    await withSystem(db, async (tx) => {
      await tx.execute(sql`
        insert into institutions (id, name, kind, country, subdivision, region, grade_levels, public_slug)
        select ${uuidOf(`'vetted-scale-institution-' || n`)}, 'Scale District ' || n, 'district', 'CA', 'BC', 'ca', ${grades},
               'scale-district-' || n
        from generate_series(${lo}::int, ${hi}::int) n`);
      await tx.execute(sql`
        insert into schools (tenant_id, id, name, grade_from, grade_to, position)
        select ${uuidOf(`'vetted-scale-institution-' || n`)}, ${uuidOf(`'vetted-scale-school-' || n || '-' || s`)},
               case s when 0 then 'North Elementary ' || n else 'Central Secondary ' || n end,
               case s when 0 then 'K' else '8' end, case s when 0 then '7' else '12' end, s
        from generate_series(${lo}::int, ${hi}::int) n cross join generate_series(0, 1) s`);
      const [row] = await queryRows<{ n: number }>(
        tx,
        sql`with made as (
          insert into inventory_items (tenant_id, id, custom_name, name, vendor, grades, school_ids, audiences, data_elements,
                                       purpose, status, next_review_on, agreement_expires_on, is_public)
          select ${uuidOf(`'vetted-scale-institution-' || n`)},
                 ${uuidOf(`'vetted-scale-item-' || n || '-' || k`)},
                 'Scale Tool ' || k, 'Scale Tool ' || k, 'Vendor ' || (k % 700),
                 (${grades})[1 + k % 15 : 1 + k % 15 + k % 4],
                 array[${uuidOf(`'vetted-scale-school-' || n || '-' || (k % 2)`)}],
                 (${audiences})[1 + k % 5 : 1 + k % 5 + k % 2],
                 (${elements})[1 + k % 20 : 1 + k % 20 + k % 6],
                 'Purpose of tool ' || k || ': classroom use, homework and communication with families.',
                 (${statuses})[1 + (k * 7 + n) % 7],
                 case when k % 5 <> 0 then current_date + ((k * 37) % 730 - 200) end,
                 case when k % 3 <> 0 then current_date + ((k * 53) % 900 - 100) end,
                 k % 4 = 0
          from generate_series(${lo}::int, ${hi}::int) n
          cross join lateral generate_series(1, case when n = 1 then ${plan.largest}::int
                                                     else ${base}::int + case when n - 2 < ${extra}::int then 1 else 0 end end) k
          returning 1)
        select count(*)::int as n from made`,
      );
      items += row!.n;
    });
    opts.onProgress?.(hi, last);
  }
  await seedScaleAssessments(db);
  // As the connecting role, which owns the tables: the planner sees the new sizes at once.
  await db.execute(sql`analyze institutions, schools, inventory_items, assessments, assessment_revisions, assessment_risks`);
  return { institutions: last, items, seconds: (Date.now() - started) / 1000, largestId };
}

/** Assessments of the largest institution: one for every tenth item, each with two risks. */
export const SCALE_ASSESSMENT_EVERY = 10;

/**
 * The largest institution's privacy impact assessments (one revision each, two risks per revision),
 * so that the risk register reads as many rows in the shared database as alone. Ids and values derive
 * from the item's number, like the items'. Does nothing where they are already.
 */
export async function seedScaleAssessments(db: Db): Promise<number> {
  const tenant = uuidOf(`'vetted-scale-institution-' || 1`);
  const item = uuidOf(`'vetted-scale-item-' || 1 || '-' || k`);
  const assessment = uuidOf(`'vetted-scale-assessment-' || k`);
  const revision = uuidOf(`'vetted-scale-revision-' || k`);
  return withSystem(db, async (tx) => {
    const [row] = await queryRows<{ n: number }>(
      tx,
      sql`with made as (
        insert into assessments (tenant_id, id, inventory_item_id, title, status, current_revision, approved_revision)
        select ${tenant}, ${assessment}, ${item}, 'PIA of Scale Tool ' || k,
               case when k % 20 = 0 then 'approved' else 'in_review' end, 1, case when k % 20 = 0 then 1 end
        from inventory_items i cross join lateral (select substring(i.custom_name from 12)::int as k) n
        where i.tenant_id = ${tenant} and k % ${SCALE_ASSESSMENT_EVERY}::int = 0
        on conflict do nothing
        returning 1)
      select count(*)::int as n from made`,
    );
    await tx.execute(sql`
      insert into assessment_revisions (tenant_id, id, assessment_id, number, status, next_review_on)
      select a.tenant_id, ${revision}, a.id, 1, a.status, current_date + (k * 11) % 400
      from assessments a cross join lateral (select substring(a.title from 19)::int as k) n
      where a.tenant_id = ${tenant}
      on conflict do nothing`);
    await tx.execute(sql`
      insert into assessment_risks (tenant_id, id, revision_id, title, likelihood, impact, mitigation, owner, due_on,
                                    residual_likelihood, residual_impact, position)
      select r.tenant_id, ${uuidOf(`'vetted-scale-risk-' || k || '-' || p`)}, r.id, 'Risk ' || p || ' of Scale Tool ' || k,
             1 + (k + p) % 5, 1 + (k * 3 + p) % 5, 'Mitigation ' || p, 'Privacy officer',
             case when p = 0 then current_date + (k * 7) % 300 - 60 end, 1 + k % 3, 1 + p, p
      from assessment_revisions r join assessments a on a.tenant_id = r.tenant_id and a.id = r.assessment_id
      cross join lateral (select substring(a.title from 19)::int as k) n cross join generate_series(0, 1) p
      where r.tenant_id = ${tenant}
      on conflict do nothing`);
    return row!.n;
  });
}
