import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { SsoDomainBody } from '../../../contracts/auth.js';
import { ssoAccountLinks, ssoConnections, ssoDomains, ssoIdentities } from '../../db/schema/index.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withSystem, withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { AppError, invalid, notFound, pgCode, pgConstraint } from '../../platform/errors.js';
import { unsafeFindInstitution } from '../tenants/institutions.repo.js';
import { challengeRecord, createDomainChecker, DOMAIN_CHECK_MESSAGES, type DomainCheckError, type DomainChecker } from './domain-dns.js';
import {
  findDomain,
  findDomainByName,
  listAccountLinks,
  listDomains,
  unsafeVerifiedElsewhere,
  verifiedAmong,
  type SsoDomainRow,
} from './sso-domains.repo.js';
import { findUser } from './users.repo.js';

const TAKEN = 'another institution has verified this domain';

export function presentDomain(d: SsoDomainRow): SsoDomainBody {
  const error = d.lastCheckError as DomainCheckError | null;
  return {
    id: d.id,
    domain: d.domain,
    status: d.status as 'pending',
    record: challengeRecord(d.domain, d.verificationToken),
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    method: d.verificationMethod as 'dns' | null,
    approvedBy: d.approvedByLabel,
    lastCheckedAt: d.lastCheckedAt?.toISOString() ?? null,
    lastCheckError: error,
    lastCheckMessage: error ? DOMAIN_CHECK_MESSAGES[error] : null,
    createdAt: d.createdAt.toISOString(),
  };
}

/** A unique-index refusal of a second verified claim, as the field message a client shows. */
function takenFromIndex(err: unknown): never {
  if (pgCode(err) === '23505' && pgConstraint(err) === 'sso_domains_verified_domain_key') throw invalid('domain', TAKEN, 'domain_taken');
  throw err;
}

/**
 * The connection's domains must be verified domains of its institution. Those it already listed may
 * stay while unverified (they count for nothing until verified); a newly listed one must be verified.
 */
export async function checkConnectionDomains(
  tx: Tx,
  scope: TenantScope,
  domains: readonly string[],
  before: readonly string[] = [],
): Promise<void> {
  const added = domains.filter((d) => !before.includes(d));
  const verified = await verifiedAmong(tx, scope, added);
  const missing = added.filter((d) => !verified.has(d));
  if (missing.length)
    throw new AppError(
      'validation',
      'Some fields are not valid',
      { emailDomains: `verify ${missing.join(', ')} first: a provider may only list your institution’s verified domains` },
      { emailDomains: 'domain_not_verified' },
    );
}

/**
 * Email domains of single sign-on: an institution claims a domain, proves it controls it with a DNS
 * TXT record (or a platform admin approves the claim), and only then may its providers vouch for
 * people of that domain. Site admins also link single accounts to a provider explicitly.
 */
export function createSsoDomainService(ctx: Pick<AppContext, 'db' | 'config'>, checker: DomainChecker = createDomainChecker(ctx.config)) {
  const { db } = ctx;

  /** Marks a claim verified in its institution's transaction, with its audit event. */
  async function markVerified(
    tx: Tx,
    actor: Actor,
    before: SsoDomainRow,
    how: { method: 'dns' | 'operator'; approvedByUserId: string | null; approvedByLabel: string | null },
  ) {
    const [after] = await tx
      .update(ssoDomains)
      .set({
        status: 'verified',
        verifiedAt: new Date(),
        verificationMethod: how.method,
        approvedByUserId: how.approvedByUserId,
        approvedByLabel: how.approvedByLabel,
        lastCheckedAt: how.method === 'dns' ? new Date() : before.lastCheckedAt,
        lastCheckError: null,
        updatedAt: new Date(),
      })
      .where(and(eq(ssoDomains.tenantId, before.tenantId), eq(ssoDomains.id, before.id)))
      .returning();
    await recordAudit(tx, actor, {
      action: how.method === 'dns' ? 'sso_domain.verify' : 'sso_domain.approve',
      recordType: 'sso_domain',
      recordId: before.id,
      tenantId: before.tenantId,
      before: { ...before },
      after: { ...after! },
    });
    return after!;
  }

  return {
    async list(actor: Actor): Promise<SsoDomainBody[]> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      return (await withTenant(db, scope, (tx) => listDomains(tx, scope))).map(presentDomain);
    },

    /** Claims a domain: pending until its TXT record is found or a platform admin approves it. */
    async claim(actor: Actor, domain: string): Promise<SsoDomainBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      if (await withSystem(db, (tx) => unsafeVerifiedElsewhere(tx, scope.tenantId, domain))) throw invalid('domain', TAKEN, 'domain_taken');
      return withTenant(db, scope, async (tx) => {
        if (await findDomainByName(tx, scope, domain))
          throw invalid('domain', 'your institution has already claimed this domain', 'domain_claimed');
        const [row] = await tx
          .insert(ssoDomains)
          .values({ tenantId: scope.tenantId, id: randomUUID(), domain, verificationToken: randomBytes(20).toString('hex') })
          .returning();
        await recordAudit(tx, actor, { action: 'sso_domain.claim', recordType: 'sso_domain', recordId: row!.id, after: { ...row! } });
        return presentDomain(row!);
      });
    },

    /** Looks for the claim's TXT record (outside any transaction), then records the outcome with its audit event. */
    async verify(actor: Actor, id: string): Promise<SsoDomainBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      const claim = await withTenant(db, scope, (tx) => findDomain(tx, scope, id));
      if (!claim) throw notFound('Domain');
      if (claim.status === 'verified') return presentDomain(claim);
      if (await withSystem(db, (tx) => unsafeVerifiedElsewhere(tx, scope.tenantId, claim.domain)))
        throw invalid('domain', TAKEN, 'domain_taken');
      const problem = await checker(claim.domain, claim.verificationToken);
      try {
        return await withTenant(db, scope, async (tx) => {
          const before = await findDomain(tx, scope, id);
          if (!before) throw notFound('Domain');
          if (before.status === 'verified') return presentDomain(before);
          if (!problem)
            return presentDomain(await markVerified(tx, actor, before, { method: 'dns', approvedByUserId: null, approvedByLabel: null }));
          const [after] = await tx
            .update(ssoDomains)
            .set({ lastCheckedAt: new Date(), lastCheckError: problem, updatedAt: new Date() })
            .where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.id, id)))
            .returning();
          await recordAudit(tx, actor, {
            action: 'sso_domain.check',
            recordType: 'sso_domain',
            recordId: id,
            before: { ...before },
            after: { ...after! },
          });
          return presentDomain(after!);
        });
      } catch (err) {
        return takenFromIndex(err);
      }
    },

    /** Gives up a claim; refused while a provider lists the domain. */
    async release(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        const claim = await findDomain(tx, scope, id);
        if (!claim) throw notFound('Domain');
        const [used] = await tx
          .select({ id: ssoConnections.id })
          .from(ssoConnections)
          .where(and(byTenant(ssoConnections.tenantId, scope), sql`${claim.domain} = any(${ssoConnections.emailDomains})`));
        if (used) throw invalid('domain', 'an identity provider still lists this domain: remove it there first', 'domain_in_use');
        await tx.delete(ssoDomains).where(and(byTenant(ssoDomains.tenantId, scope), eq(ssoDomains.id, id)));
        await recordAudit(tx, actor, { action: 'sso_domain.release', recordType: 'sso_domain', recordId: id, before: { ...claim } });
      });
    },

    /** The domain claims of one institution, for the operator console (platform admins). */
    async listForInstitution(actor: Actor, institutionId: string): Promise<SsoDomainBody[]> {
      authorize(actor, 'manageInstitutions');
      return withSystem(db, async (tx) => {
        const inst = await unsafeFindInstitution(tx, institutionId);
        if (!inst || inst.status === 'purged') throw notFound('Institution');
        return (await listDomains(tx, unsafeTenantScope(institutionId))).map(presentDomain);
      });
    },

    /**
     * A platform admin approves a claim (having checked, outside Vetted, that the institution controls
     * the domain). Recorded with who and when, in the institution's own audit log.
     */
    async approve(actor: Actor, institutionId: string, id: string): Promise<SsoDomainBody> {
      authorize(actor, 'manageInstitutions');
      try {
        return await withSystem(db, async (tx) => {
          const inst = await unsafeFindInstitution(tx, institutionId);
          if (!inst || inst.status === 'purged') throw notFound('Institution');
          const before = await findDomain(tx, unsafeTenantScope(institutionId), id);
          if (!before) throw notFound('Domain');
          if (before.status === 'verified') return presentDomain(before);
          if (await unsafeVerifiedElsewhere(tx, institutionId, before.domain)) throw invalid('domain', TAKEN, 'domain_taken');
          return presentDomain(
            await markVerified(tx, actor, before, { method: 'operator', approvedByUserId: actor.userId, approvedByLabel: actor.label }),
          );
        });
      } catch (err) {
        return takenFromIndex(err);
      }
    },

    async listLinks(actor: Actor, connectionId: string) {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        await connectionOf(tx, scope, connectionId);
        const rows = await listAccountLinks(tx, scope, connectionId);
        return rows.map(({ link, user }) => ({
          userId: user.id,
          email: user.email,
          firstName: user.firstName,
          lastName: user.lastName,
          createdAt: link.createdAt.toISOString(),
        }));
      });
    },

    /** Lets one connection sign in one account whatever its email domain (audited). */
    async link(actor: Actor, connectionId: string, userId: string) {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        await connectionOf(tx, scope, connectionId);
        const user = await findUser(tx, scope, userId);
        if (!user) throw notFound('User');
        const [row] = await tx
          .insert(ssoAccountLinks)
          .values({ tenantId: scope.tenantId, connectionId, userId, createdByUserId: actor.userId })
          .onConflictDoNothing()
          .returning();
        if (row)
          await recordAudit(tx, actor, {
            action: 'user.sso_link_allow',
            recordType: 'user',
            recordId: userId,
            after: { connectionId, email: user.email },
          });
        return {
          userId,
          email: user.email,
          firstName: user.firstName,
          lastName: user.lastName,
          createdAt: (row?.createdAt ?? new Date()).toISOString(),
        };
      });
    },

    /** Withdraws an explicit link, with the account's subjects at that connection (its next sign-in there is refused). */
    async unlink(actor: Actor, connectionId: string, userId: string): Promise<void> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        await connectionOf(tx, scope, connectionId);
        const gone = await tx
          .delete(ssoAccountLinks)
          .where(
            and(
              byTenant(ssoAccountLinks.tenantId, scope),
              eq(ssoAccountLinks.connectionId, connectionId),
              eq(ssoAccountLinks.userId, userId),
            ),
          )
          .returning();
        if (!gone.length) throw notFound('Link');
        const subjects = await tx
          .delete(ssoIdentities)
          .where(
            and(byTenant(ssoIdentities.tenantId, scope), eq(ssoIdentities.connectionId, connectionId), eq(ssoIdentities.userId, userId)),
          )
          .returning({ subject: ssoIdentities.subject });
        await recordAudit(tx, actor, {
          action: 'user.sso_link_withdraw',
          recordType: 'user',
          recordId: userId,
          before: { connectionId, subjects: subjects.length },
        });
      });
    },
  };
}

async function connectionOf(tx: Tx, scope: TenantScope, id: string) {
  const [row] = await tx
    .select({ id: ssoConnections.id })
    .from(ssoConnections)
    .where(and(byTenant(ssoConnections.tenantId, scope), eq(ssoConnections.id, id)));
  if (!row) throw notFound('Identity provider');
}
export type SsoDomainService = ReturnType<typeof createSsoDomainService>;
