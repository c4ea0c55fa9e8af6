/**
 * A full export in a process of its own, on the built server code (dist/, as a deployment runs it),
 * for the reports bench on PostgreSQL:
 *   node export-process.mjs <database url> <institution id> <xlsx|csv> <file>
 * runs the export twice and prints, as JSON, the seconds of each run, the resident memory before
 * the first and the process's peak resident memory (the kernel's count), in bytes.
 */
import { createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { writeFullExport } from '../../dist/server/modules/exports/full-export.js';
import { openDatabase, unsafeTenantScope } from '../../dist/server/platform/db.js';

const [url, tenantId, format, file] = process.argv.slice(2);
const database = await openDatabase({ databaseUrl: url });
const before = process.memoryUsage().rss;
const seconds = [];
try {
  for (let run = 0; run < 2; run++) {
    const started = performance.now();
    await writeFullExport(database.db, unsafeTenantScope(tenantId), format, createWriteStream(file));
    seconds.push((performance.now() - started) / 1000);
  }
} finally {
  await database.close();
}
process.stdout.write(JSON.stringify({ first: seconds[0], second: seconds[1], before, peak: process.resourceUsage().maxRSS * 1024 }));
