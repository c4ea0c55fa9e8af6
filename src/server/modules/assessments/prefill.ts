/**
 * A new PIA starts from what its inventory item already records: purpose, grades, audiences, data
 * elements and, from the catalog app, the countries where data is stored. One mapping, used by every
 * way a PIA is created (adoption from the inventory, a staff request accepted into review).
 */
import type { QuestionKind, QuestionOptions } from '../../../contracts/assessments.js';
import { checkAnswer } from './answers.js';
import type { insertAnswers, insertQuestions } from './assessments.repo.js';

/** The facts of an inventory item a PIA asks about. */
export interface ItemFacts {
  purpose: string;
  grades: readonly string[];
  audiences: readonly string[];
  dataElements: readonly string[];
  storageCountries: readonly string[];
}

/** The question each fact answers (the master bank's keys), with the fact in that question's shape. */
function prefillAnswers(facts: ItemFacts): [string, unknown][] {
  return [
    ['b.purpose', facts.purpose.trim()],
    ['b.grades', facts.grades.map((g) => g.toLowerCase())],
    ['b.audiences', [...facts.audiences]],
    ['c.data_elements', [...facts.dataElements]],
    ['f.storage_countries', [...facts.storageCountries]],
  ];
}

type QuestionRows = Parameters<typeof insertQuestions>[2];
type AnswerRows = Parameters<typeof insertAnswers>[2];

/**
 * Fills the answers of a new revision's rows (before they are written) from the item's facts: each
 * fact the item records, where the bank's question exists and takes that shape. The institution's
 * own facts about its item win over a bank pre-answer to these factual questions (the bank's is
 * generic, the item's is what the institution recorded); a fact the item does not record leaves the
 * question as the bank left it. A question the operator locked keeps the bank's answer: the
 * institution cannot change it by hand either. Returns the keys filled, for the audit event.
 */
export function prefillFromItem(
  rows: { questions: QuestionRows; answers: AnswerRows },
  revisionId: string,
  facts: ItemFacts,
  updatedBy: string | null,
): string[] {
  const byKey = new Map(rows.questions.filter((q) => q.origin === 'operator').map((q) => [q.key, q]));
  const filled: string[] = [];
  for (const [key, value] of prefillAnswers(facts)) {
    const q = byKey.get(key);
    if (!q || q.locked || (Array.isArray(value) ? !value.length : !value)) continue;
    const check = checkAnswer(q.kind as QuestionKind, (q.options ?? {}) as QuestionOptions, value);
    if (!check.ok) continue;
    const answer: AnswerRows[number] = { questionId: q.id, revisionId, value: check.value, origin: 'institution', updatedBy, version: 1 };
    const at = rows.answers.findIndex((a) => a.questionId === q.id);
    if (at >= 0) rows.answers[at] = answer;
    else rows.answers.push(answer);
    filled.push(key);
  }
  return filled;
}
