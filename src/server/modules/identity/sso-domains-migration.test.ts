import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../platform/db.js';

/**
 * The upgrade that brings verified email domains, on a database holding connections made before
 * it: their domains stay on them and become pending claims of their institution (PGlite, or the
 * PostgreSQL server of TEST_DATABASE_URL).
 */
interface Runner {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: { idx: number; tag: string }[];
};
const FIRST = journal.entries.find((e) => e.tag.endsWith('_sso_domains'))!.idx;

async function openRunner(): Promise<Runner> {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) {
    const db = new PGlite();
    return {
      query: async <T>(text: string, params: unknown[] = []) => (await db.query<T>(text, params)).rows,
      exec: async (text) => void (await db.exec(text)),
      close: () => db.close(),
    };
  }
  const name = `vetted_m_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return {
    query: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
    exec: async (text) => void (await client.query(text)),
    close: async () => {
      await client.end();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

async function apply(db: Runner, upTo: (idx: number) => boolean) {
  for (const e of journal.entries.filter((x) => upTo(x.idx))) {
    const text = readFileSync(path.join(migrationsFolder, `${e.tag}.sql`), 'utf8');
    for (const statement of text.split('--> statement-breakpoint')) if (statement.trim()) await db.exec(statement);
  }
}

describe('upgrading to verified email domains', () => {
  let db: Runner;
  const tenant = randomUUID();
  const other = randomUUID();

  beforeAll(async () => {
    db = await openRunner();
    await apply(db, (idx) => idx < FIRST);
    for (const [id, name] of [
      [tenant, 'Lakeshore'],
      [other, 'Cedar Valley'],
    ])
      await db.query(
        `insert into institutions (id, name, kind, country, subdivision, region, grade_levels) values ($1, $2, 'district', 'CA', 'BC', 'ca', '{K}')`,
        [id, name],
      );
    const connection = (tenantId: string, domains: string[]) =>
      db.query(
        `insert into sso_connections (tenant_id, id, protocol, preset, display_name, email_domains) values ($1, $2, 'saml', 'saml', 'IdP', $3)`,
        [tenantId, randomUUID(), domains],
      );
    await connection(tenant, ['lakeshore.example', 'staff.lakeshore.example']);
    await connection(tenant, ['lakeshore.example']);
    // Another institution listed the same domain (the hole this closes): a pending claim of its own.
    await connection(other, ['lakeshore.example', 'cedar.example']);
    await apply(db, (idx) => idx >= FIRST);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps every connection’s domains and makes each a pending claim of its institution, with its own token', async () => {
    const connections = await db.query<{ email_domains: string[] }>(
      'select email_domains from sso_connections order by tenant_id, display_name',
    );
    expect(connections.flatMap((c) => c.email_domains).sort()).toEqual(
      ['cedar.example', 'lakeshore.example', 'lakeshore.example', 'lakeshore.example', 'staff.lakeshore.example'].sort(),
    );
    const claims = await db.query<{ tenant_id: string; domain: string; status: string; verification_token: string }>(
      'select tenant_id, domain, status, verification_token from sso_domains order by tenant_id, domain',
    );
    expect(claims.map((c) => [c.tenant_id, c.domain, c.status]).sort()).toEqual(
      [
        [tenant, 'lakeshore.example', 'pending'],
        [tenant, 'staff.lakeshore.example', 'pending'],
        [other, 'cedar.example', 'pending'],
        [other, 'lakeshore.example', 'pending'],
      ].sort(),
    );
    for (const c of claims) expect(c.verification_token).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(claims.map((c) => c.verification_token)).size).toBe(claims.length);
  });

  it('puts the new tables behind row-level security, forced', async () => {
    const rows = await db.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `select relname, relrowsecurity, relforcerowsecurity from pg_class where relname in ('sso_domains', 'sso_account_links') order by relname`,
    );
    expect(rows).toEqual([
      { relname: 'sso_account_links', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'sso_domains', relrowsecurity: true, relforcerowsecurity: true },
    ]);
  });
});
