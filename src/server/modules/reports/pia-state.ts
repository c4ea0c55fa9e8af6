import { sql, type SQL } from 'drizzle-orm';

/**
 * The one place that says whether an inventory item has an approved PIA.
 *
 * Definition: an item has an approved PIA when its assessment has an approved revision
 * (`approved` or `approved with conditions`; `assessments.approved_revision` is set). A reopened
 * assessment keeps its last approval until a new revision is decided (a rejection ends it). The item's own inventory
 * status says nothing about it: an app can be approved for use while its PIA is still a draft.
 */
export const PIA_APPROVED_STATUSES = ['approved', 'approved_with_conditions'] as const;

/**
 * SQL joining item `i` (the inventory_items alias) to its assessment, alias `pia` (an item has at
 * most one: unique on tenant and item). One join serves both tests below, instead of a lookup per
 * item for each.
 */
export function piaOfItem(): SQL {
  return sql`left join assessments pia on pia.tenant_id = i.tenant_id and pia.inventory_item_id = i.id`;
}

/** SQL (boolean) true when item `i` has an approved PIA; needs `piaOfItem()` in the FROM clause. */
export function hasApprovedPia(): SQL {
  return sql`(pia.approved_revision is not null and pia.status <> 'rejected')`;
}

/** SQL (text) status of item `i`'s assessment (its current revision), or null when it has none; needs `piaOfItem()`. */
export function piaStatus(): SQL {
  return sql`pia.status`;
}
