import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { E2E_DEMO_PASSWORD } from '../../playwright.config.js';
import { domainEn } from '../../src/contracts/i18n/domain-en.js';

const SITE_ADMIN = 'm.okafor@cedarvalley.example';

test('the dashboard renders its charts; a report filtered by grade downloads an XLSX with the expected rows', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(SITE_ADMIN);
  await page.getByLabel('Password', { exact: true }).fill(E2E_DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Dashboard: the status chart (recharts SVG with one bar per status) and the grade heat map.
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const chart = page.getByTestId('dashboard-status-chart');
  await expect(chart.locator('svg.recharts-surface')).toBeVisible();
  await expect(chart.locator('.recharts-bar-rectangle')).toHaveCount(6);
  // No two axis labels overlap (status names are long, longer still in French).
  const labels = await chart.locator('.recharts-cartesian-axis-tick-value').evaluateAll((els) =>
    els.map((e) => ({ text: e.textContent ?? '', ...JSON.parse(JSON.stringify(e.getBoundingClientRect())) as DOMRect })),
  );
  expect(labels.length).toBeGreaterThanOrEqual(6);
  const overlapping = labels.flatMap((a, i) =>
    labels.slice(i + 1).filter((b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).map((b) => `${a.text} / ${b.text}`),
  );
  expect(overlapping).toEqual([]);
  // Recent changes read as words: who (a job or the seed named too) and what, never a code.
  const recent = page.locator('section[aria-labelledby="dash-changes"]');
  await expect(recent.getByRole('listitem').first()).toBeVisible();
  await expect(recent).toContainText('Signed in');
  await expect(recent).not.toContainText(/system:|\b[a-z_]{2,}\.[a-z_]{2,}\b/);
  await expect(page.getByTestId('grade-heatmap').getByRole('row')).not.toHaveCount(0);

  // Report: approved apps by grade, filtered to grade 4.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports', exact: true }).click();
  await page.getByRole('link', { name: 'Approved apps by grade' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Approved apps by grade' })).toBeVisible();
  await expect(page.getByTestId('report-chart').locator('svg.recharts-surface')).toBeVisible();
  await page.getByRole('combobox', { name: 'Grades' }).click();
  await page.getByRole('option', { name: 'Grade 4', exact: true }).click();
  await page.keyboard.press('Escape');
  const table = page.getByTestId('report-table');
  await expect(table.getByRole('columnheader')).toHaveText(['App', 'Vendor', 'Status', '4']);

  const expected = (await (await page.request.get('/api/v1/reports/approved-by-grade?grade=4')).json()) as {
    rows: { app: string; vendor: string; status: keyof typeof domainEn.status }[];
  };
  expect(expected.rows.length).toBeGreaterThan(0);
  await expect(table.locator('tbody tr')).toHaveCount(expected.rows.length);
  // Every app shown is used in grade 4: its grade's column is ticked (from the row's grades).
  await expect(table.locator('tbody tr td:last-child')).toHaveText(expected.rows.map(() => /✓/));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download XLSX' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^approved-by-grade-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  // Words for people, with the codes in their own column for machines.
  expect(rows[0]).toEqual(['App', 'Vendor', 'Status', 'Status (code)', 'Grade 4']);
  expect(rows.slice(1).map((r) => [r[0], r[1] ?? '', r[2], r[3], r[4]])).toEqual(
    expected.rows.map((r) => [r.app, r.vendor, domainEn.status[r.status], r.status, '✓']),
  );

  // Each run of a report is counted: typing a number of days runs the report once, not once per keystroke.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports', exact: true }).click();
  await page.getByRole('link', { name: 'Reviews due and agreements expiring' }).click();
  await expect(page.getByTestId('report-table')).toBeVisible();
  const runs: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/reports/reviews-due') runs.push(r.url());
  });
  const days = page.getByLabel('Look ahead (days)');
  await days.clear();
  await days.pressSequentially('120', { delay: 60 });
  await expect.poll(() => runs.some((u) => u.includes('days=120'))).toBe(true);
  await page.waitForTimeout(1000);
  expect(runs).toHaveLength(1);

  // The portability archive is offered with the spreadsheet exports.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Export data' }).click();
  const [archive] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download the portability archive (JSON)' }).click(),
  ]);
  const json = JSON.parse(await readFile((await archive.path())!, 'utf8')) as { format: string; formatVersion: number };
  expect(json).toMatchObject({ format: 'vetted-institution-archive', formatVersion: 1 });

  // A spreadsheet export: the page says it is being prepared only until it is ready.
  await page.getByRole('button', { name: 'Export to CSV files (zip)' }).click();
  await expect(page.getByText('Your export is ready: download it from the list below.')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Your export is being prepared.')).toHaveCount(0);
  await expect(page.getByTestId('exports-table').locator('tbody tr').first().getByRole('link')).toBeVisible();
});
