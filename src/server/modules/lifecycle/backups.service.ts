/**
 * Backups and restore of institutions: each backup is the institution's archive (backup kind),
 * gzip-compressed and encrypted with the institution's key, kept `BACKUP_RETENTION_DAYS` days.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { queryRows, withSystem } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { defineJob } from '../../platform/jobs.js';
import { parseArchive, serializeArchive, systemExportInstitution, systemRestoreInstitution } from './archive.js';
import { decryptBackup, encryptBackup, newInstitutionKey, readBackupHeader, unwrapKey, wrapKey } from './backup-crypto.js';
import { createFolderBackupStore, type BackupStore } from './backup-store.js';

const DAY_MS = 24 * 3600_000;

/** `2026-11-29T03:00:00.123Z` ⇄ `2026-11-29T03-00-00-123Z.vbk` */
export function archiveName(at: Date): string {
  return `${at.toISOString().replace(/[:.]/g, '-')}.vbk`;
}
export function archiveTime(name: string): Date {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.vbk$/.exec(name);
  return m ? new Date(`${m[1]}:${m[2]}:${m[3]}.${m[4]}Z`) : new Date(0);
}

export function createBackupService(ctx: Pick<AppContext, 'db' | 'config' | 'jobs'>, store: BackupStore = createFolderBackupStore(ctx.config.backup.dir)) {
  const { db, config } = ctx;
  const master = config.backup.masterKey;

  async function keyOf(institutionId: string, create: boolean): Promise<Buffer> {
    const wrapped = await store.getKey(institutionId);
    if (wrapped) return unwrapKey(master, institutionId, wrapped);
    if (!create) throw new AppError('not_found', 'No backup key for this institution (it was destroyed or never made)');
    const key = newInstitutionKey();
    await store.putKey(institutionId, wrapKey(master, institutionId, key));
    return key;
  }

  const service = {
    store,

    /** Writes one encrypted archive of the institution and removes those past retention. */
    async systemBackupInstitution(institutionId: string, now = new Date()): Promise<{ name: string; bytes: number; rows: number }> {
      const archive = await systemExportInstitution(db, institutionId, 'backup');
      const key = await keyOf(institutionId, true);
      const file = encryptBackup(key, institutionId, Buffer.from(serializeArchive(archive)), now);
      const name = archiveName(now);
      await store.putArchive(institutionId, name, file);
      await service.pruneArchives(institutionId, now);
      const rows = Object.values(archive.tables).reduce((n, t) => n + t.rows.length, 0);
      return { name, bytes: file.length, rows };
    },

    /** Removes archives older than the retention period; returns how many. */
    async pruneArchives(institutionId: string, now = new Date()): Promise<number> {
      const limit = now.getTime() - config.backup.retentionDays * DAY_MS;
      let removed = 0;
      for (const name of await store.listArchives(institutionId)) {
        if (archiveTime(name).getTime() < limit) {
          await store.deleteArchive(institutionId, name);
          removed++;
        }
      }
      return removed;
    },

    /** Decrypts a backup file (from the store or elsewhere) with its institution's key from the store. */
    async openBackupFile(file: Buffer) {
      const { header } = readBackupHeader(file);
      const key = await keyOf(header.institutionId, false);
      return parseArchive(decryptBackup(key, file).plain.toString('utf8'));
    },

    /** Restores an institution from a backup file into this database (empty of it). */
    async systemRestoreFile(file: Buffer): Promise<{ institutionId: string; counts: Record<string, number>; shared: Record<string, number> }> {
      const archive = await service.openBackupFile(file);
      return { institutionId: archive.institutionId, ...(await systemRestoreInstitution(db, archive, config.region)) };
    },

    /** Restores the latest (or the named) archive of an institution from the store. */
    async systemRestoreLatest(institutionId: string, name?: string) {
      const names = await store.listArchives(institutionId);
      const pick = name ?? names.at(-1);
      if (!pick || !names.includes(pick)) throw new AppError('not_found', 'No such backup archive for this institution');
      return service.systemRestoreFile(await store.getArchive(institutionId, pick));
    },

    /** Institutions to back up: every one not purged. */
    async systemInstitutionsToBackUp(): Promise<string[]> {
      const rows = await withSystem(db, (tx) => queryRows<{ id: string }>(tx, sql`select id from institutions where status in ('active', 'offboarding') order by id`));
      return rows.map((r) => r.id);
    },

    /**
     * Removes archives and keys of institutions this database no longer has (a purge that crashed
     * after deleting rows, an archive restored elsewhere): nothing is kept for an unknown institution.
     */
    async sweepOrphans(): Promise<string[]> {
      const live = new Set(await withSystem(db, async (tx) => (await queryRows<{ id: string }>(tx, sql`select id from institutions`)).map((r) => r.id)));
      const swept: string[] = [];
      for (const id of await store.listInstitutions()) {
        if (live.has(id)) continue;
        for (const name of await store.listArchives(id)) await store.deleteArchive(id, name);
        await store.destroyKey(id);
        swept.push(id);
      }
      return swept;
    },
  };

  const backupInstitutionJob = defineJob({
    name: 'backup-institution',
    version: 1,
    payload: z.strictObject({ institutionId: z.uuid() }),
    singletonKey: (p) => p.institutionId,
    expireInSeconds: 3600,
    handle: async ({ institutionId }) => {
      const [row] = await withSystem(db, (tx) => queryRows<{ status: string }>(tx, sql`select status from institutions where id = ${institutionId}`));
      if (!row || row.status === 'purged') return;
      await service.systemBackupInstitution(institutionId);
    },
  });
  const backupAllJob = defineJob({
    name: 'backup-all',
    version: 1,
    payload: z.strictObject({}),
    schedule: { cron: config.backup.cron, payload: {} },
    handle: async () => {
      for (const institutionId of await service.systemInstitutionsToBackUp()) await ctx.jobs.send(backupInstitutionJob, { institutionId });
      await service.sweepOrphans();
    },
  });

  return { ...service, jobs: [backupInstitutionJob, backupAllJob] as const };
}
export type BackupService = ReturnType<typeof createBackupService>;
