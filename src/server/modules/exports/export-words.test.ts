import { describe, expect, it } from 'vitest';
import { auditEn } from '../../../contracts/i18n/audit-en.js';
import { auditFr } from '../../../contracts/i18n/audit-fr.js';
import type { ExportEntity } from './export-entities.js';
import { entityLayout } from './export-words.js';

/** A sheet of coded columns whose trees share a code ("DE" is a country, and no status), one of them nested (audit actions). */
const entity: ExportEntity = {
  name: 'Sheet',
  file: 'sheet',
  columns: [
    { key: 'country', header: 'Country', codes: 'country' },
    { key: 'status', header: 'Status', codes: 'status' },
    { key: 'action', header: 'Action', codes: 'auditAction' },
    { key: 'role', header: 'Role', codes: 'role' },
    { key: 'note', header: 'Note' },
  ],
  cellTypes: [],
  count: () => Promise.reject(new Error('not read')),
  rowsQuery: () => {
    throw new Error('not read');
  },
  pageEnd: () => Promise.reject(new Error('not read')),
};

describe('the words of coded columns', () => {
  it('are given by column tree and code, in the reader’s language, each coded column followed by its codes', () => {
    for (const language of ['en', 'fr'] as const) {
      const layout = entityLayout(entity, language);
      expect(layout.columns.map((c) => c.key)).toEqual([
        'country',
        'country:code',
        'status',
        'status:code',
        'action',
        'action:code',
        'role',
        'role:code',
        'note',
      ]);
      expect(layout.columns[1]!.header).toContain(layout.columns[0]!.header);
      expect(layout.columns[1]!.header).not.toBe(layout.columns[0]!.header);
      expect(Object.keys(layout.words).sort()).toEqual(['auditAction', 'country', 'role', 'status']);
      expect(layout.words.country!.DE).toBe(language === 'en' ? 'Germany' : 'Allemagne');
      expect(layout.words.country!.CA).toBe('Canada');
      expect(layout.words.status!.DE).toBeUndefined();
      // Nested trees by their dotted codes, as the audit log stores them; the system named as an actor is.
      expect(layout.words.auditAction!['export.create']).toBe((language === 'en' ? auditEn : auditFr).auditAction.export.create);
      expect(layout.words.role!.system).toBe((language === 'en' ? auditEn : auditFr).auditActor.system);
    }
  });
});
