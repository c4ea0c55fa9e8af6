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
}

/** A system actor for jobs and commands. */
export function systemActor(label: string, source: Actor['source'] = 'job', tenantId: string | null = null): Actor {
  return { kind: 'system', userId: null, role: 'system', canApprove: false, tenantId, homeTenantId: null, label: `system:${label}`, requestId: `${source}-${Date.now()}`, source };
}

// Security: small named predicates, the only place roles are interpreted.
export const isPlatformAdmin = (a: Actor): boolean => a.role === 'platform_admin';
export const isSiteAdmin = (a: Actor): boolean => a.role === 'site_admin' && a.tenantId !== null && a.tenantId === a.homeTenantId;
export const isAppAdmin = (a: Actor): boolean => a.role === 'app_admin' && a.tenantId !== null && a.tenantId === a.homeTenantId;
/** Platform admins act inside an institution only after switching to it (onboarding; audited). */
const actsInTenant = (a: Actor): boolean => a.tenantId !== null;

export const policy = {
  manageInventory: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isAppAdmin(a) || isPlatformAdmin(a)),
  readInventory: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isAppAdmin(a) || isPlatformAdmin(a)),
  manageUsers: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isPlatformAdmin(a)),
  manageInstitution: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isPlatformAdmin(a)),
  manageInstitutions: (a: Actor) => isPlatformAdmin(a),
  /** The operator's own team: listed, and a lost second factor reset, by another platform admin. */
  managePlatformAdmins: (a: Actor) => isPlatformAdmin(a),
  manageCatalog: (a: Actor) => isPlatformAdmin(a),
  readCatalog: (a: Actor) => a.kind === 'user',
  /** Identity providers and the sign-in policy: the institution's own site admins. */
  manageSso: (a: Actor) => isSiteAdmin(a),
  readAudit: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isPlatformAdmin(a)),
  /** The master bank of PIAs: every signed-in user reads published versions; the operator curates it. */
  readBank: (a: Actor) => a.kind === 'user',
  manageBank: (a: Actor) => isPlatformAdmin(a),
  readAssessments: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isAppAdmin(a) || isPlatformAdmin(a)),
  manageAssessments: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isAppAdmin(a) || isPlatformAdmin(a)),
  /** Approval is the institution's decision alone: never a platform admin. */
  approve: (a: Actor) => isSiteAdmin(a) || (isAppAdmin(a) && a.canApprove),
  /** Reports are the institution's own; platform admins see run counts only (never report content). */
  runReports: (a: Actor) => actsInTenant(a) && (isSiteAdmin(a) || isAppAdmin(a)),
  readReportRunCounts: (a: Actor) => isPlatformAdmin(a),
  /** A full export holds every user and the audit log: the institution's site admins only. */
  exportData: (a: Actor) => actsInTenant(a) && isSiteAdmin(a),
} as const;
export type Ability = keyof typeof policy;

/** Throws 403 unless the actor has the ability. The first line of every service method. */
export function authorize(actor: Actor, ability: Ability): void {
  if (!policy[ability](actor)) throw forbidden();
}

/** The tenant scope of an actor that acts in an institution. */
export function scopeOf(actor: Actor): TenantScope {
  if (!actor.tenantId) throw forbidden('Choose an institution first');
  return unsafeTenantScope(actor.tenantId);
}
