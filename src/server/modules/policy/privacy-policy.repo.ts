/** Queries of Vetted's privacy-policy versions (shared) and the notices of site admins (tenant data). */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { institutions, mailOutbox, privacyPolicyNotices, privacyPolicyVersions, users } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type VersionRow = typeof privacyPolicyVersions.$inferSelect;

/** The idempotency key of a site admin's email about a version: one logical mail per pair. */
export const noticeMailKey = (versionId: string, userId: string) => `privacy-policy:${versionId}:${userId}`;

/** Every version, newest first. */
export async function listVersions(tx: Tx): Promise<VersionRow[]> {
  return tx.select().from(privacyPolicyVersions).orderBy(desc(privacyPolicyVersions.number));
}

export async function findVersionByNumber(tx: Tx, number: number): Promise<VersionRow | undefined> {
  const [row] = await tx.select().from(privacyPolicyVersions).where(eq(privacyPolicyVersions.number, number));
  return row;
}

/**
 * The next version number. A transaction-scoped advisory lock serialises publications, so two
 * operators publishing at once get 2 and 3, never a conflict.
 */
export async function systemNextNumber(tx: Tx): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('privacy_policy_versions'))`);
  const [r] = await tx.select({ n: sql<number>`coalesce(max(${privacyPolicyVersions.number}), 0)::int` }).from(privacyPolicyVersions);
  return (r?.n ?? 0) + 1;
}

/** Every active site admin of every active institution: who a significant version is sent to. */
export async function systemSiteAdminsToTell(tx: Tx) {
  return tx
    .select({
      userId: users.id,
      tenantId: institutions.id,
      email: users.email,
      firstName: users.firstName,
      language: users.language,
      institutionName: institutions.name,
      country: institutions.country,
      subdivision: institutions.subdivision,
    })
    .from(users)
    .innerJoin(institutions, eq(institutions.id, users.tenantId))
    .where(and(eq(users.role, 'site_admin'), eq(users.status, 'active'), eq(institutions.status, 'active')))
    .orderBy(institutions.id, users.id);
}

/** Adds a notice; false when it exists already. */
export async function systemAddNotice(tx: Tx, n: { tenantId: string; versionId: string; userId: string }): Promise<boolean> {
  const rows = await tx.insert(privacyPolicyNotices).values(n).onConflictDoNothing().returning({ userId: privacyPolicyNotices.userId });
  return rows.length > 0;
}

/** The signed-in site admin's notices not yet acknowledged, newest first. */
export async function pendingNoticesOf(tx: Tx, scope: TenantScope, userId: string) {
  return tx
    .select({ version: privacyPolicyVersions })
    .from(privacyPolicyNotices)
    .innerJoin(privacyPolicyVersions, eq(privacyPolicyVersions.id, privacyPolicyNotices.versionId))
    .where(and(byTenant(privacyPolicyNotices.tenantId, scope), eq(privacyPolicyNotices.userId, userId), isNull(privacyPolicyNotices.acknowledgedAt)))
    .orderBy(desc(privacyPolicyVersions.number));
}

/** Acknowledges a notice; false when there is none waiting. */
export async function acknowledgeNotice(tx: Tx, scope: TenantScope, userId: string, versionId: string): Promise<boolean> {
  const rows = await tx
    .update(privacyPolicyNotices)
    .set({ acknowledgedAt: new Date(), updatedAt: new Date() })
    .where(
      and(
        byTenant(privacyPolicyNotices.tenantId, scope),
        eq(privacyPolicyNotices.userId, userId),
        eq(privacyPolicyNotices.versionId, versionId),
        isNull(privacyPolicyNotices.acknowledgedAt),
      ),
    )
    .returning({ userId: privacyPolicyNotices.userId });
  return rows.length > 0;
}

/** Per recipient of a version: who, where, the state of their email, and whether they acknowledged. */
export async function systemDeliveriesOf(tx: Tx, versionId: string) {
  return tx
    .select({
      email: users.email,
      institutionName: institutions.name,
      status: mailOutbox.status,
      acknowledgedAt: privacyPolicyNotices.acknowledgedAt,
    })
    .from(privacyPolicyNotices)
    .innerJoin(users, eq(users.id, privacyPolicyNotices.userId))
    .innerJoin(institutions, eq(institutions.id, privacyPolicyNotices.tenantId))
    .leftJoin(mailOutbox, eq(mailOutbox.idempotencyKey, sql`'privacy-policy:' || ${privacyPolicyNotices.versionId}::text || ':' || ${privacyPolicyNotices.userId}::text`))
    .where(eq(privacyPolicyNotices.versionId, versionId))
    .orderBy(institutions.name, users.email);
}
