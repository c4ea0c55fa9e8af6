import { decodeInventoryCursor, encodeInventoryCursor } from './inventory-cursor.js';
import type { ItemDecidedHook, ItemDeletedHook } from '../requests/decision-hook.js';
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { InventoryCreate, InventoryItemBody, InventoryPageBody, InventoryQuery, InventoryUpdate } from '../../../contracts/api.js';
import { canTransition, type InventoryStatus } from '../../../contracts/domain.js';
import { schools, users } from '../../db/schema/index.js';
import { authorize, policy, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { readStatements, withTenant, type TenantScope, type Tx } from '../../platform/db.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { findCatalogApp } from '../catalog/catalog.repo.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import { presentInventoryItem } from './inventory.presenter.js';
import { JsonText } from '../../platform/http.js';
import {
  deleteInventoryItem,
  findDuplicate,
  findInventoryItem,
  insertInventoryItem,
  listInventory,
  ownColumns,
  updateInventoryItem,
  type InventoryRow,
} from './inventory.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { APPROVALS, nextReviewAfterApproval, requireApprovedPiaIfRuled, rulesOf } from './decision-rules.js';

const DECISIONS: ReadonlySet<InventoryStatus> = new Set(['approved', 'approved_with_conditions', 'not_approved']);

type Editable = Partial<Omit<InventoryUpdate, 'version' | 'custom'>>;

/**
 * Checks the references of an item against the caller's institution. An id of another tenant is
 * simply not found here (RLS), so it is refused like any unknown id, field by field.
 */
async function referenceProblems(tx: Tx, scope: TenantScope, v: Editable): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  const institution = await findInstitution(tx, scope);
  if (!institution) throw notFound('Institution');
  v.grades?.forEach((g, i) => {
    if (!institution.gradeLevels.includes(g)) problems[`grades.${i}`] = 'is not a grade level of this institution';
  });
  if (v.schoolIds?.length) {
    const found = await tx
      .select({ id: schools.id })
      .from(schools)
      .where(and(byTenant(schools.tenantId, scope), inArray(schools.id, v.schoolIds)));
    const known = new Set(found.map((s) => s.id));
    v.schoolIds.forEach((id, i) => {
      if (!known.has(id)) problems[`schoolIds.${i}`] = 'is not a school of this institution';
    });
  }
  if (v.ownerUserId) {
    const [owner] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(byTenant(users.tenantId, scope), eq(users.id, v.ownerUserId)));
    if (!owner) problems.ownerUserId = 'is not a user of this institution';
  }
  return problems;
}

function dateProblems(v: { agreementSignedOn?: string | null; agreementExpiresOn?: string | null }): Record<string, string> {
  if (v.agreementSignedOn && v.agreementExpiresOn && v.agreementExpiresOn < v.agreementSignedOn) {
    return { agreementExpiresOn: 'must not be before the signing date' };
  }
  return {};
}

function throwIfProblems(problems: Record<string, string>): void {
  if (Object.keys(problems).length) throw new AppError('validation', 'Some fields are not valid', problems);
}

/** The audited shape of an item: every stored field but the bookkeeping ones. */
function audited(r: InventoryRow): Record<string, unknown> {
  const { tenantId: _t, createdAt: _c, updatedAt: _u, ...rest } = ownColumns(r);
  return rest;
}

export function createInventoryService(
  ctx: Pick<AppContext, 'db'>,
  hooks: { onItemDecided?: ItemDecidedHook; onItemDeleted?: ItemDeletedHook } = {},
) {
  const { db } = ctx;

  async function load(tx: Tx, scope: TenantScope, id: string) {
    const row = await findInventoryItem(tx, scope, id);
    if (!row) throw notFound('App');
    return row;
  }

  return {
    async list(actor: Actor, q: InventoryQuery) {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      if (q.after && q.before) throw invalid('before', 'cannot be given with after');
      const cursor = {
        ...(q.after ? { after: decodeInventoryCursor('after', q.after, q) } : {}),
        ...(q.before ? { before: decodeInventoryCursor('before', q.before, q) } : {}),
      };
      const { items, total, next, prev } = await readStatements(db, scope, (read) => listInventory(read, scope, q, cursor));
      // The items come as the answer's JSON text from the database (listInventory); the rest is ours.
      return new JsonText<InventoryPageBody>(
        `{"items":[${items.join(',')}],"total":${total},"page":${q.page},"pageSize":${q.pageSize},` +
          `"nextCursor":${JSON.stringify(encodeInventoryCursor(q, next))},"prevCursor":${JSON.stringify(encodeInventoryCursor(q, prev))}}`,
      );
    },

    async get(actor: Actor, id: string): Promise<InventoryItemBody> {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      return presentInventoryItem(await withTenant(db, scope, (tx) => load(tx, scope, id)));
    },

    /** Adds a catalog app or a custom app to the institution's inventory. */
    async create(actor: Actor, input: InventoryCreate): Promise<InventoryItemBody> {
      authorize(actor, 'manageInventory');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const problems = { ...(await referenceProblems(tx, scope, input)), ...dateProblems(input) };
        let name: string;
        let vendor: string;
        if (input.catalogAppId) {
          const app = await findCatalogApp(tx, input.catalogAppId);
          if (!app) problems.catalogAppId = 'is not an app of the catalog';
          name = app?.name ?? '';
          vendor = app?.vendor ?? '';
        } else {
          name = input.custom!.name;
          vendor = input.custom!.vendor;
        }
        // A new app has no assessment yet: under the rule it cannot be listed publicly.
        if (input.isPublic && (await rulesOf(tx, scope)).requireApprovedPia)
          problems.isPublic = 'needs an approved privacy impact assessment';
        throwIfProblems(problems);
        const key = input.catalogAppId ? { catalogAppId: input.catalogAppId } : { customName: name };
        if (await findDuplicate(tx, scope, key)) {
          throw new AppError(
            'duplicate',
            `${name} is already in your inventory`,
            input.catalogAppId ? { catalogAppId: 'is already in the inventory' } : { 'custom.name': 'is already in the inventory' },
          );
        }
        const { catalogAppId, custom, ...fields } = input;
        const row = await insertInventoryItem(tx, scope, {
          ...fields,
          id: randomUUID(),
          catalogAppId: catalogAppId ?? null,
          customName: custom?.name ?? null,
          customVendor: custom?.vendor ?? null,
          customWebsite: custom?.website ?? null,
          name,
          vendor,
          status: 'requested',
        });
        await recordAudit(tx, actor, { action: 'inventory.create', recordType: 'inventory_item', recordId: row.id, after: audited(row) });
        return presentInventoryItem(await load(tx, scope, row.id));
      });
    },

    /** Saves changed fields; refused when `version` is not the stored one (someone saved first). */
    async update(actor: Actor, id: string, input: InventoryUpdate): Promise<InventoryItemBody> {
      authorize(actor, 'manageInventory');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const before = await load(tx, scope, id);
        const { version, custom, ...fields } = input;
        const problems = {
          ...(await referenceProblems(tx, scope, fields)),
          ...dateProblems({
            agreementSignedOn:
              fields.agreementSignedOn === undefined ? (before.agreementSignedOn as string | null) : fields.agreementSignedOn,
            agreementExpiresOn:
              fields.agreementExpiresOn === undefined ? (before.agreementExpiresOn as string | null) : fields.agreementExpiresOn,
          }),
        };
        if (custom && before.catalogAppId) problems.custom = 'only a custom app has its own name, vendor and website';
        throwIfProblems(problems);
        const patch: Parameters<typeof updateInventoryItem>[4] = { ...fields };
        if (custom && !before.catalogAppId) {
          if (custom.name !== undefined) {
            if (await findDuplicate(tx, scope, { customName: custom.name }, id)) {
              throw new AppError('duplicate', `${custom.name} is already in your inventory`, {
                'custom.name': 'is already in the inventory',
              });
            }
            patch.customName = custom.name;
            patch.name = custom.name;
          }
          if (custom.vendor !== undefined) {
            patch.customVendor = custom.vendor;
            patch.vendor = custom.vendor;
          }
          if (custom.website !== undefined) patch.customWebsite = custom.website;
        }
        if (fields.isPublic === true && !before.isPublic)
          await requireApprovedPiaIfRuled(tx, scope, await rulesOf(tx, scope), id, 'isPublic');
        if (before.version !== version) throw staleError();
        const after = await updateInventoryItem(tx, scope, id, version, patch);
        if (!after) throw staleError();
        await recordAudit(tx, actor, {
          action: 'inventory.update',
          recordType: 'inventory_item',
          recordId: id,
          before: audited(before),
          after: audited(after),
        });
        return presentInventoryItem(await load(tx, scope, id));
      });
    },

    /** Moves an item along its lifecycle; decisions need the approver right of this institution. */
    async transition(
      actor: Actor,
      id: string,
      input: { version: number; status: InventoryStatus; comment?: string | undefined },
    ): Promise<InventoryItemBody> {
      authorize(actor, 'manageInventory');
      if (DECISIONS.has(input.status) && !policy.approve(actor)) {
        throw forbidden(
          'Only a site administrator or an app administrator with the approver right of this institution can decide on an app',
        );
      }
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const before = await load(tx, scope, id);
        const from = before.status as InventoryStatus;
        if (!canTransition(from, input.status)) {
          throw new AppError(
            'invalid_transition',
            `An app that is ${from.replace(/_/g, ' ')} cannot move to ${input.status.replace(/_/g, ' ')}`,
            { status: `not allowed from ${from}` },
          );
        }
        if (input.status === 'approved_with_conditions' && !before.conditionsOfUse.trim()) {
          throw new AppError('validation', 'Write the conditions of use before approving with conditions', {
            conditionsOfUse: 'is required to approve with conditions',
          });
        }
        if (before.version !== input.version) throw staleError();
        const patch: Parameters<typeof updateInventoryItem>[4] = { status: input.status };
        if (APPROVALS.has(input.status)) {
          const rules = await rulesOf(tx, scope);
          await requireApprovedPiaIfRuled(tx, scope, rules, id, 'status');
          patch.nextReviewOn = nextReviewAfterApproval(rules, before.nextReviewOn as string | null);
        }
        const after = await updateInventoryItem(tx, scope, id, input.version, patch);
        if (!after) throw staleError();
        await recordAudit(tx, actor, {
          action: 'inventory.transition',
          recordType: 'inventory_item',
          recordId: id,
          before: audited(before),
          after: { ...audited(after), ...(input.comment ? { comment: input.comment } : {}) },
        });
        if (DECISIONS.has(input.status)) await hooks.onItemDecided?.(tx, scope, actor, id);
        // Retired before a decision: the staff requests behind it are closed and their emails erased, with the move.
        if (input.status === 'retired') await hooks.onItemDeleted?.(tx, scope, actor, { id, status: from, cause: 'retired' });
        return presentInventoryItem(await load(tx, scope, id));
      });
    },

    async remove(actor: Actor, id: string): Promise<void> {
      authorize(actor, 'manageInventory');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        const before = await load(tx, scope, id);
        // The staff requests that led to it are closed and their requesters' emails erased, with the item.
        await hooks.onItemDeleted?.(tx, scope, actor, { id, status: before.status });
        await deleteInventoryItem(tx, scope, id);
        await recordAudit(tx, actor, { action: 'inventory.delete', recordType: 'inventory_item', recordId: id, before: audited(before) });
      });
    },
  };
}
export type InventoryService = ReturnType<typeof createInventoryService>;

function staleError(): AppError {
  return new AppError('stale', 'Someone else saved this app after you opened it. Reload to see their changes, then make yours again.');
}
