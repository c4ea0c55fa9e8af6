/**
 * The data lifecycle in the browser: rights of individuals (see my data, correct it, download it,
 * erase my account), the audit log, and the end of service — a site admin asks for it, a platform
 * admin confirms it, the institution becomes read-only with a banner on every page, a purged
 * institution's deletion certificate is read and downloaded, and the end of service is cancelled.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { expectNoAxeViolations } from './axe.js';
import { signIn, signOut } from './session.js';

const OPERATOR = 'admin@vetted.example';
const LAKESHORE = 'Lakeshore District School Board (demo)';
const LAKESHORE_ADMIN = 'h.karimi@lakeshore.example';

test('a person sees, corrects, downloads and erases their own data', async ({ page }) => {
  await signIn(page, 's.mcallister@lakeshore.example');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My data' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My data' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Where I am signed in' })).toContainText('this session');

  await expect(page.getByRole('table', { name: 'Audit events about me or by me' })).toContainText('Signed in');
  await expect(page.getByRole('table', { name: 'Audit events about me or by me' })).not.toContainText('session.create');
  await expectNoAxeViolations(page);

  // Correct my name. The sign-in email is not changed here: it changes by a link to the new address.
  await page.getByLabel('First name').fill('Shevaun');
  await expect(page.getByLabel('Email', { exact: true })).not.toBeEditable();
  await expect(page.getByText('Your sign-in email changes from your account page')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toContainText('Your details were saved.');
  await expect(page.getByRole('table', { name: 'Audit events about me or by me' })).toContainText('Own profile changed');
  await expect(page.getByText('Signed in as Shevaun McAllister')).toBeVisible();

  // The download holds everything shown, corrected.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download my data (JSON)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^vetted-my-data-.*\.json$/);
  const mine = JSON.parse(await readFile((await file.path())!, 'utf8'));
  expect(mine.profile).toMatchObject({ firstName: 'Shevaun', email: 's.mcallister@lakeshore.example' });
  expect(mine.institution.name).toBe(LAKESHORE);
  expect(mine.sessions.some((x: { current: boolean }) => x.current)).toBe(true);
  expect(mine.auditEvents.map((e: { action: string }) => e.action)).toContain('user.update_self');

  await page.getByRole('button', { name: 'Erase my account…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase my account' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email', { exact: true }).fill('s.mcallister@lakeshore.example');
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
});

test('the last site administrator is told why their account cannot be erased', async ({ page }) => {
  await signIn(page, LAKESHORE_ADMIN);
  await page.goto('/me');
  await page.getByRole('button', { name: 'Erase my account…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Erase my account' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('last site administrator');
});

test('a site administrator reads the audit log, filters it and checks it is intact', async ({ page }) => {
  await signIn(page, LAKESHORE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  const log = page.getByRole('table', { name: 'Audit log' });
  // Actions, kinds of record and roles read as words, never as codes.
  await expect(log).toContainText('Signed in');
  await expect(log).toContainText('(Site admin)');
  await expect(log).not.toContainText('session.create');
  await page.getByLabel('Action').fill('Signed in');
  await page.getByRole('option', { name: 'Signed in', exact: true }).click();
  await expect(log.locator('tbody tr').first()).toContainText('Signed in');
  await expect(log.locator('tbody tr').filter({ hasNotText: 'Signed in' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Check the log is intact' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The log is intact' })).toBeVisible();
});

test('an institution asks for its end of service, becomes read-only, and is purged with a certificate', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));

  // The site admin asks for the end of service from the settings page.
  await signIn(page, LAKESHORE_ADMIN);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  const endOfService = page.getByRole('region', { name: 'End of service' });
  await endOfService.getByLabel('Contact for the deletion certificate').fill('privacy@lakeshore.example');
  await endOfService.getByRole('button', { name: 'Request the end of service' }).click();
  await expect(page.getByText('Your request was sent. A platform administrator will confirm it.')).toBeVisible();
  await expect(endOfService).toContainText('End requested');
  await signOut(page);

  // The platform admin confirms it: the institution is read-only from now on.
  await signIn(page, OPERATOR);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Institutions' }).click();
  const lakeshore = page.getByRole('row', { name: new RegExp(LAKESHORE.replace(/[()]/g, '\\$&')) });
  await expect(lakeshore).toContainText('End requested');
  await page.getByRole('button', { name: `End of service of ${LAKESHORE}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Contact for the deletion certificate')).toHaveValue('privacy@lakeshore.example');
  await expectNoAxeViolations(page);
  await dialog.getByRole('button', { name: 'Confirm the request' }).click();
  await expect(page.getByText(`The end of service of ${LAKESHORE} is set.`)).toBeVisible();
  await expect(lakeshore).toContainText('Read-only');
  await signOut(page);

  // Its site admin sees the banner on every page, can export everything, and can change nothing.
  await signIn(page, LAKESHORE_ADMIN);
  const banner = page.getByRole('region', { name: 'End of service' }).first();
  await expect(banner).toContainText('This institution is read-only');
  await expect(banner).toContainText(/deleted for good/);
  const archive = page.waitForEvent('download');
  await banner.getByRole('link', { name: 'Download the complete archive (JSON)' }).click();
  expect((await archive).suggestedFilename()).toMatch(/^vetted-archive-.*\.json$/);
  await expect(banner.getByRole('link', { name: 'Full export (spreadsheets)' })).toHaveAttribute('href', '/exports');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(page.getByRole('region', { name: 'End of service' }).last()).toContainText('Read-only');
  await expectNoAxeViolations(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }).click();
  await expect(page.getByRole('button', { name: 'Add app' })).toBeDisabled();
  await page.getByRole('table').getByRole('link').first().click();
  await expect(page.getByRole('button', { name: 'Save', exact: true })).toBeDisabled();
  await expect(banner).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('button', { name: 'Send invitation' })).toBeDisabled();

  // The banner speaks French too.
  await page.getByRole('button', { name: /français/i }).click();
  await expect(page.getByRole('region', { name: 'Fin de service' })).toContainText('Cet établissement est en lecture seule');
  await page.getByRole('button', { name: /english/i }).click();
  await signOut(page);

  // The operator purges a short-lived institution whose grace period is over, and reads its certificate.
  await signIn(page, OPERATOR);
  const session = await (await page.request.get('/api/v1/session')).json();
  const created = await page.request.post('/api/v1/institutions', {
    headers: { 'x-csrf-token': session.csrfToken },
    data: {
      name: 'Short-lived Academy (e2e)',
      kind: 'independent_school',
      country: 'CA',
      subdivision: 'BC',
      region: 'ca',
      gradeLevels: ['9', '10'],
      schools: [{ name: 'Short-lived Academy', gradeFrom: '9', gradeTo: '10' }],
      firstSiteAdmin: { email: 'head@shortlived.example', firstName: 'Pat', lastName: 'Lee' },
    },
  });
  expect(created.status()).toBe(201);
  await page.goto('/institutions');
  await page.getByRole('button', { name: 'End of service of Short-lived Academy (e2e)' }).click();
  // Two months ago: past its grace period already (a platform admin may set a day up to a year back).
  await dialog.getByLabel('End of service').fill(new Date(Date.now() - 60 * 24 * 3600_000).toISOString().slice(0, 10));
  await dialog.getByLabel('Contact for the deletion certificate').fill('dpo@shortlived.example');
  await dialog.getByRole('button', { name: 'Set the end of service' }).click();
  await expect(page.getByText('The end of service of Short-lived Academy (e2e) is set.')).toBeVisible();
  await page.getByRole('button', { name: 'End of service of Short-lived Academy (e2e)' }).click();
  await dialog.getByRole('button', { name: 'Delete its data now' }).click();
  await expect(page.getByText(/The purge of Short-lived Academy \(e2e\) has started/)).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deletion certificates' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deletion certificates' })).toBeVisible();
  const certificate = page.getByRole('row', { name: /Short-lived Academy \(e2e\)/ });
  await expect(async () => {
    await page.reload();
    await expect(certificate).toBeVisible({ timeout: 2_000 });
    await expect(certificate).not.toContainText('In progress', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await certificate.getByRole('button', { name: 'View the certificate of Short-lived Academy (e2e)' }).click();
  await expect(dialog.getByRole('table', { name: 'Rows deleted per table' })).toContainText('invitations');
  await expect(dialog.getByRole('row', { name: /Backup key destroyed/ })).toContainText('Yes');
  await expect(dialog.getByRole('row', { name: /SHA-256 digest/ })).toContainText(/[0-9a-f]{64}/);
  await expectNoAxeViolations(page);
  const json = page.waitForEvent('download');
  await dialog.getByRole('link', { name: 'Download (JSON)' }).click();
  const file = await json;
  expect(file.suggestedFilename()).toMatch(/^vetted-deletion-certificate-.*\.json$/);
  const body = JSON.parse(await readFile((await file.path())!, 'utf8'));
  expect(body).toMatchObject({
    institutionName: 'Short-lived Academy (e2e)',
    keyDestroyed: true,
    digest: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(JSON.stringify(body)).not.toContain('dpo@shortlived.example');
  await page.keyboard.press('Escape');

  // Lakeshore's end of service is cancelled during its grace period: it is active again.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Institutions' }).click();
  await page.getByRole('button', { name: `End of service of ${LAKESHORE}` }).click();
  await dialog.getByRole('button', { name: 'Cancel the end of service' }).click();
  await expect(page.getByText(`The end of service of ${LAKESHORE} was cancelled: it is active again.`)).toBeVisible();
  await expect(lakeshore).toContainText('Active');
});

test('a platform admin moves a scheduled end of service to another day', async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, OPERATOR);
  const session = await (await page.request.get('/api/v1/session')).json();
  const headers = { 'x-csrf-token': session.csrfToken };
  const created = await page.request.post('/api/v1/institutions', {
    headers,
    data: {
      name: 'Moving Academy (e2e)',
      kind: 'independent_school',
      country: 'CA',
      subdivision: 'ON',
      region: 'ca',
      gradeLevels: ['9'],
      firstSiteAdmin: { email: 'head@moving.example', firstName: 'Sam', lastName: 'Roy' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as string;
  const year = new Date().getFullYear();
  await page.goto('/institutions');
  const open = () => page.getByRole('button', { name: 'End of service of Moving Academy (e2e)' }).click();
  const dialog = page.getByRole('dialog');
  await open();
  await dialog.getByLabel('End of service').fill(`${year + 2}-03-01`);
  await dialog.getByLabel('Contact for the deletion certificate').fill('dpo@moving.example');
  await dialog.getByRole('button', { name: 'Set the end of service' }).click();
  await expect(page.getByText('The end of service of Moving Academy (e2e) is set.')).toBeVisible();

  // The date moves from the same dialog, by keyboard.
  await open();
  await dialog.getByRole('button', { name: 'Change date' }).click();
  const newDate = dialog.getByLabel('New end of service');
  await expect(newDate).toBeFocused();
  await expectNoAxeViolations(page);
  await newDate.fill(`${year + 2}-06-15`);
  await dialog.getByRole('button', { name: 'Save the new date' }).click();
  await expect(page.getByText('The end of service of Moving Academy (e2e) was moved.')).toBeVisible();
  const moved = (await (await page.request.get(`/api/v1/institutions/${id}/offboarding`)).json()).offboarding;
  expect(moved).toMatchObject({ phase: 'scheduled' });
  expect(new Date(moved.endOfServiceAt).getTime()).toBe(new Date(`${year + 2}-06-15T00:00:00`).getTime());

  // In French too.
  await page.getByRole('button', { name: /français/i }).click();
  await page.getByRole('button', { name: 'Fin de service de Moving Academy (e2e)' }).click();
  await dialog.getByRole('button', { name: 'Changer la date' }).click();
  await expect(dialog.getByLabel('Nouvelle fin de service')).toBeFocused();
  await dialog.getByRole('button', { name: 'Garder la date actuelle' }).click();
  await expect(dialog.getByRole('button', { name: 'Changer la date' })).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /english/i }).click();
});
