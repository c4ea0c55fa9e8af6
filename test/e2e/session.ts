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
