/**
 * The documents a law asks an institution to produce from an assessment, in English or French:
 * New York's supplemental information about a contract (Education Law 2-d), Illinois SOPPA's list of
 * operators with written agreements, BC's assessment of disclosure for storage outside Canada, and
 * Québec's privacy impact assessment summary (ss. 63.5 and 70.1). Each part of a document is drawn
 * from the assessment's answers (and the inventory item); a part the assessment does not answer says
 * so plainly. A document is offered only to institutions of the jurisdiction whose law asks for it.
 */
import {
  LAW_DOCUMENT_JURISDICTION,
  LAW_DOCUMENT_KINDS,
  type LawDocumentBody,
  type LawDocumentKind,
  type QuestionKind,
  type QuestionOptions,
} from '../../../contracts/assessments.js';
import { DATA_ELEMENTS, type Language } from '../../../contracts/domain.js';
import type { InventoryRowWithApp } from '../inventory/inventory.repo.js';
import type { RevisionContent } from './assessments.repo.js';
import { LAW_TEXT } from './law-documents-text.js';
import { answerText } from './pdf.js';
import { longDate, printText } from './print-text.js';

/** The documents an institution with these jurisdiction tags is asked for. */
export function offeredDocuments(jurisdictions: ReadonlySet<string>): LawDocumentKind[] {
  return LAW_DOCUMENT_KINDS.filter((k) => jurisdictions.has(LAW_DOCUMENT_JURISDICTION[k]));
}

/** An operator with a written agreement, as the inventory records it (Illinois list). */
export interface AgreementOperator {
  name: string;
  vendor: string;
  dataElements: string[];
  agreementType: string;
  agreementSignedOn: string | null;
  agreementUrl: string | null;
}

export interface LawDocumentSource {
  content: RevisionContent;
  item: InventoryRowWithApp;
  institutionName: string;
  language: Language;
  operators: AgreementOperator[];
}

type Question = RevisionContent['sections'][number]['questions'][number];

/** The shown question with `key`, if the revision has it (hidden and other jurisdictions' questions are not). */
function questionOf(c: RevisionContent, key: string): Question | undefined {
  for (const s of c.sections) for (const q of s.questions) if (q.key === key && !q.hidden) return q;
  return undefined;
}

function isGiven(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const elementNames = (codes: readonly string[], language: Language) => {
  const names = printText(language).elements;
  return codes.map((c) => names[c] ?? c).join(', ');
};

export function buildLawDocument(kind: LawDocumentKind, src: LawDocumentSource): LawDocumentBody {
  const { content: c, item, language } = src;
  const w = LAW_TEXT[language];
  /** One answer as text, or null when the question is absent or unanswered. */
  const answer = (key: string): string | null => {
    const q = questionOf(c, key);
    const value = q?.answer?.value;
    if (!q || !isGiven(value)) return null;
    return answerText(value, q.kind as QuestionKind, q.options as QuestionOptions, language);
  };
  /**
   * A part of the document from the answers to `keys`: the first answered alone, the others labelled
   * with their own heading; when none is answered, the part says the assessment does not answer it.
   */
  const part = (heading: string, keys: (string | [key: string, label: string])[], extra: string[] = []) => {
    const pieces: string[] = [];
    for (const k of keys) {
      const [key, label] = typeof k === 'string' ? [k, null] : k;
      const text = answer(key);
      if (text !== null) pieces.push(label ? `${label}${w.colon}${text}` : text);
    }
    pieces.push(...extra.filter((e) => e.trim()));
    return pieces.length ? { heading, text: pieces.join('\n'), missing: false } : { heading, text: w.missing, missing: true };
  };
  const sensitive = item.dataElements.filter((e) => DATA_ELEMENTS.find((d) => d.code === e)?.sensitive);
  const common = {
    kind,
    language,
    institutionName: src.institutionName,
    appName: item.name,
    revision: c.revision.number,
    rows: [] as LawDocumentBody['rows'],
  };
  /** The inventory's purpose, when the assessment's own purpose question is unanswered. */
  const itemPurpose = (label: string) => (answer('b.purpose') === null && item.purpose.trim() ? [`${label}${w.colon}${item.purpose.trim()}`] : []);
  const expires = item.agreementExpiresOn ? `${w.agreementExpires}${w.colon}${longDate(item.agreementExpiresOn, language)}` : '';

  if (kind === 'ny-supplemental') {
    const t = w.ny;
    return {
      ...common,
      title: t.title(item.name),
      basis: t.basis,
      intro: t.intro(src.institutionName, item.name, item.vendor),
      parts: [
        part(t.purposes, ['m.ny.exclusive_purposes', ['b.purpose', t.purposeOfUse]], itemPurpose(t.purposeOfUse)),
        part(t.subcontractors, ['m.ny.subcontractors', ['e.subprocessors', t.subprocessors]]),
        part(t.duration, ['m.ny.duration', ['i.expires', w.agreementExpires], ['h.deletion', t.atEnd]], answer('i.expires') ? [] : [expires]),
        part(t.challenge, ['m.ny.challenge', ['h.access_correction', t.accessCorrection]]),
        part(t.storage, ['m.ny.storage_security', ['f.storage_countries', t.countries]]),
        part(t.encryption, ['m.ny.encryption', ['g.encryption_transit', t.inTransit], ['g.encryption_rest', t.atRest]]),
      ],
    };
  }
  if (kind === 'il-operators') {
    const t = w.il;
    const rows = src.operators.map((o) => ({
      operator: o.vendor || o.name,
      app: o.name,
      dataElements: o.dataElements.length ? elementNames(o.dataElements, language) : w.missing,
      agreement: [w.agreementTypes[o.agreementType] ?? o.agreementType, o.agreementSignedOn ? t.signedOn(longDate(o.agreementSignedOn, language)) : '', o.agreementUrl ?? ''].filter(Boolean).join(' · '),
    }));
    return {
      ...common,
      title: t.title(src.institutionName),
      basis: t.basis,
      intro: t.intro(src.institutionName),
      parts: rows.length ? [] : [{ heading: t.operators, text: t.none, missing: true }],
      rows,
    };
  }
  if (kind === 'bc-outside-canada') {
    const t = w.bc;
    return {
      ...common,
      title: t.title(item.name),
      basis: t.basis,
      intro: t.intro(src.institutionName, item.name, item.vendor),
      parts: [
        part(t.where, [['f.outside_canada', t.outside], ['f.storage_countries', t.storage], ['f.processing_countries', t.processing], ['f.support_countries', t.support]]),
        part(t.description, ['l.bc.outside_history']),
        part(t.sensitivity, ['l.bc.sensitivity', ['f.bc_sensitive_outside', t.sensitiveOutside]], sensitive.length ? [`${t.sensitiveElements}${w.colon}${elementNames(sensitive, language)}`] : []),
        part(t.safeguards, ['l.bc.outside_safeguards', ['e.foreign_demands', t.foreignDemands], ['g.encryption_rest', t.atRest]]),
        part(t.subprocessors, ['e.subprocessors']),
        part(t.conclusion, ['l.bc.outside_conclusion']),
      ],
    };
  }
  const t = w.qc;
  return {
    ...common,
    title: t.title(item.name),
    basis: t.basis,
    intro: t.intro(src.institutionName, item.name, item.vendor),
    parts: [
      part(t.project, [['l.qc.pia_63_5', t.beforeAcquiring], ['l.qc.committee', t.committee]]),
      part(t.sensitivity, ['l.qc.sensitivity'], item.dataElements.length ? [`${t.elements}${w.colon}${elementNames(item.dataElements, language)}`] : []),
      part(t.purpose, ['l.qc.purpose', ['b.purpose', t.purposeOfUse]], itemPurpose(t.purposeOfUse)),
      part(t.protection, ['l.qc.protection', ['g.encryption_transit', t.inTransit], ['g.encryption_rest', t.atRest]]),
      part(t.outside, ['l.qc.outside_quebec', ['f.storage_countries', t.storage], ['f.processing_countries', t.processing]]),
      part(t.legalFramework, ['l.qc.legal_framework']),
      part(t.conclusion, ['l.qc.adequate']),
    ],
  };
}
