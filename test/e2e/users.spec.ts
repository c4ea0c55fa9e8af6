/** The Users page in Chromium: a site admin invites someone, sees the invitation listed, and revokes it. */
import { expect, test } from '@playwright/test';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const SITE_ADMIN = 'm.okafor@cedarvalley.example';

test('a site admin invites someone, then revokes the invitation', async ({ page }) => {
  await signIn(page, SITE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  const people = page.getByRole('table', { name: 'Users' });
  await expect(people.getByRole('row', { name: /\(you\)/ })).toBeVisible();

  const email = `new.teacher.${Date.now()}@cedarvalley.example`;
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'First name' }).fill('Robin');
  await page.getByRole('textbox', { name: 'Last name' }).fill('Tremblay');
  await page.getByRole('button', { name: 'Send invitation' }).click();
  await expect(page.getByText(`An invitation was emailed to ${email}.`)).toBeVisible();

  const invitations = page.getByRole('table', { name: 'Invitations' });
  const row = invitations.getByRole('row', { name: /Robin Tremblay/ });
  await expect(row).toContainText(email);
  await expect(row).toContainText('Pending');
  await expectNoAxeViolations(page);

  await row.getByRole('button', { name: `Revoke the invitation of ${email}` }).click();
  await expect(page.getByText(`The invitation of ${email} was revoked.`)).toBeVisible();
  await expect(row).toContainText('Revoked');
  await expect(row.getByRole('button')).toHaveCount(0);
  await signOut(page);
});
