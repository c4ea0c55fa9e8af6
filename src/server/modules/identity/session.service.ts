import { and, eq, lt, ne, or } from 'drizzle-orm';
import type { SessionBody } from '../../../contracts/api.js';
import type { Role } from '../../../contracts/domain.js';
import { institutions, sessions, users } from '../../db/schema/index.js';
import { type Actor, isPlatformAdmin } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { connectionStringOf, deferSessionCheck, openTransaction, withSystem, type Tx } from '../../platform/db.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { verifyPassword } from '../../platform/passwords.js';
import { sealSecret } from '../../platform/secrets.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import { findAuthPolicy } from './auth-policy.repo.js';
import { readOnlyPeriodOf } from '../tenants/institutions.repo.js';
import { operatorAccessOf } from '../tenants/operator-access.repo.js';
import { presentSession, type SessionInstitution } from './identity.presenter.js';
import { fromRow, type RowVersions, sessionGuard, sessionRead, touchDue, touchSession, versionsOf } from './session-read.js';
import { unsafeFindUserByEmail, type UserRow } from './users.repo.js';

type SessionRow = typeof sessions.$inferSelect;

/** How a session was opened (shown in the sessions list, kept in the audit log). */
export type SessionMethod = 'password' | 'password+mfa' | 'oidc' | 'saml' | 'invitation';

/** An authenticated request: the actor plus what the session route needs. */
export interface Authenticated {
  actor: Actor;
  user: UserRow;
  session: SessionRow;
}

/** What a correct password leads to: a session, or a second step (MFA) first. */
export type LoginOutcome = { kind: 'session'; token: string; body: SessionBody } | { kind: 'mfa'; user: UserRow; mode: 'verify' | 'enrol' };

/** What names a SAML sign-in in a LogoutRequest: the assertion's NameID (with its qualifiers) and SessionIndex. */
export interface SamlSignIn {
  nameID: string;
  nameIDFormat: string;
  nameQualifier?: string | undefined;
  spNameQualifier?: string | undefined;
  sessionIndex?: string | undefined;
}

/**
 * The connection an SSO session came through; for OIDC, the ID token that ends the provider's
 * session at sign-out; for SAML with single logout, what names the sign-in in the LogoutRequest.
 */
export interface OidcSignOut {
  connectionId: string;
  idToken: string | null;
  saml?: SamlSignIn | null;
}

/** The additional data binding a sealed ID token to its session row. */
export const idTokenAad = (sessionId: string) => `oidc-id-token:${sessionId}`;
/** The additional data binding a sealed SAML sign-in (NameID, SessionIndex) to its session row. */
export const samlLogoutAad = (sessionId: string) => `saml-logout:${sessionId}`;

const BAD_CREDENTIALS = 'The email or password is not correct';

/** The actor of a user in a session. */
export function actorOf(user: UserRow, tenantId: string | null, requestId: string, source: Actor['source']): Actor {
  return {
    kind: 'user',
    userId: user.id,
    role: user.role as Role,
    canApprove: user.canApprove,
    tenantId,
    homeTenantId: user.tenantId,
    label: `${user.firstName} ${user.lastName}`,
    requestId,
    source,
  };
}

/** A session and its user as read from the database, with their rows' versions (ADR 0027). */
interface CachedSession {
  session: SessionRow;
  user: UserRow;
  versions: RowVersions;
}

/** How many sessions one process keeps read; the oldest read is forgotten first. */
const SESSION_CACHE_SIZE = 2_000;

export function createSessionService(ctx: Pick<AppContext, 'db' | 'config'>) {
  const { db, config } = ctx;
  const ttlMs = config.sessionTtlHours * 3600_000;
  const idleMs = config.sessionIdleMinutes * 60_000;
  const reauthMs = config.reauthMinutes * 60_000;
  /**
   * Sessions this process read, by id, until their `last_seen_at` is due a refresh (a minute at most).
   * Only a read uses one, and only with its check in the first message of its work (ADR 0027).
   */
  const cache = new Map<string, CachedSession>();
  // On PostgreSQL only: the embedded database's one connection has no round trip to save.
  const caching = config.sessionCache && connectionStringOf(db) !== null;

  /** The cached session of `id` when a read may use it at `now`: within its limits, not due a refresh, not a platform admin's. */
  function cachedSession(id: string, now: number): CachedSession | null {
    const hit = cache.get(id);
    if (!hit) return null;
    const { session } = hit;
    if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > idleMs || touchDue(session.lastSeenAt, now)) {
      cache.delete(id);
      return null;
    }
    return hit;
  }

  function remember(id: string, entry: CachedSession): void {
    cache.delete(id);
    if (cache.size >= SESSION_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(id, entry);
  }

  async function startSession(
    tx: Tx,
    user: UserRow,
    method: SessionMethod = 'password',
    sso?: OidcSignOut,
  ): Promise<{ token: string; session: SessionRow }> {
    const token = newToken();
    const id = hashToken(config.sessionSecret, token);
    const [session] = await tx
      .insert(sessions)
      .values({
        id,
        userId: user.id,
        tenantId: user.tenantId,
        csrfToken: newToken(),
        expiresAt: new Date(Date.now() + ttlMs),
        method,
        // The connection is where a re-authentication goes. The ID token is kept sealed only to end the
        // provider's session at sign-out (id_token_hint); never sent anywhere else.
        ssoConnectionId: sso?.connectionId ?? null,
        ssoIdToken: sso?.idToken ? sealSecret(config.secretKeys, sso.idToken, idTokenAad(id)) : null,
        // Security: the NameID is personal data; kept sealed, only the fields a LogoutRequest needs, and gone with the session.
        ssoSamlLogout: sso?.saml
          ? sealSecret(
              config.secretKeys,
              JSON.stringify({
                nameID: sso.saml.nameID,
                nameIDFormat: sso.saml.nameIDFormat,
                nameQualifier: sso.saml.nameQualifier,
                spNameQualifier: sso.saml.spNameQualifier,
                sessionIndex: sso.saml.sessionIndex,
              }),
              samlLogoutAad(id),
            )
          : null,
      })
      .returning();
    return { token, session: session! };
  }

  /** The institution a session works in, with its read-only period (the web client shows it on every page). */
  async function institutionOf(tx: Tx, tenantId: string | null): Promise<SessionInstitution | null> {
    if (!tenantId) return null;
    const [row] = await tx.select().from(institutions).where(eq(institutions.id, tenantId));
    return row ? { ...row, readOnly: await readOnlyPeriodOf(tx, tenantId) } : null;
  }

  /** Opens a session for a user who passed every factor, records it, and builds the body. */
  async function openSession(
    tx: Tx,
    user: UserRow,
    method: SessionMethod,
    requestId: string,
    sso?: OidcSignOut,
  ): Promise<{ token: string; body: SessionBody }> {
    const institution = await institutionOf(tx, user.tenantId);
    if (institution && institution.status !== 'active' && institution.status !== 'offboarding')
      throw new AppError('unauthorized', BAD_CREDENTIALS);
    const { token, session } = await startSession(tx, user, method, sso);
    const actor = actorOf(user, session.tenantId, requestId, 'web');
    await recordAudit(tx, actor, { action: 'session.create', recordType: 'user', recordId: user.id, tenantId: user.tenantId });
    return { token, body: presentSession(actor, user, institution, session.csrfToken) };
  }

  /** Counts a failed password; the threshold locks the account for a while (answer unchanged). */
  async function countFailure(user: UserRow, requestId: string): Promise<void> {
    await withSystem(db, async (tx) => {
      const failures = user.failedLogins + 1;
      const locks = failures >= config.lockout.threshold;
      await tx
        .update(users)
        .set({
          failedLogins: locks ? 0 : failures,
          lockedUntil: locks ? new Date(Date.now() + config.lockout.minutes * 60_000) : user.lockedUntil,
        })
        .where(eq(users.id, user.id));
      if (locks) {
        const actor = actorOf(user, user.tenantId, requestId, 'web');
        await recordAudit(tx, actor, { action: 'user.lockout', recordType: 'user', recordId: user.id, tenantId: user.tenantId });
      }
    });
  }

  /**
   * Sensitive changes (two-step verification, recovery codes, password, email, ending sessions) need
   * a recent proof of identity: a sign-in or re-authentication within `REAUTH_MINUTES`. A password
   * checked in the same request counts when it is the account's only factor.
   */
  function requireRecentAuth(auth: Authenticated, opts: { passwordJustVerified?: boolean } = {}): void {
    if (opts.passwordJustVerified && !auth.user.mfaEnabledAt) return;
    if (Date.now() - auth.session.authenticatedAt.getTime() <= reauthMs) return;
    throw new AppError('reauthentication_required', 'For your security, confirm it is you before this change.');
  }

  return {
    startSession,
    openSession,
    institutionOf,
    countFailure,
    requireRecentAuth,

    /** Marks the session as just authenticated again (after the password, and the code when enrolled, were checked). */
    async markReauthenticated(tx: Tx, auth: Authenticated): Promise<void> {
      await tx.update(sessions).set({ authenticatedAt: new Date() }).where(eq(sessions.id, auth.session.id));
      await recordAudit(tx, auth.actor, {
        action: 'session.reauthenticate',
        recordType: 'user',
        recordId: auth.user.id,
        tenantId: auth.user.tenantId,
      });
    },

    /**
     * Checks email and password. Security: one answer whether the email is unknown, the password
     * wrong, the account disabled or locked out; the password hash is verified in every case so the
     * time taken does not tell them apart either.
     */
    async login(email: string, password: string, requestId: string): Promise<LoginOutcome> {
      const user = await withSystem(db, (tx) => unsafeFindUserByEmail(tx, email));
      const locked = !!user?.lockedUntil && user.lockedUntil.getTime() > Date.now();
      const ok = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, password);
      if (!user || !ok || locked) {
        if (user && !ok && user.status === 'active' && !locked) await countFailure(user, requestId);
        throw new AppError('unauthorized', BAD_CREDENTIALS);
      }
      return withSystem(db, async (tx) => {
        const policy = user.tenantId ? await findAuthPolicy(tx, user.tenantId) : null;
        if (policy?.requireSso && policy.breakGlassUserId !== user.id) {
          throw new AppError('forbidden', 'Your institution signs in with single sign-on. Use your institution’s sign-in button.');
        }
        if (user.failedLogins > 0 || user.lockedUntil) {
          await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id));
        }
        if (user.mfaEnabledAt) return { kind: 'mfa', user, mode: 'verify' } as const;
        // Security: platform admins reach every institution; they never sign in on a password alone.
        if (user.role === 'platform_admin' || policy?.requireMfa) return { kind: 'mfa', user, mode: 'enrol' } as const;
        return { kind: 'session', ...(await openSession(tx, user, 'password', requestId)) } as const;
      });
    },

    /**
     * Resolves a session cookie to an actor, or null when absent, unknown, idle too long or expired.
     * The session and its user are read from the database on every request (a revocation anywhere is
     * honoured on the next one), with one message that also opens the request's transaction, set to
     * the session's institution, for its first unit of work (platform/db.ts `openTransaction`).
     */
    async authenticate(
      token: string,
      requestId: string,
      source: Actor['source'],
      opts: { cached?: boolean } = {},
    ): Promise<Authenticated | null> {
      const id = hashToken(config.sessionSecret, token);
      const now = Date.now();
      // A read (`cached`) may take the session this process read within the last minute: the request's
      // first message to the database then checks that neither row changed since (deferSessionCheck).
      const hit = opts.cached && caching ? cachedSession(id, now) : null;
      if (hit && (await deferSessionCheck(db, sessionGuard(id, hit.versions), hit.session.tenantId)))
        return { actor: actorOf(hit.user, hit.session.tenantId, requestId, source), user: hit.user, session: hit.session };
      const [row] = await openTransaction(db, sessionRead(id), (r) => (r.s_tenant_id as string | null) ?? null);
      cache.delete(id);
      if (!row) return null;
      const session = fromRow(sessions, 's_', row);
      const user = fromRow(users, 'u_', row);
      if (session.expiresAt.getTime() <= now || now - session.lastSeenAt.getTime() > idleMs) {
        await withSystem(db, (tx) => tx.delete(sessions).where(eq(sessions.id, id)));
        return null;
      }
      if (user.status !== 'active') return null;
      // About once a minute: this request's transaction then refreshes the session and ends, and its
      // first unit of work opens a transaction of its own. The row read is then out of date: not kept.
      if (touchDue(session.lastSeenAt, now)) await withSystem(db, (tx) => touchSession(tx, id, now, idleMs));
      // Security: what a platform admin may do inside an institution is read on every request, never kept.
      else if (caching && user.role !== 'platform_admin') remember(id, { session, user, versions: versionsOf(row) });
      const actor = actorOf(user, session.tenantId, requestId, source);
      // Security: what a platform admin may do inside the institution is decided again on every request.
      if (user.role === 'platform_admin' && session.tenantId) {
        const tenantId = session.tenantId;
        actor.operatorAccess = await withSystem(db, (tx) => operatorAccessOf(tx, tenantId));
      }
      return { actor, user, session };
    },

    /**
     * Every request a platform admin makes inside an institution under a support grant is recorded in
     * that institution's audit log (what was asked for, not what was answered), refused ones included.
     */
    async recordSupportUse(auth: { actor: Actor }, method: string, path: string): Promise<void> {
      if (auth.actor.operatorAccess !== 'support' || !auth.actor.tenantId) return;
      const tenantId = auth.actor.tenantId;
      await withSystem(db, (tx) =>
        recordAudit(tx, auth.actor, {
          action: 'support_access.use',
          recordType: 'institution',
          recordId: tenantId,
          after: { method, path },
          tenantId,
        }),
      );
    },

    async describe(auth: Authenticated): Promise<SessionBody> {
      const institution = await withSystem(db, (tx) => institutionOf(tx, auth.session.tenantId));
      return presentSession(auth.actor, auth.user, institution, auth.session.csrfToken);
    },

    async logout(auth: Authenticated): Promise<void> {
      cache.delete(auth.session.id);
      await withSystem(db, async (tx) => {
        await tx.delete(sessions).where(eq(sessions.id, auth.session.id));
        await recordAudit(tx, auth.actor, {
          action: 'session.delete',
          recordType: 'user',
          recordId: auth.user.id,
          tenantId: auth.user.tenantId,
        });
      });
    },

    /** The caller's own sessions, newest first. */
    async listOwn(auth: Authenticated) {
      const rows = await withSystem(db, (tx) => tx.select().from(sessions).where(eq(sessions.userId, auth.user.id)));
      const now = Date.now();
      return rows
        .filter((s) => s.expiresAt.getTime() > now && now - s.lastSeenAt.getTime() <= idleMs)
        .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime())
        .map((s) => ({
          id: s.handle,
          method: s.method as SessionMethod,
          createdAt: s.createdAt.toISOString(),
          lastSeenAt: s.lastSeenAt.toISOString(),
          expiresAt: new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + idleMs)).toISOString(),
          current: s.id === auth.session.id,
        }));
    },

    /** Ends one of the caller's sessions (by its handle), or every other one when `handle` is null. Needs a recent authentication. */
    async revokeOwn(auth: Authenticated, handle: string | null): Promise<void> {
      requireRecentAuth(auth);
      await withSystem(db, async (tx) => {
        const where =
          handle === null
            ? and(eq(sessions.userId, auth.user.id), ne(sessions.id, auth.session.id))
            : and(eq(sessions.userId, auth.user.id), eq(sessions.handle, handle));
        const gone = await tx.delete(sessions).where(where).returning({ id: sessions.id });
        if (handle !== null && gone.length === 0) throw new AppError('not_found', 'Session not found');
        await recordAudit(tx, auth.actor, {
          action: handle === null ? 'session.revoke_others' : 'session.revoke',
          recordType: 'user',
          recordId: auth.user.id,
          tenantId: auth.user.tenantId,
        });
      });
    },

    /**
     * A platform admin picks the institution to act in; recorded in that institution's log with the
     * access it gives (onboarding, support, or none: ADR 0007).
     */
    async switchInstitution(auth: Authenticated, institutionId: string | null): Promise<SessionBody> {
      if (!isPlatformAdmin(auth.actor)) throw forbidden('Only platform administrators switch institutions');
      return withSystem(db, async (tx) => {
        const institution = await institutionOf(tx, institutionId);
        if (institutionId && (!institution || institution.status === 'purged')) throw new AppError('not_found', 'Institution not found');
        const [session] = await tx
          .update(sessions)
          .set({ tenantId: institutionId, updatedAt: new Date() })
          .where(eq(sessions.id, auth.session.id))
          .returning();
        const actor: Actor = {
          ...auth.actor,
          tenantId: institutionId,
          operatorAccess: institutionId ? await operatorAccessOf(tx, institutionId) : null,
        };
        if (institutionId) {
          await recordAudit(tx, actor, {
            action: 'institution.enter',
            recordType: 'institution',
            recordId: institutionId,
            after: { operatorAccess: actor.operatorAccess ?? 'none' },
          });
        }
        return presentSession(actor, auth.user, institution, session!.csrfToken);
      });
    },

    /** Removes expired and idle sessions. */
    async sweepExpired(): Promise<number> {
      const rows = await withSystem(db, (tx) =>
        tx
          .delete(sessions)
          .where(or(lt(sessions.expiresAt, new Date()), lt(sessions.lastSeenAt, new Date(Date.now() - idleMs))))
          .returning({ id: sessions.id }),
      );
      return rows.length;
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
