/**
 * Vetted's own privacy policy (commitment 10): the operator publishes versions; the current one is
 * public; a significant version emails every active site admin of every active institution once and
 * shows them a notice until they acknowledge it.
 *
 * Publishing is one transaction: the version, its audit event, every notice and every email in the
 * outbox (keyed `privacy-policy:<version>:<user>`), so either all of it exists or none does, and no
 * retry, second process or restart can email anyone twice.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  PrivacyPolicyDeliveryBody,
  PrivacyPolicyNoticeBody,
  PrivacyPolicyPublicBody,
  privacyPolicyPublishSchema,
  PrivacyPolicyVersionBody,
  PrivacyPolicyVersionSummaryBody,
} from '../../../contracts/privacy-policy.js';
import { privacyPolicyVersions } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, policy, scopeOf, type Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withShared, withSystem, withTenant } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { MailOutbox } from '../mail/index.js';
import { mailLanguageOf, renderMail } from '../mail/mail.templates.js';
import {
  acknowledgeNotice,
  findVersionByNumber,
  listVersions,
  noticeMailKey,
  pendingNoticesOf,
  systemAddNotice,
  systemDeliveriesOf,
  systemNextNumber,
  systemSiteAdminsToTell,
  type VersionRow,
} from './privacy-policy.repo.js';

type PublishInput = z.output<typeof privacyPolicyPublishSchema>;

function presentSummary(v: VersionRow): PrivacyPolicyVersionSummaryBody {
  return {
    id: v.id,
    number: v.number,
    kind: v.kind === 'significant' ? 'significant' : 'minor',
    effectiveOn: v.effectiveOn,
    publishedAt: v.publishedAt.toISOString(),
    summaryEn: v.summaryEn,
    summaryFr: v.summaryFr,
  };
}

function presentVersion(v: VersionRow): PrivacyPolicyVersionBody {
  return { ...presentSummary(v), bodyEn: v.bodyEn, bodyFr: v.bodyFr };
}

/** A calendar day as people read it, in their language. */
function longDate(day: string, language: 'en' | 'fr'): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/** Today's calendar day (UTC). */
const today = () => new Date().toISOString().slice(0, 10);

export function createPrivacyPolicyService(ctx: Pick<AppContext, 'db' | 'config'>, outbox: Pick<MailOutbox, 'queue' | 'kick'>) {
  const { db, config } = ctx;

  return {
    /** Public: the version in force (the newest whose day has come; else the first published) and the history. */
    async getPublic(): Promise<PrivacyPolicyPublicBody> {
      const versions = await withShared(db, (tx) => listVersions(tx));
      const current = versions.find((v) => v.effectiveOn <= today()) ?? versions.at(-1) ?? null;
      return { current: current ? presentVersion(current) : null, history: versions.map(presentSummary) };
    },

    /** Public: one version, by number. */
    async getVersion(number: number): Promise<PrivacyPolicyVersionBody> {
      const row = await withShared(db, (tx) => findVersionByNumber(tx, number));
      if (!row) throw notFound('Privacy policy version');
      return presentVersion(row);
    },

    async publish(actor: Actor, input: PublishInput): Promise<{ version: PrivacyPolicyVersionBody; notified: number }> {
      authorize(actor, 'publishPrivacyPolicy');
      const result = await withSystem(db, async (tx) => {
        const id = randomUUID();
        const number = await systemNextNumber(tx);
        const [row] = await tx
          .insert(privacyPolicyVersions)
          .values({ id, number, kind: input.kind, effectiveOn: input.effectiveOn, bodyEn: input.bodyEn, bodyFr: input.bodyFr, summaryEn: input.summaryEn, summaryFr: input.summaryFr })
          .returning();
        let notified = 0;
        if (input.kind === 'significant') {
          for (const admin of await systemSiteAdminsToTell(tx)) {
            if (!(await systemAddNotice(tx, { tenantId: admin.tenantId, versionId: id, userId: admin.userId }))) continue;
            const language = mailLanguageOf(admin.language, admin);
            await outbox.queue(tx, {
              idempotencyKey: noticeMailKey(id, admin.userId),
              institutionId: admin.tenantId,
              to: admin.email,
              language,
              template: 'privacy-policy-notice',
              content: renderMail('privacy-policy-notice', language, {
                firstName: admin.firstName,
                institutionName: admin.institutionName,
                versionLabel: String(number),
                effectiveOn: longDate(input.effectiveOn, language),
                summary: language === 'fr' ? input.summaryFr : input.summaryEn,
                link: `${config.publicUrl}/privacy`,
              }),
            });
            notified++;
          }
        }
        // The operator's log: what was published and how many were told (not who: that is the institutions' data).
        await recordAudit(tx, actor, {
          action: 'privacy_policy.publish',
          recordType: 'privacy_policy_version',
          recordId: id,
          after: { number, kind: input.kind, effectiveOn: input.effectiveOn, notified },
          tenantId: null,
        });
        return { version: presentVersion(row!), notified };
      });
      if (result.notified) outbox.kick();
      return result;
    },

    /** Per recipient of a version: the state of their email and whether they acknowledged (the operator). */
    async deliveries(actor: Actor, number: number): Promise<PrivacyPolicyDeliveryBody> {
      authorize(actor, 'publishPrivacyPolicy');
      const rows = await withSystem(db, async (tx) => {
        const version = await findVersionByNumber(tx, number);
        if (!version) throw notFound('Privacy policy version');
        return systemDeliveriesOf(tx, version.id);
      });
      const recipients = rows.map((r) => ({
        email: r.email,
        institutionName: r.institutionName,
        // A mail being handed to the server is still queued as far as anyone waiting is concerned.
        status: r.status === 'sent' ? ('sent' as const) : r.status === 'failed' ? ('failed' as const) : ('queued' as const),
        acknowledged: r.acknowledgedAt !== null,
      }));
      const count = (s: string) => recipients.filter((r) => r.status === s).length;
      return { counts: { queued: count('queued'), sent: count('sent'), failed: count('failed') }, recipients };
    },

    /** The signed-in site admin's notices not yet acknowledged; none for anyone else. */
    async pendingNotices(actor: Actor): Promise<PrivacyPolicyNoticeBody[]> {
      if (!policy.acknowledgePrivacyNotice(actor) || !actor.userId) return [];
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, (tx) => pendingNoticesOf(tx, scope, actor.userId!));
      return rows.map(({ version: v }) => ({ versionId: v.id, number: v.number, effectiveOn: v.effectiveOn, summaryEn: v.summaryEn, summaryFr: v.summaryFr }));
    },

    async acknowledge(actor: Actor, versionId: string): Promise<void> {
      authorize(actor, 'acknowledgePrivacyNotice');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        if (!(await acknowledgeNotice(tx, scope, actor.userId!, versionId))) throw notFound('Notice');
        await recordAudit(tx, actor, { action: 'privacy_policy.acknowledge', recordType: 'privacy_policy_version', recordId: versionId, tenantId: scope.tenantId });
      });
    },
  };
}
export type PrivacyPolicyService = ReturnType<typeof createPrivacyPolicyService>;
