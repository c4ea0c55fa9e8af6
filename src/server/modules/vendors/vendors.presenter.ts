/** Vendor questionnaires as they leave the server: fields listed one by one, never the contact's email. */
import type { QuestionKind } from '../../../contracts/assessments.js';
import type { VendorFile, VendorQuestionnaire } from '../../../contracts/vendors.js';
import { iso, isoDay } from '../../platform/dates.js';
import type { VersionContent } from '../assessments/bank.repo.js';
import type { QuestionnaireWithTemplate, VendorAnswerRow, VendorFileMeta } from './vendors.repo.js';

/** A file as the vendor and the reviewer see it: what describes it, never its bytes. */
export function presentFile(f: VendorFileMeta): VendorFile {
  return {
    id: f.id,
    questionKey: f.questionKey,
    fileName: f.fileName,
    contentType: f.contentType,
    byteSize: f.byteSize,
    createdAt: iso(f.createdAt),
  };
}

/** The files of each question, by its key. */
export function filesByQuestion(files: VendorFileMeta[]): Map<string, VendorFile[]> {
  const out = new Map<string, VendorFile[]>();
  for (const f of files) out.set(f.questionKey, [...(out.get(f.questionKey) ?? []), presentFile(f)]);
  return out;
}

/** The evidence of an answer. */
export function evidenceOf(a: VendorAnswerRow) {
  return { url: a.evidenceUrl, quote: a.evidenceQuote, seenOn: isoDay(a.evidenceSeenOn) };
}

/** True while the vendor's link serves: open, and not past its expiry. */
export function linkServes(q: Pick<QuestionnaireWithTemplate, 'status' | 'expiresAt'>, now = new Date()): boolean {
  return q.status === 'open' && new Date(q.expiresAt).getTime() > now.getTime();
}

/** The questionnaire without its answers (lists). */
export function presentSummary(q: QuestionnaireWithTemplate): Omit<VendorQuestionnaire, 'answers'> {
  return {
    id: q.id,
    scope: q.tenantId ? 'institution' : 'bank',
    templateId: q.templateId,
    templateTitle: q.templateTitle,
    templateTitleFr: q.templateTitleFr,
    templateVersionNumber: q.templateVersionNumber,
    inventoryItemId: q.inventoryItemId,
    productName: q.productName,
    vendorName: q.vendorName,
    language: q.language as VendorQuestionnaire['language'],
    status: q.status as VendorQuestionnaire['status'],
    linkServes: linkServes(q),
    awaitsContact: q.contactEmailSecret !== null,
    expiresAt: iso(q.expiresAt),
    submittedAt: q.submittedAt ? iso(q.submittedAt) : null,
    publishedAt: q.publishedAt ? iso(q.publishedAt) : null,
    closedAt: q.closedAt ? iso(q.closedAt) : null,
    publishedVersionId: q.publishedVersionId,
    answeredCount: Number(q.answeredCount),
    createdAt: iso(q.createdAt),
  };
}

/** The questionnaire with its answers, in the order of the version's questions. */
export function presentQuestionnaire(
  q: QuestionnaireWithTemplate,
  content: VersionContent,
  answers: VendorAnswerRow[],
  files: VendorFileMeta[] = [],
): VendorQuestionnaire {
  const byKey = new Map(answers.map((a) => [a.questionKey, a]));
  const filesOf = filesByQuestion(files);
  const out: VendorQuestionnaire['answers'] = [];
  for (const s of content.sections)
    for (const question of s.questions) {
      const a = byKey.get(question.key);
      if (!a) continue;
      out.push({
        questionKey: a.questionKey,
        prompt: question.prompt,
        kind: question.kind as QuestionKind,
        value: a.value ?? null,
        evidence: evidenceOf(a),
        review: a.review as VendorQuestionnaire['answers'][number]['review'],
        reviewNote: a.reviewNote,
        updatedAt: iso(a.updatedAt),
        files: filesOf.get(a.questionKey) ?? [],
      });
    }
  return { ...presentSummary(q), answers: out };
}
