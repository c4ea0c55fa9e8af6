import { and, asc, eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type UserRow = typeof users.$inferSelect;

/** Cross-tenant lookup by email, for sign-in and invitation checks only (system scope). */
export async function unsafeFindUserByEmail(tx: Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

/** Cross-tenant lookup by id, for session loading only (system scope). */
export async function unsafeFindUserById(tx: Tx, id: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(eq(users.id, id));
  return row;
}

/** Every platform admin (the operator's team; system scope only). */
export async function unsafeListPlatformAdmins(tx: Tx): Promise<UserRow[]> {
  return tx.select().from(users).where(eq(users.role, 'platform_admin')).orderBy(asc(users.lastName), asc(users.firstName));
}

export async function listUsers(tx: Tx, scope: TenantScope): Promise<UserRow[]> {
  return tx.select().from(users).where(byTenant(users.tenantId, scope)).orderBy(asc(users.lastName), asc(users.firstName));
}

export async function findUser(tx: Tx, scope: TenantScope, id: string): Promise<UserRow | undefined> {
  const [row] = await tx.select().from(users).where(and(byTenant(users.tenantId, scope), eq(users.id, id)));
  return row;
}

export async function countActiveSiteAdmins(tx: Tx, scope: TenantScope): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(byTenant(users.tenantId, scope), eq(users.role, 'site_admin'), eq(users.status, 'active')));
  return row?.n ?? 0;
}

export async function updateUser(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<Pick<UserRow, 'role' | 'canApprove' | 'status'>>,
): Promise<UserRow | undefined> {
  const [row] = await tx
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(byTenant(users.tenantId, scope), eq(users.id, id)))
    .returning();
  return row;
}
