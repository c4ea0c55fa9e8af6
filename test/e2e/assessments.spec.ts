/**
 * The PIA journey: an app admin adopts the bank PIA of an inventory app, changes two answers, adds a
 * question and a risk, and submits; the site admin approves and the inventory status follows; the
 * PDF downloads. Then the operator publishes version 2 of the template, and the institution takes
 * one change and keeps its own edit.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './session.js';

// The journey saves often on a shared machine: give each step room.
const expect = baseExpect.configure({ timeout: 30_000 });

const APP_ADMIN = 'a.sandhu@cedarvalley.example';
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const OPERATOR = 'admin@vetted.example';

const question = (page: Page, key: string) => page.locator(`[data-question-key="${key}"]`);

test('adopt, edit, submit, approve, download; then merge a master update keeping our edit', async ({ page }) => {
  test.setTimeout(240_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, APP_ADMIN);

  // Adopt the bank PIA from the inventory item.
  await page.goto('/inventory?q=Ponderbot');
  await page.getByRole('link', { name: 'Ponderbot Tutor' }).click();
  await expect(page.getByRole('heading', { name: 'Privacy impact assessment', exact: true })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Master bank template' })).toHaveValue(/Ponderbot Tutor/);
  await page.getByRole('button', { name: 'Start the assessment' }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy impact assessment: Ponderbot Tutor' })).toBeVisible();
  const assessmentUrl = page.url();

  // Change two answers (autosaved).
  await question(page, 'e.tracking').getByLabel('Unsure').check();
  await expect(question(page, 'e.tracking')).toContainText('Last changed by Anjali Sandhu');
  const alternatives = question(page, 'b.alternatives').getByRole('textbox');
  await alternatives.fill('Tallyloop Math (already approved) covers practice but not tutoring.');
  await alternatives.blur();
  await expect(question(page, 'b.alternatives')).toContainText('Last changed by Anjali Sandhu');

  // Add a question of our own.
  await page.getByRole('combobox', { name: 'Kind of answer' }).click();
  await page.getByRole('option', { name: 'Short text' }).click();
  await page.getByRole('region', { name: 'Add a question' }).getByRole('textbox', { name: /^Question/ }).fill('Which classes take part in the pilot?');
  await page.getByRole('button', { name: 'Add the question' }).click();
  await expect(page.getByLabel('Which classes take part in the pilot?')).toBeVisible();

  // Add a risk; the heat map shows it.
  await page.getByRole('tab', { name: 'Risk register' }).click();
  await page.getByRole('textbox', { name: /^Risk/ }).fill('Students type personal details into the chat');
  await page.getByLabel('Likelihood', { exact: true }).fill('4');
  await page.getByLabel('Impact', { exact: true }).fill('3');
  await page.getByLabel('Mitigation').fill('Classroom guidance; teacher reviews flagged chats weekly');
  await page.getByRole('button', { name: 'Add the risk' }).click();
  await expect(page.getByRole('cell', { name: 'Students type personal details into the chat', exact: true })).toBeVisible();
  await expect(page.getByLabel('1 risk(s) with likelihood 4 and impact 3')).toHaveText('1');

  // Submit for review.
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByText('This assessment is in review.')).toBeVisible();
  await signOut(page);

  // The site admin approves; the inventory follows.
  await signIn(page, SITE_ADMIN);
  await page.goto(assessmentUrl);
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByLabel('Comment').fill('Approved for the grade 9 pilot.');
  await page.getByRole('button', { name: 'Record the decision' }).click();
  await expect(page.getByText('This revision was decided and is frozen.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Approved for the grade 9 pilot.', exact: true })).toBeVisible();
  await page.getByRole('link', { name: /Ponderbot Tutor · Approved/ }).click();
  await expect(page.getByText('Current status').locator('..')).toContainText('Approved');

  // Download the PDF.
  await page.goto(assessmentUrl);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the PDF' }).first().click()]);
  expect(download.suggestedFilename()).toMatch(/^pia-ponderbot-tutor-r1\.pdf$/);
  await signOut(page);

  // The operator publishes version 2: a reworded question and a new pre-answer we changed ourselves.
  await signIn(page, OPERATOR);
  await page.goto('/bank');
  await page.getByRole('link', { name: 'Privacy impact assessment — Ponderbot Tutor' }).click();
  await page.getByRole('button', { name: 'Start a new version' }).click();
  await expect(page.getByRole('heading', { name: 'Draft version 2' })).toBeVisible();
  await page.getByLabel('Change log').fill('Backups question reworded; the vendor added an analytics SDK.');
  await page.locator('[data-bank-question="h.backups"]').getByLabel(/^Question/).fill('How long do backups and disaster-recovery copies keep deleted information?');
  await page.locator('[data-bank-question="e.tracking"]').getByLabel('Operator pre-answer (JSON)').fill('"yes"');
  // A new question in section H, asked only when the vendor keeps backups' deletion unconfirmed.
  await page.getByRole('button', { name: 'Add a question to “H. Retention and individual rights”' }).click();
  const added = page.locator('[data-bank-section="h-retention"] [data-bank-question]').last();
  await expect(added.getByLabel(/^Question/)).toBeFocused();
  await added.getByLabel(/^Question/).fill('Does the vendor purge backups on request?');
  await added.getByLabel('Kind of answer').selectOption({ label: 'Yes / no / unsure' });
  await added.getByLabel('Key').fill('h.backup_purge');
  // Published only in both languages: the French wording is asked for, beside the English.
  await added.getByLabel(/^French wording of the question/).fill('Le fournisseur purge-t-il les sauvegardes sur demande?');
  // Publishing with a field left wrong is refused on that field.
  await added.getByLabel('Operator pre-answer (JSON)').fill('maybe');
  await page.getByRole('button', { name: 'Publish this version' }).click();
  await expect(added.getByLabel('Operator pre-answer (JSON)')).toHaveAccessibleDescription(/Not valid JSON/);
  await expect(added.getByLabel('Operator pre-answer (JSON)')).toBeFocused();
  await added.getByLabel('Operator pre-answer (JSON)').fill('');
  await page.getByRole('button', { name: 'Publish this version' }).click();
  await expect(page.getByText('Published.')).toBeVisible();
  // The change log of version 2 lists the new question.
  const changeLog = page.getByRole('region', { name: 'Change log of version 2' });
  await expect(changeLog).toContainText('Backups question reworded; the vendor added an analytics SDK.');
  await expect(changeLog.getByRole('listitem').filter({ hasText: 'Does the vendor purge backups on request?' })).toContainText('Added');
  await signOut(page);

  // The institution reopens, reviews the three-way diff, takes the rewording and keeps its answer.
  await signIn(page, SITE_ADMIN);
  await page.goto(assessmentUrl);
  await page.getByRole('tab', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Reopen as a new revision' }).click();
  await expect(page.getByText('Version 2 of the master template is available')).toBeVisible();
  await page.getByRole('link', { name: 'Review the update' }).click();
  const backups = page.locator('[data-merge-key="h.backups"]');
  const tracking = page.locator('[data-merge-key="e.tracking"]');
  await expect(tracking).toContainText('Conflict: both changed');
  await backups.getByLabel('Take the new version').check();
  await tracking.getByLabel('Keep yours').check();
  await page.getByRole('button', { name: 'Apply my choices' }).click();
  await expect(page.getByText('Based on master version 2')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'How long do backups and disaster-recovery copies keep deleted information?' })).toBeVisible();
  await expect(question(page, 'e.tracking').getByLabel('Unsure')).toBeChecked();

  // The list says what it holds and names every column.
  await page.goto('/assessments');
  const list = page.getByRole('table').filter({ has: page.getByRole('link', { name: 'Ponderbot Tutor' }) });
  await expect(list.locator('caption')).toHaveText('Each app’s assessment, its status, revision and any newer version of its master bank template.');
  await expect(list.getByRole('columnheader')).toHaveText(['App', 'Status', 'Rev.', 'Master bank update']);
});
