import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from './columns.js';
import { users } from './identity.js';
import { institutions } from './tenants.js';

/**
 * An institution's identity provider: OIDC (Google Workspace, Microsoft Entra ID, any issuer) or
 * SAML 2.0. Secrets (the OIDC client secret) are sealed with AES-256-GCM before they get here.
 */
export const ssoConnections = pgTable(
  'sso_connections',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    protocol: text('protocol').notNull(),
    preset: text('preset').notNull(),
    displayName: text('display_name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    oidcIssuer: text('oidc_issuer'),
    oidcClientId: text('oidc_client_id'),
    oidcClientSecret: text('oidc_client_secret'),
    samlIdpEntityId: text('saml_idp_entity_id'),
    samlIdpSsoUrl: text('saml_idp_sso_url'),
    samlIdpCerts: text('saml_idp_certs').array().notNull().default(sql`'{}'::text[]`),
    /** SAML: the IdP's single logout service (HTTP-Redirect), read from its metadata; null when it offers none. */
    samlIdpSloUrl: text('saml_idp_slo_url'),
    /** SAML: our signing key for this connection, sealed (platform/secrets.ts), and its self-signed certificate (in our metadata). */
    samlSpKey: text('saml_sp_key'),
    samlSpCert: text('saml_sp_cert'),
    /** Email domains this provider vouches for: sign-in discovery and just-in-time creation. */
    emailDomains: text('email_domains').array().notNull().default(sql`'{}'::text[]`),
    jitEnabled: boolean('jit_enabled').notNull().default(false),
    jitRole: text('jit_role').notNull().default('app_admin'),
    /** Refuse a sign-in unless the provider says it used more than one factor (OIDC: `amr` or a listed `acr`; SAML: a listed `AuthnContextClassRef`). */
    requireIdpMfa: boolean('require_idp_mfa').notNull().default(false),
    /** OIDC: `acr` values that mean multi-factor at this provider; also asked for with `acr_values`. */
    mfaAcrValues: text('mfa_acr_values').array().notNull().default(sql`'{}'::text[]`),
    /** SAML: `AuthnContextClassRef` values that mean multi-factor at this IdP; asked for (exact) and required when `requireIdpMfa`. */
    samlMfaAuthnContexts: text('saml_mfa_authn_contexts').array().notNull().default(sql`'{}'::text[]`),
    /**
     * Staff reach the institution's staff request page by signing in here: the provider proves
     * membership (an email in a domain the connection lists and the institution verified); no account
     * is made and nothing about the person is kept.
     */
    staffRequests: boolean('staff_requests').notNull().default(false),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    check('sso_connections_protocol_check', sql`${t.protocol} in ('oidc', 'saml')`),
    check('sso_connections_preset_check', sql`${t.preset} in ('google', 'entra', 'oidc', 'saml')`),
    check('sso_connections_jit_role_check', sql`${t.jitRole} in ('site_admin', 'app_admin')`),
  ],
);

/**
 * An email domain an institution claims for single sign-on. It counts (sign-in discovery, linking by
 * email, just-in-time creation) only once verified: by a DNS TXT record holding its token, or by a
 * platform admin's recorded approval. A verified domain belongs to one institution only.
 */
export const ssoDomains = pgTable(
  'sso_domains',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    /** Lower case, no trailing dot. */
    domain: text('domain').notNull(),
    status: text('status').notNull().default('pending'),
    /** Published as `_vetted-challenge.<domain>` TXT `vetted-domain-verification=<token>`; not a secret. */
    verificationToken: text('verification_token').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** `dns` (the TXT record was found) or `operator` (a platform admin approved the claim). */
    verificationMethod: text('verification_method'),
    /** The platform admin who approved the claim (null for DNS, or a system approval such as the demo seed). */
    approvedByUserId: uuid('approved_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who approved, as shown to the institution's site admins (kept if the account goes). */
    approvedByLabel: text('approved_by_label'),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    /** Why the last DNS check did not verify the domain; null after a success or before any check. */
    lastCheckError: text('last_check_error'),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('sso_domains_tenant_domain_key').on(t.tenantId, t.domain),
    // Security: a verified domain belongs to one institution only, whatever the code does.
    uniqueIndex('sso_domains_verified_domain_key').on(t.domain).where(sql`${t.status} = 'verified'`),
    index('sso_domains_approved_by_idx').on(t.approvedByUserId),
    check('sso_domains_status_check', sql`${t.status} in ('pending', 'verified')`),
    check('sso_domains_method_check', sql`${t.verificationMethod} is null or ${t.verificationMethod} in ('dns', 'operator')`),
    check(
      'sso_domains_verified_check',
      sql`(${t.status} = 'verified') = (${t.verifiedAt} is not null and ${t.verificationMethod} is not null)`,
    ),
    check('sso_domains_domain_check', sql`${t.domain} = lower(${t.domain}) and ${t.domain} not like '%.'`),
  ],
);

/** How an institution lets its people sign in. One row per institution, absent means defaults. */
export const authPolicies = pgTable(
  'auth_policies',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .primaryKey()
      .references(() => institutions.id),
    /** Local passwords refused, except for the break-glass site admin. */
    requireSso: boolean('require_sso').notNull().default(false),
    breakGlassUserId: uuid('break_glass_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Local accounts of this institution must use TOTP. */
    requireMfa: boolean('require_mfa').notNull().default(false),
    ...timestamps,
  },
  (t) => [index('auth_policies_break_glass_idx').on(t.breakGlassUserId)],
);

/** A user's subject at one of the institution's providers (the SSO subject of commitment 1). */
export const ssoIdentities = pgTable(
  'sso_identities',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: uuid('id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    connectionId: uuid('connection_id').notNull(),
    subject: text('subject').notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('sso_identities_subject_key').on(t.tenantId, t.connectionId, t.subject),
    index('sso_identities_user_idx').on(t.userId),
    foreignKey({ columns: [t.tenantId, t.connectionId], foreignColumns: [ssoConnections.tenantId, ssoConnections.id], name: 'sso_identities_connection_fk' }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * A site admin's explicit permission for one connection to sign in one account whose email domain
 * the connection does not cover (such as the break-glass site admin, or a guest). Removing it also
 * removes the account's subjects at that connection.
 */
export const ssoAccountLinks = pgTable(
  'sso_account_links',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    connectionId: uuid('connection_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.connectionId, t.userId] }),
    index('sso_account_links_user_idx').on(t.userId),
    index('sso_account_links_created_by_idx').on(t.createdByUserId),
    foreignKey({ columns: [t.tenantId, t.connectionId], foreignColumns: [ssoConnections.tenantId, ssoConnections.id], name: 'sso_account_links_connection_fk' }).onDelete(
      'cascade',
    ),
  ],
);

/**
 * One sign-in in flight at an identity provider. Keyed by a keyed hash of a random value held in
 * the browser (OIDC) or carried as RelayState (SAML); holds the PKCE verifier, state, nonce or the
 * SAML request id. Single use, short-lived. A SAML sign-in is also bound to the browser that started
 * it by `browser_hash`.
 */
export const ssoLoginStates = pgTable(
  'sso_login_states',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    id: text('id').notNull(),
    connectionId: uuid('connection_id').notNull(),
    state: text('state'),
    nonce: text('nonce'),
    codeVerifier: text('code_verifier'),
    samlRequestId: text('saml_request_id'),
    /** `login` (a sign-in or re-authentication), `logout` (a SAML LogoutRequest awaiting the IdP's LogoutResponse), or `staff_request` (membership proven for the staff request page: no account, no session). */
    purpose: text('purpose').notNull().default('login'),
    /** Set for a re-authentication: the session (keyed hash of its cookie) a fresh sign-in at the provider will confirm. */
    reauthSessionId: text('reauth_session_id'),
    /** Where the browser goes back after a re-authentication (one of the app's pages). */
    returnTo: text('return_to'),
    /** SAML sign-in: keyed hash of the random value in the `vetted_saml` cookie of the browser that started it (login CSRF). */
    browserHash: text('browser_hash'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('sso_login_states_id_key').on(t.id),
    uniqueIndex('sso_login_states_saml_request_key').on(t.samlRequestId),
    index('sso_login_states_connection_idx').on(t.tenantId, t.connectionId),
    check('sso_login_states_purpose_check', sql`${t.purpose} in ('login', 'logout', 'staff_request')`),
    foreignKey({ columns: [t.tenantId, t.connectionId], foreignColumns: [ssoConnections.tenantId, ssoConnections.id], name: 'sso_login_states_connection_fk' }).onDelete(
      'cascade',
    ),
  ],
);

/** SAML assertion ids already consumed, kept until the assertion would have expired: replay refused. */
export const samlSeenAssertions = pgTable(
  'saml_seen_assertions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => institutions.id),
    assertionId: text('assertion_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.assertionId] })],
);

/**
 * Single-use emailed or interim tokens: password reset, email change, and the second step of a
 * sign-in (MFA). Only a keyed hash of the token is stored. `tenant_id` is null for platform admins.
 */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: text('id').primaryKey(),
    tenantId: uuid('tenant_id').references(() => institutions.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    newEmail: text('new_email'),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index('auth_tokens_user_idx').on(t.userId),
    index('auth_tokens_tenant_idx').on(t.tenantId),
    check('auth_tokens_purpose_check', sql`${t.purpose} in ('password_reset', 'email_change', 'mfa_verify', 'mfa_enrol')`),
  ],
);
