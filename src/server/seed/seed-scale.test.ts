import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase } from '../../../test/support/test-db.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Database } from '../platform/db.js';
import { scaleInstitutionId, scalePlanOf, seedScale, seedScaleAssessments } from './seed-scale.js';

const plan = scalePlanOf('6x230');
let shared: Database;
let alone: Database;
beforeAll(async () => {
  [shared, alone] = await Promise.all([openTestDatabase(), openTestDatabase()]);
});
afterAll(async () => {
  await shared?.close();
  await alone?.close();
});

/** A digest of an institution's inventory, as the institution sees it. */
const digest = async (db: Database, tenantId: string) => {
  const [row] = await withTenant(db.db, unsafeTenantScope(tenantId), (tx) =>
    queryRows<{ n: number; d: string }>(
      tx,
      sql`select count(*)::int as n, md5(string_agg(concat_ws('|', id, name, vendor, grades, school_ids, audiences, data_elements, status, next_review_on, agreement_expires_on, is_public), ',' order by id)) as d from inventory_items`,
    ),
  );
  return row!;
};

describe('scale data', () => {
  it('loads the plan with the largest institution first, the same rows as that institution alone, and refuses a second load', async () => {
    expect(plan).toEqual({ institutions: 6, items: 230, largest: 225 });
    expect(scalePlanOf('large')).toEqual({ institutions: 2000, items: 1_000_000, largest: 20_000 });
    expect(() => scalePlanOf('huge')).toThrow(/Unknown scale/);

    const result = await seedScale(shared.db, plan);
    expect(result).toMatchObject({ institutions: 6, items: 230 });
    const perInstitution = await withSystem(shared.db, (tx) =>
      queryRows<{ id: string; n: number }>(
        tx,
        sql`select i.id::text as id, count(x.id)::int as n from institutions i left join inventory_items x on x.tenant_id = i.id group by i.id order by n desc`,
      ),
    );
    expect(perInstitution.map((r) => r.n)).toEqual([225, 1, 1, 1, 1, 1]);
    const largestId = await scaleInstitutionId(shared.db, 1);
    expect(perInstitution[0]!.id).toBe(largestId);
    // Ids the API's contracts accept (version 4 uuids).
    for (const r of perInstitution) expect(z.uuid().safeParse(r.id).success).toBe(true);

    const one = await seedScale(alone.db, plan, { only: 'largest' });
    expect(one).toMatchObject({ institutions: 1, items: 225, largestId });
    expect(await digest(alone, largestId)).toEqual(await digest(shared, largestId));
    expect((await digest(shared, largestId)).n).toBe(225);
    // The largest institution's assessments and risks, the same on both sides, and no one else's.
    const risks = async (db: Database) =>
      withSystem(db.db, (tx) =>
        queryRows<{ tenant: string; assessments: number; risks: number; d: string }>(
          tx,
          sql`select a.tenant_id::text as tenant, count(distinct a.id)::int as assessments, count(r.id)::int as risks,
                md5(string_agg(concat_ws('|', a.id, a.inventory_item_id, a.status, r.id, r.likelihood, r.impact, r.due_on), ',' order by r.id)) as d
              from assessments a join assessment_revisions v on v.tenant_id = a.tenant_id and v.assessment_id = a.id and v.number = a.current_revision
              join assessment_risks r on r.tenant_id = v.tenant_id and r.revision_id = v.id group by a.tenant_id`,
        ),
      );
    const sharedRisks = await risks(shared);
    expect(sharedRisks).toEqual([{ tenant: largestId, assessments: 22, risks: 44, d: expect.any(String) }]);
    expect(await risks(alone)).toEqual(sharedRisks);
    // Seeded again, nothing doubles.
    expect(await seedScaleAssessments(alone.db)).toBe(0);
    expect(await risks(alone)).toEqual(sharedRisks);

    await expect(seedScale(shared.db, plan)).rejects.toThrow(/holds the scale data already/);
  });
});
