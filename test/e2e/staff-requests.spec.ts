/**
 * A staff member asks for an app through the request page (no account), the privacy office triages
 * it into review, answers the pre-filled PIA, and approves; the staff member sees the decision and the
 * guidance on the status page. Afterwards no file of the service's data folder (database, mail,
 * exports) and no export or portability archive holds the requester's email.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { unzip } from '../support/unzip.js';
import { signIn, signOut } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });

const APP_ADMIN = 'a.sandhu@cedarvalley.example';
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const dataDir = path.resolve(`.e2e-data/${process.env.E2E_PORT ?? 3100}`);

const question = (page: Page, key: string) => page.locator(`[data-question-key="${key}"]`);

/** Every file under `dir` whose bytes hold `needle`. */
function filesHolding(dir: string, needle: string): string[] {
  const wanted = Buffer.from(needle.toLowerCase());
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name);
      const st = statSync(file);
      if (st.isDirectory()) walk(file);
      else if (st.isFile() && Buffer.from(readFileSync(file).toString('latin1').toLowerCase(), 'latin1').includes(wanted)) out.push(file);
    }
  };
  walk(dir);
  return out;
}

test('request an app, triage, answer the pre-filled PIA, approve; the requester sees the decision; the email is nowhere', async ({ page, browser }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  const stamp = Date.now().toString(36);
  const appName = `Storyweave ${stamp}`;
  const purpose = `Collaborative story writing in grade 4 (${stamp})`;
  const email = `teacher.${stamp}@staff.cedarvalley.example`;
  const guidance = `Use first names only; no photos of students (${stamp}).`;

  // The site admin opens the request page and copies its link.
  await signIn(page, SITE_ADMIN);
  await page.goto('/settings');
  const settings = page.getByRole('region', { name: 'Staff request page' });
  await settings.getByRole('button', { name: /Open the page|Replace the link/ }).click();
  const requestLink = (await settings.getByTestId('request-link').textContent())!.trim();
  expect(requestLink).toMatch(/\/staff-request\?token=[A-Za-z0-9_-]{43}$/);
  await signOut(page);

  // A staff member, with no account, asks for the app.
  const staff = await browser.newContext();
  const staffPage = await staff.newPage();
  await staffPage.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await staffPage.goto(requestLink);
  await expect(staffPage.getByRole('heading', { level: 1, name: /Ask .* to review an app/ })).toBeVisible();
  await staffPage.getByLabel('App name (if it is not in the catalog)').fill(appName);
  await staffPage.getByLabel('What will it be used for?').fill(purpose);
  await staffPage.getByRole('combobox', { name: 'Grades' }).click();
  await staffPage.getByRole('option', { name: 'Grade 4', exact: true }).click();
  await staffPage.keyboard.press('Escape');
  await staffPage.getByLabel('About how many students?').fill('60');
  await staffPage.getByRole('combobox', { name: 'What information may it collect?' }).click();
  await staffPage.getByRole('option', { name: 'Name', exact: true }).click();
  await staffPage.keyboard.press('Escape');
  await staffPage.getByLabel('Your email, to hear the decision (optional)').fill(email);
  await staffPage.getByRole('button', { name: 'Send the request' }).click();
  await expect(staffPage.getByRole('heading', { name: 'Your request was sent' })).toBeVisible();
  const statusLink = (await staffPage.getByTestId('status-link').getAttribute('href'))!;
  await staffPage.goto(statusLink);
  await expect(staffPage.getByTestId('request-stage')).toHaveText('Waiting for the privacy office to look at it.');

  // The privacy office accepts it into review, and answers the pre-filled PIA.
  await signIn(page, APP_ADMIN);
  await page.getByRole('link', { name: 'Staff requests' }).click();
  const card = page.getByRole('article', { name: new RegExp(appName) });
  await expect(card).toContainText(purpose);
  await card.getByRole('button', { name: 'Accept into review' }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  const assessmentUrl = page.url();
  await expect(question(page, 'b.purpose').getByRole('textbox')).toHaveValue(purpose);
  await expect(question(page, 'b.grades').getByLabel('Grade 4')).toBeChecked();
  await question(page, 'a.personal_info').getByLabel('Yes').check();
  await expect(question(page, 'a.personal_info')).toContainText('Last changed by Anjali Sandhu');
  await question(page, 'a.under_13').getByLabel('Yes').check();
  await expect(question(page, 'a.under_13')).toContainText('Last changed by Anjali Sandhu');
  const teacherGuidance = question(page, 'k.teacher_guidance').getByRole('textbox');
  await teacherGuidance.fill(guidance);
  await teacherGuidance.blur();
  await expect(question(page, 'k.teacher_guidance')).toContainText('Last changed by Anjali Sandhu');
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('This assessment is in review.')).toBeVisible();
  await signOut(page);

  // The site admin approves.
  await signIn(page, SITE_ADMIN);
  await page.goto(assessmentUrl);
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.getByText('This revision was decided and is frozen.')).toBeVisible();

  // The staff member sees the decision and the guidance.
  await expect(async () => {
    await staffPage.reload();
    await baseExpect(staffPage.getByTestId('request-stage')).toHaveText('Approved.', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(staffPage.getByTestId('request-guidance')).toHaveText(guidance);

  // The decision mail is written (embedded mode), without the address.
  await expect(async () => {
    const sent = readdirSync(path.join(dataDir, 'mail')).filter((f) => readFileSync(path.join(dataDir, 'mail', f), 'utf8').includes(`Your request for ${appName}`));
    baseExpect(sent.length).toBe(1);
  }).toPass({ timeout: 120_000 });

  // Exports: the spreadsheet export (CSV) and the portability archive hold no trace of the email.
  const started = await page.request.post('/api/v1/exports', { data: { format: 'csv' }, headers: { 'x-csrf-token': await csrfOf(page) } });
  expect(started.status()).toBe(202);
  const exportId = (await started.json()).id as string;
  let downloadUrl: string | null = null;
  await expect(async () => {
    const state = await (await page.request.get(`/api/v1/exports/${exportId}`)).json();
    baseExpect(state.status).toBe('ready');
    downloadUrl = state.downloadUrl;
  }).toPass({ timeout: 120_000 });
  const csv = await unzip(Buffer.from(await (await page.request.get(downloadUrl!)).body()));
  const csvText = [...csv.values()].map((b) => b.toString('utf8')).join('\n');
  expect(csvText).toContain(appName);
  expect(csvText.toLowerCase()).not.toContain(email);
  const archive = await (await page.request.get('/api/v1/institution/archive')).text();
  expect(archive).toContain(purpose);
  expect(archive.toLowerCase()).not.toContain(email);

  // No file of the data folder (the database's files, mail, exports) holds the email; the same scan
  // finds the purpose written by this journey, so it does read what the journey wrote.
  await expect(async () => baseExpect(filesHolding(dataDir, purpose).some((f) => f.includes(`${path.sep}pglite${path.sep}`))).toBe(true)).toPass({ timeout: 60_000 });
  expect(filesHolding(dataDir, email)).toEqual([]);
  await staff.close();
});

async function csrfOf(page: Page): Promise<string> {
  const session = await (await page.request.get('/api/v1/session')).json();
  return session.csrfToken as string;
}
