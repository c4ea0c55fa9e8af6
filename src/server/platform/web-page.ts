/**
 * What the server needs to know of the web client's page: the hashes of its inline scripts, which the
 * content security policy allows by name (`'sha256-…'`) while refusing every other inline script.
 * The build writes one (vite.config.ts `languagePreload`): it starts loading the reader's language
 * while the page's scripts load.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const INLINE_SCRIPT = /<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The CSP source of each inline script of `html`, as `'sha256-<base64>'`. */
export function inlineScriptSources(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
}

/** The inline script sources of the page at `file`; none when there is no page. */
export function pageScriptSources(file: string): string[] {
  try {
    return inlineScriptSources(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
