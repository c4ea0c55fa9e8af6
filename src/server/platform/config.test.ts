import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'vetted-config-'));

describe('configuration', () => {
  it('runs with no configuration at all: embedded database, demo data, local secret', () => {
    const dir = dataDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: undefined, demoSeed: true, region: 'ca', publicUrl: 'http://localhost:3000' });
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(c.sessionSecret);
  });

  it('lists every bad variable with its reason', () => {
    try {
      loadConfig({ PORT: 'eighty', REGION: 'eu', DATABASE_URL: 'mysql://x', PUBLIC_URL: 'not a url', SESSION_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).problems.join('\n');
      for (const v of ['PORT', 'REGION', 'DATABASE_URL', 'PUBLIC_URL', 'SESSION_SECRET']) expect(text).toContain(v);
    }
  });

  it('refuses production without a database, a secret and a public URL, and never seeds demo data there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL[\s\S]*SESSION_SECRET[\s\S]*SECRETS_KEY[\s\S]*PUBLIC_URL[\s\S]*BACKUP_MASTER_KEY/);
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/vetted',
      SESSION_SECRET: 'x'.repeat(40),
      SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
      PUBLIC_URL: 'https://vetted.example.org',
      BACKUP_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(() => loadConfig({ ...prod, DEMO_SEED: 'true' })).toThrow(/DEMO_SEED/);
    const ok = loadConfig(prod);
    expect(ok.demoSeed).toBe(false);
    expect(ok.secretKeys.current.key.length).toBe(32);
    expect(ok.secretKeys.previous).toEqual([]);
    expect(ok.breachedPasswordsUrl).toBeUndefined();
    expect(() => loadConfig({ ...prod, BREACHED_PASSWORDS_URL: 'http://range.example/' })).toThrow(/BREACHED_PASSWORDS_URL/);
    const rotating = loadConfig({ ...prod, SECRETS_KEY_PREVIOUS: `${Buffer.alloc(32, 1).toString('base64')},${Buffer.alloc(32, 2).toString('base64')}` });
    expect(rotating.secretKeys.previous.map((k) => k.key[0])).toEqual([1, 2]);
    expect(() => loadConfig({ ...prod, SECRETS_KEY_PREVIOUS: 'short,keys' })).toThrow(/SECRETS_KEY_PREVIOUS/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), SECRETS_KEY: 'too-short' })).toThrow(/SECRETS_KEY/);
  });

  it('asks the system resolver by default, or the DNS servers listed, and refuses anything but addresses', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).dnsResolvers).toEqual([]);
    expect(loadConfig({ DATA_DIR: dataDir(), DNS_RESOLVERS: '127.0.0.1:5353, 9.9.9.9,[::1]:53,::1' }).dnsResolvers).toEqual([
      '127.0.0.1:5353',
      '9.9.9.9',
      '[::1]:53',
      '::1',
    ]);
    for (const bad of ['dns.example', '127.0.0.1:0', '127.0.0.1:70000', '[1.2.3.4]:53', ',', 'http://1.1.1.1'])
      expect(() => loadConfig({ DATA_DIR: dataDir(), DNS_RESOLVERS: bad }), bad).toThrow(/DNS_RESOLVERS/);
  });

  it('refuses a grace period and a backup retention that could keep data past day 30', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), OFFBOARDING_GRACE_DAYS: '10', BACKUP_RETENTION_DAYS: '21' })).toThrow(/exceeds 30/);
    const ok = loadConfig({ DATA_DIR: dataDir(), OFFBOARDING_GRACE_DAYS: '9', BACKUP_RETENTION_DAYS: '21' });
    expect(ok.offboardingGraceDays + ok.backup.retentionDays).toBe(30);
    expect(ok.backup.masterKey).toHaveLength(32);
    expect(() => loadConfig({ DATA_DIR: dataDir(), BACKUP_MASTER_KEY: 'short' })).toThrow(/BACKUP_MASTER_KEY/);
  });

  it('reads from a replica only beside a database server, with its lag bound and read-your-writes window', () => {
    const dir = dataDir();
    expect(loadConfig({ DATA_DIR: dir }).readReplica).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: dir, READ_DATABASE_URL: 'postgres://replica/vetted' })).toThrow(
      /READ_DATABASE_URL: needs DATABASE_URL/,
    );
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://db/vetted', READ_DATABASE_URL: 'mysql://replica' })).toThrow(
      ConfigError,
    );
    expect(
      loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://db/vetted', READ_DATABASE_URL: 'postgres://replica/vetted' }).readReplica,
    ).toEqual({
      url: 'postgres://replica/vetted',
      maxLagSeconds: 10,
      readYourWritesSeconds: 30,
    });
    expect(
      loadConfig({
        DATA_DIR: dir,
        DATABASE_URL: 'postgres://db/vetted',
        READ_DATABASE_URL: 'postgres://replica/vetted',
        REPLICA_MAX_LAG_SECONDS: '2.5',
        READ_YOUR_WRITES_SECONDS: '0',
      }).readReplica,
    ).toMatchObject({ maxLagSeconds: 2.5, readYourWritesSeconds: 0 });
  });

  it('reads the bank bundle keys, and refuses a pull without trusted keys or a key of another form', () => {
    const seed = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({ DATA_DIR: dataDir(), BUNDLE_SIGNING_KEY: seed, BUNDLE_TRUSTED_KEYS: `${seed},${seed}` });
    expect(config.bundle.signingKey).toEqual(Buffer.alloc(32, 7));
    expect(config.bundle.trustedKeys).toHaveLength(2);
    expect(config.bundle.pullUrl).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: dataDir(), BUNDLE_PULL_URL: 'https://ca.vetted.example/api/v1/bank-bundles/latest' })).toThrow(/BUNDLE_TRUSTED_KEYS: required/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), BUNDLE_SIGNING_KEY: 'short' })).toThrow(/BUNDLE_SIGNING_KEY/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), BUNDLE_TRUSTED_KEYS: 'a,b' })).toThrow(/BUNDLE_TRUSTED_KEYS/);
  });

  it('does not seed demo data by default when a database server is configured', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'postgres://db/vetted' }).demoSeed).toBe(false);
  });
});
