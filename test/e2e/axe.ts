/**
 * axe over a page once it is still. axe reads colours as they are at the instant it runs, so a dialog
 * still fading in (its button half transparent over the overlay) fails a contrast it meets once shown:
 * every scan first lets the page's finite CSS transitions and animations end, and waits until none
 * has run for a few frames (one may start a frame after its element appears).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** WCAG 2.1 A and AA. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Resolves once no finite animation has run for three frames in a row (at most `seconds`). */
export async function stillPage(page: Page, seconds = 10): Promise<void> {
  await page.evaluate(async (limitMs) => {
    const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
    const finite = (a: Animation) => a.effect?.getComputedTiming().endTime !== Infinity;
    const deadline = Date.now() + limitMs;
    let stillFrames = 0;
    while (stillFrames < 3 && Date.now() < deadline) {
      await frame();
      const running = document.getAnimations().filter((a) => a.playState === 'running' && finite(a));
      if (running.length === 0) {
        stillFrames += 1;
        continue;
      }
      stillFrames = 0;
      await Promise.race([
        Promise.all(running.map((a) => a.finished.catch(() => undefined))),
        new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
      ]);
    }
  }, seconds * 1000);
}

export interface AxeScan {
  /** Rule tags to check; WCAG 2.1 AA unless given. */
  tags?: string[];
  /** Only this part of the page (a CSS selector). */
  include?: string;
  /** Only violations of serious or critical impact. */
  seriousOnly?: boolean;
}

/** The page's violations once it is still, each as `rule (impact): the elements it names`. */
export async function axeViolations(page: Page, scan: AxeScan = {}): Promise<string[]> {
  await stillPage(page);
  let builder = new AxeBuilder({ page }).withTags(scan.tags ?? WCAG_21_AA);
  if (scan.include) builder = builder.include(scan.include);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => !scan.seriousOnly || v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'unknown'}): ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`.trim()).join(' | ')}`,
    );
}

/** Fails with every violation named when axe finds any. */
export async function expectNoAxeViolations(page: Page, scan: AxeScan = {}): Promise<void> {
  expect(await axeViolations(page, scan)).toEqual([]);
}
