import type { SystemActorName } from '../../contracts/audit.js';
import type { Role } from '../../contracts/domain.js';
import { unsafeTenantScope, type TenantScope } from './db.js';
import { forbidden } from './errors.js';

/** Who is acting: one object that travels from the route to the service and the audit log. */
export interface Actor {
  kind: 'user' | 'system';
  userId: string | null;
  role: Role | 'system';
  canApprove: boolean;
  /** The institution the actor acts in now (a platform admin picks one; null until then). */
  tenantId: string | null;
  /** The user's own institution (null for platform admins and system jobs). */
  homeTenantId: string | null;
  /** Shown in the audit log. */
  label: string;
  requestId: string;
  source: 'web' | 'api' | 'job' | 'cli' | 'seed';
  /**
   * What a platform admin may do inside `tenantId` right now, computed on every request (never
   * stored in the session): `onboarding` while the institution has no site admin account yet,
   * `support` under an active grant of its site admins (read-only), otherwise nothing.
   */
  operatorAccess?: OperatorAccess | null;
}

/** The operator's access inside an institution (ADR 0007). */
export type OperatorAccess = 'onboarding' | 'support';

/** A system actor for jobs and commands. */
export function systemActor(label: SystemActorName, source: Actor['source'] = 'job', tenantId: string | null = null): Actor {
  return { kind: 'system', userId: null, role: 'system', canApprove: false, tenantId, homeTenantId: null, label: `system:${label}`, requestId: `${source}-${Date.now()}`, source };
}

// Security: small named predicates, the only place roles are interpreted.
export const isPlatformAdmin = (a: Actor): boolean => a.role === 'platform_admin';
export const isSiteAdmin = (a: Actor): boolean => a.role === 'site_admin' && a.tenantId !== null && a.tenantId === a.homeTenantId;
export const isAppAdmin = (a: Actor): boolean => a.role === 'app_admin' && a.tenantId !== null && a.tenantId === a.homeTenantId;
/** Someone acts in an institution: its own people, or a platform admin who switched to it. */
const actsInTenant = (a: Actor): boolean => a.tenantId !== null;
/** Its own people: a site admin or an app admin of the institution they act in. */
const isMember = (a: Actor): boolean => isSiteAdmin(a) || isAppAdmin(a);
/**
 * Security: the operator inside an institution. During onboarding (no site admin account yet) it may
 * load data; under a support grant it reads; otherwise it has nothing there. It never decides, signs
 * off, or changes anyone's rights (ADR 0007).
 */
export const operatorOnboarding = (a: Actor): boolean => isPlatformAdmin(a) && actsInTenant(a) && a.operatorAccess === 'onboarding';
export const operatorReads = (a: Actor): boolean =>
  isPlatformAdmin(a) && actsInTenant(a) && (a.operatorAccess === 'onboarding' || a.operatorAccess === 'support');

export const policy = {
  manageInventory: (a: Actor) => actsInTenant(a) && (isMember(a) || operatorOnboarding(a)),
  readInventory: (a: Actor) => actsInTenant(a) && (isMember(a) || operatorReads(a)),
  /** Rights of the institution's people (roles, approver right, status, invitations): its site admins alone. */
  manageUsers: (a: Actor) => actsInTenant(a) && isSiteAdmin(a),
  readUsers: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || operatorReads(a)),
  /** The first site admin of an institution, during onboarding only (the service checks there is none). */
  inviteFirstSiteAdmin: (a: Actor) => operatorOnboarding(a),
  /** Settings, offboarding request, portability archive: the institution's site admins. */
  manageInstitution: (a: Actor) => actsInTenant(a) && isSiteAdmin(a),
  /** Name, grades and schools: the site admins, and the operator while it onboards the institution. */
  editInstitutionProfile: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || operatorOnboarding(a)),
  manageInstitutions: (a: Actor) => isPlatformAdmin(a),
  /** The operator's own team: listed, and a lost second factor reset, by another platform admin. */
  managePlatformAdmins: (a: Actor) => isPlatformAdmin(a),
  manageCatalog: (a: Actor) => isPlatformAdmin(a),
  /** The mail the service sent (embedded mode): the operator's mailbox. */
  readMailbox: (a: Actor) => isPlatformAdmin(a),
  /** Vetted's own privacy policy: the operator publishes its versions. */
  publishPrivacyPolicy: (a: Actor) => isPlatformAdmin(a),
  /** The notice of a significant privacy-policy change: shown to, and acknowledged by, site admins in their own institution. */
  acknowledgePrivacyNotice: (a: Actor) => isSiteAdmin(a),
  /** Reminders and the notification centre: the institution's own people, each their own (never the operator). */
  receiveReminders: (a: Actor) => isMember(a) && a.userId !== null,
  readCatalog: (a: Actor) => a.kind === 'user',
  /** Identity providers and the sign-in policy: the institution's own site admins. */
  manageSso: (a: Actor) => isSiteAdmin(a),
  /** Support access of the operator: granted, listed and revoked by the institution's site admins alone. */
  manageSupportAccess: (a: Actor) => isSiteAdmin(a),
  readAudit: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || operatorReads(a)),
  /** The master bank of PIAs: every signed-in user reads published versions; the operator curates it. */
  readBank: (a: Actor) => a.kind === 'user',
  manageBank: (a: Actor) => isPlatformAdmin(a),
  readAssessments: (a: Actor) => actsInTenant(a) && (isMember(a) || operatorReads(a)),
  manageAssessments: (a: Actor) => actsInTenant(a) && (isMember(a) || operatorOnboarding(a)),
  /** Submitting or reopening signs the assessment in the institution's name: its own people alone. */
  signOffAssessments: (a: Actor) => actsInTenant(a) && isMember(a),
  /** Approval is the institution's decision alone: never a platform admin. */
  approve: (a: Actor) => isSiteAdmin(a) || (isAppAdmin(a) && a.canApprove),
  /** Reports are the institution's own; platform admins see run counts only (never report content). */
  runReports: (a: Actor) => actsInTenant(a) && isMember(a),
  readReportRunCounts: (a: Actor) => isPlatformAdmin(a),
  /** A full export holds every user and the audit log: the institution's site admins only. */
  exportData: (a: Actor) => actsInTenant(a) && isSiteAdmin(a),
} as const;
export type Ability = keyof typeof policy;

/** Why the operator is refused inside an institution, in words that say what it may do there. */
export function operatorRefusal(a: Actor): string {
  if (a.operatorAccess === 'support')
    return 'Support access is read-only: the operator cannot change anything, decide, sign off or change anyone’s rights in this institution.';
  if (a.operatorAccess === 'onboarding')
    return 'During onboarding the operator loads data and invites the first site administrator; it never decides, signs off or changes anyone’s rights.';
  return 'The operator has no access to this institution’s data. One of its site administrators can grant time-limited support access.';
}

/** Throws 403 unless the actor has the ability. The first line of every service method. */
export function authorize(actor: Actor, ability: Ability): void {
  if (!policy[ability](actor)) throw forbidden(isPlatformAdmin(actor) && actor.tenantId ? operatorRefusal(actor) : undefined);
}

/** The tenant scope of an actor that acts in an institution. */
export function scopeOf(actor: Actor): TenantScope {
  if (!actor.tenantId) throw forbidden('Choose an institution first');
  return unsafeTenantScope(actor.tenantId);
}
