import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { authorize, isAppAdmin, isPlatformAdmin, isSiteAdmin, policy, scopeOf, systemActor, type Ability, type Actor } from './authz.js';

const T = '0b8f8f2e-0d4a-4a4e-9a57-0c6f5c1d0001';
const OTHER = '0b8f8f2e-0d4a-4a4e-9a57-0c6f5c1d0002';

const user = (over: Partial<Actor>): Actor => ({
  kind: 'user',
  userId: 'u',
  role: 'app_admin',
  canApprove: false,
  tenantId: T,
  homeTenantId: T,
  label: 'someone',
  requestId: 'r',
  source: 'web',
  ...over,
});

/** Every kind of actor the rules must tell apart, including inconsistent ones they must refuse. */
const actors = {
  operator: user({ role: 'platform_admin', tenantId: null, homeTenantId: null }),
  operatorInTenant: user({ role: 'platform_admin', tenantId: T, homeTenantId: null }),
  operatorOnboarding: user({ role: 'platform_admin', tenantId: T, homeTenantId: null, operatorAccess: 'onboarding' }),
  operatorSupport: user({ role: 'platform_admin', tenantId: T, homeTenantId: null, operatorAccess: 'support' }),
  operatorNoTenantAccess: user({ role: 'platform_admin', tenantId: null, homeTenantId: null, operatorAccess: 'onboarding' }),
  // An operator's access carried by someone who is not the operator gives nothing.
  appAdminElsewhereWithSupport: user({ role: 'app_admin', tenantId: OTHER, operatorAccess: 'support' }),
  siteAdminElsewhereOnboarding: user({ role: 'site_admin', tenantId: OTHER, operatorAccess: 'onboarding' }),
  siteAdmin: user({ role: 'site_admin' }),
  siteAdminApprover: user({ role: 'site_admin', canApprove: true }),
  siteAdminElsewhere: user({ role: 'site_admin', tenantId: OTHER }),
  siteAdminNoTenant: user({ role: 'site_admin', tenantId: null }),
  siteAdminNoHome: user({ role: 'site_admin', tenantId: null, homeTenantId: null }),
  appAdmin: user({ role: 'app_admin' }),
  appApprover: user({ role: 'app_admin', canApprove: true }),
  appApproverElsewhere: user({ role: 'app_admin', canApprove: true, tenantId: OTHER }),
  appApproverNoHome: user({ role: 'app_admin', canApprove: true, tenantId: null, homeTenantId: null }),
  system: systemActor('purge'),
  systemInTenant: systemActor('purge', 'job', T),
} satisfies Record<string, Actor>;
type Name = keyof typeof actors;

const operators: Name[] = ['operator', 'operatorInTenant', 'operatorOnboarding', 'operatorSupport', 'operatorNoTenantAccess'];
const users: Name[] = [...operators, 'appAdminElsewhereWithSupport', 'siteAdminElsewhereOnboarding', 'siteAdmin', 'siteAdminApprover', 'siteAdminElsewhere', 'siteAdminNoTenant', 'siteAdminNoHome', 'appAdmin', 'appApprover', 'appApproverElsewhere', 'appApproverNoHome'];
const siteAdmins: Name[] = ['siteAdmin', 'siteAdminApprover'];
const members: Name[] = [...siteAdmins, 'appAdmin', 'appApprover'];

/**
 * Who may do what: the product's rules (docs/security.md, ADR 0007), written out actor by actor. The
 * operator inside an institution writes only while onboarding it, reads only then or under a support
 * grant, and never decides, signs off or changes anyone's rights.
 */
const allowed: Record<Ability, Name[]> = {
  manageInventory: [...members, 'operatorOnboarding'],
  readInventory: [...members, 'operatorOnboarding', 'operatorSupport'],
  manageUsers: siteAdmins,
  readUsers: [...siteAdmins, 'operatorOnboarding', 'operatorSupport'],
  inviteFirstSiteAdmin: ['operatorOnboarding'],
  manageInstitution: siteAdmins,
  editInstitutionProfile: [...siteAdmins, 'operatorOnboarding'],
  manageInstitutions: operators,
  managePlatformAdmins: operators,
  manageCatalog: operators,
  readMailbox: operators,
  publishPrivacyPolicy: operators,
  acknowledgePrivacyNotice: siteAdmins,
  receiveReminders: members,
  readCatalog: users,
  manageSso: siteAdmins,
  manageSupportAccess: siteAdmins,
  readAudit: [...siteAdmins, 'operatorOnboarding', 'operatorSupport'],
  readBank: users,
  manageBank: operators,
  readAssessments: [...members, 'operatorOnboarding', 'operatorSupport'],
  manageAssessments: [...members, 'operatorOnboarding'],
  signOffAssessments: members,
  approve: [...siteAdmins, 'appApprover'],
  runReports: members,
  readReportRunCounts: operators,
  exportData: siteAdmins,
};

describe('the authorization rules', () => {
  it('name every ability of the policy', () => {
    expect(Object.keys(policy).sort()).toEqual(Object.keys(allowed).sort());
  });

  for (const [ability, who] of Object.entries(allowed) as [Ability, Name[]][]) {
    it(`let only ${who.join(', ')} ${ability}`, () => {
      const granted = (Object.keys(actors) as Name[]).filter((name) => policy[ability](actors[name]));
      expect(granted.sort()).toEqual([...who].sort());
      for (const name of Object.keys(actors) as Name[]) {
        if (who.includes(name)) expect(() => authorize(actors[name], ability)).not.toThrow();
        else {
          const err = (() => {
            try {
              authorize(actors[name], ability);
            } catch (e) {
              return e;
            }
          })();
          expect(err, `${name} ${ability}`).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('forbidden');
        }
      }
    });
  }

  it('tell the operator, in its own words, why it is refused inside an institution', () => {
    const refusal = (a: Actor, ability: Ability) => {
      try {
        authorize(a, ability);
      } catch (e) {
        return (e as AppError).message;
      }
      return 'allowed';
    };
    expect(refusal(actors.operatorSupport, 'manageInventory')).toMatch(/^Support access is read-only/);
    expect(refusal(actors.operatorOnboarding, 'approve')).toMatch(/^During onboarding the operator loads data/);
    expect(refusal(actors.operatorInTenant, 'readInventory')).toMatch(/^The operator has no access to this institution’s data/);
    // Outside an institution, and for the institution's own people, the plain refusal.
    expect(refusal(actors.operator, 'readInventory')).toBe('You do not have permission to do this');
    expect(refusal(actors.appAdmin, 'manageUsers')).toBe('You do not have permission to do this');
    expect(refusal(actors.siteAdminElsewhereOnboarding, 'readInventory')).toBe('You do not have permission to do this');
  });

  it('read a role only in its own institution', () => {
    expect(isSiteAdmin(actors.siteAdmin)).toBe(true);
    expect(isSiteAdmin(actors.siteAdminElsewhere)).toBe(false);
    expect(isSiteAdmin(actors.siteAdminNoHome)).toBe(false);
    expect(isSiteAdmin(actors.appAdmin)).toBe(false);
    expect(isAppAdmin(actors.appAdmin)).toBe(true);
    expect(isAppAdmin(actors.appApproverElsewhere)).toBe(false);
    expect(isAppAdmin(actors.appApproverNoHome)).toBe(false);
    expect(isAppAdmin(actors.siteAdmin)).toBe(false);
    expect(isPlatformAdmin(actors.operator)).toBe(true);
    expect(isPlatformAdmin(actors.siteAdmin)).toBe(false);
    expect(isPlatformAdmin(actors.system)).toBe(false);
  });

  it('scope a unit of work to the institution the actor acts in, and to none without one', () => {
    expect(scopeOf(actors.siteAdmin).tenantId).toBe(T);
    expect(scopeOf(actors.operatorInTenant).tenantId).toBe(T);
    expect(scopeOf(actors.systemInTenant).tenantId).toBe(T);
    expect(() => scopeOf(actors.operator)).toThrow('Choose an institution first');
    try {
      scopeOf(actors.system);
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('forbidden');
    }
  });

  it('make system actors that hold no role of a person', () => {
    const job = systemActor('purge');
    expect(job).toMatchObject({ kind: 'system', userId: null, role: 'system', canApprove: false, tenantId: null, homeTenantId: null, label: 'system:purge', source: 'job' });
    expect(job.requestId).toMatch(/^job-\d+$/);
    const cli = systemActor('restore', 'cli', T);
    expect(cli).toMatchObject({ tenantId: T, source: 'cli', label: 'system:restore' });
    expect(cli.requestId).toMatch(/^cli-\d+$/);
  });
});
