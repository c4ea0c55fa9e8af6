/**
 * What could outlive a purge: job-queue rows naming the institution (queued, finished, archived) and
 * its embedded-mode mail files. After the purge no column of any table of any schema holds its id
 * (but its deletion certificate), and no mail file names it or its people.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, signIn } from '../../../../test/support/factories.js';
import { buildPopulatedTenant } from '../../../../test/support/populate.js';
import { openTestDatabase } from '../../../../test/support/test-db.js';
import { buildApp } from '../../app.js';
import { loadConfig, type Config } from '../../platform/config.js';
import { queryRows, type Database } from '../../platform/db.js';
import { createJobs, type Jobs } from '../../platform/jobs.js';
import { createMailer } from '../../platform/mail.js';
import { createBackupService } from './backups.service.js';
import { createLifecycleService } from './lifecycle.service.js';

let dataDir: string;
let config: Config;
let database: Database;
let jobs: Jobs;
let app: FastifyInstance;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-residue-'));
  // No SMTP: mail goes to DATA_DIR/mail, the embedded mail folder.
  config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, SESSION_SECRET: 'test-secret-test-secret-test-secret-0123', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000' });
  database = await openTestDatabase();
  jobs = await createJobs({ db: database.db });
  app = await buildApp({ config, db: database.db, mailer: createMailer(config), jobs }, { logLevel: 'silent' });
});
afterAll(async () => {
  await app?.close();
  await jobs?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Every (schema, table, column) of a text, json or uuid type whose value holds `id`, in every schema. */
async function columnsHolding(id: string): Promise<string[]> {
  const columns = await queryRows<{ s: string; t: string; c: string }>(
    database.db,
    sql`select c.table_schema as s, c.table_name as t, c.column_name as c
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
        where c.table_schema not in ('pg_catalog', 'information_schema') and c.table_schema not like 'pg\\_%'
          and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'uuid', 'ARRAY')
        order by 1, 2, 3`,
  );
  const found: string[] = [];
  for (const { s, t, c } of columns) {
    const [r] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from ${sql.identifier(s)}.${sql.identifier(t)} where ${sql.identifier(c)}::text like ${`%${id}%`}`,
    );
    if (r!.n > 0) found.push(`${s}.${t}.${c}`);
  }
  return found;
}

async function mailFiles(): Promise<{ name: string; text: string }[]> {
  const folder = path.join(dataDir, 'mail');
  const names = await readdir(folder).catch(() => [] as string[]);
  return Promise.all(names.map(async (name) => ({ name, text: await readFile(path.join(folder, name), 'utf8') })));
}

describe('a purge', () => {
  it('leaves the institution’s id in no table of any schema, job queue included, and none of its mail', async () => {
    const tenant = await buildPopulatedTenant(app, database.db, 3);
    const neighbour = await buildPopulatedTenant(app, database.db, 1);
    const id = tenant.institution.id;
    const invitee = (await queryRows<{ email: string }>(database.db, sql`select email from invitations where tenant_id = ${id}`))[0]!.email;
    const neighbourInvitee = (await queryRows<{ email: string }>(database.db, sql`select email from invitations where tenant_id = ${neighbour.institution.id}`))[0]!.email;
    expect((await mailFiles()).some((m) => m.text.includes(invitee))).toBe(true);

    // Jobs naming the institution: one finished and archived, one still queued.
    const first = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(first.statusCode).toBe(202);
    expect(await jobs.runPending()).toBeGreaterThan(0);
    const columns =
      'id, name, priority, data, state, retry_limit, retry_count, retry_delay, retry_backoff, start_after, started_on, singleton_key, singleton_on, expire_in, created_on, completed_on, keep_until, dead_letter, policy, output';
    await database.db.execute(
      sql.raw(`with a as (delete from pgboss.job where state = 'completed' and data->>'tenantId' = '${id}' returning *)
               insert into pgboss.archive (${columns}) select ${columns} from a`),
    );
    expect((await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'xlsx' })).statusCode).toBe(202);
    const [queued] = await queryRows<{ job: number; archive: number }>(
      database.db,
      sql`select (select count(*)::int from pgboss.job where data::text like ${`%${id}%`}) as job,
                 (select count(*)::int from pgboss.archive where data::text like ${`%${id}%`}) as archive`,
    );
    expect(queued).toEqual({ job: 1, archive: 1 });

    const operator = await signIn(app, await buildUser(database.db, { tenantId: null, role: 'platform_admin' }));
    expect((await operator.request('PUT', `/api/v1/institutions/${id}/offboarding`, { contactEmail: 'dpo@example.org' })).statusCode).toBe(200);
    const backups = createBackupService({ db: database.db, config, jobs });
    const lifecycle = createLifecycleService({ db: database.db, config, jobs, mailer: createMailer(config) }, backups);
    const cert = await lifecycle.systemPurge(id);

    expect(cert.purgeCompletedAt).not.toBeNull();
    expect(cert.tableCounts).toMatchObject({ 'pgboss.job': 1, 'pgboss.archive': 1 });
    expect(cert.mailFilesRemoved).toBeGreaterThanOrEqual(1);
    // Only the proof of deletion names it: its certificate, and the anchor of its audit chain (a
    // position and a hash, no personal data) that lets audit-verify report the chain purged and intact.
    expect(await columnsHolding(id)).toEqual(['public.audit_heads.chain_id', 'public.deletion_certificates.institution_id']);

    const files = await mailFiles();
    const left = files.filter((m) => !m.text.includes('Subject: Deletion certificate'));
    for (const m of left) {
      expect(m.text, m.name).not.toContain(id);
      expect(m.text, m.name).not.toContain(invitee);
      expect(m.text, m.name).not.toContain(tenant.institution.name);
    }
    // The neighbour's mail is untouched.
    expect(left.some((m) => m.text.includes(neighbourInvitee))).toBe(true);
  }, 300_000);
});
