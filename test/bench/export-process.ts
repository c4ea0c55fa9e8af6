/**
 * A full export in a process of its own, for the memory figures of the reports bench on PostgreSQL:
 * `node export-process.ts <database url> <institution id> <xlsx|csv> <file>` prints the
 * ExportMeasure of export-measure.ts as JSON.
 */
import { openDatabase } from '../../src/server/platform/db.js';
import { measureExport } from './export-measure.js';

const [url, tenantId, format, file] = process.argv.slice(2) as [string, string, 'xlsx' | 'csv', string];
const database = await openDatabase({ databaseUrl: url });
try {
  process.stdout.write(JSON.stringify(await measureExport(database.db, tenantId, format, file)));
} finally {
  await database.close();
}
