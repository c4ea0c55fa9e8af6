import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, csvText, type SheetCell } from './spreadsheet.js';

/**
 * What csv-stringify writes for the same cells, CRLF after each record and every line end in a
 * field quoted. (The export used it with `record_delimiter: 'windows'` alone, with which it leaves a
 * field holding a bare LF or CR unquoted: a spreadsheet then reads that field as two rows.)
 */
const reference = (rows: readonly (readonly SheetCell[])[]) =>
  stringify(
    rows.map((r) => r.map(cellText)),
    { record_delimiter: 'windows', quote_record_delimiter: true },
  );

// Text with the characters CSV gives a meaning to, and those a spreadsheet reads as a formula's start.
const tricky = fc.string({
  unit: fc.constantFrom('a', 'é', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', "'", ';', '😀'),
  maxLength: 12,
});
const cell: fc.Arbitrary<SheetCell> = fc.oneof(
  tricky,
  fc.string(),
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(tricky, { maxLength: 3 }),
);
const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 });

describe('CSV text of export rows', () => {
  it('is the text csv-stringify writes for the same cells, line ends in a field quoted', () => {
    fc.assert(
      fc.property(rows, (r) => {
        expect(csvText(r)).toBe(reference(r));
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes what needs it, doubles quotes, ends each record with CRLF and leaves the rest bare', () => {
    expect(csvText([['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', '', null, 3, true, ['x', 'y']]])).toBe(
      'plain,"a,b","say ""hi""","two\nlines","cr\r",,,3,true,x; y\r\n',
    );
    expect(csvText([['=1+1', '-2', "'kept"], [-2]])).toBe("'=1+1,'-2,'kept\r\n-2\r\n");
    expect(csvText([])).toBe('');
  });

  it('reads back, with a CSV parser, as the cells’ text', () => {
    fc.assert(
      fc.property(rows, (r) => {
        const text = csvText(r);
        // Any line end outside quotes ends a record, as spreadsheets read CSV: a bare LF or CR in an
        // unquoted field would split its row.
        const back = r.length ? (parse(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][]) : [];
        expect(back).toEqual(r.map((row) => row.map(cellText)));
      }),
      { numRuns: 1000 },
    );
  });
});
