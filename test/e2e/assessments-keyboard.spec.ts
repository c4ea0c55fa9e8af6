/**
 * The assessment pages by keyboard alone: answering (arrow keys in a radio group, typing with
 * autosave on leaving the field), adding a risk, taking and keeping master changes in the merge
 * view, and submitting — Tab, Shift+Tab, Enter, Space and arrows, no clicks on these pages — plus
 * axe scans of the assessment, merge, compare and bank editor pages.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { axeViolations } from './axe.js';
import { expectVisibleFocus, tabTo } from './keyboard.js';
import { signIn, signOut, startAssessment } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });
const APP_ADMIN = 'a.sandhu@cedarvalley.example';
const OPERATOR = 'admin@vetted.example';

async function expectNoSeriousViolations(page: Page, what: string) {
  expect((await axeViolations(page, { seriousOnly: true })).map((v) => `${what}: ${v}`)).toEqual([]);
}

const question = (page: Page, key: string) => page.locator(`[data-question-key="${key}"]`);

test('an assessment answered, risk-rated, merged and submitted by keyboard; its pages pass axe', async ({ page }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));

  // Set-up (not under test here): adopt the bank PIA of Bytewren Coding.
  await signIn(page, APP_ADMIN);
  const assessmentUrl = await startAssessment(page, 'Bytewren', 'Bytewren Coding');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Bytewren Coding');
  await expectNoSeriousViolations(page, 'assessment');

  // Answer a yes/no question with the arrow keys: the autosave is announced.
  const sensitive = question(page, 'a.sensitive');
  await tabTo(page, sensitive.getByRole('radiogroup'));
  await expect(sensitive.getByRole('radio', { name: 'No' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(sensitive.getByRole('radio', { name: 'Unsure' })).toBeChecked();
  await expect(sensitive.getByRole('status')).toHaveText('Saved');
  await expect(sensitive).toContainText('Last changed by Anjali Sandhu');

  // Type an answer; leaving the field saves it.
  const owner = question(page, 'b.owner');
  await tabTo(page, owner.getByRole('textbox'));
  await page.keyboard.type('Digital learning team');
  await page.keyboard.press('Tab');
  await expect(owner.getByRole('status')).toHaveText('Saved');
  await expect(owner).toContainText('Last changed by Anjali Sandhu');

  // Back up to the tabs, arrow to the risk register, and add a risk.
  await tabTo(page, page.getByRole('tab', { selected: true }), true);
  await expectVisibleFocus(page);
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Risk register' })).toHaveAttribute('aria-selected', 'true');
  await tabTo(page, page.getByRole('textbox', { name: /^Risk/ }));
  await page.keyboard.type('Class gallery visible outside the class');
  await tabTo(page, page.getByLabel('Likelihood', { exact: true }));
  await page.keyboard.type('2');
  await tabTo(page, page.getByLabel('Impact', { exact: true }));
  await page.keyboard.type('3');
  await tabTo(page, page.getByRole('button', { name: 'Add the risk' }));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('cell', { name: 'Class gallery visible outside the class', exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, 'risk register');

  // The compare view (revisions tab).
  await tabTo(page, page.getByRole('tab', { selected: true }), true);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Revisions' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('No differences.')).toBeVisible();
  await expectNoSeriousViolations(page, 'compare');
  await signOut(page);

  // The operator publishes version 2: the screening answer we changed gets a new pre-answer (a
  // conflict), and the accountable-owner question is reworded (a clean change).
  await signIn(page, OPERATOR);
  await page.goto('/bank');
  await page.getByRole('link', { name: /Bytewren Coding/ }).click();
  await page.getByRole('button', { name: 'Start a new version' }).click();
  await expect(page.getByRole('heading', { name: 'Draft version 2' })).toBeVisible();
  await expectNoSeriousViolations(page, 'bank editor');
  await page.getByLabel('Change log').fill('Sensitive-data screening answered after the vendor’s review; owner question clarified.');
  await page.locator('[data-bank-question="a.sensitive"]').getByLabel('Operator pre-answer (JSON)').fill('"yes"');
  await page.locator('[data-bank-question="b.owner"]').getByLabel(/^Question/).fill('Which role or team is accountable for the app?');
  await page.getByRole('button', { name: 'Publish this version' }).click();
  await expect(page.getByText('Published.')).toBeVisible();
  await signOut(page);

  // Back in the institution: to the merge view, take one change, keep our own answer... by keyboard.
  await signIn(page, APP_ADMIN);
  await page.goto(assessmentUrl);
  await tabTo(page, page.getByRole('link', { name: 'Review the update' }));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/merge$/);
  const conflict = page.locator('[data-merge-key="a.sensitive"]');
  await expect(conflict).toContainText('Conflict: both changed');
  await expectNoSeriousViolations(page, 'merge');
  // The conflict suggests keeping ours: arrow up to take the operator's answer instead.
  await tabTo(page, conflict.getByRole('radiogroup'));
  await expect(conflict.getByRole('radio', { name: 'Keep yours' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(conflict.getByRole('radio', { name: 'Take the new version' })).toBeChecked();
  // The rewording suggests taking it: keep ours instead, with the down arrow.
  const reworded = page.locator('[data-merge-key="b.owner"]');
  await tabTo(page, reworded.getByRole('radiogroup'));
  await expect(reworded.getByRole('radio', { name: 'Take the new version' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(reworded.getByRole('radio', { name: 'Keep yours' })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Apply my choices' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Based on master version 2')).toBeVisible();
  await expect(question(page, 'a.sensitive').getByRole('radio', { name: 'Yes' })).toBeChecked();
  await expect(question(page, 'b.owner').getByRole('textbox', { name: 'Who is accountable for the app in the institution (role or team)?' })).toHaveValue('Digital learning team');

  // Submit for review from the review tab.
  await tabTo(page, page.getByRole('tab', { selected: true }));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Review' })).toHaveAttribute('aria-selected', 'true');
  await tabTo(page, page.getByRole('button', { name: 'Submit for review' }));
  await expectVisibleFocus(page);
  await page.keyboard.press('Enter');
  await expect(page.getByText('This assessment is in review.')).toBeVisible();
});
