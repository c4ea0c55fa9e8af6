/**
 * Plain-language summaries of one assessment record: for teachers (the conditions of use) and for
 * parents (what the app collects, where it is kept, what the district decided). Same record, two
 * audiences; nothing about people appears in either.
 */
import { DATA_ELEMENTS } from '../../../contracts/domain.js';
import type { AssessmentStatus, SummaryBody } from '../../../contracts/assessments.js';
import { iso } from '../../platform/dates.js';
import type { InventoryRowWithApp } from '../inventory/inventory.repo.js';
import type { AssessmentListRow, RevisionContent } from './assessments.repo.js';

const ELEMENT_LABELS: Record<string, string> = {
  name: 'name', email: 'email address', username: 'username', student_id: 'student number', date_of_birth: 'date of birth', grade: 'grade',
  school: 'school', class_roster: 'class list', home_address: 'home address', phone: 'phone number', photo: 'photos', video: 'video',
  voice: 'voice recordings', biometric: 'biometric data', assessment_results: 'marks and assessment results', student_work: 'student work',
  behaviour: 'behaviour records', attendance: 'attendance', health: 'health information', special_education: 'special education information',
  indigenous_identity: 'Indigenous identity', ethnicity: 'ethnicity', gender: 'gender', religion: 'religion', family_information: 'family information',
  financial: 'financial information', government_id: 'government ID numbers', precise_location: 'precise location', device_usage: 'device and usage data',
  ip_address: 'IP address', browsing_history: 'browsing history', messages: 'messages', free_text: 'free-text entries', employment: 'employment information',
};
const COUNTRY_NAMES: Record<string, string> = { CA: 'Canada', US: 'the United States', IE: 'Ireland', GB: 'the United Kingdom', DE: 'Germany', FR: 'France', NL: 'the Netherlands', SE: 'Sweden', FI: 'Finland', AU: 'Australia', NZ: 'New Zealand', JP: 'Japan', SG: 'Singapore', IN: 'India', IL: 'Israel', BR: 'Brazil', KR: 'South Korea', CN: 'China' };

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** The answer to the question with `key` in a revision, if shown and answered. */
export function answerOf(c: RevisionContent, key: string): unknown {
  for (const s of c.sections) for (const q of s.questions) if (q.key === key && !q.hidden) return q.answer?.value ?? null;
  return null;
}

const DECISION_WORDS: Record<AssessmentStatus, string> = {
  draft: 'is still being assessed',
  in_review: 'is being reviewed',
  approved: 'is approved',
  approved_with_conditions: 'is approved with conditions',
  rejected: 'is not approved',
};

export function buildSummary(audience: 'teacher' | 'parent', a: AssessmentListRow, c: RevisionContent, item: InventoryRowWithApp, institutionName: string): SummaryBody {
  const status = c.revision.status as AssessmentStatus;
  const elements = ((answerOf(c, 'c.data_elements') as string[] | null) ?? item.dataElements).filter((e) => ELEMENT_LABELS[e]);
  const sensitive = elements.filter((e) => DATA_ELEMENTS.find((d) => d.code === e)?.sensitive);
  const countries = ((answerOf(c, 'f.storage_countries') as string[] | null) ?? []).map((x) => COUNTRY_NAMES[x] ?? x);
  const conditions = c.revision.conditions || item.conditionsOfUse;
  const teacherGuidance = (answerOf(c, 'k.teacher_guidance') as string | null) ?? '';
  const points: SummaryBody['points'] = [];
  if (audience === 'teacher') {
    points.push({ heading: 'Decision', text: `${item.name} ${DECISION_WORDS[status]} for use in ${institutionName}.` });
    if (item.grades.length) points.push({ heading: 'Grades', text: `Approved for grades ${item.grades.join(', ')}.` });
    if (conditions.trim()) points.push({ heading: 'Conditions of use', text: conditions.trim() });
    if (teacherGuidance.trim()) points.push({ heading: 'Guidance for teachers', text: teacherGuidance.trim() });
    if (sensitive.length) points.push({ heading: 'Take care with', text: `This app can hold ${list(sensitive.map((e) => ELEMENT_LABELS[e]!))}. Enter only what the lesson needs.` });
    if (status === 'rejected' || status === 'draft' || status === 'in_review') points.push({ heading: 'Before you use it', text: 'Do not use this app with students until it is approved.' });
    return { audience, appName: item.name, vendor: item.vendor, status, revision: c.revision.number, decidedAt: c.revision.decidedAt ? iso(c.revision.decidedAt) : null, headline: `${item.name}: what teachers need to know`, points };
  }
  const purpose = ((answerOf(c, 'b.purpose') as string | null) ?? item.purpose).trim();
  if (purpose) points.push({ heading: 'Why the school uses it', text: purpose });
  if (elements.length) points.push({ heading: 'Information it uses', text: `${item.name} uses your child’s ${list(elements.map((e) => ELEMENT_LABELS[e]!))}.` });
  if (countries.length) points.push({ heading: 'Where the information is kept', text: `It is stored in ${list(countries)}.` });
  const sells = answerOf(c, 'e.sale');
  if (sells === 'no') points.push({ heading: 'Selling and advertising', text: 'The vendor does not sell student information or use it for advertising.' });
  points.push({ heading: 'Our decision', text: `After a privacy impact assessment, ${institutionName} decided the app ${DECISION_WORDS[status]}.${status === 'approved_with_conditions' ? ' Teachers follow conditions of use that limit what is shared.' : ''}` });
  points.push({ heading: 'Questions', text: 'Contact your school office to ask about this app or to see what information it holds about your child.' });
  return { audience, appName: item.name, vendor: item.vendor, status, revision: c.revision.number, decidedAt: c.revision.decidedAt ? iso(c.revision.decidedAt) : null, headline: `${item.name}: a summary for families`, points };
}
