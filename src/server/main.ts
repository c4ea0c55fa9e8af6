#!/usr/bin/env node
/**
 * Command-line entry: `serve` (default), `worker`, `migrate`, `seed`, and the lifecycle commands
 * `backup [institution-id]`, `restore <backup-file>`, `purge <institution-id>`, `audit-verify [institution-id]`,
 * `audit-seal [institution-id]` and `rotate-secrets` (re-seal every secret at rest under the current SECRETS_KEY);
 * between region cells, `bundle export --out <file>`, `bundle import <file>`, `bundle keygen`, `bundle public-key`
 * and `move-in <portability-archive.json>`.
 * Configuration comes from the environment; see the README's table.
 */
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase, type Database } from './platform/db.js';
import type { Jobs } from './platform/jobs.js';
import { sealPendingAuditChains } from './platform/audit-seal.js';
import type { seedDemo } from './seed/seed-demo.js';

// Each command loads only the modules it uses: `migrate` and `rotate-secrets` start in a fraction of
// the time `serve` needs to load the whole application.
const loadApp = async () => (await import('./app.js')).buildApp;
const loadMailer = async () => (await import('./platform/mail.js')).createMailer;
const loadSeed = async () => (await import('./seed/seed-demo.js')).seedDemo;

/**
 * Opens the database and applies pending migrations, then seals the audit chains that still hold
 * events from before hash chaining (see `sealPendingAuditChains`). `audit-seal` skips that step so
 * that its own report says what it sealed.
 */
async function open(config: Config, opts: { sealPending?: boolean } = {}): Promise<Database> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    preparedStatements: config.preparedStatements,
    dataDir: config.dataDir,
    log: pino({ level: config.logLevel, name: 'db' }),
  });
  await database.migrate();
  if (config.readReplica) {
    const { openReadReplica } = await import('./platform/replica.js');
    const replica = await openReadReplica(database, {
      ...config.readReplica,
      preparedStatements: config.preparedStatements,
      log: pino({ level: config.logLevel, name: 'replica' }),
    });
    const closePrimary = database.close;
    database.close = async () => {
      await replica.close();
      await closePrimary();
    };
  }
  if (opts.sealPending ?? true) {
    const log = pino({ level: config.logLevel, name: 'audit' });
    for (const r of await sealPendingAuditChains(database.db)) {
      if (r.unsealableEventId !== undefined) {
        log.warn(
          { tenantId: r.tenantId, eventId: r.unsealableEventId },
          'audit chain not sealed: it holds an unchained event written after the chain began (audit-verify reports it)',
        );
      } else if (r.sealed) log.info({ tenantId: r.tenantId, sealed: r.sealed }, 'sealed the audit events written before hash chaining');
    }
  }
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
    ...creds.publicLists.map((slug) => `  Public list, no sign-in needed: ${url.replace(/\/$/, '')}/public/${slug}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function openJobs(config: Config, database: Database): Promise<Jobs> {
  const { createJobs } = await import('./platform/jobs.js');
  return createJobs({ db: database.db, log: pino({ level: config.logLevel, name: 'jobs' }) });
}

/**
 * On SIGINT/SIGTERM: stop taking requests, let running jobs finish, close the database, exit — within
 * `timeoutSeconds`, after which the process ends anyway (exit code 1), so an orchestrator's own
 * deadline is never the one that stops it.
 */
function onSignals(stop: (signal: string) => Promise<void>, timeoutSeconds: number): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`shutdown took more than ${timeoutSeconds} s: exiting\n`);
      process.exit(1);
    }, timeoutSeconds * 1000).unref();
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
  const [buildApp, createMailer, seedDemo] = await Promise.all([loadApp(), loadMailer(), loadSeed()]);
  const database = await open(config);
  const creds = config.demoSeed ? await seedDemo(database.db, { password: config.demoPassword }) : null;
  const mailer = createMailer(config);
  const jobs = await openJobs(config, database);
  const app = await buildApp({ config, db: database.db, mailer, jobs });
  onSignals(async (signal) => {
    const { drainSeconds, timeoutSeconds } = config.shutdown;
    app.log.info({ signal, drainSeconds }, 'draining: /readyz reports not ready');
    app.draining = true;
    if (drainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, drainSeconds * 1000));
    app.log.info('shutting down: finishing requests and jobs in flight');
    // Requests in flight finish; jobs get what is left of the bound.
    await app.close();
    await jobs.stop(Math.max(1, timeoutSeconds - drainSeconds - 1) * 1000);
    await database.close();
  }, config.shutdown.timeoutSeconds);
  await app.listen({ port: config.port, host: config.host });
  // Job workers start once the server answers: requests do not wait for them (a job enqueued meanwhile
  // waits in its queue), so they are no part of readiness, which migrations and the audit seal are.
  if (config.jobWorkers) await jobs.startWorkers();
  const url = config.publicUrl;
  process.stdout.write(
    `\n  Vetted is running on ${url} (region ${config.region}, ${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})\n`,
  );
  if (mailer.folder) process.stdout.write(`  Outgoing mail is written to ${mailer.folder}\n`);
  if (!config.jobWorkers)
    process.stdout.write('  Job workers are off here (JOB_WORKERS=false): run `node dist/server/main.js worker` beside it.\n');
  printDemoCredentials(creds, url);
}

/** Runs job workers and the cron without serving HTTP (beside `serve` with JOB_WORKERS=false). */
async function worker(config: Config): Promise<void> {
  const [buildApp, createMailer] = await Promise.all([loadApp(), loadMailer()]);
  const database = await open(config);
  const jobs = await openJobs(config, database);
  // Building the app registers every module's job definitions; it never listens here.
  const app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs });
  await jobs.startWorkers();
  onSignals(async () => {
    await jobs.stop(Math.max(1, config.shutdown.timeoutSeconds - 1) * 1000);
    await app.close();
    await database.close();
  }, config.shutdown.timeoutSeconds);
  process.stdout.write(`Vetted worker running (region ${config.region}); stop with Ctrl-C or SIGTERM.\n`);
}

/** One-off lifecycle commands; they use the same services as the jobs. */
async function lifecycleCommand(config: Config, command: string, args: string[]): Promise<void> {
  const [createMailer, { createBackupService }, { createLifecycleService }] = await Promise.all([
    loadMailer(),
    import('./modules/lifecycle/backups.service.js'),
    import('./modules/lifecycle/lifecycle.service.js'),
  ]);
  const database = await open(config, { sealPending: command !== 'audit-seal' });
  const jobs = await openJobs(config, database);
  const ctx = { config, db: database.db, mailer: createMailer(config), jobs };
  const backups = createBackupService(ctx);
  const lifecycle = createLifecycleService(ctx, backups);
  const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);
  let code = 0;
  try {
    if (command === 'backup') {
      const ids = args[0] ? [args[0]] : await backups.systemInstitutionsToBackUp();
      for (const id of ids) out({ institutionId: id, ...(await backups.systemBackupInstitution(id)) });
    } else if (command === 'restore') {
      if (!args[0]) throw new Error('Usage: restore <backup-file.vbk>');
      out(await backups.systemRestoreFile(await readFile(args[0])));
    } else if (command === 'purge') {
      if (!args[0]) throw new Error('Usage: purge <institution-id>   (the institution must be offboarded first)');
      const { contactEmail: _hidden, ...certificate } = await lifecycle.systemPurge(args[0]);
      out(certificate);
    } else if (command === 'audit-seal') {
      out(await lifecycle.systemSealAll(args[0]));
    } else {
      const reports = await lifecycle.systemVerifyAll(args[0]);
      out(reports);
      if (reports.some((r) => !r.ok)) code = 3;
    }
  } finally {
    await jobs.stop();
    await database.close();
  }
  if (code) process.exit(code);
}

/** The signed bank bundle (docs/operations.md, "Signed bank bundle"). */
async function bundleCommand(config: Config, args: string[]): Promise<void> {
  const { keyIdOf, publicKeyOf } = await import('./modules/bundle/bank-bundle.js');
  const [sub, ...rest] = args;
  if (sub === 'keygen') {
    // A new signing key: its seed goes in BUNDLE_SIGNING_KEY of the primary, its public key in
    // BUNDLE_TRUSTED_KEYS of the other cells. Printed once, to this terminal only.
    const { randomBytes } = await import('node:crypto');
    const seed = randomBytes(32);
    const pub = publicKeyOf(seed);
    process.stdout.write(
      `BUNDLE_SIGNING_KEY=${seed.toString('base64')}\npublic key (BUNDLE_TRUSTED_KEYS): ${pub.toString('base64')}\nkey id: ${keyIdOf(pub)}\n`,
    );
    return;
  }
  if (sub === 'public-key') {
    if (!config.bundle.signingKey) throw new Error('BUNDLE_SIGNING_KEY is not set');
    const pub = publicKeyOf(config.bundle.signingKey);
    process.stdout.write(`${pub.toString('base64')}\nkey id: ${keyIdOf(pub)}\n`);
    return;
  }
  const outAt = rest.indexOf('--out');
  const file = sub === 'export' ? (outAt >= 0 ? rest[outAt + 1] : undefined) : rest[0];
  if ((sub !== 'export' && sub !== 'import') || !file)
    throw new Error('Usage: bundle export --out <file> | bundle import <file> | bundle keygen | bundle public-key');
  const [{ createBundleService }, { createUpdateNoticeJobs }, createMailer, { systemActor }, { writeFile }] = await Promise.all([
    import('./modules/bundle/bundle.service.js'),
    import('./modules/assessments/update-notice.job.js'),
    loadMailer(),
    import('./platform/authz.js'),
    import('node:fs/promises'),
  ]);
  const database = await open(config);
  const jobs = await openJobs(config, database);
  try {
    const ctx = { config, db: database.db, jobs, mailer: createMailer(config) };
    const notices = createUpdateNoticeJobs(ctx);
    await jobs.register(notices.fanOut, notices.mail);
    const bundles = createBundleService(ctx, { notify: notices.fanOut });
    const actor = systemActor('bank-bundle', 'cli');
    if (sub === 'export') {
      const { document, ...record } = await bundles.systemPublish(actor);
      await writeFile(file, document, { mode: 0o644 });
      process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    } else {
      process.stdout.write(`${JSON.stringify(await bundles.systemImport(actor, await readFile(file, 'utf8')), null, 2)}\n`);
    }
  } finally {
    await jobs.stop();
    await database.close();
  }
}

/** Moves an institution into this region from its portability archive (docs/operations.md). */
async function moveInCommand(config: Config, args: string[]): Promise<void> {
  if (!args[0]) throw new Error('Usage: move-in <portability-archive.json>');
  const [{ systemMoveInInstitution }, { systemActor }] = await Promise.all([
    import('./modules/lifecycle/move-in.js'),
    import('./platform/authz.js'),
  ]);
  const database = await open(config);
  try {
    const result = await systemMoveInInstitution(database.db, await readFile(args[0], 'utf8'), {
      region: config.region,
      keys: config.secretKeys,
      actor: systemActor('region-move', 'cli'),
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.close();
  }
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
    case 'backup':
    case 'restore':
    case 'purge':
    case 'audit-verify':
    case 'audit-seal':
      return lifecycleCommand(config, command, process.argv.slice(3));
    case 'bundle':
      return bundleCommand(config, process.argv.slice(3));
    case 'move-in':
      return moveInCommand(config, process.argv.slice(3));
    case 'rotate-secrets': {
      const { rotateSealedSecrets } = await import('./modules/identity/secrets-rotation.js');
      const database = await open(config);
      try {
        const report = await rotateSealedSecrets(database.db, config.secretKeys);
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        if (report.unreadable.length) {
          process.stderr.write(
            'Some secrets open with no key given: add the key that sealed them to SECRETS_KEY_PREVIOUS and run again.\n',
          );
          process.exitCode = 3;
        }
      } finally {
        await database.close();
      }
      return;
    }
    case 'migrate': {
      const database = await open(config);
      await database.close();
      process.stdout.write('Migrations applied.\n');
      return;
    }
    case 'seed': {
      if (config.isProduction) throw new Error('Demo data is never loaded in production');
      const scaleAt = process.argv.indexOf('--scale');
      if (scaleAt > 0) {
        // Scale data: thousands of institutions on the PostgreSQL server (docs/operations.md).
        const { scalePlanOf, seedScale } = await import('./seed/seed-scale.js');
        const plan = scalePlanOf(process.argv[scaleAt + 1] ?? '');
        if (!config.databaseUrl) throw new Error('Scale data goes to a PostgreSQL server: set DATABASE_URL');
        const database = await open(config);
        try {
          let shown = 0;
          const result = await seedScale(database.db, plan, {
            onProgress: (done, total) => {
              if (done - shown >= total / 20 || done === total) {
                shown = done;
                process.stdout.write(`  ${done} / ${total} institutions\n`);
              }
            },
          });
          process.stdout.write(
            `Loaded ${result.institutions} institutions and ${result.items} inventory items in ${result.seconds.toFixed(1)} s; the largest (${plan.largest} items) is ${result.largestId}.\n`,
          );
        } finally {
          await database.close();
        }
        return;
      }
      const seedDemo = await loadSeed();
      const database = await open(config);
      printDemoCredentials(await seedDemo(database.db, { password: config.demoPassword }), config.publicUrl);
      await database.close();
      return;
    }
    default:
      process.stderr.write(
        `Unknown command "${command}". Use: serve | worker | migrate | seed | backup | restore | purge | audit-verify | audit-seal | rotate-secrets | bundle | move-in\n`,
      );
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  // A refusal names its fields (`document`, `archive`, `country`): each is said too.
  const fields = (err as { fields?: Record<string, string> }).fields;
  const detail = fields
    ? Object.entries(fields)
        .map(([k, v]) => `\n  ${k}: ${v}`)
        .join('')
    : '';
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}${detail}\n`);
  process.exit(1);
});
