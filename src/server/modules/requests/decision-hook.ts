import type { Actor } from '../../platform/authz.js';
import type { TenantScope, Tx } from '../../platform/db.js';

/**
 * Called in the transaction that gives an inventory item a decision (approved, approved with
 * conditions, not approved), whether through the inventory or its assessment: staff requests that
 * led to the item then mail their requesters, in the same transaction.
 */
export type ItemDecidedHook = (tx: Tx, scope: TenantScope, actor: Actor, itemId: string) => Promise<void>;

/**
 * Called in the transaction that deletes an inventory item (before the row goes) or retires it: staff
 * requests accepted into it that never got a decision are declined with a reason their status page
 * shows, their requesters hear it, and every sealed email behind the item is erased, in the same
 * transaction. `status` is the item's status before the deletion or the retirement.
 */
export type ItemDeletedHook = (tx: Tx, scope: TenantScope, actor: Actor, item: { id: string; status: string; cause?: 'deleted' | 'retired' }) => Promise<void>;
