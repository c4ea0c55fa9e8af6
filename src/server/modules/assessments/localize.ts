/**
 * The master bank is written in English and Canadian French (docs/adr/0013-bilingual-bank.md): an
 * adopted copy keeps both languages of its bank text, and is read in the reader's. The institution's
 * own sections and questions, and every answer the institution wrote, stay as written. Pure functions.
 */
import type { BankQuestionFr, BankSectionFr, QuestionKind, QuestionOptions } from '../../../contracts/assessments.js';
import type { Language } from '../../../contracts/domain.js';
import type { RevisionContent } from './assessments.repo.js';

/** Kinds whose answer holds words (and so whose pre-answer has a French); other kinds' answers are values. */
export const TEXT_PRE_ANSWER_KINDS: readonly QuestionKind[] = ['short_text', 'long_text', 'table_rows', 'evidence_link', 'risk'];

/** Whether a pre-answer of `kind` holds words a reader reads (a French is then required to publish). */
export function hasWords(kind: QuestionKind, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (kind) {
    case 'short_text':
    case 'long_text':
      return typeof value === 'string' && value.trim() !== '';
    case 'table_rows':
      return Array.isArray(value) && value.length > 0;
    case 'evidence_link':
      return typeof (value as { label?: unknown }).label === 'string' && (value as { label: string }).label.trim() !== '';
    case 'risk':
      return typeof (value as { note?: unknown }).note === 'string' && (value as { note: string }).note.trim() !== '';
    default:
      return false;
  }
}

/** The language a bank-origin text is shown in: French when the reader reads French and the bank gave it; else English. Null for the institution's own. */
export function textLanguage(origin: string, fr: unknown, reader: Language): Language | null {
  if (origin !== 'operator') return null;
  return reader === 'fr' && fr ? 'fr' : 'en';
}

/** A question's choice and column labels in French, each falling back to its English. */
export function frenchOptions(options: QuestionOptions, fr: BankQuestionFr): QuestionOptions {
  return {
    ...(options.choices ? { choices: options.choices.map((c) => ({ value: c.value, label: fr.choices?.[c.value] || c.label })) } : {}),
    ...(options.columns ? { columns: options.columns.map((c) => ({ key: c.key, label: fr.columns?.[c.key] || c.label })) } : {}),
  };
}

/** A bank question's text in French (each part falling back to its English). */
export function frenchQuestion<Q extends { prompt: string; guidance: string; options: unknown }>(q: Q, fr: BankQuestionFr): Q {
  return {
    ...q,
    prompt: fr.prompt || q.prompt,
    guidance: fr.guidance || q.guidance,
    options: frenchOptions((q.options ?? {}) as QuestionOptions, fr),
  };
}

export function frenchSection<S extends { title: string; description: string }>(s: S, fr: BankSectionFr): S {
  return { ...s, title: fr.title || s.title, description: fr.description || s.description };
}

/**
 * A revision's content in the reader's language: the bank text of operator sections and questions in
 * French for a French reader, and the operator's text pre-answer while it is still the operator's.
 * English readers, and the institution's own text and answers, are given the content unchanged.
 */
export function localizeRevision(c: RevisionContent, reader: Language): RevisionContent {
  if (reader !== 'fr') return c;
  return {
    ...c,
    sections: c.sections.map((s) => {
      const section = s.origin === 'operator' && s.fr ? frenchSection(s, s.fr) : s;
      return {
        ...section,
        questions: s.questions.map((q) => {
          if (q.origin !== 'operator' || !q.fr) return q;
          const fr = q.fr;
          const translated = frenchQuestion(q, fr);
          const answer =
            q.answer &&
            q.answer.origin === 'operator' &&
            TEXT_PRE_ANSWER_KINDS.includes(q.kind as QuestionKind) &&
            fr.preAnswer !== undefined &&
            fr.preAnswer !== null
              ? { ...q.answer, value: fr.preAnswer }
              : q.answer;
          return { ...translated, answer };
        }),
      };
    }),
  };
}

/** Where the French of a merge's bank text is found: a version's or a revision's sections and questions. */
interface FrenchSource {
  sections: readonly { title: string; fr?: BankSectionFr | null; questions: readonly { key: string; fr?: BankQuestionFr | null }[] }[];
}

/** A question definition of a merge facet in French (each part falling back to its English). */
function frenchDefinition(d: unknown): unknown {
  if (!d || typeof d !== 'object' || !('prompt' in d)) return d;
  const def = d as { prompt: string; guidance: string; options: unknown; fr?: BankQuestionFr | null };
  return def.fr ? frenchQuestion(def, def.fr) : d;
}

/**
 * A merge's changes in the reader's language: for a French reader, each change's prompt and section
 * title, and the wording on each side, in the bank's French (from the first side that has it);
 * answers stay as they are. English readers get the changes unchanged.
 */
export function localizeMergeChanges<
  C extends { key: string; prompt: string; sectionTitle: string; definition: { base: unknown; theirs: unknown; ours: unknown } },
>(changes: C[], reader: Language, sources: readonly (FrenchSource | null)[]): C[] {
  if (reader !== 'fr') return changes;
  const found = new Map<string, { prompt: string; section: string }>();
  for (const source of sources)
    for (const s of source?.sections ?? [])
      for (const q of s.questions)
        if (!found.has(q.key) && q.fr?.prompt) found.set(q.key, { prompt: q.fr.prompt, section: s.fr?.title || s.title });
  return changes.map((c) => {
    const fr = found.get(c.key);
    return {
      ...c,
      prompt: fr?.prompt ?? c.prompt,
      sectionTitle: fr?.section ?? c.sectionTitle,
      definition: {
        ...c.definition,
        base: frenchDefinition(c.definition.base),
        theirs: frenchDefinition(c.definition.theirs),
        ours: frenchDefinition(c.definition.ours),
      },
    };
  });
}
