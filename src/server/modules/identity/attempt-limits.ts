import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../platform/config.js';
import { AppError } from '../../platform/errors.js';

/** What names the account a request tries: an email, a user id, a link or challenge token. */
export type AccountOf = (req: FastifyRequest) => unknown;

/** An email as one account: trimmed, Unicode-normalised, lower case. */
export function normaliseAccount(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : '';
}

/**
 * Attempt limits of the routes that name an account (sign-in, its second step, re-authentication,
 * password reset, password and email changes). Security: each is counted twice, separately —
 *  - per address, generously (`LOGIN_ADDRESS_RATE_LIMIT`), before the body is read: a school's
 *    shared address serves everyone behind it;
 *  - per account, strictly (`LOGIN_RATE_LIMIT`), once the body is validated: many addresses cannot
 *    hammer one account unnoticed.
 * Counts are kept in PostgreSQL by the rate-limit store (platform/attempt-counts.ts), shared by every
 * process and kept across restarts, under a keyed hash of the route and the address or account: no
 * address or email is stored or logged.
 */
export function createAttemptLimits(app: FastifyInstance, config: Pick<Config, 'loginRateLimit' | 'loginAddressRateLimit'>) {
  // A limiter made by createRateLimit has no route of its own: the key names it. The store hashes the key.
  const accountKey = (req: FastifyRequest, account: string) => `account|${req.routeOptions.method} ${req.routeOptions.url ?? ''}|${account}`;

  return {
    /**
     * Route options: `config.rateLimit` per address (`addressMax`, else `LOGIN_ADDRESS_RATE_LIMIT`)
     * and a preHandler per account (`max`, else `LOGIN_RATE_LIMIT`), both per `timeWindow` (a minute
     * unless given). Requests naming no account are counted per address only.
     */
    limit(accountOf: AccountOf, opts: { max?: number; addressMax?: number; timeWindow?: string } = {}) {
      const perAccount = app.createRateLimit({
        max: opts.max ?? config.loginRateLimit,
        timeWindow: opts.timeWindow ?? '1 minute',
        keyGenerator: (req) => accountKey(req, normaliseAccount(accountOf(req))),
      } as Parameters<FastifyInstance['createRateLimit']>[0]);
      const preHandler: preHandlerAsyncHookHandler = async (req, reply) => {
        if (!normaliseAccount(accountOf(req))) return;
        const outcome = await perAccount(req);
        if (!outcome.isAllowed && outcome.isExceeded) {
          reply.header('retry-after', String(outcome.ttlInSeconds));
          req.log.warn({ route: req.routeOptions.url }, 'attempt limit of an account reached');
          throw new AppError('rate_limited', 'Too many attempts. Wait a few minutes and try again.');
        }
      };
      return {
        config: { rateLimit: { max: opts.addressMax ?? config.loginAddressRateLimit, timeWindow: opts.timeWindow ?? '1 minute' } },
        preHandler,
      };
    },
  };
}
export type AttemptLimits = ReturnType<typeof createAttemptLimits>;
