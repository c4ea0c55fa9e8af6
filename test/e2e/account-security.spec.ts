/**
 * Account security in Chromium: setting up two-step verification from the QR code (or the typed key),
 * confirming one's identity again before a sensitive change, and a site administrator resetting the
 * second factor of someone who lost their device. The e2e server runs with REAUTH_MINUTES=1.
 */
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { expectNoAxeViolations } from './axe.js';

// The reset test needs the member enrolled by the first one.
test.describe.configure({ mode: 'serial' });

const MEMBER = 't.kowalczyk@lakeshore.example';
const SITE_ADMIN = 'h.karimi@lakeshore.example';
let secret = '';

const codeOf = (s: string, offset = 0) =>
  new TOTP({ secret: Secret.fromBase32(s), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + offset });

async function signIn(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('sets up two-step verification from a QR code, then confirms it is them before new recovery codes', async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, MEMBER);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account security' }).click();
  await page.getByRole('button', { name: 'Set up two-step verification' }).click();

  const qr = page.getByRole('img', { name: 'Scan this QR code with your authenticator app' });
  await expect(qr).toBeVisible();
  const box = await qr.boundingBox();
  expect(box!.width).toBeGreaterThanOrEqual(180);
  // The same key as text, for typing it in or hearing it read.
  secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectNoAxeViolations(page);

  await page.getByRole('textbox', { name: 'Code' }).fill(codeOf(secret));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes.locator('li')).toHaveCount(10);
  await page.getByRole('button', { name: 'I have saved them' }).click();
  await expect(page.getByTestId('mfa-status')).toContainText('On. 10 recovery codes left.');

  // Past REAUTH_MINUTES, a sensitive change asks for the password and a code first.
  await page.waitForTimeout(62_000);
  await page.getByRole('button', { name: 'New recovery codes' }).click();
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(dialog).toBeVisible();
  await expectNoAxeViolations(page);
  await dialog.getByLabel('Current password').fill('not the password at all');
  await dialog.getByRole('textbox', { name: 'Code' }).fill(codeOf(secret, 30_000));
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog.getByText('Not correct', { exact: true })).toBeVisible();
  await dialog.getByLabel('Current password').fill(E2E_DEMO_PASSWORD);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
});

test('a site administrator resets the second factor of someone who lost their device', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Reset two-step verification — Tomasz Kowalczyk' }).click();
  const confirm = page.getByRole('dialog', { name: 'Reset two-step verification of Tomasz Kowalczyk?' });
  await expect(confirm).toContainText('lost their authenticator');
  await expectNoAxeViolations(page);
  await confirm.getByRole('button', { name: 'Reset two-step verification' }).click();
  await expect(page.getByText('Two-step verification of Tomasz Kowalczyk was reset.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reset two-step verification — Tomasz Kowalczyk' })).toHaveCount(0);

  // Not required in this institution: the next sign-in needs the password only.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signIn(page, MEMBER);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
});

test('la vérification en deux étapes parle français', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto('/account');
  await page.getByRole('button', { name: /français/i }).click();
  await page.getByRole('button', { name: 'Activer la vérification en deux étapes' }).click();
  await expect(page.getByRole('img', { name: 'Balayez ce code QR avec votre application d’authentification' })).toBeVisible();
  await expect(page.getByText('Ou tapez cette clé dans l’application')).toBeVisible();
});
