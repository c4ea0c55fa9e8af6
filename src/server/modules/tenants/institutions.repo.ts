import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { institutions, inventoryItems, offboardings, schools } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type InstitutionRow = typeof institutions.$inferSelect;
export type SchoolRow = typeof schools.$inferSelect;

export async function findInstitution(tx: Tx, scope: TenantScope): Promise<InstitutionRow | undefined> {
  const [row] = await tx.select().from(institutions).where(byTenant(institutions.id, scope));
  return row;
}

/** What a person is told when a change is refused because the institution is read-only. */
export const READ_ONLY_MESSAGE = 'This institution has reached its end of service: its data can still be read and exported, but no longer changed.';

/** The read-only period of an institution: from its end of service until its purge. */
export interface ReadOnlyPeriod {
  since: Date;
  purgeAfter: Date;
}

/**
 * The one definition of "read-only": the institution's offboarding is confirmed and its end of
 * service has come, or its purge has deleted the offboarding already (the institution is still
 * `offboarding` without one). Every check — the request guard of the lifecycle module, the session
 * body the web client reads, accepting an invitation — asks this.
 */
export async function readOnlyPeriodOf(tx: Tx, tenantId: string): Promise<ReadOnlyPeriod | null> {
  const [row] = await tx
    .select({ status: offboardings.status, since: offboardings.endOfServiceAt, purgeAfter: offboardings.purgeAfter })
    .from(institutions)
    .leftJoin(offboardings, eq(offboardings.tenantId, institutions.id))
    .where(and(eq(institutions.id, tenantId), eq(institutions.status, 'offboarding')));
  if (!row) return null;
  if (!row.since || !row.purgeAfter) return { since: new Date(), purgeAfter: new Date() };
  return row.status === 'scheduled' && row.since.getTime() <= Date.now() ? { since: row.since, purgeAfter: row.purgeAfter } : null;
}

/** Every institution (operator console; system scope only). */
export async function unsafeListInstitutions(tx: Tx): Promise<InstitutionRow[]> {
  return tx.select().from(institutions).where(sql`${institutions.status} <> 'purged'`).orderBy(asc(institutions.name));
}

export async function unsafeFindInstitution(tx: Tx, id: string): Promise<InstitutionRow | undefined> {
  const [row] = await tx.select().from(institutions).where(eq(institutions.id, id));
  return row;
}

export async function listSchools(tx: Tx, scope: TenantScope): Promise<SchoolRow[]> {
  return tx.select().from(schools).where(byTenant(schools.tenantId, scope)).orderBy(asc(schools.position), asc(schools.name));
}

/** Schools of many institutions at once (operator console). */
export async function unsafeListSchoolsOf(tx: Tx, tenantIds: string[]): Promise<SchoolRow[]> {
  if (tenantIds.length === 0) return [];
  return tx.select().from(schools).where(inArray(schools.tenantId, tenantIds)).orderBy(asc(schools.position), asc(schools.name));
}

/** Replaces the schools list: updates kept ids, inserts new ones, deletes the rest (and drops them from inventory items). */
export async function replaceSchools(
  tx: Tx,
  scope: TenantScope,
  next: { id: string; name: string; gradeFrom: string; gradeTo: string }[],
): Promise<void> {
  const current = await listSchools(tx, scope);
  const keep = new Set(next.map((s) => s.id));
  const removed = current.filter((s) => !keep.has(s.id)).map((s) => s.id);
  if (removed.length) {
    await tx.delete(schools).where(and(byTenant(schools.tenantId, scope), inArray(schools.id, removed)));
    for (const id of removed) {
      await tx
        .update(inventoryItems)
        .set({ schoolIds: sql`array_remove(${inventoryItems.schoolIds}, ${id}::uuid)` })
        .where(and(byTenant(inventoryItems.tenantId, scope), sql`${id}::uuid = any(${inventoryItems.schoolIds})`));
    }
  }
  const existing = new Set(current.map((s) => s.id));
  for (const [position, s] of next.entries()) {
    if (existing.has(s.id)) {
      await tx
        .update(schools)
        .set({ name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo, position, updatedAt: new Date() })
        .where(and(byTenant(schools.tenantId, scope), eq(schools.id, s.id)));
    } else {
      await tx.insert(schools).values({ tenantId: scope.tenantId, id: s.id, name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo, position });
    }
  }
}
