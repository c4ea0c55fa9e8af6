import { expect, test, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { expectNoAxeViolations } from './axe.js';

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

  await expectNoAxeViolations(page);
});

test('the interface speaks French', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.getByRole('button', { name: /français/i }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('link', { name: 'Inventaire' }).first()).toBeVisible();
});

test('the pager walks a long list forward and back by the list’s cursors, and jumps to a page by its number', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  const csrf = { 'x-csrf-token': (await (await page.request.get('/api/v1/session')).json()).csrfToken as string };
  const names = Array.from({ length: 60 }, (_, i) => `Pager app ${String(i).padStart(2, '0')}`);
  for (const name of names) {
    const res = await page.request.post('/api/v1/inventory', { headers: csrf, data: { custom: { name } } });
    expect(res.status(), await res.text()).toBe(201);
  }
  const firstCell = () => page.getByRole('row').nth(1);
  await page.goto('/inventory?q=Pager%20app&sort=name');
  await expect(firstCell()).toContainText(names[0]!);

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(firstCell()).toContainText(names[25]!);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(firstCell()).toContainText(names[50]!);
  await expect(page.getByRole('row')).toHaveCount(11);

  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page).toHaveURL(/before=/);
  await expect(firstCell()).toContainText(names[25]!);
  await expect(page.getByRole('row')).toHaveCount(26);

  await page.getByRole('button', { name: 'Page 3' }).click();
  await expect(firstCell()).toContainText(names[50]!);
  await page.getByRole('button', { name: 'Page 1' }).click();
  await expect(firstCell()).toContainText(names[0]!);
  await expect(page).not.toHaveURL(/after=|before=/);
});
