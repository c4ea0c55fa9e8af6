import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  authPolicySchema,
  authPolicyUpdateSchema,
  ssoConnectionCreateSchema,
  ssoConnectionListSchema,
  ssoConnectionParamsSchema,
  ssoConnectionSchema,
  ssoConnectionUpdateSchema,
  ssoDiscoverQuerySchema,
  ssoDiscoverSchema,
  ssoReauthRedirectSchema,
  ssoReauthStartSchema,
} from '../../../contracts/auth.js';
import { AppError } from '../../platform/errors.js';
import type { Config } from '../../platform/config.js';
import { requireActor } from '../../platform/http.js';
import { samlCookie, setSessionCookie, ssoCookie } from './auth.hook.js';
import type { Authenticated } from './session.service.js';
import { STAFF_REQUEST_TICKET_TTL_MS, signTicket, ticketCookie } from '../requests/sso-ticket.js';
import { STAFF_REQUEST_PAGE, SsoFailure, type SsoLoginService, type SsoOutcome, type SsoStart } from './sso-login.service.js';
import type { SsoService } from './sso.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };

/** Single sign-on: the site admin's configuration, and the public sign-in flows. */
export function registerSsoRoutes(root: FastifyInstance, deps: { config: Config; sso: SsoService; login: SsoLoginService }): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { config, sso, login } = deps;
  const tags = ['sso'];
  // Per address, as generous as the password sign-in's (a school's shared address serves everyone behind it).
  const flowLimit = { max: config.loginAddressRateLimit, timeWindow: '1 minute' };

  /**
   * A failed SSO sign-in goes back to the sign-in page with a reason code; a failed re-authentication
   * to the page it started from, and a failed staff request sign-in to the request page, with the
   * same code. The detail is logged.
   */
  function failed(reply: FastifyReply, err: unknown) {
    if (!(err instanceof SsoFailure)) throw err;
    reply.log.warn(
      {
        reason: err.reason,
        ...(err.refusal ? { refusal: err.refusal } : {}),
        detail: err.message,
        reauth: !!err.returnTo && err.returnTo !== STAFF_REQUEST_PAGE,
        ...(err.returnTo === STAFF_REQUEST_PAGE ? { staffRequest: true } : {}),
      },
      'single sign-on refused',
    );
    return reply.redirect(`${err.returnTo ?? '/sign-in'}?sso=${err.reason}`, 303);
  }

  /** Sets the cookie binding a starting sign-in to this browser: OIDC's, or the SAML connection's. */
  function bindBrowser(reply: FastifyReply, start: SsoStart, tenantId: string, connectionId: string) {
    if (start.browserToken) {
      const c = ssoCookie(config);
      reply.setCookie(c.name, start.browserToken, c.options);
    }
    if (start.samlBrowserToken) {
      const c = samlCookie(config, tenantId, connectionId);
      reply.setCookie(c.name, start.samlBrowserToken, c.options);
    }
  }

  /**
   * A new session gets its cookie; a confirmed re-authentication goes back to its page (the session is
   * unchanged); a staff member proven to belong to the institution gets the request page's ticket.
   */
  function succeeded(reply: FastifyReply, outcome: SsoOutcome) {
    if (outcome.kind === 'reauth') return reply.redirect(`${outcome.returnTo}?reauth=done`, 303);
    if (outcome.kind === 'staff_request') {
      const c = ticketCookie(config);
      const ticket = signTicket(config.sessionSecret, {
        tenantId: outcome.tenantId,
        connectionId: outcome.connectionId,
        expiresAt: Date.now() + STAFF_REQUEST_TICKET_TTL_MS,
      });
      reply.setCookie(c.name, ticket, c.options);
      return reply.redirect(STAFF_REQUEST_PAGE, 303);
    }
    setSessionCookie(reply, config, outcome.token);
    return reply.redirect('/', 303);
  }

  // ----- configuration (site admins)
  app.get(
    '/api/v1/sso/connections',
    { schema: { tags, summary: 'Identity providers of the institution', response: { 200: ssoConnectionListSchema, ...errors } } },
    async (req) => ({
      items: await sso.list(requireActor(req)),
    }),
  );
  app.post(
    '/api/v1/sso/connections',
    {
      schema: {
        tags,
        summary: 'Add an identity provider (Google Workspace, Microsoft Entra ID, OIDC, SAML)',
        body: ssoConnectionCreateSchema,
        response: { 201: ssoConnectionSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await sso.create(requireActor(req), req.body)),
  );
  app.patch(
    '/api/v1/sso/connections/:id',
    {
      schema: {
        tags,
        summary: 'Change an identity provider',
        params: idParamsSchema,
        body: ssoConnectionUpdateSchema,
        response: { 200: ssoConnectionSchema, ...errors },
      },
    },
    async (req) => sso.update(requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/sso/connections/:id',
    { schema: { tags, summary: 'Remove an identity provider', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await sso.remove(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/sso/policy',
    { schema: { tags, summary: 'Sign-in policy of the institution', response: { 200: authPolicySchema, ...errors } } },
    async (req) => sso.getPolicy(requireActor(req)),
  );
  app.put(
    '/api/v1/sso/policy',
    {
      schema: {
        tags,
        summary: 'Require SSO (with a break-glass site admin) or two-step verification',
        body: authPolicyUpdateSchema,
        response: { 200: authPolicySchema, ...errors },
      },
    },
    async (req) => sso.setPolicy(requireActor(req), req.body),
  );

  // ----- re-authentication (signed in)
  app.post(
    '/api/v1/session/reauthenticate/sso',
    {
      config: { rateLimit: flowLimit },
      schema: {
        tags: ['session'],
        summary: 'Confirm it is me by signing in again at my identity provider (a fresh sign-in is required there)',
        body: ssoReauthStartSchema,
        response: { 200: ssoReauthRedirectSchema, ...errors },
      },
    },
    async (req, reply) => {
      if (!req.auth) throw new AppError('unauthorized', 'Please sign in');
      const started = await login.startReauth(req.auth as Authenticated, req.body.returnTo);
      bindBrowser(reply, started, started.tenantId, started.connectionId);
      return { redirect: started.redirect };
    },
  );

  // ----- sign-in (public)
  app.get(
    '/api/v1/sso/discover',
    {
      config: { rateLimit: flowLimit },
      schema: {
        tags,
        summary: 'The single sign-on buttons for an email’s domain (public)',
        querystring: ssoDiscoverQuerySchema,
        response: { 200: ssoDiscoverSchema, ...errors },
      },
    },
    async (req) => ({ items: await sso.discover(req.query.email) }),
  );
  app.get(
    '/api/v1/sso/start/:institutionId/:connectionId',
    {
      config: { rateLimit: flowLimit },
      schema: { tags, summary: 'Go to the identity provider (public; answers with a redirect)', params: ssoConnectionParamsSchema },
    },
    async (req, reply) => {
      try {
        const started = await login.start(req.params.institutionId, req.params.connectionId);
        bindBrowser(reply, started, req.params.institutionId, req.params.connectionId);
        return reply.redirect(started.redirect, 303);
      } catch (err) {
        return failed(reply, err);
      }
    },
  );
  app.get(
    '/api/v1/public/staff-requests/sso/:institutionId/:connectionId',
    {
      config: { rateLimit: flowLimit },
      schema: {
        tags: ['public'],
        summary: 'Staff go to their institution’s identity provider to reach its staff request page (public; answers with a redirect)',
        params: ssoConnectionParamsSchema,
      },
    },
    async (req, reply) => {
      try {
        const started = await login.startStaffRequest(req.params.institutionId, req.params.connectionId);
        bindBrowser(reply, started, req.params.institutionId, req.params.connectionId);
        return reply.redirect(started.redirect, 303);
      } catch (err) {
        return failed(reply, err);
      }
    },
  );
  app.get(
    '/api/v1/sso/oidc/callback',
    {
      config: { rateLimit: flowLimit },
      schema: {
        tags,
        summary: 'Where OIDC providers send people back (public)',
        // The parameters of an OIDC authorization response (RFC 6749 4.1.2, 4.1.2.1; RFC 9207); the whole URL goes to the client library.
        querystring: z.object(Object.fromEntries(['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'].map((k) => [k, z.string().max(4000).optional()]))),
      },
    },
    async (req, reply) => {
      const c = ssoCookie(config);
      reply.clearCookie(c.name, { path: c.options.path });
      try {
        return succeeded(reply, await login.oidcCallback(req.cookies[c.name], new URL(req.url, config.publicUrl), String(req.id)));
      } catch (err) {
        return failed(reply, err);
      }
    },
  );
  app.get(
    '/api/v1/sso/saml/:institutionId/:connectionId/metadata',
    {
      schema: {
        tags,
        summary: 'Our SAML service-provider metadata for this connection (public; any unknown or malformed id is a 404)',
        // Ids are checked by the service: a malformed one is not found, like an unknown one.
        params: z.strictObject({ institutionId: z.string(), connectionId: z.string() }),
      },
    },
    async (req, reply) => {
      // The type is set once the metadata exists: a refusal is answered as JSON by the error handler.
      const xml = await login.samlMetadata(req.params.institutionId, req.params.connectionId);
      return reply.type('application/samlmetadata+xml').send(xml);
    },
  );
  app.get(
    '/api/v1/sso/saml/:institutionId/:connectionId/logout',
    {
      config: { rateLimit: flowLimit },
      schema: {
        tags,
        summary:
          'SAML single logout service (public; the IdP sends its LogoutResponse here by HTTP-Redirect). IdP-initiated LogoutRequests are refused.',
        params: ssoConnectionParamsSchema,
        querystring: z.object({
          SAMLResponse: z.string().max(100_000).optional(),
          SAMLRequest: z.string().max(100_000).optional(),
          RelayState: z.string().max(200).optional(),
          SigAlg: z.string().max(200).optional(),
          Signature: z.string().max(4000).optional(),
        }),
      },
    },
    async (req, reply) => {
      const { SAMLResponse, SAMLRequest, ...rest } = req.query;
      if (!SAMLResponse) {
        // Security: only the answer to a LogoutRequest we made is taken. An IdP-initiated request is
        // refused: the Vetted session ends when the person signs out here, or at its idle timeout.
        reply.log.warn({ idpInitiated: !!SAMLRequest }, 'single logout message refused');
        throw new AppError('validation', 'Some fields are not valid', {
          SAMLResponse: SAMLRequest ? 'single logout started by the identity provider is not supported' : 'is required',
        });
      }
      // The Vetted session ended at sign-out; this only tells the person whether the IdP's ended too.
      try {
        const rawQuery = req.url.slice(req.url.indexOf('?') + 1);
        const outcome = await login.samlLogoutResponse(req.params.institutionId, req.params.connectionId, { SAMLResponse, ...rest }, rawQuery);
        if (outcome === 'failed') reply.log.warn({ reason: 'idp_failed' }, 'single logout not completed at the identity provider');
        return reply.redirect(outcome === 'done' ? '/sign-in' : '/signed-out?slo=failed', 303);
      } catch (err) {
        if (!(err instanceof SsoFailure)) throw err;
        reply.log.warn({ reason: err.reason, refusal: err.refusal, detail: err.message }, 'single logout response refused');
        return reply.redirect('/signed-out?slo=invalid', 303);
      }
    },
  );
  // The IdP posts a form here; this scope alone accepts form bodies.
  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 600_000 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/api/v1/sso/saml/:institutionId/:connectionId/acs',
      {
        config: { csrfExempt: true, rateLimit: flowLimit },
        schema: {
          tags,
          summary: 'SAML assertion consumer service (public; the identity provider posts here)',
          params: ssoConnectionParamsSchema,
          body: z.object({ SAMLResponse: z.string().max(500_000), RelayState: z.string().max(200).optional() }),
        },
      },
      async (req, reply) => {
        const c = samlCookie(config, req.params.institutionId, req.params.connectionId);
        const browserToken = req.cookies[c.name];
        reply.clearCookie(c.name, { path: c.options.path, secure: c.options.secure, sameSite: c.options.sameSite, httpOnly: true });
        try {
          return succeeded(
            reply,
            await login.samlAcs(req.params.institutionId, req.params.connectionId, req.body, String(req.id), browserToken),
          );
        } catch (err) {
          return failed(reply, err);
        }
      },
    );
  });
}
