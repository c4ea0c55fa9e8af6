import type { Writable } from 'node:stream';
import { stringify, type Stringifier } from 'csv-stringify';
import ExcelJS from 'exceljs';

/** A value a spreadsheet cell holds. Lists are written joined with "; ". */
export type SheetCell = string | number | boolean | null | readonly string[];

export interface SheetColumn {
  key: string;
  header: string;
  /** Width in characters for XLSX (optional). */
  width?: number;
}

/**
 * Security: a cell whose text begins with `=`, `+`, `-`, `@`, tab or carriage return can run as a
 * formula when a spreadsheet opens the file (CSV or XLSX re-saved). Such text gets a leading
 * apostrophe, which spreadsheets show as text (OWASP "CSV injection"). Numbers and booleans are
 * written as such and need nothing.
 */
export function neutraliseText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The text of a cell as CSV writes it (and as an XLSX string cell holds it). */
export function cellText(value: SheetCell): string {
  if (value === null) return '';
  if (typeof value === 'string') return neutraliseText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return neutraliseText(value.join('; '));
}

/**
 * The value an XLSX cell gets: numbers and booleans typed, everything else neutralised text. XML
 * turns a bare carriage return into a line feed on reading, so line ends are written as line feeds
 * on purpose (after neutralising, so a leading CR still gets its apostrophe).
 */
export function xlsxValue(value: SheetCell): string | number | boolean | null {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  return cellText(value).replace(/\r\n?/g, '\n');
}

/** Excel limits sheet names to 31 characters without []:*?/\ */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

export interface SheetSink {
  addRow(values: readonly SheetCell[]): void;
  /** Finishes the sheet; rows are flushed to the output as they are added. */
  end(): Promise<void>;
}

/**
 * A streaming XLSX workbook: rows go to `out` as they are committed, so memory stays flat whatever
 * the number of rows. Sheets are written one after the other.
 */
export function createXlsxWriter(out: Writable) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  return {
    addSheet(name: string, columns: readonly SheetColumn[]): SheetSink {
      const sheet = workbook.addWorksheet(sheetName(name));
      sheet.columns = columns.map((c) => ({ key: c.key, width: c.width ?? Math.min(Math.max(c.header.length + 2, 12), 60) }));
      const header = sheet.addRow(columns.map((c) => neutraliseText(c.header)));
      header.font = { bold: true };
      header.commit();
      return {
        addRow(values) {
          sheet.addRow(values.map(xlsxValue)).commit();
        },
        async end() {
          await sheet.commit();
        },
      };
    },
    /** Writes the workbook's closing parts and ends `out`. */
    finish: () => workbook.commit(),
  };
}

/** A CSV stream (UTF-8 with BOM so spreadsheets read accents right) with a header row. */
export function createCsvStream(columns: readonly SheetColumn[]): Stringifier & { addRow(values: readonly SheetCell[]): boolean } {
  const stringifier = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: neutraliseText(c.header) })),
    record_delimiter: 'windows',
  });
  return Object.assign(stringifier, {
    addRow(values: readonly SheetCell[]) {
      return stringifier.write(values.map(cellText));
    },
  });
}
