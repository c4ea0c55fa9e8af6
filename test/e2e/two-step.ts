/**
 * The second step of a password sign-in in the browser, for journeys that sign in as a platform
 * admin (always asked) or anyone with two-step verification. On first sign-in it enrols with the key
 * the page shows and keeps the recovery codes; later sign-ins spend one of them (a TOTP code is
 * accepted once per 30 seconds, too slow for a journey that signs in several times). Once the codes
 * are spent, it falls back to a TOTP code, waiting for a new 30-second step when the last one was used.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';

/**
 * What a person's enrolment left (the key, the recovery codes left, the last TOTP step used), kept in
 * the run's data folder: a failed test restarts the worker process, and the next one must still
 * sign in as a person enrolled by an earlier test. The folder is emptied at the start of each run.
 */
interface Enrolment {
  secret: string;
  codes: string[];
  lastStep: number;
}
const folder = path.join('.e2e-data', String(process.env.E2E_PORT ?? 3100), 'two-step');
const fileOf = (email: string) => path.join(folder, `${email.replace(/[^a-z0-9.@-]/gi, '_')}.json`);
function load(email: string): Enrolment | undefined {
  try {
    return JSON.parse(readFileSync(fileOf(email), 'utf8')) as Enrolment;
  } catch {
    return undefined;
  }
}
function save(email: string, e: Enrolment): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(fileOf(email), JSON.stringify(e));
}
const totpOf = (secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });

/** A recovery code, or once they are spent a TOTP code of a step not used before (each is accepted once). */
async function nextCode(email: string): Promise<string | undefined> {
  const e = load(email);
  if (!e) return undefined;
  const code = e.codes.shift();
  if (code) {
    save(email, e);
    return code;
  }
  let step = Math.floor(Date.now() / 30_000);
  if (step <= e.lastStep) {
    await new Promise((r) => setTimeout(r, (e.lastStep + 1) * 30_000 - Date.now() + 500));
    step = Math.floor(Date.now() / 30_000);
  }
  save(email, { ...e, lastStep: step });
  return totpOf(e.secret).generate();
}

/** Call right after clicking "Sign in"; does nothing when no second step is asked. */
export async function completeTwoStep(page: Page, email: string): Promise<void> {
  const signOut = page.getByRole('button', { name: 'Sign out' });
  const enrol = page.getByRole('heading', { name: 'Set up two-step verification' });
  const verify = page.getByRole('heading', { name: 'Two-step verification' });
  await expect(signOut.or(enrol).or(verify)).toBeVisible();
  if (await enrol.isVisible()) {
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/\s+/g, '');
    const lastStep = Math.floor(Date.now() / 30_000);
    await page.getByRole('textbox', { name: 'Code' }).fill(totpOf(secret).generate());
    await page.getByRole('button', { name: 'Confirm' }).click();
    const list = page.getByTestId('recovery-codes');
    await expect(list).toBeVisible();
    save(email, { secret, lastStep, codes: (await list.locator('li').allInnerTexts()).map((c) => c.trim()) });
    await page.getByRole('button', { name: 'I have saved them' }).click();
  } else if (await verify.isVisible()) {
    const code = await nextCode(email);
    if (!code) throw new Error(`no recovery code left for ${email}`);
    await page.getByRole('textbox', { name: 'Code' }).fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(signOut).toBeVisible();
}
