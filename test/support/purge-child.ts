/**
 * Runs a purge in its own process, slowly (one row per batch), printing each committed batch: the
 * purge suite kills it with SIGKILL midway. Arguments: institution id; env DATABASE_URL or DATA_DIR.
 */
import { createBackupService } from '../../src/server/modules/lifecycle/backups.service.js';
import { systemPurgeInstitution } from '../../src/server/modules/lifecycle/purge.js';
import { loadConfig } from '../../src/server/platform/config.js';
import { openDatabase } from '../../src/server/platform/db.js';

const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const store = createBackupService({ db: database.db, config, jobs: undefined as never }).store;
await systemPurgeInstitution({ db: database.db, store, mailer: { send: async () => {}, folder: undefined } }, process.argv[2]!, {
  batchSize: 1,
  afterBatch: async (table) => {
    process.stdout.write(`batch ${table}\n`);
    await new Promise((r) => setTimeout(r, 50));
  },
});
process.stdout.write('done\n');
await database.close();
