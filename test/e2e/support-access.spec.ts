/**
 * Support access in Chromium (ADR 0007): a site admin lets the operator read the institution for a
 * while from the settings; the operator, inside the institution, is told it reads only; the site
 * admin ends it early.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const OPERATOR = 'admin@vetted.example';
const INSTITUTION = 'Cedar Valley School District No. 99 (demo)';

test('a site admin grants the operator read-only support access, then ends it', async ({ page }) => {
  test.setTimeout(150_000);
  const reason = `Help with the import ${Date.now()}`;
  await signIn(page, SITE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const section = page.getByRole('region', { name: 'Support access for the operator' });
  await section.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await section.getByRole('button', { name: 'Grant support access' }).click();
  await expect(section.getByText(/The operator can read your institution’s data until/)).toBeVisible();
  const row = section.getByRole('table', { name: 'Support access granted to the operator' }).getByRole('row', { name: new RegExp(reason) });
  await expect(row).toContainText('Active');
  await expectNoAxeViolations(page);
  await signOut(page);

  await signIn(page, OPERATOR);
  await page.getByRole('combobox', { name: 'Institution' }).click();
  await page.getByRole('option', { name: INSTITUTION }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Support access (read-only)' })).toBeVisible();
  await signOut(page);

  await signIn(page, SITE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await row.getByRole('button', { name: `End the support access: ${reason}` }).click();
  await expect(section.getByText('The support access has ended.')).toBeVisible();
  await expect(row).toContainText('Ended early');
  await expect(row.getByRole('button')).toHaveCount(0);
  await signOut(page);
});
