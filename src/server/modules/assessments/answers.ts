/**
 * Answer values: one shape per question kind, checked against the question's own choices and
 * columns, and the conditions that show a question only when an earlier answer matches.
 */
import { answerValueSchemas, type Condition, type QuestionKind, type QuestionOptions } from '../../../contracts/assessments.js';
import type { FieldProblem } from '../../platform/errors.js';

export type AnswerCheck = { ok: true; value: unknown } | ({ ok: false } & FieldProblem);

const KIND_LABEL: Record<QuestionKind, string> = {
  yes_no_unsure: '"yes", "no" or "unsure"',
  single_choice: 'one of the choices',
  multiple_choice: 'a list of choices',
  short_text: 'a short text (up to 500 characters)',
  long_text: 'a text (up to 20,000 characters)',
  date: 'a date (YYYY-MM-DD)',
  country_list: 'a list of two-letter country codes',
  data_elements: 'a list of data elements',
  table_rows: 'a list of table rows',
  evidence_link: 'a link ({ url, label })',
  risk: 'a likelihood and an impact from 1 to 5',
};

/** Checks `value` against a question; null clears the answer. */
export function checkAnswer(kind: QuestionKind, options: QuestionOptions, value: unknown): AnswerCheck {
  if (value === null) return { ok: true, value: null };
  const parsed = answerValueSchemas[kind].safeParse(value);
  if (!parsed.success) return { ok: false, code: 'answer_shape', message: `must be ${KIND_LABEL[kind]}`, params: { kind } };
  const v = parsed.data as unknown;
  const choices = new Set((options.choices ?? []).map((c) => c.value));
  if (kind === 'single_choice' && !choices.has(v as string)) return { ok: false, code: 'answer_not_a_choice', message: 'must be one of the choices of this question' };
  if (kind === 'multiple_choice' && !(v as string[]).every((c) => choices.has(c))) return { ok: false, code: 'answer_not_choices', message: 'must only hold choices of this question' };
  if (kind === 'table_rows') {
    const columns = new Set((options.columns ?? []).map((c) => c.key));
    for (const row of v as Record<string, string>[]) {
      const unknown = Object.keys(row).find((k) => !columns.has(k));
      if (unknown) return { ok: false, code: 'answer_unknown_column', message: `has a column "${unknown}" this table does not have`, params: { column: unknown } };
    }
  }
  return { ok: true, value: v };
}

/** Checks the definition of a question: choice kinds need choices, tables need columns. */
export function definitionProblem(kind: QuestionKind, options: QuestionOptions): FieldProblem | null {
  if ((kind === 'single_choice' || kind === 'multiple_choice') && !(options.choices ?? []).length) return { code: 'choices_required', message: 'a choice question needs at least one choice' };
  if (kind === 'table_rows' && !(options.columns ?? []).length) return { code: 'columns_required', message: 'a table question needs at least one column' };
  return null;
}

/** Whether a question with `condition` is shown, given the answers by question key. */
export function isShown(condition: Condition | null, answersByKey: ReadonlyMap<string, unknown>): boolean {
  if (!condition) return true;
  const answer = answersByKey.get(condition.questionKey);
  if (answer === null || answer === undefined) return false;
  if (Array.isArray(answer)) return answer.some((a) => condition.anyOf.includes(String(a)));
  return condition.anyOf.includes(String(answer));
}

/** Whether an answer counts as given (for required questions). */
export function isAnswered(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}
