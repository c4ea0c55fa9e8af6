/** An answer in words, as a reader reads it: shared by the answer editor, its conflicts and the merge page. */
import type { TFunction } from 'i18next';
import type { AssessmentQuestionBody, ProvenanceBody } from '../../../contracts/assessments.js';
import type { DATA_ELEMENT_CODES } from '../../../contracts/domain.js';

/** An answer in words, as a reader reads it (choice labels, yes/no in the interface's language). */
export function describeAnswer(question: Pick<AssessmentQuestionBody, 'kind' | 'options'>, value: unknown, t: TFunction): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return t('assessments.answer.none');
  const choiceLabel = (v: string) => question.options.choices?.find((c) => c.value === v)?.label ?? v;
  switch (question.kind) {
    case 'yes_no_unsure':
      return t(`assessments.answer.${value as 'yes' | 'no' | 'unsure'}`);
    case 'single_choice':
      return choiceLabel(value as string);
    case 'multiple_choice': {
      // In the order the question lists its choices, whatever order they were ticked in.
      const order = (v: string) => question.options.choices?.findIndex((c) => c.value === v) ?? -1;
      return [...(value as string[])]
        .sort((a, b) => order(a) - order(b))
        .map(choiceLabel)
        .join(', ');
    }
    case 'data_elements':
      return (value as (typeof DATA_ELEMENT_CODES)[number][]).map((c) => t(`dataElement.${c}`)).join(', ');
    case 'country_list':
      return (value as string[]).join(', ');
    case 'evidence_link':
      return (value as { url: string }).url;
    case 'risk': {
      const r = value as { likelihood: number; impact: number };
      return `${t('assessments.answer.likelihood')} ${r.likelihood} · ${t('assessments.answer.impact')} ${r.impact}`;
    }
    case 'table_rows':
      return (value as Record<string, string>[]).map((row) => Object.values(row).join(' | ')).join(' / ');
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/**
 * Where a vendor's answer comes from: "Answered by the vendor on <day>, reviewed by the operator on
 * <day>", the days formatted for the reader's language by `date`; the undated wording when the
 * answer carries no days (an answer published before they were kept, or an institution's review).
 */
export function describeVendorProvenance(
  provenance: ProvenanceBody | null | undefined,
  t: TFunction,
  date: (day: string) => string,
): string {
  if (!provenance?.vendorAnsweredOn || !provenance.reviewedOn) return t('assessments.answeredByVendor');
  return t('assessments.answeredByVendorOn', { answered: date(provenance.vendorAnsweredOn), reviewed: date(provenance.reviewedOn) });
}

/** A table answer's rows written as text: a line a row, its cells in the columns' order between `|`. */
export function tableRowsText(rows: Record<string, string>[], columns: readonly { key: string }[]): string {
  return rows.map((r) => columns.map((c) => r[c.key] ?? '').join(' | ')).join('\n');
}

/** The rows of a table answer read back from that text: blank lines left out, cells past the last column dropped. */
export function tableRowsFromText(text: string, columns: readonly { key: string }[]): Record<string, string>[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) =>
      Object.fromEntries(
        line
          .split('|')
          .map((cell, i) => [columns[i]?.key ?? `c${i}`, cell.trim()])
          .filter(([k]) => columns.some((c) => c.key === k)),
      ),
    );
}
