import { describe, expect, it } from 'vitest';
import type { ExportEntity } from './export-entities.js';
import { entityLayout } from './export-words.js';

/** A sheet of two coded columns whose trees share a code: "DE" is a country, and no status. */
const entity: ExportEntity = {
  name: 'Sheet',
  file: 'sheet',
  columns: [
    { key: 'country', header: 'Country', codes: 'country' },
    { key: 'status', header: 'Status', codes: 'status' },
  ],
  count: () => Promise.reject(new Error('not read')),
  page: () => Promise.reject(new Error('not read')),
  statement: () => {
    throw new Error('not read');
  },
  cells: () => {
    throw new Error('not read');
  },
};

describe('the words of coded columns', () => {
  it('are looked up by column tree and code, in the reader’s language, on every row', () => {
    for (const language of ['en', 'fr'] as const) {
      const rows = entityLayout(entity, language).rows([
        ['DE', 'DE'],
        ['DE', 'DE'],
        ['CA', 'DE'],
      ]);
      const germany = language === 'en' ? 'Germany' : 'Allemagne';
      expect(rows).toEqual([
        [germany, 'DE', 'DE', 'DE'],
        [germany, 'DE', 'DE', 'DE'],
        ['Canada', 'CA', 'DE', 'DE'],
      ]);
    }
  });
});
