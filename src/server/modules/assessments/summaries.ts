/**
 * Plain-language summaries of one assessment record: for teachers (the conditions of use) and for
 * parents (what the app collects, where it is kept, what the district decided). Same record, two
 * audiences, in English or French; nothing about people appears in either.
 */
import { DATA_ELEMENTS, type Language } from '../../../contracts/domain.js';
import type { AssessmentStatus, SummaryBody } from '../../../contracts/assessments.js';
import { iso } from '../../platform/dates.js';
import type { InventoryRowWithApp } from '../inventory/inventory.repo.js';
import type { RevisionContent } from './assessments.repo.js';
import { countryName, longDate, printText } from './print-text.js';

/** The answer to the question with `key` in a revision, if shown and answered. */
export function answerOf(c: RevisionContent, key: string): unknown {
  for (const s of c.sections) for (const q of s.questions) if (q.key === key && !q.hidden) return q.answer?.value ?? null;
  return null;
}

export function buildSummary(audience: 'teacher' | 'parent', c: RevisionContent, item: InventoryRowWithApp, institutionName: string, language: Language): SummaryBody {
  const text = printText(language);
  const status = c.revision.status as AssessmentStatus;
  const words = text.summary.decisionWords[status];
  const decided = c.revision.decidedAt ? text.summary.decided(longDate(c.revision.decidedAt, language)) : '';
  const list = text.summary.list;
  const elements = ((answerOf(c, 'c.data_elements') as string[] | null) ?? item.dataElements).filter((e) => text.elements[e]);
  const sensitive = elements.filter((e) => DATA_ELEMENTS.find((d) => d.code === e)?.sensitive);
  const countries = ((answerOf(c, 'f.storage_countries') as string[] | null) ?? []).map((x) => countryName(x, language));
  const conditions = c.revision.conditions || item.conditionsOfUse;
  const teacherGuidance = (answerOf(c, 'k.teacher_guidance') as string | null) ?? '';
  const points: SummaryBody['points'] = [];
  const common = { audience, appName: item.name, vendor: item.vendor, status, revision: c.revision.number, decidedAt: c.revision.decidedAt ? iso(c.revision.decidedAt) : null, language };
  if (audience === 'teacher') {
    const w = text.summary.teacher;
    points.push({ heading: w.decision, text: w.decisionText(item.name, words, institutionName, decided) });
    if (item.grades.length) points.push({ heading: w.grades, text: w.gradesText(item.grades.join(', ')) });
    if (conditions.trim()) points.push({ heading: w.conditions, text: conditions.trim() });
    if (teacherGuidance.trim()) points.push({ heading: w.guidance, text: teacherGuidance.trim() });
    if (sensitive.length) points.push({ heading: w.careful, text: w.carefulText(list(sensitive.map((e) => text.elements[e]!))) });
    if (status === 'rejected' || status === 'draft' || status === 'in_review') points.push({ heading: w.before, text: w.beforeText });
    return { ...common, headline: w.headline(item.name), points };
  }
  const w = text.summary.parent;
  const purpose = ((answerOf(c, 'b.purpose') as string | null) ?? item.purpose).trim();
  if (purpose) points.push({ heading: w.why, text: purpose });
  if (elements.length) points.push({ heading: w.uses, text: w.usesText(item.name, list(elements.map((e) => text.elements[e]!))) });
  if (countries.length) points.push({ heading: w.where, text: w.whereText(list(countries)) });
  if (answerOf(c, 'e.sale') === 'no') points.push({ heading: w.selling, text: w.sellingText });
  points.push({ heading: w.decision, text: `${w.decisionText(institutionName, words, decided)}${status === 'approved_with_conditions' ? w.conditionsNote : ''}` });
  points.push({ heading: w.questions, text: w.questionsText });
  return { ...common, headline: w.headline(item.name), points };
}
