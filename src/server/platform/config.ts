import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { REGIONS } from '../../contracts/domain.js';
import { keyringOf, type Keyring } from './secrets.js';

const boolish = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** `1.2.3.4`, `1.2.3.4:5353`, `::1` or `[::1]:5353`: the forms node's DNS resolver takes. */
function isResolverAddress(v: string): boolean {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(v);
  const withPort = /^([0-9.]+):(\d{1,5})$/.exec(v);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : withPort ? [withPort[1]!, withPort[2]] : [v, undefined];
  if (!isIP(host) || (bracketed && isIP(host) !== 6)) return false;
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** Every environment variable the service reads. Documented in the README's configuration table. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A streaming replica that reports, exports and public lists may read from (see docs/adr/0015-read-replica.md). */
  READ_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /**
   * Statements the service sends often are prepared once per connection (ADR 0026). Set false behind a
   * pooler that hands each transaction a different server connection and does not track prepared
   * statements itself (PgBouncer before 1.21 in transaction mode, or without max_prepared_statements).
   */
  DATABASE_PREPARED_STATEMENTS: boolish.default(true),
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  READ_YOUR_WRITES_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url('must be an absolute URL such as https://vetted.example.org').optional(),
  REGION: z.enum(REGIONS).default('ca'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_SECURE: boolish.default(false),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  MAIL_FROM: z.string().min(3).default('Vetted <no-reply@vetted.local>'),
  DEMO_SEED: boolish.optional(),
  DEMO_PASSWORD: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  LOGIN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(300),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_CACHE: boolish.default(true),
  EXPORT_PROCESS_KEEP_SECONDS: z.coerce.number().int().min(0).max(3600).default(120),
  SECRETS_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  SECRETS_KEY_PREVIOUS: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?(,[A-Za-z0-9+/_-]{43}=?)*$/, 'must be keys like SECRETS_KEY, separated by commas')
    .optional(),
  REAUTH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  BREACHED_PASSWORDS_URL: z.string().url('must be an absolute URL such as https://api.pwnedpasswords.com/range/').optional(),
  DNS_RESOLVERS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine(
      (list) => list.length > 0 && list.length <= 8 && list.every(isResolverAddress),
      'must be IP addresses with an optional port, separated by commas (127.0.0.1:5353,[::1]:53)',
    )
    .optional(),
  LOGIN_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  JOB_WORKERS: boolish.default(true),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(120).default(5),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  BACKUP_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes in base64 (openssl rand -base64 32)')
    .optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(29).default(21),
  BACKUP_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression (UTC)')
    .default('0 3 * * *'),
  OFFBOARDING_GRACE_DAYS: z.coerce.number().int().min(0).max(29).default(7),
  /** Largest attached document, in bytes (10 MB by default; at most 50 MB: files live in the database). */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** Region cells: the Ed25519 key (32-byte seed, base64) the primary region signs bank bundles with. */
  BUNDLE_SIGNING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes in base64 (node dist/server/main.js bundle keygen)')
    .optional(),
  /** Public keys (32 bytes, base64) whose bank bundles this cell imports; several during a rotation. */
  BUNDLE_TRUSTED_KEYS: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?(,[A-Za-z0-9+/_-]{43}=?)*$/, 'must be Ed25519 public keys in base64, separated by commas')
    .optional(),
  /** Where this cell pulls the primary's latest bank bundle from (its /api/v1/bank-bundles/latest). */
  BUNDLE_PULL_URL: z.string().url('must be an absolute URL such as https://ca.vetted.example.org/api/v1/bank-bundles/latest').optional(),
  BUNDLE_PULL_CRON: z
    .string()
    .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression (UTC)')
    .default('*/15 * * * *'),
});

export type Env = z.infer<typeof envSchema>;

/** The validated configuration the service runs with. */
export interface Config {
  env: Env['NODE_ENV'];
  isProduction: boolean;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** PostgreSQL: statements sent often are prepared once per connection (DATABASE_PREPARED_STATEMENTS). */
  preparedStatements: boolean;
  /** PostgreSQL: a read may use the session this process read within the last minute, checked in its work's first message (SESSION_CACHE). */
  sessionCache: boolean;
  /** PostgreSQL: how long an export's process is kept, warm, for the next export (EXPORT_PROCESS_KEEP_SECONDS; 0: one process per export). */
  exportProcessKeepSeconds: number;
  /**
   * The streaming replica reads may go to: used while its replay lags the primary by at most
   * `maxLagSeconds`; a person's reads go to the primary for `readYourWritesSeconds` after their write.
   */
  readReplica: { url: string; maxLagSeconds: number; readYourWritesSeconds: number } | undefined;
  sessionSecret: string;
  publicUrl: string;
  region: Env['REGION'];
  logLevel: Env['LOG_LEVEL'];
  smtp: { host: string; port: number; secure: boolean; user?: string; password?: string } | undefined;
  mailFrom: string;
  /** Seed demo data into an empty database at start. Never in production. */
  demoSeed: boolean;
  /** A fixed demo password (scripted demos and end-to-end tests); random when unset. */
  demoPassword: string | undefined;
  sessionTtlHours: number;
  /** Attempts a minute at one account (sign-in, its second step, re-authentication, password and email changes). */
  loginRateLimit: number;
  /** Attempts a minute from one address at those routes (generous: a school's shared address serves everyone behind it). */
  loginAddressRateLimit: number;
  /** A session unused this long ends (the absolute limit is sessionTtlHours). */
  sessionIdleMinutes: number;
  /** AES-256-GCM keys sealing secrets at rest (SSO client secrets, MFA secrets): the current one and, during a rotation, the previous ones. */
  secretKeys: Keyring;
  /** Largest attached document, in bytes. */
  attachmentMaxBytes: number;
  /** Sensitive account changes need a sign-in or re-authentication this recent. */
  reauthMinutes: number;
  /** A "Pwned Passwords" range API (k-anonymity) new passwords are checked against; off when unset. */
  breachedPasswordsUrl: string | undefined;
  lockout: { threshold: number; minutes: number };
  /** The DNS servers asked for domain-verification TXT records; empty means the system resolver. */
  dnsResolvers: string[];
  /** Run job workers and the cron inside the serving process (else run `main.js worker` separately). */
  jobWorkers: boolean;
  /**
   * On SIGTERM: `/readyz` answers 503 for `drainSeconds` while requests are still served (a load
   * balancer stops sending new ones), then the server stops taking requests and waits for those in
   * flight and for running jobs, at most `timeoutSeconds` in all before the process ends anyway.
   */
  shutdown: { drainSeconds: number; timeoutSeconds: number };
  backup: {
    /** Wraps every institution's backup key (AES-256-GCM). */
    masterKey: Buffer;
    /** Local folder of the backup store. */
    dir: string;
    retentionDays: number;
    cron: string;
  };
  /** Read-only days between the end of service and the purge. */
  offboardingGraceDays: number;
  /** The signed bank bundle between region cells (docs/operations.md, "Region cells"). */
  bundle: {
    /** The primary's Ed25519 seed; unset in a cell that does not publish the bank. */
    signingKey: Buffer | undefined;
    /** Ed25519 public keys (raw, 32 bytes) trusted for import. */
    trustedKeys: Buffer[];
    /** The scheduled pull: unset means no pull (uploads by a platform admin still work). */
    pullUrl: string | undefined;
    pullCron: string;
  };
}

/** Commitment 4: no copy of an institution's data outlives day 30 after its end of service. */
export const MAX_DAYS_AFTER_END_OF_SERVICE = 30;

/** A configuration error listing every bad variable, each with its reason. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment. Throws ConfigError with every problem at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  const isProduction = env.NODE_ENV === 'production';
  if (isProduction) {
    if (!env.DATABASE_URL) problems.push('DATABASE_URL: required in production (the embedded database is for one machine only)');
    if (!env.SESSION_SECRET) problems.push('SESSION_SECRET: required in production');
    if (!env.SECRETS_KEY) problems.push('SECRETS_KEY: required in production');
    if (!env.PUBLIC_URL) problems.push('PUBLIC_URL: required in production');
    if (env.DEMO_SEED === true) problems.push('DEMO_SEED: demo data is refused in production');
    if (env.DEMO_PASSWORD) problems.push('DEMO_PASSWORD: demo accounts are refused in production');
    if (env.BREACHED_PASSWORDS_URL && !env.BREACHED_PASSWORDS_URL.startsWith('https://'))
      problems.push('BREACHED_PASSWORDS_URL: must use https in production');
  }
  if (env.SMTP_USER && !env.SMTP_PASSWORD) problems.push('SMTP_PASSWORD: required when SMTP_USER is set');
  if (isProduction && !env.BACKUP_MASTER_KEY) problems.push('BACKUP_MASTER_KEY: required in production (openssl rand -base64 32)');
  if (env.OFFBOARDING_GRACE_DAYS + env.BACKUP_RETENTION_DAYS > MAX_DAYS_AFTER_END_OF_SERVICE) {
    problems.push(
      `OFFBOARDING_GRACE_DAYS + BACKUP_RETENTION_DAYS: ${env.OFFBOARDING_GRACE_DAYS} + ${env.BACKUP_RETENTION_DAYS} days exceeds ${MAX_DAYS_AFTER_END_OF_SERVICE}; a backup could outlive the 30-day deletion commitment`,
    );
  }
  if (env.READ_DATABASE_URL && !env.DATABASE_URL)
    problems.push('READ_DATABASE_URL: needs DATABASE_URL (a replica of the PostgreSQL server)');
  if (isProduction && env.BUNDLE_PULL_URL && !env.BUNDLE_PULL_URL.startsWith('https://'))
    problems.push('BUNDLE_PULL_URL: must use https in production');
  if (env.BUNDLE_PULL_URL && !env.BUNDLE_TRUSTED_KEYS)
    problems.push('BUNDLE_TRUSTED_KEYS: required when BUNDLE_PULL_URL is set (the keys its bundles are signed with)');
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(env.DATA_DIR);
  const port = env.PORT;
  return {
    env: env.NODE_ENV,
    isProduction,
    port,
    host: env.HOST,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    readReplica: env.READ_DATABASE_URL
      ? { url: env.READ_DATABASE_URL, maxLagSeconds: env.REPLICA_MAX_LAG_SECONDS, readYourWritesSeconds: env.READ_YOUR_WRITES_SECONDS }
      : undefined,
    sessionSecret: env.SESSION_SECRET ?? localSecret(dataDir),
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    region: env.REGION,
    logLevel: env.LOG_LEVEL,
    smtp: env.SMTP_HOST
      ? { host: env.SMTP_HOST, port: env.SMTP_PORT, secure: env.SMTP_SECURE, user: env.SMTP_USER, password: env.SMTP_PASSWORD }
      : undefined,
    mailFrom: env.MAIL_FROM,
    demoSeed: !isProduction && (env.DEMO_SEED ?? !env.DATABASE_URL),
    demoPassword: env.DEMO_PASSWORD,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    loginRateLimit: env.LOGIN_RATE_LIMIT,
    loginAddressRateLimit: env.LOGIN_ADDRESS_RATE_LIMIT,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
    sessionCache: env.SESSION_CACHE,
    exportProcessKeepSeconds: env.EXPORT_PROCESS_KEEP_SECONDS,
    secretKeys: keyringOf(
      Buffer.from(env.SECRETS_KEY ?? localSecret(dataDir, 'secrets-key'), 'base64'),
      (env.SECRETS_KEY_PREVIOUS?.split(',') ?? []).map((k) => Buffer.from(k, 'base64')),
    ),
    reauthMinutes: env.REAUTH_MINUTES,
    breachedPasswordsUrl: env.BREACHED_PASSWORDS_URL,
    lockout: { threshold: env.LOGIN_LOCKOUT_THRESHOLD, minutes: env.LOGIN_LOCKOUT_MINUTES },
    dnsResolvers: env.DNS_RESOLVERS ?? [],
    jobWorkers: env.JOB_WORKERS,
    shutdown: { drainSeconds: env.SHUTDOWN_DRAIN_SECONDS, timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS },
    backup: {
      masterKey: env.BACKUP_MASTER_KEY
        ? Buffer.from(env.BACKUP_MASTER_KEY, 'base64')
        : Buffer.from(localSecret(dataDir, 'backup-master-key'), 'base64url'),
      dir: path.resolve(env.BACKUP_DIR ?? path.join(dataDir, 'backups')),
      retentionDays: env.BACKUP_RETENTION_DAYS,
      cron: env.BACKUP_CRON,
    },
    offboardingGraceDays: env.OFFBOARDING_GRACE_DAYS,
    attachmentMaxBytes: env.ATTACHMENT_MAX_BYTES,
    bundle: {
      signingKey: env.BUNDLE_SIGNING_KEY ? Buffer.from(env.BUNDLE_SIGNING_KEY, 'base64') : undefined,
      trustedKeys: (env.BUNDLE_TRUSTED_KEYS?.split(',') ?? []).map((k) => Buffer.from(k, 'base64')),
      pullUrl: env.BUNDLE_PULL_URL,
      pullCron: env.BUNDLE_PULL_CRON,
    },
  };
}

/** Outside production, a secret generated once and kept in the data folder (mode 0600). */
function localSecret(dataDir: string, name = 'session-secret'): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
