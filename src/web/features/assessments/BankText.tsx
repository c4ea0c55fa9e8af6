/**
 * Text of the master bank (template titles, sections, questions, guidance, choices, pre-answers),
 * written in English and Canadian French: declared in the language it is shown in, so that screen
 * readers pronounce it right (WCAG 3.1.2) — French for a French reader, English where the bank gives
 * only English (a change log, a name) — and marked as bank content. What an institution wrote is its
 * own and carries no language of ours (`origin` institution, or `lang` null).
 */
import type { ReactNode } from 'react';
import type { TFunction } from 'i18next';
import type { Language } from '../../i18n/types.js';
import type { BankQuestionBody } from '../../../contracts/assessments.js';

/** `englishOnly`: bank data the bank holds in English alone (a version's change log). */
export function BankText({ origin = 'operator', lang = 'en', englishOnly = false, children }: { origin?: 'operator' | 'institution'; lang?: Language | null; englishOnly?: boolean; children: ReactNode }) {
  return origin === 'operator' && lang ? (
    <span lang={englishOnly ? 'en' : lang} data-bank-content="" {...(englishOnly ? { 'data-english-only': '' } : {})}>
      {children}
    </span>
  ) : (
    <>{children}</>
  );
}

/** The words of a bank question in the reader's language: prompt, choice and column labels, and the pre-answer. */
export function bankQuestionIn(q: BankQuestionBody, reader: Language): BankQuestionBody & { lang: Language } {
  const fr = reader === 'fr' ? q.fr : null;
  if (!fr) return { ...q, lang: 'en' };
  return {
    ...q,
    lang: 'fr',
    prompt: fr.prompt || q.prompt,
    guidance: fr.guidance || q.guidance,
    options: {
      ...(q.options.choices ? { choices: q.options.choices.map((c) => ({ value: c.value, label: fr.choices[c.value] || c.label })) } : {}),
      ...(q.options.columns ? { columns: q.options.columns.map((c) => ({ key: c.key, label: fr.columns[c.key] || c.label })) } : {}),
    },
    preAnswer: fr.preAnswer !== undefined && fr.preAnswer !== null ? fr.preAnswer : q.preAnswer,
  };
}

/** A bank text in the reader's language: its French for a French reader when the bank has it, else its English. */
export function inLanguage(english: string, french: string | undefined | null, reader: Language): { text: string; lang: Language } {
  return reader === 'fr' && french ? { text: french, lang: 'fr' } : { text: english, lang: 'en' };
}

/**
 * An assessment's title in the reader's language when it is the one the service gave it (stored in
 * English, as the PDF reads it: see print-text.ts); a title someone typed is shown as typed.
 */
export function assessmentTitle(a: { title: string; appName: string }, t: TFunction): string {
  return a.title === `Privacy impact assessment: ${a.appName}` ? t('assessments.defaultTitle', { app: a.appName }) : a.title;
}
