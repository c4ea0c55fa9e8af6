/**
 * The portability archive a site admin downloads carries no secret: not the sealed SAML signing key,
 * OIDC client secret or TOTP secret, not a password hash, recovery code or token hash. Backups keep
 * them (encrypted per institution) so that people can sign in after a restore.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTenantWithUsers } from '../../../../test/support/factories.js';
import { makeTestCertificate } from '../../../../test/support/saml-idp.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { ssoConnections, users } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import { systemActor } from '../../platform/authz.js';
import { queryRows, unsafeTenantScope, withSystem, withTenant } from '../../platform/db.js';
import { sealSecret } from '../../platform/secrets.js';
import { withoutSecretValues } from '../../platform/secret-values.js';
import { systemExportInstitution } from './archive.js';
import { unzip } from '../../../../test/support/unzip.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('the portability archive', () => {
  it('holds no secret of any kind, while a backup keeps them for restore', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const id = tenant.institution.id;
    // A SAML connection made through the API: the service provider's signing key is generated and sealed.
    const idpCert = makeTestCertificate();
    const saml = await tenant.siteAdmin.request('POST', '/api/v1/sso/connections', {
      preset: 'saml',
      displayName: 'District SAML',
      idp: { entityId: 'https://idp.example.org/saml', ssoUrl: 'https://idp.example.org/sso', certificates: [idpCert.certBody] },
    });
    expect(saml.statusCode, saml.body).toBe(201);
    // An OIDC connection with a sealed client secret, a user with a sealed TOTP secret and recovery codes.
    const oidcId = randomUUID();
    const clientSecret = sealSecret(t.config.secretKeys, 'oidc-client-secret-value', `sso_connection:${oidcId}`);
    const mfaSecret = sealSecret(t.config.secretKeys, 'JBSWY3DPEHPK3PXP', `mfa:${tenant.siteAdmin.user.id}`);
    await withSystem(t.database.db, async (tx) => {
      await tx.insert(ssoConnections).values({
        tenantId: id,
        id: oidcId,
        protocol: 'oidc',
        preset: 'oidc',
        displayName: 'OIDC',
        oidcIssuer: 'https://idp.example.org',
        oidcClientId: 'vetted',
        oidcClientSecret: clientSecret,
      });
      await tx
        .update(users)
        .set({ mfaSecret, mfaEnabledAt: new Date(), mfaRecoveryCodes: ['recovery-code-hash-1', 'recovery-code-hash-2'] })
        .where(eq(users.id, tenant.siteAdmin.user.id));
    });
    const invited = await tenant.siteAdmin.request('POST', '/api/v1/invitations', {
      email: `invitee-${randomUUID().slice(0, 8)}@example.org`,
      firstName: 'Ina',
      lastName: 'Vitee',
      role: 'app_admin',
    });
    expect(invited.statusCode).toBe(201);

    // Every secret value of the institution as stored, read straight from the database.
    const [stored] = await queryRows<{ sp: string | null }>(
      t.database.db,
      sql`select saml_sp_key as sp from sso_connections where tenant_id = ${id} and protocol = 'saml'`,
    );
    expect(stored!.sp).toMatch(/^v2\./);
    const secrets = (
      await queryRows<{ v: string }>(
        t.database.db,
        sql`select saml_sp_key as v from sso_connections where tenant_id = ${id} and saml_sp_key is not null
            union all select oidc_client_secret from sso_connections where tenant_id = ${id} and oidc_client_secret is not null
            union all select password_hash from users where tenant_id = ${id} and password_hash is not null
            union all select mfa_secret from users where tenant_id = ${id} and mfa_secret is not null
            union all select unnest(mfa_recovery_codes) from users where tenant_id = ${id}
            union all select token_hash from invitations where tenant_id = ${id}`,
      )
    ).map((r) => r.v);
    expect(secrets.length).toBeGreaterThanOrEqual(8);

    const res = await tenant.siteAdmin.request('GET', '/api/v1/institution/archive');
    expect(res.statusCode).toBe(200);
    const bytes = res.body;
    for (const s of secrets) expect(bytes.includes(s), `archive holds ${s.slice(0, 12)}…`).toBe(false);
    expect(bytes).not.toMatch(/PRIVATE KEY/);
    expect(bytes).not.toMatch(/"v[12]\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    const archive = JSON.parse(bytes) as {
      redactedColumns: Record<string, string[]>;
      tables: Record<string, { rows: Record<string, unknown>[] }>;
    };
    expect(archive.redactedColumns.sso_connections).toEqual(expect.arrayContaining(['oidc_client_secret', 'saml_sp_key']));
    expect(archive.redactedColumns.users).toEqual(expect.arrayContaining(['password_hash', 'mfa_secret', 'mfa_recovery_codes']));
    // What is public stays: the SP certificate, the IdP's certificates.
    const samlRow = archive.tables.sso_connections!.rows.find((r) => r.protocol === 'saml')!;
    expect(samlRow.saml_sp_cert).toEqual(expect.stringContaining('BEGIN CERTIFICATE'));

    // A backup keeps the sealed values: a restore must let people sign in as before.
    const backup = JSON.stringify(await systemExportInstitution(t.database.db, id, 'backup'));
    expect(backup).toContain(stored!.sp);
    expect(backup).toContain(clientSecret);
  });

  it('leaves no secret in the full export either, even one a change record carried', async () => {
    const tenant = await buildTenantWithUsers(t.app, t.database.db);
    const id = tenant.institution.id;
    const sealed = sealSecret(t.config.secretKeys, 'JBSWY3DPEHPK3PXP', `mfa:${tenant.appAdmin.user.id}`);
    // A change record holding a sealed value: the audit log copies what a module hands it.
    await withTenant(t.database.db, unsafeTenantScope(id), (tx) =>
      recordAudit(tx, systemActor('restore', 'job', id), {
        action: 'user.update',
        recordType: 'user',
        recordId: tenant.appAdmin.user.id,
        before: null,
        after: { mfaSecret: sealed, note: 'kept' },
      }),
    );
    // Text columns holding one: a sealed value and a private key as a user's names.
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----';
    await withSystem(t.database.db, (tx) =>
      tx.update(users).set({ firstName: key, lastName: sealed }).where(eq(users.id, tenant.appAdmin.user.id)),
    );
    const created = await tenant.siteAdmin.request('POST', '/api/v1/exports', { format: 'csv' });
    expect(created.statusCode).toBe(202);
    await t.jobs.runPending();
    const exportId = (created.json() as { id: string }).id;
    const file = await tenant.siteAdmin.request('GET', `/api/v1/exports/${exportId}/download`);
    expect(file.statusCode).toBe(200);
    const entries = await unzip(file.rawPayload);
    const audit = entries.get('audit-events.csv')!.toString('utf8');
    expect(audit).toContain('user.update');
    expect(audit).toContain('kept');
    expect(entries.get('users.csv')!.toString('utf8')).toContain(tenant.appAdmin.user.id);
    for (const [name, bytes] of entries) {
      expect(bytes.toString('utf8').includes(sealed), name).toBe(false);
      expect(bytes.toString('utf8').includes('PRIVATE KEY'), name).toBe(false);
    }
  });

  it('blanks a sealed value or private key wherever it sits, whatever its column is called', () => {
    const sealed = sealSecret(t.config.secretKeys, 'x', 'y');
    expect(withoutSecretValues({ a: 'plain', b: [sealed, 'ok'], c: { d: '-----BEGIN PRIVATE KEY-----\nabc' } })).toEqual({
      value: { a: 'plain', b: [null, 'ok'], c: { d: null } },
      redacted: true,
    });
    expect(withoutSecretValues({ note: 'v1 of the plan. See v2.', version: 'v1.2.3.4', other: 'v2.1.0.5.7' }).redacted).toBe(false);
  });
});
