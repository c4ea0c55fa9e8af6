/** Labels of catalog codes that arrive as plain strings from the API (unknown codes shown as-is). */
import type { TFunction } from 'i18next';
import {
  APP_CATEGORIES,
  DATA_ELEMENT_CODES,
  SIGN_IN_SUPPORT,
  type AppCategory,
  type DataElement,
  type SignInSupport,
} from '../../../contracts/domain.js';

const has = (list: readonly string[], value: string) => list.includes(value);

export function categoryLabel(t: TFunction, code: string): string {
  return has(APP_CATEGORIES, code) ? t(`category.${code as AppCategory}`) : code;
}

export function signInLabel(t: TFunction, code: string): string {
  return has(SIGN_IN_SUPPORT, code) ? t(`signInSupport.${code as SignInSupport}`) : code;
}

export function dataElementLabel(t: TFunction, code: string): string {
  return has(DATA_ELEMENT_CODES, code) ? t(`dataElement.${code as DataElement}`) : code;
}
