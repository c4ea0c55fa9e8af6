import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { supportGrants, users } from '../../db/schema/index.js';
import type { OperatorAccess } from '../../platform/authz.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type SupportGrantRow = typeof supportGrants.$inferSelect;

/**
 * Security: the one definition of the onboarding window (ADR 0007). It is open while the institution
 * has no site admin account at all (of any status): it closes when the first site admin accepts their
 * invitation and never reopens, since an institution always keeps an active site admin afterwards.
 */
export async function hasSiteAdminAccount(tx: Tx, tenantId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.role, 'site_admin')))
    .limit(1);
  return !!row;
}

/**
 * Security: an invitation the operator sent is good for the institution's first site admin only;
 * once the institution has a site admin, any other the operator sent is void, whatever the path that
 * would accept it (the emailed link or a single sign-on) (ADR 0007).
 */
export async function isVoidOperatorInvitation(tx: Tx, inv: { tenantId: string; role: string; invitedBy: string | null }): Promise<boolean> {
  if (!inv.invitedBy) return false;
  const [inviter] = await tx.select({ role: users.role }).from(users).where(eq(users.id, inv.invitedBy));
  return inviter?.role === 'platform_admin' && (inv.role !== 'site_admin' || (await hasSiteAdminAccount(tx, inv.tenantId)));
}

/** The institution's active support grant (not revoked, not expired), the latest if several. */
export async function findActiveSupportGrant(tx: Tx, tenantId: string, now = new Date()): Promise<SupportGrantRow | undefined> {
  const [row] = await tx
    .select()
    .from(supportGrants)
    .where(and(eq(supportGrants.tenantId, tenantId), isNull(supportGrants.revokedAt), gt(supportGrants.expiresAt, now)))
    .orderBy(desc(supportGrants.expiresAt))
    .limit(1);
  return row;
}

/** What the operator may do inside the institution now: computed on every request, never stored. */
export async function operatorAccessOf(tx: Tx, tenantId: string): Promise<OperatorAccess | null> {
  if (!(await hasSiteAdminAccount(tx, tenantId))) return 'onboarding';
  return (await findActiveSupportGrant(tx, tenantId)) ? 'support' : null;
}

export async function listSupportGrants(tx: Tx, scope: TenantScope): Promise<SupportGrantRow[]> {
  return tx.select().from(supportGrants).where(byTenant(supportGrants.tenantId, scope)).orderBy(desc(supportGrants.createdAt)).limit(200);
}

export async function findSupportGrant(tx: Tx, scope: TenantScope, id: string): Promise<SupportGrantRow | undefined> {
  const [row] = await tx.select().from(supportGrants).where(and(byTenant(supportGrants.tenantId, scope), eq(supportGrants.id, id)));
  return row;
}

export async function insertSupportGrant(tx: Tx, scope: TenantScope, values: Omit<typeof supportGrants.$inferInsert, 'tenantId'>): Promise<SupportGrantRow> {
  const [row] = await tx
    .insert(supportGrants)
    .values({ ...values, tenantId: scope.tenantId })
    .returning();
  return row!;
}

/** Ends the grant now; returns nothing when it was already revoked. */
export async function revokeSupportGrant(tx: Tx, scope: TenantScope, id: string, by: string | null): Promise<SupportGrantRow | undefined> {
  const now = new Date();
  const [row] = await tx
    .update(supportGrants)
    .set({ revokedAt: now, revokedBy: by, updatedAt: now })
    .where(and(byTenant(supportGrants.tenantId, scope), eq(supportGrants.id, id), isNull(supportGrants.revokedAt)))
    .returning();
  return row;
}

/** Names of the people who granted or revoked, for the list (users of the same institution). */
export async function namesOf(tx: Tx, scope: TenantScope, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, firstName: users.firstName, lastName: users.lastName })
    .from(users)
    .where(and(byTenant(users.tenantId, scope), sql`${users.id} in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`));
  return new Map(rows.map((r) => [r.id, `${r.firstName} ${r.lastName}`]));
}
