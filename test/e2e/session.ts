/** Signing in and out of the demo accounts in e2e journeys. */
import { expect, type Page } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { completeTwoStep } from './two-step.js';

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await completeTwoStep(page, email);
}

export async function signOut(page: Page): Promise<void> {
  // Exact: the users page also has "Sign out of all sessions" buttons.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 30_000 });
}

/**
 * Opens an inventory app found by `search` (its link named `appName`), starts its assessment from the
 * template the page suggests, and returns the assessment's URL. The page must be in English.
 */
export async function startAssessment(page: Page, search: string, appName: string | RegExp = search): Promise<string> {
  await page.goto(`/inventory?q=${encodeURIComponent(search)}`);
  await page.getByRole('link', { name: appName }).first().click();
  await page.getByRole('button', { name: 'Start the assessment' }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  return page.url();
}

/**
 * Adds a catalog app to the signed-in person's inventory (found by `search`, its option named
 * `option`), adopts the bank PIA the page suggests, submits it for review, and returns the
 * assessment's URL. Use an app whose bank PIA is pre-answered (it is submitted as adopted). The page
 * must be in English.
 */
export async function submitCatalogAppAssessment(page: Page, search: string, option: RegExp): Promise<{ itemUrl: string; assessmentUrl: string }> {
  await page.goto('/inventory/new');
  await page.getByRole('radio', { name: 'From the catalog' }).check();
  await page.getByRole('textbox', { name: 'Catalog app' }).or(page.getByRole('combobox', { name: 'Catalog app' })).first().fill(search);
  await page.getByRole('option', { name: option }).click();
  await page.getByRole('checkbox', { name: 'Grade 4', exact: true }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('The app was added to the inventory.')).toBeVisible();
  await page.waitForURL(/\/inventory\/[0-9a-f-]{36}/);
  const itemUrl = page.url();
  await expect(page.getByRole('combobox', { name: 'Master bank template' })).toHaveValue(new RegExp(search));
  await page.getByRole('button', { name: 'Start the assessment' }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  const assessmentUrl = page.url();
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('This assessment is in review.')).toBeVisible();
  return { itemUrl, assessmentUrl };
}
