import { describe, expect, it } from 'vitest';
import { tableRowsFromText, tableRowsText } from './describe-answer.js';

const columns = [{ key: 'purpose' }, { key: 'retention' }];

describe('a table answer written as text', () => {
  it('reads back the rows it was written from', () => {
    const rows = [
      { purpose: 'Reading practice', retention: '1 year' },
      { purpose: 'Reports', retention: '' },
    ];
    const text = tableRowsText(rows, columns);
    expect(text).toBe('Reading practice | 1 year\nReports | ');
    expect(tableRowsFromText(text, columns)).toEqual(rows);
  });

  it('leaves out blank lines and cells past the last column, and trims each cell', () => {
    expect(tableRowsFromText('  Grades |  2 years | extra \n\n   \nOnly purpose', columns)).toEqual([
      { purpose: 'Grades', retention: '2 years' },
      { purpose: 'Only purpose' },
    ]);
  });
});
