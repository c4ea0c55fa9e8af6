/** A one-shot message carried across a navigation (e.g. "deleted" shown on the next page). */
import { useEffect, useState } from 'react';

let pending: string | null = null;

export function setFlash(message: string): void {
  pending = message;
}

/** Takes the pending message once, on first render of the page that shows it. */
export function useFlash(): string | null {
  const [message] = useState(() => pending);
  useEffect(() => {
    pending = null;
  }, []);
  return message;
}
