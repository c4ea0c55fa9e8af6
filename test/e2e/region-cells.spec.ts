/**
 * Region cells in Chromium: the platform console names the region this deployment serves, counts
 * institutions by region, and its Bank bundles page refuses a file that is not a signed bundle with
 * the reason beside the file field; in English and French.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const OPERATOR = 'admin@vetted.example';

test('the platform console shows the region and refuses a bundle that is not signed', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, OPERATOR);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Institutions' }).click();
  await expect(
    page.getByText(
      /This deployment serves the Canada region \(ca\)\. Institutions by region: \d+ in Canada \(ca\), \d+ in the United States \(us\)\./,
    ),
  ).toBeVisible();

  await nav.getByRole('link', { name: 'Bank bundles' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bank bundles' })).toBeVisible();
  await expect(page.getByText('This region does not publish the bank: it applies the bundles of the primary region.')).toBeVisible();
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: 'bank-bundle.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something else"}') });
  await page.getByRole('button', { name: 'Apply the bundle' }).click();
  await expect(page.getByText('is not a Vetted bank bundle (format vetted-bank-bundle)')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Bundles of this region' }).or(page.getByText('No bundle yet.'))).toBeVisible();
  await expectNoAxeViolations(page);

  await page.getByRole('button', { name: /français/i }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Paquets de la banque' })).toBeVisible();
  await expect(page.getByText('Ce déploiement dessert la région Canada (ca).')).toBeVisible();
  await page.getByRole('button', { name: /english/i }).click();
  await signOut(page);
});
