/**
 * The common-password list: the 49,000-odd most common passwords of `@zxcvbn-ts/language-common`
 * (MIT licence, notice in THIRD_PARTY_NOTICES.md), plus words of this product's domain. Built into a
 * Set once, on first use. Compared after folding case, leetspeak and surrounding digits/symbols (see
 * password-policy.ts), so `Password123!` matches `password`. The list is loaded with the Set, on the
 * first password checked: it adds 14 MB to a start otherwise.
 */
import { createRequire } from 'node:module';
import type * as LanguageCommon from '@zxcvbn-ts/language-common';

const require = createRequire(import.meta.url);

/** The product's name: refused anywhere inside a password, like the person's and institution's names. */
export const PRODUCT_WORDS: readonly string[] = ['vetted'];

/** Words of school privacy work, refused as a whole password (after folding), not inside a phrase. */
export const DOMAIN_WORDS: readonly string[] = [
  'vetted',
  'privacy',
  'school',
  'school123',
  'teacher',
  'student',
  'classroom',
  'principal',
  'district',
  'education',
  'schoolboard',
  'learning',
  'canada',
  'ontario',
  'quebec',
  'britishcolumbia',
  'alberta',
  'manitoba',
  'saskatchewan',
  'novascotia',
  'newbrunswick',
  'newfoundland',
];

let common: ReadonlySet<string> | undefined;

/** Every common password, lower case. */
export function commonPasswords(): ReadonlySet<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as typeof LanguageCommon;
    common = new Set([...dictionary['passwords-common'], ...DOMAIN_WORDS].map((p) => p.toLowerCase()));
  }
  return common;
}
