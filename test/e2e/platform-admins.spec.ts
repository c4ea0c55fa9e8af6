/**
 * The operator's team in Chromium: a platform admin sees the other platform admins and resets the
 * two-step verification of one who lost their device; never their own.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const OPERATOR = 'admin@vetted.example';
const COLLEAGUE = 'ops@vetted.example';

test('a platform admin resets a colleague’s lost second factor from the Platform admins page', async ({ page }) => {
  test.setTimeout(120_000);
  // The colleague signs in once: platform admins always set up two-step verification.
  await signIn(page, COLLEAGUE);
  await signOut(page);

  await signIn(page, OPERATOR);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Platform admins' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Platform admins' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Platform admins' });
  const me = table.getByRole('row', { name: /Avery Lindqvist/ });
  const colleague = table.getByRole('row', { name: /Sam Whitfield/ });
  await expect(me).toContainText('(you)');
  await expect(colleague).toContainText('On');
  // Nobody resets their own.
  await expect(me.getByRole('button')).toHaveCount(0);
  await expectNoAxeViolations(page);

  await colleague.getByRole('button', { name: 'Reset two-step verification — Sam Whitfield' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset two-step verification of Sam Whitfield?' });
  await dialog.getByRole('button', { name: 'Reset two-step verification' }).click();
  await expect(page.getByText('Two-step verification of Sam Whitfield was reset.')).toBeVisible();
  await expect(colleague).toContainText('Off');
  await expect(colleague.getByRole('button')).toHaveCount(0);

  // In French too.
  await page.getByRole('button', { name: /français/i }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Administrateurs de la plateforme' })).toBeVisible();
  const tableFr = page.getByRole('table', { name: 'Administrateurs de la plateforme' });
  await expect(tableFr.getByRole('row', { name: /Sam Whitfield/ })).toContainText('Désactivée');
  await page.getByRole('button', { name: /english/i }).click();
  await signOut(page);
});
