#!/usr/bin/env node
/**
 * Command-line entry: `serve` (default), `worker`, `migrate`, `seed`.
 * Configuration comes from the environment; see the README's table.
 */
import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase, type Database } from './platform/db.js';
import { createJobs, type Jobs } from './platform/jobs.js';
import { createMailer } from './platform/mail.js';
import { seedDemo } from './seed/seed-demo.js';

async function open(config: Config): Promise<Database> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  return database;
}

function printDemoCredentials(creds: Awaited<ReturnType<typeof seedDemo>> | null, url: string): void {
  if (!creds || creds.accounts.length === 0) return;
  const lines = [
    '',
    '  Demo data loaded. Sign in at ' + url + ' with any of these accounts:',
    ...creds.accounts.map((a) => `    ${a.email.padEnd(34)} ${a.role.padEnd(15)} ${a.institution ?? '(operator)'}`),
    `  Password for every demo account: ${creds.password}`,
    '  (shown once; it is not stored anywhere in clear)',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

function openJobs(config: Config, database: Database): Promise<Jobs> {
  return createJobs({ db: database.db, log: pino({ level: config.logLevel, name: 'jobs' }) });
}

/** On SIGINT/SIGTERM: stop taking requests, let running jobs finish, close the database, exit. */
function onSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

async function serve(config: Config): Promise<void> {
  const database = await open(config);
  const creds = config.demoSeed ? await seedDemo(database.db, { password: config.demoPassword }) : null;
  const mailer = createMailer(config);
  const jobs = await openJobs(config, database);
  const app = await buildApp({ config, db: database.db, mailer, jobs });
  if (config.jobWorkers) await jobs.startWorkers();
  onSignals(async (signal) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await jobs.stop();
    await database.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl;
  process.stdout.write(`\n  Vetted is running on ${url} (region ${config.region}, ${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})\n`);
  if (mailer.folder) process.stdout.write(`  Outgoing mail is written to ${mailer.folder}\n`);
  if (!config.jobWorkers) process.stdout.write('  Job workers are off here (JOB_WORKERS=false): run `node dist/server/main.js worker` beside it.\n');
  printDemoCredentials(creds, url);
}

/** Runs job workers and the cron without serving HTTP (beside `serve` with JOB_WORKERS=false). */
async function worker(config: Config): Promise<void> {
  const database = await open(config);
  const jobs = await openJobs(config, database);
  // Building the app registers every module's job definitions; it never listens here.
  const app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs });
  await jobs.startWorkers();
  onSignals(async () => {
    await jobs.stop();
    await app.close();
    await database.close();
  });
  process.stdout.write(`Vetted worker running (region ${config.region}); stop with Ctrl-C or SIGTERM.\n`);
}

async function main(): Promise<void> {
  const command = process.argv[2] ?? 'serve';
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  switch (command) {
    case 'serve':
      return serve(config);
    case 'worker':
      return worker(config);
    case 'migrate': {
      const database = await open(config);
      await database.close();
      process.stdout.write('Migrations applied.\n');
      return;
    }
    case 'seed': {
      if (config.isProduction) throw new Error('Demo data is never loaded in production');
      const database = await open(config);
      printDemoCredentials(await seedDemo(database.db, { password: config.demoPassword }), config.publicUrl);
      await database.close();
      return;
    }
    default:
      process.stderr.write(`Unknown command "${command}". Use: serve | worker | migrate | seed\n`);
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
