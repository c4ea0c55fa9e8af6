import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { MailOutbox } from '../mail/index.js';
import { registerAccountRoutes } from './account.routes.js';
import { createAccountService } from './account.service.js';
import { registerAuthHook } from './auth.hook.js';
import { registerIdentityRoutes } from './identity.routes.js';
import { createInvitationService } from './invitations.service.js';
import { createMfaService } from './mfa.service.js';
import { createPasswordPolicy } from './password-policy.js';
import { createSessionService } from './session.service.js';
import { createSsoLoginService } from './sso-login.service.js';
import { registerSsoDomainRoutes } from './sso-domains.routes.js';
import { createSsoDomainService } from './sso-domains.service.js';
import { registerSsoRoutes } from './sso.routes.js';
import { createSsoService } from './sso.service.js';
import { createUsersService } from './users.service.js';

/** Wires identity: the session hook, sign-in (password, MFA, SSO), users, invitations, account security. */
export function registerIdentityModule(app: FastifyInstance, ctx: AppContext, outbox: MailOutbox) {
  const { config } = ctx;
  const warn = (msg: string) => app.log.warn(msg);
  const sessions = createSessionService(ctx);
  const passwords = createPasswordPolicy(ctx, warn);
  const invitations = createInvitationService(ctx, outbox, sessions, passwords);
  const mfa = createMfaService(ctx, sessions);
  const account = createAccountService(ctx, sessions, passwords, warn);
  const ssoLogin = createSsoLoginService(ctx, sessions);
  registerAuthHook(app, config, sessions);
  registerIdentityRoutes(app, { config, sessions, invitations, users: createUsersService(ctx), mfa, endSessionUrl: ssoLogin.endSessionUrl });
  registerAccountRoutes(app, { config, sessions, mfa, account });
  registerSsoRoutes(app, { config, sso: createSsoService(ctx), login: ssoLogin });
  registerSsoDomainRoutes(app, createSsoDomainService(ctx));
  return { sessions, invitations };
}
