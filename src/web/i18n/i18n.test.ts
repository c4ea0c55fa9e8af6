import { describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES } from '../../contracts/api.js';
import {
  AGREEMENT_TYPES,
  APP_CATEGORIES,
  AUDIENCES,
  DATA_ELEMENT_CODES,
  GRADE_LEVELS,
  INSTITUTION_KINDS,
  INVENTORY_STATUSES,
  ROLES,
  SIGN_IN_SUPPORT,
} from '../../contracts/domain.js';
import { DATA_ELEMENT_GROUPS } from '../lib/dataElementGroups.js';
import { en } from './en.js';
import { fr } from './fr.js';

/** Every leaf key of a message tree, as dotted paths. */
function leafKeys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'object' && value !== null ? leafKeys(value as object, path) : [path];
  });
}

function leaves(tree: object): unknown[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'object' && v !== null ? leaves(v as object) : [v]));
}

describe('translations', () => {
  it('English and French have exactly the same keys', () => {
    expect(leafKeys(fr).sort()).toEqual(leafKeys(en).sort());
  });

  it('every message is a non-empty string', () => {
    for (const tree of [en, fr]) {
      for (const value of leaves(tree)) {
        expect(typeof value).toBe('string');
        expect((value as string).trim()).not.toBe('');
      }
    }
  });

  it('uses the same interpolation variables in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort();
    const frKeys = new Map(leafKeys(fr).map((k) => [k, k]));
    for (const key of leafKeys(en)) {
      expect(frKeys.has(key)).toBe(true);
      const get = (tree: object) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], tree) as string;
      expect(vars(get(fr)), key).toEqual(vars(get(en)));
    }
  });

  it('has a message for every field error code of the API, and none for a code the API does not send', () => {
    expect(Object.keys(en.errors.field).sort()).toEqual([...FIELD_ERROR_CODES].sort());
  });

  it('labels every domain constant', () => {
    const cases: [Record<string, string>, readonly string[]][] = [
      [en.grade, GRADE_LEVELS],
      [en.gradeShort, GRADE_LEVELS],
      [en.status, INVENTORY_STATUSES],
      [en.transition, INVENTORY_STATUSES],
      [en.audience, AUDIENCES],
      [en.dataElement, DATA_ELEMENT_CODES],
      [en.category, APP_CATEGORIES],
      [en.agreementType, AGREEMENT_TYPES],
      [en.signInSupport, SIGN_IN_SUPPORT],
      [en.role, ROLES],
      [en.kind, INSTITUTION_KINDS],
    ];
    for (const [labels, codes] of cases) expect(Object.keys(labels).sort()).toEqual([...codes].sort());
  });

  it('keeps the English names the end-to-end tests rely on', () => {
    expect(en.grade['3']).toBe('Grade 3');
    expect(en.dataElement.email).toBe('Email');
    expect(en.dataElement.name).toBe('Name');
    expect(en.signIn.email).toBe('Email');
    expect(en.signIn.password).toBe('Password');
    expect(en.signIn.submit).toBe('Sign in');
    expect(en.inventory.add).toBe('Add app');
    expect(en.item.custom).toBe('Custom app');
    expect(en.common.save).toBe('Save');
    expect(fr.audience.students).toBe('Élèves');
    expect(fr.audience.parents).toBe('Parents/tuteurs');
    expect(fr.status.approved_with_conditions).toBe('Approuvée sous conditions');
  });
});

describe('data element groups', () => {
  it('put every data element in exactly one group', () => {
    const grouped = DATA_ELEMENT_GROUPS.flatMap((g) => [...g.elements]);
    expect(grouped.sort()).toEqual([...DATA_ELEMENT_CODES].sort());
    expect(Object.keys(en.dataElementGroup).sort()).toEqual(DATA_ELEMENT_GROUPS.map((g) => g.key).sort());
  });
});
