import {
  DECIDED_STATUSES,
  EVIDENCE_REVIEW_MONTHS,
  riskLevel,
  type AssessmentStatus,
  type AssessmentSummaryBody,
  type Condition,
  type QuestionKind,
  type QuestionOptions,
  type RevisionBody,
  type RiskBody,
  type AnswerOrigin,
} from '../../../contracts/assessments.js';
import { iso, isoDay } from '../../platform/dates.js';
import type { Language } from '../../../contracts/domain.js';
import { isShown } from './answers.js';
import { presentEvidence, presentProvenance } from './evidence.js';
import { localizeRevision, textLanguage } from './localize.js';
import { printText, roleKeyOf } from './print-text.js';
import type { AssessmentListRow, RevisionContent, RevisionRow, RiskRow } from './assessments.repo.js';
import type { TemplateVersionRow } from './bank.repo.js';

/** Shown for changes made by operator staff (not users of this institution). */
export const OPERATOR_NAME = printText('en').operatorName;

export function presentSummary(a: AssessmentListRow, update: TemplateVersionRow | null): AssessmentSummaryBody {
  return {
    id: a.id,
    inventoryItemId: a.inventoryItemId,
    appName: a.appName,
    title: a.title,
    status: a.status as AssessmentStatus,
    currentRevision: a.currentRevision,
    approvedRevision: a.approvedRevision,
    templateId: a.templateId,
    templateTitle: a.templateTitle,
    baseVersionNumber: a.baseVersionNumber,
    update: update ? { versionId: update.id, number: update.number, changeLog: update.changeLog } : null,
    version: a.version,
    updatedAt: iso(a.updatedAt),
  };
}

export function presentRisk(r: RiskRow): RiskBody {
  const hasResidual = r.residualLikelihood !== null && r.residualImpact !== null;
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    likelihood: r.likelihood,
    impact: r.impact,
    inherentScore: r.likelihood * r.impact,
    inherentLevel: riskLevel(r.likelihood, r.impact),
    mitigation: r.mitigation,
    owner: r.owner,
    dueOn: isoDay(r.dueOn),
    residualLikelihood: r.residualLikelihood,
    residualImpact: r.residualImpact,
    residualLevel: hasResidual ? riskLevel(r.residualLikelihood!, r.residualImpact!) : null,
    version: r.version,
  };
}

export function presentRevisionSummary(r: RevisionRow & { templateVersionNumber: number | null }) {
  const status = r.status as AssessmentStatus;
  return {
    id: r.id,
    number: r.number,
    status,
    isFrozen: DECIDED_STATUSES.includes(status),
    templateVersionNumber: r.templateVersionNumber,
    submittedAt: r.submittedAt ? iso(r.submittedAt) : null,
    decidedAt: r.decidedAt ? iso(r.decidedAt) : null,
    conditions: r.conditions,
    nextReviewOn: isoDay(r.nextReviewOn),
    createdAt: iso(r.createdAt),
  };
}

/** Answers by question key, for evaluating conditions. */
export function answersByKey(c: RevisionContent): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const s of c.sections) for (const q of s.questions) if (q.answer && !q.hidden) m.set(q.key, q.answer.value);
  return m;
}

/** A revision in the reader's language (bank text in French for a French reader; the institution's own as written). */
export function presentRevision(
  raw: RevisionContent,
  reader: Language = 'en',
  evidenceMonths: number = EVIDENCE_REVIEW_MONTHS,
): RevisionBody {
  const c = localizeRevision(raw, reader);
  const answers = answersByKey(c);
  return {
    ...presentRevisionSummary({ ...c.revision, templateVersionNumber: c.templateVersionNumber }),
    sections: c.sections.map((s) => ({
      id: s.id,
      key: s.key,
      origin: s.origin as 'operator' | 'institution',
      code: s.code,
      title: s.title,
      description: s.description,
      lang: textLanguage(s.origin, s.fr, reader),
      questions: s.questions.map((q) => ({
        id: q.id,
        key: q.key,
        origin: q.origin as 'operator' | 'institution',
        kind: q.kind as QuestionKind,
        prompt: q.prompt,
        guidance: q.guidance,
        options: q.options as QuestionOptions,
        required: q.required,
        locked: q.locked,
        hidden: q.hidden,
        condition: (q.condition ?? null) as Condition | null,
        isShown: isShown((q.condition ?? null) as Condition | null, answers),
        jurisdictions: q.jurisdictions,
        lang: textLanguage(q.origin, q.fr, reader),
        answer: q.answer
          ? {
              value: q.answer.value ?? null,
              origin: q.answer.origin as AnswerOrigin,
              evidence: presentEvidence(q.answer, evidenceMonths),
              provenance: presentProvenance(q.answer),
              updatedBy: q.answer.updatedBy ? { id: q.answer.updatedBy, name: q.answer.updatedByName ?? OPERATOR_NAME } : null,
              updatedAt: iso(q.answer.updatedAt),
              version: q.answer.version,
            }
          : null,
      })),
    })),
    risks: c.risks.map(presentRisk),
    signoffs: c.signoffs.map((s) => ({
      id: s.id,
      userId: s.userId,
      signerName: s.signerName,
      role: s.role,
      roleKey: roleKeyOf(s.role),
      decision: s.decision as RevisionBody['signoffs'][number]['decision'],
      comment: s.comment,
      at: iso(s.at),
    })),
  };
}

/** How many answers of a revision shown to its readers rest on stale evidence. */
export function countStale(r: RevisionBody): number {
  let n = 0;
  for (const s of r.sections) for (const q of s.questions) if (!q.hidden && q.isShown && q.answer?.evidence?.stale) n++;
  return n;
}
