import { createVerify, randomUUID } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { CacheProvider, SAML } from '@node-saml/node-saml';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type * as Oidc from 'openid-client';
import type { SsoFailureReason } from '../../../contracts/auth.js';
import {
  institutions,
  invitations,
  samlSeenAssertions,
  sessions as sessionRows,
  ssoConnections,
  ssoIdentities,
  ssoLoginStates,
  users,
} from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import { systemActor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withSystem, type Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { openSecret } from '../../platform/secrets.js';
import { hashToken, newToken, safeEqual } from '../../platform/tokens.js';
import {
  actorOf,
  idTokenAad,
  samlLogoutAad,
  type Authenticated,
  type OidcSignOut,
  type SamlSignIn,
  type SessionService,
} from './session.service.js';
import { hasSamlSingleLogout, spKeyAad, ssoUrls, type SsoConnectionRow } from './sso.service.js';
import { toPem } from './saml-metadata.js';
import { connectionCovers, hasAccountLink } from './sso-domains.repo.js';
import { unsafeFindUserById, type UserRow } from './users.repo.js';
import { nodeSaml, openidClient, samlXml } from './sso-libraries.js';
import { readOnlyPeriodOf } from '../tenants/institutions.repo.js';
import { isVoidOperatorInvitation } from '../tenants/operator-access.repo.js';

const LOGIN_TTL_MS = 10 * 60_000;
const CLOCK_SKEW_MS = 60_000;
const SAML_MAX_AGE_MS = 5 * 60_000;
/** Signature algorithms accepted on a redirect-binding LogoutResponse (SHA-1 refused). */
const REDIRECT_SIG_ALGS: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'RSA-SHA256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'RSA-SHA512',
};

/** How a SAML single logout ended, as the IdP's LogoutResponse told it. */
export type SamlLogoutOutcome = 'done' | 'failed';

/**
 * Which guard refused a SAML response: recorded in the institution's audit log (`sso.saml_refused`)
 * and the log, never shown to the person (who sees the coarser `SsoFailureReason`).
 */
export const SAML_REFUSALS = [
  'unavailable', // connection disabled, or not SAML
  'no_response', // no SAMLResponse
  'doctype', // a DOCTYPE in the response
  'unparsable', // not XML
  'assertion_count', // not exactly one assertion (signature wrapping)
  'destination', // Response Destination is not our ACS
  'recipient', // a SubjectConfirmationData Recipient is not our ACS
  'unsigned', // the assertion carries no signature at all
  'unknown_request', // InResponseTo (logout: RelayState) names no pending request of this connection (unsolicited, spent, or another connection's)
  'relay_state', // RelayState is not the one issued with that request
  'browser', // not the browser that started the sign-in (binding cookie missing or different)
  'request_expired', // the request is older than its ten minutes
  'signature', // signature invalid, or by a key the IdP's metadata does not name
  'in_response_to', // node-saml: InResponseTo of the response or of the subject confirmation not the request's
  'issuer', // the assertion's or the response's Issuer is not the IdP's entity id
  'audience', // AudienceRestriction does not name our entity id
  'conditions', // not yet valid, expired, or too old
  'status', // the IdP answered with an error status
  'assertion', // any other refusal by node-saml
  'replay', // assertion id already consumed
  'mfa_required',
  'reauth_not_fresh',
  'reauth_mismatch',
  'expired', // the session being re-authenticated has ended
  'no_account',
  'disabled',
  // single logout (LogoutResponse by HTTP-Redirect) only:
  'signature_algorithm', // SHA-1 or an algorithm not listed
  'parameters', // a signed parameter given twice, or a request and a response together
] as const;
export type SamlRefusal = (typeof SAML_REFUSALS)[number];

/** Why an SSO sign-in failed: a short code the sign-in page explains (never provider details). */
export class SsoFailure extends Error {
  /** Set when the flow was a re-authentication: the app page to go back to, rather than the sign-in page. */
  returnTo: string | null = null;
  constructor(
    readonly reason: SsoFailureReason,
    detail: string,
    /** SAML: the guard that refused the response (audited). */
    public refusal: SamlRefusal | null = null,
  ) {
    super(detail);
    this.name = 'SsoFailure';
  }
}

/** A refused SAML response: the reason the person sees, and the guard that refused it. */
const samlRefused = (refusal: SamlRefusal, detail: string, reason: SsoFailureReason = 'invalid') => new SsoFailure(reason, detail, refusal);

/** The guard behind a node-saml refusal, from its message (the message itself is not kept). */
export function nodeSamlRefusal(err: unknown): SamlRefusal {
  const m = err instanceof Error ? err.message : '';
  if ((err as { name?: string } | null)?.name === 'SamlStatusError' || /^Bad status code/.test(m)) return 'status';
  if (/InResponseTo/i.test(m)) return 'in_response_to';
  if (/signature|Cannot obtain assertion/i.test(m)) return 'signature';
  if (/SAML issuer/.test(m)) return 'issuer';
  if (/audience|AudienceRestriction/i.test(m)) return 'audience';
  if (/not yet valid|expired|subject confirmation/i.test(m)) return 'conditions';
  return 'assertion';
}

/**
 * SAML attribute names, by what they carry: the short names most IdPs use, the LDAP/eduPerson
 * `urn:oid:` names (Shibboleth, SimpleSAMLphp, InCommon/CAF federations), and the claim URIs of
 * Microsoft Entra ID and AD FS. eduPersonPrincipalName is not read as an email: it is a scoped
 * login name that need not be a mailbox, and may be reassigned.
 */
export const SAML_ATTRIBUTES = {
  email: [
    'email',
    'mail',
    'emailAddress',
    'urn:oid:0.9.2342.19200300.100.1.3',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
  ],
  firstName: [
    'givenName',
    'given_name',
    'firstName',
    'urn:oid:2.5.4.42',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
  ],
  lastName: [
    'surname',
    'sn',
    'lastName',
    'family_name',
    'urn:oid:2.5.4.4',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  ],
} as const;

/** The first usable value of the first attribute present among `names` (a multi-valued attribute gives its first value). */
export function samlAttribute(profile: Record<string, unknown>, names: readonly string[], max = 254): string | null {
  for (const name of names) {
    const raw = profile[name];
    const first = Array.isArray(raw) ? raw.find((v) => typeof v === 'string' && v.trim()) : raw;
    const value = str(first, max);
    if (value) return value;
  }
  return null;
}

/**
 * How an SSO flow ended: a new session, an existing session confirmed by a fresh sign-in at the
 * provider, or a staff member's membership of the institution proven for its staff request page (no
 * account, no session: the routes give the browser a ticket naming the institution and connection).
 */
export type SsoOutcome =
  | { kind: 'session'; token: string }
  | { kind: 'reauth'; returnTo: string }
  | { kind: 'staff_request'; tenantId: string; connectionId: string };

/** Where a failed staff request sign-in sends the browser back (the request page explains the code). */
export const STAFF_REQUEST_PAGE = '/staff-request';

type PendingLogin = typeof ssoLoginStates.$inferSelect;

/**
 * Where a sign-in goes first, and what binds it to this browser: `browserToken` for the OIDC cookie,
 * `samlBrowserToken` for the SAML one (scoped to the connection's assertion consumer service).
 */
export interface SsoStart {
  redirect: string;
  browserToken: string | null;
  samlBrowserToken?: string;
}

/** When a pending flow started, by our clock (the row's expiry minus its lifetime). */
const startedAt = (pending: PendingLogin) => pending.expiresAt.getTime() - LOGIN_TTL_MS;

/**
 * Marks a failure of a re-authentication flow so the person goes back to the page they were on, and
 * of a staff request sign-in so they go back to the request page.
 */
function inReauth<T>(pending: PendingLogin, run: () => Promise<T>): Promise<T> {
  const returnTo = pending.reauthSessionId
    ? (pending.returnTo ?? '/account')
    : pending.purpose === 'staff_request'
      ? STAFF_REQUEST_PAGE
      : null;
  if (!returnTo) return run();
  return run().catch((err: unknown) => {
    if (err instanceof SsoFailure) err.returnTo = returnTo;
    throw err;
  });
}

/** The text of the SAML elements an assertion holds, by local name (namespaces vary between IdPs). */
function samlAuthnStatements(assertion: unknown): { instant: number; classRef: string | null }[] {
  const statements = samlXml().xpath.selectElements(assertion as never, ".//*[local-name()='AuthnStatement']") as unknown as {
    getAttribute(n: string): string | null;
  }[];
  return statements.map((st) => {
    const ref = samlXml().xpath.selectElements(
      st as never,
      "./*[local-name()='AuthnContext']/*[local-name()='AuthnContextClassRef']",
    )[0] as { textContent: string | null } | undefined;
    return { instant: Date.parse(st.getAttribute('AuthnInstant') ?? ''), classRef: ref?.textContent?.trim() || null };
  });
}

/** Who the identity provider says signed in. */
interface Assertion {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

/** RFC 8176 authentication methods by kind of factor: knowledge, possession, inherence. */
const AMR_FACTORS: Record<string, 'know' | 'have' | 'are'> = {
  pwd: 'know',
  pin: 'know',
  kba: 'know',
  otp: 'have',
  hwk: 'have',
  swk: 'have',
  sc: 'have',
  sms: 'have',
  tel: 'have',
  face: 'are',
  fpt: 'are',
  iris: 'are',
  retina: 'are',
  vbm: 'are',
};

/**
 * Whether the provider says the person used more than one factor: `amr` holds `mfa`, or methods of
 * two different kinds (RFC 8176), or `acr` is one the institution declared multi-factor.
 */
export function idpUsedMfa(idToken: object, mfaAcrValues: readonly string[]): boolean {
  const claims = idToken as { acr?: unknown; amr?: unknown };
  if (typeof claims.acr === 'string' && mfaAcrValues.includes(claims.acr)) return true;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  if (amr.includes('mfa')) return true;
  // Own keys only: `constructor` or `toString` are no authentication method.
  return new Set(amr.filter((m) => Object.hasOwn(AMR_FACTORS, m)).map((m) => AMR_FACTORS[m])).size >= 2;
}

const str = (v: unknown, max = 254): string | null => (typeof v === 'string' && v.trim() && v.length <= max ? v.trim() : null);

/** OIDC (code + PKCE, state, nonce) and SAML (signed assertions) sign-in, and account linking. */
export function createSsoLoginService(ctx: Pick<AppContext, 'db' | 'config'>, sessions: SessionService) {
  const { db, config } = ctx;
  const allowHttp = !config.isProduction;
  const discovered = new Map<string, { at: number; config: Oidc.Configuration }>();

  async function loadConnection(tenantId: string, connectionId: string): Promise<SsoConnectionRow> {
    const [row] = await withSystem(db, (tx) =>
      tx
        .select()
        .from(ssoConnections)
        .where(and(eq(ssoConnections.tenantId, tenantId), eq(ssoConnections.id, connectionId))),
    );
    if (!row || !row.enabled) throw new SsoFailure('unavailable', 'connection missing or disabled');
    return row;
  }

  /** The OIDC client of a connection, from the issuer's discovery document (cached one hour). */
  async function oidcClient(c: SsoConnectionRow): Promise<Oidc.Configuration> {
    const key = `${c.tenantId}:${c.id}:${c.updatedAt.getTime()}`;
    const hit = discovered.get(key);
    if (hit && Date.now() - hit.at < 3600_000) return hit.config;
    const secret = openSecret(config.secretKeys, c.oidcClientSecret!, `oidc-client-secret:${c.tenantId}:${c.id}`);
    const issuer = new URL(c.oidcIssuer!);
    const insecure = issuer.protocol === 'http:';
    if (insecure && !allowHttp) throw new SsoFailure('unavailable', 'http issuer refused in production');
    const oidc = await openidClient();
    let client: Oidc.Configuration;
    try {
      client = await oidc.discovery(
        issuer,
        c.oidcClientId!,
        { client_secret: secret },
        oidc.ClientSecretPost(secret),
        insecure ? { execute: [oidc.allowInsecureRequests] } : {},
      );
    } catch {
      throw new SsoFailure('unavailable', 'issuer discovery failed');
    }
    discovered.set(key, { at: Date.now(), config: client });
    return client;
  }

  /** The SAML service provider of a connection; `forceAuthn` for a re-authentication (the IdP must sign the person in again). */
  function samlFor(c: SsoConnectionRow, cache?: CacheProvider, forceAuthn = false): SAML {
    const urls = ssoUrls(config, c.tenantId, c.id);
    // Security (ASVS 6.8.4): where the institution requires multi-factor, the request names the contexts it accepts.
    const askMfa = c.requireIdpMfa && c.samlMfaAuthnContexts.length > 0;
    // Our requests are signed with the connection's own key when it has one (made with the connection).
    const privateKey = c.samlSpKey ? openSecret(config.secretKeys, c.samlSpKey, spKeyAad(c.tenantId, c.id)) : undefined;
    const slo = hasSamlSingleLogout(c);
    const { SAML, ValidateInResponseTo } = nodeSaml();
    return new SAML({
      ...(privateKey ? { privateKey, signatureAlgorithm: 'sha256' as const } : {}),
      ...(slo ? { logoutUrl: c.samlIdpSloUrl!, logoutCallbackUrl: urls.sloUrl } : {}),
      issuer: urls.spEntityId,
      callbackUrl: urls.acsUrl,
      audience: urls.spEntityId,
      entryPoint: c.samlIdpSsoUrl ?? undefined,
      idpIssuer: c.samlIdpEntityId ?? undefined,
      idpCert: c.samlIdpCerts.length ? c.samlIdpCerts.map(toPem) : 'none',
      // Security: the assertion itself must carry a valid signature; a signed envelope is not enough.
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: LOGIN_TTL_MS,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      maxAssertionAgeMs: SAML_MAX_AGE_MS,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      disableRequestedAuthnContext: !askMfa,
      ...(askMfa ? { authnContext: c.samlMfaAuthnContexts, racComparison: 'exact' as const } : {}),
      forceAuthn,
      cacheProvider: cache ?? noCache,
    });
  }

  /**
   * Security: a connection signs in only accounts whose email domain it lists and its institution
   * verified, or accounts a site admin linked to it explicitly; never, say, the break-glass site
   * admin of another domain because the provider asserted that address.
   */
  async function mayVouchFor(tx: Tx, c: SsoConnectionRow, user: Pick<UserRow, 'id' | 'email'>): Promise<boolean> {
    const scope = unsafeTenantScope(c.tenantId);
    return (await connectionCovers(tx, scope, c, user.email)) || hasAccountLink(tx, scope, c.id, user.id);
  }

  /** Finds or links the user the provider vouches for, within the connection's institution only. */
  async function linkUser(tx: Tx, c: SsoConnectionRow, a: Assertion, requestId: string): Promise<UserRow> {
    const [linked] = await tx
      .select({ user: users })
      .from(ssoIdentities)
      .innerJoin(users, eq(users.id, ssoIdentities.userId))
      .where(and(eq(ssoIdentities.tenantId, c.tenantId), eq(ssoIdentities.connectionId, c.id), eq(ssoIdentities.subject, a.subject)));
    if (linked) {
      if (linked.user.tenantId !== c.tenantId || linked.user.status !== 'active') throw new SsoFailure('disabled', 'linked user inactive');
      if (!(await mayVouchFor(tx, c, linked.user))) throw new SsoFailure('no_account', 'connection does not cover this account');
      return linked.user;
    }
    if (!a.email || !a.emailVerified) throw new SsoFailure('no_account', 'no verified email');
    const email = a.email.toLowerCase();
    // Security: matched by verified email inside this institution only; an account of another
    // institution is invisible here, so another institution's provider can never reach it.
    let [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.tenantId, c.tenantId), sql`lower(${users.email}) = ${email}`));
    let how = 'link';
    if (user && !(await mayVouchFor(tx, c, user)))
      throw new SsoFailure('no_account', 'connection does not cover this account’s email domain');
    if (!user) {
      const [pending] = await tx
        .select()
        .from(invitations)
        .where(
          and(
            eq(invitations.tenantId, c.tenantId),
            eq(invitations.email, email),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            sql`${invitations.expiresAt} > now()`,
          ),
        );
      // Security: the operator's invitation cannot seat anyone once the institution has a site admin.
      const inv = pending && !(await isVoidOperatorInvitation(tx, pending)) ? pending : undefined;
      // A new account (invited or just in time) only in a domain this connection covers and its institution verified.
      if (!(await connectionCovers(tx, unsafeTenantScope(c.tenantId), c, email)))
        throw new SsoFailure('no_account', 'connection does not cover this email’s domain');
      if (!inv && !c.jitEnabled) throw new SsoFailure('no_account', 'no invitation and no just-in-time creation for this email');
      if (await readOnlyPeriodOf(tx, c.tenantId))
        throw new SsoFailure('no_account', 'institution past its end of service: no new accounts');
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = ${email}`);
      if (taken) throw new SsoFailure('no_account', 'email belongs to an account elsewhere');
      [user] = await tx
        .insert(users)
        .values({
          id: randomUUID(),
          tenantId: c.tenantId,
          email,
          firstName: inv?.firstName ?? a.firstName ?? email.split('@')[0]!,
          lastName: inv?.lastName ?? a.lastName ?? '',
          role: inv?.role ?? c.jitRole,
          canApprove: inv?.canApprove ?? false,
          passwordHash: null,
        })
        .returning();
      if (inv)
        await tx
          .update(invitations)
          .set({ acceptedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(invitations.tenantId, c.tenantId), eq(invitations.id, inv.id)));
      how = inv ? 'invitation' : 'jit';
    }
    if (user!.status !== 'active') throw new SsoFailure('disabled', 'user disabled');
    await tx
      .insert(ssoIdentities)
      .values({ tenantId: c.tenantId, id: randomUUID(), userId: user!.id, connectionId: c.id, subject: a.subject });
    const { passwordHash: _p, mfaSecret: _m, mfaRecoveryCodes: _r, ...safe } = user!;
    await recordAudit(tx, actorOf(user!, c.tenantId, requestId, 'web'), {
      action: how === 'link' ? 'user.sso_link' : 'user.sso_create',
      recordType: 'user',
      recordId: user!.id,
      tenantId: c.tenantId,
      after: { ...safe, connectionId: c.id, via: how },
    });
    return user!;
  }

  async function finish(c: SsoConnectionRow, a: Assertion, requestId: string, sso: OidcSignOut): Promise<SsoOutcome> {
    return withSystem(db, async (tx) => {
      const user = await linkUser(tx, c, a, requestId);
      try {
        const { token } = await sessions.openSession(tx, user, c.protocol as 'oidc', requestId, sso);
        return { kind: 'session', token } as const;
      } catch {
        throw new SsoFailure('disabled', 'institution not active');
      }
    });
  }

  /**
   * Completes a re-authentication: the provider's subject must already be linked, at this
   * connection, to the person of the session being confirmed; that session is then marked as
   * freshly authenticated, with its audit event, in one transaction. Nothing is linked or created.
   */
  async function finishReauth(c: SsoConnectionRow, pending: PendingLogin, subject: string, requestId: string): Promise<SsoOutcome> {
    return withSystem(db, async (tx) => {
      const [session] = await tx.select().from(sessionRows).where(eq(sessionRows.id, pending.reauthSessionId!));
      const now = Date.now();
      if (!session || session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > config.sessionIdleMinutes * 60_000)
        throw new SsoFailure('expired', 'the session to re-authenticate has ended');
      const [link] = await tx
        .select({ userId: ssoIdentities.userId })
        .from(ssoIdentities)
        .where(and(eq(ssoIdentities.tenantId, c.tenantId), eq(ssoIdentities.connectionId, c.id), eq(ssoIdentities.subject, subject)));
      if (!link || link.userId !== session.userId) throw new SsoFailure('reauth_mismatch', 'another person signed in at the provider');
      const user = await unsafeFindUserById(tx, session.userId);
      if (!user || user.status !== 'active' || user.tenantId !== c.tenantId) throw new SsoFailure('disabled', 'user inactive');
      await tx.update(sessionRows).set({ authenticatedAt: new Date() }).where(eq(sessionRows.id, session.id));
      await recordAudit(tx, actorOf(user, session.tenantId, requestId, 'web'), {
        action: 'session.reauthenticate',
        recordType: 'user',
        recordId: user.id,
        tenantId: user.tenantId,
        after: { via: c.protocol, connectionId: c.id },
      });
      return { kind: 'reauth', returnTo: pending.returnTo ?? '/account' } as const;
    });
  }

  /**
   * Proves a staff member belongs to the connection's institution for its staff request page: the
   * provider's answer was checked exactly as for a sign-in; the email must be verified and in a domain
   * the connection lists and the institution verified. Nothing is linked, created or kept about the
   * person: the use is audited against the connection, with no one named.
   */
  async function finishStaffRequest(
    c: SsoConnectionRow,
    a: { email: string | null; emailVerified: boolean },
    requestId: string,
  ): Promise<SsoOutcome> {
    return withSystem(db, async (tx) => {
      if (!c.staffRequests) throw new SsoFailure('unavailable', 'staff requests are not open through this connection');
      if (!a.email || !a.emailVerified) throw new SsoFailure('no_account', 'no verified email');
      // Security: membership of the institution is a verified domain of its own, never merely what the provider asserts.
      if (!(await connectionCovers(tx, unsafeTenantScope(c.tenantId), c, a.email.toLowerCase())))
        throw new SsoFailure('no_account', 'connection does not cover this email’s domain');
      if (await readOnlyPeriodOf(tx, c.tenantId)) throw new SsoFailure('unavailable', 'institution past its end of service');
      await recordAudit(
        tx,
        { ...systemActor('staff-request-sso', 'web', c.tenantId), requestId },
        {
          action: 'staff_request.sso_entry',
          recordType: 'sso_connection',
          recordId: c.id,
          after: { connectionId: c.id, protocol: c.protocol },
        },
      );
      return { kind: 'staff_request', tenantId: c.tenantId, connectionId: c.id } as const;
    });
  }

  /**
   * Sends the browser to the provider: a first sign-in, (with `reauth`) a forced fresh one confirming
   * a session, or (purpose `staff_request`) a proof of membership for the staff request page.
   */
  async function begin(
    c: SsoConnectionRow,
    reauth?: { sessionId: string; returnTo: string },
    purpose: 'login' | 'staff_request' = 'login',
  ): Promise<SsoStart> {
    const tenantId = c.tenantId;
    const connectionId = c.id;
    const browserToken = newToken();
    const id = hashToken(config.sessionSecret, browserToken);
    const expiresAt = new Date(Date.now() + LOGIN_TTL_MS);
    const reauthColumns = { reauthSessionId: reauth?.sessionId ?? null, returnTo: reauth?.returnTo ?? null, purpose };
    if (c.protocol === 'oidc') {
      const client = await oidcClient(c);
      const oidc = await openidClient();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const codeChallenge = await oidc.calculatePKCECodeChallenge(codeVerifier);
      await withSystem(db, (tx) =>
        tx.insert(ssoLoginStates).values({ tenantId, id, connectionId, state, nonce, codeVerifier, expiresAt, ...reauthColumns }),
      );
      const url = oidc.buildAuthorizationUrl(client, {
        redirect_uri: ssoUrls(config, tenantId, connectionId).oidcRedirectUri,
        scope: 'openid email profile',
        response_type: 'code',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        state,
        nonce,
        // Asks the provider for a multi-factor sign-in when the institution named its acr values.
        ...(c.requireIdpMfa && c.mfaAcrValues.length ? { acr_values: c.mfaAcrValues.join(' ') } : {}),
        // Security: a re-authentication must be a fresh sign-in, not the provider's existing session
        // (OIDC Core 3.1.2.1); the callback also checks the ID token's auth_time.
        ...(reauth ? { prompt: 'login', max_age: '0' } : {}),
      });
      return { redirect: url.href, browserToken };
    }
    // SAML: the request id is remembered (InResponseTo); RelayState carries our random handle; a
    // second random value, in a cookie, binds the sign-in to this browser (login CSRF).
    const samlBrowserToken = newToken();
    let requestId = '';
    const saml = samlFor(
      c,
      {
        saveAsync: async (key, value) => {
          requestId = key;
          return { value, createdAt: Date.now() };
        },
        getAsync: async () => null,
        removeAsync: async () => null,
      },
      !!reauth,
    );
    const url = await saml.getAuthorizeUrlAsync(browserToken, undefined, {});
    await withSystem(db, (tx) =>
      tx.insert(ssoLoginStates).values({
        tenantId,
        id,
        connectionId,
        samlRequestId: requestId,
        browserHash: hashToken(config.sessionSecret, samlBrowserToken),
        expiresAt,
        ...reauthColumns,
      }),
    );
    return { redirect: url, browserToken: null, samlBrowserToken };
  }

  /** The OIDC code exchange and checks, once the pending sign-in is known; re-authentications confirm their session. */
  async function oidcComplete(pending: PendingLogin, currentUrl: URL, requestId: string): Promise<SsoOutcome> {
    const c = await loadConnection(pending.tenantId, pending.connectionId);
    const client = await oidcClient(c);
    const oidc = await openidClient();
    let claims: Oidc.IDToken | undefined;

    let idToken: string | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(client, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier!,
        expectedState: pending.state!,
        expectedNonce: pending.nonce ?? undefined,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      idToken = tokens.id_token;
    } catch (err) {
      throw new SsoFailure('invalid', `code exchange refused: ${(err as { code?: string }).code ?? (err as Error).name}`);
    }
    if (!claims || !idToken) throw new SsoFailure('invalid', 'no id token');
    // Security (ASVS 6.8.4): where the institution requires it, the provider must say it used more than one factor.
    if (c.requireIdpMfa && !idpUsedMfa(claims, c.mfaAcrValues))
      throw new SsoFailure(
        'mfa_required',
        `no multi-factor evidence (acr ${String(claims.acr ?? '-')}, amr ${JSON.stringify(claims.amr ?? [])})`,
      );
    if (pending.reauthSessionId) {
      // Security: the provider must have signed the person in after the re-authentication started,
      // not reused an older session (auth_time is in seconds).
      const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : null;
      if (authTime === null || authTime < Math.floor(startedAt(pending) / 1000))
        throw new SsoFailure('reauth_not_fresh', `auth_time ${authTime ?? '-'} is before the re-authentication started`);
      return finishReauth(c, pending, claims.sub, requestId);
    }
    const email = str(claims.email);
    const domain = email?.split('@')[1]?.toLowerCase() ?? '';
    // Security: Entra ID sends no email_verified; with a tenant-specific issuer, an email in a domain
    // the institution declared (or marked verified by Entra, xms_edov) is trusted. Others must say verified.
    const emailVerified =
      claims.email_verified === true || (c.preset === 'entra' && (claims.xms_edov === true || c.emailDomains.includes(domain)));
    if (pending.purpose === 'staff_request') return finishStaffRequest(c, { email, emailVerified }, requestId);
    return finish(
      c,
      { subject: claims.sub, email, emailVerified, firstName: str(claims.given_name, 200), lastName: str(claims.family_name, 200) },
      requestId,
      { connectionId: c.id, idToken },
    );
  }

  /**
   * Completes a SAML sign-in from the IdP's POST to our assertion consumer service. Each guard refuses
   * with its own code (`SAML_REFUSALS`); every refusal of a response to an existing connection is
   * recorded in its institution's audit log, without any of the assertion's content.
   */
  async function samlAcs(
    tenantId: string,
    connectionId: string,
    body: { SAMLResponse?: string; RelayState?: string },
    requestId: string,
    browserToken?: string,
  ): Promise<SsoOutcome> {
    const [row] = await withSystem(db, (tx) =>
      tx
        .select()
        .from(ssoConnections)
        .where(and(eq(ssoConnections.tenantId, tenantId), eq(ssoConnections.id, connectionId))),
    );
    // An unknown connection has no institution to record anything against.
    if (!row) throw new SsoFailure('unavailable', 'connection missing');
    try {
      return await samlValidate(row, body, requestId, browserToken);
    } catch (err) {
      if (!(err instanceof SsoFailure)) throw err;
      err.refusal ??= (SAML_REFUSALS as readonly string[]).includes(err.reason) ? (err.reason as SamlRefusal) : 'assertion';
      await auditSamlRefusal(row, err, requestId);
      throw err;
    }
  }

  /** Records a refused SAML response against the connection's institution: the codes only. */
  async function auditSamlRefusal(c: SsoConnectionRow, err: SsoFailure, requestId: string): Promise<void> {
    try {
      await withSystem(db, (tx) =>
        recordAudit(
          tx,
          { ...systemActor('saml-acs', 'web', c.tenantId), requestId },
          {
            action: 'sso.saml_refused',
            recordType: 'sso_connection',
            recordId: c.id,
            after: {
              connectionId: c.id,
              refusal: err.refusal,
              reason: err.reason,
              reauth: !!err.returnTo && err.returnTo !== STAFF_REQUEST_PAGE,
              ...(err.returnTo === STAFF_REQUEST_PAGE ? { staffRequest: true } : {}),
            },
          },
        ),
      );
    } catch {
      // The person still gets the refusal; the log line (sso.routes.ts) keeps the codes.
    }
  }

  async function samlValidate(
    c: SsoConnectionRow,
    body: { SAMLResponse?: string; RelayState?: string },
    requestId: string,
    browserToken: string | undefined,
  ): Promise<SsoOutcome> {
    const { tenantId, id: connectionId } = c;
    if (!c.enabled || c.protocol !== 'saml') throw samlRefused('unavailable', 'connection disabled or not SAML', 'unavailable');
    if (!body.SAMLResponse || body.SAMLResponse.length > 500_000) throw samlRefused('no_response', 'no SAML response');
    const xml = Buffer.from(body.SAMLResponse, 'base64').toString('utf8');
    // Security: signature wrapping hides a second assertion next to the signed one. A response
    // must hold exactly one assertion (encrypted ones are not configured), and no DOCTYPE.
    if (/<!DOCTYPE/i.test(xml)) throw samlRefused('doctype', 'DOCTYPE in response');
    let doc: unknown;
    try {
      doc = await samlXml().parseDomFromString(xml);
    } catch {
      throw samlRefused('unparsable', 'unparsable response');
    }
    const assertions = samlXml().xpath.selectElements(doc as never, "//*[local-name()='Assertion' or local-name()='EncryptedAssertion']");
    if (assertions.length !== 1) throw samlRefused('assertion_count', `expected one assertion, found ${assertions.length}`);
    const assertion = assertions[0]!;
    const responseEl = samlXml().xpath.selectElements(doc as never, "/*[local-name()='Response']")[0] as
      { getAttribute(n: string): string | null } | undefined;
    // An IdP answering with an error status signs in nobody, whatever else the response carries
    // (node-saml reads the status only when no assertion came).
    const status = responseEl
      ? (samlXml().xpath.selectElements(responseEl as never, "./*[local-name()='Status']/*[local-name()='StatusCode']")[0] as
          { getAttribute(n: string): string | null } | undefined)
      : undefined;
    if (responseEl && status?.getAttribute('Value') !== 'urn:oasis:names:tc:SAML:2.0:status:Success')
      throw samlRefused('status', `status ${status?.getAttribute('Value') ?? 'missing'}`);
    const urls = ssoUrls(config, tenantId, connectionId);
    const destination = responseEl?.getAttribute('Destination');
    if (destination && destination !== urls.acsUrl) throw samlRefused('destination', 'wrong Destination');
    const confirmations = samlXml().xpath.selectElements(assertion as never, ".//*[local-name()='SubjectConfirmationData']") as unknown as {
      getAttribute(n: string): string | null;
    }[];
    if (!confirmations.length || confirmations.some((s) => s.getAttribute('Recipient') !== urls.acsUrl))
      throw samlRefused('recipient', 'wrong Recipient');
    // Security: node-saml checks the Issuer of logout messages only. The assertion's, and the
    // response's when it names one, must be the IdP's entity id (SAML profiles 4.1.4.2).
    const issuerOf = (el: unknown) =>
      (
        samlXml().xpath.selectElements(el as never, "./*[local-name()='Issuer']")[0] as { textContent: string | null } | undefined
      )?.textContent?.trim();
    const responseIssuer = responseEl ? issuerOf(responseEl) : undefined;
    if (
      !c.samlIdpEntityId ||
      issuerOf(assertion) !== c.samlIdpEntityId ||
      (responseIssuer !== undefined && responseIssuer !== c.samlIdpEntityId)
    )
      throw samlRefused('issuer', 'Issuer is not the IdP');
    // An assertion without any signature is told apart from one whose signature fails.
    if (!samlXml().xpath.selectElements(assertion as never, "./*[local-name()='Signature']").length)
      throw samlRefused('unsigned', 'the assertion is not signed');
    const inResponseTo = responseEl?.getAttribute('InResponseTo') ?? '';
    // The pending request: this connection's, answered by InResponseTo.
    const [pending] = await withSystem(db, (tx) =>
      tx
        .select()
        .from(ssoLoginStates)
        .where(
          and(
            eq(ssoLoginStates.tenantId, tenantId),
            eq(ssoLoginStates.connectionId, connectionId),
            inArray(ssoLoginStates.purpose, ['login', 'staff_request']),
            eq(ssoLoginStates.samlRequestId, inResponseTo),
          ),
        ),
    );
    if (!pending) throw samlRefused('unknown_request', 'InResponseTo names no pending request of this connection');
    if (!body.RelayState || pending.id !== hashToken(config.sessionSecret, body.RelayState))
      throw samlRefused('relay_state', 'RelayState is not the one issued with the request');
    // Security (login CSRF): the browser posting the response must be the one that started the
    // sign-in; otherwise someone could sign a victim's browser into their own account.
    if (!browserToken || !pending.browserHash || !safeEqual(pending.browserHash, hashToken(config.sessionSecret, browserToken)))
      throw samlRefused('browser', 'not the browser that started the sign-in', 'expired');
    if (pending.expiresAt.getTime() <= Date.now()) throw samlRefused('request_expired', 'the request has expired', 'expired');
    // From here the flow is known: a re-authentication's failures go back to the page it came from.
    return inReauth(pending, async () => {
      const cache: CacheProvider = {
        saveAsync: async () => null,
        getAsync: async (key) =>
          key === pending.samlRequestId && pending.expiresAt.getTime() > Date.now() ? new Date(pending.createdAt).toISOString() : null,
        removeAsync: async () => null,
      };
      let profile: Awaited<ReturnType<SAML['validatePostResponseAsync']>>['profile'];
      try {
        ({ profile } = await samlFor(c, cache).validatePostResponseAsync({ SAMLResponse: body.SAMLResponse! }));
      } catch (err) {
        throw samlRefused(nodeSamlRefusal(err), `assertion refused: ${(err as Error).message.slice(0, 120)}`);
      }
      if (!profile) throw samlRefused('assertion', 'no profile');
      const assertionId = (assertion as unknown as { getAttribute(n: string): string | null }).getAttribute('ID') ?? '';
      // Replay: the request is spent and the assertion id remembered until it would have expired.
      await withSystem(db, async (tx) => {
        await tx.delete(samlSeenAssertions).where(lt(samlSeenAssertions.expiresAt, new Date()));
        const spent = await tx
          .delete(ssoLoginStates)
          .where(and(eq(ssoLoginStates.tenantId, tenantId), eq(ssoLoginStates.id, pending.id)))
          .returning();
        if (!spent.length) throw samlRefused('unknown_request', 'the request was spent meanwhile');
        const fresh = await tx
          .insert(samlSeenAssertions)
          .values({ tenantId, assertionId, expiresAt: new Date(Date.now() + SAML_MAX_AGE_MS + CLOCK_SKEW_MS) })
          .onConflictDoNothing()
          .returning();
        if (!fresh.length) throw samlRefused('replay', 'assertion id already consumed');
      });
      const statements = samlAuthnStatements(assertion);
      // Security (ASVS 6.8.4): where the institution requires it, every authentication statement must
      // name one of the contexts it declared multi-factor.
      if (c.requireIdpMfa && (!statements.length || statements.some((st) => !st.classRef || !c.samlMfaAuthnContexts.includes(st.classRef))))
        throw new SsoFailure(
          'mfa_required',
          `no multi-factor authentication context (${statements.map((st) => st.classRef ?? '-').join(', ')})`,
        );
      if (pending.reauthSessionId) {
        // Security: ForceAuthn was asked; the IdP must have signed the person in after the request was made.
        const since = Math.floor(startedAt(pending) / 1000) * 1000;
        if (!statements.length || statements.some((st) => !Number.isFinite(st.instant) || st.instant < since))
          throw new SsoFailure('reauth_not_fresh', 'AuthnInstant is before the re-authentication started');
        return finishReauth(c, pending, profile.nameID, requestId);
      }
      const attrs = profile as Record<string, unknown>;
      const email = samlAttribute(attrs, SAML_ATTRIBUTES.email) ?? (profile.nameID.includes('@') ? str(profile.nameID) : null);
      if (pending.purpose === 'staff_request') return finishStaffRequest(c, { email, emailVerified: !!email }, requestId);
      return finish(
        c,
        {
          subject: profile.nameID,
          email,
          // The institution's own IdP signed it; matching stays inside that institution.
          emailVerified: !!email,
          firstName: samlAttribute(attrs, SAML_ATTRIBUTES.firstName, 200),
          lastName: samlAttribute(attrs, SAML_ATTRIBUTES.lastName, 200),
        },
        requestId,
        {
          connectionId: c.id,
          idToken: null,
          // Only what a LogoutRequest needs, and only where the IdP offers single logout.
          saml: hasSamlSingleLogout(c)
            ? {
                nameID: profile.nameID,
                nameIDFormat: profile.nameIDFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
                nameQualifier: profile.nameQualifier,
                spNameQualifier: profile.spNameQualifier,
                sessionIndex: profile.sessionIndex,
              }
            : null,
        },
      );
    });
  }

  /** Builds the signed LogoutRequest URL of a SAML session and records the request id it awaits an answer to. */
  async function samlLogoutUrl(session: {
    id: string;
    tenantId: string;
    ssoConnectionId: string;
    ssoSamlLogout: string;
  }): Promise<string | null> {
    try {
      const c = await loadConnection(session.tenantId, session.ssoConnectionId);
      if (!hasSamlSingleLogout(c)) return null;
      const signIn = JSON.parse(openSecret(config.secretKeys, session.ssoSamlLogout, samlLogoutAad(session.id))) as SamlSignIn;
      let requestId: string | null = null;
      const cache: CacheProvider = {
        saveAsync: async (key, value) => {
          requestId = key;
          return { value, createdAt: Date.now() };
        },
        getAsync: async () => null,
        removeAsync: async () => null,
      };
      const relayState = newToken();
      const url = await samlFor(c, cache).getLogoutUrlAsync(
        { issuer: c.samlIdpEntityId ?? '', ...signIn } as Parameters<SAML['getLogoutUrlAsync']>[0],
        relayState,
        {},
      );
      if (!requestId) return null;
      await withSystem(db, async (tx) => {
        // Requests an IdP never answered (and abandoned sign-ins) are of no use once expired.
        await tx.delete(ssoLoginStates).where(and(eq(ssoLoginStates.tenantId, c.tenantId), lt(ssoLoginStates.expiresAt, new Date())));
        await tx.insert(ssoLoginStates).values({
          tenantId: c.tenantId,
          id: hashToken(config.sessionSecret, relayState),
          connectionId: c.id,
          purpose: 'logout',
          samlRequestId: requestId,
          expiresAt: new Date(Date.now() + LOGIN_TTL_MS),
        });
      });
      return url;
    } catch {
      // Signing out of Vetted never depends on the IdP: without a request, the browser goes to the sign-in page.
      return null;
    }
  }

  /**
   * Checks the IdP's LogoutResponse (HTTP-Redirect binding): answers a LogoutRequest we made for this
   * connection (RelayState and InResponseTo, single use, not expired), signed by one of the IdP's
   * certificates over the query (SHA-256 or better), issued by the IdP. `failed` when the IdP says it
   * could not end its session; an SsoFailure when the response is refused.
   */
  async function samlLogoutResponse(
    tenantId: string,
    connectionId: string,
    query: { SAMLResponse: string; RelayState?: string | undefined; SigAlg?: string | undefined; Signature?: string | undefined },
    rawQuery: string,
  ): Promise<SamlLogoutOutcome> {
    const relayState = query.RelayState;
    if (!relayState) throw samlRefused('unknown_request', 'no RelayState');
    const [pending] = await withSystem(db, (tx) =>
      tx
        .delete(ssoLoginStates)
        .where(
          and(
            eq(ssoLoginStates.tenantId, tenantId),
            eq(ssoLoginStates.connectionId, connectionId),
            eq(ssoLoginStates.purpose, 'logout'),
            eq(ssoLoginStates.id, hashToken(config.sessionSecret, relayState)),
          ),
        )
        .returning(),
    );
    if (!pending || pending.expiresAt.getTime() < Date.now())
      throw samlRefused(pending ? 'request_expired' : 'unknown_request', 'no pending logout request', 'expired');
    const c = await loadConnection(tenantId, connectionId);
    if (c.protocol !== 'saml') throw samlRefused('unavailable', 'not a SAML connection');
    // Security: node-saml accepts an unsigned redirect message; we never do, nor SHA-1.
    if (!query.Signature || !query.SigAlg) throw samlRefused('unsigned', 'unsigned');
    if (!REDIRECT_SIG_ALGS[query.SigAlg]) throw samlRefused('signature_algorithm', 'SHA-1 or unknown signature algorithm');
    let xml: string;
    try {
      xml = inflateRawSync(Buffer.from(query.SAMLResponse, 'base64'), { maxOutputLength: 200_000 }).toString('utf8');
    } catch {
      throw samlRefused('unparsable', 'unreadable response');
    }
    if (/<!DOCTYPE/i.test(xml)) throw samlRefused('doctype', 'DOCTYPE in response');
    // Only the raw parameters we read are signed over, each once.
    const params = rawQuery.split('&');
    for (const name of ['SAMLResponse', 'RelayState', 'SigAlg', 'Signature'])
      if (params.filter((p) => p.startsWith(`${name}=`)).length !== 1) throw samlRefused('parameters', `${name} not given once`);
    if (params.some((p) => /^SAMLRequest=/.test(p))) throw samlRefused('parameters', 'request and response together');
    const signed = ['SAMLResponse', 'RelayState', 'SigAlg'].map((n) => params.find((p) => p.startsWith(`${n}=`))!).join('&');
    let valid = false;
    try {
      valid = c.samlIdpCerts
        .map(toPem)
        .some((pem) => createVerify(REDIRECT_SIG_ALGS[query.SigAlg!]!).update(signed).verify(pem, query.Signature!, 'base64'));
    } catch {
      valid = false;
    }
    if (!valid) throw samlRefused('signature', 'bad signature');
    let doc: unknown;
    try {
      doc = await samlXml().parseDomFromString(xml);
    } catch {
      throw samlRefused('unparsable', 'unparsable response');
    }
    type El = { getAttribute(n: string): string | null; textContent: string | null };
    const root = samlXml().xpath.selectElements(doc as never, "/*[local-name()='LogoutResponse']")[0] as El | undefined;
    if (!root) throw samlRefused('unparsable', 'not a LogoutResponse');
    const issuer = (samlXml().xpath.selectElements(root as never, "./*[local-name()='Issuer']")[0] as El | undefined)?.textContent?.trim();
    if (!issuer || issuer !== c.samlIdpEntityId) throw samlRefused('issuer', 'wrong Issuer');
    if (root.getAttribute('InResponseTo') !== pending.samlRequestId) throw samlRefused('in_response_to', 'wrong InResponseTo');
    const destination = root.getAttribute('Destination');
    if (destination && destination !== ssoUrls(config, tenantId, connectionId).sloUrl)
      throw samlRefused('destination', 'wrong Destination');
    const status = samlXml().xpath.selectElements(root as never, "./*[local-name()='Status']/*[local-name()='StatusCode']")[0] as
      El | undefined;
    const nested = samlXml().xpath.selectElements(
      root as never,
      "./*[local-name()='Status']/*[local-name()='StatusCode']/*[local-name()='StatusCode']",
    )[0] as El | undefined;
    const ok =
      status?.getAttribute('Value') === 'urn:oasis:names:tc:SAML:2.0:status:Success' &&
      nested?.getAttribute('Value') !== 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout';
    return ok ? 'done' : 'failed';
  }

  return {
    /** Starts a sign-in at the provider. Returns where to send the browser and the value of the cookie binding it to the browser. */
    async start(tenantId: string, connectionId: string): Promise<SsoStart> {
      return begin(await loadConnection(tenantId, connectionId));
    },

    /**
     * Starts a staff member's proof of membership for the institution's staff request page, at a
     * connection its site admin opened to staff requests. Refusals send the browser back to the page.
     */
    async startStaffRequest(tenantId: string, connectionId: string): Promise<SsoStart> {
      try {
        const c = await loadConnection(tenantId, connectionId);
        if (!c.staffRequests) throw new SsoFailure('unavailable', 'staff requests are not open through this connection');
        return await begin(c, undefined, 'staff_request');
      } catch (err) {
        if (err instanceof SsoFailure) err.returnTo = STAFF_REQUEST_PAGE;
        throw err;
      }
    },

    /**
     * Starts a re-authentication of the caller's session at their identity provider: the connection
     * the session came through, else the newest enabled one their account is linked to. The provider
     * is asked for a fresh sign-in (OIDC `prompt=login`, `max_age=0`; SAML `ForceAuthn`).
     */
    async startReauth(auth: Authenticated, returnTo: string): Promise<SsoStart & { tenantId: string; connectionId: string }> {
      const linked = await withSystem(db, (tx) =>
        tx
          .select({ c: ssoConnections, linkedAt: ssoIdentities.createdAt })
          .from(ssoIdentities)
          .innerJoin(
            ssoConnections,
            and(eq(ssoConnections.tenantId, ssoIdentities.tenantId), eq(ssoConnections.id, ssoIdentities.connectionId)),
          )
          .where(and(eq(ssoIdentities.userId, auth.user.id), eq(ssoConnections.enabled, true))),
      );
      const mine = linked.filter((l) => l.c.tenantId === auth.user.tenantId).sort((x, y) => y.linkedAt.getTime() - x.linkedAt.getTime());
      const chosen = mine.find((l) => l.c.id === auth.session.ssoConnectionId) ?? mine[0];
      if (!chosen) throw new AppError('conflict', 'Your account does not sign in with single sign-on. Confirm with your password instead.');
      try {
        return {
          ...(await begin(chosen.c, { sessionId: auth.session.id, returnTo })),
          tenantId: chosen.c.tenantId,
          connectionId: chosen.c.id,
        };
      } catch (err) {
        if (err instanceof SsoFailure)
          throw new AppError('conflict', 'Your institution’s sign-in is not available right now. Try again later.');
        throw err;
      }
    },

    /** Completes an OIDC sign-in; `browserToken` comes from the cookie set at the start. */
    async oidcCallback(browserToken: string | undefined, currentUrl: URL, requestId: string) {
      if (!browserToken) throw new SsoFailure('expired', 'no browser binding');
      const [pending] = await withSystem(db, (tx) =>
        tx
          .delete(ssoLoginStates)
          .where(eq(ssoLoginStates.id, hashToken(config.sessionSecret, browserToken)))
          .returning(),
      );
      if (!pending || pending.expiresAt.getTime() < Date.now() || !pending.state || !pending.codeVerifier)
        throw new SsoFailure('expired', 'no pending sign-in');
      return inReauth(pending, () => oidcComplete(pending, currentUrl, requestId));
    },

    /** Completes a SAML sign-in from the IdP's POST to our assertion consumer service. */
    samlAcs,

    /**
     * Where to send the browser after signing out of an SSO session. OIDC: the provider's end-session
     * endpoint with the session's ID token as hint and our sign-in page as the way back (RP-initiated
     * logout). SAML: the IdP's single logout service with a signed LogoutRequest naming this sign-in
     * (SP-initiated single logout); the request id waits for the IdP's LogoutResponse. Null for other
     * sessions, or when the provider offers no such endpoint or is unreachable.
     */
    async endSessionUrl(session: {
      id: string;
      tenantId: string | null;
      ssoConnectionId: string | null;
      ssoIdToken: string | null;
      ssoSamlLogout: string | null;
    }) {
      if (!session.ssoConnectionId || !session.tenantId) return null;
      if (session.ssoSamlLogout)
        return samlLogoutUrl({
          ...session,
          tenantId: session.tenantId,
          ssoConnectionId: session.ssoConnectionId,
          ssoSamlLogout: session.ssoSamlLogout,
        });
      if (!session.ssoIdToken) return null;
      try {
        const c = await loadConnection(session.tenantId, session.ssoConnectionId);
        const client = await oidcClient(c);
        const oidc = await openidClient();
        if (!client.serverMetadata().end_session_endpoint) return null;
        const idToken = openSecret(config.secretKeys, session.ssoIdToken, idTokenAad(session.id));
        return oidc.buildEndSessionUrl(client, {
          id_token_hint: idToken,
          post_logout_redirect_uri: ssoUrls(config, c.tenantId, c.id).postLogoutRedirectUri,
        }).href;
      } catch {
        return null;
      }
    },

    /** Checks the IdP's LogoutResponse to a LogoutRequest we made (HTTP-Redirect binding). */
    samlLogoutResponse,

    /** Our service-provider metadata for one connection (public; what the IdP administrator imports). */
    async samlMetadata(tenantId: string, connectionId: string): Promise<string> {
      // Public and unauthenticated: a malformed id, an unknown one, another region's institution, a
      // disabled or OIDC connection are all the same 404.
      if (!UUID_SHAPE.test(tenantId) || !UUID_SHAPE.test(connectionId)) throw new AppError('not_found', 'Not found');
      const [found] = await withSystem(db, (tx) =>
        tx
          .select({ c: ssoConnections, region: institutions.region })
          .from(ssoConnections)
          .innerJoin(institutions, eq(institutions.id, ssoConnections.tenantId))
          .where(and(eq(ssoConnections.tenantId, tenantId), eq(ssoConnections.id, connectionId))),
      );
      if (!found || !found.c.enabled || found.c.protocol !== 'saml' || found.region !== config.region)
        throw new AppError('not_found', 'Not found');
      const c = found.c;
      const xml = samlFor(c).generateServiceProviderMetadata(null, c.samlSpKey ? c.samlSpCert : null);
      // Our logout endpoint takes the IdP's LogoutResponse by HTTP-Redirect (node-saml names HTTP-POST).
      return xml.replace(
        /(<SingleLogoutService Binding=")urn:oasis:names:tc:SAML:2\.0:bindings:HTTP-POST(")/,
        '$1urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect$2',
      );
    },
  };
}

/** What PostgreSQL's uuid type reads: any 8-4-4-4-12 hex (nil and max too). */
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const noCache: CacheProvider = { saveAsync: async () => null, getAsync: async () => null, removeAsync: async () => null };
export type SsoLoginService = ReturnType<typeof createSsoLoginService>;
