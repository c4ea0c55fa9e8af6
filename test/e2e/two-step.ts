/**
 * The second step of a password sign-in in the browser, for journeys that sign in as a platform
 * admin (always asked) or anyone with two-step verification. On first sign-in it enrols with the key
 * the page shows and keeps the recovery codes; later sign-ins spend one of them (a TOTP code is
 * accepted once per 30 seconds, too slow for a journey that signs in several times). Once the codes
 * are spent, it falls back to a TOTP code, waiting for a new 30-second step when the last one was used.
 */
import { expect, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

const recoveryCodes = new Map<string, string[]>();
const secrets = new Map<string, { totp: TOTP; lastStep: number }>();

/** A TOTP code never used before by this journey (the server accepts each step once). */
async function freshTotp(email: string): Promise<string | undefined> {
  const s = secrets.get(email);
  if (!s) return undefined;
  let step = Math.floor(Date.now() / 30_000);
  if (step <= s.lastStep) {
    await new Promise((r) => setTimeout(r, (s.lastStep + 1) * 30_000 - Date.now() + 500));
    step = Math.floor(Date.now() / 30_000);
  }
  s.lastStep = step;
  return s.totp.generate();
}

/** Call right after clicking "Sign in"; does nothing when no second step is asked. */
export async function completeTwoStep(page: Page, email: string): Promise<void> {
  const signOut = page.getByRole('button', { name: 'Sign out' });
  const enrol = page.getByRole('heading', { name: 'Set up two-step verification' });
  const verify = page.getByRole('heading', { name: 'Two-step verification' });
  await expect(signOut.or(enrol).or(verify)).toBeVisible();
  if (await enrol.isVisible()) {
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    secrets.set(email, { totp, lastStep: Math.floor(Date.now() / 30_000) });
    const code = totp.generate();
    await page.getByRole('textbox', { name: 'Code' }).fill(code);
    await page.getByRole('button', { name: 'Confirm' }).click();
    const list = page.getByTestId('recovery-codes');
    await expect(list).toBeVisible();
    recoveryCodes.set(
      email,
      (await list.locator('li').allInnerTexts()).map((c) => c.trim()),
    );
    await page.getByRole('button', { name: 'I have saved them' }).click();
  } else if (await verify.isVisible()) {
    const code = recoveryCodes.get(email)?.shift() ?? (await freshTotp(email));
    if (!code) throw new Error(`no recovery code left for ${email}`);
    await page.getByRole('textbox', { name: 'Code' }).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(signOut).toBeVisible();
}
