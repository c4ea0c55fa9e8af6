#!/usr/bin/env node
/**
 * Command-line entry: `serve` (default), `migrate`, `seed`.
 * Configuration comes from the environment; see the README's table.
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase, type Database } from './platform/db.js';
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

async function serve(config: Config): Promise<void> {
  const database = await open(config);
  const creds = config.demoSeed ? await seedDemo(database.db, { password: config.demoPassword }) : null;
  const mailer = createMailer(config);
  const app = await buildApp({ config, db: database.db, mailer });
  const stop = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl;
  process.stdout.write(`\n  Vetted is running on ${url} (region ${config.region}, ${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})\n`);
  if (mailer.folder) process.stdout.write(`  Outgoing mail is written to ${mailer.folder}\n`);
  printDemoCredentials(creds, url);
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
      process.stderr.write(`Unknown command "${command}". Use: serve | migrate | seed\n`);
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
