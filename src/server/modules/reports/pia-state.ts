import { sql, type SQL } from 'drizzle-orm';

/**
 * The one place that says whether an inventory item has an approved PIA.
 *
 * Definition: an item (not retired) has an approved PIA when an assessment linked to it is
 * `approved` or `approved with conditions` (its latest approved revision counts; a reopened
 * assessment keeps its approval until a new revision is decided). An item's own inventory status
 * says nothing about it: an app can be approved for use while its PIA is still a draft.
 *
 * Until the assessments tables exist no item has an assessment, so every item lacks an approved PIA
 * and its PIA status is "none". When they land, only these two fragments change.
 */
export const PIA_APPROVED_STATUSES = ['approved', 'approved_with_conditions'] as const;

/** SQL (boolean) true when item `i` has an approved PIA. `i` is the inventory_items alias. */
export function hasApprovedPia(): SQL {
  return sql`false`;
}

/** SQL (text) status of the most recent assessment of item `i`, or null when it has none. */
export function latestPiaStatus(): SQL {
  return sql`null::text`;
}
