/**
 * The REST contract of sign-in: single sign-on (OIDC, SAML), two-step verification, sessions,
 * password and email changes. Every string is bounded.
 */
import { z } from 'zod';
import { FIELD_MESSAGES } from './field-messages.js';
import { sessionSchema } from './api.js';

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
const code = z.string().trim().min(6).max(20);
const token = z.string().min(20).max(200);
/** New passwords: the length here, the common-password check on the server. */
const newPassword = z.string().min(12, 'must be at least 12 characters').max(128, 'must be at most 128 characters');
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?!-)[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63})+$/, FIELD_MESSAGES.domain);
const httpsOrLocalUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const SSO_PRESETS = ['google', 'entra', 'oidc', 'saml'] as const;
export const SESSION_METHODS = ['password', 'password+mfa', 'oidc', 'saml', 'invitation'] as const;

// ---------- sign-in ----------
/** A password sign-in that needs a second step; the step's token rides in an http-only cookie. */
export const mfaRequiredSchema = z.object({ mfa: z.enum(['verify', 'enrol']) });
export const loginResultSchema = z.union([sessionSchema, mfaRequiredSchema]);
export const mfaCodeSchema = z.strictObject({ code });
/** Re-authentication before a sensitive change: the password, and a code when two-step verification is on. */
export const reauthenticateSchema = z.strictObject({ password: z.string().min(1).max(1024), code: code.optional() });
/** The TOTP secret (also as text for people who type it or use a screen reader), its otpauth URI, and the URI as a QR code path. */
export const mfaEnrolmentSchema = z.object({
  secret: z.string(),
  uri: z.string(),
  qr: z.object({ size: z.number().int(), path: z.string() }),
});
export const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const mfaEnrolledSessionSchema = z.object({ session: sessionSchema, recoveryCodes: z.array(z.string()) });
export const accountSecuritySchema = z.object({
  mfaEnabled: z.boolean(),
  mfaRequired: z.boolean(),
  recoveryCodesLeft: z.number().int(),
  hasPassword: z.boolean(),
});

// ---------- sessions ----------
export const sessionListItemSchema = z.object({
  id: z.uuid(),
  method: z.enum(SESSION_METHODS),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
export const sessionListSchema = z.object({ items: z.array(sessionListItemSchema) });

// ---------- passwords and email ----------
export const passwordChangeSchema = z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword });
export const passwordResetRequestSchema = z.strictObject({ email: z.string().trim().max(254).pipe(email) });
export const passwordResetCompleteSchema = z.strictObject({ token, password: newPassword });
export const emailChangeSchema = z.strictObject({
  newEmail: z.string().trim().max(254).pipe(email),
  password: z.string().min(1).max(1024),
});
export const emailConfirmSchema = z.strictObject({ token });

// ---------- single sign-on ----------
/** Sign-in discovery: the buttons to show for an email's domain. */
export const ssoDiscoverQuerySchema = z.strictObject({ email: z.string().trim().max(254).pipe(email) });
export const ssoButtonSchema = z.object({
  id: z.uuid(),
  institutionId: z.uuid(),
  institutionName: z.string(),
  displayName: z.string(),
  protocol: z.enum(['oidc', 'saml']),
  startUrl: z.string(),
});
export const ssoDiscoverSchema = z.object({ items: z.array(ssoButtonSchema) });

/** Email domains a connection vouches for: verified domains of its institution (checked on the server). */
const emailDomainList = z
  .array(domain)
  .max(20)
  .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
  .meta({ uniqueItems: true });
const connectionFields = {
  displayName: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  emailDomains: emailDomainList.default([]),
  jitEnabled: z.boolean().default(false),
  jitRole: z.enum(['site_admin', 'app_admin']).default('app_admin'),
  /** Staff sign in here to reach the staff request page (membership proven; no account is made). */
  staffRequests: z.boolean().default(false),
};
const acrValues = z
  .array(z.string().trim().min(1).max(200))
  .max(10)
  .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
  .meta({ uniqueItems: true });
const oidcFields = {
  clientId: z.string().trim().min(1).max(500),
  /** Write-only: sealed at rest, never returned. */
  clientSecret: z.string().min(1).max(2000),
  /** Refuse sign-ins the provider does not say were multi-factor (`amr`, or one of `mfaAcrValues` as `acr`). */
  requireIdpMfa: z.boolean().default(false),
  /** `acr` values meaning multi-factor at this provider (asked for with `acr_values`). */
  mfaAcrValues: acrValues.default([]),
};
/** Well-known SAML `AuthnContextClassRef` values meaning multi-factor: REFEDS MFA profile, Microsoft Entra ID / AD FS. */
export const SAML_MFA_AUTHN_CONTEXTS_SUGGESTED = [
  'https://refeds.org/profile/mfa',
  'http://schemas.microsoft.com/claims/multipleauthn',
] as const;
const authnContexts = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(300)
      .regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/, FIELD_MESSAGES.uri),
  )
  .max(10)
  .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
  .meta({ uniqueItems: true });
const samlFields = {
  /** Refuse sign-ins whose assertion's `AuthnContextClassRef` is not one of `mfaAuthnContexts` (also asked for, comparison exact). */
  requireIdpMfa: z.boolean().default(false),
  /** `AuthnContextClassRef` values meaning multi-factor at this IdP. */
  mfaAuthnContexts: authnContexts.default([]),
};
/** SAML IdP settings, from its metadata (XML or URL) or typed in. */
const samlIdpSchema = z.union([
  z.strictObject({ metadataXml: z.string().min(50).max(200_000) }),
  z.strictObject({ metadataUrl: httpsOrLocalUrl }),
  z.strictObject({
    entityId: z.string().min(1).max(1000),
    ssoUrl: httpsOrLocalUrl,
    certificates: z.array(z.string().min(100).max(20_000)).min(1).max(4),
  }),
]);

export const ssoConnectionCreateSchema = z.discriminatedUnion('preset', [
  z.strictObject({ preset: z.literal('google'), ...connectionFields, ...oidcFields }),
  z.strictObject({ preset: z.literal('entra'), entraTenantId: z.uuid(), ...connectionFields, ...oidcFields }),
  z.strictObject({ preset: z.literal('oidc'), issuer: httpsOrLocalUrl, ...connectionFields, ...oidcFields }),
  z.strictObject({ preset: z.literal('saml'), idp: samlIdpSchema, ...connectionFields, ...samlFields }),
]);
export const ssoConnectionUpdateSchema = z.strictObject({
  displayName: connectionFields.displayName.optional(),
  enabled: z.boolean().optional(),
  // No default here: a change that leaves the domains out keeps them.
  emailDomains: emailDomainList.optional(),
  jitEnabled: z.boolean().optional(),
  jitRole: z.enum(['site_admin', 'app_admin']).optional(),
  staffRequests: z.boolean().optional(),
  clientId: oidcFields.clientId.optional(),
  clientSecret: oidcFields.clientSecret.optional(),
  requireIdpMfa: z.boolean().optional(),
  mfaAcrValues: acrValues.optional(),
  mfaAuthnContexts: authnContexts.optional(),
  idp: samlIdpSchema.optional(),
});
export const ssoConnectionSchema = z.object({
  id: z.uuid(),
  protocol: z.enum(['oidc', 'saml']),
  preset: z.enum(SSO_PRESETS),
  displayName: z.string(),
  enabled: z.boolean(),
  emailDomains: z.array(z.string()),
  jitEnabled: z.boolean(),
  jitRole: z.enum(['site_admin', 'app_admin']),
  staffRequests: z.boolean(),
  /** Where staff start to reach the request page through this provider (shared inside the institution). */
  staffRequestUrl: z.string(),
  oidc: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      hasClientSecret: z.boolean(),
      redirectUri: z.string(),
      /** Where the provider sends people back after signing them out (RP-initiated logout). */
      postLogoutRedirectUri: z.string(),
      requireIdpMfa: z.boolean(),
      mfaAcrValues: z.array(z.string()),
    })
    .nullable(),
  saml: z
    .object({
      idpEntityId: z.string(),
      idpSsoUrl: z.string(),
      certificateCount: z.number().int(),
      spEntityId: z.string(),
      acsUrl: z.string(),
      metadataUrl: z.string(),
      /** Where the IdP sends its LogoutResponse (also in our metadata). */
      sloUrl: z.string(),
      /** The IdP's metadata names a single logout service: signing out also ends the session there. */
      singleLogout: z.boolean(),
      requireIdpMfa: z.boolean(),
      mfaAuthnContexts: z.array(z.string()),
    })
    .nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SsoConnectionBody = z.infer<typeof ssoConnectionSchema>;

// ---------- email domains ----------
/** Where an institution publishes its proof of control of a domain (a DNS TXT record). */
export const DOMAIN_CHALLENGE_LABEL = '_vetted-challenge';
export const DOMAIN_CHALLENGE_PREFIX = 'vetted-domain-verification=';
export const ssoDomainClaimSchema = z.strictObject({ domain });
export const ssoDomainSchema = z.object({
  id: z.uuid(),
  domain: z.string(),
  /** `verified` once the TXT record was found or a platform admin approved the claim; only then does it count. */
  status: z.enum(['pending', 'verified']),
  /** The DNS record to publish. */
  record: z.object({ name: z.string(), type: z.literal('TXT'), value: z.string() }),
  verifiedAt: z.string().nullable(),
  method: z.enum(['dns', 'operator']).nullable(),
  /** Who approved the claim (platform admin), as recorded. */
  approvedBy: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  /** Why the last DNS check did not verify the domain (a code clients translate, and its English text). */
  lastCheckError: z.enum(['no_record', 'wrong_token', 'dns_unavailable']).nullable(),
  lastCheckMessage: z.string().nullable(),
  createdAt: z.string(),
});
export type SsoDomainBody = z.infer<typeof ssoDomainSchema>;
export const ssoDomainListSchema = z.object({ items: z.array(ssoDomainSchema) });

/** Accounts a site admin let one connection sign in although it does not cover their email domain. */
export const ssoAccountLinkSchema = z.object({
  userId: z.uuid(),
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  createdAt: z.string(),
});
export const ssoAccountLinkListSchema = z.object({ items: z.array(ssoAccountLinkSchema) });
export const ssoAccountLinkParamsSchema = z.strictObject({ id: z.uuid(), userId: z.uuid() });
export const institutionDomainParamsSchema = z.strictObject({ id: z.uuid(), domainId: z.uuid() });
export const ssoConnectionListSchema = z.object({ items: z.array(ssoConnectionSchema) });

export const authPolicySchema = z.object({ requireSso: z.boolean(), breakGlassUserId: z.uuid().nullable(), requireMfa: z.boolean() });
export const authPolicyUpdateSchema = z.strictObject({
  requireSso: z.boolean(),
  breakGlassUserId: z.uuid().nullable(),
  requireMfa: z.boolean(),
});
export type AuthPolicyBody = z.infer<typeof authPolicySchema>;
/** The pages a re-authentication at the identity provider may come back to. */
export const SSO_REAUTH_RETURN_PAGES = ['/account', '/users'] as const;
export const ssoReauthStartSchema = z.strictObject({ returnTo: z.enum(SSO_REAUTH_RETURN_PAGES).default('/account') });
export const ssoReauthRedirectSchema = z.object({ redirect: z.string() });
/** Why a single sign-on (or a re-authentication through it) was refused: shown to the person by code. */
export const SSO_FAILURES = [
  'expired',
  'invalid',
  'no_account',
  'disabled',
  'unavailable',
  'mfa_required',
  'reauth_not_fresh',
  'reauth_mismatch',
] as const;
export type SsoFailureReason = (typeof SSO_FAILURES)[number];
export const ssoConnectionParamsSchema = z.strictObject({ institutionId: z.uuid(), connectionId: z.uuid() });
