/**
 * The security-critical code under mutation testing, in groups that run on their own
 * (`MUTATION_GROUP=<name> npm run test:mutation`), each with the test files that exercise it.
 * Line ranges confine a file to its security part (db.ts: the tenant settings of a unit of work;
 * spreadsheet.ts: formula neutralisation).
 */
export const mutationGroups = {
  /** Pure rules and crypto: authorization, tenant settings, tokens, sealed secrets, backup crypto, export neutralisation. */
  rules: {
    mutate: [
      'src/server/platform/authz.ts',
      'src/server/platform/tokens.ts',
      'src/server/platform/secrets.ts',
      'src/server/platform/db.ts:156-266',
      'src/server/platform/db.ts:272-278',
      'src/server/modules/lifecycle/backup-crypto.ts',
      'src/server/modules/exports/spreadsheet.ts:1-46',
    ],
    tests: [
      'src/server/platform/authz.test.ts',
      'src/server/platform/tenant-settings.test.ts',
      'src/server/platform/tokens.test.ts',
      'src/server/platform/secrets.test.ts',
      'src/server/db/rls.test.ts',
      'src/server/db/rls-walls.test.ts',
      'src/server/modules/lifecycle/backup-crypto.test.ts',
      'src/server/modules/exports/neutralise.test.ts',
    ],
  },
  /** The audit chain, archives (backup and restore) and purge. */
  lifecycle: {
    mutate: ['src/server/platform/audit.ts', 'src/server/modules/lifecycle/archive.ts', 'src/server/modules/lifecycle/purge.ts'],
    tests: [
      'src/server/platform/audit-seal.test.ts',
      'src/server/modules/lifecycle/lifecycle.test.ts',
      'src/server/modules/lifecycle/backup-restore.test.ts',
      'src/server/modules/lifecycle/read-only.test.ts',
    ],
  },
  /** The audit chain alone (hashing, anchoring, verification) against its own tests: the quick part of `lifecycle`. */
  audit: {
    mutate: ['src/server/platform/audit.ts'],
    tests: ['src/server/platform/audit.test.ts', 'src/server/platform/audit-chain.test.ts', 'src/server/platform/audit-seal.test.ts'],
  },
  /**
   * The archive alone (backup and restore) against the database-to-database comparison: the quick
   * part of `lifecycle`.
   */
  archive: {
    mutate: ['src/server/modules/lifecycle/archive.ts:66-207'],
    tests: ['src/server/modules/lifecycle/backup-restore.test.ts'],
  },
  /** The purge alone against its own tests: the quick part of `lifecycle` for `purge.ts`. */
  purge: {
    mutate: ['src/server/modules/lifecycle/purge.ts'],
    tests: ['src/server/modules/lifecycle/purge.test.ts'],
  },
  /** Sessions alone (sign-in by password, limits, revocation, re-authentication) against their own tests. */
  session: {
    mutate: ['src/server/modules/identity/session.service.ts'],
    tests: ['src/server/modules/identity/session.service.test.ts'],
  },
  /**
   * Single sign-on (OIDC and SAML sign-in, linking, re-authentication, single logout) against the
   * service's own tests, without the HTTP application (sso.test.ts, through the routes, takes hours here).
   */
  sso: {
    mutate: ['src/server/modules/identity/sso-login.service.ts'],
    tests: ['src/server/modules/identity/sso-login.service.test.ts', 'src/server/modules/identity/sso-claims.test.ts'],
  },
  /** Sessions and single sign-on. */
  signin: {
    mutate: ['src/server/modules/identity/session.service.ts', 'src/server/modules/identity/sso-login.service.ts'],
    tests: [
      'src/server/modules/identity/account-security.test.ts',
      'src/server/modules/identity/account.test.ts',
      'src/server/modules/identity/sso.test.ts',
      'test/api/http.test.ts',
      'test/api/hardening.test.ts',
    ],
  },
};
