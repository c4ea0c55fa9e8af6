import type { Language } from '../../../contracts/domain.js';
import { auditEn } from '../../../contracts/i18n/audit-en.js';
import { auditFr } from '../../../contracts/i18n/audit-fr.js';
import { domainEn } from '../../../contracts/i18n/domain-en.js';
import { domainFr } from '../../../contracts/i18n/domain-fr.js';
import { exportsEn } from '../../../contracts/i18n/exports-en.js';
import { exportSheetsFr, exportsFr } from '../../../contracts/i18n/exports-fr.js';
import { countryName, interpolate, lookupMessage } from '../../../contracts/i18n/report-labels.js';
import { reportsEn } from '../../../contracts/i18n/reports-en.js';
import { reportsFr } from '../../../contracts/i18n/reports-fr.js';
import type { ExportEntity, WordMaps } from './export-entities.js';
import type { SheetColumn } from './spreadsheet.js';

const MESSAGES: Record<Language, unknown> = {
  en: { ...domainEn, ...auditEn, reports: reportsEn, exports: exportsEn },
  fr: { ...domainFr, ...auditFr, reports: reportsFr, exports: exportsFr },
};

/** How one entity's sheet reads in a language: its name, its columns, and the words of its codes. */
export interface EntityLayout {
  name: string;
  columns: SheetColumn[];
  /** The words of every code tree the sheet's coded columns use (see `ExportEntity.rowsQuery`). */
  words: WordMaps;
}

/** Every two-letter region code a reader's language names (Intl's own names), as `countryName` writes them. */
function countryWords(language: Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = countryName(code, language);
      if (name !== code) out[code] = name;
    }
  return out;
}

/** Each string of a message tree, by its dotted path under the tree (an audit action such as `export.create`). */
function flatten(node: unknown, prefix: string, out: Record<string, string>): Record<string, string> {
  if (typeof node !== 'object' || node === null) return out;
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === 'string') out[`${prefix}${k}`] = v;
    else flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

/** The words of a code tree in a language, built once (code → words). */
const treeWords = new Map<string, Record<string, string>>();
function wordsOfTree(tree: string, language: Language): Record<string, string> {
  const key = `${language}:${tree}`;
  let words = treeWords.get(key);
  if (!words) {
    const messages = MESSAGES[language];
    if (tree === 'country') words = countryWords(language);
    else {
      let node: unknown = messages;
      for (const part of tree.split('.'))
        node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
      words = flatten(node, '', {});
    }
    // The system's role in the audit log is named like the system itself.
    if (tree === 'role') words = { ...words, system: lookupMessage(messages, 'auditActor.system') ?? 'system' };
    treeWords.set(key, words);
  }
  return words;
}

/**
 * An entity's sheet in the reader's language. Headers and the sheet's name are in that language (the
 * CSV file keeps its name, `entity.file`). A column of codes (a status, grades, data elements, an
 * audit action…) holds their words under the column's header, followed by the codes themselves for
 * machines, headed "<header> (code)" — as report downloads do. An unknown code reads as itself. The
 * words go to the database with the sheet's statement, which writes them (`ExportEntity.rowsQuery`).
 */
export function entityLayout(entity: ExportEntity, language: Language): EntityLayout {
  const messages = MESSAGES[language];
  const french = language === 'fr' ? exportSheetsFr[entity.file] : undefined;
  const codeHeader = lookupMessage(messages, 'reports.file.codeColumn') ?? '{{header}} (code)';
  const columns: SheetColumn[] = [];
  const words: Record<string, Record<string, string>> = {};
  for (const c of entity.columns) {
    const header = french?.columns[c.key] ?? c.header;
    columns.push({ key: c.key, header });
    if (!c.codes) continue;
    words[c.codes] = wordsOfTree(c.codes, language);
    columns.push({ key: `${c.key}:code`, header: interpolate(codeHeader, { header }) });
  }
  return { name: french?.sheet ?? entity.name, columns, words };
}
