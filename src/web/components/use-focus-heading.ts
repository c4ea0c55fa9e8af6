/** Moves focus to the page's first heading after a route change, so screen readers announce the new page. */
import { useEffect, useRef } from 'react';

/** Focuses the h1 inside `#main` once it is shown (pages may load their data first), on every change of `path` but the first. */
export function useFocusHeadingOnRouteChange(path: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let cancelled = false;
    const started = Date.now();
    const tryFocus = () => {
      if (cancelled) return;
      const heading = document.querySelector<HTMLElement>('#main h1') ?? document.querySelector<HTMLElement>('h1');
      if (heading) {
        // Not when the person is already typing in a field of the new page.
        if (document.activeElement?.matches('input, textarea, select, [contenteditable="true"]')) return;
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus({ preventScroll: false });
        return;
      }
      if (Date.now() - started < 5000) window.setTimeout(tryFocus, 100);
    };
    window.setTimeout(tryFocus, 0);
    return () => {
      cancelled = true;
    };
  }, [path]);
}
