import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { institutions, inventoryItems, schools } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';

export type InstitutionRow = typeof institutions.$inferSelect;
export type SchoolRow = typeof schools.$inferSelect;

export async function findInstitution(tx: Tx, scope: TenantScope): Promise<InstitutionRow | undefined> {
  const [row] = await tx.select().from(institutions).where(eq(institutions.id, scope.tenantId));
  return row;
}

/** The caller's institution, refusing any change once it is being offboarded (read-only grace period). */
export async function findWritableInstitution(tx: Tx, scope: TenantScope): Promise<InstitutionRow> {
  const row = await findInstitution(tx, scope);
  if (!row) throw notFound('Institution');
  if (row.status !== 'active') throw new AppError('read_only', 'This institution is being offboarded and can no longer be changed');
  return row;
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
  return tx.select().from(schools).where(eq(schools.tenantId, scope.tenantId)).orderBy(asc(schools.position), asc(schools.name));
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
    await tx.delete(schools).where(and(eq(schools.tenantId, scope.tenantId), inArray(schools.id, removed)));
    for (const id of removed) {
      await tx
        .update(inventoryItems)
        .set({ schoolIds: sql`array_remove(${inventoryItems.schoolIds}, ${id}::uuid)` })
        .where(and(eq(inventoryItems.tenantId, scope.tenantId), sql`${id}::uuid = any(${inventoryItems.schoolIds})`));
    }
  }
  const existing = new Set(current.map((s) => s.id));
  for (const [position, s] of next.entries()) {
    if (existing.has(s.id)) {
      await tx
        .update(schools)
        .set({ name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo, position, updatedAt: new Date() })
        .where(and(eq(schools.tenantId, scope.tenantId), eq(schools.id, s.id)));
    } else {
      await tx.insert(schools).values({ tenantId: scope.tenantId, id: s.id, name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo, position });
    }
  }
}
