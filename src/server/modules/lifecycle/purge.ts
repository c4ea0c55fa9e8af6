/**
 * The purge: deletes every row of an institution, its backup archives and its backup key, and
 * writes a deletion certificate. Safe to kill at any point and run again: every batch commits with
 * its count on the certificate, files are removed idempotently, and completion is decided by a scan
 * of every table with a `tenant_id` column, never by a list kept in code.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import { deletionCertificates } from '../../db/schema/index.js';
import { digest } from '../../platform/audit.js';
import type { Db, Tx } from '../../platform/db.js';
import { queryRows, withSystem } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { removeTenantMail, type Mailer } from '../../platform/mail.js';
import { systemDeleteInstitutionMail, systemDeleteMailTo } from '../mail/outbox.repo.js';
import type { BackupStore } from './backup-store.js';
import { listTenantTables } from './tenant-tables.js';

export type CertificateRow = typeof deletionCertificates.$inferSelect;

/** The certificate as published: no personal data, with its digest. */
export function certificateBody(c: CertificateRow) {
  return {
    certificateId: c.id,
    institutionId: c.institutionId,
    institutionName: c.institutionName,
    region: c.region,
    endOfServiceAt: c.endOfServiceAt.toISOString(),
    purgeStartedAt: c.purgeStartedAt.toISOString(),
    purgeCompletedAt: c.purgeCompletedAt?.toISOString() ?? null,
    tableCounts: c.tableCounts as Record<string, number>,
    tablesVerified: c.tablesVerified,
    archivesRemoved: c.archivesRemoved,
    mailFilesRemoved: c.mailFilesRemoved,
    keyDestroyed: c.keyDestroyed,
  };
}

export interface PurgeOptions {
  batchSize?: number;
  /** Called after each committed batch (tests slow the purge down to kill it midway). */
  afterBatch?: (table: string, deleted: number) => Promise<void> | void;
}

/** Starts (or resumes) the certificate: copies what it needs before the rows go. */
async function startCertificate(db: Db, institutionId: string): Promise<CertificateRow> {
  return withSystem(db, async (tx) => {
    const [existing] = await tx.select().from(deletionCertificates).where(eq(deletionCertificates.institutionId, institutionId));
    if (existing) return existing;
    // Locks the institution like a cancel does, so a purge never starts on a cancelled offboarding.
    const [inst] = await queryRows<{ name: string; region: string; status: string; end_of_service_at: string | null; contact_email: string | null }>(
      tx,
      sql`select i.name, i.region, i.status, o.end_of_service_at::text, o.contact_email
          from institutions i left join offboardings o on o.tenant_id = i.id where i.id = ${institutionId}
          for update of i`,
    );
    if (!inst) throw new AppError('not_found', 'Institution not found');
    if (inst.status !== 'offboarding' || !inst.end_of_service_at) throw new AppError('invalid_transition', 'Only an institution being offboarded can be purged');
    const [row] = await tx
      .insert(deletionCertificates)
      .values({
        id: randomUUID(),
        institutionId,
        institutionName: inst.name,
        region: inst.region,
        endOfServiceAt: new Date(inst.end_of_service_at),
        purgeStartedAt: new Date(),
        contactEmail: inst.contact_email,
      })
      .returning();
    return row!;
  });
}

/** Runs (or resumes) the purge of an institution being offboarded; returns the finished certificate. */
export async function systemPurgeInstitution(
  ctx: { db: Db; store: BackupStore; mailer: Mailer; /** Folders holding this institution's files (spreadsheet exports…). */ fileFolders?: string[] },
  institutionId: string,
  opts: PurgeOptions = {},
): Promise<CertificateRow> {
  const { db, store } = ctx;
  const batchSize = opts.batchSize ?? 1000;
  let cert = await startCertificate(db, institutionId);

  if (!cert.purgeCompletedAt) {
    // 0. Mail files of the institution, while its people's addresses are still known (a re-run after a
    //    crash finds the files of any address it has not deleted yet; files naming it go at any time).
    const addresses = await withSystem(db, (tx) => tenantAddresses(tx, institutionId));
    await removeMail(ctx, institutionId, addresses);
    // The outbox's mail to its people that names no institution (account mail).
    await withSystem(db, (tx) => systemDeleteMailTo(tx, addresses));
    // 1. Rows, children before parents, in committed batches that add to the certificate's counts.
    const tables = await withSystem(db, (tx) => listTenantTables(tx));
    for (const t of [...tables].reverse()) {
      for (;;) {
        const deleted = await withSystem(db, async (tx) => {
          const [r] = await queryRows<{ n: number }>(
            tx,
            sql`with d as (delete from ${sql.identifier(t.name)} where ctid in (
                  select ctid from ${sql.identifier(t.name)} where tenant_id = ${institutionId} limit ${batchSize}) returning 1)
                select count(*)::int as n from d`,
          );
          const n = r?.n ?? 0;
          if (n > 0) {
            await tx.execute(sql`update deletion_certificates
              set table_counts = jsonb_set(table_counts, array[${t.name}::text], to_jsonb(coalesce((table_counts->>${t.name})::int, 0) + ${n}::int)),
                  updated_at = now()
              where institution_id = ${institutionId}`);
          }
          return n;
        });
        if (deleted === 0) break;
        await opts.afterBatch?.(t.name, deleted);
      }
    }
    // 2. Backup archives, then the key: every copy left anywhere becomes unreadable.
    for (const name of await store.listArchives(institutionId)) {
      await store.deleteArchive(institutionId, name);
      await withSystem(db, (tx) =>
        tx.execute(sql`update deletion_certificates set archives_removed = archives_removed + 1, updated_at = now() where institution_id = ${institutionId}`),
      );
    }
    await store.destroyKey(institutionId);
    for (const folder of ctx.fileFolders ?? []) await rm(folder, { recursive: true, force: true });
    await removeMail(ctx, institutionId, []);
    // 3. The institution itself and its jobs, then the proof: a scan of every tenant table, and of
    //    every column of the job queue's tables, finds nothing.
    cert = await withSystem(db, async (tx) => {
      await tx.execute(sql`delete from institutions where id = ${institutionId}`);
      await deleteJobRows(tx, institutionId);
      await systemDeleteInstitutionMail(tx, institutionId);
      const scanned = await listTenantTables(tx);
      const left: string[] = [];
      for (const t of scanned) {
        const [r] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(t.name)} where tenant_id = ${institutionId}`);
        if ((r?.n ?? 0) > 0) left.push(t.name);
      }
      left.push(...(await jobTablesNaming(tx, institutionId)));
      const [outboxLeft] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from mail_outbox where institution_id = ${institutionId}`);
      if ((outboxLeft?.n ?? 0) > 0) left.push('mail_outbox');
      if (left.length) throw new Error(`Purge incomplete: rows remain in ${left.join(', ')}`);
      if ((await store.listArchives(institutionId)).length || (await store.getKey(institutionId))) throw new Error('Purge incomplete: backup files remain');
      for (const folder of ctx.fileFolders ?? []) if (existsSync(folder)) throw new Error(`Purge incomplete: ${folder} remains`);
      const [current] = await tx.select().from(deletionCertificates).where(eq(deletionCertificates.institutionId, institutionId));
      const done = { ...current!, tablesVerified: scanned.length, keyDestroyed: true, purgeCompletedAt: new Date() };
      const [row] = await tx
        .update(deletionCertificates)
        .set({ tablesVerified: done.tablesVerified, keyDestroyed: true, purgeCompletedAt: done.purgeCompletedAt, digest: digest(certificateBody(done)), updatedAt: new Date() })
        .where(eq(deletionCertificates.institutionId, institutionId))
        .returning();
      return row!;
    });
  }

  // 4. Mail the certificate to the recorded contact, then forget the address.
  if (cert.contactEmail && !cert.mailedAt) {
    await ctx.mailer.send({ to: cert.contactEmail, ...certificateMail(cert) });
    const [row] = await withSystem(db, (tx) =>
      tx.update(deletionCertificates).set({ contactEmail: null, mailedAt: new Date(), updatedAt: new Date() }).where(eq(deletionCertificates.id, cert.id)).returning(),
    );
    cert = row!;
  }
  return cert;
}

/** The email addresses of an institution's people and invitations (for its mail files). */
async function tenantAddresses(tx: Tx, institutionId: string): Promise<string[]> {
  const rows = await queryRows<{ email: string }>(
    tx,
    sql`select email from users where tenant_id = ${institutionId} union select email from invitations where tenant_id = ${institutionId}`,
  );
  return rows.map((r) => r.email);
}

/** Deletes the institution's embedded-mode mail files (none with SMTP) and counts them on the certificate. */
async function removeMail(ctx: { db: Db; mailer: Mailer }, institutionId: string, addresses: string[]): Promise<void> {
  if (!ctx.mailer.folder) return;
  const n = await removeTenantMail(ctx.mailer.folder, institutionId, addresses);
  if (n > 0) {
    await withSystem(ctx.db, (tx) =>
      tx.execute(sql`update deletion_certificates set mail_files_removed = mail_files_removed + ${n}::int, updated_at = now() where institution_id = ${institutionId}`),
    );
  }
}

/** A `like` pattern matching text that holds the id (a uuid has no `%` or `_` to escape). */
const holding = (id: string) => `%${id}%`;

/** The job queue's tables, when pg-boss has created them (a database that never ran jobs has none). */
async function jobTables(tx: Tx): Promise<{ table: string; columns: string[] }[]> {
  return queryRows<{ table: string; columns: string[] }>(
    tx,
    sql`select c.relname as "table", array_agg(a.attname::text order by a.attnum) as columns
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'pgboss'
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        join pg_type ty on ty.oid = a.atttypid and ty.typname in ('text', 'varchar', 'json', 'jsonb', 'uuid')
        where c.relkind in ('r', 'p') and not c.relispartition
        group by c.relname order by c.relname`,
  );
}

/**
 * Deletes every job (any state, archived ones too) whose payload, singleton key or output names the
 * institution — the running purge's own job among them: the purge has succeeded when this commits,
 * so there is nothing left to retry. Counted on the certificate as `pgboss.<table>`.
 */
async function deleteJobRows(tx: Tx, institutionId: string): Promise<void> {
  const tables = new Set((await jobTables(tx)).map((t) => t.table));
  for (const table of ['job', 'archive'].filter((t) => tables.has(t))) {
    const [r] = await queryRows<{ n: number }>(
      tx,
      sql`with d as (delete from ${sql.identifier('pgboss')}.${sql.identifier(table)}
            where data::text like ${holding(institutionId)} or singleton_key like ${holding(institutionId)} or output::text like ${holding(institutionId)}
            returning 1)
          select count(*)::int as n from d`,
    );
    const n = r?.n ?? 0;
    const key = `pgboss.${table}`;
    if (n > 0) {
      await tx.execute(sql`update deletion_certificates
        set table_counts = jsonb_set(table_counts, array[${key}::text], to_jsonb(coalesce((table_counts->>${key})::int, 0) + ${n}::int)), updated_at = now()
        where institution_id = ${institutionId}`);
    }
  }
}

/** The job queue's tables where any text, json or uuid column still names the institution. */
async function jobTablesNaming(tx: Tx, institutionId: string): Promise<string[]> {
  const left: string[] = [];
  for (const t of await jobTables(tx)) {
    const naming = sql.join(
      t.columns.map((c) => sql`${sql.identifier(c)}::text like ${holding(institutionId)}`),
      sql` or `,
    );
    const [r] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier('pgboss')}.${sql.identifier(t.table)} where ${naming}`);
    if ((r?.n ?? 0) > 0) left.push(`pgboss.${t.table}`);
  }
  return left;
}

function certificateMail(c: CertificateRow) {
  const body = certificateBody(c);
  const counts = Object.entries(body.tableCounts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, n]) => `  ${t}: ${n}`);
  const lines = [
    `Institution: ${body.institutionName} (${body.institutionId}), region ${body.region.toUpperCase()}`,
    `End of service: ${body.endOfServiceAt}`,
    `Purge started: ${body.purgeStartedAt}`,
    `Purge completed: ${body.purgeCompletedAt}`,
    'Rows deleted per table:',
    ...counts,
    `Tables verified empty of the institution: ${body.tablesVerified}`,
    `Backup archives removed: ${body.archivesRemoved}`,
    `Mail files removed: ${body.mailFilesRemoved}`,
    `Backup key destroyed: ${body.keyDestroyed ? 'yes' : 'no'}`,
    `Certificate ${body.certificateId}, SHA-256 ${c.digest}`,
  ];
  return {
    subject: `Deletion certificate: ${c.institutionName} / Certificat de suppression : ${c.institutionName}`,
    text: [
      'All data of this institution has been deleted from Vetted, including every backup.',
      'Toutes les données de cet établissement ont été supprimées de Vetted, y compris chaque sauvegarde.',
      '',
      ...lines,
    ].join('\n'),
  };
}
