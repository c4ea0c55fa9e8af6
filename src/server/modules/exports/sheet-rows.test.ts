import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createXlsxWriter, sheetRows, type SheetCellType } from './spreadsheet.js';

const TYPES: SheetCellType[] = ['text', 'int', 'bool', 'text', 'text'];

/** Lines as COPY's text format writes them: tabs between fields, \N for null, backslash escapes. */
const COPIED = [
  'é1\t42\ttrue\ta <b> & c\t\\N',
  '\\N\t-7\tfalse\tline\\r\\nend\\tand\\\\slash\\rcr\tx\u0001y',
  'last\t\\N\t\\N\t\tafter empties',
  'x\t\ttrue\t\tend',
].join('\n');

/**
 * Every chunking of the text in two, at each split point (the bytes of `é` included), and in three
 * around each stretch of a line, so that a line is finished only after a chunk that holds no line end.
 */
function* chunkings(bytes: Buffer): Generator<Buffer[]> {
  for (let at = 0; at <= bytes.length; at++) yield [bytes.subarray(0, at), bytes.subarray(at)];
  for (let from = 0; from < bytes.length; from++)
    for (let to = from + 1; to <= bytes.length && !bytes.subarray(from, to).includes(10); to++)
      yield [bytes.subarray(0, from), bytes.subarray(from, to), bytes.subarray(to)];
}

describe('a sheet’s rows from COPY’s text format', () => {
  it('writes the same SpreadsheetML wherever the chunks end, and only complete rows', () => {
    const bytes = Buffer.from(`${COPIED}\n`);
    const whole = sheetRows(TYPES);
    const expected = whole.push(bytes).toString('utf8');
    whole.end();
    expect(expected.match(/<row /g)).toHaveLength(4);
    for (const chunks of chunkings(bytes)) {
      const rows = sheetRows(TYPES);
      // Each call's bytes are written over by the next: copied as they come.
      expect(Buffer.concat(chunks.map((c) => Buffer.from(rows.push(c)))).toString('utf8')).toBe(expected);
      rows.end();
    }
    const unfinished = sheetRows(TYPES);
    unfinished.push(Buffer.from('no line end'));
    expect(() => unfinished.end()).toThrow();
  });

  it('reads back in a spreadsheet as the cells: typed, escaped, empty cells left empty and the next in its column', async () => {
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (b: Buffer) => parts.push(b));
    const book = createXlsxWriter(out);
    const sheet = book.addSheet(
      'Sheet',
      ['A', 'B', 'C', 'D', 'E'].map((h) => ({ key: h, header: h })),
    );
    const rows = sheetRows(TYPES);
    await sheet.addXml(rows.push(Buffer.from(`${COPIED}\n`)));
    await sheet.end();
    await book.finish();
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(Buffer.concat(parts) as unknown as ArrayBuffer);
    const ws = read.getWorksheet('Sheet')!;
    const cells = [2, 3, 4, 5].map((r) => [1, 2, 3, 4, 5].map((c) => ws.getRow(r).getCell(c).value ?? null));
    expect(cells).toEqual([
      ['é1', 42, true, 'a <b> & c', null],
      [null, -7, false, 'line\nend\tand\\slash\ncr', 'xy'],
      ['last', null, null, null, 'after empties'],
      ['x', null, true, null, 'end'],
    ]);
  });
});
