/**
 * Support access (ADR 0007): an institution's site admin lets the operator's staff read the
 * institution's data for a limited time, and may end it early. Every grant, revocation and use is in
 * the institution's audit log; the grants are listed to its site admins.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { SupportGrantBody, supportGrantCreateSchema } from '../../../contracts/api.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { findSupportGrant, insertSupportGrant, listSupportGrants, namesOf, revokeSupportGrant, type SupportGrantRow } from './operator-access.repo.js';
import { presentSupportGrant } from './support-access.presenter.js';

type GrantInput = z.output<typeof supportGrantCreateSchema>;

export function createSupportAccessService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;
  const people = (rows: SupportGrantRow[]) => [...new Set(rows.flatMap((r) => [r.grantedBy, r.revokedBy]).filter((v): v is string => !!v))];

  return {
    /** Every grant of the institution, newest first (its site admins). */
    async list(actor: Actor): Promise<SupportGrantBody[]> {
      authorize(actor, 'manageSupportAccess');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const rows = await listSupportGrants(tx, scope);
        const names = await namesOf(tx, scope, people(rows));
        return rows.map((r) => presentSupportGrant(r, names));
      });
    },

    /** Grants the operator read-only access for `hours`. Any earlier grant still active stays as it is. */
    async grant(actor: Actor, input: GrantInput): Promise<SupportGrantBody> {
      authorize(actor, 'manageSupportAccess');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const row = await insertSupportGrant(tx, scope, {
          id: randomUUID(),
          reason: input.reason,
          hours: input.hours,
          expiresAt: new Date(Date.now() + input.hours * 3600_000),
          grantedBy: actor.userId,
        });
        await recordAudit(tx, actor, {
          action: 'support_access.grant',
          recordType: 'support_grant',
          recordId: row.id,
          after: { reason: row.reason, hours: row.hours, expiresAt: row.expiresAt.toISOString() },
        });
        return presentSupportGrant(row, await namesOf(tx, scope, people([row])));
      });
    },

    /** Ends a grant now. Ending one already ended (revoked or expired) is refused with 409. */
    async revoke(actor: Actor, id: string): Promise<SupportGrantBody> {
      authorize(actor, 'manageSupportAccess');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const before = await findSupportGrant(tx, scope, id);
        if (!before) throw notFound('Support access');
        if (before.revokedAt || before.expiresAt.getTime() <= Date.now()) throw new AppError('conflict', 'This support access has already ended');
        const row = await revokeSupportGrant(tx, scope, id, actor.userId);
        if (!row) throw new AppError('conflict', 'This support access has already ended');
        await recordAudit(tx, actor, {
          action: 'support_access.revoke',
          recordType: 'support_grant',
          recordId: id,
          before: { revokedAt: null },
          after: { revokedAt: row.revokedAt!.toISOString() },
        });
        return presentSupportGrant(row, await namesOf(tx, scope, people([row])));
      });
    },
  };
}
export type SupportAccessService = ReturnType<typeof createSupportAccessService>;
