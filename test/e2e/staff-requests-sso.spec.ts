/**
 * Staff requests through the institution's own single sign-on, in Chromium: the site admin opens the
 * institution's OpenID provider (a real oidc-provider started by this test on loopback) to staff
 * requests and copies the address to share; a staff member starts there, signs in at the provider,
 * and lands on the request page (no account, no session) and asks for an app; someone whose email is
 * outside the institution's domains is turned away. The request page is axe-clean in English and
 * French, and its French holds no English.
 */
import { expect as baseExpect, test, type Browser, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { startOidcIdp, type TestOidcIdp } from '../support/oidc-idp.js';
import { axeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });
const base = `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`;
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const PROVIDER = 'Cedar Valley staff sign-in';
let idp: TestOidcIdp;
let connectionId: string;

test.beforeAll(async ({ request }) => {
  idp = await startOidcIdp({ redirectUri: `${base}/api/v1/sso/oidc/callback`, postLogoutRedirectUri: `${base}/sign-in` });
  idp.accounts.set('rlavoie', { email: 'r.lavoie@cedarvalley.example', email_verified: true, given_name: 'Renée', family_name: 'Lavoie' });
  idp.accounts.set('outsider', { email: 'someone@elsewhere.example', email_verified: true });
  const login = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
  expect(login.status()).toBe(200);
  const created = await request.post('/api/v1/sso/connections', {
    headers: { 'x-csrf-token': (await login.json()).csrfToken },
    data: { preset: 'oidc', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, displayName: PROVIDER, emailDomains: ['cedarvalley.example'] },
  });
  expect(created.status()).toBe(201);
  connectionId = (await created.json()).id;
});

test.afterAll(async ({ request }) => {
  if (connectionId) {
    const login = await request.post('/api/v1/session', { data: { email: SITE_ADMIN, password: E2E_DEMO_PASSWORD } });
    const removed = await request.delete(`/api/v1/sso/connections/${connectionId}`, { headers: { 'x-csrf-token': (await login.json()).csrfToken } });
    expect(removed.status()).toBe(204);
  }
  await idp?.close();
});

async function axeOf(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  return axeViolations(page);
}

/** A fresh browser (no session) in `language` that starts at the address and signs in at the provider as `account`. */
async function staffThroughSso(browser: Browser, address: string, account: string, language: 'en' | 'fr') {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((l) => window.localStorage.setItem('vetted.language', l), language);
  await page.goto(address);
  await expect(page.getByRole('heading', { name: 'Test identity provider' })).toBeVisible();
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/staff-request/);
  return { context, page };
}

test('staff reach the request page through the institution’s sign-in, with no account; others are turned away', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  const appName = `Pixel Garden ${Date.now().toString(36)}`;

  // The site admin opens the provider to staff requests and copies the address to share.
  await signIn(page, SITE_ADMIN);
  await page.goto('/settings');
  const settings = page.getByRole('region', { name: 'Staff request page' });
  // The switch shows what the server holds: it turns on once the change is saved.
  const toggle = settings.getByRole('switch', { name: `Staff sign in through ${PROVIDER} to ask for an app` });
  await toggle.click();
  await expect(settings.getByText(`Staff can now reach the page through ${PROVIDER}.`)).toBeVisible();
  await expect(toggle).toBeChecked();
  const address = (await settings.getByTestId(`request-sso-link-${connectionId}`).textContent())!.trim();
  expect(address).toMatch(new RegExp(`^${base}/api/v1/public/staff-requests/sso/[0-9a-f-]{36}/${connectionId}$`));
  expect(await axeOf(page)).toEqual([]);
  // The settings panel in French: its own words, axe-clean.
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'fr'));
  await page.reload();
  const réglages = page.getByRole('region', { name: 'Page de demande du personnel' });
  await expect(réglages.getByRole('switch', { name: `Le personnel se connecte par ${PROVIDER} pour demander une application` })).toBeChecked();
  await expect(réglages.getByText(`Adresse à diffuser pour ${PROVIDER} :`)).toBeVisible();
  expect(await axeOf(page)).toEqual([]);
  // Back to English for what follows (init scripts run in the order they were added).
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await page.reload();
  await signOut(page);

  // A staff member starts there, signs in at the provider, and asks for an app.
  const staff = await staffThroughSso(browser, address, 'rlavoie', 'en');
  await expect(staff.page).toHaveURL(`${base}/staff-request`);
  await expect(staff.page.getByRole('heading', { level: 1, name: /Ask .* to review an app/ })).toBeVisible();
  await expect(staff.page.getByText('Your institution’s sign-in confirmed you are one of its staff.', { exact: false })).toBeVisible();
  expect(await axeOf(staff.page)).toEqual([]);
  // No session: the app's pages still ask to sign in.
  expect((await staff.page.request.get('/api/v1/session')).status()).toBe(401);
  await staff.page.getByLabel('App name (if it is not in the catalog)').fill(appName);
  await staff.page.getByLabel('What will it be used for?').fill('Pixel art in grade 6 visual arts');
  await staff.page.getByRole('button', { name: 'Send the request' }).click();
  await expect(staff.page.getByRole('heading', { name: 'Your request was sent' })).toBeVisible();
  await staff.context.close();

  // The same in French: the page in French only, axe-clean.
  const fr = await staffThroughSso(browser, address, 'rlavoie', 'fr');
  await expect(fr.page.getByRole('heading', { level: 1, name: /Demander à .* d’évaluer une application/ })).toBeVisible();
  await expect(fr.page.getByText('La connexion de votre établissement a confirmé', { exact: false })).toBeVisible();
  expect(await axeOf(fr.page)).toEqual([]);
  const frText = await fr.page.locator('main').innerText();
  for (const english of ['Ask ', 'Send the request', 'sign-in', 'What will it be used for']) expect(frText).not.toContain(english);
  await fr.context.close();

  // Someone whose email is outside the institution's domains is turned away, in words, and axe-clean.
  const outsider = await staffThroughSso(browser, address, 'outsider', 'fr');
  await expect(outsider.page).toHaveURL(`${base}/staff-request?sso=no_account`);
  await expect(outsider.page.getByRole('alert')).toContainText('n’a pas confirmé que vous faites partie de son personnel');
  expect(await axeOf(outsider.page)).toEqual([]);
  await outsider.context.close();

  // The privacy office finds the request in its queue.
  await signIn(page, SITE_ADMIN);
  await page.getByRole('link', { name: 'Staff requests' }).click();
  await expect(page.getByRole('article', { name: new RegExp(appName) })).toBeVisible();
});
