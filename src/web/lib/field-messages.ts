/** Field messages of the API in the reader's language. */
import type { i18n as I18n } from 'i18next';
import { ApiError } from './api.js';

/** Values of a field message that are themselves names to translate (a question kind). */
const TRANSLATED_PARAMS: Readonly<Record<string, string>> = { kind: 'assessments.kind' };

/**
 * The field messages of an API error, by field path: a code the web app knows (`errors.field.<code>`)
 * is shown in the current language with its values; an unknown code, or none, keeps the server's text.
 */
export function translateFields(i18n: Pick<I18n, 't' | 'exists'>, error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(error.fields)) {
    const key = `errors.field.${error.fieldCodes[path] ?? ''}`;
    if (!error.fieldCodes[path] || !i18n.exists(key)) {
      out[path] = message;
      continue;
    }
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(error.fieldParams[path] ?? {})) {
      const prefix = TRANSLATED_PARAMS[name];
      const named = prefix ? `${prefix}.${String(value)}` : null;
      params[name] = named && i18n.exists(named) ? String(i18n.t(named as never)) : value;
    }
    out[path] = String(i18n.t(key as never, params as never));
  }
  return out;
}
