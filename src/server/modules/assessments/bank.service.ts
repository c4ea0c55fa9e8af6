/**
 * The master bank of PIAs, curated by the operator: templates with numbered versions; a draft is
 * edited as a whole and published once; a published version never changes again.
 */
import type { z } from 'zod';
import type {
  BankSectionInput,
  BankTemplateBody,
  BankVersionBody,
  bankPublishSchema,
  bankQuerySchema,
  bankTemplateCreateSchema,
  bankTemplateUpdateSchema,
  BankVersionContent,
  QuestionKind,
} from '../../../contracts/assessments.js';
import { authorize, isPlatformAdmin, type Actor } from '../../platform/authz.js';
import { canonicalJson, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withShared, withSystem, type Tx } from '../../platform/db.js';
import { AppError, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { findCatalogApp } from '../catalog/catalog.repo.js';
import { checkAnswer, definitionProblem } from './answers.js';
import {
  contentAsInput,
  preAnswerEvidenceInput,
  findTemplate,
  findTemplateBySlug,
  findVersion,
  findVersionByNumber,
  insertTemplate,
  insertVersion,
  latestPublished,
  listTemplates,
  listVersions,
  loadVersionContent,
  touchDraft,
  updateTemplate,
  writeVersionContent,
  type TemplateVersionRow,
  type TemplateWithApp,
  type VersionContent,
  type StoredSectionInput,
} from './bank.repo.js';
import { preAnswerProvenanceOf, type EvidenceSave, type ProvenanceColumns } from './evidence.js';
import { presentBankVersion, presentTemplate } from './bank.presenter.js';
import { hasWords, TEXT_PRE_ANSWER_KINDS } from './localize.js';
import { versionChanges } from './merge.js';
import type { UpdateNoticeJobs } from './update-notice.job.js';

type CreateInput = z.output<typeof bankTemplateCreateSchema>;
type UpdateInput = z.output<typeof bankTemplateUpdateSchema>;
type PublishInput = z.output<typeof bankPublishSchema>;
type Query = z.output<typeof bankQuerySchema>;

/** Field-level problems of a version's content: unique keys, valid definitions, pre-answers and conditions. */
export function contentProblems(sections: readonly BankSectionInput[]): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  const sectionKeys = new Set<string>();
  const questionKinds = new Map<string, QuestionKind>();
  sections.forEach((s, si) => {
    if (sectionKeys.has(s.key)) problems[`sections.${si}.key`] = { code: 'duplicate_section_key', message: 'is used by another section' };
    sectionKeys.add(s.key);
    s.questions.forEach((q, qi) => {
      const at = `sections.${si}.questions.${qi}`;
      if (questionKinds.has(q.key)) problems[`${at}.key`] = { code: 'duplicate_question_key', message: 'is used by another question' };
      const def = definitionProblem(q.kind, q.options);
      if (def) problems[`${at}.options`] = def;
      if (q.preAnswer !== undefined && q.preAnswer !== null) {
        const check = checkAnswer(q.kind, q.options, q.preAnswer);
        if (!check.ok)
          problems[`${at}.preAnswer`] = { code: check.code, message: check.message, ...(check.params ? { params: check.params } : {}) };
      }
      if (q.fr?.preAnswer !== undefined && q.fr.preAnswer !== null) {
        const check = TEXT_PRE_ANSWER_KINDS.includes(q.kind)
          ? checkAnswer(q.kind, q.options, q.fr.preAnswer)
          : ({ ok: false, code: 'invalid', message: 'only a question whose answer holds words has a French pre-answer' } as const);
        if (!check.ok)
          problems[`${at}.fr.preAnswer`] = {
            code: check.code,
            message: check.message,
            ...('params' in check && check.params ? { params: check.params } : {}),
          };
      }
      if (q.condition && !questionKinds.has(q.condition.questionKey)) {
        problems[`${at}.condition.questionKey`] = { code: 'condition_not_earlier', message: 'must be the key of an earlier question' };
      }
      questionKinds.set(q.key, q.kind);
    });
  });
  return problems;
}

/**
 * The draft's content as saved, keeping the vendor's mark on each pre-answer the editor sent back
 * unchanged (the editor does not carry the mark; a changed pre-answer becomes the operator's), and
 * the evidence of each pre-answer whose question the editor sent without any (omitted: unchanged).
 */
function keepVendorOrigins(before: VersionContent, sections: readonly BankSectionInput[]): StoredSectionInput[] {
  const vendor = new Map<string, { value: unknown; provenance: ProvenanceColumns }>();
  const evidence = new Map<string, ReturnType<typeof preAnswerEvidenceInput>>();
  for (const s of before.sections)
    for (const q of s.questions) {
      if (q.preAnswerOrigin === 'vendor') vendor.set(q.key, { value: q.preAnswer, provenance: preAnswerProvenanceOf(q) });
      evidence.set(q.key, preAnswerEvidenceInput(q));
    }
  return sections.map((s) => ({
    ...s,
    questions: s.questions.map((q) => {
      const kept = q.preAnswerEvidence === undefined ? { ...q, preAnswerEvidence: evidence.get(q.key) ?? null } : q;
      const was = vendor.get(q.key);
      // The vendor's days stay with the vendor's answer left as it was.
      return (q.preAnswerOrigin ?? 'vendor') === 'vendor' &&
        was !== undefined &&
        canonicalJson(was.value ?? null) === canonicalJson(q.preAnswer ?? null)
        ? { ...kept, preAnswerOrigin: 'vendor' as const, preAnswerProvenance: was.provenance }
        : kept;
    }),
  }));
}

const FRENCH_MISSING: FieldProblem = { code: 'french_missing', message: 'needs its French before the version is published' };
const has = (s: string | undefined | null) => typeof s === 'string' && s.trim() !== '';

/**
 * Every bank text of a version without its French, by field path (`sections.0.fr.title`,
 * `sections.0.questions.2.fr.choices.yes`…): a version is published only when this is empty, so that
 * every version an institution adopts reads in both languages.
 */
export function frenchProblems(
  sections: readonly BankSectionInput[],
  template?: { title: string; description: string; fr?: { title: string; description: string } | null },
): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  if (template) {
    if (!has(template.fr?.title)) problems['template.fr.title'] = FRENCH_MISSING;
    if (has(template.description) && !has(template.fr?.description)) problems['template.fr.description'] = FRENCH_MISSING;
  }
  sections.forEach((s, si) => {
    if (!has(s.fr?.title)) problems[`sections.${si}.fr.title`] = FRENCH_MISSING;
    if (has(s.description) && !has(s.fr?.description)) problems[`sections.${si}.fr.description`] = FRENCH_MISSING;
    s.questions.forEach((q, qi) => {
      const at = `sections.${si}.questions.${qi}.fr`;
      if (!has(q.fr?.prompt)) problems[`${at}.prompt`] = FRENCH_MISSING;
      if (has(q.guidance) && !has(q.fr?.guidance)) problems[`${at}.guidance`] = FRENCH_MISSING;
      for (const c of q.options.choices ?? []) if (!has(q.fr?.choices?.[c.value])) problems[`${at}.choices.${c.value}`] = FRENCH_MISSING;
      for (const c of q.options.columns ?? []) if (!has(q.fr?.columns?.[c.key])) problems[`${at}.columns.${c.key}`] = FRENCH_MISSING;
      if (hasWords(q.kind, q.preAnswer) && !hasWords(q.kind, q.fr?.preAnswer)) {
        problems[`${at}.preAnswer`] = FRENCH_MISSING;
      }
    });
  });
  return problems;
}

function throwIfProblems(problems: Record<string, FieldProblem>): void {
  if (Object.keys(problems).length) throw invalidFields(problems);
}

function staleDraft(): AppError {
  return new AppError('stale', 'Someone else saved this draft after you opened it. Reload to see their changes, then make yours again.');
}

function readOnlyVersion(): AppError {
  return new AppError('read_only', 'A published version cannot be changed. Start a new version instead.');
}

/**
 * `notify`: the job that tells adopters of a newly published version (enqueued with the publish).
 */
export function createBankService(ctx: Pick<AppContext, 'db' | 'jobs'>, notify: UpdateNoticeJobs['fanOut']) {
  const { db } = ctx;

  async function present(tx: Tx, rows: TemplateWithApp[], publishedOnly: boolean): Promise<BankTemplateBody[]> {
    const versions = await listVersions(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) =>
      presentTemplate(
        r,
        versions.filter((v) => v.templateId === r.id && (!publishedOnly || v.status === 'published')),
      ),
    );
  }

  /** A version with its content and what it changed since the version before it. */
  async function presentVersion(tx: Tx, version: TemplateVersionRow): Promise<BankVersionBody> {
    const previous = await findVersionByNumber(tx, version.templateId, version.number - 1);
    const [content, before] = await Promise.all([loadVersionContent(tx, version), previous ? loadVersionContent(tx, previous) : null]);
    return presentBankVersion(content, versionChanges(before, content));
  }

  async function loadTemplate(tx: Tx, id: string, publishedOnly: boolean): Promise<BankTemplateBody> {
    const row = await findTemplate(tx, id);
    if (!row) throw notFound('Template');
    const [body] = await present(tx, [row], publishedOnly);
    if (publishedOnly && !body!.latestPublished) throw notFound('Template');
    return body!;
  }

  return {
    async list(actor: Actor, q: Query): Promise<{ items: BankTemplateBody[] }> {
      authorize(actor, 'readBank');
      const publishedOnly = !isPlatformAdmin(actor);
      return withShared(db, async (tx) => ({
        items: await present(tx, await listTemplates(tx, { catalogAppId: q.catalogAppId, text: q.q, publishedOnly }), publishedOnly),
      }));
    },

    async get(actor: Actor, id: string): Promise<BankTemplateBody> {
      authorize(actor, 'readBank');
      return withShared(db, (tx) => loadTemplate(tx, id, !isPlatformAdmin(actor)));
    },

    /** A version with its content. Institutions see published versions only. */
    async getVersion(actor: Actor, versionId: string): Promise<BankVersionBody> {
      authorize(actor, 'readBank');
      return withShared(db, async (tx) => {
        const version = await findVersion(tx, versionId);
        if (!version || (version.status !== 'published' && !isPlatformAdmin(actor))) throw notFound('Template version');
        return presentVersion(tx, version);
      });
    },

    /** Creates a template with a first draft version (empty, or a copy of another template's latest published content). */
    async create(actor: Actor, input: CreateInput): Promise<BankTemplateBody> {
      authorize(actor, 'manageBank');
      return withSystem(db, async (tx) => {
        if (input.catalogAppId && !(await findCatalogApp(tx, input.catalogAppId)))
          throwIfProblems({ catalogAppId: { code: 'unknown_catalog_app', message: 'is not an app of the catalog' } });
        if (await findTemplateBySlug(tx, input.slug)) {
          throw invalidFields(
            { slug: { code: 'key_taken', message: 'is already used' } },
            `A template with the key "${input.slug}" already exists`,
            'duplicate',
          );
        }
        let sections: BankSectionInput[] = [];
        if (input.copyFromTemplateId) {
          const source = await latestPublished(tx, input.copyFromTemplateId);
          if (!source)
            throwIfProblems({
              copyFromTemplateId: { code: 'no_published_version', message: 'is not a template with a published version' },
            });
          sections = contentAsInput(await loadVersionContent(tx, source!));
        }
        const template = await insertTemplate(tx, {
          slug: input.slug,
          title: input.title,
          description: input.description,
          catalogAppId: input.catalogAppId,
          jurisdictions: [...input.jurisdictions],
          fr: input.fr ?? null,
        });
        const version = await insertVersion(tx, template.id, 1, 'First version.');
        await writeVersionContent(tx, version.id, sections);
        await recordAudit(tx, actor, {
          action: 'bank.template.create',
          recordType: 'pia_template',
          recordId: template.id,
          after: template,
          tenantId: null,
        });
        return loadTemplate(tx, template.id, false);
      });
    },

    async update(actor: Actor, id: string, input: UpdateInput): Promise<BankTemplateBody> {
      authorize(actor, 'manageBank');
      return withSystem(db, async (tx) => {
        const before = await findTemplate(tx, id);
        if (!before) throw notFound('Template');
        if (input.catalogAppId && !(await findCatalogApp(tx, input.catalogAppId)))
          throwIfProblems({ catalogAppId: { code: 'unknown_catalog_app', message: 'is not an app of the catalog' } });
        const { jurisdictions, ...rest } = input;
        const after = await updateTemplate(tx, id, { ...rest, ...(jurisdictions ? { jurisdictions: [...jurisdictions] } : {}) });
        const { catalogAppName: _n, ...beforeRow } = before;
        await recordAudit(tx, actor, {
          action: 'bank.template.update',
          recordType: 'pia_template',
          recordId: id,
          before: beforeRow,
          after: after!,
          tenantId: null,
        });
        return loadTemplate(tx, id, false);
      });
    },

    /** Starts the next version as a draft copy of the latest one. One draft at a time. */
    async newDraft(actor: Actor, templateId: string): Promise<BankVersionBody> {
      authorize(actor, 'manageBank');
      return withSystem(db, async (tx) => {
        const template = await findTemplate(tx, templateId);
        if (!template) throw notFound('Template');
        const versions = await listVersions(tx, [templateId]);
        if (versions.some((v) => v.status === 'draft'))
          throw new AppError('conflict', 'This template already has a draft version. Publish or edit it first.');
        const last = versions.at(-1);
        const draft = await insertVersion(tx, templateId, (last?.number ?? 0) + 1);
        if (last) await writeVersionContent(tx, draft.id, contentAsInput(await loadVersionContent(tx, last)));
        await recordAudit(tx, actor, {
          action: 'bank.version.create',
          recordType: 'pia_template_version',
          recordId: draft.id,
          after: draft,
          tenantId: null,
        });
        return presentVersion(tx, draft);
      });
    },

    /** Replaces the content of a draft (sent whole, with the draft's `version`). */
    async saveContent(actor: Actor, versionId: string, input: BankVersionContent): Promise<BankVersionBody> {
      authorize(actor, 'manageBank');
      throwIfProblems(contentProblems(input.sections));
      return withSystem(db, async (tx) => {
        const before = await findVersion(tx, versionId);
        if (!before) throw notFound('Template version');
        if (before.status !== 'draft') throw readOnlyVersion();
        if (before.version !== input.version) throw staleDraft();
        const after = await touchDraft(tx, versionId, input.version, { changeLog: input.changeLog });
        if (!after) throw staleDraft();
        await writeVersionContent(tx, versionId, keepVendorOrigins(await loadVersionContent(tx, before), input.sections));
        await recordAudit(tx, actor, {
          action: 'bank.version.update',
          recordType: 'pia_template_version',
          recordId: versionId,
          before: { changeLog: before.changeLog },
          after: {
            changeLog: after.changeLog,
            sections: input.sections.length,
            questions: input.sections.reduce((n, s) => n + s.questions.length, 0),
          },
          tenantId: null,
        });
        return presentVersion(tx, after);
      });
    },

    /**
     * Publishes, in `tx`, the next version of a template: the latest published content with the given
     * pre-answers (each marked as the vendor's) and `changeLog`. For vendor questionnaires: the one
     * way they write into the bank. Refused while the template has a draft (the operator's work in
     * progress is never overwritten).
     */
    async publishVendorPreAnswers(
      tx: Tx,
      actor: Actor,
      templateId: string,
      preAnswers: ReadonlyMap<string, { value: unknown; evidence: EvidenceSave | null }>,
      changeLog: string,
      provenance: ProvenanceColumns,
    ): Promise<TemplateVersionRow> {
      authorize(actor, 'manageBank');
      const versions = await listVersions(tx, [templateId]);
      if (versions.some((v) => v.status === 'draft'))
        throw new AppError(
          'conflict',
          'This template has a draft version. Publish or finish the draft first, then publish the vendor’s answers.',
        );
      const latest = await latestPublished(tx, templateId);
      if (!latest) throw notFound('Template');
      const sections = contentAsInput(await loadVersionContent(tx, latest)).map((s) => ({
        ...s,
        questions: s.questions.map((q) => {
          const vendor = preAnswers.get(q.key);
          return vendor
            ? {
                ...q,
                preAnswer: vendor.value,
                preAnswerEvidence: vendor.evidence,
                preAnswerOrigin: 'vendor' as const,
                preAnswerProvenance: provenance,
              }
            : q;
        }),
      }));
      throwIfProblems(contentProblems(sections));
      const draft = await insertVersion(tx, templateId, (versions.at(-1)?.number ?? 0) + 1, changeLog);
      await writeVersionContent(tx, draft.id, sections);
      const after = await touchDraft(tx, draft.id, draft.version, {
        status: 'published',
        publishedAt: new Date(),
        publishedBy: actor.userId,
      });
      await recordAudit(tx, actor, {
        action: 'bank.version.publish',
        recordType: 'pia_template_version',
        recordId: draft.id,
        after: { ...after!, vendorAnswers: [...preAnswers.keys()] },
        tenantId: null,
      });
      await ctx.jobs.enqueue(tx, notify, { versionId: draft.id });
      return after!;
    },

    /** Publishes a draft: from now on it is immutable and adopters of earlier versions are offered it. */
    async publish(actor: Actor, versionId: string, input: PublishInput): Promise<BankVersionBody> {
      authorize(actor, 'manageBank');
      return withSystem(db, async (tx) => {
        const before = await findVersion(tx, versionId);
        if (!before) throw notFound('Template version');
        if (before.status !== 'draft') throw new AppError('invalid_transition', 'This version is already published');
        const content = await loadVersionContent(tx, before);
        if (!content.sections.some((s) => s.questions.length)) {
          throw invalidFields(
            { sections: { code: 'no_question', message: 'has no question' } },
            'Add at least one question before publishing',
          );
        }
        if (before.version !== input.version) throw staleDraft();
        const template = await findTemplate(tx, before.templateId);
        const untranslated = frenchProblems(contentAsInput(content), template);
        if (Object.keys(untranslated).length) {
          throw invalidFields(untranslated, 'Give every text of this version its French before publishing: the fields listed have none');
        }
        const after: TemplateVersionRow | undefined = await touchDraft(tx, versionId, input.version, {
          status: 'published',
          publishedAt: new Date(),
          publishedBy: actor.userId,
          ...(input.changeLog !== undefined ? { changeLog: input.changeLog } : {}),
        });
        if (!after) throw staleDraft();
        await recordAudit(tx, actor, {
          action: 'bank.version.publish',
          recordType: 'pia_template_version',
          recordId: versionId,
          before,
          after,
          tenantId: null,
        });
        // Adopters of earlier versions are emailed in the background; the job exists iff this commits.
        await ctx.jobs.enqueue(tx, notify, { versionId });
        return presentVersion(tx, after);
      });
    },
  };
}
export type BankService = ReturnType<typeof createBankService>;
