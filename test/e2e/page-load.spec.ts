/**
 * The sign-in page as a first-time visitor's browser loads it: the reader's language is fetched
 * beside the page's scripts (the page's inline preload, allowed by the content security policy), the
 * other language not at all, and the browser reports no policy violation.
 */
import { expect, test } from '@playwright/test';
import { axeViolations, WCAG_21_AA } from './axe.js';

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

/**
 * The page's frame (index.html, ADR 0023): with every client script held back on the network, the
 * browser still paints the page, its header and a loading status in the reader's language, which axe
 * passes; once the scripts arrive, React draws the sign-in form in the frame's place, the header's
 * product name exactly where the frame had it, and the browser reports no policy violation.
 */
for (const [locale, lang, loading, other, title] of [
  ['fr-CA', 'fr', 'Chargement…', 'Loading…', 'Connexion à Vetted'],
  ['en-CA', 'en', 'Loading…', 'Chargement…', 'Sign in to Vetted'],
] as const) {
  test(`a ${locale} reader sees the page's frame before any script has run, then the form in its place (${lang})`, async ({ browser }) => {
    const context = await browser.newContext({ locale });
    // Before the page's own scripts: what shifts the layout (not counting the first paint), and every
    // policy violation, as the page reports them.
    await context.addInitScript(() => {
      const w = window as unknown as { layoutShift: number; violations: string[] };
      w.layoutShift = 0;
      w.violations = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
          if (!e.hadRecentInput) w.layoutShift += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) refused.push(m.text());
    });
    // Every script file the page asks for waits until the test lets it through.
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const held: string[] = [];
    await page.route(/\/assets\/[^/]+\.js$/, async (route) => {
      held.push(new URL(route.request().url()).pathname);
      await released;
      await route.continue();
    });

    await page.goto('/sign-in', { waitUntil: 'commit' });
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    const status = page.getByRole('status');
    await expect(status).toBeVisible();
    await expect(status).toHaveText(loading, { useInnerText: true });
    await expect(page.getByText(other)).toBeHidden();
    const brand = page.getByRole('banner').getByText('Vetted', { exact: true });
    const before = await brand.boundingBox();
    // No client script has run: they are all still held, and nothing React draws is there.
    expect(held.some((p) => /^\/assets\/shell-/.test(p))).toBe(true);
    await expect(page.locator('#root .frame')).toHaveCount(1);
    await expect(page.getByRole('button')).toHaveCount(0);
    // WCAG 2.1 AA, and axe's advice on landmarks (one main, all content in one). A heading of level
    // one is left to the page React draws: the frame names no page, it only says the page is coming.
    const violations = await axeViolations(page, { tags: [...WCAG_21_AA, 'best-practice'] });
    expect(violations.filter((v) => !v.startsWith('page-has-heading-one '))).toEqual([]);

    release();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('button', { name: lang === 'fr' ? 'Se connecter' : 'Sign in', exact: true })).toBeVisible();
    await expect(page.locator('.frame')).toHaveCount(0);
    await expect(status).toHaveCount(0);
    await expect(page.getByRole('banner')).toHaveCount(1);
    await expect(page.getByRole('main')).toHaveCount(1);
    const after = await brand.boundingBox();
    expect(before).not.toBeNull();
    expect(after).not.toBeNull();
    for (const side of ['x', 'y', 'width', 'height'] as const)
      expect(Math.abs(after![side] - before![side]), side).toBeLessThanOrEqual(0.5);
    const seen = await page.evaluate(() => {
      const w = window as unknown as { layoutShift: number; violations: string[] };
      return { layoutShift: w.layoutShift, violations: w.violations };
    });
    expect(seen.layoutShift).toBeLessThan(0.05);
    expect(seen.violations).toEqual([]);
    expect(refused).toEqual([]);
    await context.close();
  });
}
