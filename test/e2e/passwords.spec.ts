/**
 * Passwords in Chromium: someone who forgot theirs asks for a link, follows it from the email and
 * chooses a new one; then changes it again from their account page. (No other journey signs this
 * person in with a password: the SSO journey signs them in at their provider.)
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signOut } from './session.js';

const PERSON = 'd.tsang@cedarvalley.example';
const NEW_PASSWORD = 'Lantern-harbour-oboe-41';
const NEWER_PASSWORD = 'Quartz-meadow-violin-73';
const mailDir = `.e2e-data/${process.env.E2E_PORT ?? 3100}/mail`;

/** The body of the newest email to `to`, its quoted-printable encoding undone. */
async function newestMailTo(to: string): Promise<string> {
  const files = (await readdir(mailDir)).sort().reverse();
  for (const file of files) {
    const raw = await readFile(path.join(mailDir, file), 'utf8');
    if (!raw.includes(`To: ${to}`)) continue;
    const body = raw.slice(raw.indexOf('\n\n') + 2).replace(/=\r?\n/g, '');
    return Buffer.from(
      body.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  }
  throw new Error(`no email to ${to}`);
}

async function signInWith(page: Page, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(PERSON);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
}

test('a forgotten password is reset from the emailed link, then changed again on the account page', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await expect(page.getByText('Enter your email. If it has a Vetted account')).toBeVisible();
  // A malformed address is refused on its field, in the reader's language.
  await page.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(/.+/);
  await page.getByRole('textbox', { name: 'Email' }).fill(PERSON);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status')).toContainText('If this email has an account, a link is on its way.');
  await expectNoAxeViolations(page);

  const link = (await newestMailTo(PERSON)).match(/https?:\/\/\S+\/reset-password\?token=[\w-]+/)?.[0];
  expect(link).toBeDefined();
  await page.goto(link!);
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Repeat the new password').fill(`${NEW_PASSWORD}x`);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByText('The two passwords differ.')).toBeVisible();
  await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('status')).toContainText('Your password is changed and every session was signed out.');

  await signInWith(page, NEW_PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account security' }).click();
  const section = page.getByRole('form', { name: 'Change password' });
  await section.getByLabel('Current password').fill('wrong-password-here');
  await section.getByLabel('New password').fill(NEWER_PASSWORD);
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
  await expect(section.getByLabel('Current password')).toHaveAccessibleDescription('Not correct');
  await section.getByLabel('Current password').fill(NEW_PASSWORD);
  await section.getByRole('button', { name: 'Save' }).click();
  await expect(section.getByRole('status')).toContainText('Password changed. Your other sessions were signed out.');
  await signOut(page);
  await signInWith(page, NEWER_PASSWORD);
  await signOut(page);
});
