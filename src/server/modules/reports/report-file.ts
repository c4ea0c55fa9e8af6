import { PassThrough, type Readable } from 'node:stream';
import type { ReportCell, ReportColumn, ReportResult } from '../../../contracts/reports.js';
import { createCsvStream, createXlsxWriter, type SheetCell, type SheetColumn } from '../exports/spreadsheet.js';

/** A report cell as a spreadsheet writes it: a matrix tick is "✓" or empty. */
function fileCell(column: ReportColumn, value: ReportCell | undefined): SheetCell {
  if (value === undefined) return null;
  if (column.kind === 'check') return value === true ? '✓' : '';
  return value;
}

function filtersLine(r: ReportResult): string {
  const f = r.filters;
  const parts = [
    f.schoolId ? `school ${f.schoolId}` : null,
    f.grade.length ? `grades ${f.grade.join(', ')}` : null,
    f.audience.length ? `audiences ${f.audience.join(', ')}` : null,
    f.status.length ? `statuses ${f.status.join(', ')}` : null,
    f.days !== null ? `next ${f.days} days` : null,
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * Streams a report as XLSX (the rows sheet plus an "About" sheet with title, filters and time) or
 * as CSV (the rows only). The caller pipes the returned stream to the response.
 */
export function reportFileStream(result: ReportResult, format: 'xlsx' | 'csv'): Readable {
  const columns: SheetColumn[] = result.columns.map((c) => ({ key: c.key, header: c.label }));
  const cells = (row: ReportResult['rows'][number]) => result.columns.map((c) => fileCell(c, row[c.key]));
  if (format === 'csv') {
    const csv = createCsvStream(columns);
    csv.addRows(result.rows.map(cells));
    csv.end();
    return csv;
  }
  const out = new PassThrough();
  const book = createXlsxWriter(out);
  void (async () => {
    const sheet = book.addSheet(result.title, columns);
    sheet.addRows(result.rows.map(cells));
    await sheet.end();
    const about = book.addSheet('About', [
      { key: 'k', header: 'Report', width: 20 },
      { key: 'v', header: result.title, width: 60 },
    ]);
    about.addRows([
      ['Generated at (UTC)', result.generatedAt],
      ['Filters', filtersLine(result)],
      ['Rows', result.rows.length],
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
