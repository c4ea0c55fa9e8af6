import type { Actor } from '../../platform/authz.js';
import type { TenantScope, Tx } from '../../platform/db.js';

/**
 * Called in the transaction that gives an inventory item a decision (approved, approved with
 * conditions, not approved), whether through the inventory or its assessment: staff requests that
 * led to the item then mail their requesters, in the same transaction.
 */
export type ItemDecidedHook = (tx: Tx, scope: TenantScope, actor: Actor, itemId: string) => Promise<void>;
