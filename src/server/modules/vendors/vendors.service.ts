/**
 * Vendor questionnaires (issue 15, docs/adr/0014-vendor-questionnaires.md). The operator, for the
 * bank, or an institution's site admin, for an app the bank lacks, invites a vendor contact by email
 * to answer a bank template version for their product. The contact is not a user: the link (only its
 * keyed hash is stored) is the only way in; answers are saved one by one and submitted once. The
 * reviewer accepts or rejects each answer and publishes the accepted ones: into a new published bank
 * version as the vendor's pre-answers (reaching adopted copies through the three-way merge), or into
 * the institution's own PIA of the app. The contact's email is sealed, never audited, exported or
 * shown, and erased when the questionnaire is submitted (with the receipt mail), revoked or expired.
 */
import { evidenceValue, NO_PROVENANCE, type EvidenceSave } from '../assessments/evidence.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { QuestionKind, QuestionOptions } from '../../../contracts/assessments.js';
import type { Language } from '../../../contracts/domain.js';
import type {
  VendorPage,
  VendorQuestionnaire,
  vendorAnswerSaveSchema,
  vendorInviteSchema,
  vendorReviewSchema,
  VendorFile,
  vendorFileUploadQuerySchema,
} from '../../../contracts/vendors.js';
import { authorize, isPlatformAdmin, scopeOf, systemActor, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withSystem, withTenant, type Tx } from '../../platform/db.js';
import { iso, isoDay } from '../../platform/dates.js';
import { AppError, invalid, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { openSecret, sealSecret } from '../../platform/secrets.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import { checkAnswer } from '../assessments/answers.js';
import { findAnswer, findAssessmentForItem, findRevision, loadRevision, saveAnswer } from '../assessments/assessments.repo.js';
import {
  findGenericTemplate,
  findTemplate,
  findVersion,
  latestPublished,
  loadVersionContent,
  type TemplateQuestionRow,
  type VersionContent,
} from '../assessments/bank.repo.js';
import type { BankService } from '../assessments/bank.service.js';
import { findInventoryItem } from '../inventory/inventory.repo.js';
import { decryptAttachment, encryptAttachment } from '../attachments/attachment-crypto.js';
import { downloadName, fileTooLarge } from '../attachments/attachments.service.js';
import { detectAttachmentType } from '../attachments/file-type.js';
import { renderMail } from '../mail/mail.templates.js';
import type { MailOutbox } from '../mail/outbox.js';
import { emailAad, fileKeyAad } from './vendors.keys.js';
import { evidenceOf, filesByQuestion, presentFile, presentQuestionnaire, presentSummary } from './vendors.presenter.js';
import {
  deleteFile,
  findFile,
  insertFile,
  listFiles,
  findQuestionnaire,
  insertQuestionnaire,
  listAnswers,
  listQuestionnaires,
  saveVendorAnswer,
  setReview,
  unsafeEraseContact,
  unsafeFindByTokenHash,
  unsafeListExpiredWithEmail,
  updateQuestionnaire,
  type Owner,
  type QuestionnaireRow,
  type QuestionnaireWithTemplate,
  type VendorFileRow,
} from './vendors.repo.js';

type InviteInput = z.output<typeof vendorInviteSchema>;
type SaveInput = z.output<typeof vendorAnswerSaveSchema>;
type ReviewInput = z.output<typeof vendorReviewSchema>;
type FileUploadInput = z.output<typeof vendorFileUploadQuerySchema>;

const DAY_MS = 24 * 3600_000;

/** What a file's encryption is bound to besides its row: its institution, or the bank. */
const fileOwner = (tenantId: string | null) => tenantId ?? 'bank';

/** The label of a bank version carrying a vendor's answers. */
export function vendorChangeLog(submittedOn: string): string {
  return `Answered by the vendor on ${submittedOn}, reviewed by the operator.`;
}

function longDay(day: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

function throwIfProblems(problems: Record<string, FieldProblem>, message?: string): void {
  if (Object.keys(problems).length) throw invalidFields(problems, message);
}

const problem = (message: string): FieldProblem => ({ code: undefined, message });

/** What a questionnaire's audit events record: never the contact's email. */
function audited(q: QuestionnaireRow): Record<string, unknown> {
  return {
    productName: q.productName,
    vendorName: q.vendorName,
    templateId: q.templateId,
    templateVersionId: q.templateVersionId,
    inventoryItemId: q.inventoryItemId,
    language: q.language,
    status: q.status,
    expiresAt: iso(q.expiresAt),
  };
}

function questionsOf(content: VersionContent): Map<string, TemplateQuestionRow> {
  return new Map(content.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)));
}

export interface VendorDeps {
  outbox: Pick<MailOutbox, 'queue' | 'kick'>;
  bank: Pick<BankService, 'publishVendorPreAnswers'>;
}

export function createVendorService(ctx: Pick<AppContext, 'db' | 'config'>, deps: VendorDeps) {
  const { db, config } = ctx;
  const hash = (token: string) => hashToken(config.sessionSecret, `vendor-questionnaire:${token}`);

  /** The operator works on the bank's questionnaires; a site admin on its institution's. */
  function ownerOf(actor: Actor): Owner {
    if (isPlatformAdmin(actor)) {
      authorize(actor, 'manageBank');
      return { kind: 'bank' };
    }
    authorize(actor, 'manageInstitution');
    return { kind: 'institution', scope: scopeOf(actor) };
  }

  /** One unit of work of an owner: system code for the bank's, the institution's own otherwise. */
  function inOwner<T>(owner: Owner, fn: (tx: Tx) => Promise<T>): Promise<T> {
    return owner.kind === 'bank' ? withSystem(db, fn) : withTenant(db, owner.scope, fn);
  }

  const ownerOfRow = (q: Pick<QuestionnaireRow, 'tenantId'>): Owner =>
    q.tenantId ? { kind: 'institution', scope: unsafeTenantScope(q.tenantId) } : { kind: 'bank' };

  /** The system actor of the vendor's page, in the questionnaire's audit chain. */
  const vendorActor = (q: Pick<QuestionnaireRow, 'tenantId'>) => systemActor('vendor-questionnaire', 'web', q.tenantId);

  async function load(tx: Tx, owner: Owner, id: string): Promise<QuestionnaireWithTemplate> {
    const q = await findQuestionnaire(tx, owner, id);
    if (!q) throw notFound('Questionnaire');
    return q;
  }

  async function presentFull(tx: Tx, q: QuestionnaireWithTemplate): Promise<VendorQuestionnaire> {
    const version = await findVersion(tx, q.templateVersionId);
    return presentQuestionnaire(q, await loadVersionContent(tx, version!), await listAnswers(tx, q.id), await listFiles(tx, q.id));
  }

  /** A stored file, decrypted with its own key; not found when absent. */
  function openFile(row: VendorFileRow | undefined): { fileName: string; contentType: string; bytes: Buffer } {
    if (!row) throw notFound('File');
    const key = Buffer.from(openSecret(config.secretKeys, row.keySecret, fileKeyAad(row.id)), 'base64');
    const bytes = decryptAttachment(key, fileOwner(row.tenantId), row.id, row.content);
    return { fileName: downloadName(row.fileName, row.contentType), contentType: row.contentType, bytes };
  }

  /**
   * The questionnaire a link names, in its owner's unit of work. Security: an unknown, revoked or
   * expired link, or one of an institution no longer active, is the same 404, naming nothing.
   */
  async function byToken<T>(token: string, fn: (tx: Tx, q: QuestionnaireWithTemplate, owner: Owner) => Promise<T>): Promise<T> {
    const found = await withSystem(db, (tx) => unsafeFindByTokenHash(tx, hash(token)));
    if (!found || found.status === 'closed' || new Date(found.expiresAt).getTime() <= Date.now()) throw notFound('Questionnaire');
    const owner = ownerOfRow(found);
    return inOwner(owner, async (tx) => fn(tx, await load(tx, owner, found.id), owner));
  }

  function notOpen(q: QuestionnaireRow): AppError {
    return new AppError('read_only', 'These answers were submitted and can no longer change.', {
      token: `the questionnaire is ${q.status}`,
    });
  }

  /**
   * The vendor's page: the product, the questions and the answers so far, the bank's text in `lang`
   * (the invitation's language by default; the English where a French wording is missing).
   */
  async function page(token: string, lang?: Language): Promise<VendorPage> {
    return byToken(token, async (tx, q) => {
      const language = lang ?? (q.language as Language);
      const fr = language === 'fr';
      const version = await findVersion(tx, q.templateVersionId);
      const content = await loadVersionContent(tx, version!);
      const answers = new Map((await listAnswers(tx, q.id)).map((a) => [a.questionKey, a]));
      const files = filesByQuestion(await listFiles(tx, q.id));
      return {
        productName: q.productName,
        vendorName: q.vendorName,
        language,
        status: q.status === 'open' ? 'open' : 'submitted',
        expiresAt: iso(q.expiresAt),
        submittedAt: q.submittedAt ? iso(q.submittedAt) : null,
        sections: content.sections.map((s) => ({
          key: s.key,
          title: (fr && s.fr?.title) || s.title,
          questions: s.questions.map((x) => {
            const a = answers.get(x.key);
            const xfr = fr ? x.fr : null;
            const options = x.options as QuestionOptions;
            return {
              key: x.key,
              kind: x.kind as QuestionKind,
              prompt: xfr?.prompt || x.prompt,
              guidance: xfr?.guidance || x.guidance,
              options: xfr
                ? {
                    ...options,
                    ...(options.choices
                      ? { choices: options.choices.map((c) => ({ ...c, label: xfr.choices?.[c.value] || c.label })) }
                      : {}),
                    ...(options.columns ? { columns: options.columns.map((c) => ({ ...c, label: xfr.columns?.[c.key] || c.label })) } : {}),
                  }
                : options,
              required: x.required,
              answer: a ? { value: a.value ?? null, evidence: evidenceOf(a), version: a.version, updatedAt: iso(a.updatedAt) } : null,
              files: files.get(x.key) ?? [],
            };
          }),
        })),
      };
    });
  }

  return {
    // ---------- the reviewers (the operator, or an institution's site admins) ----------
    async list(actor: Actor): Promise<{ items: Omit<VendorQuestionnaire, 'answers'>[] }> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => ({ items: (await listQuestionnaires(tx, owner)).map(presentSummary) }));
    },

    async get(actor: Actor, id: string): Promise<VendorQuestionnaire> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => presentFull(tx, await load(tx, owner, id)));
    },

    /** Invites a vendor contact: the questionnaire, its link by mail (sealed recipient), in one transaction. */
    async invite(actor: Actor, input: InviteInput): Promise<VendorQuestionnaire> {
      const owner = ownerOf(actor);
      const token = newToken();
      const id = randomUUID();
      const result = await inOwner(owner, async (tx) => {
        const problems: Record<string, FieldProblem> = {};
        let templateId: string | undefined;
        let inventoryItemId: string | null = null;
        if (owner.kind === 'bank') {
          if (input.inventoryItemId)
            problems.inventoryItemId = problem('is for an institution’s questionnaire: the operator names a template');
          if (!input.templateId) problems.templateId = problem('is required: choose the bank template the vendor answers');
          else if (!(await findTemplate(tx, input.templateId))) problems.templateId = problem('is not a template of the bank');
          templateId = input.templateId;
        } else {
          if (!input.inventoryItemId)
            problems.inventoryItemId = problem('is required: choose the app of your inventory whose PIA receives the answers');
          else if (!(await findInventoryItem(tx, owner.scope, input.inventoryItemId)))
            problems.inventoryItemId = problem('is not an app of your inventory');
          inventoryItemId = input.inventoryItemId ?? null;
          if (input.templateId && !(await findTemplate(tx, input.templateId)))
            problems.templateId = problem('is not a template of the bank');
          templateId = input.templateId ?? (await findGenericTemplate(tx))?.id;
        }
        const version = templateId ? await latestPublished(tx, templateId) : undefined;
        if (!version && !problems.templateId)
          problems.templateId = problem(
            templateId ? 'has no published version yet' : 'is required: the bank has no generic template to ask from',
          );
        throwIfProblems(problems);
        const expiresAt = new Date(Date.now() + input.expiresInDays * DAY_MS);
        const row = await insertQuestionnaire(tx, {
          id,
          tenantId: owner.kind === 'bank' ? null : owner.scope.tenantId,
          templateId: templateId!,
          templateVersionId: version!.id,
          inventoryItemId,
          productName: input.productName,
          vendorName: input.vendorName,
          tokenHash: hash(token),
          contactEmailSecret: sealSecret(config.secretKeys, input.email, emailAad(id)),
          language: input.language,
          expiresAt,
        });
        await deps.outbox.queue(tx, {
          idempotencyKey: `vendor-questionnaire-invitation:${id}`,
          institutionId: row.tenantId,
          to: input.email,
          sealRecipient: true,
          language: input.language,
          template: 'vendor-questionnaire-invitation',
          content: renderMail('vendor-questionnaire-invitation', input.language, {
            productName: input.productName,
            link: `${config.publicUrl}/vendor?token=${encodeURIComponent(token)}`,
            expiresOn: longDay(isoDay(expiresAt)!, input.language),
          }),
        });
        await recordAudit(tx, actor, {
          action: 'vendor_questionnaire.invite',
          recordType: 'vendor_questionnaire',
          recordId: id,
          after: audited(row),
          tenantId: row.tenantId,
        });
        return presentFull(tx, await load(tx, owner, id));
      });
      deps.outbox.kick();
      return result;
    },

    /** Accepts or rejects submitted answers, each with a note. */
    async review(actor: Actor, id: string, input: ReviewInput): Promise<VendorQuestionnaire> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => {
        const q = await load(tx, owner, id);
        if (q.status !== 'submitted')
          throw new AppError(
            'invalid_transition',
            q.status === 'open' ? 'The vendor has not submitted the answers yet.' : `This questionnaire is ${q.status}.`,
            { status: `not allowed when ${q.status}` },
          );
        const answered = new Set((await listAnswers(tx, q.id)).map((a) => a.questionKey));
        const problems: Record<string, FieldProblem> = {};
        input.reviews.forEach((r, i) => {
          if (!answered.has(r.questionKey)) problems[`reviews.${i}.questionKey`] = problem('is not a question the vendor answered');
        });
        throwIfProblems(problems);
        for (const r of input.reviews) await setReview(tx, q.id, r.questionKey, r.review, r.note);
        await recordAudit(tx, actor, {
          action: 'vendor_questionnaire.review',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          after: { reviews: input.reviews.map((r) => ({ questionKey: r.questionKey, review: r.review, note: r.note })) },
          tenantId: q.tenantId,
        });
        return presentFull(tx, await load(tx, owner, id));
      });
    },

    /**
     * Publishes the accepted answers: the bank's into a new published version of the template (the
     * vendor's pre-answers, labelled with the submission's day), an institution's into its PIA of the
     * app (origin `vendor`), in one transaction with the questionnaire's new status.
     */
    async publish(actor: Actor, id: string): Promise<VendorQuestionnaire> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => {
        const q = await load(tx, owner, id);
        if (q.status !== 'submitted')
          throw new AppError(
            'invalid_transition',
            q.status === 'open' ? 'The vendor has not submitted the answers yet.' : `This questionnaire is ${q.status}.`,
            { status: `not allowed when ${q.status}` },
          );
        const accepted = (await listAnswers(tx, q.id)).filter((a) => a.review === 'accepted');
        if (!accepted.length)
          throw invalidFields({ answers: problem('accept at least one answer before publishing') }, 'No answer is accepted yet');
        let publishedVersionId: string | null = null;
        const written: string[] = [];
        if (owner.kind === 'bank') {
          const latest = await latestPublished(tx, q.templateId);
          const questions = latest ? questionsOf(await loadVersionContent(tx, latest)) : new Map<string, TemplateQuestionRow>();
          const preAnswers = new Map<string, { value: unknown; evidence: EvidenceSave | null }>();
          for (const a of accepted) {
            const question = questions.get(a.questionKey);
            // A question removed or reshaped since the vendor answered it is left out.
            if (!question || !checkAnswer(question.kind as QuestionKind, question.options as QuestionOptions, a.value ?? null).ok) continue;
            // The vendor's evidence comes with its answer (a vendor's answer has a source and a day seen).
            const evidence = evidenceValue({
              evidenceUrl: a.evidenceUrl,
              evidenceQuote: a.evidenceQuote,
              evidenceSeenOn: a.evidenceSeenOn,
            });
            preAnswers.set(a.questionKey, { value: a.value ?? null, evidence });
          }
          if (!preAnswers.size)
            throw invalidFields(
              { answers: problem('no accepted answer fits a question of the template’s latest version') },
              'Nothing to publish',
            );
          const version = await deps.bank.publishVendorPreAnswers(
            tx,
            actor,
            q.templateId,
            preAnswers,
            vendorChangeLog(isoDay(q.submittedAt)!),
            // The adopted copies carry both days with each answer.
            { vendorAnsweredOn: isoDay(q.submittedAt), reviewedOn: isoDay(new Date()) },
          );
          publishedVersionId = version.id;
          written.push(...preAnswers.keys());
        } else {
          const scope = owner.scope;
          const pia = q.inventoryItemId ? await findAssessmentForItem(tx, scope, q.inventoryItemId) : undefined;
          if (!pia)
            throw invalidFields(
              { inventoryItemId: problem('has no PIA: start the app’s PIA, then publish the answers into it') },
              'The app has no PIA yet',
            );
          const revision = await findRevision(tx, scope, pia.id, pia.currentRevision);
          if (!revision || revision.status !== 'draft')
            throw new AppError('read_only', 'The app’s PIA is not a draft: reopen it, then publish the answers into it.', {
              inventoryItemId: 'its PIA is not a draft',
            });
          const content = await loadRevision(tx, scope, revision);
          const byKey = new Map(content.sections.flatMap((s) => s.questions.map((x) => [x.key, x] as const)));
          for (const a of accepted) {
            const question = byKey.get(a.questionKey);
            if (!question || question.locked) continue;
            const check = checkAnswer(question.kind as QuestionKind, question.options as QuestionOptions, a.value ?? null);
            if (!check.ok) continue;
            const existing = await findAnswer(tx, scope, question.id);
            const saved = await saveAnswer(tx, scope, {
              questionId: question.id,
              revisionId: revision.id,
              value: check.value,
              origin: 'vendor',
              updatedBy: actor.userId,
              version: existing?.version ?? 0,
              // Reviewed by the institution, not the operator: no bank days to show.
              provenance: NO_PROVENANCE,
            });
            if (!saved) throw new AppError('stale', 'Someone saved the PIA meanwhile. Publish again.');
            written.push(a.questionKey);
          }
          if (written.length)
            await recordAudit(tx, actor, {
              action: 'assessment.answer',
              recordType: 'assessment',
              recordId: pia.id,
              after: { fromVendorQuestionnaire: q.id, questions: written },
            });
        }
        const after = await updateQuestionnaire(tx, owner, q.id, {
          status: 'published',
          publishedAt: new Date(),
          publishedVersionId,
          contactEmailSecret: null,
        });
        await recordAudit(tx, actor, {
          action: 'vendor_questionnaire.publish',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          before: audited(q),
          after: { ...audited(after), publishedVersionId, questions: written },
          tenantId: q.tenantId,
        });
        return presentFull(tx, await load(tx, owner, id));
      });
    },

    /** Ends the link at once (open or submitted, not yet published) and erases the contact's email. */
    async revoke(actor: Actor, id: string): Promise<VendorQuestionnaire> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => {
        const q = await load(tx, owner, id);
        if (q.status === 'published' || q.status === 'closed')
          throw new AppError('invalid_transition', `This questionnaire is already ${q.status}.`, {
            status: `not allowed when ${q.status}`,
          });
        const after = await updateQuestionnaire(tx, owner, q.id, { status: 'closed', closedAt: new Date(), contactEmailSecret: null });
        await recordAudit(tx, actor, {
          action: 'vendor_questionnaire.revoke',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          before: audited(q),
          after: audited(after),
          tenantId: q.tenantId,
        });
        return presentFull(tx, await load(tx, owner, id));
      });
    },

    // ---------- the vendor's page (no session; the link's token) ----------
    page,

    /** Saves one answer with its evidence, when the vendor read its current version (409 otherwise). */
    async saveAnswer(input: SaveInput): Promise<{ questionKey: string; version: number; updatedAt: string }> {
      return byToken(input.token, async (tx, q) => {
        if (q.status !== 'open') throw notOpen(q);
        const version = await findVersion(tx, q.templateVersionId);
        const question = questionsOf(await loadVersionContent(tx, version!)).get(input.questionKey);
        if (!question) throw invalidFields({ questionKey: problem('is not a question of this questionnaire') });
        const check = checkAnswer(
          question.kind as QuestionKind,
          question.options as QuestionOptions,
          input.value === undefined ? null : input.value,
        );
        if (!check.ok) throw invalidFields({ value: check }, `The answer is not valid: it ${check.message}`);
        const saved = await saveVendorAnswer(tx, q, {
          questionKey: input.questionKey,
          value: check.value,
          evidenceUrl: input.evidenceUrl,
          evidenceQuote: input.evidenceQuote.trim(),
          evidenceSeenOn: input.evidenceSeenOn,
          version: input.version,
        });
        if (!saved)
          throw new AppError(
            'stale',
            'This answer was saved from another window after you opened it. Reload to see it, then make your change again.',
          );
        await recordAudit(tx, vendorActor(q), {
          action: 'vendor_questionnaire.answer',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          after: {
            questionKey: saved.questionKey,
            value: saved.value,
            evidenceUrl: saved.evidenceUrl,
            evidenceQuote: saved.evidenceQuote,
            evidenceSeenOn: isoDay(saved.evidenceSeenOn),
          },
          tenantId: q.tenantId,
        });
        return { questionKey: saved.questionKey, version: saved.version, updatedAt: iso(saved.updatedAt) };
      });
    },

    /**
     * Submits the answers, once: every required question answered, every answer with its evidence
     * (a link or a quotation) and the day it was seen. The receipt is mailed and the contact's email
     * erased in the same transaction; from now on the link only reads.
     */
    async submit(token: string): Promise<VendorPage> {
      await byToken(token, async (tx, q, owner) => {
        if (q.status !== 'open')
          throw new AppError('invalid_transition', 'These answers were already submitted.', { token: `the questionnaire is ${q.status}` });
        const version = await findVersion(tx, q.templateVersionId);
        const content = await loadVersionContent(tx, version!);
        const answers = new Map((await listAnswers(tx, q.id)).map((a) => [a.questionKey, a]));
        const withFile = new Set((await listFiles(tx, q.id)).map((f) => f.questionKey));
        const problems: Record<string, FieldProblem> = {};
        for (const x of questionsOf(content).values()) {
          const a = answers.get(x.key);
          const hasValue = a && a.value !== null && !(Array.isArray(a.value) && !a.value.length) && a.value !== '';
          if (x.required && !hasValue) problems[`answers.${x.key}`] = problem('is required: answer it before submitting');
          else if (hasValue && !a.evidenceUrl && !a.evidenceQuote && !withFile.has(x.key))
            problems[`answers.${x.key}.evidence`] = problem('needs its evidence: a link, a quotation or a file');
          else if (hasValue && !a.evidenceSeenOn)
            problems[`answers.${x.key}.evidenceSeenOn`] = problem('needs the day the evidence was seen');
        }
        if (![...answers.values()].some((a) => a.value !== null))
          problems.answers = problem('answer at least one question before submitting');
        throwIfProblems(problems, 'Some answers are not ready to submit');
        if (q.contactEmailSecret) {
          const language = q.language as Language;
          await deps.outbox.queue(tx, {
            idempotencyKey: `vendor-questionnaire-received:${q.id}`,
            institutionId: q.tenantId,
            to: openSecret(config.secretKeys, q.contactEmailSecret, emailAad(q.id)),
            sealRecipient: true,
            language,
            template: 'vendor-questionnaire-received',
            content: renderMail('vendor-questionnaire-received', language, { productName: q.productName }),
          });
        }
        const after = await updateQuestionnaire(tx, owner, q.id, {
          status: 'submitted',
          submittedAt: new Date(),
          contactEmailSecret: null,
        });
        await recordAudit(tx, vendorActor(q), {
          action: 'vendor_questionnaire.submit',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          before: audited(q),
          after: audited(after),
          tenantId: q.tenantId,
        });
      });
      deps.outbox.kick();
      return page(token);
    },

    // ---------- files attached as evidence ----------
    maxFileBytes: config.attachmentMaxBytes,

    /**
     * Attaches a file to an answer's evidence, while the questionnaire is open: checked as attachments
     * are (the type by the file's own bytes, the size), encrypted with a key of its own (sealed), and
     * audited (what describes it, never its bytes) in one transaction.
     */
    async attachFile(input: FileUploadInput, file: Buffer): Promise<VendorFile> {
      if (file.length === 0) throw invalid('file', 'is empty', 'file_empty');
      if (file.length > config.attachmentMaxBytes) throw fileTooLarge(config.attachmentMaxBytes);
      const contentType = detectAttachmentType(file);
      if (!contentType) throw invalid('file', 'is not a PDF, Word (DOCX), PNG or JPEG file', 'file_type');
      return byToken(input.token, async (tx, q) => {
        if (q.status !== 'open') throw notOpen(q);
        const version = await findVersion(tx, q.templateVersionId);
        if (!questionsOf(await loadVersionContent(tx, version!)).has(input.questionKey))
          throw invalidFields({ questionKey: problem('is not a question of this questionnaire') });
        const id = randomUUID();
        const key = randomBytes(32);
        const row = await insertFile(tx, {
          id,
          questionnaireId: q.id,
          tenantId: q.tenantId,
          questionKey: input.questionKey,
          fileName: input.fileName,
          contentType,
          byteSize: file.length,
          sha256: createHash('sha256').update(file).digest('hex'),
          keySecret: sealSecret(config.secretKeys, key.toString('base64'), fileKeyAad(id)),
          content: encryptAttachment(key, fileOwner(q.tenantId), id, file),
        });
        await recordAudit(tx, vendorActor(q), {
          action: 'vendor_questionnaire.attach',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          after: {
            fileId: id,
            questionKey: row.questionKey,
            fileName: row.fileName,
            contentType,
            byteSize: row.byteSize,
            sha256: row.sha256,
          },
          tenantId: q.tenantId,
        });
        return presentFile(row);
      });
    },

    /** Removes a file the vendor attached, while the questionnaire is open. */
    async removeFile(token: string, id: string): Promise<void> {
      await byToken(token, async (tx, q) => {
        if (q.status !== 'open') throw notOpen(q);
        const row = await deleteFile(tx, q.id, id);
        if (!row) throw notFound('File');
        await recordAudit(tx, vendorActor(q), {
          action: 'vendor_questionnaire.detach',
          recordType: 'vendor_questionnaire',
          recordId: q.id,
          before: { fileId: id, questionKey: row.questionKey, fileName: row.fileName, sha256: row.sha256 },
          tenantId: q.tenantId,
        });
      });
    },

    /** A file of the link's own questionnaire, decrypted (another questionnaire's is not found). */
    async vendorFile(token: string, id: string): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
      return byToken(token, async (tx, q) => openFile(await findFile(tx, q.id, id)));
    },

    /** A file of a questionnaire the reviewer owns, decrypted. */
    async reviewerFile(
      actor: Actor,
      questionnaireId: string,
      id: string,
    ): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
      const owner = ownerOf(actor);
      return inOwner(owner, async (tx) => {
        const q = await load(tx, owner, questionnaireId);
        return openFile(await findFile(tx, q.id, id));
      });
    },

    /** Erases the sealed email of every questionnaire whose link ran out (the daily sweep); how many. */
    async systemEraseExpiredContacts(now = new Date()): Promise<number> {
      const expired = await withSystem(db, (tx) => unsafeListExpiredWithEmail(tx, now));
      let erased = 0;
      for (const e of expired)
        await withSystem(db, async (tx) => {
          if (!(await unsafeEraseContact(tx, e.id))) return;
          await recordAudit(tx, systemActor('vendor-link-expiry', 'job', e.tenantId), {
            action: 'vendor_questionnaire.erase_email',
            recordType: 'vendor_questionnaire',
            recordId: e.id,
            after: { expired: true },
            tenantId: e.tenantId,
          });
          erased++;
        });
      return erased;
    },
  };
}
export type VendorService = ReturnType<typeof createVendorService>;
