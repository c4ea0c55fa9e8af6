import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  directoryEntrySchema,
  errorSchema,
  idParamsSchema,
  invitationAcceptSchema,
  invitationCreateSchema,
  invitationPreviewSchema,
  invitationSchema,
  loginSchema,
  sessionSchema,
  switchInstitutionSchema,
  userSchema,
  userUpdateSchema,
} from '../../../contracts/api.js';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http.js';
import { loginResultSchema } from '../../../contracts/auth.js';
import { createAttemptLimits } from './attempt-limits.js';
import { clearSessionCookie, setMfaCookie, setSessionCookie } from './auth.hook.js';
import type { MfaService } from './mfa.service.js';
import type { SsoLoginService } from './sso-login.service.js';
import type { InvitationService } from './invitations.service.js';
import type { Authenticated, SessionService } from './session.service.js';
import type { createUsersService } from './users.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };

export function registerIdentityRoutes(
  root: FastifyInstance,
  deps: {
    config: Config;
    sessions: SessionService;
    invitations: InvitationService;
    users: ReturnType<typeof createUsersService>;
    mfa: MfaService;
    endSessionUrl: SsoLoginService['endSessionUrl'];
  },
): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, sessions, invitations, users } = deps;
  const authOf = (req: { auth: unknown }): Authenticated => {
    if (!req.auth) throw new AppError('unauthorized', 'Please sign in');
    return req.auth as Authenticated;
  };
  // Security: counted per address (generous) and per account (strict), separately.
  const limits = createAttemptLimits(root, config);
  const loginLimit = limits.limit((req) => (req.body as { email?: unknown } | undefined)?.email);
  // An invitation link's token names the account it seats: counted per token as well as per address.
  const previewLimit = limits.limit((req) => (req.query as { token?: unknown } | undefined)?.token, { addressMax: 30 });
  const acceptLimit = limits.limit((req) => (req.body as { token?: unknown } | undefined)?.token, { addressMax: 10 });

  app.get('/api/v1/session', { schema: { tags: ['session'], summary: 'The signed-in user', response: { 200: sessionSchema, ...errors } } }, async (req) =>
    sessions.describe(authOf(req)),
  );

  app.post(
    '/api/v1/session',
    {
      ...loginLimit,
      schema: { tags: ['session'], summary: 'Sign in (a second step follows when two-step verification applies)', body: loginSchema, response: { 200: loginResultSchema, ...errors } },
    },
    async (req, reply) => {
      const outcome = await sessions.login(req.body.email, req.body.password, String(req.id));
      if (outcome.kind === 'mfa') {
        setMfaCookie(reply, config, await deps.mfa.createChallenge(outcome.user, outcome.mode));
        return { mfa: outcome.mode };
      }
      setSessionCookie(reply, config, outcome.token);
      return outcome.body;
    },
  );

  app.delete(
    '/api/v1/session',
    {
      schema: {
        tags: ['session'],
        summary: 'Sign out; after an OIDC sign-in, `logoutUrl` is the provider’s end-session page to send the browser to',
        response: { 200: z.object({ logoutUrl: z.string().nullable() }), ...errors },
      },
    },
    async (req, reply) => {
      const auth = authOf(req);
      // Built before the session row (holding the sealed ID token) is deleted.
      const logoutUrl = await deps.endSessionUrl(auth.session);
      await sessions.logout(auth);
      clearSessionCookie(reply, config);
      return { logoutUrl };
    },
  );

  app.put(
    '/api/v1/session/institution',
    { schema: { tags: ['session'], summary: 'Act in an institution (platform admins)', body: switchInstitutionSchema, response: { 200: sessionSchema, ...errors } } },
    async (req) => sessions.switchInstitution(authOf(req), req.body.institutionId),
  );

  app.get('/api/v1/users', { schema: { tags: ['users'], summary: 'Users of the institution', response: { 200: z.object({ items: z.array(userSchema) }), ...errors } } }, async (req) => ({
    items: await users.list(requireActor(req)),
  }));

  app.get(
    '/api/v1/platform/admins',
    { schema: { tags: ['users'], summary: 'The platform admins (platform admins)', response: { 200: z.object({ items: z.array(userSchema) }), ...errors } } },
    async (req) => ({ items: await users.listPlatformAdmins(requireActor(req)) }),
  );

  app.get(
    '/api/v1/users/directory',
    { schema: { tags: ['users'], summary: 'Names of the institution’s active people (for owner pickers)', response: { 200: z.object({ items: z.array(directoryEntrySchema) }), ...errors } } },
    async (req) => ({ items: await users.directory(requireActor(req)) }),
  );

  app.patch(
    '/api/v1/users/:id',
    { schema: { tags: ['users'], summary: 'Change a user’s role, approver right or status', params: idParamsSchema, body: userUpdateSchema, response: { 200: userSchema, ...errors } } },
    async (req) => users.update(requireActor(req), req.params.id, req.body),
  );

  app.get(
    '/api/v1/invitations',
    { schema: { tags: ['users'], summary: 'Invitations of the institution', response: { 200: z.object({ items: z.array(invitationSchema) }), ...errors } } },
    async (req) => ({ items: await invitations.list(requireActor(req)) }),
  );

  app.post(
    '/api/v1/invitations',
    { schema: { tags: ['users'], summary: 'Invite someone by email', body: invitationCreateSchema, response: { 201: invitationSchema, ...errors } } },
    async (req, reply) => reply.status(201).send(await invitations.create(requireActor(req), req.body)),
  );

  app.delete(
    '/api/v1/invitations/:id',
    { schema: { tags: ['users'], summary: 'Revoke an invitation', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await invitations.revoke(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/invitations/preview',
    {
      ...previewLimit,
      schema: { tags: ['users'], summary: 'What an invitation link is for (public)', querystring: z.strictObject({ token: z.string().min(20).max(200) }), response: { 200: invitationPreviewSchema, ...errors } },
    },
    async (req) => invitations.preview(req.query.token),
  );

  app.post(
    '/api/v1/invitations/accept',
    {
      ...acceptLimit,
      schema: { tags: ['users'], summary: 'Accept an invitation and choose a password (public)', body: invitationAcceptSchema, response: { 200: sessionSchema, ...errors } },
    },
    async (req, reply) => {
      const { token, body } = await invitations.accept(req.body.token, req.body.password, String(req.id));
      setSessionCookie(reply, config, token);
      return body;
    },
  );
}
