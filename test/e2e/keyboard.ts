/** Moving through a page by keyboard alone in e2e journeys, and checking the focus can be seen. */
import { expect, type Locator, type Page } from '@playwright/test';

/** Presses Tab (or Shift+Tab) until the focus is on, or inside, `target`. */
export async function tabTo(page: Page, target: Locator, back = false, max = 600): Promise<void> {
  await target.first().waitFor();
  for (let i = 0; i < max; i++) {
    if (await target.first().evaluate((el) => el === document.activeElement || el.contains(document.activeElement))) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** The focused element shows where it is (an outline or a ring), as keyboard users need. */
export async function expectVisibleFocus(page: Page): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none' };
  });
  expect(ring.outline || ring.shadow, 'the focused element has a visible focus indicator').toBe(true);
}
