/**
 * The vendor questionnaire in Chromium, from invitation to merge: the operator invites a vendor
 * contact to answer Quizbloom Live's bank PIA; the link arrives by mail; the vendor, with no account
 * and no cookie of the app, answers with evidence (saved as it goes), in English or French, and submits
 * once; the operator reviews each answer beside the bank's current pre-answer and publishes the
 * accepted ones into the bank; Cedar Valley, which had adopted that template, sees the update waiting,
 * merges it, and the merge names the vendor's answers with their day (the version's change log) and the merged
 * answer reads as the vendor's with both days: the vendor's answer and the operator's review.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect as baseExpect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './session.js';

// Saves and mail on a shared machine: give each step room.
const expect = baseExpect.configure({ timeout: 30_000 });

const OPERATOR = 'admin@vetted.example';
const SITE_ADMIN = 'm.okafor@cedarvalley.example';
const TEMPLATE = 'Privacy impact assessment — Quizbloom Live';
const mailDir = `.e2e-data/${process.env.E2E_PORT ?? 3100}/mail`;

/** The newest mail whose body holds `needle`, its quoted-printable encoding undone. */
async function newestMailWith(needle: string): Promise<string | null> {
  const files = (await readdir(mailDir).catch(() => [] as string[])).sort().reverse();
  for (const file of files) {
    const raw = await readFile(path.join(mailDir, file), 'utf8');
    const body = Buffer.from(
      raw
        .slice(raw.indexOf('\n\n') + 2)
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
    if (body.includes(needle)) return body;
  }
  return null;
}

const vendorQuestion = (page: Page, key: string) => page.locator(`[data-vendor-question="${key}"]`);

/** Answers one question's evidence: a link, the words quoted and the day seen (each saved when left). */
async function giveEvidence(page: Page, key: string, url: string, quote: string) {
  const q = vendorQuestion(page, key);
  await q.getByLabel('Evidence: link').fill(url);
  await q.getByLabel('Evidence: quoted text').fill(quote);
  await q.getByLabel('Day the evidence was seen').fill('2026-11-30');
  await q.getByLabel('Day the evidence was seen').blur();
  await expect(q.locator('[data-autosave]')).toHaveAttribute('data-autosave', /saved|idle/);
}

test('the operator invites, the vendor answers by the emailed link, the operator publishes into the bank, an adopter merges', async ({
  page,
  browser,
}) => {
  test.setTimeout(720_000);
  await page.addInitScript(() => window.localStorage.setItem('vetted.language', 'en'));
  const vendorName = `Quizbloom Learning ${Date.now().toString(36)}`;

  // The operator invites the vendor's contact.
  await signIn(page, OPERATOR);
  await page.getByRole('navigation').getByRole('link', { name: 'Vendor questionnaires' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vendor questionnaires' })).toBeVisible();
  // Sending an empty form is refused on its fields, in words.
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(page.getByRole('textbox', { name: /Vendor contact’s email/ })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Bank template').selectOption({ label: TEMPLATE });
  await page.getByRole('textbox', { name: /Product name/ }).fill('Quizbloom Live');
  await page.getByRole('textbox', { name: /Vendor \(company\)/ }).fill(vendorName);
  await page.getByRole('textbox', { name: /Vendor contact’s email/ }).fill('privacy@quizbloom.example');
  await page.getByRole('button', { name: 'Send the invitation' }).click();
  await expect(page.getByText('The invitation was sent for Quizbloom Live.')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: vendorName });
  await expect(row).toContainText('Invited');

  // The link arrives by mail.
  let mail: string | null = null;
  await expect(async () => {
    mail = await newestMailWith('Quizbloom Live');
    baseExpect(mail).toMatch(/\/vendor\?token=/);
  }).toPass({ timeout: 120_000 });
  const link = /https?:\/\/\S+?\/vendor\?token=[A-Za-z0-9_%-]+/.exec(mail!)![0];
  const vendorPath = new URL(link).pathname + new URL(link).search;

  // The vendor opens the link: no account, no cookie of the app; only its own questionnaire.
  const vendorContext = await browser.newContext();
  const vendor = await vendorContext.newPage();
  await vendor.goto(vendorPath);
  await expect(vendor.getByRole('heading', { level: 1, name: 'Privacy questionnaire: Quizbloom Live' })).toBeVisible();
  await expect(vendor.locator('body')).not.toContainText('Cedar Valley');
  // In French on request, then back in English.
  await vendor.getByRole('button', { name: 'Français' }).click();
  await expect(
    vendor.getByRole('heading', { level: 1, name: /Questionnaire sur la protection des renseignements personnels/ }),
  ).toBeVisible();
  await expect(vendorQuestion(vendor, 'a.personal_info')).toContainText('Oui');
  await vendor.getByRole('button', { name: 'English' }).click();
  await expect(vendor.getByRole('heading', { level: 1, name: 'Privacy questionnaire: Quizbloom Live' })).toBeVisible();

  // Answers with their evidence, saved as the vendor goes.
  await vendorQuestion(vendor, 'a.personal_info').getByRole('radio', { name: 'Yes', exact: true }).check();
  await giveEvidence(vendor, 'a.personal_info', 'https://quizbloom.example/privacy', 'Players join with a PIN and a nickname.');
  await vendorQuestion(vendor, 'a.under_13').getByRole('radio', { name: 'Yes', exact: true }).check();
  await giveEvidence(vendor, 'a.under_13', 'https://quizbloom.example/privacy#children', 'Used in classrooms from grade 3.');
  const purpose = vendorQuestion(vendor, 'b.purpose').getByRole('textbox').first();
  await purpose.fill('Live review quizzes projected in class; students join with a PIN and a nickname.');
  await purpose.blur();
  await giveEvidence(vendor, 'b.purpose', 'https://quizbloom.example/about', 'Quizbloom Live runs review games in class.');
  // The audit log question: the bank says no; the vendor says it now has one.
  await vendorQuestion(vendor, 'g.audit_logs').getByRole('radio', { name: 'Yes', exact: true }).check();
  await giveEvidence(
    vendor,
    'g.audit_logs',
    'https://quizbloom.example/security',
    'Administrators can export an access log of every report viewed.',
  );
  await expect(vendor.getByTestId('answered-count')).toContainText('4 of');
  // A file as evidence: a page that is not a PDF is refused by its bytes; the PDF is attached.
  const auditFiles = vendorQuestion(vendor, 'g.audit_logs').locator('input[type="file"]');
  await auditFiles.setInputFiles({
    name: 'access-log.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('<html><script>alert(1)</script></html>'),
  });
  await expect(vendorQuestion(vendor, 'g.audit_logs')).toContainText('Must be a PDF, Word (DOCX), PNG or JPEG file');
  await auditFiles.setInputFiles({
    name: 'access-log-sample.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% access log sample\n%%EOF\n'),
  });
  await expect(vendorQuestion(vendor, 'g.audit_logs').getByTestId('evidence-files')).toContainText('access-log-sample.pdf');

  // A link that is not a link is refused under its field.
  const bad = vendorQuestion(vendor, 'a.sensitive');
  await bad.getByRole('radio', { name: 'No', exact: true }).check();
  await bad.getByLabel('Evidence: link').fill('not a link');
  await bad.getByLabel('Evidence: link').blur();
  await expect(bad.getByLabel('Evidence: link')).toHaveAttribute('aria-invalid', 'true');
  await giveEvidence(vendor, 'a.sensitive', 'https://quizbloom.example/privacy#data', 'No health or special education data.');
  await expect(bad.getByLabel('Evidence: link')).not.toHaveAttribute('aria-invalid', 'true');

  // Every other required question (those of the jurisdictions the template covers) answered "unsure", with its source.
  const mine = ['a.personal_info', 'a.under_13', 'b.purpose'];
  const required = await vendor
    .locator('[data-vendor-question][data-required="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-vendor-question')!));
  for (const key of required.filter((k) => !mine.includes(k))) {
    await vendorQuestion(vendor, key).getByRole('radio', { name: 'Unsure', exact: true }).check();
    await giveEvidence(vendor, key, 'https://quizbloom.example/privacy', 'Depends on each district’s contract.');
  }

  // A reload keeps every answer (they were saved).
  await vendor.reload();
  await expect(vendorQuestion(vendor, 'g.audit_logs').getByRole('radio', { name: 'Yes', exact: true })).toBeChecked();
  await expect(vendorQuestion(vendor, 'g.audit_logs').getByLabel('Evidence: quoted text')).toHaveValue(
    'Administrators can export an access log of every report viewed.',
  );

  // Submitted once: the page then only shows the answers.
  await vendor.getByRole('button', { name: 'Submit the answers' }).click();
  await expect(vendor.getByText(/Thank you: your answers were submitted on/)).toBeVisible();
  await expect(vendor.getByRole('button', { name: 'Submit the answers' })).toHaveCount(0);
  baseExpect(await vendorContext.cookies()).toEqual([]);
  await vendorContext.close();

  // The operator reviews each answer beside the bank's pre-answer and publishes into the bank.
  await page.goto('/vendor-questionnaires');
  await expect(row).toContainText('Submitted');
  await row.getByRole('link', { name: 'Open the questionnaire for Quizbloom Live' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Questionnaire: Quizbloom Live' })).toBeVisible();
  const audit = page.locator('[data-vendor-answer="g.audit_logs"]');
  await expect(audit.getByTestId('vendor-value')).toHaveText('yes');
  await expect(audit.getByTestId('bank-value')).toHaveText('no');
  await expect(audit.getByTestId('evidence').first()).toContainText('Administrators can export an access log of every report viewed.');
  await expect(audit.getByTestId('evidence').first()).toContainText('https://quizbloom.example/security');
  await expect(audit.getByTestId('evidence-files')).toContainText('access-log-sample.pdf');
  const [download] = await Promise.all([page.waitForEvent('download'), audit.getByRole('link', { name: 'access-log-sample.pdf' }).click()]);
  baseExpect(download.suggestedFilename()).toBe('access-log-sample.pdf');
  await audit.getByRole('radio', { name: 'Accept', exact: true }).check();
  await audit.getByLabel('Note').fill('Confirmed on the vendor’s security page.');
  await page.locator('[data-vendor-answer="b.purpose"]').getByRole('radio', { name: 'Accept', exact: true }).check();
  await page.locator('[data-vendor-answer="a.sensitive"]').getByRole('radio', { name: 'Reject', exact: true }).check();
  await page.getByRole('button', { name: 'Publish the accepted answers into the bank' }).click();
  await expect(page.getByText('The accepted answers were published.')).toBeVisible();
  await expect(page.getByTestId('vendor-state')).toHaveText('State: Published');
  await expect(audit).toContainText('Confirmed on the vendor’s security page.');
  await signOut(page);

  // Cedar Valley had adopted the template: the update waits to merge, and merges.
  await signIn(page, SITE_ADMIN);
  await page.goto('/assessments');
  await page.getByRole('link', { name: 'Quizbloom Live' }).first().click();
  await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
  const assessmentUrl = page.url();
  const reopen = page.getByRole('button', { name: 'Reopen as a new revision' });
  await page.getByRole('tab', { name: 'Review' }).click();
  if (await reopen.isVisible()) await reopen.click();
  await expect(page.getByText(/Version \d+ of the master template is available/)).toBeVisible();
  await page.getByRole('link', { name: 'Review the update' }).click();
  await expect(page.getByText(/Answered by the vendor on \d{4}-\d{2}-\d{2}, reviewed by the operator\./)).toBeVisible();
  const change = page.locator('[data-merge-key="g.audit_logs"]');
  await expect(change).toBeVisible();
  await change.getByLabel('Take the new version').check();
  await page.getByRole('button', { name: 'Apply my choices' }).click();
  await page.waitForURL(assessmentUrl);
  const merged = page.locator('[data-question-key="g.audit_logs"]');
  await expect(merged.getByRole('radio', { name: 'Yes', exact: true })).toBeChecked();
  // Both days are today's here (answered, reviewed and published in this run), as the reader's language writes them.
  const today = new Intl.DateTimeFormat('en-CA', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());
  await expect(merged).toContainText(`Answered by the vendor on ${today}, reviewed by the operator on ${today}`);
});
