/**
 * Telling adopters of a master template that it has a new published version, by email, in the
 * background: publishing enqueues one job (in its own transaction); that job finds who to tell and
 * enqueues one email job per person, so a failed email is retried alone and never holds up the
 * others or the operator.
 *
 * Who is told, per adopting institution (active institutions only): its active site admins, and the
 * active app admins who own the inventory app or started the assessment. Disabled people are
 * skipped; erased people no longer exist. Each email names only the recipient's own institution
 * and its own assessments, in the recipient's language.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Language } from '../../../contracts/domain.js';
import { assessments, institutions, inventoryItems, piaTemplates, piaTemplateVersions, piaUpdateNotices, users } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import { systemActor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { queryRows, withSystem, type Tx } from '../../platform/db.js';
import { defineJob } from '../../platform/jobs.js';

type Mail = { subject: string; text: string };
type MailFacts = {
  firstName: string;
  institutionName: string;
  templateTitle: string;
  number: number;
  changeLog: string;
  items: { appName: string; baseNumber: number | null; link: string }[];
};

/** The email, in English and French. Operator content (title, change log) is quoted as written. */
const MAIL: Record<Language, (f: MailFacts) => Mail> = {
  en: (f) => ({
    subject: `Version ${f.number} of the privacy impact assessment template “${f.templateTitle}” is available`,
    text: [
      `Hello ${f.firstName},`,
      '',
      `The Vetted operator published version ${f.number} of the master template “${f.templateTitle}”. ${f.institutionName} uses it in ${f.items.length === 1 ? 'this assessment' : 'these assessments'}:`,
      '',
      ...f.items.map((i) => `- ${i.appName}${i.baseNumber ? ` (based on version ${i.baseNumber})` : ''}: ${i.link}`),
      '',
      'What changed:',
      f.changeLog.trim() || '(no notes)',
      '',
      'Nothing changes in your assessments until you review the update. Follow a link to compare the versions question by question, then take or keep each change. An approved assessment must first be reopened as a new revision.',
      '',
      '— Vetted',
    ].join('\n'),
  }),
  fr: (f) => ({
    subject: `La version ${f.number} du modèle d’évaluation des facteurs relatifs à la vie privée « ${f.templateTitle} » est disponible`,
    text: [
      `Bonjour ${f.firstName},`,
      '',
      `L’opérateur de Vetted a publié la version ${f.number} du modèle maître « ${f.templateTitle} ». ${f.institutionName} l’utilise dans ${f.items.length === 1 ? 'l’évaluation suivante' : 'les évaluations suivantes'} :`,
      '',
      ...f.items.map((i) => `- ${i.appName}${i.baseNumber ? ` (fondée sur la version ${i.baseNumber})` : ''} : ${i.link}`),
      '',
      'Ce qui a changé :',
      f.changeLog.trim() || '(aucune note)',
      '',
      'Rien ne change dans vos évaluations tant que vous n’avez pas examiné la mise à jour. Suivez un lien pour comparer les versions question par question, puis prenez ou gardez chaque changement. Une évaluation approuvée doit d’abord être rouverte en nouvelle révision.',
      '',
      '— Vetted',
    ].join('\n'),
  }),
};

/** A person's language for email: their own choice, else French for Quebec institutions, else English. */
function languageOf(chosen: string | null, institution: { country: string; subdivision: string }): Language {
  if (chosen === 'en' || chosen === 'fr') return chosen;
  return institution.country === 'CA' && institution.subdivision === 'QC' ? 'fr' : 'en';
}

/** The assessments of one institution (or all) adopted from `templateId` at a version older than `number`. */
async function systemAdoptersOlderThan(tx: Tx, templateId: string, number: number, tenantId?: string) {
  return queryRows<{ tenantId: string; id: string; appName: string; baseNumber: number | null; createdBy: string | null; ownerUserId: string | null }>(
    tx,
    sql`select a.tenant_id as "tenantId", a.id, it.name as "appName", v.number as "baseNumber",
               a.created_by as "createdBy", it.owner_user_id as "ownerUserId"
          from ${assessments} a
          join ${institutions} i on i.id = a.tenant_id and i.status = 'active'
          join ${inventoryItems} it on it.tenant_id = a.tenant_id and it.id = a.inventory_item_id
          left join ${piaTemplateVersions} v on v.id = a.base_version_id
         where a.template_id = ${templateId} and (v.number is null or v.number < ${number})
           ${tenantId ? sql`and a.tenant_id = ${tenantId}` : sql``}
         order by a.tenant_id, lower(it.name)`,
  );
}

export function createUpdateNoticeJobs(ctx: Pick<AppContext, 'db' | 'config' | 'mailer'> & { jobs: Pick<AppContext['jobs'], 'enqueue'> }) {
  const { db, config, mailer } = ctx;

  const mailJob = defineJob({
    name: 'pia-update-mail',
    version: 1,
    payload: z.object({ versionId: z.uuid(), tenantId: z.uuid(), userId: z.uuid() }),
    // SMTP outages pass: 1, 2, 4, 8, 16 minutes, then the job fails and an operator looks.
    retryLimit: 5,
    retryDelaySeconds: 60,
    singletonKey: (p) => `${p.versionId}:${p.userId}`,
    handle: async ({ versionId, tenantId, userId }) => {
      const facts = await withSystem(db, async (tx) => {
        const [notice] = await tx
          .select({ at: piaUpdateNotices.sentAt })
          .from(piaUpdateNotices)
          .where(and(eq(piaUpdateNotices.tenantId, tenantId), eq(piaUpdateNotices.versionId, versionId), eq(piaUpdateNotices.userId, userId)));
        if (notice) return null;
        const [row] = await tx
          .select({ user: users, institution: institutions, version: piaTemplateVersions, templateTitle: piaTemplates.title })
          .from(users)
          .innerJoin(institutions, eq(institutions.id, users.tenantId))
          .innerJoin(piaTemplateVersions, eq(piaTemplateVersions.id, versionId))
          .innerJoin(piaTemplates, eq(piaTemplates.id, piaTemplateVersions.templateId))
          .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)));
        // Disabled, erased or moved on since the job was queued: nobody to tell.
        if (!row || row.user.status !== 'active' || row.institution.status !== 'active' || row.version.status !== 'published') return null;
        const items = await systemAdoptersOlderThan(tx, row.version.templateId, row.version.number, tenantId);
        if (!items.length) return null;
        return {
          to: row.user.email,
          language: languageOf(row.user.language, row.institution),
          number: row.version.number,
          mail: {
            firstName: row.user.firstName,
            institutionName: row.institution.name,
            templateTitle: row.templateTitle,
            number: row.version.number,
            changeLog: row.version.changeLog,
            items: items.map((i) => ({ appName: i.appName, baseNumber: i.baseNumber, link: `${config.publicUrl}/assessments/${i.id}/merge` })),
          },
        };
      });
      if (!facts) return;
      // Network call outside any transaction; a failure throws and the job is retried.
      await mailer.send({ to: facts.to, tenantId, ...MAIL[facts.language](facts.mail) });
      await withSystem(db, async (tx) => {
        const inserted = await tx.insert(piaUpdateNotices).values({ tenantId, versionId, userId, language: facts.language }).onConflictDoNothing().returning({ userId: piaUpdateNotices.userId });
        if (!inserted.length) return;
        await recordAudit(tx, systemActor('pia-update-mail', 'job', tenantId), {
          action: 'assessment.update_notice',
          recordType: 'pia_template_version',
          recordId: versionId,
          after: { userId, version: facts.number, language: facts.language },
          tenantId,
        });
      });
    },
  });

  const fanOutJob = defineJob({
    name: 'pia-update-notify',
    version: 1,
    payload: z.object({ versionId: z.uuid() }),
    singletonKey: (p) => p.versionId,
    handle: async ({ versionId }) => {
      await withSystem(db, async (tx) => {
        const [version] = await tx.select().from(piaTemplateVersions).where(eq(piaTemplateVersions.id, versionId));
        if (!version || version.status !== 'published') return;
        const adopters = await systemAdoptersOlderThan(tx, version.templateId, version.number);
        const tenantIds = [...new Set(adopters.map((a) => a.tenantId))];
        if (!tenantIds.length) return;
        const people = await tx
          .select({ id: users.id, tenantId: users.tenantId, role: users.role })
          .from(users)
          .where(and(inArray(users.tenantId, tenantIds), eq(users.status, 'active')));
        const told = new Set(
          (await tx.select({ userId: piaUpdateNotices.userId }).from(piaUpdateNotices).where(eq(piaUpdateNotices.versionId, versionId))).map((n) => n.userId),
        );
        const owners = new Set(adopters.flatMap((a) => [a.createdBy, a.ownerUserId]).filter((id): id is string => Boolean(id)));
        for (const p of people) {
          if (told.has(p.id) || !(p.role === 'site_admin' || (p.role === 'app_admin' && owners.has(p.id)))) continue;
          // Same transaction: every email job exists, or none does and this job runs again.
          await ctx.jobs.enqueue(tx, mailJob, { versionId, tenantId: p.tenantId!, userId: p.id });
        }
      });
    },
  });

  return { fanOut: fanOutJob, mail: mailJob };
}
export type UpdateNoticeJobs = ReturnType<typeof createUpdateNoticeJobs>;
