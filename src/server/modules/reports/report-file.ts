import { PassThrough, type Readable } from 'node:stream';
import type { Language } from '../../../contracts/domain.js';
import { domainEn } from '../../../contracts/i18n/domain-en.js';
import { domainFr } from '../../../contracts/i18n/domain-fr.js';
import { countryName, interpolate, lookupMessage, reportLabeller } from '../../../contracts/i18n/report-labels.js';
import { reportsEn } from '../../../contracts/i18n/reports-en.js';
import { reportsFr } from '../../../contracts/i18n/reports-fr.js';
import { cellOf, type ReportCell, type ReportColumn, type ReportResult } from '../../../contracts/reports.js';
import { createCsvStream, createXlsxWriter, type SheetCell, type SheetColumn } from '../exports/spreadsheet.js';

const MESSAGES: Record<Language, unknown> = {
  en: { ...domainEn, reports: reportsEn },
  fr: { ...domainFr, reports: reportsFr },
};

/** What a download needs besides the report: the reader's language and the chosen school's name. */
export interface ReportFileOptions {
  language: Language;
  schoolName?: string | null;
}

/**
 * The words of a downloaded report in one language. A column whose cells are codes (a status, a
 * grade, a data element, a country…) is written as words, followed by the same column of codes for
 * machines, headed "<header> (code)".
 */
function fileWords(language: Language) {
  const messages = MESSAGES[language];
  const say = (key: string, values: Record<string, string | number> = {}) =>
    interpolate(lookupMessage(messages, `reports.file.${key}`) ?? key, values);
  const labels = reportLabeller({ lookup: (key) => lookupMessage(messages, key), country: (code) => countryName(code, language) });

  function cell(column: ReportColumn, value: ReportCell | undefined): SheetCell {
    if (value === undefined || value === null) return null;
    if (column.kind === 'check') return value === true ? '✓' : '';
    if (column.kind === 'boolean') return value ? say('yes') : say('no');
    if (column.kind === 'list' && Array.isArray(value)) return value.map((item) => labels.listItem(column.key, item));
    if (column.kind === 'code') return labels.value(column.key, String(value));
    return value;
  }

  /** The sheet's columns and a function giving a row's cells, in the same order. */
  function layout(columns: readonly ReportColumn[]) {
    const sheet: SheetColumn[] = [];
    const cells: ((row: ReportResult['rows'][number]) => SheetCell)[] = [];
    for (const c of columns) {
      // A grade heads its column in full in a file ("Grade 3"), not in the table's short form.
      const header = labels.column(
        c.labelKey?.startsWith('gradeShort.') ? { ...c, labelKey: c.labelKey.replace('gradeShort.', 'grade.') } : c,
      );
      sheet.push({ key: c.key, header });
      cells.push((row) => cell(c, cellOf(c, row)));
      if (labels.isCoded(c)) {
        sheet.push({ key: `${c.key}:code`, header: say('codeColumn', { header }) });
        cells.push((row) => row[c.key] ?? null);
      }
    }
    return { columns: sheet, cells: (row: ReportResult['rows'][number]) => cells.map((f) => f(row)) };
  }

  function filtersLine(r: ReportResult, schoolName: string | null | undefined): string {
    const f = r.filters;
    const list = (key: string, codes: readonly string[]) => codes.map((code) => labels.value(key, code)).join(', ');
    const parts = [
      f.schoolId ? say('school', { name: schoolName ?? f.schoolId }) : null,
      f.grade.length ? say('grades', { list: list('grade', f.grade) }) : null,
      f.audience.length ? say('audiences', { list: list('audience', f.audience) }) : null,
      f.status.length ? say('statuses', { list: list('status', f.status) }) : null,
      f.days !== null ? say('days', { days: f.days }) : null,
    ].filter(Boolean);
    return parts.length ? parts.join('; ') : say('noFilters');
  }

  return { say, title: (r: ReportResult) => labels.title(r.report, r.title), layout, filtersLine };
}

/**
 * Streams a report as XLSX (the rows sheet plus an "About" sheet with title, filters and time) or
 * as CSV (the rows only), in the reader's language. The caller pipes the returned stream to the
 * response.
 */
export function reportFileStream(result: ReportResult, format: 'xlsx' | 'csv', options: ReportFileOptions): Readable {
  const words = fileWords(options.language);
  const { columns, cells } = words.layout(result.columns);
  if (format === 'csv') {
    const csv = createCsvStream(columns);
    csv.addRows(result.rows.map(cells));
    csv.end();
    return csv;
  }
  const out = new PassThrough();
  const book = createXlsxWriter(out);
  const title = words.title(result);
  void (async () => {
    const sheet = book.addSheet(title, columns);
    await sheet.addRows(result.rows.map(cells));
    await sheet.end();
    const about = book.addSheet(words.say('about'), [
      { key: 'k', header: words.say('report'), width: 20 },
      { key: 'v', header: title, width: 60 },
    ]);
    await about.addRows([
      [words.say('generatedAt'), result.generatedAt],
      [words.say('filters'), words.filtersLine(result, options.schoolName)],
      [words.say('rows'), result.rows.length],
    ]);
    await about.end();
    await book.finish();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/** `approved-by-grade-2026-11-29.xlsx` */
export function reportFileName(result: ReportResult, format: 'xlsx' | 'csv'): string {
  return `${result.report}-${result.generatedAt.slice(0, 10)}.${format}`;
}
