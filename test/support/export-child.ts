/**
 * Runs the queued data exports in its own process, slowly (a pause after each page), printing each
 * page written: the export recovery suite kills it with SIGKILL midway. Env DATABASE_URL or DATA_DIR.
 */
import { createExportJobs } from '../../src/server/modules/exports/export.job.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { openDatabase } from '../../src/server/platform/db.js';
import { createJobs } from '../../src/server/platform/jobs.js';

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const jobs = await createJobs({ db: database.db });
const exportJobs = createExportJobs({
  db: database.db,
  config,
  // Killed midway by the suite: the export must run in this process, not one of its own.
  inProcess: true,
  afterPage: async (rowsDone) => {
    process.stdout.write(`page ${rowsDone}\n`);
    await new Promise((r) => setTimeout(r, 500));
  },
});
await jobs.register(exportJobs.run);
await jobs.runPending(exportJobs.run);
process.stdout.write('done\n');
await jobs.stop();
await database.close();
