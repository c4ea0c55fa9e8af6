import { preAnswerEvidenceOf, preAnswerProvenanceOf, presentEvidence, presentProvenance } from './evidence.js';
import type {
  BankTemplateBody,
  BankVersionBody,
  BankVersionChange,
  Condition,
  QuestionKind,
  QuestionOptions,
} from '../../../contracts/assessments.js';
import { iso } from '../../platform/dates.js';
import type { TemplateVersionRow, TemplateWithApp, VersionContent } from './bank.repo.js';

export function presentVersionSummary(v: TemplateVersionRow) {
  return {
    id: v.id,
    number: v.number,
    status: v.status as 'draft' | 'published',
    changeLog: v.changeLog,
    publishedAt: v.publishedAt ? iso(v.publishedAt) : null,
    version: v.version,
  };
}

export function presentTemplate(t: TemplateWithApp, versions: TemplateVersionRow[]): BankTemplateBody {
  const published = versions.filter((v) => v.status === 'published');
  const latest = published.at(-1);
  return {
    id: t.id,
    slug: t.slug,
    title: t.title,
    description: t.description,
    catalogAppId: t.catalogAppId,
    catalogAppName: t.catalogAppName,
    jurisdictions: t.jurisdictions,
    fr: t.fr ?? null,
    isGeneric: t.isGeneric,
    latestPublished: latest ? presentVersionSummary(latest) : null,
    versions: versions.map(presentVersionSummary),
    updatedAt: iso(t.updatedAt),
  };
}

export function presentBankVersion(c: VersionContent, changes: BankVersionChange[]): BankVersionBody {
  return {
    ...presentVersionSummary(c.version),
    changes,
    templateId: c.version.templateId,
    sections: c.sections.map((s) => ({
      id: s.id,
      key: s.key,
      code: s.code,
      title: s.title,
      description: s.description,
      fr: s.fr ?? null,
      questions: s.questions.map((q) => ({
        id: q.id,
        key: q.key,
        kind: q.kind as QuestionKind,
        prompt: q.prompt,
        guidance: q.guidance,
        options: q.options as QuestionOptions,
        required: q.required,
        locked: q.locked,
        preAnswer: q.preAnswer ?? null,
        preAnswerEvidence: presentEvidence(preAnswerEvidenceOf(q)),
        preAnswerProvenance: presentProvenance(preAnswerProvenanceOf(q)),
        condition: (q.condition ?? null) as Condition | null,
        jurisdictions: q.jurisdictions,
        fr: q.fr ?? null,
      })),
    })),
  };
}
