import type { InvitationBody, SessionBody, UserBody } from '../../../contracts/api.js';
import type { InstitutionRole, Language, Region, Role } from '../../../contracts/domain.js';
import type { institutions, invitations, users } from '../../db/schema/index.js';
import { policy, type Actor } from '../../platform/authz.js';
import { iso } from '../../platform/dates.js';
import type { ReadOnlyPeriod } from '../tenants/institutions.repo.js';

type UserRow = typeof users.$inferSelect;
type InvitationRow = typeof invitations.$inferSelect;
type InstitutionRow = typeof institutions.$inferSelect;
/** An institution as the session shows it: with its read-only period, if it is in one. */
export type SessionInstitution = InstitutionRow & { readOnly: ReadOnlyPeriod | null };

/** The only way a user leaves the server: no password hash, nothing else. */
export function presentUser(u: UserRow): UserBody {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role as Role,
    canApprove: u.canApprove,
    status: u.status as UserBody['status'],
    mfaEnabled: !!u.mfaEnabledAt,
    createdAt: iso(u.createdAt),
  };
}

export function presentInvitation(i: InvitationRow, now = new Date()): InvitationBody {
  const status = i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : i.expiresAt.getTime() < now.getTime() ? 'expired' : 'pending';
  return {
    id: i.id,
    email: i.email,
    firstName: i.firstName,
    lastName: i.lastName,
    role: i.role as InstitutionRole,
    canApprove: i.canApprove,
    status,
    expiresAt: iso(i.expiresAt),
    createdAt: iso(i.createdAt),
  };
}

/** The session body, with the caller's abilities computed once on the server. */
export function presentSession(actor: Actor, user: UserRow, institution: SessionInstitution | null, csrfToken: string): SessionBody {
  return {
    user: {
      id: user.id,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: user.role as Role,
      canApprove: user.canApprove,
      language: (user.language ?? null) as Language | null,
    },
    institution: institution
      ? {
          id: institution.id,
          name: institution.name,
          region: institution.region as Region,
          status: institution.status as 'active',
          readOnly: institution.readOnly ? { since: iso(institution.readOnly.since), purgeAfter: iso(institution.readOnly.purgeAfter) } : null,
        }
      : null,
    csrfToken,
    operatorAccess: actor.operatorAccess ?? null,
    abilities: {
      manageInventory: policy.manageInventory(actor),
      manageUsers: policy.manageUsers(actor),
      manageInstitutions: policy.manageInstitutions(actor),
      manageCatalog: policy.manageCatalog(actor),
      approve: policy.approve(actor),
      manageSso: policy.manageSso(actor),
    },
  };
}
