import { sql, type SQL } from 'drizzle-orm';

/**
 * The one place that says whether an inventory item has an approved PIA.
 *
 * Definition: an item has an approved PIA when its assessment has an approved revision
 * (`approved` or `approved with conditions`; `assessments.approved_revision` is set). A reopened
 * assessment keeps its last approval until a new revision is decided. The item's own inventory
 * status says nothing about it: an app can be approved for use while its PIA is still a draft.
 */
export const PIA_APPROVED_STATUSES = ['approved', 'approved_with_conditions'] as const;

/** SQL (boolean) true when item `i` (the inventory_items alias) has an approved PIA. */
export function hasApprovedPia(): SQL {
  return sql`exists (select 1 from assessments a where a.tenant_id = i.tenant_id and a.inventory_item_id = i.id and a.approved_revision is not null)`;
}

/** SQL (text) status of item `i`'s assessment (its current revision), or null when it has none. */
export function latestPiaStatus(): SQL {
  return sql`(select a.status from assessments a where a.tenant_id = i.tenant_id and a.inventory_item_id = i.id)`;
}
