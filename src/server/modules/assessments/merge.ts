/**
 * The three-way merge of a new master version into an institution's copy, question by question:
 * base (the version adopted), theirs (the new version), ours (the copy). A question's definition
 * and its answer are compared separately, so a new wording from the operator and an answer of the
 * institution merge without conflict. Pure functions: no database here.
 */
import type { BankQuestionFr, BankVersionChange, MergeChangeBody } from '../../../contracts/assessments.js';
import { canonicalJson } from '../../platform/audit.js';
import type { RevisionContent } from './assessments.repo.js';
import type { TemplateQuestionRow, VersionContent } from './bank.repo.js';
import { evidenceValue, preAnswerEvidenceOf } from './evidence.js';

/** The evidence of a bank pre-answer, and of an answer of the copy (null: none). */
const theirEvidence = (q: TemplateQuestionRow | undefined) => (q ? evidenceValue(preAnswerEvidenceOf(q)) : null);
const ourEvidence = (q: OurQuestion | undefined) => (q?.answer ? evidenceValue(q.answer) : null);

/** The parts of a question the operator defines. */
export interface Definition {
  kind: string;
  prompt: string;
  guidance: string;
  options: unknown;
  required: boolean;
  locked: boolean;
  condition: unknown;
  /** The bank's French of the question (so that a French change reaches an untouched copy). */
  fr: BankQuestionFr | null;
}

type OurQuestion = RevisionContent['sections'][number]['questions'][number];

export function definitionOf(q: TemplateQuestionRow | OurQuestion): Definition {
  return {
    kind: q.kind,
    prompt: q.prompt,
    guidance: q.guidance,
    options: q.options ?? {},
    required: q.required,
    locked: q.locked,
    condition: q.condition ?? null,
    fr: q.fr ?? null,
  };
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function facet(base: unknown, theirs: unknown, ours: unknown) {
  const theirsChanged = !same(base, theirs);
  const oursChanged = !same(base, ours);
  return {
    base: base ?? null,
    theirs: theirs ?? null,
    ours: ours ?? null,
    theirsChanged,
    oursChanged,
    conflict: theirsChanged && oursChanged && !same(theirs, ours),
  };
}

interface Indexed<Q> {
  question: Q;
  sectionKey: string;
  sectionTitle: string;
}

function indexTemplate(c: VersionContent | null): Map<string, Indexed<TemplateQuestionRow>> {
  const m = new Map<string, Indexed<TemplateQuestionRow>>();
  for (const s of c?.sections ?? []) for (const q of s.questions) m.set(q.key, { question: q, sectionKey: s.key, sectionTitle: s.title });
  return m;
}

/** The changes between base and theirs, each compared with ours. Questions the institution added are never touched. */
export function threeWayDiff(base: VersionContent | null, theirs: VersionContent, ours: RevisionContent): MergeChangeBody[] {
  const b = indexTemplate(base);
  const t = indexTemplate(theirs);
  const o = new Map<string, Indexed<OurQuestion>>();
  for (const s of ours.sections)
    for (const q of s.questions) if (q.origin === 'operator') o.set(q.key, { question: q, sectionKey: s.key, sectionTitle: s.title });

  const changes: MergeChangeBody[] = [];
  const keys = [...t.keys(), ...[...b.keys()].filter((k) => !t.has(k))];
  for (const key of keys) {
    const bq = b.get(key);
    const tq = t.get(key);
    const oq = o.get(key);
    const baseDef = bq ? definitionOf(bq.question) : null;
    const baseAns = bq?.question.preAnswer ?? null;
    const ourDef = oq ? definitionOf(oq.question) : null;
    const ourAns = oq?.question.answer?.value ?? null;
    if (tq && !oq) {
      // New in theirs (or never copied): an addition.
      const definition = facet(null, definitionOf(tq.question), null);
      const answer = facet(null, tq.question.preAnswer ?? null, null);
      const evidence = facet(null, theirEvidence(tq.question), null);
      changes.push({
        key,
        sectionTitle: tq.sectionTitle,
        prompt: tq.question.prompt,
        change: 'added',
        definition,
        answer,
        evidence,
        conflict: false,
        suggested: 'take',
      });
      continue;
    }
    if (!tq && oq) {
      // Removed from theirs; a conflict when the institution changed or answered it since.
      const definition = { ...facet(baseDef, null, ourDef), theirsChanged: true };
      const answer = { ...facet(baseAns, null, ourAns), theirsChanged: !same(baseAns, null) };
      const evidence = facet(theirEvidence(bq?.question), null, ourEvidence(oq.question));
      const conflict = definition.oursChanged || answer.oursChanged;
      definition.conflict = definition.oursChanged;
      answer.conflict = answer.oursChanged;
      evidence.conflict = false;
      changes.push({
        key,
        sectionTitle: oq.sectionTitle,
        prompt: oq.question.prompt,
        change: 'removed',
        definition,
        answer,
        evidence,
        conflict,
        suggested: conflict ? 'keep' : 'take',
      });
      continue;
    }
    if (!tq || !oq) continue;
    const definition = facet(baseDef, definitionOf(tq.question), ourDef);
    const answer = facet(baseAns, tq.question.preAnswer ?? null, ourAns);
    // The evidence travels with the pre-answer: a new source for the bank's answer reaches a copy that
    // still holds that answer; a copy whose people wrote their own answer keeps its own evidence.
    const evidence = facet(theirEvidence(bq?.question), theirEvidence(tq.question), ourEvidence(oq.question));
    // Nothing new from the operator, or the copy already says what theirs says.
    const defPending = definition.theirsChanged && !same(definition.theirs, definition.ours);
    const ansPending = answer.theirsChanged && !same(answer.theirs, answer.ours);
    const evPending = evidence.theirsChanged && !same(evidence.theirs, evidence.ours) && (ansPending || !answer.oursChanged);
    if (!defPending && !ansPending && !evPending) continue;
    if (!evPending) evidence.theirsChanged = false;
    const conflict = definition.conflict || answer.conflict || (evPending && evidence.conflict);
    changes.push({
      key,
      sectionTitle: tq.sectionTitle,
      prompt: tq.question.prompt,
      change: 'modified',
      definition,
      answer,
      evidence,
      conflict,
      suggested: conflict ? 'keep' : 'take',
    });
  }
  return changes;
}

/** What a template version changed since the version before it, question by question (none for a first version). */
export function versionChanges(previous: VersionContent | null, next: VersionContent): BankVersionChange[] {
  if (!previous) return [];
  const p = indexTemplate(previous);
  const n = indexTemplate(next);
  const shape = (x: Indexed<TemplateQuestionRow>) => [
    definitionOf(x.question),
    x.question.preAnswer ?? null,
    theirEvidence(x.question),
    x.question.jurisdictions,
    x.sectionKey,
  ];
  const changes: BankVersionChange[] = [];
  for (const [key, x] of n) {
    const before = p.get(key);
    if (!before) changes.push({ key, sectionTitle: x.sectionTitle, prompt: x.question.prompt, change: 'added' });
    else if (!same(shape(before), shape(x)))
      changes.push({ key, sectionTitle: x.sectionTitle, prompt: x.question.prompt, change: 'modified' });
  }
  for (const [key, x] of p)
    if (!n.has(key)) changes.push({ key, sectionTitle: x.sectionTitle, prompt: x.question.prompt, change: 'removed' });
  return changes;
}

/** Per question key, what changed between two revisions (answer or wording), for side-by-side comparison. */
export function compareRevisions(from: RevisionContent, to: RevisionContent) {
  const index = (c: RevisionContent) => {
    const m = new Map<string, { sectionTitle: string; prompt: string; value: unknown; hidden: boolean }>();
    for (const s of c.sections)
      for (const q of s.questions)
        m.set(q.key, { sectionTitle: s.title, prompt: q.prompt, value: q.answer?.value ?? null, hidden: q.hidden });
    return m;
  };
  const f = index(from);
  const t = index(to);
  const keys = [...t.keys(), ...[...f.keys()].filter((k) => !t.has(k))];
  return keys.map((key) => {
    const a = f.get(key);
    const b = t.get(key);
    const change: 'added' | 'removed' | 'changed' | 'same' = !a
      ? 'added'
      : !b
        ? 'removed'
        : same([a.prompt, a.value, a.hidden], [b.prompt, b.value, b.hidden])
          ? 'same'
          : 'changed';
    return { key, sectionTitle: (b ?? a)!.sectionTitle, prompt: (b ?? a)!.prompt, from: a?.value ?? null, to: b?.value ?? null, change };
  });
}
