/**
 * Single sign-on in Chromium: a site admin configures the institution's OpenID provider (a real
 * oidc-provider started by this test on loopback), then a colleague signs in with the button that
 * appears for their email's domain.
 */
import { expect, test } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.js';

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
  if (connectionId) await request.delete(`/api/v1/sso/connections/${connectionId}`, { headers: { 'x-csrf-token': csrf } });
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
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
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
