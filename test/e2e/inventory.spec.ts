import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';

const SITE_ADMIN = 'm.okafor@cedarvalley.example';

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: /sign out/i }).or(page.getByRole('link', { name: 'Inventory' })).first()).toBeVisible();
}

test('a site admin adds an app for grades 3–5 with two data elements and finds it by filter', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.getByRole('link', { name: 'Inventory' }).first().click();
  await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
  await page.getByRole('link', { name: 'Add app' }).or(page.getByRole('button', { name: 'Add app' })).first().click();

  await page.getByRole('radio', { name: 'Custom app' }).check();
  const name = `Phonics Garden ${Date.now()}`;
  await page.getByLabel('App name').fill(name);
  for (const grade of ['Grade 3', 'Grade 4', 'Grade 5']) await page.getByRole('checkbox', { name: grade, exact: true }).check();
  await page.getByRole('checkbox', { name: 'Name', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Email', exact: true }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The app was added to the inventory.')).toBeVisible();

  // Find it again from the list, by grade and by data element, then by text.
  await page.goto('/inventory');
  const grade = page.getByRole('textbox', { name: 'Grade' }).or(page.getByLabel('Grade', { exact: true })).first();
  await grade.click();
  await page.getByRole('option', { name: 'Grade 4', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByLabel('Search').fill(name);
  await expect(page).toHaveURL(/grade=4|grade=%5B%224%22%5D|grade=.*4/);
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('3');
  await expect(row).toContainText('5');

  // Another grade does not list it.
  await page.goto(`/inventory?grade=12&q=${encodeURIComponent(name)}`);
  await expect(page.getByText('No apps match these filters.')).toBeVisible();

  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.length}`)).toEqual([]);
});

test('the interface speaks French', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.getByRole('button', { name: /français/i }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('link', { name: 'Inventaire' }).first()).toBeVisible();
});
