/**
 * A real OpenID provider (oidc-provider) on loopback, for tests only. Its interaction pages sign in
 * the account named in `nextAccount` (browser-less flows) or show a one-field form (browser flows).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface IdpAccount {
  email: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  /** Microsoft Entra ID's "email domain owner verified" claim, sent in the `email` scope like Entra does. */
  xms_edov?: boolean;
  /** How this account signs in at the provider: put in its ID tokens as `amr` and `acr`. */
  amr?: string[];
  acr?: string;
  /**
   * When this account "signs in" at the interaction: seconds since the epoch, as the ID token's
   * `auth_time`. Unset means now; an older value stands for a provider that reused an old sign-in.
   */
  authTime?: number;
}

export interface TestOidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  /** The account the next interaction signs in (browser-less); null shows a form instead. */
  nextAccount: string | null;
  close(): Promise<void>;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

/** `postLogoutRedirectUri`: registered for RP-initiated logout. */
export async function startOidcIdp(opts: {
  redirectUri: string;
  postLogoutRedirectUri?: string;
  clientId?: string;
  clientSecret?: string;
}): Promise<TestOidcIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = opts.clientId ?? 'vetted-test';
  const clientSecret = opts.clientSecret ?? 'test-only-client-secret-0123456789';
  const accounts = new Map<string, IdpAccount>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [opts.redirectUri],
        post_logout_redirect_uris: opts.postLogoutRedirectUri ? [opts.postLogoutRedirectUri] : [],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub', 'acr', 'amr'], email: ['email', 'email_verified', 'xms_edov'], profile: ['given_name', 'family_name'] },
    conformIdTokenClaims: false,
    acrValues: ['urn:test:loa:1', 'urn:test:loa:mfa'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body =
            `<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body><main>` +
            `<h1>Sign out of the test identity provider?</h1>${form}` +
            `<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></main></body></html>`;
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-only-cookie-key'] },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      const { amr: _amr, acr: _acr, authTime: _authTime, ...claims } = account;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  } as never);
  const idp: TestOidcIdp = {
    issuer,
    clientId,
    clientSecret,
    accounts,
    nextAccount: null,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const callback = provider.callback();
  server.on('request', async (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        let accountId = idp.nextAccount;
        if (req.method === 'POST') accountId = (await formBody(req)).get('login');
        if (!accountId) {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          res.end(
            `<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body><main><h1>Test identity provider</h1>` +
              `<form method="post" action="/interaction/${details.uid}"><label for="login">Account</label> <input id="login" name="login" autocomplete="off">` +
              `<button type="submit">Sign in</button></form></main></body></html>`,
          );
          return;
        }
        const { amr, acr, authTime } = accounts.get(accountId) ?? {};
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId, ...(amr ? { amr } : {}), ...(acr ? { acr } : {}), ...(authTime ? { ts: authTime } : {}) } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const accountId = (details.session as { accountId: string }).accountId;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant!.addOIDCScope(String(details.params.scope));
      const grantId = await grant!.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });
  return idp;
}

/** The `cookie` header of a jar. */
export const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** Keeps a response's cookies in the jar, as a browser would. */
export function keepCookies(jar: Map<string, string>, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
}

/**
 * Follows the provider's redirects like a browser would (cookies kept) until it sends the browser
 * back to `appOrigin`; returns that URL. Pass a jar to keep the provider's session for later (sign-out).
 */
export async function followToApp(start: string, appOrigin: string, jar = new Map<string, string>()): Promise<URL> {
  let url = start;
  for (let i = 0; i < 20; i++) {
    if (url.startsWith(appOrigin)) return new URL(url);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader(jar) } });
    keepCookies(jar, res);
    const location = res.headers.get('location');
    if (!location) throw new Error(`identity provider stopped at ${url} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}
