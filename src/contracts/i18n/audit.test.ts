import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_RECORD_TYPES, SYSTEM_ACTORS } from '../audit.js';
import { auditEn } from './audit-en.js';
import { auditFr } from './audit-fr.js';
import { lookupMessage } from './report-labels.js';

/** The dotted paths of every string in a message tree. */
function leaves(tree: unknown, prefix = ''): string[] {
  if (typeof tree === 'string') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('the audit log in words', () => {
  for (const [language, messages] of [
    ['en', auditEn],
    ['fr', auditFr],
  ] as const) {
    it(`names every action and kind of record in ${language}, and nothing else`, () => {
      expect(AUDIT_ACTIONS.filter((a) => !lookupMessage(messages, `auditAction.${a}`))).toEqual([]);
      expect(AUDIT_RECORD_TYPES.filter((r) => !lookupMessage(messages, `auditRecordType.${r}`))).toEqual([]);
      expect(leaves(messages.auditAction).sort()).toEqual([...AUDIT_ACTIONS].sort());
      expect(Object.keys(messages.auditRecordType).sort()).toEqual([...AUDIT_RECORD_TYPES].sort());
      expect(Object.keys(messages.auditActor.name).sort()).toEqual([...SYSTEM_ACTORS].sort());
    });
  }

  it('gives each action words of its own', () => {
    for (const messages of [auditEn, auditFr]) {
      const words = AUDIT_ACTIONS.map((a) => lookupMessage(messages, `auditAction.${a}`));
      expect(new Set(words).size).toBe(words.length);
    }
  });
});
