import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuthPolicyBody, SsoConnectionBody, ssoConnectionCreateSchema, ssoConnectionUpdateSchema } from '../../../contracts/auth.js';
import { authPolicies, institutions, ssoConnections, ssoDomains, users } from '../../db/schema/index.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Config } from '../../platform/config.js';
import { withSystem, withTenant } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sealSecret } from '../../platform/secrets.js';
import { findAuthPolicy } from './auth-policy.repo.js';
import { fetchIdpMetadata, parseIdpMetadata, type SamlIdpSettings } from './saml-metadata.js';
import { generateSpSigningKey } from './saml-sp-key.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { checkConnectionDomains } from './sso-domains.service.js';

type CreateInput = z.output<typeof ssoConnectionCreateSchema>;
type UpdateInput = z.output<typeof ssoConnectionUpdateSchema>;
type IdpInput = NonNullable<UpdateInput['idp']>;
export type SsoConnectionRow = typeof ssoConnections.$inferSelect;

/** Where the service answers an institution's providers. */
export function ssoUrls(config: Pick<Config, 'publicUrl'>, tenantId: string, connectionId: string) {
  const base = `${config.publicUrl}/api/v1/sso/saml/${tenantId}/${connectionId}`;
  return {
    oidcRedirectUri: `${config.publicUrl}/api/v1/sso/oidc/callback`,
    postLogoutRedirectUri: `${config.publicUrl}/sign-in`,
    spEntityId: `${base}/metadata`,
    acsUrl: `${base}/acs`,
    sloUrl: `${base}/logout`,
    metadataUrl: `${base}/metadata`,
    startUrl: `/api/v1/sso/start/${tenantId}/${connectionId}`,
    staffRequestUrl: `${config.publicUrl}/api/v1/public/staff-requests/sso/${tenantId}/${connectionId}`,
  };
}

/** The additional data binding a connection's sealed SAML signing key to its row. */
export const spKeyAad = (tenantId: string, connectionId: string) => `saml-sp-key:${tenantId}:${connectionId}`;

/** Whether signing out of a session through this connection also ends the person's session at the SAML IdP. */
export const hasSamlSingleLogout = (c: Pick<SsoConnectionRow, 'protocol' | 'samlIdpSloUrl' | 'samlSpKey' | 'samlSpCert'>) =>
  c.protocol === 'saml' && !!c.samlIdpSloUrl && !!c.samlSpKey && !!c.samlSpCert;

/** The issuer of a preset: Google Workspace, a tenant-specific Entra ID issuer, or as given. */
export function issuerOf(input: CreateInput): string | null {
  if (input.preset === 'google') return 'https://accounts.google.com';
  if (input.preset === 'entra') return `https://login.microsoftonline.com/${input.entraTenantId}/v2.0`;
  if (input.preset === 'oidc') return input.issuer.replace(/\/$/, '');
  return null;
}

/** The only way a connection leaves the server: the client secret never does. */
export function presentConnection(config: Pick<Config, 'publicUrl'>, c: SsoConnectionRow): SsoConnectionBody {
  const urls = ssoUrls(config, c.tenantId, c.id);
  return {
    id: c.id,
    protocol: c.protocol as 'oidc',
    preset: c.preset as 'oidc',
    displayName: c.displayName,
    enabled: c.enabled,
    emailDomains: c.emailDomains,
    jitEnabled: c.jitEnabled,
    jitRole: c.jitRole as 'app_admin',
    staffRequests: c.staffRequests,
    staffRequestUrl: urls.staffRequestUrl,
    oidc:
      c.protocol === 'oidc'
        ? {
            issuer: c.oidcIssuer ?? '',
            clientId: c.oidcClientId ?? '',
            hasClientSecret: !!c.oidcClientSecret,
            redirectUri: urls.oidcRedirectUri,
            postLogoutRedirectUri: urls.postLogoutRedirectUri,
            requireIdpMfa: c.requireIdpMfa,
            mfaAcrValues: c.mfaAcrValues,
          }
        : null,
    saml:
      c.protocol === 'saml'
        ? {
            idpEntityId: c.samlIdpEntityId ?? '',
            idpSsoUrl: c.samlIdpSsoUrl ?? '',
            certificateCount: c.samlIdpCerts.length,
            spEntityId: urls.spEntityId,
            acsUrl: urls.acsUrl,
            metadataUrl: urls.metadataUrl,
            sloUrl: urls.sloUrl,
            singleLogout: hasSamlSingleLogout(c),
            requireIdpMfa: c.requireIdpMfa,
            mfaAuthnContexts: c.samlMfaAuthnContexts,
          }
        : null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** Audited form of a connection: the sealed secret only as "changed". */
function audited(c: SsoConnectionRow) {
  const { oidcClientSecret, samlSpKey, ...rest } = c;
  return { ...rest, clientSecret: oidcClientSecret ? '[sealed]' : null, samlSpKey: samlSpKey ? '[sealed]' : null };
}

/** Site admins configure their institution's identity providers and sign-in policy. */
export function createSsoService(ctx: Pick<AppContext, 'db' | 'config'>) {
  const { db, config } = ctx;
  const allowHttp = !config.isProduction;
  const sealAad = (tenantId: string, id: string) => `oidc-client-secret:${tenantId}:${id}`;

  function checkUrl(url: string, field: string): void {
    if (!allowHttp && !url.startsWith('https://'))
      throw new AppError('validation', 'Some fields are not valid', { [field]: 'must use https' });
  }

  async function resolveIdp(idp: IdpInput): Promise<SamlIdpSettings> {
    if ('metadataXml' in idp) return parseIdpMetadata(idp.metadataXml);
    if ('metadataUrl' in idp) return fetchIdpMetadata(idp.metadataUrl, allowHttp);
    checkUrl(idp.ssoUrl, 'idp.ssoUrl');
    return {
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificates: idp.certificates.map((c) => c.replace(/-----[A-Z ]+-----|\s+/g, '')),
      sloUrl: null,
    };
  }

  /** A new signing key for a SAML connection (our LogoutRequests, AuthnRequests), its private half sealed to the row. */
  function newSpKey(tenantId: string, id: string) {
    const key = generateSpSigningKey(`Vetted SAML ${id}`);
    return { samlSpKey: sealSecret(config.secretKeys, key.privateKey, spKeyAad(tenantId, id)), samlSpCert: key.certificate };
  }

  /** Security (ASVS 6.8.4): a SAML connection that requires multi-factor must say which authentication contexts mean it. */
  function checkSamlMfa(requireIdpMfa: boolean, contexts: readonly string[]): void {
    if (requireIdpMfa && !contexts.length)
      throw new AppError('validation', 'Some fields are not valid', {
        mfaAuthnContexts: 'list at least one authentication context that means multi-factor at this provider',
      });
  }

  return {
    async list(actor: Actor): Promise<SsoConnectionBody[]> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, (tx) =>
        tx.select().from(ssoConnections).where(byTenant(ssoConnections.tenantId, scope)).orderBy(asc(ssoConnections.createdAt)),
      );
      return rows.map((r) => presentConnection(config, r));
    },

    async create(actor: Actor, input: CreateInput): Promise<SsoConnectionBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      const id = randomUUID();
      const issuer = issuerOf(input);
      if (issuer) checkUrl(issuer, 'issuer');
      if (input.preset === 'saml') checkSamlMfa(input.requireIdpMfa, input.mfaAuthnContexts);
      // Network first, outside the transaction.
      const idp = input.preset === 'saml' ? await resolveIdp(input.idp) : null;
      return withTenant(db, scope, async (tx) => {
        // Security: a provider vouches only for domains its institution proved it controls.
        await checkConnectionDomains(tx, scope, input.emailDomains);
        const [row] = await tx
          .insert(ssoConnections)
          .values({
            tenantId: scope.tenantId,
            id,
            protocol: input.preset === 'saml' ? 'saml' : 'oidc',
            preset: input.preset,
            displayName: input.displayName,
            enabled: input.enabled,
            emailDomains: input.emailDomains,
            jitEnabled: input.jitEnabled,
            jitRole: input.jitRole,
            staffRequests: input.staffRequests,
            oidcIssuer: issuer,
            oidcClientId: input.preset === 'saml' ? null : input.clientId,
            oidcClientSecret:
              input.preset === 'saml' ? null : sealSecret(config.secretKeys, input.clientSecret, sealAad(scope.tenantId, id)),
            samlIdpEntityId: idp?.entityId ?? null,
            samlIdpSsoUrl: idp?.ssoUrl ?? null,
            samlIdpCerts: idp?.certificates ?? [],
            samlIdpSloUrl: idp?.sloUrl ?? null,
            ...(input.preset === 'saml' ? newSpKey(scope.tenantId, id) : {}),
            requireIdpMfa: input.requireIdpMfa,
            mfaAcrValues: input.preset === 'saml' ? [] : input.mfaAcrValues,
            samlMfaAuthnContexts: input.preset === 'saml' ? input.mfaAuthnContexts : [],
          })
          .returning();
        await recordAudit(tx, actor, { action: 'sso_connection.create', recordType: 'sso_connection', recordId: id, after: audited(row!) });
        return presentConnection(config, row!);
      });
    },

    async update(actor: Actor, id: string, patch: UpdateInput): Promise<SsoConnectionBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      const idp = patch.idp ? await resolveIdp(patch.idp) : null;
      return withTenant(db, scope, async (tx) => {
        const [before] = await tx
          .select()
          .from(ssoConnections)
          .where(and(byTenant(ssoConnections.tenantId, scope), eq(ssoConnections.id, id)));
        if (!before) throw notFound('Identity provider');
        if (before.protocol === 'saml' && (patch.clientId || patch.clientSecret))
          throw new AppError('validation', 'Some fields are not valid', { clientId: 'is for OIDC providers only' });
        if (before.protocol === 'saml' && patch.mfaAcrValues !== undefined)
          throw new AppError('validation', 'Some fields are not valid', { mfaAcrValues: 'is for OIDC providers only' });
        if (before.protocol === 'oidc' && patch.mfaAuthnContexts !== undefined)
          throw new AppError('validation', 'Some fields are not valid', { mfaAuthnContexts: 'is for SAML providers only' });
        if (before.protocol === 'saml')
          checkSamlMfa(patch.requireIdpMfa ?? before.requireIdpMfa, patch.mfaAuthnContexts ?? before.samlMfaAuthnContexts);
        if (before.protocol === 'oidc' && patch.idp)
          throw new AppError('validation', 'Some fields are not valid', { idp: 'is for SAML providers only' });
        if (patch.emailDomains) await checkConnectionDomains(tx, scope, patch.emailDomains, before.emailDomains);
        const [after] = await tx
          .update(ssoConnections)
          .set({
            displayName: patch.displayName ?? before.displayName,
            enabled: patch.enabled ?? before.enabled,
            emailDomains: patch.emailDomains ?? before.emailDomains,
            jitEnabled: patch.jitEnabled ?? before.jitEnabled,
            jitRole: patch.jitRole ?? before.jitRole,
            staffRequests: patch.staffRequests ?? before.staffRequests,
            oidcClientId: patch.clientId ?? before.oidcClientId,
            oidcClientSecret: patch.clientSecret
              ? sealSecret(config.secretKeys, patch.clientSecret, sealAad(scope.tenantId, id))
              : before.oidcClientSecret,
            samlIdpEntityId: idp?.entityId ?? before.samlIdpEntityId,
            samlIdpSsoUrl: idp?.ssoUrl ?? before.samlIdpSsoUrl,
            samlIdpCerts: idp?.certificates ?? before.samlIdpCerts,
            samlIdpSloUrl: idp ? idp.sloUrl : before.samlIdpSloUrl,
            // Connections made before single logout existed get their signing key when next saved.
            ...(before.protocol === 'saml' && !before.samlSpKey ? newSpKey(scope.tenantId, id) : {}),
            requireIdpMfa: patch.requireIdpMfa ?? before.requireIdpMfa,
            mfaAcrValues: patch.mfaAcrValues ?? before.mfaAcrValues,
            samlMfaAuthnContexts: patch.mfaAuthnContexts ?? before.samlMfaAuthnContexts,
            updatedAt: new Date(),
          })
          .where(and(byTenant(ssoConnections.tenantId, scope), eq(ssoConnections.id, id)))
          .returning();
        await recordAudit(tx, actor, {
          action: 'sso_connection.update',
          recordType: 'sso_connection',
          recordId: id,
          before: audited(before),
          after: audited(after!),
        });
        return presentConnection(config, after!);
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        const gone = await tx
          .delete(ssoConnections)
          .where(and(byTenant(ssoConnections.tenantId, scope), eq(ssoConnections.id, id)))
          .returning();
        if (!gone[0]) throw notFound('Identity provider');
        await recordAudit(tx, actor, {
          action: 'sso_connection.delete',
          recordType: 'sso_connection',
          recordId: id,
          before: audited(gone[0]),
        });
      });
    },

    async getPolicy(actor: Actor): Promise<AuthPolicyBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      const row = await withTenant(db, scope, (tx) => findAuthPolicy(tx, scope.tenantId));
      return {
        requireSso: row?.requireSso ?? false,
        breakGlassUserId: row?.breakGlassUserId ?? null,
        requireMfa: row?.requireMfa ?? false,
      };
    },

    /** Requiring SSO needs an enabled provider and names one break-glass site admin who keeps a password. */
    async setPolicy(actor: Actor, input: AuthPolicyBody): Promise<AuthPolicyBody> {
      authorize(actor, 'manageSso');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        if (input.breakGlassUserId) {
          const [u] = await tx
            .select()
            .from(users)
            .where(and(byTenant(users.tenantId, scope), eq(users.id, input.breakGlassUserId)));
          if (!u) throw new AppError('validation', 'Some fields are not valid', { breakGlassUserId: 'is not a user of this institution' });
          if (u.role !== 'site_admin')
            throw new AppError('validation', 'Some fields are not valid', { breakGlassUserId: 'must be a site administrator' });
        }
        if (input.requireSso) {
          const [n] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(ssoConnections)
            .where(and(byTenant(ssoConnections.tenantId, scope), eq(ssoConnections.enabled, true)));
          if (!n?.n)
            throw new AppError('validation', 'Some fields are not valid', { requireSso: 'needs an enabled identity provider first' });
          if (!input.breakGlassUserId)
            throw new AppError('validation', 'Some fields are not valid', {
              breakGlassUserId: 'name the site administrator who keeps a password for emergencies',
            });
        }
        const before = await findAuthPolicy(tx, scope.tenantId);
        await tx
          .insert(authPolicies)
          .values({ tenantId: scope.tenantId, ...input })
          .onConflictDoUpdate({ target: authPolicies.tenantId, set: { ...input, updatedAt: new Date() } });
        await recordAudit(tx, actor, {
          action: 'auth_policy.update',
          recordType: 'institution',
          recordId: scope.tenantId,
          before: before ?? null,
          after: input,
        });
        return input;
      });
    },

    /**
     * Sign-in discovery by email domain: the enabled providers that list it, of the one institution
     * that verified it. Public.
     */
    async discover(email: string) {
      const domain = email.split('@')[1]?.toLowerCase() ?? '';
      const rows = await withSystem(db, (tx) =>
        tx
          .select({ c: ssoConnections, institutionName: institutions.name, status: institutions.status })
          .from(ssoConnections)
          .innerJoin(institutions, eq(institutions.id, ssoConnections.tenantId))
          .innerJoin(
            ssoDomains,
            and(eq(ssoDomains.tenantId, ssoConnections.tenantId), eq(ssoDomains.domain, domain), eq(ssoDomains.status, 'verified')),
          )
          .where(and(eq(ssoConnections.enabled, true), sql`${domain} = any(${ssoConnections.emailDomains})`)),
      );
      return rows
        .filter((r) => r.status === 'active' || r.status === 'offboarding')
        .map(({ c, institutionName }) => ({
          id: c.id,
          institutionId: c.tenantId,
          institutionName,
          displayName: c.displayName,
          protocol: c.protocol as 'oidc' | 'saml',
          startUrl: ssoUrls(config, c.tenantId, c.id).startUrl,
        }));
    },
  };
}
export type SsoService = ReturnType<typeof createSsoService>;
