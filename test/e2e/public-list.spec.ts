/** The public list: what parents see without signing in, and how a site admin publishes it. */
import { expect, test, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { expectNoAxeViolations } from './axe.js';

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

const countOf = async (page: Page) => Number(/(\d+) apps?/.exec((await page.getByRole('status').filter({ hasText: /\d+ apps?/ }).textContent()) ?? '')?.[1]);

test('a parent reads the approved apps of a district without signing in, filters them, in English and French', async ({ page }) => {
  await page.goto('/public/cedar-valley-demo');
  await expect(page.getByRole('heading', { level: 1, name: 'Apps approved by Cedar Valley School District No. 99 (demo)' })).toBeVisible();
  const all = await countOf(page);
  expect(all).toBeGreaterThan(3);
  await expect(page.getByRole('listitem')).toHaveCount(all);
  // Nothing about people: no sign-in, no staff names or emails on the page.
  await expect(page.locator('body')).not.toContainText('@cedarvalley.example');

  await expectNoAxeViolations(page);

  await page.getByLabel('Grade', { exact: true }).click();
  await page.getByRole('option', { name: 'Grade 11', exact: true }).click();
  await expect.poll(() => countOf(page)).toBeLessThan(all);
  const byGrade = await countOf(page);
  await expect(page.getByRole('listitem')).toHaveCount(byGrade);
  for (const entry of await page.getByRole('listitem').all()) await expect(entry).toContainText(/Grade/);

  await page.getByRole('button', { name: 'Français' }).or(page.getByRole('button', { name: 'FR' })).first().click();
  await expect(page.getByRole('heading', { level: 1, name: /^Applications approuvées par Cedar Valley/ })).toBeVisible();
  await expect(page.getByText('Renseignements recueillis').first()).toBeVisible();
});

test('an unknown address says there is no list', async ({ page }) => {
  await page.goto('/public/no-such-district');
  await expect(page.getByRole('heading', { level: 1, name: 'There is no public list at this address.' })).toBeVisible();
});

test('a site admin moves the public list to a new address', async ({ page, browser, baseURL }) => {
  await signIn(page, 'h.karimi@lakeshore.example');
  await page.goto('/settings');
  const panel = page.getByRole('region', { name: 'Public list' });
  await expect(panel).toContainText('/public/lakeshore-demo');
  await panel.getByLabel('Address of the public list').fill('Not a valid address!');
  await panel.getByRole('button', { name: 'Publish at this address' }).click();
  await expect(panel.getByText(/lower-case letters/).first()).toBeVisible();

  await panel.getByLabel('Address of the public list').fill('lakeshore-apps');
  await panel.getByRole('button', { name: 'Publish at this address' }).click();
  await expect(panel.getByRole('status')).toContainText('Public list saved.');
  await expect(panel.getByRole('link', { name: /\/public\/lakeshore-apps$/ })).toBeVisible();

  const visitorContext = await browser.newContext({ baseURL });
  const visitor = await visitorContext.newPage();
  await visitor.goto('/public/lakeshore-apps');
  await expect(visitor.getByRole('heading', { level: 1, name: /Lakeshore District School Board/ })).toBeVisible();
  await visitor.goto('/public/lakeshore-demo');
  await expect(visitor.getByRole('heading', { level: 1, name: 'There is no public list at this address.' })).toBeVisible();
  await visitorContext.close();
});
