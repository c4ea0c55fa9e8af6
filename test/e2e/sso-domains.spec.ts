/**
 * Email domains of single sign-on in Chromium: a site admin claims a domain and is shown the DNS
 * record to publish; a provider cannot list it until it is verified; the operator approves the claim
 * from the operator console, and the site admin sees who approved it.
 */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const SITE_ADMIN = 'h.karimi@lakeshore.example';
const OPERATOR = 'admin@vetted.example';
const INSTITUTION = 'Lakeshore District School Board (demo)';
const DOMAIN = 'staff.lakeshore.example';

test('a site admin claims a domain, no provider may list it until the operator approves it, and the approval shows', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, SITE_ADMIN);
  await page.goto('/sign-in-settings');
  const section = page.getByRole('region', { name: 'Email domains' });
  // The demo's own domain is verified, approved by the operator when the demo was seeded.
  const seeded = section.getByTestId('sso-domain').filter({ hasText: 'lakeshore.example' }).first();
  await expect(seeded).toContainText('Verified');

  await section.getByRole('textbox', { name: 'Domain' }).fill(DOMAIN);
  await section.getByRole('button', { name: 'Claim', exact: true }).click();
  await expect(section.getByText('Domain claimed. Publish its DNS record, then check it.')).toBeVisible();
  const card = section.getByTestId('sso-domain').filter({ hasText: DOMAIN });
  await expect(card).toContainText('Waiting for verification');
  await expect(card).toContainText(`_vetted-challenge.${DOMAIN}`);
  await expect(card).toContainText(/vetted-domain-verification=[0-9a-f]{40}/);
  await expect(card.getByRole('button', { name: 'Copy — Value' })).toBeVisible();
  // No such record in this DNS: the claim stays pending and says why.
  await card.getByRole('button', { name: `Check the DNS record — ${DOMAIN}` }).click();
  await expect(card.getByRole('alert')).toContainText(/No TXT record was found|The DNS server did not answer/);
  await expect(card).toContainText('Waiting for verification');
  await expectNoAxeViolations(page);

  // A provider cannot list it yet.
  const form = page.locator('form[aria-labelledby="add-provider-heading"]');
  await page.getByRole('combobox', { name: 'Provider' }).click();
  await page.getByRole('option', { name: 'Other OpenID Connect provider' }).click();
  await form.getByLabel('Button label').fill('Staff accounts');
  await form.getByLabel('Issuer URL').fill('http://127.0.0.1:9');
  await form.getByLabel('Client ID').fill('vetted');
  await form.getByLabel('Client secret').fill('not-a-real-secret');
  await form.getByLabel(/^Email domains/).fill(DOMAIN);
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByText('Verify this domain first (Sign-in settings, Email domains)')).toBeVisible();
  await signOut(page);

  // The operator approves the claim from the institution's row.
  await signIn(page, OPERATOR);
  await page.goto('/institutions');
  await page.getByRole('button', { name: `Email domains of ${INSTITUTION}` }).click();
  const dialog = page.getByRole('dialog', { name: `Email domains of ${INSTITUTION}` });
  await expect(dialog).toContainText(DOMAIN);
  await expectNoAxeViolations(page, { include: '[role="dialog"]' });
  await dialog.getByRole('button', { name: `Approve the claim — ${DOMAIN}` }).click();
  await expect(dialog.getByText('Claim approved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await signOut(page);

  // The site admin sees who approved it; in French too.
  await signIn(page, SITE_ADMIN);
  await page.goto('/sign-in-settings');
  const approved = page.getByTestId('sso-domain').filter({ hasText: DOMAIN });
  await expect(approved).toContainText('Verified');
  await expect(approved).toContainText('Approved by Avery Lindqvist (Vetted operator)');
  await page.getByRole('button', { name: /français/i }).click();
  await expect(approved).toContainText('Approuvé par Avery Lindqvist (exploitant de Vetted)');
  await page.getByRole('button', { name: /english/i }).click();
  await approved.getByRole('button', { name: `Give up — ${DOMAIN}` }).click();
  await expect(approved).toHaveCount(0);
  await signOut(page);
});
