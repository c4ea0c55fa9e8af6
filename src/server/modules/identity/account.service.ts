import { and, eq, isNull, sql } from 'drizzle-orm';
import type { SessionBody } from '../../../contracts/api.js';
import { authTokens, sessions as sessionsTable, users } from '../../db/schema/index.js';
import { authorize, isPlatformAdmin, scopeOf } from '../../platform/authz.js';
import type { Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, withTenant, type Tx } from '../../platform/db.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { hashPassword, verifyPassword } from '../../platform/passwords.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import { findAuthPolicy } from './auth-policy.repo.js';
import type { PasswordPolicy } from './password-policy.js';
import { actorOf, type Authenticated, type SessionService } from './session.service.js';
import { mfaOff } from './mfa.service.js';
import { findUser, unsafeFindUserByEmail, unsafeFindUserById, type UserRow } from './users.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';

const RESET_TTL_MS = 30 * 60_000;
const EMAIL_CHANGE_TTL_MS = 24 * 3600_000;

/** Password change and reset, email change, and ending a user's sessions. */
export function createAccountService(
  ctx: Pick<AppContext, 'db' | 'config' | 'mailer'>,
  sessions: SessionService,
  passwords: PasswordPolicy,
  log: (msg: string) => void = () => {},
) {
  const { db, config, mailer } = ctx;
  const tokenId = (token: string) => hashToken(config.sessionSecret, token);

  /** Sends after the commit and without holding the answer back, so timing tells nothing. */
  function sendLater(to: string, subject: string, text: string): void {
    mailer.send({ to, subject, text }).catch(() => log('an account email could not be sent'));
  }

  return {
    /** Changes the caller's password; every session of theirs ends and a fresh one replaces this one. */
    async changePassword(auth: Authenticated, currentPassword: string, newPassword: string): Promise<{ token: string; body: SessionBody }> {
      const user = auth.user;
      if (!user.passwordHash)
        throw new AppError('conflict', 'Your account signs in with your institution’s single sign-on and has no password here.');
      if (!(await verifyPassword(user.passwordHash, currentPassword))) {
        throw invalid('currentPassword', 'is not correct', 'not_correct');
      }
      sessions.requireRecentAuth(auth, { passwordJustVerified: true });
      await passwords.assertAllowed(newPassword, user, 'newPassword');
      const passwordHash = await hashPassword(newPassword);
      return withSystem(db, async (tx) => {
        await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
        // Security: a changed password ends every session, including ones an intruder may hold.
        await tx.delete(sessionsTable).where(eq(sessionsTable.userId, user.id));
        await recordAudit(tx, auth.actor, {
          action: 'user.password_change',
          recordType: 'user',
          recordId: user.id,
          tenantId: user.tenantId,
        });
        const fresh = (await unsafeFindUserById(tx, user.id))!;
        return sessions.openSession(tx, fresh, auth.session.method as 'password', auth.actor.requestId);
      });
    },

    /**
     * Starts a password reset. Security: the same answer and about the same time whether or not the
     * email has an account; the link is single use and expires after 30 minutes.
     */
    async requestReset(email: string): Promise<void> {
      const found = await withSystem(db, async (tx) => {
        const user = await unsafeFindUserByEmail(tx, email);
        if (!user || user.status !== 'active') return null;
        const policy = user.tenantId ? await findAuthPolicy(tx, user.tenantId) : null;
        if (policy?.requireSso && policy.breakGlassUserId !== user.id) return { user, token: null };
        await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(authTokens.userId, user.id), eq(authTokens.purpose, 'password_reset'), isNull(authTokens.usedAt)));
        const token = newToken();
        await tx
          .insert(authTokens)
          .values({
            id: tokenId(token),
            tenantId: user.tenantId,
            userId: user.id,
            purpose: 'password_reset',
            expiresAt: new Date(Date.now() + RESET_TTL_MS),
          });
        return { user, token };
      });
      if (!found) return;
      if (!found.token) {
        sendLater(
          found.user.email,
          'Sign in to Vetted with your institution / Connexion à Vetted par votre établissement',
          'Your institution signs in to Vetted with single sign-on, so there is no password to reset. Use your institution’s button on the sign-in page.\n\n---\n\nVotre établissement se connecte à Vetted par authentification unique : il n’y a pas de mot de passe à réinitialiser. Utilisez le bouton de votre établissement sur la page de connexion.',
        );
        return;
      }
      const link = `${config.publicUrl}/reset-password?token=${encodeURIComponent(found.token)}`;
      sendLater(
        found.user.email,
        'Reset your Vetted password / Réinitialiser votre mot de passe Vetted',
        [
          `Hello ${found.user.firstName},`,
          '',
          'Someone asked to reset your Vetted password. If it was you, choose a new one here (the link works once and expires in 30 minutes):',
          link,
          'If it was not you, ignore this message; your password stays as it is.',
          '',
          '---',
          '',
          `Bonjour ${found.user.firstName},`,
          '',
          'Une réinitialisation de votre mot de passe Vetted a été demandée. Si c’est vous, choisissez-en un nouveau ici (lien à usage unique, valable 30 minutes) :',
          link,
          'Sinon, ignorez ce message ; votre mot de passe ne change pas.',
        ].join('\n'),
      );
    },

    /** Completes a reset: new password, link spent, lockout cleared, every session ended. */
    async completeReset(token: string, password: string, requestId: string): Promise<void> {
      const pending = await withSystem(db, async (tx) => {
        const [row] = await tx
          .select()
          .from(authTokens)
          .where(eq(authTokens.id, tokenId(token)));
        if (!row || row.purpose !== 'password_reset' || row.usedAt || row.expiresAt.getTime() < Date.now()) return null;
        return unsafeFindUserById(tx, row.userId);
      });
      if (!pending) throw new AppError('not_found', 'This reset link is not valid any more. Ask for a new one.');
      await passwords.assertAllowed(password, pending);
      const passwordHash = await hashPassword(password);
      await withSystem(db, async (tx) => {
        // Single use even under a race: only one transaction flips used_at.
        const spent = await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(authTokens.id, tokenId(token)), isNull(authTokens.usedAt)))
          .returning({ userId: authTokens.userId });
        if (spent.length === 0) throw new AppError('not_found', 'This reset link is not valid any more. Ask for a new one.');
        await tx
          .update(users)
          .set({ passwordHash, failedLogins: 0, lockedUntil: null, updatedAt: new Date() })
          .where(eq(users.id, pending.id));
        await tx.delete(sessionsTable).where(eq(sessionsTable.userId, pending.id));
        await recordAudit(tx, actorOf(pending, pending.tenantId, requestId, 'web'), {
          action: 'user.password_reset',
          recordType: 'user',
          recordId: pending.id,
          tenantId: pending.tenantId,
        });
      });
    },

    /** Starts an email change: a link goes to the new address; nothing changes until it is opened. */
    async requestEmailChange(auth: Authenticated, newEmail: string, password: string): Promise<void> {
      const user = auth.user;
      if (!user.passwordHash)
        throw new AppError(
          'conflict',
          'Your email comes from your institution’s single sign-on; ask your administrator to change it there.',
        );
      if (!(await verifyPassword(user.passwordHash, password)))
        throw invalid('password', 'is not correct', 'not_correct');
      sessions.requireRecentAuth(auth, { passwordJustVerified: true });
      if (newEmail === user.email.toLowerCase())
        throw new AppError('validation', 'Some fields are not valid', { newEmail: 'is your current email' });
      const token = newToken();
      await withSystem(db, async (tx) => {
        await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(authTokens.userId, user.id), eq(authTokens.purpose, 'email_change'), isNull(authTokens.usedAt)));
        await tx
          .insert(authTokens)
          .values({
            id: tokenId(token),
            tenantId: user.tenantId,
            userId: user.id,
            purpose: 'email_change',
            newEmail,
            expiresAt: new Date(Date.now() + EMAIL_CHANGE_TTL_MS),
          });
        await recordAudit(tx, auth.actor, {
          action: 'user.email_change_request',
          recordType: 'user',
          recordId: user.id,
          tenantId: user.tenantId,
        });
      });
      const link = `${config.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
      sendLater(
        newEmail,
        'Confirm your new Vetted email / Confirmez votre nouveau courriel Vetted',
        `Open this link to use this address for Vetted (it works once, for 24 hours):\n${link}\n\n---\n\nOuvrez ce lien pour utiliser cette adresse dans Vetted (usage unique, 24 heures) :\n${link}`,
      );
      sendLater(
        user.email,
        'Your Vetted email is changing / Votre courriel Vetted va changer',
        'A change of the email of your Vetted account was asked. If it was not you, change your password now and tell your administrator.\n\n---\n\nUn changement du courriel de votre compte Vetted a été demandé. Si ce n’est pas vous, changez votre mot de passe et prévenez votre administrateur.',
      );
    },

    /** Confirms an email change from the link sent to the new address. */
    async confirmEmailChange(token: string, requestId: string): Promise<void> {
      await withSystem(db, async (tx) => {
        const spent = await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(
            and(
              eq(authTokens.id, tokenId(token)),
              eq(authTokens.purpose, 'email_change'),
              isNull(authTokens.usedAt),
              sql`${authTokens.expiresAt} > now()`,
            ),
          )
          .returning();
        const row = spent[0];
        if (!row?.newEmail) throw new AppError('not_found', 'This confirmation link is not valid any more.');
        const taken = await unsafeFindUserByEmail(tx, row.newEmail);
        if (taken && taken.id !== row.userId) throw new AppError('conflict', 'This email is already used by another account.');
        const before = (await unsafeFindUserById(tx, row.userId))!;
        await tx.update(users).set({ email: row.newEmail, updatedAt: new Date() }).where(eq(users.id, row.userId));
        await recordAudit(tx, actorOf(before, before.tenantId, requestId, 'web'), {
          action: 'user.email_change',
          recordType: 'user',
          recordId: before.id,
          tenantId: before.tenantId,
          before: { email: before.email },
          after: { email: row.newEmail },
        });
      });
    },

    /**
     * A person lost their authenticator and recovery codes: a site admin of their institution (or,
     * for a platform admin, another platform admin) turns two-step verification off for them, ends
     * every session of theirs, and they are told by email. Where it is required they set it up again
     * at their next sign-in. Never for oneself; needs the admin's recent authentication.
     */
    async resetUserMfa(auth: Authenticated, userId: string): Promise<void> {
      const actor = auth.actor;
      if (!isPlatformAdmin(actor)) authorize(actor, 'manageUsers');
      if (userId === auth.user.id)
        throw forbidden('You cannot reset your own two-step verification. Ask another administrator.');
      sessions.requireRecentAuth(auth);
      const reset = async (tx: Tx, target: UserRow) => {
        if (!target.mfaEnabledAt) throw new AppError('conflict', 'Two-step verification is not set up for this person.');
        await tx.update(users).set(mfaOff()).where(eq(users.id, target.id));
        const gone = await tx.delete(sessionsTable).where(eq(sessionsTable.userId, target.id)).returning({ id: sessionsTable.id });
        // A second step already under way cannot finish either.
        await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(authTokens.userId, target.id), sql`${authTokens.purpose} like 'mfa_%'`, isNull(authTokens.usedAt)));
        await recordAudit(tx, actor, {
          action: 'user.mfa_reset',
          recordType: 'user',
          recordId: target.id,
          tenantId: target.tenantId,
          after: { sessionsEnded: gone.length },
        });
        return target;
      };
      // Security: platform admins reset only other platform admins (never an institution's people);
      // site admins only people of their own institution (another's is not found).
      const target = isPlatformAdmin(actor)
        ? await withSystem(db, async (tx) => {
            const u = await unsafeFindUserById(tx, userId);
            if (!u || u.role !== 'platform_admin') throw notFound('User');
            return reset(tx, u);
          })
        : await withTenant(db, scopeOf(actor), async (tx) => {
            const u = await findUser(tx, scopeOf(actor), userId);
            if (!u) throw notFound('User');
            return reset(tx, u);
          });
      const by = auth.actor.label;
      sendLater(
        target.email,
        'Your Vetted two-step verification was reset / Votre vérification en deux étapes Vetted a été réinitialisée',
        [
          `Hello ${target.firstName},`,
          '',
          `${by}, an administrator, turned off two-step verification on your Vetted account and signed you out everywhere.`,
          'Your recovery codes no longer work. If your account requires two-step verification, you will set it up again with your authenticator app at your next sign-in.',
          'If you did not ask for this, tell your administrator at once.',
          '',
          '---',
          '',
          `Bonjour ${target.firstName},`,
          '',
          `${by}, administrateur ou administratrice, a désactivé la vérification en deux étapes de votre compte Vetted et vous a déconnecté·e partout.`,
          'Vos codes de récupération ne fonctionnent plus. Si votre compte exige la vérification en deux étapes, vous la configurerez de nouveau avec votre application d’authentification à votre prochaine connexion.',
          'Si vous n’avez rien demandé, prévenez votre administrateur sans tarder.',
        ].join('\n'),
      );
    },

    /** A site admin ends every session of a user of their institution. */
    async revokeUserSessions(actor: Actor, userId: string): Promise<number> {
      authorize(actor, 'manageUsers');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const user = await findUser(tx, scope, userId);
        if (!user) throw notFound('User');
        const gone = await tx
          .delete(sessionsTable)
          .where(and(byTenant(sessionsTable.tenantId, scope), eq(sessionsTable.userId, userId)))
          .returning({ id: sessionsTable.id });
        await recordAudit(tx, actor, {
          action: 'user.sessions_revoke',
          recordType: 'user',
          recordId: userId,
          after: { count: gone.length },
        });
        return gone.length;
      });
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
