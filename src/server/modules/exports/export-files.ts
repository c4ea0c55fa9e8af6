import path from 'node:path';

/** How long a finished export can be downloaded. */
export const EXPORT_TTL_HOURS = 24;
/** A queued or running export not heard from for this long was interrupted (process stopped). */
export const EXPORT_STALL_MINUTES = 30;

/** Where an institution's export files live. Purging an institution deletes this folder. */
export function exportFolderOf(dataDir: string, tenantId: string): string {
  return path.join(dataDir, 'exports', tenantId);
}

export function exportFilePath(dataDir: string, tenantId: string, id: string, format: 'xlsx' | 'csv'): string {
  return path.join(exportFolderOf(dataDir, tenantId), `${id}.${format === 'xlsx' ? 'xlsx' : 'zip'}`);
}
