/** Rights of individuals in the browser: see my data, correct it, download it, erase my account. */
import { expect, test, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('a person sees, corrects, downloads and erases their own data', async ({ page }) => {
  await signIn(page, 's.mcallister@lakeshore.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My data' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Where I am signed in' })).toContainText('this session');

  await page.getByLabel('First name').fill('Shevaun');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Your details were saved.');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data (JSON)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^vetted-my-data-.*\.json$/);

  await page.getByRole('button', { name: 'Erase my account…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase my account' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill('s.mcallister@lakeshore.example');
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
});

test('the last site administrator is told why their account cannot be erased', async ({ page }) => {
  await signIn(page, 'h.karimi@lakeshore.example');
  await page.goto('/me');
  await page.getByRole('button', { name: 'Erase my account…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase my account' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('last site administrator');
});

test('a site administrator reads the audit log, filters it and checks it is intact', async ({ page }) => {
  await signIn(page, 'h.karimi@lakeshore.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Audit log' })).toContainText('session.create');
  await page.getByLabel('Action').fill('session.create');
  await expect(page.getByRole('table', { name: 'Audit log' }).locator('tbody tr').first()).toContainText('session.create');
  await page.getByRole('button', { name: 'Check the log is intact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The log is intact' })).toBeVisible();
});
