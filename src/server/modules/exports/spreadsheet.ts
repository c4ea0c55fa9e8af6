import { once } from 'node:events';
import { PassThrough, type Writable } from 'node:stream';
import { createZipWriter } from './zip.js';

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
  /** Resolves once the output has room for more (await it before the next batch). */
  addRows(rows: readonly (readonly SheetCell[])[]): Promise<void>;
  /** Adds rows already written as SpreadsheetML (`<row>` elements numbered from 2, the header being 1); resolves as `addRows` does. */
  addXml(xml: Buffer): Promise<void>;
  /** Finishes the sheet; rows are flushed to the output as they are added. */
  end(): Promise<void>;
}

// Control characters are what the pattern is for.
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const XML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/**
 * Text as XML character data: markup characters escaped, and the control characters XML cannot hold
 * left out (tab, line feed and carriage return stay).
 */
export function xmlText(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => XML_ENTITY[c] ?? '') : text;
}

/** How a workbook types a column's cells (see `ExportEntity.cellTypes`). */
export type SheetCellType = 'int' | 'bool' | 'text';

const ascii = (text: string) => Buffer.from(text, 'latin1');
const ROW_OPEN = ascii('<row r="');
const ROW_CLOSE = ascii('</row>');
const PLACE_OPEN = ascii('<c r="');
const NUMBER_VALUE = ascii('><v>');
const BOOL_VALUE = ascii(' t="b"><v>');
const TEXT_VALUE = ascii(' t="str"><v>');
const CELL_CLOSE = ascii('</v></c>');
const AMP = ascii('&amp;');
const LT = ascii('&lt;');
const GT = ascii('&gt;');
/** The most bytes a cell's markup takes beside its value (`<c r="XFD1048576" t="str"><v></v></c>`). */
const CELL_MARKUP = 40;
/** The most bytes one byte of text becomes (`&amp;`). */
const MOST_PER_BYTE = 5;

const TAB = 9;
const LF = 10;
const QUOTE = 0x22;
const BACKSLASH = 92;

/** Writes `bytes` into `out` at `at`; the position after them. (A loop: `set` costs more for a few bytes.) */
function copyInto(out: Buffer, at: number, bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length; k++) out[at++] = bytes[k]!;
  return at;
}

/** Writes `n`'s decimal digits into `out` at `at`; the position after them. */
function digitsInto(out: Buffer, at: number, n: number): number {
  const digits = String(n);
  for (let k = 0; k < digits.length; k++) out[at++] = digits.charCodeAt(k);
  return at;
}

/** What a byte of a text field in COPY's text format asks of `sheetRows` (TEXT_BYTES). */
const AS_IS = 0;
const FIELD_END = 1;
const ESCAPE = 2;
const MARKUP = 3;
const LEFT_OUT = 4;
const CARRIAGE_RETURN = 5;
/**
 * Each byte's class in a text field, so that the loop over a field's bytes asks one question of
 * most of them: a tab or line feed ends the field, a backslash starts an escape, markup is escaped,
 * the control characters XML cannot hold are left out, a carriage return is a line feed.
 */
const TEXT_BYTES = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) TEXT_BYTES[b] = LEFT_OUT;
TEXT_BYTES[TAB] = FIELD_END;
TEXT_BYTES[LF] = FIELD_END;
TEXT_BYTES[0x0d] = CARRIAGE_RETURN;
TEXT_BYTES[0x7f] = LEFT_OUT;
TEXT_BYTES[BACKSLASH] = ESCAPE;
TEXT_BYTES[0x26] = MARKUP;
TEXT_BYTES[0x3c] = MARKUP;
TEXT_BYTES[0x3e] = MARKUP;

const NO_BYTES = Buffer.alloc(0);

/**
 * Reads a sheet's cells as COPY writes them in its text format (a row per line, fields separated by
 * tabs, `\N` for null, a backslash before an escaped character) and writes each row as
 * SpreadsheetML, numbered from `firstRow`: numbers and booleans typed, text as XML text (its
 * formulas already neutralised by the database), an empty field an empty cell. A row's first cell
 * names its place (`r`), and so does a cell after an empty one; any other is the next column's, as
 * SpreadsheetML reads a cell without a place, which makes a sheet about a quarter smaller.
 *
 * It works on the bytes in one pass, copying them (UTF-8 passes through as it is): markup is
 * escaped, line ends (CRLF, CR, LF) become line feeds (XML reads a bare CR as LF), the control
 * characters XML cannot hold are left out. Building strings and encoding them again cost about twice
 * as much. Chunks may end anywhere (inside a row, inside a character): a row is written once its
 * line is complete; only the line a chunk ends inside is copied, to be finished by the next.
 */
export function sheetRows(types: readonly SheetCellType[], firstRow = 2) {
  const letters = types.map((_, i) => ascii(columnLetters(i)));
  let row = firstRow;
  let rest: Buffer | null = null;
  /** What the rows are written into, and a view of it handed out (grown as needed). */
  let scratch = Buffer.allocUnsafe(1 << 20);
  /** The row of line `start`–`end` of `src` (`end` its line feed) into `out` at `at`; the position after it. */
  const rowInto = (src: Buffer, start: number, end: number, out: Buffer, at: number): number => {
    at = copyInto(out, at, ROW_OPEN);
    at = digitsInto(out, at, row);
    out[at++] = QUOTE;
    out[at++] = 0x3e;
    let placed = false;
    let k = start;
    for (let i = 0; k <= end; i++, k++) {
      // An empty field, or null (`\N`): no cell, and the next one names its place.
      if (k === end || src[k] === TAB) {
        placed = false;
        continue;
      }
      if (src[k] === BACKSLASH && src[k + 1] === 0x4e && (k + 2 === end || src[k + 2] === TAB)) {
        placed = false;
        k += 2;
        continue;
      }
      if (placed) {
        out[at++] = 0x3c;
        out[at++] = 0x63;
      } else {
        at = copyInto(out, at, PLACE_OPEN);
        at = copyInto(out, at, letters[i] ?? ascii(columnLetters(i)));
        at = digitsInto(out, at, row);
        out[at++] = QUOTE;
        placed = true;
      }
      const type = types[i];
      if (type === 'int') {
        at = copyInto(out, at, NUMBER_VALUE);
        for (; k < end && src[k] !== TAB; k++) out[at++] = src[k]!;
      } else if (type === 'bool') {
        at = copyInto(out, at, BOOL_VALUE);
        out[at++] = src[k] === 0x74 /* t */ ? 0x31 : 0x30;
        while (k < end && src[k] !== TAB) k++;
      } else {
        at = copyInto(out, at, TEXT_VALUE);
        // The line ends with its line feed, which ends the field: no other bound is needed.
        for (;;) {
          let b = src[k]!;
          const kind = TEXT_BYTES[b]!;
          if (kind === AS_IS) {
            out[at++] = b;
            k++;
            continue;
          }
          if (kind === FIELD_END) break;
          k++;
          if (kind === ESCAPE) {
            // (COPY escapes every line feed: one after a backslash would still end the line.)
            if (src[k] === LF) break;
            const e = src[k++]!;
            if (e === 0x6e /* n */) b = LF;
            else if (e === 0x72 /* r */) {
              // CR, or CRLF, is a line feed.
              if (src[k] === BACKSLASH && src[k + 1] === 0x6e) k += 2;
              b = LF;
            } else if (e === 0x74 /* t */) b = TAB;
            else if (e === 0x62 /* b */ || e === 0x66 /* f */ || e === 0x76 /* v */)
              continue; // not in XML
            else b = e;
            out[at++] = b;
          } else if (kind === MARKUP) at = copyInto(out, at, b === 0x26 ? AMP : b === 0x3c ? LT : GT);
          else if (kind === CARRIAGE_RETURN) out[at++] = LF;
          // Any other control character is left out: XML cannot hold it.
        }
      }
      at = copyInto(out, at, CELL_CLOSE);
    }
    row++;
    return copyInto(out, at, ROW_CLOSE);
  };
  /** The rows of the complete lines `from`–`to` of `src` (`to` just after a line feed) into the scratch at `at`. */
  const rowsInto = (src: Buffer, from: number, to: number, at: number): number => {
    for (let start = from; start < to;) {
      const end = src.indexOf(LF, start);
      const most = (end - start) * MOST_PER_BYTE + types.length * CELL_MARKUP + 32;
      if (at + most > scratch.length) {
        const bigger = Buffer.allocUnsafe(Math.max(scratch.length * 2, at + most));
        scratch.copy(bigger, 0, 0, at);
        scratch = bigger;
      }
      at = rowInto(src, start, end, scratch, at);
      start = end + 1;
    }
    return at;
  };
  return {
    /**
     * The SpreadsheetML of the rows whose lines `chunk` completes (a line it begins waits for the
     * next chunk). The bytes are the writer's own and are written over by the next call: copy them,
     * or be done with them, before it.
     */
    push(chunk: Buffer): Buffer {
      let at = 0;
      let from = 0;
      if (rest) {
        const first = chunk.indexOf(LF);
        if (first < 0) {
          rest = Buffer.concat([rest, chunk]);
          return NO_BYTES;
        }
        const line = Buffer.concat([rest, chunk.subarray(0, first + 1)]);
        rest = null;
        at = rowsInto(line, 0, line.length, at);
        from = first + 1;
      }
      const last = chunk.lastIndexOf(LF);
      if (last >= from) at = rowsInto(chunk, from, last + 1, at);
      const after = Math.max(from, last + 1);
      if (after < chunk.length) rest = chunk.subarray(after);
      return at === 0 ? NO_BYTES : scratch.subarray(0, at);
    },
    /** Throws if the last chunk left a row unfinished. */
    end(): void {
      if (rest?.length) throw new Error('the sheet ended inside a row');
    },
  };
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
/** Style 0: plain; style 1: bold (the header row). */
const STYLES_XML =
  `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

/** One cell of row `r` as SpreadsheetML (nothing for an empty cell). */
function cellXml(ref: string, value: SheetCell, style: string): string {
  const v = xlsxValue(value);
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"${style}><v>${v}</v></c>` : '';
  if (typeof v === 'boolean') return `<c r="${ref}"${style} t="b"><v>${v ? 1 : 0}</v></c>`;
  return `<c r="${ref}"${style} t="str"><v>${xmlText(v)}</v></c>`;
}

/**
 * A streaming XLSX workbook written straight as SpreadsheetML into a zip (`createZipWriter`): each
 * sheet is an entry the zip deflates as rows arrive, so memory stays flat whatever the number of rows. Sheets
 * are written one after the other; the header row is bold. Strings are written as the cell's own
 * text (no shared-string table), numbers and booleans typed.
 *
 * This replaced exceljs's streaming writer for speed: building a row and cell objects, their style
 * and an XML tree for every cell was most of a full export's CPU (about four times the SQL).
 */
export function createXlsxWriter(out: Writable) {
  const zip = createZipWriter(out);
  const names: string[] = [];
  return {
    addSheet(name: string, columns: readonly SheetColumn[]): SheetSink {
      names.push(sheetName(name));
      const entry = zip.stream(`xl/worksheets/sheet${names.length}.xml`);
      const letters = columns.map((_, i) => columnLetters(i));
      let r = 1;
      const row = (cells: readonly SheetCell[], style: string) => {
        let xml = `<row r="${r}">`;
        for (let i = 0; i < cells.length; i++) xml += cellXml(`${letters[i] ?? columnLetters(i)}${r}`, cells[i]!, style);
        r++;
        return `${xml}</row>`;
      };
      const cols = columns
        .map(
          (c, i) =>
            `<col min="${i + 1}" max="${i + 1}" width="${c.width ?? Math.min(Math.max(c.header.length + 2, 12), 60)}" customWidth="1"/>`,
        )
        .join('');
      const head = entry.write(
        `${XML_HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0"/></sheetViews>` +
          `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>` +
          row(
            columns.map((c) => c.header),
            ' s="1"',
          ),
      );
      return {
        async addRows(rows) {
          await head;
          if (rows.length === 0) return;
          let xml = '';
          for (const cells of rows) xml += row(cells, '');
          await entry.write(xml);
        },
        async addXml(xml) {
          await head;
          await entry.write(xml);
        },
        async end() {
          await head;
          await entry.write(
            '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
          );
          await entry.end();
        },
      };
    },
    /** Writes the workbook's closing parts and ends `out`. */
    async finish() {
      const sheets = names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
      const sheetRels = names
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
        .join('');
      const overrides = names
        .map(
          (_, i) =>
            `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
        )
        .join('');
      await zip.buffer(
        Buffer.from(
          `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
            `${overrides}</Types>`,
        ),
        '[Content_Types].xml',
      );
      await zip.buffer(
        Buffer.from(
          `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
        ),
        '_rels/.rels',
      );
      await zip.buffer(
        Buffer.from(
          `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${sheets}</sheets></workbook>`,
        ),
        'xl/workbook.xml',
      );
      await zip.buffer(
        Buffer.from(
          `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}">${sheetRels}<Relationship Id="rId${names.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
        ),
        'xl/_rels/workbook.xml.rels',
      );
      await zip.buffer(Buffer.from(STYLES_XML), 'xl/styles.xml');
      const finished = once(out, 'finish');
      await zip.end();
      await finished;
    },
  };
}

/** A character that makes a CSV field need quotes: the delimiter, the quote, or a line end. */
const CSV_QUOTED = /[",\r\n]/;

/**
 * Rows as CSV text (RFC 4180): fields separated by commas, each record ended by CRLF, a field with a
 * comma, a quote or a line end quoted, its quotes doubled; the cells' text as `cellText` writes it.
 * Written here rather than by csv-stringify, whose per-field work for options the export does not
 * use was about a third of a CSV export's CPU, and which left a field with a bare line end unquoted
 * (ADR 0024); csv.test.ts beside it requires csv-stringify's text with every line end quoted.
 */
export function csvText(rows: readonly (readonly SheetCell[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const text = cellText(row[i]!);
      if (i > 0) out += ',';
      out += CSV_QUOTED.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    }
    out += '\r\n';
  }
  return out;
}

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
