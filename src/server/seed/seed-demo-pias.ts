/**
 * The demo institutions' privacy impact assessments: every approved app has its approved PIA, apps in
 * review have a submitted one, refused apps a rejected one, a requested app a draft, and one approved
 * app was reopened for its review while the master bank published a newer version of its template (an
 * update waiting to merge). Each PIA adopts the app's own bank PIA when the bank has one, else the
 * generic PIA, and the institution answers what only it can (purpose, grades, audiences, authority,
 * agreement, decision). Rows are written in a few multi-row statements inside the seed's transaction.
 */
import type { AuditAction } from '../../contracts/audit.js';
import type { AssessmentStatus, QuestionKind } from '../../contracts/assessments.js';
import { randomUUID } from 'node:crypto';
import {
  assessmentRevisions,
  assessments,
  assessmentSignoffs,
  piaTemplateQuestions,
  piaTemplateSections,
  piaTemplateVersions,
} from '../db/schema/index.js';
import type { AuditValues } from '../platform/audit.js';
import type { TenantScope, Tx } from '../platform/db.js';
import { insertAnswers, insertQuestions, insertRisks, insertSections } from '../modules/assessments/assessments.repo.js';
import {
  contentAsInput,
  findGenericTemplate,
  findTemplateBySlug,
  findVersionByNumber,
  latestPublished,
  loadVersionContent,
  versionContentRows,
  type VersionContent,
} from '../modules/assessments/bank.repo.js';
import { contentRows } from '../modules/assessments/assessments.service.js';
import { printText } from '../modules/assessments/print-text.js';
import { dayOffset, type DemoInstitution, type DemoInventoryItem } from './demo-institutions.js';
import { appTemplateSlug } from './seed-pia-bank.js';

/** Apps the walkthroughs (e2e) start an assessment on: they stay without one in the demo. */
export const DEMO_APPS_WITHOUT_PIA = ['ponderbot', 'bytewren-coding'] as const;
/** The approved app reopened for its review, whose bank PIA has a newer version waiting to merge. */
export const DEMO_REOPENED_APP = { institution: 'Lakeshore District School Board (demo)', slug: 'tallyloop-math' } as const;

type Audit = (action: AuditAction, recordId: string) => AuditValues;
type Plan = { item: DemoInventoryItem; itemId: string; name: string; status: AssessmentStatus; reopened: boolean };
type Person = { id: string; name: string; role: string };
type ContentRows = ReturnType<typeof contentRows>;
/** An inserted inventory item: its id and display name. */
export type SeededItem = { id: string; name: string };

const DECIDED: readonly string[] = ['approved', 'approved_with_conditions', 'rejected'];
const OWNER = 'Digital learning team';

/** Which items get which assessment: decided apps their decision, apps in review a submitted PIA, one requested app a draft. */
function plans(demo: DemoInstitution, items: readonly SeededItem[]): Plan[] {
  const out: Plan[] = [];
  let draft = false;
  demo.inventory.forEach((item, i) => {
    const slug = item.source.kind === 'catalog' ? item.source.slug : null;
    if (slug && (DEMO_APPS_WITHOUT_PIA as readonly string[]).includes(slug)) return;
    const { id: itemId, name } = items[i]!;
    const reopened = demo.name === DEMO_REOPENED_APP.institution && slug === DEMO_REOPENED_APP.slug;
    if (item.status === 'approved' || item.status === 'approved_with_conditions')
      out.push({ item, itemId, name, status: item.status, reopened });
    else if (item.status === 'in_review') out.push({ item, itemId, name, status: 'in_review', reopened: false });
    else if (item.status === 'not_approved') out.push({ item, itemId, name, status: 'rejected', reopened: false });
    else if (item.status === 'requested' && !draft && item.source.kind === 'catalog') {
      draft = true;
      out.push({ item, itemId, name, status: 'draft', reopened: false });
    }
  });
  return out;
}

/** The answer only the institution can give to a question, or undefined. */
function institutionAnswer(key: string, kind: QuestionKind, choices: readonly string[], demo: DemoInstitution, plan: Plan): unknown {
  const { item } = plan;
  const only = (values: readonly string[]) => values.filter((v) => choices.includes(v));
  const young = item.grades.some((g) => ['JK', 'K', '1', '2', '3', '4', '5', '6', '7'].includes(g));
  const recommendation = { approved: 'approve', approved_with_conditions: 'approve_with_conditions', rejected: 'deny' } as Record<
    string,
    string
  >;
  switch (key) {
    case 'a.personal_info':
      return 'yes';
    case 'a.under_13':
      return young ? 'yes' : 'no';
    case 'b.purpose':
      return item.purpose;
    case 'b.grades':
      return only(item.grades.map((g) => g.toLowerCase()));
    case 'b.audiences':
      return only(item.audiences);
    case 'b.owner':
      return OWNER;
    case 'c.data_elements':
      return item.dataElements;
    case 'd.authority_ca':
      return demo.country !== 'CA' ? undefined : demo.subdivision === 'ON' ? 'mfippa_28_2' : 'fippa_26c';
    case 'd.notice':
      return 'Listed on the public list of approved apps; families are told at the start of the year which apps their child’s classes use.';
    case 'i.agreement_type':
      return only([item.agreement.type])[0];
    case 'i.signed':
      return item.agreement.signed ? 'yes' : 'no';
    case 'i.expires':
      return item.agreement.expiresOn ?? undefined;
    case 'i.link':
      return item.agreement.url ? { url: item.agreement.url, label: 'Signed agreement' } : undefined;
    case 'k.recommendation':
      return recommendation[plan.status];
    case 'k.teacher_guidance':
      return item.conditionsOfUse || undefined;
    case 'k.next_review':
      return DECIDED.includes(plan.status) && plan.status !== 'rejected' ? (item.nextReviewOn ?? undefined) : undefined;
  }
  // A required question no rule above answers: an honest "unsure" or a pointer, by kind.
  if (kind === 'yes_no_unsure') return 'unsure';
  if (kind === 'short_text' || kind === 'long_text') return 'See the inventory record of this app.';
  return undefined;
}

/** The content rows of one revision: the template's answers, then the institution's. */
function revisionRows(source: VersionContent, revisionId: string, demo: DemoInstitution, plan: Plan, by: string): ContentRows {
  const rows = contentRows(revisionId, source, { withAnswers: true, updatedBy: null });
  const answered = new Set(rows.answers.map((a) => a.questionId));
  for (const q of rows.questions) {
    if (answered.has(q.id!)) continue;
    // A draft is partly answered: the screening and the purpose only.
    if (plan.status === 'draft' && !['a.personal_info', 'b.purpose'].includes(q.key)) continue;
    const choices = ((q.options as { choices?: { value: string }[] }).choices ?? []).map((c) => c.value);
    const value = institutionAnswer(q.key, q.kind as QuestionKind, choices, demo, plan);
    if (value === undefined || (Array.isArray(value) && !value.length)) continue;
    if (!q.required && !INSTITUTION_KEYS.has(q.key)) continue;
    rows.answers.push({ questionId: q.id!, revisionId, value, origin: 'institution', updatedBy: by, version: 1 });
  }
  return rows;
}
const INSTITUTION_KEYS = new Set([
  'a.personal_info',
  'a.under_13',
  'b.purpose',
  'b.grades',
  'b.audiences',
  'b.owner',
  'c.data_elements',
  'd.authority_ca',
  'd.notice',
  'i.agreement_type',
  'i.signed',
  'i.expires',
  'i.link',
  'k.recommendation',
  'k.teacher_guidance',
  'k.next_review',
]);

/** A timestamp `days` from `now`. */
const at = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000);

/**
 * Publishes version 2 of the reopened app's bank PIA (an added question on backups), unless the
 * template already has a version 2. Returns the audit events of what it created.
 */
async function publishBankUpdate(tx: Tx, now: Date): Promise<AuditValues[]> {
  const template = await findTemplateBySlug(tx, appTemplateSlug(DEMO_REOPENED_APP.slug));
  const v1 = template ? await latestPublished(tx, template.id) : undefined;
  if (!template || !v1 || v1.number !== 1) return [];
  const sections = contentAsInput(await loadVersionContent(tx, v1));
  const retention = sections.find((s) => s.key.startsWith('h-')) ?? sections[sections.length - 1]!;
  retention.questions.push({
    key: 'h.backup_purge',
    kind: 'yes_no_unsure',
    prompt: 'Does the vendor purge deleted records from its backups within the backup window?',
    guidance: 'Deleted records often live on in backups. Ask how long backups are kept and whether a deletion request reaches them.',
    options: {},
    required: false,
    locked: false,
    preAnswer: 'yes',
    condition: null,
    jurisdictions: [],
    fr: {
      prompt: 'Le fournisseur purge-t-il les enregistrements supprimés de ses sauvegardes pendant leur durée de conservation?',
      guidance:
        'Les enregistrements supprimés survivent souvent dans les sauvegardes. Demandez combien de temps les sauvegardes sont conservées et si une demande de suppression les atteint.',
      choices: {},
      columns: {},
    },
  });
  const id = randomUUID();
  await tx.insert(piaTemplateVersions).values({
    id,
    templateId: template.id,
    number: 2,
    status: 'published',
    changeLog: 'Added a question on purging deleted records from backups; the vendor confirmed it does within 35 days.',
    publishedAt: now,
  });
  const { sectionRows, questionRows } = versionContentRows(id, sections);
  await tx.insert(piaTemplateSections).values(sectionRows);
  await tx.insert(piaTemplateQuestions).values(questionRows);
  return [{ ...bankAudit, action: 'bank.version.publish', recordType: 'pia_template_version', recordId: id }];
}
const bankAudit = {
  tenantId: null,
  actorUserId: null,
  actorLabel: 'system:bank-seed',
  actorRole: 'system',
  changes: {},
  requestId: 'seed',
  source: 'seed',
};

/**
 * Seeds the assessments of one demo institution (its inventory inserted as `items`, in
 * `demo.inventory` order). Returns the audit events, one per created assessment, submission, decision, reopening and risk.
 */
export async function seedDemoAssessments(
  tx: Tx,
  tenantId: string,
  demo: DemoInstitution,
  items: readonly SeededItem[],
  userIds: ReadonlyMap<string, string>,
  now: Date,
  audit: Audit,
): Promise<AuditValues[]> {
  const scope: TenantScope = { tenantId } as TenantScope;
  const roles = printText('en').role;
  const person = (pick: (u: DemoInstitution['users'][number]) => boolean, role: string): Person | null => {
    const u = demo.users.find(pick);
    const id = u ? userIds.get(u.email) : undefined;
    return u && id ? { id, name: `${u.firstName} ${u.lastName}`, role } : null;
  };
  const submitter = person((u) => u.role === 'app_admin' && !u.canApprove, roles.app_admin);
  const approver = person((u) => u.canApprove, roles.app_admin_approver);
  if (!submitter || !approver) return [];

  const audits: AuditValues[] = [];
  const planned = plans(demo, items);
  if (planned.some((p) => p.reopened)) audits.push(...(await publishBankUpdate(tx, now)));

  // The version each app adopts: its own bank PIA's first version, else the generic PIA's latest.
  const generic = await findGenericTemplate(tx);
  const genericVersion = generic ? await latestPublished(tx, generic.id) : undefined;
  if (!generic || !genericVersion) return [];
  const contents = new Map<string, VersionContent>();
  const sourceOf = async (plan: Plan) => {
    const slug = plan.item.source.kind === 'catalog' ? plan.item.source.slug : null;
    const own = slug ? await findTemplateBySlug(tx, appTemplateSlug(slug)) : undefined;
    const ownV1 = own ? await findVersionByNumber(tx, own.id, 1) : undefined;
    const template = own && ownV1 ? own : generic;
    const version = own && ownV1 ? ownV1 : genericVersion;
    let content = contents.get(version.id);
    if (!content) contents.set(version.id, (content = await loadVersionContent(tx, version)));
    return { template, version, content };
  };

  const assessmentRows: (typeof assessments.$inferInsert)[] = [];
  const revisionRowsAll: (typeof assessmentRevisions.$inferInsert)[] = [];
  const signoffRows: (typeof assessmentSignoffs.$inferInsert)[] = [];
  const content: ContentRows = { sections: [], questions: [], answers: [] };
  const risks: Parameters<typeof insertRisks>[2] = [];
  const sign = (revisionId: string, who: Person, decision: string, comment: string, when: Date) =>
    signoffRows.push({
      tenantId,
      id: randomUUID(),
      revisionId,
      userId: who.id,
      signerName: who.name,
      role: who.role,
      decision,
      comment,
      at: when,
    });
  const add = (rows: ContentRows) => {
    content.sections.push(...rows.sections);
    content.questions.push(...rows.questions);
    content.answers.push(...rows.answers);
  };

  for (const plan of planned) {
    const { template, version, content: source } = await sourceOf(plan);
    const { item } = plan;
    const id = randomUUID();
    const decided = DECIDED.includes(plan.status);
    const approved = plan.status === 'approved' || plan.status === 'approved_with_conditions';
    // Decided a year before the next review (or a month ago), submitted a week before that.
    const decidedAt =
      approved && item.nextReviewOn ? new Date(`${dayOffset(new Date(`${item.nextReviewOn}T12:00:00Z`), -365)}T12:00:00Z`) : at(now, -30);
    const decidedWhen = decidedAt < now ? decidedAt : at(now, -30);
    const submittedAt = decided ? at(decidedWhen, -7) : at(now, -3);
    const started = at(submittedAt, -14);
    const rev1 = randomUUID();
    revisionRowsAll.push({
      tenantId,
      id: rev1,
      assessmentId: id,
      number: 1,
      status: plan.status,
      templateVersionId: version.id,
      createdBy: submitter.id,
      submittedAt: plan.status === 'draft' ? null : submittedAt,
      decidedAt: decided ? decidedWhen : null,
      conditions: plan.status === 'approved_with_conditions' ? item.conditionsOfUse : '',
      nextReviewOn: approved ? item.nextReviewOn : null,
      createdAt: started,
    });
    add(revisionRows(source, rev1, demo, plan, submitter.id));
    if (plan.status !== 'draft')
      sign(rev1, submitter, 'submitted', 'Ready for review: the institution’s questions are answered.', submittedAt);
    if (decided) {
      const comment =
        plan.status === 'approved'
          ? 'Approved.'
          : plan.status === 'approved_with_conditions'
            ? 'Approved with the conditions of use shown to teachers.'
            : 'Not approved: the risks to students outweigh the benefit. Teachers are offered an approved alternative.';
      sign(rev1, approver, plan.status, comment, decidedWhen);
    }
    if (plan.status === 'approved_with_conditions' || plan.status === 'rejected') {
      risks.push({
        id: randomUUID(),
        revisionId: rev1,
        position: 0,
        title: plan.status === 'rejected' ? 'Student information used beyond the school’s purpose' : 'Use outside the conditions of use',
        description: plan.status === 'rejected' ? item.notes || item.purpose : item.conditionsOfUse,
        likelihood: plan.status === 'rejected' ? 4 : 2,
        impact: plan.status === 'rejected' ? 4 : 3,
        mitigation:
          plan.status === 'rejected'
            ? 'Not approved; an approved alternative is offered.'
            : 'Conditions shown to teachers on the inventory and public list; checked at the next review.',
        owner: OWNER,
        residualLikelihood: plan.status === 'rejected' ? null : 1,
        residualImpact: plan.status === 'rejected' ? null : 3,
      });
      audits.push(audit('assessment.risk.add', id));
    }
    let current = 1;
    let status: AssessmentStatus = plan.status;
    if (plan.reopened) {
      // Reopened for the review: revision 2 is a draft copy of the approved revision, still on version 1.
      const rev2 = randomUUID();
      current = 2;
      status = 'draft';
      revisionRowsAll.push({
        tenantId,
        id: rev2,
        assessmentId: id,
        number: 2,
        status: 'draft',
        templateVersionId: version.id,
        createdBy: submitter.id,
        createdAt: at(now, -2),
      });
      add(revisionRows(source, rev2, demo, plan, submitter.id));
      sign(rev2, submitter, 'reopened', 'Reopened for the annual review.', at(now, -2));
    }
    assessmentRows.push({
      tenantId,
      id,
      inventoryItemId: plan.itemId,
      templateId: template.id,
      baseVersionId: version.id,
      title: printText('en').defaultTitle(plan.name),
      status,
      currentRevision: current,
      approvedRevision: approved ? 1 : null,
      createdBy: submitter.id,
      createdAt: started,
    });
    audits.push(audit('assessment.create', id));
    if (plan.status !== 'draft') audits.push(audit('assessment.submit', id));
    if (decided) audits.push(audit('assessment.decide', id));
    if (plan.reopened) audits.push(audit('assessment.reopen', id));
  }
  if (!assessmentRows.length) return audits;
  await tx.insert(assessments).values(assessmentRows);
  await tx.insert(assessmentRevisions).values(revisionRowsAll);
  await insertSections(tx, scope, content.sections);
  await insertQuestions(tx, scope, content.questions);
  await insertAnswers(tx, scope, content.answers);
  await insertRisks(tx, scope, risks);
  await tx.insert(assessmentSignoffs).values(signoffRows);
  return audits;
}
