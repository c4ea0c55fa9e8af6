import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { SessionBody } from '../../../contracts/api.js';
import { authTokens, users } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, type Tx } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import { openSecret, sealSecret } from '../../platform/secrets.js';
import { hashPassword, verifyPassword } from '../../platform/passwords.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import { findAuthPolicy } from './auth-policy.repo.js';
import { qrPath } from './qr.js';
import { actorOf, type Authenticated, type SessionService } from './session.service.js';
import { unsafeFindUserById, type UserRow } from './users.repo.js';

const CHALLENGE_TTL_MS = 10 * 60_000;
const CHALLENGE_MAX_ATTEMPTS = 5;
const RECOVERY_CODES = 10;
const PERIOD = 30;
/** Two-step verification turned off: the secret, the codes and the last step all go. */
export const mfaOff = () => ({ mfaSecret: null, mfaEnabledAt: null, mfaRecoveryCodes: [] as string[], mfaLastStep: null, updatedAt: new Date() });
const WRONG_CODE = 'The code is not correct. Try the current code from your app, or a recovery code.';

/** A recovery code: 10 base32 characters shown as two groups of five (50 bits). */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normalizeCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The stored hash a recovery code matches, or null. Security: recovery codes (50 bits) are stored as
 * argon2id hashes, each with its own random salt (ASVS 6.5.2); every stored hash is verified, whatever
 * matches, so the time taken says nothing about which code (if any) was right. Anything else in the
 * column (the keyed hashes of before, cleared by migration 0011) never matches.
 */
async function matchRecoveryCode(stored: readonly string[], code: string): Promise<string | null> {
  const candidate = normalizeCode(code);
  const results = await Promise.all(stored.map((h) => (h.startsWith('$argon2id$') ? verifyPassword(h, candidate) : Promise.resolve(false))));
  const index = results.indexOf(true);
  return index === -1 ? null : stored[index]!;
}

/** TOTP enrolment, verification and recovery codes; the second step of a password sign-in. */
export function createMfaService(ctx: Pick<AppContext, 'db' | 'config'>, sessions: SessionService) {
  const { db, config } = ctx;
  const aad = (userId: string) => `mfa:${userId}`;

  function totpFor(user: UserRow, secret: string): TOTP {
    return new TOTP({
      issuer: 'Vetted',
      label: user.email,
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD,
      secret: Secret.fromBase32(secret),
    });
  }

  /** True when the code is a fresh TOTP code (never one already used) or an unused recovery code (then spent). */
  async function checkCode(tx: Tx, user: UserRow, code: string, allowRecovery: boolean): Promise<boolean> {
    if (!user.mfaSecret) return false;
    const digits = code.replace(/\s/g, '');
    if (/^\d{6}$/.test(digits)) {
      const totp = totpFor(user, openSecret(config.secretKeys, user.mfaSecret, aad(user.id)));
      const delta = totp.validate({ token: digits, window: 1 });
      if (delta === null) return false;
      const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
      // Security: a code is accepted once; a code seen on a shoulder or in a proxy cannot be replayed.
      if (user.mfaLastStep !== null && step <= user.mfaLastStep) return false;
      await tx.update(users).set({ mfaLastStep: step }).where(eq(users.id, user.id));
      return true;
    }
    if (!allowRecovery) return false;
    const match = await matchRecoveryCode(user.mfaRecoveryCodes, code);
    if (!match) return false;
    // Single use even under a race: only one transaction removes the hash it matched.
    const spent = await tx
      .update(users)
      .set({ mfaRecoveryCodes: sql`array_remove(${users.mfaRecoveryCodes}, ${match})` })
      .where(and(eq(users.id, user.id), sql`${match} = any(${users.mfaRecoveryCodes})`))
      .returning({ id: users.id });
    if (!spent.length) return false;
    await recordAudit(tx, actorOf(user, user.tenantId, 'mfa', 'web'), {
      action: 'user.mfa_recovery_used',
      recordType: 'user',
      recordId: user.id,
      tenantId: user.tenantId,
    });
    return true;
  }

  async function newRecoveryCodes(tx: Tx, user: UserRow): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    const hashes = await Promise.all(codes.map((c) => hashPassword(normalizeCode(c))));
    await tx.update(users).set({ mfaRecoveryCodes: hashes, updatedAt: new Date() }).where(eq(users.id, user.id));
    return codes;
  }

  async function startEnrolment(user: UserRow): Promise<{ secret: string; uri: string; qr: { size: number; path: string } }> {
    if (user.mfaEnabledAt) throw new AppError('conflict', 'Two-step verification is already on. Turn it off first to use a new device.');
    const secret = new Secret({ size: 20 }).base32;
    await withSystem(db, (tx) =>
      tx
        .update(users)
        .set({ mfaSecret: sealSecret(config.secretKeys, secret, aad(user.id)), updatedAt: new Date() })
        .where(eq(users.id, user.id)),
    );
    const uri = totpFor(user, secret).toString();
    return { secret, uri, qr: qrPath(uri) };
  }

  async function confirmEnrolment(
    tx: Tx,
    userId: string,
    code: string,
    requestId: string,
  ): Promise<{ user: UserRow; recoveryCodes: string[] }> {
    const user = await unsafeFindUserById(tx, userId);
    if (!user?.mfaSecret || user.mfaEnabledAt) throw new AppError('conflict', 'Start the set-up of two-step verification first.');
    if (!(await checkCode(tx, user, code, false))) throw new AppError('validation', 'Some fields are not valid', { code: WRONG_CODE });
    await tx.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, user.id));
    const recoveryCodes = await newRecoveryCodes(tx, user);
    await recordAudit(tx, actorOf(user, user.tenantId, requestId, 'web'), {
      action: 'user.mfa_enable',
      recordType: 'user',
      recordId: user.id,
      tenantId: user.tenantId,
    });
    return { user: (await unsafeFindUserById(tx, userId))!, recoveryCodes };
  }

  /** The pending second step of a sign-in, by its token; spent after too many wrong codes. */
  async function loadChallenge(tx: Tx, token: string) {
    const [row] = await tx
      .select()
      .from(authTokens)
      .where(eq(authTokens.id, hashToken(config.sessionSecret, token)));
    if (
      !row ||
      row.usedAt ||
      row.expiresAt.getTime() < Date.now() ||
      row.attempts >= CHALLENGE_MAX_ATTEMPTS ||
      !row.purpose.startsWith('mfa_')
    ) {
      throw new AppError('unauthorized', 'Your sign-in took too long or had too many wrong codes. Sign in again.');
    }
    const user = await unsafeFindUserById(tx, row.userId);
    if (!user || user.status !== 'active') throw new AppError('unauthorized', 'Sign in again.');
    return { row, user };
  }

  return {
    /** After a correct password: a short-lived, single-use token for the second step. */
    async createChallenge(user: UserRow, mode: 'verify' | 'enrol'): Promise<string> {
      const token = newToken();
      await withSystem(db, (tx) =>
        tx.insert(authTokens).values({
          id: hashToken(config.sessionSecret, token),
          tenantId: user.tenantId,
          userId: user.id,
          purpose: mode === 'verify' ? 'mfa_verify' : 'mfa_enrol',
          expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
        }),
      );
      return token;
    },

    /** Second step: a TOTP or recovery code opens the session. */
    async verifyChallenge(token: string, code: string, requestId: string): Promise<{ token: string; body: SessionBody }> {
      const result = await withSystem(db, async (tx) => {
        const { row, user } = await loadChallenge(tx, token);
        if (row.purpose !== 'mfa_verify') throw new AppError('conflict', 'Set up two-step verification first.');
        if (!(await checkCode(tx, user, code, true))) {
          await tx
            .update(authTokens)
            .set({ attempts: sql`${authTokens.attempts} + 1` })
            .where(eq(authTokens.id, row.id));
          return null;
        }
        await tx
          .update(authTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(authTokens.id, row.id), isNull(authTokens.usedAt)));
        return sessions.openSession(tx, user, 'password+mfa', requestId);
      });
      if (!result) throw new AppError('validation', 'Some fields are not valid', { code: WRONG_CODE });
      return result;
    },

    /** First sign-in of someone who must use MFA: the secret to put in their app. */
    async startChallengeEnrolment(token: string) {
      const { row, user } = await withSystem(db, (tx) => loadChallenge(tx, token));
      if (row.purpose !== 'mfa_enrol') throw new AppError('conflict', 'Two-step verification is already set up.');
      return startEnrolment(user);
    },

    /** Confirms the first code, turns MFA on and opens the session; the recovery codes are shown once. */
    async confirmChallengeEnrolment(token: string, code: string, requestId: string) {
      return withSystem(db, async (tx) => {
        const { row } = await loadChallenge(tx, token);
        if (row.purpose !== 'mfa_enrol') throw new AppError('conflict', 'Two-step verification is already set up.');
        const { user, recoveryCodes } = await confirmEnrolment(tx, row.userId, code, requestId);
        await tx.update(authTokens).set({ usedAt: new Date() }).where(eq(authTokens.id, row.id));
        const session = await sessions.openSession(tx, user, 'password+mfa', requestId);
        return { ...session, recoveryCodes };
      });
    },

    /** What the account page shows about sign-in security. */
    async status(auth: Authenticated) {
      const policy = auth.user.tenantId ? await withSystem(db, (tx) => findAuthPolicy(tx, auth.user.tenantId!)) : null;
      return {
        mfaEnabled: !!auth.user.mfaEnabledAt,
        mfaRequired: auth.user.role === 'platform_admin' || !!policy?.requireMfa,
        recoveryCodesLeft: auth.user.mfaEnabledAt ? auth.user.mfaRecoveryCodes.length : 0,
        hasPassword: !!auth.user.passwordHash,
      };
    },

    /** Setting up two-step verification on a signed-in account needs a recent authentication. */
    startEnrolment(auth: Authenticated) {
      sessions.requireRecentAuth(auth);
      if (!auth.user.passwordHash)
        throw new AppError('conflict', 'You sign in with your institution’s single sign-on; its provider asks for your second factor.');
      return startEnrolment(auth.user);
    },

    async confirmEnrolment(auth: Authenticated, code: string) {
      sessions.requireRecentAuth(auth);
      return withSystem(db, async (tx) => (await confirmEnrolment(tx, auth.user.id, code, auth.actor.requestId)).recoveryCodes);
    },

    /** New recovery codes (the old ones stop working); needs a recent authentication. */
    async regenerateRecoveryCodes(auth: Authenticated): Promise<string[]> {
      sessions.requireRecentAuth(auth);
      return withSystem(db, async (tx) => {
        const user = (await unsafeFindUserById(tx, auth.user.id))!;
        if (!user.mfaEnabledAt) throw new AppError('conflict', 'Two-step verification is off.');
        const codes = await newRecoveryCodes(tx, user);
        await recordAudit(tx, auth.actor, {
          action: 'user.mfa_recovery_codes',
          recordType: 'user',
          recordId: user.id,
          tenantId: user.tenantId,
        });
        return codes;
      });
    },

    /** Turns MFA off (needs a recent authentication); refused where it is required. */
    async disable(auth: Authenticated): Promise<void> {
      const status = await this.status(auth);
      if (status.mfaRequired)
        throw new AppError('conflict', 'Two-step verification is required for your account and cannot be turned off.');
      sessions.requireRecentAuth(auth);
      await withSystem(db, async (tx) => {
        const user = (await unsafeFindUserById(tx, auth.user.id))!;
        if (!user.mfaEnabledAt) return;
        await tx.update(users).set(mfaOff()).where(eq(users.id, user.id));
        await recordAudit(tx, auth.actor, { action: 'user.mfa_disable', recordType: 'user', recordId: user.id, tenantId: user.tenantId });
      });
    },

    /**
     * Re-authentication of a signed-in person: the password and, when enrolled, a code from the app
     * (or a recovery code). Wrong passwords count towards the lockout like at sign-in.
     */
    async reauthenticate(auth: Authenticated, password: string, code: string | undefined): Promise<void> {
      const user = auth.user;
      if (!user.passwordHash)
        throw new AppError('conflict', 'You sign in with your institution’s single sign-on: sign out and sign in again there.');
      const locked = !!user.lockedUntil && user.lockedUntil.getTime() > Date.now();
      if (!(await verifyPassword(user.passwordHash, password)) || locked) {
        if (!locked) await sessions.countFailure(user, auth.actor.requestId);
        throw invalid('password', 'is not correct', 'not_correct');
      }
      const ok = await withSystem(db, async (tx) => {
        const fresh = (await unsafeFindUserById(tx, user.id))!;
        if (fresh.mfaEnabledAt) {
          if (!code) return 'missing' as const;
          if (!(await checkCode(tx, fresh, code, true))) return 'wrong' as const;
        }
        if (fresh.failedLogins > 0) await tx.update(users).set({ failedLogins: 0 }).where(eq(users.id, user.id));
        await sessions.markReauthenticated(tx, auth);
        return 'ok' as const;
      });
      if (ok === 'missing') throw new AppError('validation', 'Some fields are not valid', { code: 'enter the code from your app' });
      if (ok === 'wrong') throw new AppError('validation', 'Some fields are not valid', { code: WRONG_CODE });
    },
  };
}
export type MfaService = ReturnType<typeof createMfaService>;
