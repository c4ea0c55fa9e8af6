/**
 * Assessments (a client's PIA): adoption, editing with autosave, the risk register, the review
 * workflow with sign-offs, frozen revisions and comparisons, and merging new master versions.
 */
import type { AuditVerb } from '../../../contracts/audit.js';
import type { ItemDecidedHook } from '../requests/decision-hook.js';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  DECIDED_STATUSES,
  EVIDENCE_REVIEW_MONTHS,
  type AssessmentBody,
  type AssessmentStatus,
  type assessmentCreateSchema,
  type assessmentQuerySchema,
  type answerSaveSchema,
  type Condition,
  type decideSchema,
  type mergeApplySchema,
  type ownQuestionCreateSchema,
  type ownSectionCreateSchema,
  type QuestionKind,
  type QuestionOptions,
  type questionUpdateSchema,
  type reopenSchema,
  type returnSchema,
  type riskCreateSchema,
  type riskUpdateSchema,
  type submitSchema,
  type AnswerOrigin,
} from '../../../contracts/assessments.js';
import type { InventoryStatus, Language } from '../../../contracts/domain.js';
import { authorize, isPlatformAdmin, policy, scopeOf, type Actor } from '../../platform/authz.js';
import { canonicalJson, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { AppError, forbidden, invalidFields, notFound } from '../../platform/errors.js';
import { findInventoryItem } from '../inventory/inventory.repo.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import { checkAnswer, definitionProblem, isAnswered, isShown } from './answers.js';
import { answersByKey, countStale, presentRevision, presentRevisionSummary, presentSummary } from './assessments.presenter.js';
import {
  deleteQuestions,
  deleteRisk,
  findAnswer,
  findAssessment,
  findAssessmentForItem,
  findQuestion,
  findRevision,
  findRisk,
  findSection,
  insertAnswers,
  insertAssessment,
  insertMerge,
  insertQuestions,
  insertRevision,
  insertRisks,
  insertSections,
  insertSignoff,
  listAssessments,
  listRevisions,
  loadRevision,
  nextPosition,
  saveAnswer,
  updateAssessment,
  updateQuestion,
  updateRevision,
  updateRisk,
  userLanguage,
  userName,
  type AssessmentListRow,
  type RevisionContent,
  type RevisionRow,
} from './assessments.repo.js';
import {
  findGenericTemplate,
  findTemplate,
  findVersion,
  latestPublished,
  loadVersionContent,
  type TemplateVersionRow,
  type VersionContent,
} from './bank.repo.js';
import { nextReviewAfterApproval, rulesOf, today } from '../inventory/decision-rules.js';
import { inventoryFollows, checkInventoryCanFollow } from './inventory-link.js';
import { localizeMergeChanges, localizeRevision } from './localize.js';
import { compareRevisions, definitionOf, threeWayDiff } from './merge.js';
import { applicableContent, appliesIn, institutionJurisdictions } from './jurisdictions.js';
import { printText } from './print-text.js';
import { prefillFromItem } from './prefill.js';
import { findCatalogApp } from '../catalog/catalog.repo.js';
import {
  evidenceColumns,
  evidenceValue,
  preAnswerEvidenceOf,
  preAnswerProvenanceOf,
  presentEvidence,
  presentProvenance,
} from './evidence.js';

type Query = z.output<typeof assessmentQuerySchema>;
type CreateInput = z.output<typeof assessmentCreateSchema>;
type AnswerInput = z.output<typeof answerSaveSchema>;

const DECISION_TO_INVENTORY: Record<string, InventoryStatus> = {
  approved: 'approved',
  approved_with_conditions: 'approved_with_conditions',
  rejected: 'not_approved',
};

function stale(): AppError {
  return new AppError(
    'stale',
    'Someone else saved this assessment after you opened it. Reload to see their changes, then make yours again.',
  );
}

/** The signer's role as recorded with a sign-off (in English; printed outputs translate it). */
function roleLabel(actor: Actor): string {
  const roles = printText('en').role;
  if (actor.role === 'site_admin') return roles.site_admin;
  if (actor.role === 'app_admin') return actor.canApprove ? roles.app_admin_approver : roles.app_admin;
  if (actor.role === 'platform_admin') return roles.operator;
  return roles.system;
}

/** The origin an adopted copy gives a bank pre-answer: the vendor's when a reviewed questionnaire gave it, else the operator's. */
function preAnswerOriginOf(q: { preAnswerOrigin?: string | null }): AnswerOrigin {
  return q.preAnswerOrigin === 'vendor' ? 'vendor' : 'operator';
}

/** The rows a revision's content is written as, with fresh ids (adoption, reopening, the demo seed). */
export function contentRows(
  revisionId: string,
  source: RevisionContent | VersionContent,
  opts: { withAnswers: boolean; updatedBy: string | null },
) {
  const sections: Parameters<typeof insertSections>[2] = [];
  const questions: Parameters<typeof insertQuestions>[2] = [];
  const answers: Parameters<typeof insertAnswers>[2] = [];
  source.sections.forEach((s, si) => {
    const sectionId = randomUUID();
    const origin = 'origin' in s ? s.origin : 'operator';
    sections.push({
      id: sectionId,
      revisionId,
      key: s.key,
      origin,
      code: s.code,
      title: s.title,
      description: s.description,
      position: si,
      fr: s.fr ?? null,
    });
    s.questions.forEach((q, qi) => {
      const id = randomUUID();
      questions.push({
        id,
        revisionId,
        sectionId,
        key: q.key,
        origin: 'origin' in q ? q.origin : 'operator',
        position: qi,
        kind: q.kind,
        prompt: q.prompt,
        guidance: q.guidance,
        options: q.options,
        required: q.required,
        locked: q.locked,
        hidden: 'hidden' in q ? q.hidden : false,
        condition: q.condition,
        jurisdictions: q.jurisdictions,
        fr: q.fr ?? null,
      });
      if (!opts.withAnswers) return;
      if ('answer' in q) {
        if (q.answer)
          answers.push({
            questionId: id,
            revisionId,
            value: q.answer.value,
            origin: q.answer.origin,
            updatedBy: q.answer.updatedBy,
            version: 1,
            evidenceUrl: q.answer.evidenceUrl,
            evidenceQuote: q.answer.evidenceQuote,
            evidenceSeenOn: q.answer.evidenceSeenOn,
            vendorAnsweredOn: q.answer.vendorAnsweredOn,
            reviewedOn: q.answer.reviewedOn,
          });
      } else if (q.preAnswer !== null && q.preAnswer !== undefined) {
        answers.push({
          questionId: id,
          revisionId,
          value: q.preAnswer,
          origin: preAnswerOriginOf(q),
          updatedBy: opts.updatedBy,
          version: 1,
          ...preAnswerEvidenceOf(q),
          ...preAnswerProvenanceOf(q),
        });
      }
    });
  });
  return { sections, questions, answers };
}

async function writeContent(tx: Tx, scope: TenantScope, rows: ReturnType<typeof contentRows>): Promise<void> {
  await insertSections(tx, scope, rows.sections);
  await insertQuestions(tx, scope, rows.questions);
  await insertAnswers(tx, scope, rows.answers);
}

export function createAssessmentService(ctx: Pick<AppContext, 'db'>, hooks: { onItemDecided?: ItemDecidedHook } = {}) {
  const { db } = ctx;

  async function load(tx: Tx, scope: TenantScope, id: string): Promise<AssessmentListRow> {
    const row = await findAssessment(tx, scope, id);
    if (!row) throw notFound('Assessment');
    return row;
  }

  /** The jurisdiction tags of the institution in scope (its country and its province or state). */
  async function jurisdictionsOf(tx: Tx, scope: TenantScope): Promise<ReadonlySet<string>> {
    const institution = await findInstitution(tx, scope);
    return institution ? institutionJurisdictions(institution.country, institution.subdivision) : new Set();
  }

  /** A revision as its institution reads it: only the questions that apply in its jurisdiction. */
  async function loadApplicable(tx: Tx, scope: TenantScope, revision: RevisionRow) {
    const [content, applicable] = await Promise.all([loadRevision(tx, scope, revision), jurisdictionsOf(tx, scope)]);
    return applicableContent(content, applicable);
  }

  async function currentRevision(tx: Tx, scope: TenantScope, a: AssessmentListRow): Promise<RevisionRow> {
    const r = await findRevision(tx, scope, a.id, a.currentRevision);
    if (!r) throw notFound('Revision');
    return r;
  }

  /** The newest published version of the adopted template when it is newer than the base. */
  async function pendingUpdate(tx: Tx, a: AssessmentListRow): Promise<TemplateVersionRow | null> {
    if (!a.templateId) return null;
    const latest = await latestPublished(tx, a.templateId);
    if (!latest || (a.baseVersionNumber !== null && latest.number <= a.baseVersionNumber)) return null;
    return latest;
  }

  /**
   * The assessment and its current revision, for a change. (An institution past its end of service
   * never gets here: the lifecycle guard refuses the request.)
   */
  async function loadWritable(tx: Tx, scope: TenantScope, id: string) {
    const a = await load(tx, scope, id);
    return { a, revision: await currentRevision(tx, scope, a) };
  }

  /**
   * Loads the assessment for a workflow step (submit, return, decide, reopen): the current revision
   * is in one of the statuses the step starts `from` (else `invalid_transition` with the step's own
   * wording), and `version` is the stored one.
   */
  async function loadForTransition(
    tx: Tx,
    scope: TenantScope,
    id: string,
    version: number,
    from: readonly AssessmentStatus[],
    refusal: (status: string) => string,
  ) {
    const { a, revision } = await loadWritable(tx, scope, id);
    if (!from.includes(revision.status as AssessmentStatus))
      throw new AppError('invalid_transition', refusal(revision.status.replace(/_/g, ' ')));
    if (a.version !== version) throw stale();
    return { a, revision };
  }

  /**
   * Loads the assessment for a change to its current revision: the revision is a draft (decided
   * revisions are frozen; one in review is with the approvers) and `version` is the stored one.
   */
  async function loadForEdit(tx: Tx, scope: TenantScope, id: string, version: number | null) {
    const { a, revision } = await loadWritable(tx, scope, id);
    if (DECIDED_STATUSES.includes(revision.status as AssessmentStatus)) {
      throw new AppError(
        'read_only',
        `Revision ${revision.number} was decided and is frozen. Reopen the assessment to start a new revision.`,
      );
    }
    if (revision.status === 'in_review')
      throw new AppError('read_only', 'This assessment is in review. It can be edited again once an approver returns it.');
    if (version !== null && a.version !== version) throw stale();
    return { a, revision };
  }

  /** Bumps the assessment's version (every write to its current revision does). */
  async function touch(tx: Tx, scope: TenantScope, a: AssessmentListRow, patch: Parameters<typeof updateAssessment>[4] = {}) {
    const after = await updateAssessment(tx, scope, a.id, a.version, patch);
    if (!after) throw stale();
    return after;
  }

  /**
   * Adopts a published bank version for an inventory item, or starts blank from the generic
   * structure, inside `tx` (a staff request accepted into review creates its PIA in its own transaction).
   */
  async function createIn(tx: Tx, scope: TenantScope, actor: Actor, input: CreateInput): Promise<AssessmentBody> {
    const item = await findInventoryItem(tx, scope, input.inventoryItemId);
    if (!item) throw new AppError('validation', 'Some fields are not valid', { inventoryItemId: 'is not an app of your inventory' });
    if (item.status === 'retired')
      throw new AppError('invalid_transition', `${item.name} is retired. Request it again in the inventory before assessing it.`, {
        inventoryItemId: 'is retired',
      });
    if (await findAssessmentForItem(tx, scope, item.id))
      throw new AppError('duplicate', `${item.name} already has an assessment. Open it instead.`, {
        inventoryItemId: 'already has an assessment',
      });
    let version: TemplateVersionRow | undefined;
    let templateId: string | null = null;
    let adopting = false;
    if (input.templateVersionId) {
      version = await findVersion(tx, input.templateVersionId);
      if (!version || version.status !== 'published')
        throw new AppError('validation', 'Some fields are not valid', { templateVersionId: 'is not a published template version' });
      templateId = version.templateId;
      adopting = true;
    } else {
      const generic = await findGenericTemplate(tx);
      version = generic ? await latestPublished(tx, generic.id) : undefined;
      templateId = version ? generic!.id : null;
    }
    const template = templateId ? await findTemplate(tx, templateId) : undefined;
    const id = randomUUID();
    await insertAssessment(tx, scope, {
      id,
      inventoryItemId: item.id,
      templateId,
      baseVersionId: version?.id ?? null,
      title: input.title ?? printText('en').defaultTitle(item.name),
      status: 'draft',
      currentRevision: 1,
      createdBy: actor.userId,
    });
    const revision = await insertRevision(tx, scope, {
      assessmentId: id,
      number: 1,
      status: 'draft',
      templateVersionId: version?.id ?? null,
      createdBy: actor.userId,
    });
    let prefilled: string[] = [];
    if (version) {
      const rows = contentRows(revision.id, await loadVersionContent(tx, version), { withAnswers: adopting, updatedBy: null });
      const app = item.catalogAppId ? await findCatalogApp(tx, item.catalogAppId) : undefined;
      prefilled = prefillFromItem(rows, revision.id, { ...item, storageCountries: app?.storageCountries ?? [] }, actor.userId);
      await writeContent(tx, scope, rows);
    } else {
      await insertSections(tx, scope, [
        {
          id: randomUUID(),
          revisionId: revision.id,
          key: 'own-1',
          origin: 'institution',
          code: '',
          title: 'Assessment',
          description: '',
          position: 0,
        },
      ]);
    }
    await audit(tx, actor, 'create', id, null, {
      inventoryItemId: item.id,
      templateId,
      templateVersion: version?.number ?? null,
      template: template?.title ?? null,
      started: adopting ? 'adopted' : 'blank',
    });
    // One event names every question answered from the inventory item.
    if (prefilled.length)
      await recordAudit(tx, actor, {
        action: 'assessment.answer',
        recordType: 'assessment',
        recordId: id,
        after: { prefilledFromInventory: item.id, questions: prefilled },
      });
    return body(tx, scope, actor, id);
  }

  async function body(tx: Tx, scope: TenantScope, actor: Actor, id: string, lang?: Language): Promise<AssessmentBody> {
    const a = await load(tx, scope, id);
    const revision = await currentRevision(tx, scope, a);
    const [content, revisions, update] = await Promise.all([
      loadApplicable(tx, scope, revision),
      listRevisions(tx, scope, a.id),
      pendingUpdate(tx, a),
    ]);
    const status = a.status as AssessmentStatus;
    const reader = lang ?? (await userLanguage(tx, actor.userId)) ?? 'en';
    const months = (await findInstitution(tx, scope))?.evidenceReviewMonths ?? EVIDENCE_REVIEW_MONTHS;
    const revisionBody = presentRevision(content, reader, months);
    const canManage = policy.manageAssessments(actor);
    const canApprove = policy.approve(actor);
    const canSignOff = policy.signOffAssessments(actor);
    return {
      ...presentSummary(a, update),
      inventoryStatus: a.inventoryStatus,
      revision: revisionBody,
      staleEvidence: countStale(revisionBody),
      revisions: revisions.map(presentRevisionSummary),
      abilities: {
        edit: canManage && status === 'draft',
        submit: canSignOff && status === 'draft',
        returnForChanges: canApprove && status === 'in_review',
        decide: canApprove && status === 'in_review',
        reopen: canSignOff && DECIDED_STATUSES.includes(status),
        merge: canManage && status === 'draft' && update !== null,
      },
    };
  }

  async function signoff(tx: Tx, scope: TenantScope, actor: Actor, revisionId: string, decision: string, comment: string) {
    const name = (await userName(tx, actor.userId)) ?? actor.label;
    return insertSignoff(tx, scope, {
      revisionId,
      userId: actor.userId,
      signerName: name,
      role: roleLabel(actor),
      decision,
      comment,
      at: new Date(),
    });
  }

  function audit(
    tx: Tx,
    actor: Actor,
    action: AuditVerb<'assessment'>,
    id: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ) {
    return recordAudit(tx, actor, { action: `assessment.${action}`, recordType: 'assessment', recordId: id, before, after });
  }

  return {
    async list(actor: Actor, q: Query) {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const rows = await listAssessments(tx, scope, q);
        const items = [];
        for (const r of rows) items.push(presentSummary(r, await pendingUpdate(tx, r)));
        return { items };
      });
    },

    /** `lang`: the reader's language (default: the one the reader chose, else English). */
    async get(actor: Actor, id: string, lang?: Language): Promise<AssessmentBody> {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, (tx) => body(tx, scope, actor, id, lang));
    },

    /** A revision with its content, for reading and printing. */
    async revision(actor: Actor, id: string, number: number, lang?: Language) {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const a = await load(tx, scope, id);
        const r = await findRevision(tx, scope, a.id, number);
        if (!r) throw notFound('Revision');
        const reader = lang ?? (await userLanguage(tx, actor.userId)) ?? 'en';
        return { assessment: a, content: await loadApplicable(tx, scope, r), language: reader };
      });
    },

    /** Two revisions side by side, question by question. */
    async compare(actor: Actor, id: string, from: number, to: number) {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const a = await load(tx, scope, id);
        const [rf, rt] = await Promise.all([findRevision(tx, scope, a.id, from), findRevision(tx, scope, a.id, to)]);
        if (!rf || !rt) throw notFound('Revision');
        const [cf, ct] = await Promise.all([loadApplicable(tx, scope, rf), loadApplicable(tx, scope, rt)]);
        const f = presentRevision(cf);
        const t = presentRevision(ct);
        const { sections: _s1, risks: rf2, signoffs: _g1, ...fromSummary } = f;
        const { sections: _s2, risks: rt2, signoffs: _g2, ...toSummary } = t;
        return { from: fromSummary, to: toSummary, questions: compareRevisions(cf, ct), risks: { from: rf2, to: rt2 } };
      });
    },

    /** Adopts a published bank version for an inventory item, or starts blank from the generic structure. */
    async create(actor: Actor, input: CreateInput): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, (tx) => createIn(tx, scope, actor, input));
    },

    createIn,

    /** Autosave of one answer; refused when the answer changed since the caller loaded it. */
    async saveAnswer(actor: Actor, id: string, questionId: string, input: AnswerInput) {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, null);
        const q = await findQuestion(tx, scope, revision.id, questionId);
        if (!q) throw new AppError('not_found', 'This question is not part of the assessment. Reload it to see its current questions.');
        const existing = await findAnswer(tx, scope, questionId);
        if (q.locked && (existing?.origin === 'operator' || existing?.origin === 'vendor'))
          throw new AppError('read_only', 'This answer is locked by the operator and cannot be changed.', { value: 'is locked' });
        const check = checkAnswer(q.kind as QuestionKind, q.options as QuestionOptions, input.value === undefined ? null : input.value);
        if (!check.ok) throw invalidFields({ value: check }, `The answer is not valid: it ${check.message}`);
        if ((existing?.version ?? 0) !== input.version) {
          throw new AppError(
            'stale',
            'Someone else changed this answer after you opened it. Reload to see their answer, then make yours again.',
          );
        }
        // Security: an answer the operator's staff write (onboarding) is labelled as theirs, never as the institution's.
        const origin: AnswerOrigin = isPlatformAdmin(actor) ? 'onboarding' : 'institution';
        const evidence = input.evidence === undefined ? undefined : evidenceColumns(input.evidence);
        const saved = await saveAnswer(tx, scope, {
          questionId,
          revisionId: revision.id,
          value: check.value,
          origin,
          updatedBy: actor.userId,
          version: input.version,
          evidence,
        });
        if (!saved)
          throw new AppError(
            'stale',
            'Someone else changed this answer after you opened it. Reload to see their answer, then make yours again.',
          );
        const after = await touch(tx, scope, a);
        // A change of evidence is recorded with the answer, in the same event.
        const evidenceBefore = existing ? evidenceValue(existing) : null;
        const evidenceAfter = evidenceValue(saved);
        const evidenceChanged = canonicalJson(evidenceBefore) !== canonicalJson(evidenceAfter);
        await recordAudit(tx, actor, {
          action: 'assessment.answer',
          recordType: 'assessment',
          recordId: a.id,
          before: {
            question: q.key,
            value: existing?.value ?? null,
            origin: existing?.origin ?? null,
            ...(evidenceChanged ? { evidence: evidenceBefore } : {}),
          },
          after: { question: q.key, value: saved.value, origin: saved.origin, ...(evidenceChanged ? { evidence: evidenceAfter } : {}) },
        });
        const name = (await userName(tx, actor.userId)) ?? 'Vetted operator';
        const months = (await findInstitution(tx, scope))?.evidenceReviewMonths ?? EVIDENCE_REVIEW_MONTHS;
        return {
          questionId,
          answer: {
            value: saved.value ?? null,
            origin,
            evidence: presentEvidence(saved, months),
            provenance: presentProvenance(saved),
            updatedBy: actor.userId ? { id: actor.userId, name } : null,
            updatedAt: new Date(saved.updatedAt).toISOString(),
            version: saved.version,
          },
          assessmentVersion: after.version,
        };
      });
    },

    async addSection(actor: Actor, id: string, input: z.output<typeof ownSectionCreateSchema>): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const sid = randomUUID();
        await insertSections(tx, scope, [
          {
            id: sid,
            revisionId: revision.id,
            key: `own-${sid.slice(0, 8)}`,
            origin: 'institution',
            code: '',
            title: input.title,
            description: input.description,
            position: await nextPosition(tx, scope, 'sections', revision.id),
          },
        ]);
        await touch(tx, scope, a);
        await audit(tx, actor, 'section.add', a.id, null, { section: input.title });
        return body(tx, scope, actor, id);
      });
    },

    async addQuestion(actor: Actor, id: string, input: z.output<typeof ownQuestionCreateSchema>): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      const problem = definitionProblem(input.kind, input.options);
      if (problem) throw invalidFields({ options: problem });
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const section = await findSection(tx, scope, revision.id, input.sectionId);
        if (!section) throw new AppError('validation', 'Some fields are not valid', { sectionId: 'is not a section of this assessment' });
        const qid = randomUUID();
        await insertQuestions(tx, scope, [
          {
            id: qid,
            revisionId: revision.id,
            sectionId: section.id,
            key: `own-${qid.slice(0, 8)}`,
            origin: 'institution',
            position: await nextPosition(tx, scope, 'questions', section.id),
            kind: input.kind,
            prompt: input.prompt,
            guidance: input.guidance,
            options: input.options,
            required: input.required,
            locked: false,
            hidden: false,
            condition: null,
            jurisdictions: [],
          },
        ]);
        await touch(tx, scope, a);
        await audit(tx, actor, 'question.add', a.id, null, { section: section.title, prompt: input.prompt, kind: input.kind });
        return body(tx, scope, actor, id);
      });
    },

    /** Hides or shows an editable operator question; rewords the institution's own questions. Locked ones stay. */
    async updateQuestion(
      actor: Actor,
      id: string,
      questionId: string,
      input: z.output<typeof questionUpdateSchema>,
    ): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const q = await findQuestion(tx, scope, revision.id, questionId);
        if (!q) throw new AppError('not_found', 'This question is not part of the assessment. Reload it to see its current questions.');
        const { version: _v, ...patch } = input;
        if (q.locked) throw new AppError('read_only', 'This question is locked by the operator: it cannot be hidden or changed.');
        if (
          q.origin === 'operator' &&
          (patch.prompt !== undefined || patch.guidance !== undefined || patch.options !== undefined || patch.required !== undefined)
        ) {
          throw new AppError('read_only', 'Questions from the master bank can be hidden but not reworded. Add your own question instead.', {
            prompt: 'belongs to the master bank',
          });
        }
        const problem = patch.options ? definitionProblem(q.kind as QuestionKind, patch.options) : null;
        if (problem) throw invalidFields({ options: problem });
        const after = await updateQuestion(tx, scope, q.id, patch);
        await touch(tx, scope, a);
        await audit(
          tx,
          actor,
          'question.update',
          a.id,
          { question: q.key, hidden: q.hidden, prompt: q.prompt },
          { question: q.key, hidden: after.hidden, prompt: after.prompt },
        );
        return body(tx, scope, actor, id);
      });
    },

    async deleteQuestion(actor: Actor, id: string, questionId: string, version: number): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, version);
        const q = await findQuestion(tx, scope, revision.id, questionId);
        if (!q) throw new AppError('not_found', 'This question is not part of the assessment. Reload it to see its current questions.');
        if (q.origin !== 'institution')
          throw new AppError('read_only', 'Questions from the master bank cannot be removed; hide them instead (unless they are locked).');
        await deleteQuestions(tx, scope, [q.id]);
        await touch(tx, scope, a);
        await audit(tx, actor, 'question.delete', a.id, { question: q.key, prompt: q.prompt }, null);
        return body(tx, scope, actor, id);
      });
    },

    async addRisk(actor: Actor, id: string, input: z.output<typeof riskCreateSchema>): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const { version: _v, ...fields } = input;
        const riskId = randomUUID();
        await insertRisks(tx, scope, [
          { id: riskId, revisionId: revision.id, ...fields, position: await nextPosition(tx, scope, 'risks', revision.id) },
        ]);
        await touch(tx, scope, a);
        await recordAudit(tx, actor, {
          action: 'assessment.risk.add',
          recordType: 'assessment',
          recordId: a.id,
          after: { risk: riskId, ...fields },
        });
        return body(tx, scope, actor, id);
      });
    },

    async updateRisk(actor: Actor, id: string, riskId: string, input: z.output<typeof riskUpdateSchema>): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const before = await findRisk(tx, scope, revision.id, riskId);
        if (!before) throw notFound('Risk');
        const { version: _v, ...patch } = input;
        const after = await updateRisk(tx, scope, riskId, { ...patch, version: before.version + 1 });
        await touch(tx, scope, a);
        const strip = ({ tenantId: _t, createdAt: _c, updatedAt: _u, ...rest }: typeof before) => rest;
        await recordAudit(tx, actor, {
          action: 'assessment.risk.update',
          recordType: 'assessment',
          recordId: a.id,
          before: strip(before),
          after: strip(after),
        });
        return body(tx, scope, actor, id);
      });
    },

    async deleteRisk(actor: Actor, id: string, riskId: string, version: number): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, version);
        const before = await findRisk(tx, scope, revision.id, riskId);
        if (!before) throw notFound('Risk');
        await deleteRisk(tx, scope, riskId);
        await touch(tx, scope, a);
        await recordAudit(tx, actor, {
          action: 'assessment.risk.delete',
          recordType: 'assessment',
          recordId: a.id,
          before: { risk: riskId, title: before.title },
        });
        return body(tx, scope, actor, id);
      });
    },

    /** Draft → in review. Required questions that are shown must be answered; the app goes in review. */
    async submit(actor: Actor, id: string, input: z.output<typeof submitSchema>): Promise<AssessmentBody> {
      authorize(actor, 'signOffAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForTransition(
          tx,
          scope,
          id,
          input.version,
          ['draft'],
          (status) => `An assessment that is ${status} cannot be submitted`,
        );
        // A required question of another jurisdiction is not asked of this institution.
        const content = await loadApplicable(tx, scope, revision);
        const answers = answersByKey(content);
        const missing: Record<string, string> = {};
        for (const s of content.sections)
          for (const q of s.questions)
            if (q.required && !q.hidden && isShown((q.condition ?? null) as Condition | null, answers) && !isAnswered(q.answer?.value))
              missing[`questions.${q.id}`] = `"${q.prompt}" needs an answer`;
        if (Object.keys(missing).length) throw new AppError('validation', 'Answer the required questions before submitting', missing);
        await checkInventoryCanFollow(tx, scope, a.inventoryItemId, 'in_review');
        await updateRevision(tx, scope, revision.id, { status: 'in_review', submittedAt: new Date() });
        await touch(tx, scope, a, { status: 'in_review' });
        await signoff(tx, scope, actor, revision.id, 'submitted', input.comment);
        await inventoryFollows(tx, scope, actor, a.inventoryItemId, 'in_review', {}, 'Privacy impact assessment submitted for review');
        await audit(
          tx,
          actor,
          'submit',
          a.id,
          { status: a.status },
          { status: 'in_review', revision: revision.number, comment: input.comment },
        );
        return body(tx, scope, actor, id);
      });
    },

    /** In review → draft, with the reviewer's comments. */
    async returnForChanges(actor: Actor, id: string, input: z.output<typeof returnSchema>): Promise<AssessmentBody> {
      authorize(actor, 'readAssessments');
      if (!policy.approve(actor)) throw forbidden(approverMessage(actor));
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForTransition(
          tx,
          scope,
          id,
          input.version,
          ['in_review'],
          () => 'Only an assessment in review can be returned for changes',
        );
        await updateRevision(tx, scope, revision.id, { status: 'draft', submittedAt: null });
        await touch(tx, scope, a, { status: 'draft' });
        await signoff(tx, scope, actor, revision.id, 'returned', input.comment);
        await audit(
          tx,
          actor,
          'return',
          a.id,
          { status: 'in_review' },
          { status: 'draft', revision: revision.number, comment: input.comment },
        );
        return body(tx, scope, actor, id);
      });
    },

    /** The institution's decision: approve, approve with conditions, or reject. Freezes the revision. */
    async decide(actor: Actor, id: string, input: z.output<typeof decideSchema>): Promise<AssessmentBody> {
      authorize(actor, 'readAssessments');
      if (!policy.approve(actor)) throw forbidden(approverMessage(actor));
      if (input.decision === 'approved_with_conditions' && !input.conditions.trim()) {
        throw new AppError('validation', 'Write the conditions of use before approving with conditions', {
          conditions: 'is required to approve with conditions',
        });
      }
      if (input.decision !== 'rejected' && input.nextReviewOn && input.nextReviewOn <= today()) {
        throw new AppError('validation', 'Some fields are not valid', { nextReviewOn: 'must be after today' });
      }
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForTransition(
          tx,
          scope,
          id,
          input.version,
          ['in_review'],
          (status) => `An assessment that is ${status} cannot be decided; it must be submitted for review first`,
        );
        const target = DECISION_TO_INVENTORY[input.decision]!;
        await checkInventoryCanFollow(tx, scope, a.inventoryItemId, target);
        // An approval starts a review cycle: the date the approver gives, else the institution's interval.
        const nextReviewOn =
          input.decision === 'rejected'
            ? input.nextReviewOn
            : (input.nextReviewOn ?? nextReviewAfterApproval(await rulesOf(tx, scope), null));
        await updateRevision(tx, scope, revision.id, {
          status: input.decision,
          decidedAt: new Date(),
          conditions: input.conditions,
          nextReviewOn,
        });
        await touch(tx, scope, a, {
          status: input.decision,
          ...(input.decision === 'rejected' ? {} : { approvedRevision: revision.number }),
        });
        await signoff(tx, scope, actor, revision.id, input.decision, input.comment);
        await inventoryFollows(
          tx,
          scope,
          actor,
          a.inventoryItemId,
          target,
          {
            ...(input.decision === 'approved_with_conditions' ? { conditionsOfUse: input.conditions } : {}),
            ...(nextReviewOn ? { nextReviewOn } : {}),
          },
          `Privacy impact assessment revision ${revision.number}: ${input.decision.replace(/_/g, ' ')}`,
        );
        await hooks.onItemDecided?.(tx, scope, actor, a.inventoryItemId);
        await audit(
          tx,
          actor,
          'decide',
          a.id,
          { status: 'in_review' },
          { status: input.decision, revision: revision.number, comment: input.comment, conditions: input.conditions },
        );
        return body(tx, scope, actor, id);
      });
    },

    /** Starts a new draft revision from a decided one, which stays frozen and kept. */
    async reopen(actor: Actor, id: string, input: z.output<typeof reopenSchema>): Promise<AssessmentBody> {
      authorize(actor, 'signOffAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForTransition(
          tx,
          scope,
          id,
          input.version,
          DECIDED_STATUSES,
          () => 'Only a decided assessment can be reopened',
        );
        const content = await loadRevision(tx, scope, revision);
        const next = await insertRevision(tx, scope, {
          assessmentId: a.id,
          number: revision.number + 1,
          status: 'draft',
          templateVersionId: revision.templateVersionId,
          createdBy: actor.userId,
        });
        await writeContent(tx, scope, contentRows(next.id, content, { withAnswers: true, updatedBy: null }));
        await insertRisks(
          tx,
          scope,
          content.risks.map(({ tenantId: _t, id: _i, revisionId: _r, createdAt: _c, updatedAt: _u, version: _v, ...r }) => ({
            ...r,
            id: randomUUID(),
            revisionId: next.id,
          })),
        );
        await touch(tx, scope, a, { status: 'draft', currentRevision: next.number });
        await signoff(tx, scope, actor, next.id, 'reopened', input.comment || `Reopened from revision ${revision.number}`);
        await audit(
          tx,
          actor,
          'reopen',
          a.id,
          { revision: revision.number, status: revision.status },
          { revision: next.number, status: 'draft', comment: input.comment },
        );
        return body(tx, scope, actor, id);
      });
    },

    /** The question-by-question three-way diff against a newer published version (default: the latest). */
    async mergePreview(actor: Actor, id: string, toVersionId?: string, lang?: Language) {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const a = await load(tx, scope, id);
        const { base, theirs } = await mergeSides(tx, a, toVersionId);
        const [content, applicable, chosen] = await Promise.all([
          loadRevision(tx, scope, await currentRevision(tx, scope, a)),
          jurisdictionsOf(tx, scope),
          lang ? undefined : userLanguage(tx, actor.userId),
        ]);
        const reader = lang ?? chosen ?? 'en';
        // A change to a question of another jurisdiction is still taken (the copy keeps every bank
        // question, so later merges line up) but is not put to the institution unless it conflicts.
        const tags = new Map<string, readonly string[]>();
        for (const side of [base, theirs])
          for (const s of side?.sections ?? []) for (const q of s.questions) tags.set(q.key, q.jurisdictions);
        for (const s of content.sections) for (const q of s.questions) tags.set(q.key, q.jurisdictions);
        return {
          fromVersion: base ? { id: base.version.id, number: base.version.number } : null,
          toVersion: { id: theirs.version.id, number: theirs.version.number, changeLog: theirs.version.changeLog },
          changes: localizeMergeChanges(
            threeWayDiff(base, theirs, content).filter((c) => c.conflict || appliesIn(tags.get(c.key) ?? [], applicable)),
            reader,
            [theirs, content, base],
          ),
        };
      });
    },

    /**
     * Applies a newer version: each change is taken or kept as decided. A conflict must be decided
     * explicitly; both sides of every change are recorded with the merge, so nothing is lost.
     */
    async merge(actor: Actor, id: string, input: z.output<typeof mergeApplySchema>): Promise<AssessmentBody> {
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const { a, revision } = await loadForEdit(tx, scope, id, input.version);
        const { base, theirs } = await mergeSides(tx, a, input.toVersionId);
        const content = await loadRevision(tx, scope, revision);
        const changes = threeWayDiff(base, theirs, content);
        const byKey = new Map(changes.map((c) => [c.key, c]));
        const decided = new Map<string, 'take' | 'keep'>();
        const problems: Record<string, string> = {};
        for (const d of input.decisions) {
          if (!byKey.has(d.key)) problems[`decisions.${d.key}`] = 'is not a change of this update';
          decided.set(d.key, d.action);
        }
        for (const c of changes)
          if (c.conflict && !decided.has(c.key))
            problems[`decisions.${c.key}`] = 'is a conflict: choose to take the new version or keep yours';
        if (Object.keys(problems).length) throw new AppError('validation', 'Some changes need a decision', problems);

        const theirsIndex = new Map<
          string,
          { q: VersionContent['sections'][number]['questions'][number]; s: VersionContent['sections'][number] }
        >();
        for (const s of theirs.sections) for (const q of s.questions) theirsIndex.set(q.key, { q, s });
        const ours = new Map(content.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)));
        const ourSections = new Map(content.sections.map((s) => [s.key, s]));
        const record: unknown[] = [];
        for (const c of changes) {
          const action = decided.get(c.key) ?? c.suggested;
          record.push({
            key: c.key,
            change: c.change,
            action,
            conflict: c.conflict,
            definition: c.definition,
            answer: c.answer,
            evidence: c.evidence,
          });
          if (action === 'keep') continue;
          const t = theirsIndex.get(c.key);
          const o = ours.get(c.key);
          if (c.change === 'removed' && o) {
            await deleteQuestions(tx, scope, [o.id]);
          } else if (c.change === 'added' && t) {
            let section = ourSections.get(t.s.key);
            if (!section) {
              const sid = randomUUID();
              await insertSections(tx, scope, [
                {
                  id: sid,
                  revisionId: revision.id,
                  key: t.s.key,
                  origin: 'operator',
                  code: t.s.code,
                  title: t.s.title,
                  description: t.s.description,
                  position: t.s.position,
                },
              ]);
              section = { ...t.s, id: sid, origin: 'operator', questions: [] } as unknown as (typeof content.sections)[number];
              ourSections.set(t.s.key, section);
            }
            const qid = randomUUID();
            await insertQuestions(tx, scope, [
              {
                id: qid,
                revisionId: revision.id,
                sectionId: section.id,
                key: t.q.key,
                origin: 'operator',
                position: t.q.position,
                ...definitionOf(t.q),
                hidden: false,
                jurisdictions: t.q.jurisdictions,
              },
            ]);
            if (t.q.preAnswer !== null && t.q.preAnswer !== undefined)
              await insertAnswers(tx, scope, [
                {
                  questionId: qid,
                  revisionId: revision.id,
                  value: t.q.preAnswer,
                  origin: preAnswerOriginOf(t.q),
                  updatedBy: actor.userId,
                  version: 1,
                  ...preAnswerEvidenceOf(t.q),
                  ...preAnswerProvenanceOf(t.q),
                },
              ]);
          } else if (c.change === 'modified' && t && o) {
            if (c.definition.theirsChanged) await updateQuestion(tx, scope, o.id, { ...definitionOf(t.q), position: t.q.position });
            if (c.answer.theirsChanged || c.evidence.theirsChanged) {
              const existing = await findAnswer(tx, scope, o.id);
              // The bank's evidence comes with the bank's answer, or alone to a copy still holding that answer.
              const ok = await saveAnswer(tx, scope, {
                questionId: o.id,
                revisionId: revision.id,
                value: c.answer.theirsChanged ? (t.q.preAnswer ?? null) : (existing?.value ?? null),
                origin: c.answer.theirsChanged || !existing ? preAnswerOriginOf(t.q) : (existing.origin as AnswerOrigin),
                updatedBy: actor.userId,
                version: existing?.version ?? 0,
                evidence: preAnswerEvidenceOf(t.q),
                // The vendor's days travel with the vendor's answer (an answer of any other origin has none).
                provenance: preAnswerProvenanceOf(t.q),
              });
              if (!ok) throw stale();
            }
          }
        }
        await insertMerge(tx, scope, {
          assessmentId: a.id,
          revisionId: revision.id,
          fromVersionId: base?.version.id ?? null,
          toVersionId: theirs.version.id,
          decisions: record,
          mergedBy: actor.userId,
        });
        await updateRevision(tx, scope, revision.id, { templateVersionId: theirs.version.id });
        await touch(tx, scope, a, { baseVersionId: theirs.version.id });
        await audit(
          tx,
          actor,
          'merge',
          a.id,
          { baseVersion: base?.version.number ?? null },
          {
            baseVersion: theirs.version.number,
            taken: record.filter((r) => (r as { action: string }).action === 'take').length,
            kept: record.filter((r) => (r as { action: string }).action === 'keep').length,
          },
        );
        return body(tx, scope, actor, id);
      });
    },

    /**
     * The data the PDF and the summaries are made from (a revision; default the current one), in
     * `language` (default: the one the reader chose, else English).
     */
    async printable(actor: Actor, id: string, number?: number, language?: Language) {
      authorize(actor, 'readAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const a = await load(tx, scope, id);
        const r = await findRevision(tx, scope, a.id, number ?? a.currentRevision);
        if (!r) throw notFound('Revision');
        const [content, institution, item, chosen] = await Promise.all([
          loadApplicable(tx, scope, r),
          findInstitution(tx, scope),
          findInventoryItem(tx, scope, a.inventoryItemId),
          language ? null : userLanguage(tx, actor.userId),
        ]);
        const reader = language ?? chosen ?? 'en';
        return {
          assessment: a,
          content: localizeRevision(content, reader),
          institutionName: institution?.name ?? '',
          jurisdictions: institution ? institutionJurisdictions(institution.country, institution.subdivision) : new Set<string>(),
          item: item!,
          language: reader,
        };
      });
    },
  };

  /** Base (the version adopted) and theirs (a newer published version of the same template). */
  async function mergeSides(
    tx: Tx,
    a: AssessmentListRow,
    toVersionId?: string,
  ): Promise<{ base: VersionContent | null; theirs: VersionContent }> {
    if (!a.templateId)
      throw new AppError('conflict', 'This assessment was not adopted from the master bank, so it has no updates to merge');
    const to = toVersionId ? await findVersion(tx, toVersionId) : await latestPublished(tx, a.templateId);
    if (!to || to.templateId !== a.templateId || to.status !== 'published') {
      throw new AppError('validation', 'Some fields are not valid', { toVersionId: 'is not a published version of the adopted template' });
    }
    if (a.baseVersionNumber !== null && to.number <= a.baseVersionNumber)
      throw new AppError('conflict', `This assessment is already based on version ${a.baseVersionNumber}; there is nothing newer to merge`);
    const baseRow = a.baseVersionId ? await findVersion(tx, a.baseVersionId) : undefined;
    return { base: baseRow ? await loadVersionContent(tx, baseRow) : null, theirs: await loadVersionContent(tx, to) };
  }
}
export type AssessmentService = ReturnType<typeof createAssessmentService>;

/** Why the actor may not decide, in words an administrator can act on. */
function approverMessage(actor: Actor): string {
  if (isPlatformAdmin(actor))
    return 'Approval is the institution’s decision alone: operator staff cannot approve, reject or return an assessment.';
  return 'Only a site administrator, or an app administrator given the approver right, can decide on this assessment.';
}
