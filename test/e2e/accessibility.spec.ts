/**
 * WCAG 2.1 AA by axe over the pages a school's staff, the operator and the public use, in English and
 * in French, and over their states (the approver's decision, a dialog open, a form showing its field
 * errors, the bank editor's draft): any violation of any impact fails, and the failure lists every
 * page's violations at once.
 */
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { en } from '../../src/web/i18n/en.js';
import { fr } from '../../src/web/i18n/fr.js';
import { axeViolations } from './axe.js';
import { signIn, signOut, submitCatalogAppAssessment } from './session.js';

const expect = baseExpect.configure({ timeout: 30_000 });

const SITE_ADMIN = 'h.karimi@lakeshore.example';
const APP_ADMIN = 't.kowalczyk@lakeshore.example';
const OPERATOR = 'admin@vetted.example';

type Findings = Record<string, string[]>;

/** Runs axe on the page as it is now; records each violation with the elements it names. */
async function scan(page: Page, name: string, findings: Findings): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => undefined);
  const found = await axeViolations(page);
  if (found.length) findings[name] = found;
}

test.describe.configure({ mode: 'serial' });

let assessmentPath = '';
let decisionPath = '';
// The site admin's and the operator's sessions, signed in once and used by every scan (signing in again on a busy machine only adds time).
const sessionFile = path.join('.e2e-data', String(process.env.E2E_PORT ?? 3100), 'accessibility-session.json');
const operatorSessionFile = path.join('.e2e-data', String(process.env.E2E_PORT ?? 3100), 'accessibility-operator-session.json');

/** The link of the newest invitation mail naming `product` (the vendor questionnaire's), as a path. */
async function vendorLinkFor(product: string): Promise<string> {
  const dir = path.join('.e2e-data', String(process.env.E2E_PORT ?? 3100), 'mail');
  let found = '';
  await expect(async () => {
    for (const file of (await readdir(dir)).sort().reverse()) {
      const raw = (await readFile(path.join(dir, file), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      const link = /\/vendor\?token=[A-Za-z0-9_%-]+/.exec(raw);
      if (raw.includes(product) && link) {
        found = link[0];
        return;
      }
    }
    throw new Error(`no invitation for ${product}`);
  }).toPass({ timeout: 120_000 });
  return found;
}

/** An assessment of one of the institution's apps to scan (started once, in English). */
test('an assessment to scan', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  // An assessment in review for the site admin to decide on, submitted by an app admin.
  await signIn(page, APP_ADMIN);
  decisionPath = new URL((await submitCatalogAppAssessment(page, 'Clipjot', /^Clipjot Video Journals/)).assessmentUrl).pathname;
  await signOut(page);
  await signIn(page, SITE_ADMIN);
  // The demo's draft assessment, partly answered (Askaroo, requested by a teacher).
  await page.goto('/inventory?q=Askaroo');
  await page.getByRole('link', { name: 'Askaroo' }).first().click();
  await page.getByRole('link', { name: 'Open the assessment' }).click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  assessmentPath = new URL(page.url()).pathname;
  await page.context().storageState({ path: sessionFile });
});

test('the operator signed in, to scan its pages', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  await signIn(page, OPERATOR);
  await page.context().storageState({ path: operatorSessionFile });
});

for (const language of ['en', 'fr'] as const) {
  test(`every page is free of WCAG 2.1 AA violations (${language})`, async ({ browser }) => {
    test.setTimeout(1_200_000);
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
    // Before any of the page's scripts run: set after a first load, the app (still loading its
    // messages on a busy machine) could store the language it started in over it.
    await context.addInitScript((lang) => window.localStorage.setItem('vetted.language', lang), language);
    const page = await context.newPage();
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
      ['notifications', '/notifications'],
    ];
    for (const [name, path] of pages) {
      await page.goto(path);
      await scan(page, name, findings);
    }

    // Staff requests: the triage queue with a waiting request, and the public request form and status page.
    const csrf = { 'x-csrf-token': (await (await page.request.get('/api/v1/session')).json()).csrfToken as string };
    const link = await (await page.request.post('/api/v1/staff-requests/link', { headers: csrf })).json();
    const asked = await page.request.post('/api/v1/public/staff-requests', {
      headers: csrf,
      data: { token: link.token, appName: `Axe check ${language}`, purpose: 'Accessibility scan' },
    });
    expect(asked.status()).toBe(201);
    await page.goto('/requests');
    await scan(page, 'staff requests', findings);
    await page.goto(`/staff-request?token=${link.token}`);
    await scan(page, 'staff request form', findings);
    await page.getByRole('button', { name: (language === 'fr' ? fr : en).staffRequests.form.submit }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    await scan(page, 'staff request form with field errors', findings);
    await page.goto(`/staff-request/status?token=${(await asked.json()).statusToken}`);
    await scan(page, 'staff request status', findings);

    // Vendor questionnaires: the list with its invitation form, one questionnaire, and the vendor's page by its link.
    const product = `Axe vendor ${language}`;
    const items = await (await page.request.get('/api/v1/inventory?q=Lingolark')).json();
    const invited = await page.request.post('/api/v1/vendor-questionnaires', {
      headers: csrf,
      data: { inventoryItemId: items.items[0].id, email: `axe.${language}@vendor.example`, productName: product, language },
    });
    expect(invited.status()).toBe(201);
    await page.goto('/vendor-questionnaires');
    await scan(page, 'vendor questionnaires', findings);
    await page.goto(`/vendor-questionnaires/${(await invited.json()).id}`);
    await scan(page, 'vendor questionnaire (review)', findings);
    await page.goto(await vendorLinkFor(product));
    await expect(page.locator('[data-vendor-question]').first()).toBeVisible();
    await scan(page, 'vendor questionnaire (vendor’s page)', findings);

    // One inventory item and one report, reached from their lists.
    await page.goto('/inventory?q=Lingolark');
    await page.locator('a[href^="/inventory/"]').filter({ hasText: 'Lingolark' }).first().click();
    await page.waitForURL(/\/inventory\/[0-9a-f-]{36}/);
    await scan(page, 'inventory item', findings);
    await page.goto('/reports');
    await page.locator('a[href^="/reports/"]').first().click();
    await page.waitForURL(/\/reports\/.+/);
    await scan(page, 'report', findings);

    // States: the approver's decision, a confirmation dialog open, a form showing its field errors.
    const m = language === 'fr' ? fr : en;
    await page.goto(decisionPath);
    await page.getByRole('tab', { name: m.assessments.workflow.title }).click();
    await expect(page.getByRole('tabpanel').getByRole('button').first()).toBeVisible();
    await scan(page, 'decision', findings);
    await page.goto('/me');
    await page.getByRole('button', { name: m.me.erase }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await scan(page, 'confirmation dialog', findings);
    await page.keyboard.press('Escape');
    await page.goto('/inventory/new');
    await page.getByRole('button', { name: m.common.save, exact: true }).click();
    await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    await scan(page, 'form with field errors', findings);
    await context.close();

    // The operator's pages, and the bank editor with a draft open.
    const operator = await browser.newContext({ storageState: operatorSessionFile });
    // Before the app's first script, as for the site admin above.
    await operator.addInitScript((lang) => window.localStorage.setItem('vetted.language', lang), language);
    const op = await operator.newPage();
    for (const [name, path] of [
      ['institutions', '/institutions'],
      ['catalog (operator)', '/catalog'],
      ['privacy policy (operator)', '/privacy-policy'],
      ['mailbox', '/mailbox'],
      ['deletion certificates', '/deletion-certificates'],
      ['platform admins', '/platform-admins'],
      ['bank', '/bank'],
      ['vendor questionnaires (operator)', '/vendor-questionnaires'],
    ] as const) {
      await op.goto(path);
      await scan(op, name, findings);
    }
    // A new institution sent empty, with a school row: its field errors, the schools' among them.
    await op.goto('/institutions');
    await op.getByRole('button', { name: m.institutions.create }).click();
    await op.getByRole('button', { name: m.institutions.addSchool }).click();
    await op.getByRole('button', { name: m.common.save, exact: true }).click();
    await expect(op.getByLabel(m.institutions.schoolNameN.replace('{{n}}', '1'))).toHaveAttribute('aria-invalid', 'true');
    await scan(op, 'institution form with field errors', findings);
    await op.goto('/bank');
    await op.locator('main a[href^="/bank/"]').filter({ hasText: 'Quillpath' }).first().click();
    await op.waitForURL(/\/bank\/.+/);
    const newVersion = op.getByRole('button', { name: m.assessments.bank.newVersion });
    const publish = op.getByRole('button', { name: m.assessments.bank.publish });
    // The first language's run opens the draft; the second finds it open.
    await expect(newVersion.or(publish)).toBeVisible();
    if (await newVersion.isVisible()) await newVersion.click();
    await expect(publish).toBeVisible();
    await scan(op, 'bank editor (draft)', findings);
    await operator.close();

    expect(findings).toEqual({});
  });
}
