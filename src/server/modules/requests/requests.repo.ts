/**
 * Staff requests' queries. The public pages find their institution by a link token's hash as system
 * code (`unsafe…`): the hash is the only input, and only the institution's id comes back. Everything
 * else runs inside one institution (a `TenantScope`).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { staffRequestLinks, staffRequests } from '../../db/schema/index.js';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';

export type StaffRequestRow = typeof staffRequests.$inferSelect;
export type StaffRequestLinkRow = typeof staffRequestLinks.$inferSelect;

/** The institution whose open request page this link hash names, if it still serves. */
export async function unsafeFindInstitutionByLink(tx: Tx, linkTokenHash: string): Promise<string | undefined> {
  const rows = await queryRows<{ tenant_id: string }>(
    tx,
    sql`select l.tenant_id from staff_request_links l join institutions i on i.id = l.tenant_id
         where l.link_token_hash = ${linkTokenHash} and i.status = 'active'`,
  );
  return rows[0]?.tenant_id;
}

/**
 * Whether a single sign-on ticket's connection still opens its institution's request page: the
 * connection exists, is enabled and open to staff requests, and the institution is active.
 */
export async function unsafeStaffRequestConnectionOpen(tx: Tx, tenantId: string, connectionId: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from sso_connections c join institutions i on i.id = c.tenant_id
         where c.tenant_id = ${tenantId} and c.id = ${connectionId} and c.enabled and c.staff_requests and i.status = 'active'`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

/** The institution and id of the request this status hash names. */
export async function unsafeFindRequestByStatus(tx: Tx, statusTokenHash: string): Promise<{ tenantId: string; id: string } | undefined> {
  const rows = await queryRows<{ tenant_id: string; id: string }>(
    tx,
    sql`select r.tenant_id, r.id from staff_requests r join institutions i on i.id = r.tenant_id
         where r.status_token_hash = ${statusTokenHash} and i.status <> 'purged'`,
  );
  const row = rows[0];
  return row ? { tenantId: row.tenant_id, id: row.id } : undefined;
}

export async function findLink(tx: Tx, scope: TenantScope): Promise<StaffRequestLinkRow | undefined> {
  const [row] = await tx.select().from(staffRequestLinks).where(byTenant(staffRequestLinks.tenantId, scope));
  return row;
}

/** Opens the page, or replaces its link (the old one stops working at once). */
export async function upsertLink(tx: Tx, scope: TenantScope, linkTokenHash: string): Promise<StaffRequestLinkRow> {
  const now = new Date();
  const [row] = await tx
    .insert(staffRequestLinks)
    .values({ tenantId: scope.tenantId, linkTokenHash, openedAt: now })
    .onConflictDoUpdate({ target: staffRequestLinks.tenantId, set: { linkTokenHash, openedAt: now, updatedAt: now } })
    .returning();
  return row!;
}

export async function deleteLink(tx: Tx, scope: TenantScope): Promise<boolean> {
  const rows = await tx
    .delete(staffRequestLinks)
    .where(byTenant(staffRequestLinks.tenantId, scope))
    .returning({ t: staffRequestLinks.tenantId });
  return rows.length > 0;
}

export async function insertRequest(
  tx: Tx,
  scope: TenantScope,
  values: Omit<typeof staffRequests.$inferInsert, 'tenantId'>,
): Promise<StaffRequestRow> {
  const [row] = await tx
    .insert(staffRequests)
    .values({ ...values, tenantId: scope.tenantId })
    .returning();
  return row!;
}

export async function findRequest(tx: Tx, scope: TenantScope, id: string): Promise<StaffRequestRow | undefined> {
  const [row] = await tx
    .select()
    .from(staffRequests)
    .where(and(byTenant(staffRequests.tenantId, scope), eq(staffRequests.id, id)));
  return row;
}

export async function listRequests(tx: Tx, scope: TenantScope, status?: string): Promise<StaffRequestRow[]> {
  return tx
    .select()
    .from(staffRequests)
    .where(and(byTenant(staffRequests.tenantId, scope), status ? eq(staffRequests.status, status) : undefined))
    .orderBy(asc(staffRequests.createdAt), asc(staffRequests.id))
    .limit(500);
}

export async function updateRequest(
  tx: Tx,
  scope: TenantScope,
  id: string,
  patch: Partial<typeof staffRequests.$inferInsert>,
): Promise<StaffRequestRow> {
  const [row] = await tx
    .update(staffRequests)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(byTenant(staffRequests.tenantId, scope), eq(staffRequests.id, id)))
    .returning();
  return row!;
}

/**
 * Requests whose requesters hear the decision on this item: accepted into it, or merged into one
 * that was, and whose sealed email still waits.
 */
export async function listAwaitingDecisionMail(
  tx: Tx,
  scope: TenantScope,
  itemId: string,
): Promise<{ id: string; appName: string; requesterEmailSecret: string; language: string }[]> {
  return queryRows(
    tx,
    sql`select id, app_name as "appName", requester_email_secret as "requesterEmailSecret", language
          from staff_requests
         where ${byTenant(sql`tenant_id`, scope)} and requester_email_secret is not null
           and (inventory_item_id = ${itemId}
                or merged_into_id in (select id from staff_requests where ${byTenant(sql`tenant_id`, scope)} and inventory_item_id = ${itemId}))`,
  );
}

/** Requests accepted into an inventory item. */
export async function listRequestsOfItem(tx: Tx, scope: TenantScope, itemId: string): Promise<StaffRequestRow[]> {
  return tx
    .select()
    .from(staffRequests)
    .where(and(byTenant(staffRequests.tenantId, scope), eq(staffRequests.inventoryItemId, itemId)))
    .orderBy(asc(staffRequests.createdAt), asc(staffRequests.id));
}

/** Requests merged into `id` (the duplicates it stands for). */
export async function listMergedInto(tx: Tx, scope: TenantScope, id: string): Promise<StaffRequestRow[]> {
  return tx
    .select()
    .from(staffRequests)
    .where(and(byTenant(staffRequests.tenantId, scope), eq(staffRequests.mergedIntoId, id)));
}

/** The inventory item's status and its assessment, for the queue and the status page. */
export async function itemStateOf(
  tx: Tx,
  scope: TenantScope,
  itemId: string,
): Promise<{ status: string; conditions_of_use: string; assessment_id: string | null; guidance: string | null } | undefined> {
  const rows = await queryRows<{ status: string; conditions_of_use: string; assessment_id: string | null; guidance: string | null }>(
    tx,
    sql`select i.status, i.conditions_of_use, a.id as assessment_id,
               (select ans.value #>> '{}' from assessment_revisions r
                  join assessment_questions q on q.tenant_id = r.tenant_id and q.revision_id = r.id and q.key = 'k.teacher_guidance'
                  join assessment_answers ans on ans.tenant_id = q.tenant_id and ans.question_id = q.id
                 where r.tenant_id = a.tenant_id and r.assessment_id = a.id and r.number = a.approved_revision) as guidance
          from inventory_items i
          left join assessments a on a.tenant_id = i.tenant_id and a.inventory_item_id = i.id
         where ${byTenant(sql`i.tenant_id`, scope)} and i.id = ${itemId}`,
  );
  return rows[0];
}

/** Requests waiting for triage in one institution: how many, and since when (the oldest first). */
export interface WaitingForTriage {
  count: number;
  /** The oldest waiting request's age in whole days (0 when none). */
  oldestAgeDays: number;
  items: { id: string; appName: string; createdAt: Date; ageDays: number }[];
}

/**
 * Requests waiting for triage in the scope's institution, oldest first, with their age in days:
 * for reminders ("requests waiting for triage") and the dashboard. Nothing about requesters.
 */
export async function listRequestsWaitingForTriage(tx: Tx, scope: TenantScope, limit = 50): Promise<WaitingForTriage> {
  const rows = await queryRows<{ id: string; app_name: string; created_at: Date | string; age_days: number; total: number }>(
    tx,
    sql`select id, app_name, created_at, floor(extract(epoch from (now() - created_at)) / 86400)::int as age_days,
               count(*) over ()::int as total
          from staff_requests
         where ${byTenant(sql`tenant_id`, scope)} and status = 'waiting'
         order by created_at, id
         limit ${limit}`,
  );
  return {
    count: rows[0]?.total ?? 0,
    oldestAgeDays: rows[0]?.age_days ?? 0,
    items: rows.map((r) => ({ id: r.id, appName: r.app_name, createdAt: new Date(r.created_at), ageDays: r.age_days })),
  };
}
