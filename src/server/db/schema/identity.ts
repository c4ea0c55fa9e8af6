import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { institutions } from './tenants.js';

/**
 * People with an account. Commitment 1: first name, last name, email and what sign-in needs — nothing
 * else. `tenant_id` is null for platform admins (the operator's staff), who belong to no institution.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    tenantId: uuid('tenant_id').references(() => institutions.id),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    role: text('role').notNull(),
    canApprove: boolean('can_approve').notNull().default(false),
    passwordHash: text('password_hash'),
    status: text('status').notNull().default('active'),
    /** The language the person chose for the interface and their email (`en` | `fr`); null until they choose. */
    language: text('language'),
    /** TOTP secret, sealed with AES-256-GCM (platform/secrets.ts); set while enrolling, enabled once confirmed. */
    mfaSecret: text('mfa_secret'),
    mfaEnabledAt: timestamp('mfa_enabled_at', { withTimezone: true }),
    /** Keyed hashes of the unused recovery codes. */
    mfaRecoveryCodes: text('mfa_recovery_codes').array().notNull().default(sql`'{}'::text[]`),
    /** The last TOTP time step accepted: a code is never accepted twice. */
    mfaLastStep: integer('mfa_last_step'),
    /** Consecutive failed sign-ins, and the end of the lockout they caused. */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_tenant_idx').on(t.tenantId),
    check('users_role_check', sql`${t.role} in ('platform_admin', 'site_admin', 'app_admin')`),
    check('users_status_check', sql`${t.status} in ('active', 'disabled')`),
    check('users_language_check', sql`${t.language} in ('en', 'fr')`),
    check(
      'users_role_tenant_check',
      sql`(${t.role} = 'platform_admin' and ${t.tenantId} is null) or (${t.role} <> 'platform_admin' and ${t.tenantId} is not null)`,
    ),
  ],
);

/**
 * Server-side sessions. The cookie carries a random token; only its SHA-256 is stored, so a copy of
 * the table cannot be replayed. `tenant_id` is the institution the session acts in (a platform admin
 * switches it; for everyone else it is their own).
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id').references(() => institutions.id),
    csrfToken: text('csrf_token').notNull(),
    /** Absolute end of the session; the idle timeout is counted from `last_seen_at`. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    /** The identifier shown to people (list, revoke); the primary key is a keyed hash of the cookie. */
    handle: uuid('handle').notNull().default(sql`gen_random_uuid()`),
    /** How the session was opened: password, password+mfa, oidc, saml, invitation. */
    method: text('method').notNull().default('password'),
    /** When its person last proved who they are (sign-in or re-authentication): sensitive changes need it recent. */
    authenticatedAt: timestamp('authenticated_at', { withTimezone: true }).notNull().defaultNow(),
    /** For an SSO sign-in: the connection (where re-authentication goes); for OIDC, its ID token sealed (platform/secrets.ts), the hint of RP-initiated logout. */
    ssoConnectionId: uuid('sso_connection_id'),
    ssoIdToken: text('sso_id_token'),
    /** For a SAML sign-in at an IdP offering single logout: NameID and SessionIndex, sealed, to name this sign-in in the LogoutRequest. */
    ssoSamlLogout: text('sso_saml_logout'),
    ...timestamps,
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_tenant_idx').on(t.tenantId), uniqueIndex('sessions_handle_key').on(t.handle)],
);

/** Invitations by email link; only the SHA-256 of the token is stored. */
export const invitations = pgTable(
  'invitations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    email: text('email').notNull(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    role: text('role').notNull(),
    canApprove: boolean('can_approve').notNull().default(false),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('invitations_token_key').on(t.tokenHash),
    index('invitations_invited_by_idx').on(t.invitedBy),
    check('invitations_role_check', sql`${t.role} in ('site_admin', 'app_admin')`),
  ],
);

/**
 * Attempt counts of the rate-limited routes (platform/attempt-counts.ts), shared by every process
 * and kept across restarts. `key` is a keyed hash (HMAC-SHA256) of the route and what is counted (an
 * address, an account): no address, email or token is stored, and no tenant. A row counts `hits`
 * until `resets_at`; the next hit after that starts a new window. Expired rows are swept by a job.
 */
export const attemptCounts = pgTable(
  'attempt_counts',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetsAt: timestamp('resets_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('attempt_counts_resets_idx').on(t.resetsAt)],
);
