/**
 * Staff requests (issue 14). Staff are not users: the public request page is reached by a link the
 * institution shares internally (only its keyed hash is stored; rotating it ends the old one), and
 * a request's status page by a second link given once to the requester. An email left to hear the
 * decision is sealed, never audited, exported or shown; it is erased when the decision mail is
 * queued (the outbox keeps it sealed until sent, then erases it) or when the request is declined.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { DATA_ELEMENT_CODES, type InventoryStatus } from '../../../contracts/domain.js';
import type { RequestLink, RequestPage, StaffRequest, StaffRequestCreate, StaffRequestStatusView } from '../../../contracts/requests.js';
import { catalogApps, schools } from '../../db/schema/index.js';
import { authorize, scopeOf, systemActor, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withShared, withSystem, withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { iso } from '../../platform/dates.js';
import { AppError, notFound } from '../../platform/errors.js';
import { openSecret, sealSecret } from '../../platform/secrets.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import type { AssessmentService } from '../assessments/assessments.service.js';
import { searchCatalog } from '../catalog/catalog.repo.js';
import { findDuplicate, insertInventoryItem, ownColumns } from '../inventory/inventory.repo.js';
import { mailLanguageOf, renderMail } from '../mail/mail.templates.js';
import type { MailOutbox } from '../mail/outbox.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import type { ItemDecidedHook, ItemDeletedHook } from './decision-hook.js';
import { readTicket } from './sso-ticket.js';
import {
  deleteLink,
  findLink,
  findRequest,
  insertRequest,
  itemStateOf,
  listAwaitingDecisionMail,
  listMergedInto,
  listRequestsOfItem,
  listRequests,
  unsafeFindInstitutionByLink,
  unsafeFindRequestByStatus,
  unsafeStaffRequestConnectionOpen,
  updateRequest,
  upsertLink,
  type StaffRequestRow,
} from './requests.repo.js';

const DECIDED: ReadonlySet<string> = new Set(['approved', 'approved_with_conditions', 'not_approved']);
/** An app that needs review was approved before: its requesters heard that decision. */
const HAD_DECISION: ReadonlySet<string> = new Set([...DECIDED, 'needs_review']);

/** The reason a request is declined when the app it was accepted into is deleted, or retired, before a decision. */
const ITEM_CLOSED_REASON = {
  deleted: {
    en: 'The app was removed from the inventory before a decision was made.',
    fr: 'L’application a été retirée de l’inventaire avant qu’une décision soit prise.',
  },
  retired: {
    en: 'The app was retired before a decision was made.',
    fr: 'L’application a été mise hors service avant qu’une décision soit prise.',
  },
} as const;

/** The sealed email's additional data binds it to its request. */
const emailAad = (tenantId: string, id: string) => `staff_requests:${tenantId}:${id}`;

/** The audited shape of a request: what it asks, never the requester's email. */
function audited(r: StaffRequestRow): Record<string, unknown> {
  return {
    appName: r.appName,
    catalogAppId: r.catalogAppId,
    status: r.status,
    grades: r.grades,
    schoolIds: r.schoolIds,
    audiences: r.audiences,
    studentCount: r.studentCount,
    dataElements: r.dataElements,
    declineReason: r.declineReason,
    mergedIntoId: r.mergedIntoId,
    inventoryItemId: r.inventoryItemId,
  };
}

function throwIfProblems(problems: Record<string, string>): void {
  if (Object.keys(problems).length) throw new AppError('validation', 'Some fields are not valid', problems);
}

function notWaiting(r: StaffRequestRow): AppError {
  return new AppError('invalid_transition', `This request was already triaged (${r.status}). Reload the queue.`, {
    status: `not allowed from ${r.status}`,
  });
}

/** How a caller reaches the request page: its link's token, or the single sign-on ticket of its cookie. */
export interface PageAccess {
  token?: string | undefined;
  ticket?: string | undefined;
}
type PageVia = { kind: 'link' } | { kind: 'sso'; connectionId: string };

export interface StaffRequestDeps {
  outbox: Pick<MailOutbox, 'queue' | 'kick'>;
  assessments: Pick<AssessmentService, 'createIn'>;
}

export function createStaffRequestService(ctx: Pick<AppContext, 'db' | 'config'>, deps: StaffRequestDeps) {
  const { db, config } = ctx;
  const hash = (token: string) => hashToken(config.sessionSecret, `staff-request:${token}`);

  /**
   * The institution whose request page the caller reaches: the open page its link token names, else
   * the institution its single sign-on ticket names, while the connection that issued it is enabled
   * and still open to staff requests. 404 for anything else (no token, a wrong, tampered or expired
   * ticket).
   */
  async function institutionOf(access: PageAccess): Promise<TenantScope & { via: PageVia }> {
    if (access.token) {
      const tenantId = await withSystem(db, (tx) => unsafeFindInstitutionByLink(tx, hash(access.token!)));
      if (!tenantId) throw notFound('Request page');
      return { ...unsafeTenantScope(tenantId), via: { kind: 'link' } };
    }
    const ticket = readTicket(config.sessionSecret, access.ticket);
    if (!ticket) throw notFound('Request page');
    const open = await withSystem(db, (tx) => unsafeStaffRequestConnectionOpen(tx, ticket.tenantId, ticket.connectionId));
    if (!open) throw notFound('Request page');
    return { ...unsafeTenantScope(ticket.tenantId), via: { kind: 'sso', connectionId: ticket.connectionId } };
  }

  /**
   * Queues the decision mail of each request in `rows` (sealed recipient) and erases its sealed email,
   * in `tx`. The audit names the request only.
   */
  async function mailDecision(
    tx: Tx,
    scope: TenantScope,
    actor: Actor,
    rows: { id: string; appName: string; requesterEmailSecret: string | null; language: string }[],
    decision: 'approved' | 'approved_with_conditions' | 'not_approved' | 'declined',
    detail: string,
  ): Promise<number> {
    const institution = await findInstitution(tx, scope);
    let queued = 0;
    for (const r of rows) {
      if (!r.requesterEmailSecret) continue;
      const to = openSecret(config.secretKeys, r.requesterEmailSecret, emailAad(scope.tenantId, r.id));
      const language = mailLanguageOf(r.language);
      await deps.outbox.queue(tx, {
        idempotencyKey: `staff-request-decision:${r.id}`,
        institutionId: scope.tenantId,
        to,
        sealRecipient: true,
        language,
        template: 'staff-request-decision',
        content: renderMail('staff-request-decision', language, {
          institutionName: institution?.name ?? '',
          appName: r.appName,
          decision,
          detail,
        }),
      });
      await updateRequest(tx, scope, r.id, { requesterEmailSecret: null, notifiedAt: new Date() });
      await recordAudit(tx, actor, {
        action: 'staff_request.notify',
        recordType: 'staff_request',
        recordId: r.id,
        after: { decision },
      });
      queued++;
    }
    return queued;
  }

  /** An item got a decision: the requesters of the requests behind it hear it (see decision-hook.ts). */
  const onItemDecided: ItemDecidedHook = async (tx, scope, actor, itemId) => {
    const state = await itemStateOf(tx, scope, itemId);
    if (!state || !DECIDED.has(state.status)) return;
    const rows = await listAwaitingDecisionMail(tx, scope, itemId);
    if (!rows.length) return;
    const guidance = state.conditions_of_use.trim() || (state.guidance ?? '');
    await mailDecision(tx, scope, actor, rows, state.status as 'approved', state.status === 'not_approved' ? '' : guidance);
  };

  /**
   * An item is being deleted or retired (in that transaction): a request accepted into it with no
   * decision yet is declined with a reason in its requester's language, which its status page shows;
   * its requester and those of its duplicates hear it, and their sealed emails are erased. Whatever
   * sealed email is still behind the item after that (none, once a decision was mailed) is erased
   * without a mail.
   */
  const onItemDeleted: ItemDeletedHook = async (tx, scope, actor, item) => {
    const cause = item.cause ?? 'deleted';
    const reasons = ITEM_CLOSED_REASON[cause];
    const decided = HAD_DECISION.has(item.status);
    for (const r of await listRequestsOfItem(tx, scope, item.id)) {
      if (decided || r.status !== 'accepted') continue;
      const reason = reasons[r.language === 'fr' ? 'fr' : 'en'];
      const after = await updateRequest(tx, scope, r.id, { status: 'declined', declineReason: reason });
      await recordAudit(tx, actor, {
        action: 'staff_request.decline',
        recordType: 'staff_request',
        recordId: r.id,
        before: audited(r),
        after: { ...audited(after), ...(cause === 'retired' ? { itemRetired: item.id } : { itemDeleted: item.id }) },
      });
      for (const d of [after, ...(await listMergedInto(tx, scope, r.id))])
        await mailDecision(tx, scope, actor, [d], 'declined', reasons[d.language === 'fr' ? 'fr' : 'en']);
    }
    for (const left of await listAwaitingDecisionMail(tx, scope, item.id)) {
      await updateRequest(tx, scope, left.id, { requesterEmailSecret: null });
      await recordAudit(tx, actor, {
        action: 'staff_request.erase_email',
        recordType: 'staff_request',
        recordId: left.id,
        after: cause === 'retired' ? { itemRetired: item.id } : { itemDeleted: item.id },
      });
    }
  };

  async function present(tx: Tx, scope: TenantScope, r: StaffRequestRow): Promise<StaffRequest> {
    const state = r.inventoryItemId ? await itemStateOf(tx, scope, r.inventoryItemId) : undefined;
    return {
      id: r.id,
      catalogAppId: r.catalogAppId,
      appName: r.appName,
      appVendor: r.appVendor,
      appWebsite: r.appWebsite,
      purpose: r.purpose,
      grades: r.grades as StaffRequest['grades'],
      schoolIds: r.schoolIds,
      audiences: r.audiences as StaffRequest['audiences'],
      studentCount: r.studentCount,
      dataElements: r.dataElements as StaffRequest['dataElements'],
      status: r.status as StaffRequest['status'],
      awaitsMail: r.requesterEmailSecret !== null,
      declineReason: r.declineReason,
      mergedIntoId: r.mergedIntoId,
      inventoryItemId: state ? r.inventoryItemId : null,
      inventoryStatus: (state?.status as InventoryStatus | undefined) ?? null,
      assessmentId: state?.assessment_id ?? null,
      createdAt: iso(r.createdAt),
      triagedAt: r.triagedAt ? iso(r.triagedAt) : null,
    };
  }

  async function loadRequest(tx: Tx, scope: TenantScope, id: string): Promise<StaffRequestRow> {
    const r = await findRequest(tx, scope, id);
    if (!r) throw notFound('Request');
    return r;
  }

  return {
    config,
    onItemDecided,
    onItemDeleted,

    // ---------- the request page's link (site admins) ----------
    async getLink(actor: Actor): Promise<RequestLink> {
      authorize(actor, 'manageInstitution');
      const scope = scopeOf(actor);
      const link = await withTenant(db, scope, (tx) => findLink(tx, scope));
      return { open: !!link, openedAt: link ? iso(link.openedAt) : null };
    },

    /** Opens the request page with a new link, or rotates it: the old link answers 404 from now on. */
    async openLink(actor: Actor): Promise<{ token: string; openedAt: string }> {
      authorize(actor, 'manageInstitution');
      const scope = scopeOf(actor);
      const token = newToken();
      return withTenant(db, scope, async (tx) => {
        const before = await findLink(tx, scope);
        const link = await upsertLink(tx, scope, hash(token));
        await recordAudit(tx, actor, {
          action: before ? 'staff_request_link.rotate' : 'staff_request_link.open',
          recordType: 'staff_request_link',
          recordId: scope.tenantId,
          before: before ? { open: true } : { open: false },
          after: { open: true, openedAt: iso(link.openedAt) },
        });
        return { token, openedAt: iso(link.openedAt) };
      });
    },

    async closeLink(actor: Actor): Promise<void> {
      authorize(actor, 'manageInstitution');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        if (!(await deleteLink(tx, scope))) return;
        await recordAudit(tx, actor, {
          action: 'staff_request_link.close',
          recordType: 'staff_request_link',
          recordId: scope.tenantId,
          before: { open: true },
          after: { open: false },
        });
      });
    },

    // ---------- public: the request page and the status page ----------
    async page(access: PageAccess): Promise<RequestPage> {
      const scope = await institutionOf(access);
      return withTenant(db, scope, async (tx) => {
        const institution = await findInstitution(tx, scope);
        if (!institution) throw notFound('Request page');
        const list = await tx
          .select({ id: schools.id, name: schools.name })
          .from(schools)
          .where(byTenant(schools.tenantId, scope))
          .orderBy(schools.position, schools.name);
        return {
          institution: { name: institution.name, gradeLevels: institution.gradeLevels as RequestPage['institution']['gradeLevels'] },
          schools: list,
          access: scope.via.kind,
        };
      });
    },

    /** Catalog search for the request page: names and vendors only. */
    async searchApps(access: PageAccess, q: string) {
      await institutionOf(access);
      const { items } = await withShared(db, (tx) => searchCatalog(tx, { text: q, limit: 10, offset: 0 }));
      return { items: items.map((a) => ({ id: a.id, name: a.name, vendor: a.vendor })) };
    },

    async submit(access: PageAccess, input: StaffRequestCreate): Promise<{ statusToken: string }> {
      const scope = await institutionOf(access);
      const statusToken = newToken();
      const id = randomUUID();
      await withTenant(db, scope, async (tx) => {
        const institution = await findInstitution(tx, scope);
        if (!institution) throw notFound('Request page');
        const problems: Record<string, string> = {};
        input.grades.forEach((g, i) => {
          if (!institution.gradeLevels.includes(g)) problems[`grades.${i}`] = 'is not a grade level of this institution';
        });
        if (input.schoolIds.length) {
          const found = await tx
            .select({ id: schools.id })
            .from(schools)
            .where(and(byTenant(schools.tenantId, scope), inArray(schools.id, input.schoolIds)));
          const known = new Set(found.map((s) => s.id));
          input.schoolIds.forEach((s, i) => {
            if (!known.has(s)) problems[`schoolIds.${i}`] = 'is not a school of this institution';
          });
        }
        let app: { name: string; vendor: string; website: string | null } | undefined;
        if (input.catalogAppId) {
          const [row] = await tx.select().from(catalogApps).where(eq(catalogApps.id, input.catalogAppId));
          if (!row) problems.catalogAppId = 'is not an app of the catalog';
          else app = { name: row.name, vendor: row.vendor, website: row.website };
        }
        throwIfProblems(problems);
        const row = await insertRequest(tx, scope, {
          id,
          statusTokenHash: hash(statusToken),
          catalogAppId: input.catalogAppId ?? null,
          appName: app?.name ?? input.appName!,
          appVendor: app?.vendor ?? '',
          appWebsite: app?.website ?? input.appWebsite ?? null,
          purpose: input.purpose,
          grades: input.grades,
          schoolIds: input.schoolIds,
          audiences: input.audiences,
          studentCount: input.studentCount ?? null,
          dataElements: input.dataElements,
          requesterEmailSecret: input.email ? sealSecret(config.secretKeys, input.email, emailAad(scope.tenantId, id)) : null,
          language: input.language,
        });
        await recordAudit(tx, systemActor('staff-request-page', 'web', scope.tenantId), {
          action: 'staff_request.create',
          recordType: 'staff_request',
          recordId: id,
          // Which way in (the link, or which connection's single sign-on); never who.
          after: { ...audited(row), ...(scope.via.kind === 'sso' ? { viaSso: scope.via.connectionId } : {}) },
        });
      });
      return { statusToken };
    },

    async status(token: string): Promise<StaffRequestStatusView> {
      const found = await withSystem(db, (tx) => unsafeFindRequestByStatus(tx, hash(token)));
      if (!found) throw notFound('Request');
      const scope = unsafeTenantScope(found.tenantId);
      return withTenant(db, scope, async (tx) => {
        let r = await loadRequest(tx, scope, found.id);
        const institution = await findInstitution(tx, scope);
        // A duplicate follows the request it was merged into.
        if (r.status === 'merged' && r.mergedIntoId)
          r = { ...(await loadRequest(tx, scope, r.mergedIntoId)), appName: r.appName, createdAt: r.createdAt };
        let stage: StaffRequestStatusView['stage'] = r.status === 'declined' ? 'declined' : 'waiting';
        let guidance = '';
        if (r.status === 'accepted' && r.inventoryItemId) {
          const state = await itemStateOf(tx, scope, r.inventoryItemId);
          stage = state && DECIDED.has(state.status) ? (state.status as StaffRequestStatusView['stage']) : 'in_review';
          if (state && (state.status === 'approved' || state.status === 'approved_with_conditions'))
            guidance = state.conditions_of_use.trim() || (state.guidance ?? '');
        }
        return {
          institutionName: institution?.name ?? '',
          appName: r.appName,
          submittedAt: iso(r.createdAt),
          stage,
          declineReason: r.status === 'declined' ? r.declineReason : '',
          guidance,
        };
      });
    },

    // ---------- the triage queue (site and app admins) ----------
    async list(actor: Actor, status?: string): Promise<{ items: StaffRequest[] }> {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const rows = await listRequests(tx, scope, status);
        const items: StaffRequest[] = [];
        for (const r of rows) items.push(await present(tx, scope, r));
        return { items };
      });
    },

    async get(actor: Actor, id: string): Promise<StaffRequest> {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => present(tx, scope, await loadRequest(tx, scope, id)));
    },

    /**
     * Accepts a request into review: the inventory item (in review) and its PIA, pre-filled from the
     * request and the catalog app (purpose, grades, audiences, data elements, storage countries).
     */
    async accept(actor: Actor, id: string, input: { templateVersionId?: string | undefined }): Promise<StaffRequest> {
      authorize(actor, 'manageInventory');
      authorize(actor, 'manageAssessments');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const r = await loadRequest(tx, scope, id);
        if (r.status !== 'waiting') throw notWaiting(r);
        const institution = await findInstitution(tx, scope);
        const [app] = r.catalogAppId ? await tx.select().from(catalogApps).where(eq(catalogApps.id, r.catalogAppId)) : [];
        const key = r.catalogAppId ? { catalogAppId: r.catalogAppId } : { customName: r.appName };
        if (await findDuplicate(tx, scope, key))
          throw new AppError(
            'duplicate',
            `${r.appName} is already in your inventory. Decline this request or merge it into another request.`,
            {
              appName: 'is already in the inventory',
            },
          );
        const audiences = r.audiences.length ? r.audiences : r.studentCount ? ['students'] : [];
        const dataElements = [...new Set([...r.dataElements, ...(app?.dataElements ?? [])])].filter((e) =>
          (DATA_ELEMENT_CODES as readonly string[]).includes(e),
        );
        const grades = r.grades.filter((g) => institution?.gradeLevels.includes(g));
        const item = await insertInventoryItem(tx, scope, {
          id: randomUUID(),
          catalogAppId: r.catalogAppId,
          customName: r.catalogAppId ? null : r.appName,
          customVendor: r.catalogAppId ? null : r.appVendor,
          customWebsite: r.catalogAppId ? null : r.appWebsite,
          name: r.appName,
          vendor: r.appVendor,
          grades,
          schoolIds: r.schoolIds,
          audiences,
          dataElements,
          purpose: r.purpose,
          status: 'in_review',
        });
        const { tenantId: _t, createdAt: _c, updatedAt: _u, ...itemAudit } = ownColumns(item);
        await recordAudit(tx, actor, {
          action: 'inventory.create',
          recordType: 'inventory_item',
          recordId: item.id,
          after: { ...itemAudit, fromRequest: r.id },
        });
        const pia = await deps.assessments.createIn(tx, scope, actor, {
          inventoryItemId: item.id,
          ...(input.templateVersionId ? { templateVersionId: input.templateVersionId } : {}),
        });
        // The PIA is pre-filled from the item just made from the request (prefill.ts): purpose, grades,
        // audiences, data elements, and the catalog app's storage countries.
        const after = await updateRequest(tx, scope, id, { status: 'accepted', inventoryItemId: item.id, triagedAt: new Date() });
        await recordAudit(tx, actor, {
          action: 'staff_request.accept',
          recordType: 'staff_request',
          recordId: id,
          before: audited(r),
          after: { ...audited(after), assessmentId: pia.id },
        });
        return present(tx, scope, after);
      });
    },

    /** Merges a duplicate into another request: it follows that request's outcome (and its requester hears it). */
    async merge(actor: Actor, id: string, input: { intoId: string }): Promise<StaffRequest> {
      authorize(actor, 'manageInventory');
      const scope = scopeOf(actor);
      const result = await withTenant(db, scope, async (tx) => {
        const r = await loadRequest(tx, scope, id);
        if (r.status !== 'waiting') throw notWaiting(r);
        const into = await findRequest(tx, scope, input.intoId);
        if (!into || into.id === id)
          throw new AppError('validation', 'Some fields are not valid', {
            intoId: into ? 'must be another request' : 'is not a request of this institution',
          });
        if (into.status === 'merged' || into.status === 'declined')
          throw new AppError('validation', 'Some fields are not valid', {
            intoId: `is ${into.status}: merge into a waiting or accepted request`,
          });
        const after = await updateRequest(tx, scope, id, { status: 'merged', mergedIntoId: into.id, triagedAt: new Date() });
        await recordAudit(tx, actor, {
          action: 'staff_request.merge',
          recordType: 'staff_request',
          recordId: id,
          before: audited(r),
          after: audited(after),
        });
        // Merged into a request already decided: its requester hears the decision now.
        if (into.inventoryItemId) await onItemDecided(tx, scope, actor, into.inventoryItemId);
        return present(tx, scope, await loadRequest(tx, scope, id));
      });
      deps.outbox.kick();
      return result;
    },

    /** Declines a request with a reason; its requester (and those of its duplicates) hear it, and their emails are erased. */
    async decline(actor: Actor, id: string, input: { reason: string }): Promise<StaffRequest> {
      authorize(actor, 'manageInventory');
      const scope = scopeOf(actor);
      const result = await withTenant(db, scope, async (tx) => {
        const r = await loadRequest(tx, scope, id);
        if (r.status !== 'waiting') throw notWaiting(r);
        const after = await updateRequest(tx, scope, id, { status: 'declined', declineReason: input.reason, triagedAt: new Date() });
        await recordAudit(tx, actor, {
          action: 'staff_request.decline',
          recordType: 'staff_request',
          recordId: id,
          before: audited(r),
          after: audited(after),
        });
        const duplicates = await listMergedInto(tx, scope, id);
        await mailDecision(tx, scope, actor, [after, ...duplicates], 'declined', input.reason);
        return present(tx, scope, await loadRequest(tx, scope, id));
      });
      deps.outbox.kick();
      return result;
    },
  };
}
export type StaffRequestService = ReturnType<typeof createStaffRequestService>;
