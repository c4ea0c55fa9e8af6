/**
 * The inventory item's status follows the assessment: submitted → in review, decided → the decision.
 * Done through the inventory module's repo, inside the assessment's transaction, along the moves
 * INVENTORY_TRANSITIONS allows (one step through "in review" when the item is elsewhere).
 */
import { canTransition, type InventoryStatus } from '../../../contracts/domain.js';
import type { Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { TenantScope, Tx } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { findInventoryItem, ownColumns, updateInventoryItem, type InventoryRowWithApp } from '../inventory/inventory.repo.js';

const label = (s: string) => s.replace(/_/g, ' ');

/** The statuses the item goes through to reach `target`; throws when the lifecycle does not allow it. */
export function pathTo(from: InventoryStatus, target: InventoryStatus): InventoryStatus[] {
  if (from === target) return [];
  if (canTransition(from, target)) return [target];
  if (canTransition(from, 'in_review') && canTransition('in_review', target)) return ['in_review', target];
  throw new AppError(
    'invalid_transition',
    `The app is ${label(from)} in the inventory and cannot become ${label(target)}. Change its status in the inventory first.`,
    { inventoryStatus: `not allowed from ${from}` },
  );
}

/** Checks, without writing, that the item can follow to `target`. */
export async function checkInventoryCanFollow(
  tx: Tx,
  scope: TenantScope,
  itemId: string,
  target: InventoryStatus,
): Promise<InventoryRowWithApp> {
  const item = await findInventoryItem(tx, scope, itemId);
  if (!item) throw notFound('App');
  pathTo(item.status as InventoryStatus, target);
  return item;
}

/** Moves the item to `target` (and sets decision fields), auditing each step as an inventory transition. */
export async function inventoryFollows(
  tx: Tx,
  scope: TenantScope,
  actor: Actor,
  itemId: string,
  target: InventoryStatus,
  extras: { conditionsOfUse?: string; nextReviewOn?: string | null } = {},
  comment = '',
): Promise<void> {
  let item = await findInventoryItem(tx, scope, itemId);
  if (!item) throw notFound('App');
  const steps = pathTo(item.status as InventoryStatus, target);
  const patchExtras = Object.fromEntries(Object.entries(extras).filter(([, v]) => v !== undefined));
  if (!steps.length && !Object.keys(patchExtras).length) return;
  const moves = steps.length ? steps : [target];
  for (const [i, status] of moves.entries()) {
    const last = i === moves.length - 1;
    const before = ownColumns(item);
    const after = await updateInventoryItem(tx, scope, itemId, item.version, { status, ...(last ? patchExtras : {}) });
    if (!after) throw new AppError('stale', 'The app was changed in the inventory at the same time. Try again.');
    const { tenantId: _t, createdAt: _c, updatedAt: _u, ...afterAudit } = after;
    const { tenantId: _t2, createdAt: _c2, updatedAt: _u2, ...beforeAudit } = before;
    await recordAudit(tx, actor, {
      action: 'inventory.transition',
      recordType: 'inventory_item',
      recordId: itemId,
      before: beforeAudit,
      after: { ...afterAudit, comment: comment || 'Follows the privacy impact assessment' },
    });
    item = { ...after, catalogWebsite: item.catalogWebsite, approvalNeedsPia: item.approvalNeedsPia };
  }
}
