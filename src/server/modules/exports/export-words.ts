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
import type { ExportEntity } from './export-entities.js';
import type { SheetCell, SheetColumn } from './spreadsheet.js';

const MESSAGES: Record<Language, unknown> = {
  en: { ...domainEn, ...auditEn, reports: reportsEn, exports: exportsEn },
  fr: { ...domainFr, ...auditFr, reports: reportsFr, exports: exportsFr },
};

/** The most words of codes a sheet keeps once looked up. */
const WORDS_KEPT = 10_000;

/** How one entity's sheet reads in a language: its name, its columns, and a page's rows as its cells. */
export interface EntityLayout {
  name: string;
  columns: SheetColumn[];
  rows(rows: readonly SheetCell[][]): SheetCell[][];
}

/**
 * An entity's sheet in the reader's language. Headers and the sheet's name are in that language (the
 * CSV file keeps its name, `entity.file`). A column of codes (a status, grades, data elements, an
 * audit action…) holds their words under the column's header, followed by the codes themselves for
 * machines, headed "<header> (code)" — as report downloads do. An unknown code reads as itself.
 */
export function entityLayout(entity: ExportEntity, language: Language): EntityLayout {
  const messages = MESSAGES[language];
  const french = language === 'fr' ? exportSheetsFr[entity.file] : undefined;
  const codeHeader = lookupMessage(messages, 'reports.file.codeColumn') ?? '{{header}} (code)';
  const lookup = (tree: string, code: string): string => {
    if (tree === 'country') return countryName(code, language);
    if (tree === 'role' && code === 'system') return lookupMessage(messages, 'auditActor.system') ?? code;
    return lookupMessage(messages, `${tree}.${code}`) ?? code;
  };
  // A column holds few distinct codes over many rows: each one's words are looked up once per column
  // (the lookups were 1.3 s of a 5,000-app export's CPU), in a map of the column's own, so that a
  // cell costs one lookup by its code. Bounded, should a column hold many distinct values.
  const wordsOf = (tree: string) => {
    const known = new Map<string, string>();
    return (code: string): string => {
      let found = known.get(code);
      if (found === undefined) {
        found = lookup(tree, code);
        if (known.size < WORDS_KEPT) known.set(code, found);
      }
      return found;
    };
  };
  const columns: SheetColumn[] = [];
  const cells: ((row: readonly SheetCell[]) => SheetCell)[] = [];
  entity.columns.forEach((c, i) => {
    const header = french?.columns[c.key] ?? c.header;
    columns.push({ key: c.key, header });
    const tree = c.codes;
    if (!tree) {
      cells.push((row) => row[i] ?? null);
      return;
    }
    const words = wordsOf(tree);
    cells.push((row) => {
      const v = row[i] ?? null;
      if (v === null) return null;
      return Array.isArray(v) ? v.map((code: string) => words(code)) : words(String(v));
    });
    columns.push({ key: `${c.key}:code`, header: interpolate(codeHeader, { header }) });
    cells.push((row) => row[i] ?? null);
  });
  return {
    name: french?.sheet ?? entity.name,
    columns,
    rows: (rows) => rows.map((row) => cells.map((cell) => cell(row))),
  };
}
