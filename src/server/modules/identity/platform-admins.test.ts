/** The operator's team as platform admins see it: who they are and who has two-step verification. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildUser, signIn } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('GET /api/v1/platform/admins', () => {
  it('lists every platform admin, and no one else, to platform admins only; a reset shows at once', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const first = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const second = await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' });
    const siteAdmin = await buildUser(t.database.db, { tenantId: institution.id, role: 'site_admin' });
    const appAdmin = await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' });
    const firstClient = await signIn(t.app, first);
    await signIn(t.app, second);

    const res = await firstClient.request('GET', '/api/v1/platform/admins');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: string; role: string; email: string; mfaEnabled: boolean }[];
    const ids = items.map((u) => u.id);
    expect(ids).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(ids).not.toContain(siteAdmin.id);
    expect(ids).not.toContain(appAdmin.id);
    expect(new Set(items.map((u) => u.role))).toEqual(new Set(['platform_admin']));
    // Platform admins always have two-step verification once signed in.
    expect(items.find((u) => u.id === second.id)).toMatchObject({ email: second.email, mfaEnabled: true });
    expect(JSON.stringify(items)).not.toMatch(/mfa_?secret|password|recovery/i);

    for (const user of [siteAdmin, appAdmin]) {
      const client = await signIn(t.app, user);
      expect((await client.request('GET', '/api/v1/platform/admins')).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/platform/admins' })).statusCode).toBe(401);

    expect((await firstClient.request('DELETE', `/api/v1/users/${second.id}/mfa`)).statusCode).toBe(204);
    const after = (await firstClient.request('GET', '/api/v1/platform/admins')).json().items as { id: string; mfaEnabled: boolean }[];
    expect(after.find((u) => u.id === second.id)?.mfaEnabled).toBe(false);
    expect(after.find((u) => u.id === first.id)?.mfaEnabled).toBe(true);
  });
});
