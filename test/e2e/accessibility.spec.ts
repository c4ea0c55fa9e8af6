/**
 * WCAG 2.1 AA by axe over the pages a school's staff and the public use, in English and in French:
 * any violation of any impact fails, and the failure lists every page's violations at once.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { signIn, startAssessment } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });

const SITE_ADMIN = 'h.karimi@lakeshore.example';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

type Findings = Record<string, string[]>;

/** Runs axe on the page as it is now; records each violation with the elements it names. */
async function scan(page: Page, name: string, findings: Findings): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  if (found.length) findings[name] = found;
}

test.describe.configure({ mode: 'serial' });

let assessmentPath = '';
// The site admin's session, signed in once and used by every scan (signing in again on a busy machine only adds time).
const sessionFile = path.join('.e2e-data', String(process.env.E2E_PORT ?? 3100), 'accessibility-session.json');

/** An assessment of one of the institution's apps to scan (started once, in English). */
test('an assessment to scan', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, SITE_ADMIN);
  assessmentPath = new URL(await startAssessment(page, 'Lingolark', 'Lingolark Languages')).pathname;
  await page.context().storageState({ path: sessionFile });
});

for (const language of ['en', 'fr'] as const) {
  test(`every page is free of WCAG 2.1 AA violations (${language})`, async ({ browser }) => {
    test.setTimeout(420_000);
    const findings: Findings = {};

    // Signed out: sign-in page and the public list.
    const visitor = await browser.newContext();
    await visitor.addInitScript((lang) => window.localStorage.setItem('vetted.language', lang), language);
    const outside = await visitor.newPage();
    await outside.goto('/sign-in');
    await scan(outside, 'sign-in', findings);
    await outside.goto('/public/lakeshore-demo');
    await scan(outside, 'public list', findings);
    await visitor.close();

    // Signed in (in the first test), then the language chosen for every page after.
    const context = await browser.newContext({ storageState: sessionFile });
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate((lang) => window.localStorage.setItem('vetted.language', lang), language);
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${language}`));

    const pages: [string, string][] = [
      ['dashboard', '/'],
      ['inventory', '/inventory'],
      ['assessments', '/assessments'],
      ['assessment', assessmentPath],
      ['reports', '/reports'],
      ['audit log', '/audit'],
      ['settings', '/settings'],
      ['users', '/users'],
      ['account', '/account'],
      ['catalog', '/catalog'],
      ['exports', '/exports'],
      ['my data', '/me'],
    ];
    for (const [name, path] of pages) {
      await page.goto(path);
      await scan(page, name, findings);
    }

    // One inventory item and one report, reached from their lists.
    await page.goto('/inventory?q=Lingolark');
    await page.locator('a[href^="/inventory/"]').filter({ hasText: 'Lingolark' }).first().click();
    await page.waitForURL(/\/inventory\/[0-9a-f-]{36}/);
    await scan(page, 'inventory item', findings);
    await page.goto('/reports');
    await page.locator('a[href^="/reports/"]').first().click();
    await page.waitForURL(/\/reports\/.+/);
    await scan(page, 'report', findings);

    await context.close();
    expect(findings).toEqual({});
  });
}
