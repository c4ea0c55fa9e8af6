import { eq, lt } from 'drizzle-orm';
import type { SessionBody } from '../../../contracts/api.js';
import type { Role } from '../../../contracts/domain.js';
import { institutions, sessions } from '../../db/schema/index.js';
import { type Actor, isPlatformAdmin } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, type Tx } from '../../platform/db.js';
import { AppError, forbidden } from '../../platform/errors.js';
import { verifyPassword } from '../../platform/passwords.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import { presentSession } from './identity.presenter.js';
import { unsafeFindUserByEmail, unsafeFindUserById, type UserRow } from './users.repo.js';

type SessionRow = typeof sessions.$inferSelect;

/** An authenticated request: the actor plus what the session route needs. */
export interface Authenticated {
  actor: Actor;
  user: UserRow;
  session: SessionRow;
}

/** Only refresh `last_seen_at` this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 60_000;

export function createSessionService(ctx: Pick<AppContext, 'db' | 'config'>) {
  const { db, config } = ctx;
  const ttlMs = config.sessionTtlHours * 3600_000;

  function actorOf(user: UserRow, session: SessionRow, requestId: string, source: Actor['source']): Actor {
    return {
      kind: 'user',
      userId: user.id,
      role: user.role as Role,
      canApprove: user.canApprove,
      tenantId: session.tenantId,
      homeTenantId: user.tenantId,
      label: `${user.firstName} ${user.lastName}`,
      requestId,
      source,
    };
  }

  async function startSession(tx: Tx, user: UserRow): Promise<{ token: string; session: SessionRow }> {
    const token = newToken();
    const [session] = await tx
      .insert(sessions)
      .values({
        id: hashToken(config.sessionSecret, token),
        userId: user.id,
        tenantId: user.tenantId,
        csrfToken: newToken(),
        expiresAt: new Date(Date.now() + ttlMs),
      })
      .returning();
    return { token, session: session! };
  }

  async function institutionOf(tx: Tx, tenantId: string | null) {
    if (!tenantId) return null;
    const [row] = await tx.select().from(institutions).where(eq(institutions.id, tenantId));
    return row ?? null;
  }

  return {
    startSession,

    /** Signs in with email and password. The same answer whether the email is unknown or the password wrong. */
    async login(email: string, password: string, requestId: string): Promise<{ token: string; body: SessionBody }> {
      const user = await withSystem(db, (tx) => unsafeFindUserByEmail(tx, email));
      const ok = await verifyPassword(user?.status === 'active' ? user.passwordHash : null, password);
      if (!user || !ok) throw new AppError('unauthorized', 'The email or password is not correct');
      return withSystem(db, async (tx) => {
        const institution = await institutionOf(tx, user.tenantId);
        if (institution && institution.status !== 'active' && institution.status !== 'offboarding') {
          throw new AppError('unauthorized', 'The email or password is not correct');
        }
        const { token, session } = await startSession(tx, user);
        const actor = actorOf(user, session, requestId, 'web');
        await recordAudit(tx, actor, { action: 'session.create', recordType: 'user', recordId: user.id, tenantId: user.tenantId });
        return { token, body: presentSession(actor, user, institution, session.csrfToken) };
      });
    },

    /** Resolves a session cookie to an actor, or null when absent, unknown or expired. */
    async authenticate(token: string, requestId: string, source: Actor['source']): Promise<Authenticated | null> {
      const id = hashToken(config.sessionSecret, token);
      return withSystem(db, async (tx) => {
        const [session] = await tx.select().from(sessions).where(eq(sessions.id, id));
        if (!session) return null;
        const now = Date.now();
        if (session.expiresAt.getTime() <= now) {
          await tx.delete(sessions).where(eq(sessions.id, id));
          return null;
        }
        const user = await unsafeFindUserById(tx, session.userId);
        if (!user || user.status !== 'active') return null;
        if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
          await tx.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, id));
        }
        return { actor: actorOf(user, session, requestId, source), user, session };
      });
    },

    async describe(auth: Authenticated): Promise<SessionBody> {
      const institution = await withSystem(db, (tx) => institutionOf(tx, auth.session.tenantId));
      return presentSession(auth.actor, auth.user, institution, auth.session.csrfToken);
    },

    async logout(auth: Authenticated): Promise<void> {
      await withSystem(db, async (tx) => {
        await tx.delete(sessions).where(eq(sessions.id, auth.session.id));
        await recordAudit(tx, auth.actor, { action: 'session.delete', recordType: 'user', recordId: auth.user.id, tenantId: auth.user.tenantId });
      });
    },

    /** A platform admin picks the institution to act in (onboarding); recorded in that institution's log. */
    async switchInstitution(auth: Authenticated, institutionId: string | null): Promise<SessionBody> {
      if (!isPlatformAdmin(auth.actor)) throw forbidden('Only platform administrators switch institutions');
      return withSystem(db, async (tx) => {
        const institution = await institutionOf(tx, institutionId);
        if (institutionId && (!institution || institution.status === 'purged')) throw new AppError('not_found', 'Institution not found');
        const [session] = await tx.update(sessions).set({ tenantId: institutionId, updatedAt: new Date() }).where(eq(sessions.id, auth.session.id)).returning();
        const actor = { ...auth.actor, tenantId: institutionId };
        if (institutionId) {
          await recordAudit(tx, actor, { action: 'institution.enter', recordType: 'institution', recordId: institutionId });
        }
        return presentSession(actor, auth.user, institution, session!.csrfToken);
      });
    },

    /** Removes expired sessions. */
    async sweepExpired(): Promise<number> {
      const rows = await withSystem(db, (tx) => tx.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id }));
      return rows.length;
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
