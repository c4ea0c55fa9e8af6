/**
 * i18next set-up: English and French, the choice persisted in localStorage and mirrored on
 * `<html lang>`.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { fr } from './fr.js';
import { LANGUAGES, type Language } from './types.js';

const STORAGE_KEY = 'vetted.language';

function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage unavailable (private mode): fall through to the browser language
  }
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

function applyLanguage(lng: string): void {
  document.documentElement.lang = lng;
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // not persisted; still switched for this page
  }
}

/** Initialises i18next once; call before rendering. */
export function setUpI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, fr: { translation: fr } },
    lng: initialLanguage(),
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  applyLanguage(i18n.language);
  i18n.on('languageChanged', applyLanguage);
  return i18n;
}

/** True when this browser holds an explicit choice (which wins over the account's). */
export function hasStoredLanguage(): boolean {
  try {
    return isLanguage(window.localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

/** The current language as one of ours. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}
