import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { AuditEventBody } from '../../../contracts/api.js';
import { auditEvents } from '../../db/schema/index.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withTenant } from '../../platform/db.js';
import { iso } from '../../platform/dates.js';
import { byTenant } from '../../platform/tenant-filter.js';

type AuditRow = typeof auditEvents.$inferSelect;

export function presentAuditEvent(r: AuditRow): AuditEventBody {
  return {
    id: r.id,
    at: iso(r.at),
    actorLabel: r.actorLabel,
    actorRole: r.actorRole,
    action: r.action,
    recordType: r.recordType,
    recordId: r.recordId,
    changes: r.changes as AuditEventBody['changes'],
    requestId: r.requestId,
    source: r.source,
  };
}

export function createAuditService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;
  return {
    /** History of one record; the caller has already checked it may read the record. */
    async historyOf(actor: Actor, recordType: string, recordId: string): Promise<AuditEventBody[]> {
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, (tx) =>
        tx
          .select()
          .from(auditEvents)
          .where(and(byTenant(auditEvents.tenantId, scope), eq(auditEvents.recordType, recordType), eq(auditEvents.recordId, recordId)))
          .orderBy(desc(auditEvents.id))
          .limit(500),
      );
      return rows.map(presentAuditEvent);
    },

    /** The institution's audit log, newest first (site admins). */
    async list(actor: Actor, q: { recordType?: string | undefined; recordId?: string | undefined; action?: string | undefined; page: number; pageSize: number }) {
      authorize(actor, 'readAudit');
      const scope = scopeOf(actor);
      const where: SQL[] = [byTenant(auditEvents.tenantId, scope)];
      if (q.recordType) where.push(eq(auditEvents.recordType, q.recordType));
      if (q.recordId) where.push(eq(auditEvents.recordId, q.recordId));
      if (q.action) where.push(eq(auditEvents.action, q.action));
      const cond = and(...where);
      const { rows, total } = await withTenant(db, scope, async (tx) => {
        const rows = await tx.select().from(auditEvents).where(cond).orderBy(desc(auditEvents.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
        const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(cond);
        return { rows, total: count?.n ?? 0 };
      });
      return { items: rows.map(presentAuditEvent), total, page: q.page, pageSize: q.pageSize };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
