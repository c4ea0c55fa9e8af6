import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { ssoAccountLinks, ssoDomains, users } from '../../db/schema/index.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type SsoDomainRow = typeof ssoDomains.$inferSelect;

/** The email domain of an address, lower case ('' when there is none). */
export const domainOf = (email: string): string => (email.split('@')[1] ?? '').toLowerCase().replace(/\.$/, '');

export async function listDomains(tx: Tx, scope: TenantScope): Promise<SsoDomainRow[]> {
  return tx.select().from(ssoDomains).where(byTenant(ssoDomains.tenantId, scope)).orderBy(asc(ssoDomains.domain));
}

export async function findDomain(tx: Tx, scope: TenantScope, id: string): Promise<SsoDomainRow | undefined> {
  const [row] = await tx
    .select()
    .from(ssoDomains)
    .where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.id, id)));
  return row;
}

export async function findDomainByName(tx: Tx, scope: TenantScope, domain: string): Promise<SsoDomainRow | undefined> {
  const [row] = await tx
    .select()
    .from(ssoDomains)
    .where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.domain, domain)));
  return row;
}

/** The institution's verified domains among `domains`. */
export async function verifiedAmong(tx: Tx, scope: TenantScope, domains: readonly string[]): Promise<Set<string>> {
  if (!domains.length) return new Set();
  const rows = await tx
    .select({ domain: ssoDomains.domain })
    .from(ssoDomains)
    .where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.status, 'verified'), inArray(ssoDomains.domain, [...domains])));
  return new Set(rows.map((r) => r.domain));
}

/**
 * Whether another institution has verified `domain`. Cross-tenant (system scope): it answers yes or
 * no only, so a claim can be refused with a clear message before the unique index refuses it.
 */
export async function unsafeVerifiedElsewhere(tx: Tx, tenantId: string, domain: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: ssoDomains.id })
    .from(ssoDomains)
    .where(and(eq(ssoDomains.domain, domain), eq(ssoDomains.status, 'verified'), ne(ssoDomains.tenantId, tenantId)));
  return !!row;
}

/** Whether a site admin let this connection sign in this account explicitly. */
export async function hasAccountLink(tx: Tx, scope: TenantScope, connectionId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: ssoAccountLinks.userId })
    .from(ssoAccountLinks)
    .where(
      and(byTenant(ssoAccountLinks.tenantId, scope), eq(ssoAccountLinks.connectionId, connectionId), eq(ssoAccountLinks.userId, userId)),
    );
  return !!row;
}

export async function listAccountLinks(tx: Tx, scope: TenantScope, connectionId: string) {
  return tx
    .select({ link: ssoAccountLinks, user: users })
    .from(ssoAccountLinks)
    .innerJoin(users, eq(users.id, ssoAccountLinks.userId))
    .where(and(byTenant(ssoAccountLinks.tenantId, scope), eq(ssoAccountLinks.connectionId, connectionId)))
    .orderBy(asc(users.lastName), asc(users.firstName));
}

/**
 * Whether a connection may sign in the holder of `email`: the domain is one the connection lists
 * and the institution has verified. Both conditions are checked in the database, in one query.
 */
export async function connectionCovers(
  tx: Tx,
  scope: TenantScope,
  connection: { id: string; emailDomains: readonly string[] },
  email: string,
): Promise<boolean> {
  const domain = domainOf(email);
  if (!domain || !connection.emailDomains.map((d) => d.toLowerCase()).includes(domain)) return false;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(ssoDomains)
    .where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.domain, domain), eq(ssoDomains.status, 'verified')));
  return (row?.n ?? 0) > 0;
}
