/**
 * The institution's decision rules, applied wherever an app is approved or listed:
 * - `requireApprovedPia`: an app is approved (with or without conditions) or made public only when it
 *   has an approved PIA (pia-state.ts says what that is); the public list shows only such apps;
 * - `expiredAgreement`: `needs_review` moves an approved app whose agreement has expired to "needs
 *   review" (the daily job below), and the public list leaves it out from the day after expiry, before
 *   the job runs; `keep` changes nothing;
 * - `reviewIntervalMonths`: an approval sets the next review that many months ahead, unless a later
 *   date was set.
 */
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DecisionRules } from '../../../contracts/api.js';
import type { InventoryStatus } from '../../../contracts/domain.js';
import { systemActor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant, type Db, type TenantScope, type Tx } from '../../platform/db.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { defineJob } from '../../platform/jobs.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { hasApprovedPia, piaOfItem } from '../reports/pia-state.js';
import { decisionRulesOf } from '../tenants/institutions.presenter.js';
import { findInstitution } from '../tenants/institutions.repo.js';
import { findInventoryItem, ownColumns, updateInventoryItem } from './inventory.repo.js';

/** The statuses that approve an app for use. */
export const APPROVALS: ReadonlySet<InventoryStatus> = new Set(['approved', 'approved_with_conditions']);

/** Today's calendar day (UTC), `YYYY-MM-DD`. */
export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The day `months` after `day` (`YYYY-MM-DD`), clamped to the month's last day (31 January + 1 → 28 or 29 February). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

/**
 * The next review an approval sets: the date already set when it is still ahead, else the rule's
 * interval from today. A just-approved app is never overdue.
 */
export function nextReviewAfterApproval(rules: Pick<DecisionRules, 'reviewIntervalMonths'>, current: string | null, day = today()): string {
  return current && current > day ? current : addMonths(day, rules.reviewIntervalMonths);
}

/** The decision rules of the caller's institution. */
export async function rulesOf(tx: Tx, scope: TenantScope): Promise<DecisionRules> {
  const institution = await findInstitution(tx, scope);
  if (!institution) throw notFound('Institution');
  return decisionRulesOf(institution);
}

/** Whether the item has an approved PIA (the one definition, pia-state.ts). */
export async function itemHasApprovedPia(tx: Tx, scope: TenantScope, itemId: string): Promise<boolean> {
  const rows = await queryRows<{ ok: boolean }>(
    tx,
    sql`select ${hasApprovedPia()} as ok from inventory_items i ${piaOfItem()} where ${byTenant(sql`i.tenant_id`, scope)} and i.id = ${itemId}`,
  );
  return rows[0]?.ok === true;
}

/** Refuses an approval or a listing the rule forbids: `field` names what the person tried to set. */
export async function requireApprovedPiaIfRuled(
  tx: Tx,
  scope: TenantScope,
  rules: DecisionRules,
  itemId: string,
  field: 'status' | 'isPublic',
): Promise<void> {
  if (!rules.requireApprovedPia || (await itemHasApprovedPia(tx, scope, itemId))) return;
  throw new AppError(
    'validation',
    field === 'status'
      ? 'Your institution approves an app only with an approved privacy impact assessment. Assess the app, then decide through its assessment.'
      : 'Your institution lists an app publicly only once its privacy impact assessment is approved.',
    { [field]: 'needs an approved privacy impact assessment' },
  );
}

/** SQL (boolean) for the public list: item `i` (joined to `pia` by piaOfItem and to institution `inst`) meets the rules. */
export function meetsListingRules(): SQL {
  return sql`(not inst.require_approved_pia or ${hasApprovedPia()})
    and (inst.expired_agreement <> 'needs_review' or i.agreement_expires_on is null or i.agreement_expires_on >= current_date)`;
}

/**
 * The daily pass: in every active institution whose rule says so, each approved app whose agreement
 * expired before `day` moves to "needs review", audited as the system's act. Returns how many moved.
 * Idempotent: a moved app is no longer approved.
 */
export async function systemMoveExpiredAgreements(db: Db, day = today()): Promise<number> {
  const institutions = await withSystem(db, (tx) =>
    queryRows<{ id: string }>(
      tx,
      sql`select id from institutions where status = 'active' and expired_agreement = 'needs_review' order by id`,
    ),
  );
  let moved = 0;
  for (const { id } of institutions) {
    const scope = unsafeTenantScope(id);
    moved += await withTenant(db, scope, async (tx) => {
      const due = await queryRows<{ id: string }>(
        tx,
        sql`select id from inventory_items
             where ${byTenant(sql`tenant_id`, scope)} and status in ('approved', 'approved_with_conditions')
               and agreement_expires_on < ${day}::date
             order by id for update`,
      );
      const actor = systemActor('agreement-expiry', 'job', id);
      for (const { id: itemId } of due) {
        const before = await findInventoryItem(tx, scope, itemId);
        if (!before) continue;
        const after = await updateInventoryItem(tx, scope, itemId, before.version, { status: 'needs_review' });
        if (!after) continue;
        const { tenantId: _t, createdAt: _c, updatedAt: _u, ...beforeAudit } = ownColumns(before);
        const { tenantId: _t2, createdAt: _c2, updatedAt: _u2, ...afterAudit } = after;
        await recordAudit(tx, actor, {
          action: 'inventory.transition',
          recordType: 'inventory_item',
          recordId: itemId,
          before: beforeAudit,
          after: { ...afterAudit, comment: `The agreement expired on ${String(before.agreementExpiresOn)}` },
        });
      }
      return due.length;
    });
  }
  return moved;
}

/** The daily job moving approved apps with expired agreements to "needs review" (and at start, for a process that slept past midnight). */
export function createDecisionRuleJobs(ctx: Pick<AppContext, 'db'>) {
  return {
    expiredAgreements: defineJob({
      name: 'expired-agreements',
      version: 1,
      payload: z.object({}),
      schedule: { cron: '5 0 * * *', payload: {} },
      runAtStart: true,
      handle: async () => {
        await systemMoveExpiredAgreements(ctx.db);
      },
    }),
  };
}
