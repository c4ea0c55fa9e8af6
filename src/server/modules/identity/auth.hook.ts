import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../platform/config.js';
import { endRequestTransaction, restartRequestTransaction, runRequest, sessionChangedInThisRequest } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { safeEqual } from '../../platform/tokens.js';
import type { SessionService } from './session.service.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Session cookie settings: `__Host-` prefix and Secure whenever the service is served over https. */
export function sessionCookie(config: Pick<Config, 'publicUrl' | 'sessionTtlHours'>) {
  const secure = config.publicUrl.startsWith('https://');
  return {
    name: secure ? '__Host-vetted_session' : 'vetted_session',
    options: { path: '/', httpOnly: true, secure, sameSite: 'lax' as const, maxAge: config.sessionTtlHours * 3600 },
  };
}

export function setSessionCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl' | 'sessionTtlHours'>, token: string): void {
  const c = sessionCookie(config);
  reply.setCookie(c.name, token, c.options);
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl' | 'sessionTtlHours'>): void {
  const c = sessionCookie(config);
  reply.clearCookie(c.name, { path: '/', httpOnly: true, secure: c.options.secure, sameSite: 'lax' });
}

/** The cookie carrying the second step of a sign-in (MFA): scoped to its routes, ten minutes. */
export function mfaCookie(config: Pick<Config, 'publicUrl'>) {
  const secure = config.publicUrl.startsWith('https://');
  return { name: 'vetted_mfa', options: { path: '/api/v1/session/mfa', httpOnly: true, secure, sameSite: 'strict' as const, maxAge: 600 } };
}

export function setMfaCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>, token: string): void {
  const c = mfaCookie(config);
  reply.setCookie(c.name, token, c.options);
}

export function clearMfaCookie(reply: FastifyReply, config: Pick<Config, 'publicUrl'>): void {
  const c = mfaCookie(config);
  reply.clearCookie(c.name, { path: c.options.path, httpOnly: true, secure: c.options.secure, sameSite: 'strict' });
}

/** The cookie binding an OIDC sign-in to the browser that started it (login CSRF). */
export function ssoCookie(config: Pick<Config, 'publicUrl'>) {
  const secure = config.publicUrl.startsWith('https://');
  // Lax: the provider's redirect back is a top-level GET from another site.
  return { name: 'vetted_sso', options: { path: '/api/v1/sso/oidc', httpOnly: true, secure, sameSite: 'lax' as const, maxAge: 600 } };
}

/**
 * The cookie binding a SAML sign-in to the browser that started it (login CSRF), scoped to the
 * connection's assertion consumer service, ten minutes. Security: the IdP sends the browser back
 * with a cross-site POST (HTTP-POST binding), on which browsers never send a SameSite=Lax cookie; it
 * is SameSite=None (hence Secure, and `__Secure-`) under https. Under plain http (development and
 * tests only: production requires https) a SameSite=None cookie without Secure is dropped by
 * browsers, so it is Lax there, which works with an IdP on the same site (such as another port of the
 * same host). SameSite=None is safe here: the value means nothing without the pending sign-in row it
 * was made for, and is compared with that row's hash only.
 */
export function samlCookie(config: Pick<Config, 'publicUrl'>, tenantId: string, connectionId: string) {
  const secure = config.publicUrl.startsWith('https://');
  return {
    name: secure ? '__Secure-vetted_saml' : 'vetted_saml',
    options: {
      path: `/api/v1/sso/saml/${tenantId}/${connectionId}/acs`,
      httpOnly: true,
      secure,
      sameSite: secure ? ('none' as const) : ('lax' as const),
      maxAge: 600,
    },
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Security: only for routes another site must be able to POST to (the SAML assertion consumer
     * service), whose own proof (a signed assertion answering a request we issued) replaces the token.
     */
    csrfExempt?: boolean;
    /** Set by the session hook on the reads it answers again when a cached session was found changed (ADR 0027). */
    sessionCache?: boolean;
  }
}

/**
 * Resolves the session cookie on every API request and enforces CSRF: a state-changing request of a
 * signed-in session must carry the session's token in `x-csrf-token` (synchronizer token; compared
 * in constant time). Requests without a session may only reach the public routes, which accept JSON
 * alone (a cross-site form cannot send it without a CORS preflight we never grant).
 */
export function registerAuthHook(app: FastifyInstance, config: Config, sessions: SessionService): void {
  const cookieName = sessionCookie(config).name;
  app.decorateRequest('auth', null);
  // A read may be authenticated from the session this process read a moment ago (ADR 0027). Should
  // the check its first message carries find the session or its user changed, nothing of its work ran
  // and nothing was answered: the session is read afresh and the read answered again, once.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || ![route.method].flat().every((m) => m === 'GET' || m === 'HEAD')) return;
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    route.config = { ...(route.config as object), sessionCache: true } as typeof route.config;
    route.handler = async function (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      try {
        const answer = await handler.call(this, req, reply);
        // A read whose work never reached the database has its session checked before it is answered.
        if (!reply.sent) await endRequestTransaction();
        if (!sessionChangedInThisRequest()) return answer;
      } catch (err) {
        if (!sessionChangedInThisRequest() || reply.sent) throw err;
      }
      if (reply.sent) throw new AppError('unauthorized', 'Please sign in');
      await restartRequestTransaction();
      const token = req.cookies[cookieName];
      req.auth = token ? await sessions.authenticate(token, String(req.id), 'web') : null;
      return handler.call(this, req, reply);
    };
  });
  // Each API request runs in its own scope, where the session read may hold the request's transaction
  // for its first unit of work (platform/db.ts); reading a body leaves the scope, so it is re-entered.
  const scopes = new WeakMap<FastifyRequest, { reenter(cb: () => void): void }>();
  app.addHook('onRequest', (req, _reply, done) => {
    if (!req.url.startsWith('/api/')) return done();
    scopes.set(req, runRequest(done));
  });
  app.addHook('preValidation', (req, _reply, done) => {
    const scope = scopes.get(req);
    if (scope) scope.reenter(done);
    else done();
  });
  // The held transaction ends before the answer leaves (committed when no unit of work took it), and
  // at the latest when the request ends, fails or is aborted: no connection outlives its request.
  const inScope = <T>(req: FastifyRequest, fn: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => scopes.get(req)!.reenter(() => void fn().then(resolve, reject)));
  const end = (req: FastifyRequest) => (scopes.has(req) ? inScope(req, endRequestTransaction) : Promise.resolve());
  app.addHook('onSend', async (req) => {
    if (!scopes.has(req)) return;
    // A read that sent nothing to the database has its cached session checked by the commit sent here,
    // before its answer leaves; it is not answered from a session found changed.
    const changed = await inScope(req, async () => {
      await endRequestTransaction();
      const found = sessionChangedInThisRequest();
      // Forgotten once told: the refusal's own answer passes through here too.
      if (found) await restartRequestTransaction();
      return found;
    });
    if (changed) throw new AppError('unauthorized', 'Please sign in');
  });
  app.addHook('onResponse', async (req) => end(req));
  app.addHook('onRequestAbort', async (req) => end(req));
  app.addHook('onRequest', async (req: FastifyRequest) => {
    if (!req.url.startsWith('/api/')) return;
    const token = req.cookies[cookieName];
    if (token && token.length <= 200) {
      const cached = req.routeOptions.config?.sessionCache === true && (req.method === 'GET' || req.method === 'HEAD');
      req.auth = await sessions.authenticate(token, String(req.id), 'web', { cached });
    }
    if (req.auth && UNSAFE.has(req.method) && !req.routeOptions.config?.csrfExempt) {
      const header = req.headers['x-csrf-token'];
      if (typeof header !== 'string' || !safeEqual(header, req.auth.session.csrfToken)) {
        throw new AppError('forbidden', 'The security token of this page is missing or out of date. Reload the page and try again.');
      }
    }
    if (req.auth?.actor.operatorAccess === 'support') await sessions.recordSupportUse(req.auth, req.method, req.url.split('?')[0]!);
  });
}
