/**
 * Answers of a PIA are never lost: ticking several boxes of one question quickly keeps every tick
 * (a person never conflicts with their own saves), and a real conflict with another person's save
 * shows both answers and lets the person choose.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { signIn, startAssessment } from './session.js';

// Saves on a shared machine: give each step room.
const expect = baseExpect.configure({ timeout: 30_000 });

const APP_ADMIN = 't.kowalczyk@lakeshore.example';
const SITE_ADMIN = 'h.karimi@lakeshore.example';
const GRADES = ['Kindergarten', 'Grade 1', 'Grade 2', 'Grade 3', 'Grade 4', 'Grade 5'];

const question = (page: Page, key: string) => page.locator(`[data-question-key="${key}"]`);

/** Every answer save takes a while to reach the server, as on a slow school network, so quick ticks overlap. */
async function slowAnswerSaves(page: Page): Promise<void> {
  await page.route('**/api/v1/assessments/*/answers/*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
}

test.describe.configure({ mode: 'serial' });

let assessmentUrl = '';

test('ticking several boxes quickly keeps every tick, with no conflict', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, APP_ADMIN);
  // A requested app the demo holds no assessment for.
  assessmentUrl = await startAssessment(page, 'Trailhead', 'Trailhead Outdoor Ed Bookings');

  // The PIA starts with the grades the inventory item records (Grades 4 to 8).
  const grades = question(page, 'b.grades');
  for (const grade of ['Grade 4', 'Grade 5', 'Grade 6', 'Grade 7', 'Grade 8'])
    await expect(grades.getByRole('checkbox', { name: grade, exact: true })).toBeChecked();
  await expect(grades.getByRole('checkbox', { name: 'Kindergarten', exact: true })).not.toBeChecked();

  await slowAnswerSaves(page);
  for (const grade of ['Grade 6', 'Grade 7', 'Grade 8']) await grades.getByRole('checkbox', { name: grade, exact: true }).uncheck();
  for (const grade of GRADES) await grades.getByRole('checkbox', { name: grade, exact: true }).check();
  for (const grade of GRADES) await expect(grades.getByRole('checkbox', { name: grade, exact: true })).toBeChecked();
  await expect(grades.locator('[data-autosave="saved"]')).toBeVisible();
  await expect(grades.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('[data-conflict]')).toHaveCount(0);

  await page.reload();
  for (const grade of GRADES) await expect(question(page, 'b.grades').getByRole('checkbox', { name: grade, exact: true })).toBeChecked();
  for (const grade of ['Grade 6', 'Grade 7', 'Grade 8'])
    await expect(question(page, 'b.grades').getByRole('checkbox', { name: grade, exact: true })).not.toBeChecked();
});

test("another person's save shows both answers, and the person keeps theirs or takes the other", async ({ browser }) => {
  test.setTimeout(240_000);
  const mine = await browser.newContext();
  const theirs = await browser.newContext();
  for (const context of [mine, theirs]) await context.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  const me = await mine.newPage();
  const other = await theirs.newPage();
  await signIn(me, APP_ADMIN);
  await me.goto(assessmentUrl);
  const audiences = question(me, 'b.audiences');
  const box = (name: string) => audiences.getByRole('checkbox', { name, exact: true });
  // Pre-filled from the inventory item: students, parents and volunteers.
  for (const name of ['Students', 'Parents and guardians', 'Volunteers']) await expect(box(name)).toBeChecked();
  await expect(box('Employees')).not.toBeChecked();

  // Another person, in their own session, changes the same question after I opened the page.
  await signIn(other, SITE_ADMIN);
  await other.goto(assessmentUrl);
  await question(other, 'b.audiences').getByRole('checkbox', { name: 'Volunteers', exact: true }).uncheck();
  await expect(question(other, 'b.audiences').locator('[data-autosave="saved"]')).toBeVisible();

  // My tick meets their save: both answers are shown.
  await box('Employees').check();
  const conflict = audiences.locator('[data-conflict]');
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('Someone else changed this answer while you were changing it');
  await expect(conflict).toContainText('Their answer (Hamid Karimi)');
  await expect(conflict.locator('[data-conflict-theirs]')).toHaveText('Students, Parents and guardians');
  await expect(conflict.locator('[data-conflict-mine]')).toHaveText('Students, Employees, Parents and guardians, Volunteers');

  // Keep mine: saved on top of theirs, with no second conflict.
  await conflict.getByRole('button', { name: 'Keep my answer' }).click();
  await expect(audiences.locator('[data-conflict]')).toHaveCount(0);
  await expect(audiences.locator('[data-autosave="saved"]')).toBeVisible();
  await me.reload();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Employees', exact: true })).toBeChecked();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Volunteers', exact: true })).toBeChecked();

  // The other way: they save again, I take theirs.
  await other.reload();
  await question(other, 'b.audiences').getByRole('checkbox', { name: 'Students', exact: true }).uncheck();
  await expect(question(other, 'b.audiences').locator('[data-autosave="saved"]')).toBeVisible();
  await question(me, 'b.audiences').getByRole('checkbox', { name: 'Alumni', exact: true }).check();
  const second = question(me, 'b.audiences').locator('[data-conflict]');
  await expect(second.locator('[data-conflict-theirs]')).toHaveText('Employees, Parents and guardians, Volunteers');
  await second.getByRole('button', { name: 'Take their answer' }).click();
  await expect(question(me, 'b.audiences').locator('[data-conflict]')).toHaveCount(0);
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Students', exact: true })).not.toBeChecked();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Alumni', exact: true })).not.toBeChecked();
  await me.reload();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Alumni', exact: true })).not.toBeChecked();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Students', exact: true })).not.toBeChecked();
  await expect(question(me, 'b.audiences').getByRole('checkbox', { name: 'Employees', exact: true })).toBeChecked();
  await mine.close();
  await theirs.close();
});

test('an answer keeps its source and the day it was seen, flagged stale after the review period, in English and French', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, APP_ADMIN);
  await page.goto(assessmentUrl);
  const owner = question(page, 'b.owner');
  await expect(page.locator('[data-stale-evidence-count]')).toHaveCount(0);

  // A source seen years ago: the answer and its evidence are saved together, and flagged stale.
  await owner.getByRole('button', { name: 'Add evidence' }).click();
  await owner.getByRole('textbox', { name: 'Source link' }).fill('https://trailhead-outdoor.example/privacy');
  await owner.getByRole('textbox', { name: 'Quotation or document name' }).fill('Trailhead privacy policy, section 4');
  await owner.getByLabel('Day seen').fill('2020-01-15');
  await owner.getByLabel('Day seen').blur();
  await expect(owner.locator('[data-autosave="saved"]')).toBeVisible();
  await expect(owner.locator('[data-evidence-stale]')).toHaveText('Stale evidence');
  await expect(page.locator('[data-stale-evidence-count]')).toHaveText('Answers resting on stale evidence: 1');

  // Typing the answer right after keeps the evidence (the saves go one after the other).
  await owner.getByRole('textbox').first().fill('Outdoor education coordinator');
  await owner.getByRole('textbox').first().blur();
  await expect(owner.locator('[data-autosave="saved"]')).toBeVisible();
  await page.reload();
  const reloaded = question(page, 'b.owner');
  await expect(reloaded.getByRole('textbox')).toHaveValue('Outdoor education coordinator');
  await expect(reloaded.locator('[data-evidence-summary]')).toContainText('https://trailhead-outdoor.example/privacy');
  await expect(reloaded.locator('[data-evidence-summary]')).toContainText('Trailhead privacy policy, section 4');
  await expect(reloaded.locator('[data-evidence-summary]')).toContainText('2020-01-15');
  await expect(reloaded.locator('[data-evidence-stale]')).toHaveText('Stale evidence');
  await expect(reloaded.locator('[data-conflict]')).toHaveCount(0);

  // In French, the badge and the count speak French.
  await page.evaluate(() => window.localStorage.setItem('vetted.language', 'fr'));
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'fr'));
  await page.reload();
  await expect(question(page, 'b.owner').locator('[data-evidence-stale]')).toHaveText('Preuve périmée');
  await expect(page.locator('[data-stale-evidence-count]')).toHaveText('Réponses fondées sur une preuve périmée : 1');
  await page.evaluate(() => window.localStorage.setItem('vetted.language', 'en'));
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await page.reload();

  // Seen again today: no longer stale.
  const again = question(page, 'b.owner');
  await again.getByRole('button', { name: 'Edit evidence' }).click();
  const today = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  await again.getByLabel('Day seen').fill(today);
  await again.getByLabel('Day seen').blur();
  await expect(again.locator('[data-autosave="saved"]')).toBeVisible();
  await expect(again.locator('[data-evidence-stale]')).toHaveCount(0);
  await expect(page.locator('[data-stale-evidence-count]')).toHaveCount(0);
});
