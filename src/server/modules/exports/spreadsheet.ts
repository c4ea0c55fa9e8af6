import { createRequire } from 'node:module';
import { PassThrough, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type ExcelJS from 'exceljs';

const require = createRequire(import.meta.url);
let excelJs: typeof ExcelJS | undefined;
/** exceljs, loaded on the first workbook: it adds half a second and 27 MB to a start that may never write one. */
function excel(): typeof ExcelJS {
  return (excelJs ??= require('exceljs') as typeof ExcelJS);
}

/** A value a spreadsheet cell holds. Lists are written joined with "; ". */
export type SheetCell = string | number | boolean | null | readonly string[];

export interface SheetColumn {
  key: string;
  header: string;
  /** Width in characters for XLSX (optional). */
  width?: number;
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)));

/**
 * Security: a cell whose text begins with `=`, `+`, `-`, `@`, tab or carriage return can run as a
 * formula when a spreadsheet opens the file (CSV or XLSX re-saved). Such text gets a leading
 * apostrophe, which spreadsheets show as text (OWASP "CSV injection"). Numbers and booleans are
 * written as such and need nothing.
 */
export function neutraliseText(text: string): string {
  // The first character's code rather than a regular expression: this runs for every cell of an export.
  return FORMULA_START.has(text.charCodeAt(0)) ? `'${text}` : text;
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
  const text = cellText(value);
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** Excel limits sheet names to 31 characters without []:*?/\ */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31);
}

export interface SheetSink {
  addRows(rows: readonly (readonly SheetCell[])[]): void;
  /** Finishes the sheet; rows are flushed to the output as they are added. */
  end(): Promise<void>;
}

/**
 * The style of every data row and cell: one shared object. exceljs gives each new row and cell a
 * style object of its own, and with styles on (the header is bold) works out the style of each from
 * it again unless it has seen that very object before — which made styles most of the cost of a
 * large sheet.
 */
const PLAIN_STYLE: Partial<ExcelJS.Style> = {};

/**
 * A streaming XLSX workbook: rows go to `out` as they are committed, so memory stays flat whatever
 * the number of rows. Sheets are written one after the other.
 */
export function createXlsxWriter(out: Writable) {
  const workbook = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  return {
    addSheet(name: string, columns: readonly SheetColumn[]): SheetSink {
      const sheet = workbook.addWorksheet(sheetName(name));
      sheet.columns = columns.map((c) => ({ key: c.key, width: c.width ?? Math.min(Math.max(c.header.length + 2, 12), 60) }));
      const header = sheet.addRow(columns.map((c) => neutraliseText(c.header)));
      header.font = { bold: true };
      header.commit();
      return {
        addRows(rows) {
          for (const values of rows) {
            const row = sheet.addRow(values.map(xlsxValue));
            // Row.style is public in exceljs, though missing from its type declarations.
            (row as ExcelJS.Row & { style: Partial<ExcelJS.Style> }).style = PLAIN_STYLE;
            row.eachCell((cell) => {
              cell.style = PLAIN_STYLE;
            });
            row.commit();
          }
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

const csvText = (rows: readonly (readonly SheetCell[])[]) =>
  stringify(
    rows.map((r) => r.map(cellText)),
    { record_delimiter: 'windows' },
  );

/**
 * A CSV stream (UTF-8 with BOM so spreadsheets read accents right) with a header row. Rows are
 * written a batch at a time, as one chunk: a chunk per row would cost the zip that consumes the
 * stream a compression call per row.
 */
export function createCsvStream(
  columns: readonly SheetColumn[],
): PassThrough & { addRows(rows: readonly (readonly SheetCell[])[]): boolean } {
  const stream = new PassThrough();
  stream.write(`\ufeff${csvText([columns.map((c) => c.header)])}`);
  return Object.assign(stream, {
    /** False when the consumer is behind: wait for 'drain' before the next batch. */
    addRows(rows: readonly (readonly SheetCell[])[]) {
      return rows.length === 0 || stream.write(csvText(rows));
    },
  });
}
