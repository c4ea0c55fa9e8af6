/**
 * Which questions of an assessment apply to its institution. A bank question tagged with
 * jurisdictions applies only where one of its tags is the institution's country (`CA-generic`,
 * `US-generic`) or its province, territory or state; an untagged question applies everywhere.
 *
 * Every question of the adopted version stays in the copy, whatever the institution's jurisdiction:
 * the three-way merge compares the copy with the bank key by key, and an institution whose province
 * or state is corrected sees the right questions at once. What does not apply is left out where the
 * assessment is read: the page, the PDF, the summaries, the comparison, the required answers of a
 * submission and the merge preview.
 */
import { CANADIAN_JURISDICTIONS, COUNTRY_JURISDICTIONS, US_JURISDICTIONS, type Jurisdiction } from '../../../contracts/assessments.js';
import type { RevisionContent } from './assessments.repo.js';

/** The tags that apply to an institution of `country` in `subdivision` (a subdivision of another country adds nothing). */
export function institutionJurisdictions(country: string, subdivision: string): ReadonlySet<string> {
  const tags = new Set<string>();
  if (country === 'CA') {
    tags.add(COUNTRY_JURISDICTIONS.CA);
    if (CANADIAN_JURISDICTIONS.includes(subdivision as Jurisdiction)) tags.add(subdivision);
  } else if (country === 'US') {
    tags.add(COUNTRY_JURISDICTIONS.US);
    if (US_JURISDICTIONS.includes(subdivision as Jurisdiction)) tags.add(subdivision);
  }
  return tags;
}

/** Whether a question tagged `tags` applies where `applicable` holds. */
export function appliesIn(tags: readonly string[], applicable: ReadonlySet<string>): boolean {
  return tags.length === 0 || tags.some((t) => applicable.has(t));
}

/**
 * The revision with only the questions that apply in `applicable`; a bank section left with none of
 * its questions is left out too (an institution's own empty section stays).
 */
export function applicableContent(c: RevisionContent, applicable: ReadonlySet<string>): RevisionContent {
  return {
    ...c,
    sections: c.sections
      .map((s) => ({ ...s, questions: s.questions.filter((q) => appliesIn(q.jurisdictions, applicable)) }))
      .filter((s, i) => s.questions.length > 0 || c.sections[i]!.questions.length === 0),
  };
}
