/**
 * The sign-in page as a first-time visitor's browser loads it: the reader's language is fetched
 * beside the page's scripts (the page's inline preload, allowed by the content security policy), the
 * other language not at all, and the browser reports no policy violation.
 */
import { expect, test } from '@playwright/test';

for (const [locale, lang, other, title] of [
  ['en-CA', 'en', 'fr', 'Sign in to Vetted'],
  ['fr-CA', 'fr', 'en', 'Connexion à Vetted'],
] as const) {
  test(`a ${locale} reader's language loads with the page's scripts, and only it (${lang})`, async ({ browser }) => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    const requested: string[] = [];
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));

    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', lang);

    const preload = page.locator(`link[rel="modulepreload"][href^="/assets/${lang}-core-"]`);
    await expect(preload).toHaveCount(1);
    const file = await preload.getAttribute('href');
    // Asked for while the page was still being parsed, before its scripts ran (which is when the
    // client itself would ask for it).
    const order = await page.evaluate((f) => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const language = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === f);
      return { languageStart: language?.startTime ?? -1, parsed: navigation.domInteractive };
    }, file);
    expect(order.languageStart).toBeGreaterThanOrEqual(0);
    expect(order.languageStart).toBeLessThan(order.parsed);
    expect(requested.filter((p) => p.startsWith(`/assets/${other}-core-`))).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });
}
