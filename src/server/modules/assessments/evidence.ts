/**
 * The evidence of an answer (an institution's, or a bank pre-answer): its source, a link and/or a
 * quotation or document's name, and the day it was seen. Evidence seen longer ago than the review
 * period (the institution's setting; the bank's pre-answers use the default) is stale.
 */
import { EVIDENCE_REVIEW_MONTHS, type EvidenceBody, type ProvenanceBody, type evidenceSaveSchema } from '../../../contracts/assessments.js';
import type { z } from 'zod';
import { isoDay } from '../../platform/dates.js';
import { addMonths, today } from '../inventory/decision-rules.js';

export type EvidenceSave = z.output<typeof evidenceSaveSchema>;

/** The columns evidence is stored in (on an answer; a bank question prefixes them with `preAnswer`). */
export interface EvidenceColumns {
  evidenceUrl: string | null;
  evidenceQuote: string;
  evidenceSeenOn: string | null;
}

export const NO_EVIDENCE: EvidenceColumns = { evidenceUrl: null, evidenceQuote: '', evidenceSeenOn: null };

export function evidenceColumns(e: EvidenceSave | null | undefined): EvidenceColumns {
  return e ? { evidenceUrl: e.url, evidenceQuote: e.quote.trim(), evidenceSeenOn: e.seenOn } : NO_EVIDENCE;
}

/** A bank question's pre-answer evidence as answer columns. */
export function preAnswerEvidenceOf(q: {
  preAnswerEvidenceUrl?: string | null;
  preAnswerEvidenceQuote?: string | null;
  preAnswerEvidenceSeenOn?: string | Date | null;
}): EvidenceColumns {
  return {
    evidenceUrl: q.preAnswerEvidenceUrl ?? null,
    evidenceQuote: q.preAnswerEvidenceQuote ?? '',
    evidenceSeenOn: isoDay(q.preAnswerEvidenceSeenOn ?? null),
  };
}

export function hasEvidence(c: EvidenceColumns): boolean {
  return c.evidenceUrl !== null || c.evidenceQuote !== '' || c.evidenceSeenOn !== null;
}

/** Whether evidence seen on `seenOn` is past a review period of `months` on `day`. */
export function isStale(seenOn: string | null, months: number, day: string = today()): boolean {
  return seenOn !== null && addMonths(seenOn, months) < day;
}

/** Evidence as the API shows it (null: none), with its stale flag. */
export function presentEvidence(c: EvidenceColumns, months: number = EVIDENCE_REVIEW_MONTHS, day: string = today()): EvidenceBody | null {
  if (!hasEvidence(c)) return null;
  const seenOn = isoDay(c.evidenceSeenOn);
  return { url: c.evidenceUrl, quote: c.evidenceQuote, seenOn, stale: isStale(seenOn, months, day) };
}

/** Evidence as a comparable value (the merge and the audit log). */
export function evidenceValue(c: EvidenceColumns): { url: string | null; quote: string; seenOn: string | null } | null {
  return hasEvidence(c) ? { url: c.evidenceUrl, quote: c.evidenceQuote, seenOn: isoDay(c.evidenceSeenOn) } : null;
}

/** The columns a vendor's answer's provenance is stored in (on an answer; a bank question prefixes them with `preAnswer`). */
export interface ProvenanceColumns {
  vendorAnsweredOn: string | null;
  reviewedOn: string | null;
}

export const NO_PROVENANCE: ProvenanceColumns = { vendorAnsweredOn: null, reviewedOn: null };

/** A bank question's pre-answer provenance as answer columns: only a vendor's pre-answer has any. */
export function preAnswerProvenanceOf(q: {
  preAnswerOrigin?: string | null;
  preAnswerVendorAnsweredOn?: string | Date | null;
  preAnswerReviewedOn?: string | Date | null;
}): ProvenanceColumns {
  if (q.preAnswerOrigin !== 'vendor') return NO_PROVENANCE;
  return { vendorAnsweredOn: isoDay(q.preAnswerVendorAnsweredOn ?? null), reviewedOn: isoDay(q.preAnswerReviewedOn ?? null) };
}

/** Provenance as the API shows it (null: none). */
export function presentProvenance(c: {
  vendorAnsweredOn?: string | Date | null;
  reviewedOn?: string | Date | null;
}): ProvenanceBody | null {
  const vendorAnsweredOn = isoDay(c.vendorAnsweredOn ?? null);
  const reviewedOn = isoDay(c.reviewedOn ?? null);
  return vendorAnsweredOn === null && reviewedOn === null ? null : { vendorAnsweredOn, reviewedOn };
}
