/** How the benches time a full export: a first run (cold: fresh code paths and caches), then a second. */
import { createWriteStream } from 'node:fs';
import { writeFullExport } from '../../src/server/modules/exports/full-export.js';
import { unsafeTenantScope, type Db } from '../../src/server/platform/db.js';
import { peakRss } from './support.js';

export interface ExportMeasure {
  /** Seconds of the first and the second run. */
  first: number;
  second: number;
  /** Resident memory (bytes) before the first run, and its peak over both runs. */
  before: number;
  peak: number;
}

export async function measureExport(db: Db, tenantId: string, format: 'xlsx' | 'csv', file: string): Promise<ExportMeasure> {
  const run = () => writeFullExport(db, unsafeTenantScope(tenantId), format, createWriteStream(file));
  const first = await peakRss(run);
  const second = await peakRss(run);
  return { first: first.seconds, second: second.seconds, before: first.before, peak: Math.max(first.peak, second.peak) };
}
