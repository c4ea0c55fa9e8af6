/**
 * The evidence of an answer (an institution's, or a bank pre-answer): its source, a link and/or a
 * quotation or document's name, and the day it was seen. Evidence seen longer ago than the review
 * period (the institution's setting; the bank's pre-answers use the default) is stale.
 */
import { EVIDENCE_REVIEW_MONTHS, type EvidenceBody, type evidenceSaveSchema } from '../../../contracts/assessments.js';
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
