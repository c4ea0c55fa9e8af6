/**
 * Attached documents in the browser: a site admin attaches an agreement to an app (a renamed HTML
 * page is refused by its content), downloads it as a file with the same bytes, finds the panel
 * accessible in English and French, and removes the document after confirming.
 */
import { readFile } from 'node:fs/promises';
import { expect as baseExpect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const PDF = Buffer.from(`%PDF-1.4\n% agreement ${Date.now()}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

test('a site admin attaches, downloads and removes an agreement, in English and French', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => {
    if (!window.localStorage.getItem('vetted.language')) window.localStorage.setItem('vetted.language', 'en');
  });
  await signIn(page, SITE_ADMIN);
  await page.goto('/inventory');
  await page.locator('a[href^="/inventory/"]').filter({ hasNotText: /add/i }).first().click();
  await page.waitForURL(/\/inventory\/[0-9a-f-]{36}/);
  const panel = page.getByRole('region', { name: 'Documents' });
  await expect(panel).toBeVisible();
  const fileInput = panel.locator('input[type="file"]');

  // A web page renamed .pdf is refused by what it holds.
  await fileInput.setInputFiles({
    name: 'agreement.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'),
  });
  await panel.getByRole('button', { name: 'Attach' }).click();
  await expect(panel.getByText('Must be a PDF, Word (DOCX), PNG or JPEG file')).toBeVisible();

  const name = `vendor-dpa-${Date.now()}.pdf`;
  await fileInput.setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
  await panel.getByLabel('Agreement ends on (optional)').fill('2027-06-30');
  await panel.getByRole('button', { name: 'Attach' }).click();
  await expect(panel.getByText(`“${name}” attached.`)).toBeVisible();
  const row = panel.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('Agreement (DPA)');
  await expectNoAxeViolations(page);

  // Downloaded as a file, byte for byte.
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: `Download ${name}` }).click()]);
  expect(download.suggestedFilename()).toBe(name);
  expect((await readFile((await download.path())!)).equals(PDF)).toBe(true);

  // In French.
  await page.evaluate(() => window.localStorage.setItem('vetted.language', 'fr'));
  await page.reload();
  const panneau = page.getByRole('region', { name: 'Documents' });
  await expect(panneau.getByRole('button', { name: 'Joindre' })).toBeVisible();
  await expect(panneau.getByRole('row', { name: new RegExp(name) })).toContainText('Entente (traitement des données)');
  await expectNoAxeViolations(page);

  // Removed after confirming.
  await panneau.getByRole('button', { name: `Retirer ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Retirer ce document?' });
  await dialog.getByRole('button', { name: 'Retirer' }).click();
  await expect(panneau.getByText(`« ${name} » retiré.`)).toBeVisible();
  await expect(panneau.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
});
