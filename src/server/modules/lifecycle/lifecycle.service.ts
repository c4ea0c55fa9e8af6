/**
 * Offboarding (end of service → read-only grace → purge), deletion certificates, the portability
 * archive and audit-chain verification.
 */
import { decryptArchivedAttachments } from '../attachments/attachments.portable.js';
import { and, desc, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DeletionCertificateBody, OffboardingBody, OffboardingDateInput, OffboardingInput, OffboardingListItem, OffboardingPhase } from '../../../contracts/lifecycle.js';
import { deletionCertificates, institutions, offboardings } from '../../db/schema/index.js';
import { chainKey, recordAudit, sealLegacyAuditEvents, verifyAuditChain, type ChainReport } from '../../platform/audit.js';
import { authorize, isPlatformAdmin, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant } from '../../platform/db.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { defineJob } from '../../platform/jobs.js';
import { exportFolderOf } from '../exports/export.job.js';
import { readOnlyPeriodOf } from '../tenants/institutions.repo.js';
import { serializeArchive, systemExportInstitution } from './archive.js';
import type { BackupService } from './backups.service.js';
import { certificateBody, systemPurgeInstitution, type PurgeOptions } from './purge.js';

const DAY_MS = 24 * 3600_000;
type OffboardingRow = typeof offboardings.$inferSelect;

type CertificateRow = typeof deletionCertificates.$inferSelect;

/** The phase of an offboarding now; `purging` once the purge has started (its certificate exists). */
export function phaseOf(o: Pick<OffboardingRow, 'status' | 'endOfServiceAt'>, purgeStarted: boolean, now = new Date()): OffboardingPhase {
  if (purgeStarted) return 'purging';
  if (o.status === 'requested') return 'requested';
  return o.endOfServiceAt.getTime() <= now.getTime() ? 'read_only' : 'scheduled';
}

function presentOffboarding(o: OffboardingRow, purgeStarted: boolean): OffboardingBody {
  return {
    status: o.status as OffboardingBody['status'],
    phase: phaseOf(o, purgeStarted),
    contactEmail: o.contactEmail,
    endOfServiceAt: o.endOfServiceAt.toISOString(),
    purgeAfter: o.purgeAfter.toISOString(),
    requestedAt: o.requestedAt.toISOString(),
    confirmedAt: o.confirmedAt?.toISOString() ?? null,
  };
}

export function createLifecycleService(ctx: Pick<AppContext, 'db' | 'config' | 'mailer' | 'jobs'>, backups: BackupService) {
  const { db, config } = ctx;
  const graceMs = config.offboardingGraceDays * DAY_MS;

  const purgeJob = defineJob({
    name: 'purge-institution',
    version: 1,
    payload: z.strictObject({ institutionId: z.uuid() }),
    singletonKey: (p) => p.institutionId,
    expireInSeconds: 6 * 3600,
    retryLimit: 10,
    retryDelaySeconds: 60,
    handle: async ({ institutionId }) => {
      await service.systemPurge(institutionId);
    },
  });
  const purgeDueJob = defineJob({
    name: 'purge-due',
    version: 1,
    payload: z.strictObject({}),
    schedule: { cron: '*/15 * * * *', payload: {} },
    handle: async () => {
      for (const id of await service.systemDueForPurge()) await ctx.jobs.send(purgeJob, { institutionId: id });
    },
  });

  /** Writes the offboarding (system code only) and moves the institution to `offboarding` when confirmed. */
  async function upsertOffboarding(actor: Actor, institutionId: string, input: OffboardingInput, status: 'requested' | 'scheduled') {
    const now = new Date();
    const end = input.endOfServiceAt ? new Date(input.endOfServiceAt) : now;
    return withSystem(db, async (tx) => {
      const [inst] = await tx.select().from(institutions).where(eq(institutions.id, institutionId)).for('update');
      if (!inst || inst.status === 'purged') throw notFound('Institution');
      if (inst.status !== 'active') throw new AppError('invalid_transition', 'This institution is already being offboarded');
      const values = { status, contactEmail: input.contactEmail, endOfServiceAt: end, purgeAfter: new Date(end.getTime() + graceMs), requestedAt: now, confirmedAt: status === 'scheduled' ? now : null, updatedAt: now };
      const [before] = await tx.select().from(offboardings).where(eq(offboardings.tenantId, institutionId));
      const [row] = await tx
        .insert(offboardings)
        .values({ tenantId: institutionId, ...values })
        .onConflictDoUpdate({ target: offboardings.tenantId, set: values })
        .returning();
      if (status === 'scheduled') await tx.update(institutions).set({ status: 'offboarding', updatedAt: now }).where(eq(institutions.id, institutionId));
      await recordAudit(tx, actor, {
        action: status === 'scheduled' ? 'institution.offboard' : 'institution.offboard_request',
        recordType: 'institution',
        recordId: institutionId,
        before: before ?? null,
        after: row!,
        tenantId: institutionId,
      });
      return presentOffboarding(row!, false);
    });
  }

  function presentCertificate(c: CertificateRow): DeletionCertificateBody {
    return { ...certificateBody(c), digest: c.digest, mailed: c.mailedAt !== null };
  }

  /**
   * Offboardings under way (of one institution, or all): each institution with an offboarding, and
   * each one whose purge has started — once the purge has deleted the offboarding itself, its
   * certificate gives the dates.
   */
  async function offboardingsUnderWay(only?: string): Promise<OffboardingListItem[]> {
    const rows = await withSystem(db, (tx) =>
      tx
        .select({ id: institutions.id, name: institutions.name, o: offboardings, c: deletionCertificates })
        .from(institutions)
        .leftJoin(offboardings, eq(offboardings.tenantId, institutions.id))
        .leftJoin(deletionCertificates, eq(deletionCertificates.institutionId, institutions.id))
        .where(and(only ? eq(institutions.id, only) : undefined, or(isNotNull(offboardings.tenantId), isNotNull(deletionCertificates.id))))
        .orderBy(institutions.name),
    );
    return rows.map(({ id, name, o, c }) => {
      const offboarding: OffboardingBody = o
        ? presentOffboarding(o, c !== null)
        : {
            status: 'scheduled',
            phase: 'purging',
            contactEmail: c!.contactEmail ?? '',
            endOfServiceAt: c!.endOfServiceAt.toISOString(),
            purgeAfter: c!.purgeStartedAt.toISOString(),
            requestedAt: c!.purgeStartedAt.toISOString(),
            confirmedAt: null,
          };
      return { institutionId: id, institutionName: name, ...offboarding };
    });
  }

  /**
   * Every audit chain: the operator's (null) first, then each institution's. A chain counts when it holds
   * events or has an anchor, so a chain whose every event was removed is still verified (and reported).
   */
  async function chains(): Promise<(string | null)[]> {
    const rows = await withSystem(db, (tx) =>
      queryRows<{ id: string | null }>(
        tx,
        sql`select tenant_id as id from audit_events
            union select nullif(chain_id, ${chainKey(null)}::uuid) from audit_heads
            order by 1 nulls first`,
      ),
    );
    return rows.map((r) => r.id);
  }

  const service = {
    jobs: [purgeJob, purgeDueJob] as const,

    /** A platform admin sets the end of service (or confirms the institution's request). */
    async offboard(actor: Actor, institutionId: string, input: OffboardingInput): Promise<OffboardingBody> {
      authorize(actor, 'manageInstitutions');
      return upsertOffboarding(actor, institutionId, input, 'scheduled');
    },

    /**
     * Moves a scheduled end of service to another date still ahead (platform admins), and with it the
     * end of the grace period. Only while it is scheduled: a request is confirmed with its date (`offboard`),
     * and from the end of service on the institution is read-only and the date is history.
     */
    async rescheduleOffboarding(actor: Actor, institutionId: string, input: OffboardingDateInput): Promise<OffboardingBody> {
      authorize(actor, 'manageInstitutions');
      const end = new Date(input.endOfServiceAt);
      return withSystem(db, async (tx) => {
        // The same row lock as the purge's start and the cancel.
        const [inst] = await tx.select().from(institutions).where(eq(institutions.id, institutionId)).for('update');
        if (!inst || inst.status === 'purged') throw notFound('Institution');
        const [before] = await tx.select().from(offboardings).where(eq(offboardings.tenantId, institutionId));
        const [cert] = await tx.select({ id: deletionCertificates.id }).from(deletionCertificates).where(eq(deletionCertificates.institutionId, institutionId));
        const now = new Date();
        if (!before && !cert) throw new AppError('invalid_transition', 'This institution has no end of service to change');
        if (cert || before!.status !== 'scheduled' || before!.endOfServiceAt.getTime() <= now.getTime()) {
          const phase = cert ? 'purging' : phaseOf(before!, false, now);
          throw new AppError(
            'invalid_transition',
            phase === 'requested'
              ? 'This end of service is only requested: confirm it with the date you want'
              : 'This institution is past its end of service: the date can no longer be changed',
          );
        }
        if (end.getTime() <= now.getTime()) throw invalid('endOfServiceAt', 'Choose a date in the future', 'date_not_future');
        const [row] = await tx
          .update(offboardings)
          .set({ endOfServiceAt: end, purgeAfter: new Date(end.getTime() + graceMs), updatedAt: now })
          .where(eq(offboardings.tenantId, institutionId))
          .returning();
        await recordAudit(tx, actor, {
          action: 'institution.offboard_reschedule',
          recordType: 'institution',
          recordId: institutionId,
          before: before!,
          after: row!,
          tenantId: institutionId,
        });
        return presentOffboarding(row!, false);
      });
    },

    /** A site admin asks for the end of service; a platform admin confirms it. */
    async requestOffboarding(actor: Actor, input: OffboardingInput): Promise<OffboardingBody> {
      authorize(actor, 'manageInstitution');
      if (isPlatformAdmin(actor)) throw forbidden('Platform administrators set the end of service from the institutions list');
      return upsertOffboarding(actor, scopeOf(actor).tenantId, input, 'requested');
    },

    /** The institution's offboarding, if any (its site admins, platform admins). */
    async getOffboarding(actor: Actor, institutionId: string): Promise<OffboardingBody | null> {
      if (!isPlatformAdmin(actor)) {
        authorize(actor, 'manageInstitution');
        if (actor.tenantId !== institutionId) throw notFound('Institution');
      }
      // System scope: whether the purge started is on the operator-only certificate.
      const [inst] = await withSystem(db, (tx) => tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, institutionId)));
      if (!inst) throw notFound('Institution');
      const [item] = await offboardingsUnderWay(institutionId);
      if (!item) return null;
      const { institutionId: _i, institutionName: _n, ...offboarding } = item;
      return offboarding;
    },

    /** Every offboarding under way, with its phase (platform admins). */
    async listOffboardings(actor: Actor): Promise<OffboardingListItem[]> {
      authorize(actor, 'manageInstitutions');
      return offboardingsUnderWay();
    },

    /**
     * Cancels an end of service that was requested or confirmed (platform admins), until the purge
     * starts: the institution is active again and can be changed.
     */
    async cancelOffboarding(actor: Actor, institutionId: string): Promise<void> {
      authorize(actor, 'manageInstitutions');
      await withSystem(db, async (tx) => {
        // The same row lock as the purge's start: a cancel and a purge never both go ahead.
        const [inst] = await tx.select().from(institutions).where(eq(institutions.id, institutionId)).for('update');
        if (!inst || inst.status === 'purged') throw notFound('Institution');
        const [cert] = await tx.select({ id: deletionCertificates.id }).from(deletionCertificates).where(eq(deletionCertificates.institutionId, institutionId));
        if (cert) throw new AppError('invalid_transition', 'The purge of this institution has started: it can no longer be cancelled');
        const [before] = await tx.select().from(offboardings).where(eq(offboardings.tenantId, institutionId));
        if (!before) throw new AppError('invalid_transition', 'This institution has no end of service to cancel');
        await tx.delete(offboardings).where(eq(offboardings.tenantId, institutionId));
        if (inst.status !== 'active') await tx.update(institutions).set({ status: 'active', updatedAt: new Date() }).where(eq(institutions.id, institutionId));
        await recordAudit(tx, actor, { action: 'institution.offboard_cancel', recordType: 'institution', recordId: institutionId, before, tenantId: institutionId });
      });
    },

    /** Institutions whose grace period is over, and purges that stopped before their end. */
    async systemDueForPurge(now = new Date()): Promise<string[]> {
      return withSystem(db, async (tx) => {
        const due = await tx
          .select({ id: offboardings.tenantId })
          .from(offboardings)
          .innerJoin(institutions, eq(institutions.id, offboardings.tenantId))
          .where(and(eq(offboardings.status, 'scheduled'), eq(institutions.status, 'offboarding'), lte(offboardings.purgeAfter, now)));
        // A purge that stopped midway, or whose certificate is not mailed yet, is resumed.
        const unfinished = await tx
          .select({ id: deletionCertificates.institutionId })
          .from(deletionCertificates)
          .where(or(isNull(deletionCertificates.purgeCompletedAt), and(isNull(deletionCertificates.mailedAt), isNotNull(deletionCertificates.contactEmail))));
        return [...new Set([...due, ...unfinished].map((r) => r.id))];
      });
    },

    /**
     * A platform admin has the purge run now rather than at the next scheduled check — only once the
     * grace period is over. Recorded in the operator's log (the institution's goes with it).
     */
    async purgeNow(actor: Actor, institutionId: string): Promise<void> {
      authorize(actor, 'manageInstitutions');
      await withSystem(db, async (tx) => {
        const [row] = await tx
          .select({ o: offboardings, status: institutions.status })
          .from(offboardings)
          .innerJoin(institutions, eq(institutions.id, offboardings.tenantId))
          .where(eq(offboardings.tenantId, institutionId));
        if (!row) throw notFound('Offboarding');
        if (row.status !== 'offboarding' || row.o.purgeAfter.getTime() > Date.now()) {
          throw new AppError('invalid_transition', `The grace period of this institution ends on ${row.o.purgeAfter.toISOString().slice(0, 10)}: it cannot be purged before`);
        }
        await recordAudit(tx, actor, { action: 'institution.purge', recordType: 'institution', recordId: institutionId, tenantId: null });
        await ctx.jobs.enqueue(tx, purgeJob, { institutionId });
      });
    },

    /** Runs (or resumes) one purge now. */
    systemPurge(institutionId: string, opts: PurgeOptions = {}) {
      return systemPurgeInstitution({ db, store: backups.store, mailer: ctx.mailer, fileFolders: [exportFolderOf(config.dataDir, institutionId)] }, institutionId, opts);
    },

    async listCertificates(actor: Actor) {
      authorize(actor, 'manageInstitutions');
      const rows = await withSystem(db, (tx) => tx.select().from(deletionCertificates).orderBy(desc(deletionCertificates.purgeStartedAt)).limit(500));
      return rows.map(presentCertificate);
    },

    /** One deletion certificate (platform admins). */
    async getCertificate(actor: Actor, certificateId: string): Promise<DeletionCertificateBody> {
      authorize(actor, 'manageInstitutions');
      const [row] = await withSystem(db, (tx) => tx.select().from(deletionCertificates).where(eq(deletionCertificates.id, certificateId)));
      if (!row) throw notFound('Deletion certificate');
      return presentCertificate(row);
    },

    /** The complete portability archive of the caller's institution (site admins; readable in grace). */
    async exportArchive(actor: Actor): Promise<{ fileName: string; json: string }> {
      authorize(actor, 'manageInstitution');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        await recordAudit(tx, actor, { action: 'institution.export', recordType: 'institution', recordId: scope.tenantId });
      });
      const archive = await systemExportInstitution(db, scope.tenantId, 'portability', {
        portableRows: decryptArchivedAttachments(ctx.config.secretKeys, scope.tenantId),
      });
      return { fileName: `vetted-archive-${scope.tenantId}-${archive.createdAt.slice(0, 10)}.json`, json: serializeArchive(archive) };
    },

    /** Verifies the caller's institution's audit chain (site admins). */
    async verifyAudit(actor: Actor): Promise<ChainReport> {
      authorize(actor, 'readAudit');
      const scope = scopeOf(actor);
      return withTenant(db, scope, (tx) => verifyAuditChain(tx, scope.tenantId));
    },

    /** Every chain (operator + each institution), or one, for the CLI. */
    async systemVerifyAll(only?: string): Promise<ChainReport[]> {
      const out: ChainReport[] = [];
      for (const id of only ? [only] : await chains()) out.push(await withSystem(db, (tx) => verifyAuditChain(tx, id)));
      return out;
    },

    /** Seals the events written before chaining existed, in every chain or one (CLI `audit-seal`). */
    async systemSealAll(only?: string): Promise<{ tenantId: string | null; sealed: number }[]> {
      const out: { tenantId: string | null; sealed: number }[] = [];
      for (const id of only ? [only] : await chains()) out.push({ tenantId: id, sealed: await withSystem(db, (tx) => sealLegacyAuditEvents(tx, id)) });
      return out;
    },

    /** True from the institution's end of service until its purge (see `readOnlyPeriodOf`). */
    async isReadOnly(tenantId: string): Promise<boolean> {
      return (await withTenant(db, unsafeTenantScope(tenantId), (tx) => readOnlyPeriodOf(tx, tenantId))) !== null;
    },
  };
  return service;
}
export type LifecycleService = ReturnType<typeof createLifecycleService>;
