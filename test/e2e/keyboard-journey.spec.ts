/**
 * The main journey by keyboard alone: an app admin adds a catalog app to the inventory, adopts its
 * bank PIA, answers a question and submits it; the approver approves it. Tab, Shift+Tab, Enter, Space,
 * arrows and typing only, no clicks (signing in is the shared set-up); the focused control of each
 * step shows a visible focus indicator.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { expectVisibleFocus, tabTo } from './keyboard.js';
import { signIn, signOut } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });
const APP_ADMIN = 't.kowalczyk@lakeshore.example';
const APPROVER = 's.mcallister@lakeshore.example';

/** Tabs to a control, checks its focus can be seen, and presses a key on it. */
async function press(page: Page, target: ReturnType<Page['getByRole']>, key: string, back = false) {
  await tabTo(page, target, back);
  await expectVisibleFocus(page);
  await page.keyboard.press(key);
}

/** From the assessment's selected tab, arrows right to the tab named `name`. */
async function toTab(page: Page, name: string) {
  await tabTo(page, page.getByRole('tab', { selected: true }), true);
  await expectVisibleFocus(page);
  for (let i = 0; i < 6 && (await page.getByRole('tab', { name }).getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name })).toHaveAttribute('aria-selected', 'true');
}

test('add an app, adopt, answer and submit its PIA, and approve it, by keyboard alone', async ({ page }) => {
  test.setTimeout(300_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, APP_ADMIN);

  // To the inventory from the main navigation, then to the add form.
  await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory' }), 'Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Inventory' })).toBeVisible();
  await press(page, page.getByRole('link', { name: 'Add app' }), 'Enter');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  // From the catalog (the radio group's choice, by arrows if needed); pick the app by typing and arrows.
  const fromCatalog = page.getByRole('radio', { name: 'From the catalog' });
  await tabTo(page, page.getByRole('radiogroup', { name: 'Where the app comes from' }));
  for (let i = 0; i < 2 && !(await fromCatalog.isChecked()); i++) await page.keyboard.press('ArrowUp');
  await expect(fromCatalog).toBeChecked();
  const picker = page.getByRole('textbox', { name: 'Catalog app' }).or(page.getByRole('combobox', { name: 'Catalog app' })).first();
  await tabTo(page, picker);
  await expectVisibleFocus(page);
  await page.keyboard.type('Numbrella');
  await expect(page.getByRole('option', { name: /^Numbrella Math Games/ })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(picker).toHaveValue(/^Numbrella Math Games/);
  const grade4 = page.getByRole('checkbox', { name: 'Grade 4', exact: true });
  await press(page, grade4, 'Space');
  await expect(grade4).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Save', exact: true }), 'Enter');
  await expect(page.getByText('The app was added to the inventory.')).toBeVisible();
  await page.waitForURL(/\/inventory\/[0-9a-f-]{36}/);

  // Adopt the bank PIA the page suggests.
  await expect(page.getByRole('combobox', { name: 'Master bank template' })).toHaveValue(/Numbrella/);
  await press(page, page.getByRole('button', { name: 'Start the assessment' }), 'Enter');
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  const assessmentUrl = page.url();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Numbrella Math Games');

  // Answer a question by typing; leaving the field saves it.
  const owner = page.locator('[data-question-key="b.owner"]');
  await tabTo(page, owner.getByRole('textbox'));
  await expectVisibleFocus(page);
  await page.keyboard.type('Mathematics department');
  await page.keyboard.press('Tab');
  await expect(owner.getByRole('status')).toHaveText('Saved');
  await expect(owner).toContainText('Last changed by Tomasz Kowalczyk');

  // Submit for review from the review tab.
  await toTab(page, 'Review');
  await press(page, page.getByRole('button', { name: 'Submit for review' }), 'Enter');
  await expect(page.getByText('This assessment is in review.')).toBeVisible();
  await signOut(page);

  // The approver approves it, with a comment.
  await signIn(page, APPROVER);
  await page.goto(assessmentUrl);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Numbrella Math Games');
  await toTab(page, 'Review');
  await tabTo(page, page.getByRole('textbox', { name: 'Comment' }));
  await expectVisibleFocus(page);
  await page.keyboard.type('Approved for grade 4 math practice.');
  const approve = page.getByRole('radio', { name: 'Approve', exact: true });
  await tabTo(page, page.getByRole('radiogroup', { name: 'Decision' }));
  await expectVisibleFocus(page);
  if (!(await approve.isChecked())) await page.keyboard.press('Space');
  await expect(approve).toBeChecked();
  await press(page, page.getByRole('button', { name: 'Record the decision' }), 'Enter');
  await expect(page.getByText('This revision was decided and is frozen.')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Approved for grade 4 math practice.', exact: true })).toBeVisible();
});
