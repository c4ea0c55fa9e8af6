/**
 * The whole deployment of issue 16 on loopback, in one setup: two region cells on two clusters of
 * their own (`ca` and `us`, initdb), PgBouncer in transaction pooling mode in front of the `ca`
 * primary, a streaming replica of the `ca` primary (pg_basebackup), a real SMTP server, and
 * `main.ts serve` processes spawned from the sources: two for `ca` through the pooler (reading from
 * the replica) and one for `us`, which pulls the bank bundle from `ca` on its schedule. In that one
 * setup: an institution in `ca` leaves no row in `us`; a bundle published in `ca` appears in `us`;
 * a tampered bundle is refused and changes nothing; a session made on one process works on the
 * other; the cron runs each slot once across processes; SIGTERM drains; and a process killed
 * (SIGKILL) in the middle of a job loses nothing: another process takes the job again once its
 * claim runs out and completes it, once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyOf } from '../../src/server/modules/bundle/bank-bundle.js';
import { openDatabase, queryRows, type Database } from '../../src/server/platform/db.js';
import { queueOf } from '../../src/server/platform/jobs.js';
import { buildUser, PASSWORD } from '../support/factories.js';
import {
  missingScaleTools,
  startCluster,
  startPgBouncer,
  startStandby,
  waitUntil,
  type Bouncer,
  type Cluster,
} from '../support/pg-cluster.js';
import { sampleSections, uniqueSlug } from '../support/pia.js';
import { httpSignIn, spawnServe, type HttpClient, type ServeProcess } from '../support/serve-process.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';

const missing = process.env.VETTED_MUTATION_RUN ? 'not under mutation testing' : missingScaleTools({ pgbouncer: true });
if (missing) process.stdout.write(`test/scale/cells.test.ts skipped: ${missing}\n`);

/** Generous bounds: three servers, three clusters and a pooler share a busy two-core machine. */
const SETUP_TIMEOUT = 600_000;
const STEP_TIMEOUT = 420_000;

type Json = Record<string, any>;
type Removable = Cluster & { remove(): Promise<void> };

const signingSeed = randomBytes(32);
const b64 = (b: Buffer) => b.toString('base64');

describe.skipIf(missing)('two region cells, PgBouncer, a streaming replica and three processes on loopback', () => {
  let caPrimary: Removable | undefined;
  let caStandby: Removable | undefined;
  let usCluster: Removable | undefined;
  let bouncer: Bouncer | undefined;
  let smtp: TestSmtp | undefined;
  let caDir: string;
  let usDir: string;
  /** Direct connections of this test to each cell's database, to look at rows. */
  let caDb: Database;
  let usDb: Database;
  const processes: ServeProcess[] = [];
  let ca1: ServeProcess;
  let ca2: ServeProcess;
  let us1: ServeProcess;
  let caOperator: HttpClient;
  let usOperator: HttpClient;
  let bothRunningSince: Date;

  /** The SMTP server holds the first mail to this address until told to let go (then refuses it). */
  const heldAddress = `held.${uniqueSlug('m')}@example.org`;
  let heldArrived!: () => void;
  const held = new Promise<void>((resolve) => (heldArrived = resolve));
  let releaseHeld!: () => void;
  const released = new Promise<void>((resolve) => (releaseHeld = resolve));
  let heldOnce = false;

  const caEnv = (): Record<string, string> => ({
    DATA_DIR: caDir,
    DATABASE_URL: bouncer!.url('vetted'),
    // PgBouncer 1.18 in transaction mode: no prepared statements (docs/operations.md).
    DATABASE_PREPARED_STATEMENTS: 'false',
    READ_DATABASE_URL: caStandby!.url('vetted'),
    REGION: 'ca',
    BUNDLE_SIGNING_KEY: b64(signingSeed),
    SESSION_SECRET: 'cells-ca-secret-cells-ca-secret-cells-ca-0',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp!.port),
    JOB_WORKERS: 'true',
    LOGIN_RATE_LIMIT: '1000',
    LOGIN_ADDRESS_RATE_LIMIT: '10000',
    SHUTDOWN_DRAIN_SECONDS: '3',
    SHUTDOWN_TIMEOUT_SECONDS: '60',
  });
  const started = async (p: Promise<ServeProcess>) => {
    const proc = await p;
    processes.push(proc);
    return proc;
  };
  const rowsOf = <T = Json>(db: Database, query: ReturnType<typeof sql>) => queryRows<T>(db.db, query);

  beforeAll(async () => {
    try {
      caDir = await mkdtemp(path.join(tmpdir(), 'vetted-cell-ca-'));
      usDir = await mkdtemp(path.join(tmpdir(), 'vetted-cell-us-'));
      smtp = await startTestSmtp({
        accept: async (mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address));
          if (!to.includes(heldAddress) || heldOnce) return undefined;
          heldOnce = true;
          heldArrived();
          await released;
          return Object.assign(new Error('held, then dropped'), { responseCode: 451 });
        },
      });
      // The two cells: a cluster each, migrated directly on the server as a deployment's `migrate` does.
      [caPrimary, usCluster] = await Promise.all([startCluster(), startCluster()]);
      for (const c of [caPrimary, usCluster]) await c.query('create database vetted');
      caDb = await openDatabase({ databaseUrl: caPrimary.url('vetted') });
      await caDb.migrate();
      usDb = await openDatabase({ databaseUrl: usCluster.url('vetted') });
      await usDb.migrate();
      caStandby = await startStandby(caPrimary);
      bouncer = await startPgBouncer(caPrimary, { poolSize: 4 });

      ca1 = await started(spawnServe(caEnv()));
      [ca2, us1] = await Promise.all([
        started(spawnServe(caEnv())),
        started(
          spawnServe({
            DATA_DIR: usDir,
            DATABASE_URL: usCluster.url('vetted'),
            REGION: 'us',
            BUNDLE_TRUSTED_KEYS: b64(publicKeyOf(signingSeed)),
            // The scheduled pull, every minute here, from the Canadian cell's public address.
            BUNDLE_PULL_URL: `${ca1.base}/api/v1/bank-bundles/latest`,
            BUNDLE_PULL_CRON: '* * * * *',
            SESSION_SECRET: 'cells-us-secret-cells-us-secret-cells-us-0',
            SMTP_HOST: '127.0.0.1',
            SMTP_PORT: String(smtp.port),
            JOB_WORKERS: 'true',
            LOGIN_RATE_LIMIT: '1000',
            LOGIN_ADDRESS_RATE_LIMIT: '10000',
          }),
        ),
      ]);
      bothRunningSince = new Date();
      const caAdmin = await buildUser(caDb.db, { tenantId: null, role: 'platform_admin' });
      const usAdmin = await buildUser(usDb.db, { tenantId: null, role: 'platform_admin' });
      caOperator = await httpSignIn(ca1.base, caAdmin.email, PASSWORD);
      usOperator = await httpSignIn(us1.base, usAdmin.email, PASSWORD);
    } catch (err) {
      await stopAll();
      throw err;
    }
  }, SETUP_TIMEOUT);

  async function stopAll() {
    releaseHeld?.();
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    await caDb?.close().catch(() => undefined);
    await usDb?.close().catch(() => undefined);
    await bouncer?.stop().catch(() => undefined);
    await caStandby?.remove().catch(() => undefined);
    await caPrimary?.remove().catch(() => undefined);
    await usCluster?.remove().catch(() => undefined);
    await smtp?.close().catch(() => undefined);
    for (const dir of [caDir, usDir]) if (dir) await rm(dir, { recursive: true, force: true });
  }
  afterAll(stopAll, SETUP_TIMEOUT);

  const institutionBody = (country: 'CA' | 'US', subdivision: string, email = `first.${uniqueSlug('a')}@example.org`) => ({
    name: `Cell District ${uniqueSlug('d')}`,
    kind: 'district',
    country,
    subdivision,
    gradeLevels: ['K', '1'],
    firstSiteAdmin: { email, firstName: 'Ana', lastName: 'Okafor' },
  });

  it(
    'serves a session made on process 1 from process 2, both through PgBouncer',
    async () => {
      // Made on ca1 (at sign-in), used on ca2, for a read and for a write with its CSRF token.
      const there = await caOperator.request(ca2.base, 'GET', '/api/v1/session');
      expect(there.status).toBe(200);
      const created = await caOperator.request(ca2.base, 'POST', '/api/v1/institutions', institutionBody('CA', 'BC'));
      expect(created.status, await created.clone().text()).toBe(201);
      // Seen from process 1 at once.
      const id = ((await created.json()) as Json).id as string;
      expect((await caOperator.request(ca1.base, 'GET', `/api/v1/institutions/${id}`)).status).toBe(200);
      // The other cell has its own sessions: this one means nothing there.
      expect((await caOperator.request(us1.base, 'GET', '/api/v1/session')).status).toBe(401);
    },
    STEP_TIMEOUT,
  );

  it(
    'keeps an institution created in ca out of us, row for row, and on the ca replica',
    async () => {
      const email = `first.${uniqueSlug('ca')}@example.org`;
      const res = await caOperator.request(ca1.base, 'POST', '/api/v1/institutions', institutionBody('CA', 'QC', email));
      expect(res.status, await res.clone().text()).toBe(201);
      const institution = (await res.json()) as Json;
      expect(institution.region).toBe('ca');
      // The US cell refuses a Canadian institution, naming where it belongs.
      const refused = await usOperator.request(us1.base, 'POST', '/api/v1/institutions', institutionBody('CA', 'ON'));
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Json).error.fieldCodes).toEqual({ country: 'belongs_in_ca' });

      // In ca: the institution, its first site admin and its rows; in us: not one row of any table names it.
      const tenantColumns = await rowsOf<{ t: string; c: string }>(
        usDb,
        sql`select table_name::text as t, column_name::text as c from information_schema.columns
             where table_schema = 'public' and column_name in ('tenant_id', 'institution_id') order by 1, 2`,
      );
      expect(tenantColumns.length).toBeGreaterThan(10);
      const rowsNaming = async (db: Database) => {
        let n = 0;
        for (const { t, c } of tenantColumns) {
          const [r] = await rowsOf<{ n: number }>(
            db,
            sql`select count(*)::int as n from ${sql.identifier(t)} where ${sql.identifier(c)} = ${institution.id}`,
          );
          n += r!.n;
        }
        const [i] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from institutions where id = ${institution.id}`);
        // The first site admin is invited: an invitation to that address until they accept it.
        const [u] = await rowsOf<{ n: number }>(
          db,
          sql`select (select count(*) from users where lower(email) = lower(${email})) + (select count(*) from invitations where lower(email) = lower(${email})) as n`,
        );
        return { tenantRows: n, institutions: i!.n, people: Number(u!.n) };
      };
      const inCa = await rowsNaming(caDb);
      expect(inCa.institutions).toBe(1);
      expect(inCa.people).toBe(1);
      expect(inCa.tenantRows).toBeGreaterThan(0);
      expect(await rowsNaming(usDb)).toEqual({ tenantRows: 0, institutions: 0, people: 0 });

      // The streaming replica of the ca primary has it too, and the ca processes read from it.
      await waitUntil('the replica replays the institution', async () => {
        const rows = await caStandby!.query<{ n: number }>(
          `select count(*)::int as n from institutions where id = '${institution.id}'`,
          'vetted',
        );
        return rows[0]!.n === 1;
      });
      // A person of that institution reads the dashboard on ca1: from the replica, once it is caught up.
      const reader = await buildUser(caDb.db, { tenantId: institution.id as string, role: 'site_admin' });
      const person = await httpSignIn(ca1.base, reader.email, PASSWORD);
      const replicaReads = async () =>
        Number(/^vetted_db_replica_reads\{target="replica"\} (\d+)$/m.exec(await (await fetch(`${ca1.base}/metrics`)).text())?.[1] ?? 0);
      await waitUntil('a read of ca1 goes to the replica', async () => {
        expect((await person.request(ca1.base, 'GET', '/api/v1/dashboard')).status).toBe(200);
        return (await replicaReads()) > 0;
      });
    },
    STEP_TIMEOUT,
  );

  it(
    'brings a bundle published in ca into us on the scheduled pull, and refuses a tampered one changing nothing',
    async () => {
      // The operator publishes a template version in ca, then the bundle.
      const createdTemplate = await caOperator.request(ca1.base, 'POST', '/api/v1/bank/templates', {
        slug: uniqueSlug(),
        title: `Cell PIA ${uniqueSlug('t')}`,
        fr: { title: `EFVP de la cellule ${uniqueSlug('t')}`, description: '' },
        catalogAppId: null,
        jurisdictions: ['BC'],
      });
      expect(createdTemplate.status, await createdTemplate.clone().text()).toBe(201);
      const draft = ((await createdTemplate.json()) as Json).versions[0] as Json;
      const saved = await caOperator.request(ca2.base, 'PUT', `/api/v1/bank/versions/${draft.id}`, {
        version: draft.version,
        changeLog: 'First version',
        sections: sampleSections(),
      });
      expect(saved.status, await saved.clone().text()).toBe(200);
      const published = await caOperator.request(ca1.base, 'POST', `/api/v1/bank/versions/${draft.id}/publish`, {
        version: ((await saved.json()) as Json).version,
      });
      expect(published.status, await published.clone().text()).toBe(200);
      const bundle = await caOperator.request(ca2.base, 'POST', '/api/v1/bank-bundles');
      expect(bundle.status, await bundle.clone().text()).toBe(201);
      const sequence = ((await bundle.json()) as Json).sequence as number;

      // us pulls it on its schedule (every minute here) from ca1's public address.
      const versionsInUs = async () =>
        (await rowsOf<{ id: string }>(usDb, sql`select id::text as id from pia_template_versions where status = 'published'`)).map(
          (r) => r.id,
        );
      await waitUntil('us pulls the bundle', async () => (await versionsInUs()).includes(draft.id as string), 240);
      const [applied] = await rowsOf<{ n: number }>(usDb, sql`select count(*)::int as n from bank_bundles where sequence = ${sequence}`);
      expect(applied!.n).toBe(1);

      // A byte changed in the published document: refused by us, nothing changes there.
      const fingerprint = async () => {
        const [r] = await rowsOf<Json>(
          usDb,
          sql`select (select count(*)::int from bank_bundles) as bundles,
                     (select md5(string_agg(to_jsonb(v)::text, ',' order by v.id)) from pia_template_versions v) as versions,
                     (select md5(string_agg(to_jsonb(c)::text, ',' order by c.id)) from catalog_apps c) as catalog,
                     (select count(*)::int from audit_events) as audit`,
        );
        return r;
      };
      const before = await fingerprint();
      const document = await (await fetch(`${ca1.base}/api/v1/bank-bundles/latest`)).text();
      const at = Math.floor(document.length / 2);
      const tampered = document.slice(0, at) + (document[at] === 'a' ? 'b' : 'a') + document.slice(at + 1);
      const refused = await usOperator.request(us1.base, 'POST', '/api/v1/bank-bundles/import', { document: tampered });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as Json).error.fields.document).toMatch(/changed|not valid JSON|not a Vetted bank bundle|digest/);
      expect(await fingerprint()).toEqual(before);
    },
    STEP_TIMEOUT,
  );

  it(
    'runs each slot of a scheduled job once while both ca processes run the cron',
    async () => {
      // The mail outbox's drain is scheduled every minute in every process with workers. Each slot is
      // one row of pg-boss's send-it queue (its singleton), whichever process's cron saw it first.
      const queue = queueOf({ name: 'mail-outbox', version: 1 });
      const slots = () =>
        rowsOf<{ slot: string; state: string; n: number }>(
          caDb,
          sql`with sendit as (
                select singleton_on, state from pgboss.job where name = '__pgboss__send-it' and data->>'name' = ${queue}
                union all select singleton_on, state from pgboss.archive where name = '__pgboss__send-it' and data->>'name' = ${queue})
              select singleton_on::text as slot, min(state) as state, count(*)::int as n from sendit
               where singleton_on >= date_trunc('minute', ${bothRunningSince.toISOString()}::timestamptz) group by singleton_on`,
        );
      await waitUntil(
        'a slot completed with both processes running',
        async () => (await slots()).some((s) => s.state === 'completed'),
        240,
      );
      const all = await slots();
      expect(all.length).toBeGreaterThan(0);
      expect(all.filter((s) => s.n !== 1)).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  it(
    'drains on SIGTERM: /readyz reports not ready, the request in flight finishes, the process ends cleanly',
    async () => {
      const inFlight = caOperator.request(ca2.base, 'GET', '/api/v1/institutions');
      ca2.child.kill('SIGTERM');
      let ready = 200;
      for (let i = 0; i < 1200 && ready !== 503; i++) {
        ready = await fetch(`${ca2.base}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready !== 503) await new Promise((r) => setTimeout(r, 25));
      }
      expect(ready).toBe(503);
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
      expect(await ca2.exited).toBe(0);
      // The cell goes on: process 1 serves the same session.
      expect((await caOperator.request(ca1.base, 'GET', '/api/v1/session')).status).toBe(200);
    },
    STEP_TIMEOUT,
  );

  it(
    'loses nothing when a process is killed in the middle of a job: another takes it again and completes it once',
    async () => {
      // ca1 is the only ca process left: the invitation of this institution is its job to send.
      const res = await caOperator.request(ca1.base, 'POST', '/api/v1/institutions', institutionBody('CA', 'NS', heldAddress));
      expect(res.status, await res.clone().text()).toBe(201);
      const id = ((await res.json()) as Json).id as string;
      const mail = () =>
        rowsOf<{ status: string; attempts: number }>(caDb, sql`select status, attempts from mail_outbox where institution_id = ${id}`);

      // In the middle of the send: the SMTP server has the message and has not answered.
      await Promise.race([held, new Promise((_, reject) => setTimeout(() => reject(new Error('the mail never reached SMTP')), 180_000))]);
      expect(await mail()).toEqual([{ status: 'sending', attempts: 1 }]);
      ca1.child.kill('SIGKILL');
      expect(await ca1.exited).toBeNull();
      releaseHeld();
      expect(smtp!.messages.filter((m) => JSON.stringify(m.to).includes(heldAddress))).toHaveLength(0);

      // A new ca process: once the dead claim runs out, its cron takes the mail again and sends it.
      const ca3 = await started(spawnServe(caEnv()));
      const delivered = await smtp!.waitFor(heldAddress, 360_000);
      expect(delivered.subject).toBeTruthy();
      await waitUntil('the outbox records the mail sent', async () => (await mail())[0]?.status === 'sent');
      expect(await mail()).toEqual([{ status: 'sent', attempts: 2 }]);
      expect(smtp!.messages.filter((m) => JSON.stringify(m.to).includes(heldAddress))).toHaveLength(1);
      // The request's own writes were never at risk: the institution is there, served by the new process.
      expect((await caOperator.request(ca3.base, 'GET', `/api/v1/institutions/${id}`)).status).toBe(200);
    },
    STEP_TIMEOUT,
  );
});
