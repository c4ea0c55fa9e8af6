import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (const lang of ['en', 'fr']) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript((l) => localStorage.setItem('vetted.language', l), lang);
  const page = await ctx.newPage();
  await page.goto('http://127.0.0.1:3900/sign-in');
  await page.locator('input[type=email], input[name=email]').first().fill('m.okafor@cedarvalley.example');
  await page.locator('input[type=password]').first().fill('shot-demo-pass-2026');
  await page.locator('button[type=submit]').first().click();
  await page.waitForSelector('[data-testid=dashboard-status-chart] svg');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `docs/screenshots/dashboard-${lang}.png`, fullPage: true });
  await page.goto('http://127.0.0.1:3900/assessments');
  await page.waitForSelector('table caption');
  await page.waitForTimeout(500);
  await page.screenshot({ path: `docs/screenshots/assessments-${lang}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
