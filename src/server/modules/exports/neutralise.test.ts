import { describe, expect, it } from 'vitest';
import { cellText, neutraliseText, xlsxValue } from './spreadsheet.js';

describe('formula neutralisation of export cells', () => {
  it('prefixes with an apostrophe text that a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(neutraliseText(`${start}HYPERLINK("http://x")`), JSON.stringify(start)).toBe(`'${start}HYPERLINK("http://x")`);
    }
  });

  it('leaves every other text alone, formula characters inside included', () => {
    for (const text of ['', 'Google Classroom', ' =1+1', "'=already", '1-2', 'a@b.example', '\n=1', '(=1)']) {
      expect(neutraliseText(text), JSON.stringify(text)).toBe(text);
    }
  });

  it('writes CSV cell text: nothing for null, numbers and booleans as such, lists joined and neutralised', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(0)).toBe('0');
    expect(cellText(-3)).toBe('-3');
    expect(cellText(false)).toBe('false');
    expect(cellText('=1+1')).toBe("'=1+1");
    expect(cellText(['=cmd', 'b'])).toBe("'=cmd; b");
    expect(cellText(['a', '=cmd'])).toBe('a; =cmd');
    expect(cellText([])).toBe('');
  });

  it('types XLSX cells, neutralises text and writes line ends as line feeds', () => {
    expect(xlsxValue(null)).toBeNull();
    expect(xlsxValue(-3)).toBe(-3);
    expect(xlsxValue(true)).toBe(true);
    expect(xlsxValue('-3')).toBe("'-3");
    expect(xlsxValue(['@SUM(A1)'])).toBe("'@SUM(A1)");
    expect(xlsxValue('\r=1')).toBe("'\n=1");
    expect(xlsxValue('a\r\nb\rc\nd')).toBe('a\nb\nc\nd');
    expect(xlsxValue('plain')).toBe('plain');
  });
});
