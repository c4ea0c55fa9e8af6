import path from 'node:path';

/** How long a finished export can be downloaded. */
export const EXPORT_TTL_HOURS = 24;
/** A queued export no worker took for this long was lost (its job expired or was dropped). */
export const EXPORT_STALL_MINUTES = 30;
/** How often a running export tells it is alive (its `updated_at`), whatever its progress. */
export const EXPORT_HEARTBEAT_SECONDS = 15;
/**
 * A running export not heard from for this long has lost its worker (a process of another host that
 * died; one of this host is detected at once by its pid).
 */
export const EXPORT_RUNNING_STALL_MINUTES = 3;

/** Where an institution's export files live. Purging an institution deletes this folder. */
export function exportFolderOf(dataDir: string, tenantId: string): string {
  return path.join(dataDir, 'exports', tenantId);
}

export function exportFilePath(dataDir: string, tenantId: string, id: string, format: 'xlsx' | 'csv'): string {
  return path.join(exportFolderOf(dataDir, tenantId), `${id}.${format === 'xlsx' ? 'xlsx' : 'zip'}`);
}
