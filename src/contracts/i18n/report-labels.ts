/**
 * Report codes (statuses, grades, data elements, locations…) and column keys in words: one rule for
 * the web client's tables and charts and the server's XLSX and CSV downloads.
 */
import type { ReportColumn } from '../reports.js';

/** Which message tree the values of a column (or chart category) come from. */
const VALUE_TREES: Readonly<Record<string, string>> = {
  status: 'status',
  grade: 'gradeShort',
  grades: 'gradeShort',
  element: 'dataElement',
  sensitiveElements: 'dataElement',
  audience: 'audience',
};

/** Columns whose cells are names people typed or question keys, never codes in words. */
const FREE_TEXT_LISTS = new Set(['appNames', 'staleQuestions']);

export interface LabelSource {
  /** The message at a dotted key, or undefined when there is none. */
  lookup(key: string): string | undefined;
  /** A country's name from its ISO code. */
  country(code: string): string;
}

export function reportLabeller(source: LabelSource) {
  const tr = (key: string, fallback: string): string => source.lookup(key) ?? fallback;
  const value = (key: string, code: string): string => {
    const tree = VALUE_TREES[key];
    if (tree) return tr(`${tree}.${code}`, code);
    if (key === 'countries') return source.country(code);
    return tr(`reports.codes.${code}`, code);
  };
  return {
    title: (id: string, fallback: string) => tr(`reports.titles.${id}`, fallback),
    column: (c: Pick<ReportColumn, 'key' | 'label' | 'labelKey'>) =>
      c.labelKey ? tr(c.labelKey, c.label) : tr(`reports.columns.${c.key}`, c.label),
    value,
    /** Whether a column's cells are codes that read differently in each language. */
    isCoded: (c: Pick<ReportColumn, 'key' | 'kind'>) => c.kind === 'code' || (c.kind === 'list' && !FREE_TEXT_LISTS.has(c.key)),
    /** The words of a list cell's items (names people typed stay as they are). */
    listItem: (key: string, item: string) => (FREE_TEXT_LISTS.has(key) ? item : value(key, item)),
  };
}

/** The string at a dotted key of a message tree. */
export function lookupMessage(tree: unknown, key: string): string | undefined {
  let node: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** `{{name}}` placeholders filled in. */
export function interpolate(message: string, values: Readonly<Record<string, string | number>>): string {
  return message.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const LOCALES = { en: 'en-CA', fr: 'fr-CA' } as const;

/** The Intl locale of a language (Canadian English or French). */
export function localeOf(language: string): string {
  return language.startsWith('fr') ? LOCALES.fr : LOCALES.en;
}

/** A country's name from its ISO code (falls back to the code). */
export function countryName(code: string, language: string): string {
  try {
    return new Intl.DisplayNames([localeOf(language)], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
