import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInstitution, buildUser, PASSWORD, signIn } from '../../../../test/support/factories.js';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.js';
import { commonPasswords } from './common-passwords.js';
import { contextWords, isBreachedPassword, passwordProblem } from './password-policy.js';

const BREACHED = 'lantern violet kayak orbit 7';
const SAFE = 'harbour quill meadow tundra 5';

/** A "Pwned Passwords" range service on loopback: answers `SUFFIX:COUNT` lines for a 5-character prefix, padded with zero-count decoys. */
function startRangeServer(breached: string[]) {
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
    requested.push(req.url ?? '');
    if (!prefix) {
      res.statusCode = 400;
      res.end();
      return;
    }
    const lines = ['0018A45C4D1DEF81644B54AB7F969B88D65:0', '00D4F6E8FA6EECAD2A3AA415EEC418D38EC:0'];
    for (const p of breached) {
      const sha1 = createHash('sha1').update(p).digest('hex').toUpperCase();
      if (sha1.startsWith(prefix)) lines.push(`${sha1.slice(5)}:${req.headers['add-padding'] ? 3861493 : 0}`);
    }
    res.setHeader('content-type', 'text/plain');
    res.end(lines.join('\r\n'));
  });
  return new Promise<{ url: string; requested: string[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/range/`,
        requested,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

describe('common passwords', () => {
  it('bundles tens of thousands of common passwords, built into one set', () => {
    expect(commonPasswords().size).toBeGreaterThan(40_000);
    expect(commonPasswords()).toBe(commonPasswords());
    // Entries well past the top thousand of the old list.
    for (const p of ['trustno1', 'dimazarya', 'xpcrew', 'letmein']) expect(commonPasswords().has(p), p).toBe(true);
  });

  it('refuses entries of the list in their folded forms, and accepts phrases', () => {
    for (const p of ['Dimazarya2024!', 'xpcrew123456', 'Sunsh1ne2024!!', 'qwertyuiop12', 'P@ssw0rd2024!'])
      expect(passwordProblem(p), p).toMatch(/common/);
    expect(passwordProblem('violet kayak orbit lantern')).toBeNull();
  });
});

describe('context-specific words', () => {
  const who = { email: 'm.okafor@cedarvalley.example', firstName: 'Mira', lastName: 'Okafor', institutionName: 'Cedar Valley School District' };

  it('lists the product, the person and the distinctive words of the institution’s name', () => {
    const words = contextWords(who);
    expect(words).toEqual(expect.arrayContaining(['vetted', 'm.okafor', 'mokafor', 'okafor', 'cedarvalleyschooldistrict', 'cedar', 'valley']));
    expect(words).not.toContain('school');
    expect(words).not.toContain('district');
  });

  it('refuses a password containing any of them, whatever the case, accents or separators', () => {
    for (const p of ['my Vetted account 2026', 'cedar-valley forever!', 'the VALLEY of kings 9', 'M.Okafor-secret-phrase', 'okafor kayak orbit'])
      expect(passwordProblem(p, who), p).toMatch(/institution|name/);
    expect(passwordProblem('École Saint-Jean rocks', { institutionName: 'École Saint-Jean' })).toMatch(/institution/);
    expect(passwordProblem('violet kayak orbit lantern', who)).toBeNull();
  });
});

describe('breached passwords (a range API on loopback)', () => {
  let range: Awaited<ReturnType<typeof startRangeServer>>;
  let t: TestApp;
  const logs: string[] = [];

  beforeAll(async () => {
    range = await startRangeServer([BREACHED]);
    t = await createTestApp(
      { BREACHED_PASSWORDS_URL: range.url },
      { logLevel: 'warn', logStream: { write: (line) => void logs.push(line) } },
    );
  });
  afterAll(async () => {
    await t?.close();
    await range?.close();
  });

  it('sends only the first five characters of the SHA-1 and finds the suffix in the answer', async () => {
    const before = range.requested.length;
    expect(await isBreachedPassword(range.url, BREACHED)).toBe(true);
    expect(await isBreachedPassword(range.url, SAFE)).toBe(false);
    const sent = range.requested.slice(before);
    expect(sent).toHaveLength(2);
    for (const url of sent) expect(url).toMatch(/^\/range\/[0-9A-F]{5}$/);
    const sha1 = createHash('sha1').update(BREACHED).digest('hex').toUpperCase();
    expect(sent[0]).toBe(`/range/${sha1.slice(0, 5)}`);
  });

  it('refuses a breached new password with a field message, and accepts another', async () => {
    const { institution } = await buildInstitution(t.database.db);
    const client = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' }));
    const refused = await client.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: BREACHED });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.newPassword).toMatch(/breaches/);
    const ok = await client.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: SAFE });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses the institution’s name in a new password', async () => {
    const { institution } = await buildInstitution(t.database.db, { name: 'Maplewood Heights School Board' });
    const client = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' }));
    const res = await client.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: 'maplewood kayak orbit 12' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.newPassword).toMatch(/institution/);
  });

  it('fails open, with a log line, when the service does not answer', async () => {
    await range.close();
    const { institution } = await buildInstitution(t.database.db);
    const client = await signIn(t.app, await buildUser(t.database.db, { tenantId: institution.id, role: 'app_admin' }));
    const res = await client.request('POST', '/api/v1/account/password', { currentPassword: PASSWORD, newPassword: BREACHED });
    expect(res.statusCode).toBe(200);
    expect(logs.join('\n')).toMatch(/breached-password service did not answer/);
    expect(logs.join('\n')).not.toContain(BREACHED);
    // Restarted for afterAll's close.
    range = await startRangeServer([]);
  });
});
