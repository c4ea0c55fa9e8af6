import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema, sessionSchema } from '../../../contracts/api.js';
import {
  accountSecuritySchema,
  emailChangeSchema,
  emailConfirmSchema,
  mfaCodeSchema,
  mfaEnrolledSessionSchema,
  mfaEnrolmentSchema,
  passwordChangeSchema,
  passwordResetCompleteSchema,
  passwordResetRequestSchema,
  reauthenticateSchema,
  recoveryCodesSchema,
  sessionListSchema,
} from '../../../contracts/auth.js';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http.js';
import type { AccountService } from './account.service.js';
import { createAttemptLimits } from './attempt-limits.js';
import { clearMfaCookie, mfaCookie, setSessionCookie } from './auth.hook.js';
import type { MfaService } from './mfa.service.js';
import type { Authenticated, SessionService } from './session.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };

/** Two-step verification, own sessions, password and email: the signed-in person's account security. */
export function registerAccountRoutes(
  root: FastifyInstance,
  deps: { config: Config; sessions: SessionService; mfa: MfaService; account: AccountService },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, sessions, mfa, account } = deps;
  const authOf = (req: { auth: unknown }): Authenticated => {
    if (!req.auth) throw new AppError('unauthorized', 'Please sign in');
    return req.auth as Authenticated;
  };
  const challengeOf = (req: { cookies: Record<string, string | undefined> }): string => {
    const token = req.cookies[mfaCookie(config).name];
    if (!token || token.length > 200) throw new AppError('unauthorized', 'Your sign-in took too long. Sign in again.');
    return token;
  };
  // Security: counted per address (generous) and per account (strict), separately. The account is
  // the signed-in person, or the one the challenge cookie or link token stands for.
  const limits = createAttemptLimits(root, config);
  const bySession = limits.limit((req) => (req.auth as Authenticated | null)?.user.id);
  const byChallenge = limits.limit((req) => req.cookies[mfaCookie(config).name]);
  const byToken = limits.limit((req) => (req.body as { token?: unknown } | undefined)?.token);
  const tags = ['account'];

  // ----- the second step of a password sign-in (public: the http-only challenge cookie is the credential)
  app.post(
    '/api/v1/session/mfa',
    {
      ...byChallenge,
      schema: {
        tags: ['session'],
        summary: 'Second step of sign-in: a code from the app or a recovery code',
        body: mfaCodeSchema,
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { token, body } = await mfa.verifyChallenge(challengeOf(req), req.body.code, String(req.id));
      clearMfaCookie(reply, config);
      setSessionCookie(reply, config, token);
      return body;
    },
  );
  app.post(
    '/api/v1/session/mfa/enrolment',
    {
      ...byChallenge,
      schema: {
        tags: ['session'],
        summary: 'First sign-in where two-step verification is required: the secret for the app',
        response: { 200: mfaEnrolmentSchema, ...errors },
      },
    },
    async (req) => mfa.startChallengeEnrolment(challengeOf(req)),
  );
  app.post(
    '/api/v1/session/mfa/enrolment/confirm',
    {
      ...byChallenge,
      schema: {
        tags: ['session'],
        summary: 'Confirm the app’s first code; signs in and shows the recovery codes once',
        body: mfaCodeSchema,
        response: { 200: mfaEnrolledSessionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { token, body, recoveryCodes } = await mfa.confirmChallengeEnrolment(challengeOf(req), req.body.code, String(req.id));
      clearMfaCookie(reply, config);
      setSessionCookie(reply, config, token);
      return { session: body, recoveryCodes };
    },
  );

  // ----- the signed-in person's two-step verification
  app.get(
    '/api/v1/account/security',
    { schema: { tags, summary: 'Two-step verification status', response: { 200: accountSecuritySchema, ...errors } } },
    async (req) => mfa.status(authOf(req)),
  );
  app.post(
    '/api/v1/account/mfa/enrolment',
    { schema: { tags, summary: 'Start setting up two-step verification', response: { 200: mfaEnrolmentSchema, ...errors } } },
    async (req) => mfa.startEnrolment(authOf(req)),
  );
  app.post(
    '/api/v1/account/mfa/enrolment/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm the first code; the recovery codes are shown once',
        body: mfaCodeSchema,
        response: { 200: recoveryCodesSchema, ...errors },
      },
    },
    async (req) => ({ recoveryCodes: await mfa.confirmEnrolment(authOf(req), req.body.code) }),
  );
  app.post(
    '/api/v1/account/mfa/recovery-codes',
    {
      schema: {
        tags,
        summary: 'New recovery codes (the old ones stop working); needs a recent authentication',
        response: { 200: recoveryCodesSchema, ...errors },
      },
    },
    async (req) => ({ recoveryCodes: await mfa.regenerateRecoveryCodes(authOf(req)) }),
  );
  app.delete(
    '/api/v1/account/mfa',
    {
      schema: {
        tags,
        summary: 'Turn two-step verification off; needs a recent authentication',
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await mfa.disable(authOf(req));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/session/reauthenticate',
    {
      ...bySession,
      schema: {
        tags: ['session'],
        summary: 'Confirm it is me (password, and a code when two-step verification is on) before a sensitive change',
        body: reauthenticateSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await mfa.reauthenticate(authOf(req), req.body.password, req.body.code);
      return reply.status(204).send(null);
    },
  );

  // ----- sessions
  app.get(
    '/api/v1/account/sessions',
    { schema: { tags, summary: 'My sessions', response: { 200: sessionListSchema, ...errors } } },
    async (req) => ({
      items: await sessions.listOwn(authOf(req)),
    }),
  );
  app.delete(
    '/api/v1/account/sessions',
    { schema: { tags, summary: 'Sign out everywhere else', response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await sessions.revokeOwn(authOf(req), null);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/account/sessions/:id',
    { schema: { tags, summary: 'End one of my sessions', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await sessions.revokeOwn(authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/users/:id/sessions',
    {
      schema: {
        tags: ['users'],
        summary: 'End every session of a user (site admins)',
        params: idParamsSchema,
        response: { 200: z.object({ revoked: z.number().int() }), ...errors },
      },
    },
    async (req) => ({ revoked: await account.revokeUserSessions(requireActor(req), req.params.id) }),
  );

  app.delete(
    '/api/v1/users/:id/mfa',
    {
      schema: {
        tags: ['users'],
        summary: 'Reset a user’s two-step verification (site admins for their institution, platform admins for platform admins; never oneself)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await account.resetUserMfa(authOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ----- password and email
  app.post(
    '/api/v1/account/password',
    {
      ...bySession,
      schema: {
        tags,
        summary: 'Change my password (ends every session; a new one is opened)',
        body: passwordChangeSchema,
        response: { 200: sessionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { token, body } = await account.changePassword(authOf(req), req.body.currentPassword, req.body.newPassword);
      setSessionCookie(reply, config, token);
      return body;
    },
  );
  app.post(
    '/api/v1/password-resets',
    {
      ...limits.limit((req) => (req.body as { email?: unknown } | undefined)?.email, { max: 5, addressMax: 30, timeWindow: '15 minutes' }),
      schema: {
        tags: ['session'],
        summary: 'Email a reset link (public; same answer whether or not the account exists)',
        body: passwordResetRequestSchema,
        response: { 202: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await account.requestReset(req.body.email);
      return reply.status(202).send(null);
    },
  );
  app.post(
    '/api/v1/password-resets/complete',
    {
      ...byToken,
      schema: {
        tags: ['session'],
        summary: 'Choose a new password from a reset link (public)',
        body: passwordResetCompleteSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await account.completeReset(req.body.token, req.body.password, String(req.id));
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/account/email',
    {
      ...bySession,
      schema: {
        tags,
        summary: 'Change my email: a link goes to the new address',
        body: emailChangeSchema,
        response: { 202: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await account.requestEmailChange(authOf(req), req.body.newEmail, req.body.password);
      return reply.status(202).send(null);
    },
  );
  app.post(
    '/api/v1/email-changes/confirm',
    {
      ...byToken,
      schema: {
        tags: ['session'],
        summary: 'Confirm a new email from its link (public)',
        body: emailConfirmSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await account.confirmEmailChange(req.body.token, String(req.id));
      return reply.status(204).send(null);
    },
  );
}
