import { sql } from 'drizzle-orm';
import { SEAL_ACTION, UnsealableEventError, sealLegacyAuditEvents } from './audit.js';
import { queryRows, withSystem, type Db } from './db.js';

/** What the step after migrations did with one chain. */
export interface PendingSeal {
  tenantId: string | null;
  /** Events sealed (0 when the chain could not be sealed: see `unsealableEventId`). */
  sealed: number;
  /** An unchained event written after the chain began: left for `audit-verify` to report. */
  unsealableEventId?: number;
}

/**
 * Run after the migrations, by every command that applies them (`serve`, `worker`, `migrate`, …): seals
 * each chain that still holds events from before hash chaining existed and has no seal yet, each in
 * one transaction with its `audit.seal` event (see `sealLegacyAuditEvents`), so a deployment upgraded
 * from before the chain verifies without an operator step. Idempotent, and safe when several processes
 * start together (the chain's advisory lock serialises them and the second finds the seal). A chain
 * holding an unchained event newer than its chained ones is left as it is, reported, and not fatal:
 * that event can only come from outside the service and `audit-verify` keeps reporting it.
 * Cheap when nothing is pending: the partial index `audit_events_unchained_idx` holds only unchained events.
 */
export async function sealPendingAuditChains(db: Db): Promise<PendingSeal[]> {
  const pending = await withSystem(db, async (tx) => {
    const chains = await queryRows<{ id: string | null }>(tx, sql`select distinct tenant_id as id from audit_events where seq is null or hash is null order by 1 nulls first`);
    const unsealed: (string | null)[] = [];
    for (const { id } of chains) {
      const [seal] = await queryRows<{ one: number }>(
        tx,
        sql`select 1 as one from audit_events where ${id ? sql`tenant_id = ${id}` : sql`tenant_id is null`}
            and record_type = 'audit_log' and record_id = ${id ?? 'operator'} and action = ${SEAL_ACTION} and seq is not null limit 1`,
      );
      if (!seal) unsealed.push(id);
    }
    return unsealed;
  });
  const out: PendingSeal[] = [];
  for (const id of pending) {
    try {
      out.push({ tenantId: id, sealed: await withSystem(db, (tx) => sealLegacyAuditEvents(tx, id, 'migrate')) });
    } catch (err) {
      if (!(err instanceof UnsealableEventError)) throw err;
      out.push({ tenantId: id, sealed: 0, unsealableEventId: err.eventId });
    }
  }
  return out;
}
