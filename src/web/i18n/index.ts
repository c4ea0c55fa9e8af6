/**
 * i18next set-up: English and French, the choice persisted in localStorage and mirrored on
 * `<html lang>`. Each language's messages are a chunk of their own, loaded when first needed (before
 * the first render, and when the reader switches): a page never carries both.
 */
import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from './types.js';

/**
 * Each language's messages, by namespace: `translation` (every page) and `audit` (the audit log's
 * words for actions, records, fields and system actors, loaded by the pages that show audit events,
 * so the sign-in page does not carry them).
 */
const MESSAGES: Record<string, Record<Language, () => Promise<ResourceKey>>> = {
  translation: {
    en: () => import('./en-core.js').then((m) => m.enCore),
    fr: () => import('./fr-core.js').then((m) => m.frCore),
  },
  audit: {
    en: () => import('../../contracts/i18n/audit-en.js').then((m) => m.auditEn),
    fr: () => import('../../contracts/i18n/audit-fr.js').then((m) => m.auditFr),
  },
};

/**
 * The messages of every page but the sign-in page (the pages behind sign-in, the public pages), part
 * of `translation`: a chunk of their own per language, so the first page a visitor loads stays within
 * its script budget. Loaded before any other route renders (`loadPageMessages`, from the router).
 */
const PAGE_MESSAGES: Record<Language, () => Promise<ResourceKey>> = {
  en: () => import('./en-pages.js').then((m) => m.enPages),
  fr: () => import('./fr-pages.js').then((m) => m.frPages),
};
/** Once the page messages are wanted, a language switch loads them with the rest of `translation`. */
let pageMessagesWanted = false;
const pageMessagesLoaded = new Set<string>();

/** Loads the page messages of the current language into `translation` (once per language). */
export async function loadPageMessages(): Promise<void> {
  pageMessagesWanted = true;
  const language = i18n.language;
  if (!isLanguage(language) || pageMessagesLoaded.has(language)) return;
  i18n.addResourceBundle(language, 'translation', await PAGE_MESSAGES[language](), true, true);
  pageMessagesLoaded.add(language);
}

/** Reads a language's messages from its chunk (i18next calls it before switching to the language). */
const chunkBackend: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = isLanguage(language) ? MESSAGES[namespace]?.[language] : undefined;
    if (!load) return done(null, {});
    const pages = namespace === 'translation' && pageMessagesWanted && isLanguage(language) ? PAGE_MESSAGES[language] : undefined;
    Promise.all([load(), pages ? pages() : {}])
      .then(([messages, more]) => {
        if (pages) pageMessagesLoaded.add(language);
        return { ...(messages as object), ...(more as object) } as ResourceKey;
      })
      .then(
      (messages) => done(null, messages),
      (err: unknown) => done(err instanceof Error ? err.message : String(err), false),
    );
  },
};

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

/** Initialises i18next once, with the reader's language loaded; await it before rendering. */
export async function setUpI18n(): Promise<typeof i18n> {
  await i18n
    .use(chunkBackend)
    .use(initReactI18next)
    .init({
      lng: initialLanguage(),
      ns: ['translation'],
      defaultNS: 'translation',
      // Every key exists in both languages (checked by the compiler and i18n.test.ts): no fallback to
      // load beside the reader's own.
      fallbackLng: false,
      supportedLngs: [...LANGUAGES],
      interpolation: { escapeValue: false },
      returnNull: false,
      react: { useSuspense: false },
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
