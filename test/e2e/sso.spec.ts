/**
 * Single sign-on in Chromium: a site admin configures the institution's OpenID provider (a real
 * oidc-provider started by this test on loopback), then a colleague signs in with the button that
 * appears for their email's domain.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.js';
import { startSamlIdp, type TestSamlIdp } from '../support/saml-idp.js';
import { signIn } from './session.js';

const base = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const COLLEAGUE = 'd.tsang@cedarvalley.example';
let idp: TestOidcIdp;
let connectionId: string;
let csrf: string;

test.beforeAll(async ({ request }) => {
  idp = await startOidcIdp({ redirectUri: `${base}/api/v1/sso/oidc/callback`, postLogoutRedirectUri: `${base}/sign-in` });
  idp.accounts.set('dtsang', { email: COLLEAGUE, email_verified: true, given_name: 'Daniel', family_name: 'Tsang' });
  const login = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  csrf = (await login.json()).csrfToken;
  const created = await request.post('/api/v1/sso/connections', {
    headers: { 'x-csrf-token': csrf },
    data: {
      preset: 'oidc',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      displayName: 'Cedar Valley accounts',
      emailDomains: ['cedarvalley.example'],
    },
  });
  expect(created.status()).toBe(201);
  connectionId = (await created.json()).id;
});

test.afterAll(async ({ request }) => {
  // This hook's request context is not the one that signed in above: it signs in again.
  if (connectionId) {
    const login = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
    const removed = await request.delete(`/api/v1/sso/connections/${connectionId}`, {
      headers: { 'x-csrf-token': (await login.json()).csrfToken },
    });
    expect(removed.status()).toBe(204);
  }
  await idp?.close();
});

test('signs in through the institution’s OpenID provider', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(COLLEAGUE);
  const button = page.getByRole('link', { name: 'Continue with Cedar Valley accounts' });
  await expect(button).toBeVisible();
  await button.click();

  // The identity provider's own page.
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  expect(page.url().startsWith(idp.issuer)).toBe(true);
  await page.getByLabel('Account').fill('dtsang');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(`${base}/`);
  await expect(page.getByText('Daniel Tsang').first()).toBeVisible();
  await page.getByRole('link', { name: 'Account security' }).click();
  await expect(page.getByTestId('sessions')).toContainText('Single sign-on (OIDC)');

  // Signing out of Vetted signs out at the provider too (RP-initiated logout), then comes back.
  // The header's button (the sessions table may list other sessions, each with its own).
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign out of the test identity provider?' })).toBeVisible();
  await page.getByRole('button', { name: 'Yes, sign me out' }).click();
  await expect(page).toHaveURL(`${base}/sign-in`);
  await expect(page.getByRole('heading', { name: 'Sign in to Vetted' })).toBeVisible();
});

test('sends a refused sign-in back to the sign-in page with its reason', async ({ page }) => {
  idp.accounts.set('stranger', { email: `stranger@cedarvalley.example`, email_verified: true });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('someone@cedarvalley.example');
  await page.getByRole('link', { name: 'Continue with Cedar Valley accounts' }).click();
  await page.getByLabel('Account').fill('stranger');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/sign-in\?sso=no_account/);
  await expect(page.getByRole('alert').first()).toContainText('no Vetted account');
});

test('a site admin requires multi-factor at a SAML provider, with the well-known contexts offered', async ({ page }) => {
  const samlIdp = startSamlIdp();
  await signIn(page, SITE_ADMIN);
  await page.goto('/sign-in-settings');
  await page.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: 'SAML 2.0' }).click();
  const form = page.locator('form[aria-labelledby="add-provider-heading"]');
  await form.getByLabel('Button label').fill('Cedar Valley SAML');
  await form.getByLabel('or IdP metadata XML').fill(samlIdp.metadataXml);
  await form.getByLabel('Require a second factor at the provider').focus();
  await page.keyboard.press('Space');
  const contexts = form.getByLabel('Authentication contexts (AuthnContextClassRef) that mean multi-factor, one per line');
  await expect(contexts).toHaveValue('https://refeds.org/profile/mfa\nhttp://schemas.microsoft.com/claims/multipleauthn');
  await contexts.fill('not a uri');
  await form.getByRole('button', { name: 'Create' }).press('Enter');
  await expect(form.getByText('Must be a URI, such as https://refeds.org/profile/mfa')).toBeVisible();
  await contexts.fill('https://refeds.org/profile/mfa');
  await form.getByRole('button', { name: 'Create' }).press('Enter');
  await expect(form.getByText('Identity provider added.')).toBeVisible();

  const card = page.getByTestId('sso-connection').filter({ hasText: 'Cedar Valley SAML' });
  const required = card.getByRole('switch', { name: 'Require a second factor at the provider' });
  await expect(required).toBeChecked();
  await expect(card).toContainText('Accepted: https://refeds.org/profile/mfa');
  await expect(card.getByTestId('saml-single-logout')).toContainText('Single logout: not available');
  // Turned off and on again from the keyboard.
  await required.focus();
  await page.keyboard.press('Space');
  await expect(required).not.toBeChecked();
  await page.keyboard.press('Space');
  await expect(required).toBeChecked();
  await card.getByRole('button', { name: 'Remove — Cedar Valley SAML' }).click();
  await expect(card).toHaveCount(0);
});

test('shows whether a SAML provider offers single logout, and tells the person when it did not complete', async ({ page }) => {
  const samlIdp = startSamlIdp({ slo: true });
  await signIn(page, SITE_ADMIN);
  const created = await page.request.post('/api/v1/sso/connections', {
    headers: { 'x-csrf-token': await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).csrfToken) },
    data: { preset: 'saml', displayName: 'Cedar Valley SAML with logout', idp: { metadataXml: samlIdp.metadataXml } },
  });
  expect(created.status()).toBe(201);
  await page.goto('/sign-in-settings');
  const card = page.getByTestId('sso-connection').filter({ hasText: 'Cedar Valley SAML with logout' });
  await expect(card.getByTestId('saml-single-logout')).toContainText('Single logout: available');
  await expect(card).toContainText(`/api/v1/sso/saml/`);
  await card.getByRole('button', { name: 'Remove — Cedar Valley SAML with logout' }).click();
  await expect(card).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${base}/sign-in`);
  await page.goto('/signed-out?slo=failed');
  await expect(page.getByRole('heading', { name: 'You are signed out of Vetted' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('could not end its own session');
  await page.getByRole('link', { name: 'Sign in again' }).click();
  await expect(page).toHaveURL(`${base}/sign-in`);
});

test('signs in through a SAML IdP, and signing out ends the session there too (single logout)', async ({ page, request }) => {
  // The test IdP behind a loopback web server: its sign-in page posts a signed assertion back at
  // once; its single logout service checks our signed LogoutRequest and redirects with its answer.
  const spMetadataOf = async (url: string) => {
    const m = /\/api\/v1\/sso\/saml\/([^/]+)\/([^/]+)\//.exec(url)!;
    return (await request.get(`/api/v1/sso/saml/${m[1]}/${m[2]}/metadata`)).text();
  };
  let spMetadata = '';
  const server = createServer((req, res) => {
    void (async () => {
      const url = `${samlIdp.entityId.replace(/\/idp$/, '')}${req.url}`;
      try {
        if (req.url?.startsWith('/idp/sso?')) {
          const form = await samlIdp.respond({ spMetadata, redirectUrl: url, nameId: COLLEAGUE, email: COLLEAGUE });
          const acs = /AssertionConsumerService[^>]*Location="([^"]+)"/.exec(spMetadata)![1]!;
          res.writeHead(200, { 'content-type': 'text/html' });
          res.end(
            `<form method="post" action="${acs}"><input type="hidden" name="SAMLResponse" value="${form.SAMLResponse}">` +
              `<input type="hidden" name="RelayState" value="${form.RelayState}"><button>Continue</button></form>` +
              `<script>document.forms[0].submit()</script>`,
          );
        } else if (req.url?.startsWith('/idp/slo?')) {
          const { responseUrl } = samlIdp.logout({ spMetadata, logoutUrl: url });
          res.writeHead(302, { location: responseUrl });
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`refused: ${(err as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const samlIdp: TestSamlIdp = startSamlIdp({ entityId: `http://127.0.0.1:${(server.address() as AddressInfo).port}/idp`, slo: true });
  // This test's request context is not the one that signed in before all: it signs in itself.
  const admin = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
  const adminCsrf = (await admin.json()).csrfToken as string;
  try {
    const created = await request.post('/api/v1/sso/connections', {
      headers: { 'x-csrf-token': adminCsrf },
      data: {
        preset: 'saml',
        displayName: 'Cedar Valley SAML',
        idp: { metadataXml: samlIdp.metadataXml },
        emailDomains: ['cedarvalley.example'],
      },
    });
    expect(created.status()).toBe(201);
    const samlConnection = await created.json();
    spMetadata = await spMetadataOf(samlConnection.saml.acsUrl);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(COLLEAGUE);
      await page.getByRole('link', { name: 'Continue with Cedar Valley SAML' }).click();
      await expect(page).toHaveURL(`${base}/`);
      await expect(page.getByText('Daniel Tsang').first()).toBeVisible();
      expect(samlIdp.sessions.size).toBe(1);

      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await expect(page).toHaveURL(`${base}/sign-in`);
      await expect(page.getByRole('heading', { name: 'Sign in to Vetted' })).toBeVisible();
      // The IdP ended the sign-in our LogoutRequest named, and Vetted's session is gone.
      expect(samlIdp.sessions.size).toBe(0);
      expect((await page.request.get('/api/v1/session')).status()).toBe(401);
    } finally {
      const removed = await request.delete(`/api/v1/sso/connections/${samlConnection.id}`, { headers: { 'x-csrf-token': adminCsrf } });
      expect(removed.status()).toBe(204);
    }
  } finally {
    server.close();
  }
});

test('tells the person how a re-authentication at the provider went', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.goto('/account?sso=reauth_not_fresh');
  await expect(page.getByTestId('sso-reauth-outcome')).toContainText('did not ask you to sign in again');
  await expect(page).toHaveURL(`${base}/account`);
  await page.goto('/account?reauth=done');
  await expect(page.getByTestId('sso-reauth-outcome')).toContainText('You confirmed it is you');
});

test('a person without a password confirms it is them by signing in afresh at the provider', async ({ page, browser, request }) => {
  test.setTimeout(150_000);
  const email = `sso-only-${Date.now()}@cedarvalley.example`;
  const admin = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
  const invited = await request.post('/api/v1/invitations', {
    headers: { 'x-csrf-token': (await admin.json()).csrfToken },
    data: { email, firstName: 'Noor', lastName: 'Haddad', role: 'app_admin' },
  });
  expect(invited.status()).toBe(201);
  idp.accounts.set('nhaddad', { email, email_verified: true });
  async function signInAtProvider(p: typeof page) {
    await p.goto('/sign-in');
    await p.getByLabel('Email').fill(email);
    await p.getByRole('link', { name: 'Continue with Cedar Valley accounts' }).click();
    await p.getByLabel('Account').fill('nhaddad');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect(p).toHaveURL(`${base}/`);
  }
  // A second session elsewhere, so that there is one to end.
  const elsewhere = await browser.newContext();
  await signInAtProvider(await elsewhere.newPage());
  await signInAtProvider(page);
  await page.getByRole('link', { name: 'Account security' }).click();
  // REAUTH_MINUTES is 1 in these runs.
  await page.waitForTimeout(62_000);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toContainText('sign in again at your institution’s sign-in page');
  await dialog.getByRole('button', { name: 'Sign in again at my institution' }).click();
  // The provider asks again although it has a session in this browser (prompt=login).
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  expect(page.url().startsWith(idp.issuer)).toBe(true);
  await page.getByLabel('Account').fill('nhaddad');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${base}/account`);
  await expect(page.getByTestId('sso-reauth-outcome')).toContainText('You confirmed it is you');
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('sessions').locator('tbody tr')).toHaveCount(1);
  await elsewhere.close();
});
