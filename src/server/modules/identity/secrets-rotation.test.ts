import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { attachmentKeys, auditEvents, ssoConnections, users } from '../../db/schema/index.js';
import { verifyAuditChain } from '../../platform/audit.js';
import { openDatabase, withSystem, type Db } from '../../platform/db.js';
import { createJobs } from '../../platform/jobs.js';
import { createMailer } from '../../platform/mail.js';
import { keyId, keyringOf, openSecret, sealSecret, sealedKeyId, type Keyring } from '../../platform/secrets.js';
import { buildTenantWithUsers, buildUser, PASSWORD, signIn, totpCode, type Client } from '../../../../test/support/factories.js';
import { CLI_TEST_TIMEOUT, itRunsCli, runCli } from '../../../../test/support/cli.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { createMigratedDataDir } from '../../../../test/support/test-db.js';
import { openAttachmentKey } from '../attachments/attachment-crypto.js';
import { rotateSealedSecrets } from './secrets-rotation.js';

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const K3 = randomBytes(32);
const b64 = (k: Buffer) => k.toString('base64');
const CLIENT_SECRET = 'client-secret-before-rotation-0123456789';

let t: TestApp;

/** The sealed format of before key ids existed (`v1.<iv>.<ct>.<tag>`), under `key`. */
function sealV1(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

const mfaSecretOf = async (db: Db, id: string) =>
  (await withSystem(db, (tx) => tx.select({ s: users.mfaSecret }).from(users).where(eq(users.id, id))))[0]!.s!;

const sealedAttachmentKeyOf = async (db: Db, tenantId: string) =>
  (
    await withSystem(db, (tx) =>
      tx.select({ s: attachmentKeys.sealedKey }).from(attachmentKeys).where(eq(attachmentKeys.tenantId, tenantId)),
    )
  )[0]!.s;

/** An institution with an app of its inventory and a document attached to it through the upload route. */
async function institutionWithDocument() {
  const tenant = await buildTenantWithUsers(t.app, t.database.db);
  const item = await tenant.siteAdmin.request('POST', '/api/v1/inventory', { custom: { name: `Sealed app ${randomUUID()}` } });
  expect(item.statusCode, item.body).toBe(201);
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(512), Buffer.from('\n%%EOF\n')]);
  const uploaded = await tenant.siteAdmin.request(
    'POST',
    `/api/v1/inventory/${item.json().id}/attachments?kind=agreement&fileName=dpa.pdf`,
    bytes,
  );
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return { tenant, documentId: uploaded.json().id as string, bytes };
}

/** The service started with `keys` as its keyring (the same database and sessions). */
async function withServiceOn<T>(keys: Keyring, fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  const config = { ...t.config, secretKeys: keys };
  const jobs = await createJobs({ db: t.database.db });
  const app = await buildApp({ config, db: t.database.db, mailer: createMailer(config), jobs }, { logLevel: 'silent' });
  await app.ready();
  try {
    return await fn(app);
  } finally {
    await app.close();
    await jobs.stop();
  }
}

const download = (app: FastifyInstance, client: Client, id: string) =>
  app.inject({ method: 'GET', url: `/api/v1/attachments/${id}/download`, cookies: { [client.cookie.name]: client.cookie.value } });

beforeAll(async () => {
  t = await createTestApp({ SECRETS_KEY: b64(K1) });
});
afterAll(async () => t?.close());

describe('SECRETS_KEY rotation', () => {
  it('re-seals every secret under the new key; old and new keys open values during the rotation, the new one alone after', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const created = await tenant.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'oidc',
      issuer: 'https://idp.example.org',
      displayName: 'District sign-in',
      clientId: 'vetted',
      clientSecret: CLIENT_SECRET,
    });
    expect(created.statusCode).toBe(201);
    const connectionId = created.json().id as string;
    const admin = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const adminClient = await signIn(t.app, admin);
    const adminSecret = adminClient.mfaSecret!;
    // One value in the format of before key ids, still under K1.
    const legacy = await buildUser(t.database.db, { tenantId: tenant.institution.id, role: 'app_admin' });
    const legacySecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await withSystem(t.database.db, (tx) =>
      tx
        .update(users)
        .set({ mfaSecret: sealV1(K1, legacySecret, `mfa:${legacy.id}`), mfaEnabledAt: new Date() })
        .where(eq(users.id, legacy.id)),
    );
    expect(await mfaSecretOf(t.database.db, admin.id)).toMatch(new RegExp(`^v2\\.${keyId(K1)}\\.`));
    // An institution with a document: its attachment key sealed under K1 on the first upload.
    const withDoc = await institutionWithDocument();
    const sealedBefore = await sealedAttachmentKeyOf(t.database.db, withDoc.tenant.institution.id);
    expect(sealedKeyId(sealedBefore)).toBe(keyId(K1));

    const during = keyringOf(K2, [K1]);
    const report = await rotateSealedSecrets(t.database.db, during);
    expect(report.keyId).toBe(keyId(K2));
    expect(report.unreadable).toEqual([]);
    expect(report.resealed['users.mfa_secret']).toBeGreaterThanOrEqual(2);
    expect(report.resealed['sso_connections.oidc_client_secret']).toBeGreaterThanOrEqual(1);
    expect(report.resealed['attachment_keys.sealed_key']).toBeGreaterThanOrEqual(1);

    const newOnly = keyringOf(K2);
    const [conn] = await withSystem(t.database.db, (tx) => tx.select().from(ssoConnections).where(eq(ssoConnections.id, connectionId)));
    expect(conn!.oidcClientSecret).toMatch(new RegExp(`^v2\\.${keyId(K2)}\\.`));
    const aad = `oidc-client-secret:${tenant.institution.id}:${connectionId}`;
    expect(openSecret(newOnly, conn!.oidcClientSecret!, aad)).toBe(CLIENT_SECRET);
    expect(() => openSecret(keyringOf(K1), conn!.oidcClientSecret!, aad)).toThrow(/unknown key/);
    expect(openSecret(newOnly, await mfaSecretOf(t.database.db, legacy.id), `mfa:${legacy.id}`)).toBe(legacySecret);
    // The attachment key is the same key, now sealed under K2: the old key no longer opens what is stored.
    const docTenant = withDoc.tenant.institution.id;
    const sealedAfter = await sealedAttachmentKeyOf(t.database.db, docTenant);
    expect(sealedKeyId(sealedAfter)).toBe(keyId(K2));
    expect(openAttachmentKey(newOnly, docTenant, sealedAfter)).toEqual(openAttachmentKey(keyringOf(K1), docTenant, sealedBefore));
    expect(() => openAttachmentKey(keyringOf(K1), docTenant, sealedAfter)).toThrow(/unknown key/);

    // A second run finds nothing left under an old key.
    const again = await rotateSealedSecrets(t.database.db, during);
    expect(Object.values(again.resealed).every((n) => n === 0)).toBe(true);
    expect(again.current['users.mfa_secret']).toBe(report.resealed['users.mfa_secret']);

    // The service started with the new key only: the platform admin's second step still works.
    const config = { ...t.config, secretKeys: newOnly };
    const jobs = await createJobs({ db: t.database.db });
    const app = await buildApp({ config, db: t.database.db, mailer: createMailer(config), jobs }, { logLevel: 'silent' });
    await app.ready();
    try {
      // (The next time step's code: the current one was spent at enrolment.)
      const first = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: admin.email, password: PASSWORD } });
      expect(first.json()).toEqual({ mfa: 'verify' });
      const second = await app.inject({
        method: 'POST',
        url: '/api/v1/session/mfa',
        cookies: { vetted_mfa: first.cookies.find((c) => c.name === 'vetted_mfa')!.value },
        payload: { code: totpCode(adminSecret, Date.now() + 30_000) },
      });
      expect(second.statusCode, second.body).toBe(200);

      // The document comes back byte for byte.
      const file = await download(app, withDoc.tenant.siteAdmin, withDoc.documentId);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.rawPayload.equals(withDoc.bytes)).toBe(true);
    } finally {
      await app.close();
      await jobs.stop();
    }

    // Each institution's rotation is in its own audit chain, which still verifies.
    const events = await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.action, 'secrets.rotate')));
    expect(events.map((e) => e.tenantId)).toEqual(expect.arrayContaining([tenant.institution.id, null]));
    expect((await withSystem(t.database.db, (tx) => verifyAuditChain(tx, tenant.institution.id))).ok).toBe(true);
  });

  it('a rotation interrupted between institutions leaves every document readable, and a second run finishes it', async () => {
    const a = await institutionWithDocument();
    const b = await institutionWithDocument();
    const ids = [a.tenant.institution.id, b.tenant.institution.id];
    // The rotation dies at the second of these institutions' keys: the database refuses that update
    // once the other one's key is under K2, so one institution's transaction commits and the other's fails.
    const inList = ids.map((id) => `'${id}'`).join(', ');
    await t.database.db.execute(
      sql.raw(`create function test_interrupt_rotation() returns trigger language plpgsql as $$
        begin
          if new.tenant_id in (${inList}) and exists (
            select 1 from attachment_keys
             where tenant_id in (${inList}) and tenant_id <> new.tenant_id and split_part(sealed_key, '.', 2) = '${keyId(K2)}'
          ) then
            raise exception 'rotation interrupted';
          end if;
          return new;
        end $$`),
    );
    await t.database.db.execute(
      sql.raw(
        'create trigger test_interrupt_rotation before update on attachment_keys for each row execute function test_interrupt_rotation()',
      ),
    );
    const during = keyringOf(K2, [K1]);
    try {
      const failure = await rotateSealedSecrets(t.database.db, during).then(
        () => null,
        (e: unknown) => e,
      );
      // (The driver's error names the query; the database's reason is its cause.)
      const messages: string[] = [];
      for (let e = failure as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
        messages.push(String(e.message));
      expect(messages.join(' / ')).toMatch(/rotation interrupted/);
    } finally {
      await t.database.db.execute(sql.raw('drop trigger test_interrupt_rotation on attachment_keys'));
      await t.database.db.execute(sql.raw('drop function test_interrupt_rotation()'));
    }

    // Midway: one key under the new key, the other still under the old one (its transaction rolled
    // back whole: no rotation event in its chain).
    const midway = await Promise.all(ids.map(async (id) => sealedKeyId(await sealedAttachmentKeyOf(t.database.db, id))));
    expect([...midway].sort()).toEqual([keyId(K1), keyId(K2)].sort());
    const rotated = await withSystem(t.database.db, (tx) => tx.select().from(auditEvents).where(eq(auditEvents.action, 'secrets.rotate')));
    const stillOld = ids[midway.indexOf(keyId(K1))]!;
    const done = ids[midway.indexOf(keyId(K2))]!;
    expect(rotated.some((e) => e.tenantId === stillOld)).toBe(false);
    expect(rotated.some((e) => e.tenantId === done)).toBe(true);

    // The service on the rotation's keyring (new key, old one as previous) opens both documents.
    await withServiceOn(during, async (app) => {
      for (const doc of [a, b]) {
        const file = await download(app, doc.tenant.siteAdmin, doc.documentId);
        expect(file.statusCode, file.body).toBe(200);
        expect(file.rawPayload.equals(doc.bytes)).toBe(true);
      }
    });

    // Run again: it finishes, and the new key alone opens both.
    const again = await rotateSealedSecrets(t.database.db, during);
    expect(again.unreadable).toEqual([]);
    expect(again.resealed['attachment_keys.sealed_key']).toBeGreaterThanOrEqual(1);
    for (const id of ids) expect(sealedKeyId(await sealedAttachmentKeyOf(t.database.db, id))).toBe(keyId(K2));
    await withServiceOn(keyringOf(K2), async (app) => {
      for (const doc of [a, b]) {
        const file = await download(app, doc.tenant.siteAdmin, doc.documentId);
        expect(file.statusCode, file.body).toBe(200);
        expect(file.rawPayload.equals(doc.bytes)).toBe(true);
      }
    });
    for (const id of ids) expect((await withSystem(t.database.db, (tx) => verifyAuditChain(tx, id))).ok).toBe(true);
  });

  it('reports values no key opens and leaves them as they are', async () => {
    const user = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const stray = sealSecret(keyringOf(K3), 'JBSWY3DPEHPK3PXP', `mfa:${user.id}`);
    await withSystem(t.database.db, (tx) => tx.update(users).set({ mfaSecret: stray }).where(eq(users.id, user.id)));
    const report = await rotateSealedSecrets(t.database.db, keyringOf(K2, [K1]));
    expect(report.unreadable).toEqual([{ column: 'users.mfa_secret', key: user.id }]);
    expect(await mfaSecretOf(t.database.db, user.id)).toBe(stray);
    await withSystem(t.database.db, (tx) => tx.update(users).set({ mfaSecret: null }).where(eq(users.id, user.id)));
  });
});

describe('main.js rotate-secrets', () => {
  itRunsCli(
    're-seals a database with the keys of the environment and prints its report',
    async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'vetted-rotate-'));
      const url = t.database.url;
      // PostgreSQL: the suite's own database. PGlite: a data folder the command opens after this process closes it.
      if (!url) await createMigratedDataDir(dataDir);
      const database = url ? t.database : await openDatabase({ dataDir });
      const id = randomUUID();
      await withSystem(database.db, (tx) =>
        tx.insert(users).values({
          id,
          tenantId: null,
          email: `rotate-${id}@example.org`,
          firstName: 'Ro',
          lastName: 'Tate',
          role: 'platform_admin',
          mfaSecret: sealSecret(keyringOf(K1), 'JBSWY3DPEHPK3PXP', `mfa:${id}`),
        }),
      );
      if (!url) await database.close();
      try {
        const { code, out } = await runCli(['rotate-secrets'], {
          DATA_DIR: dataDir,
          DATABASE_URL: url ?? '',
          SECRETS_KEY: b64(K2),
          SECRETS_KEY_PREVIOUS: b64(K1),
        });
        expect(code, out).toBe(0);
        const report = JSON.parse(out.slice(out.indexOf('{')));
        expect(report.keyId).toBe(keyId(K2));
        expect(report.resealed['users.mfa_secret']).toBeGreaterThanOrEqual(1);
        const after = url ? t.database : await openDatabase({ dataDir });
        try {
          expect(openSecret(keyringOf(K2), await mfaSecretOf(after.db, id), `mfa:${id}`)).toBe('JBSWY3DPEHPK3PXP');
        } finally {
          if (!url) await after.close();
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    CLI_TEST_TIMEOUT,
  );
});
