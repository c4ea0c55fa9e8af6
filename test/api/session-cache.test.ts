/**
 * A read may use the session its process read a moment ago (ADR 0027), and the check its work's first
 * message carries must still honour every change made anywhere else: a sign-out, a revocation, a
 * disabled user, a new role. Changes are made here from a connection of their own, as another process
 * would make them. On PostgreSQL; the embedded database reads the session on every request.
 */
import fastifyCookie from '@fastify/cookie';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionService } from '../../src/server/modules/identity/session.service.js';
import { registerAuthHook } from '../../src/server/modules/identity/auth.hook.js';
import { sessionGuard, versionsOf } from '../../src/server/modules/identity/session-read.js';
import { registerErrorHandling } from '../../src/server/platform/http.js';
import {
  deferSessionCheck,
  openDatabase,
  openTransaction,
  preparedRowsAll,
  queryRows,
  runRequest,
  sessionChangedInThisRequest,
  unsafeTenantScope,
  withTenant,
} from '../../src/server/platform/db.js';
import { hashToken } from '../../src/server/platform/tokens.js';
import { buildTenantWithUsers, buildUser, signIn, type Client } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let tenant: Awaited<ReturnType<typeof buildTenantWithUsers>>;
let outside: pg.Client;
const sent: string[] = [];
let counting = false;
const originalQuery = pg.Client.prototype.query;

beforeAll(async () => {
  t = await createTestApp();
  tenant = await buildTenantWithUsers(t.app, t.database.db);
  if (t.database.kind !== 'postgres') return;
  outside = new pg.Client({ connectionString: t.database.url });
  await outside.connect();
  // Every message the service's clients send while counting, by the text of its statement.
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    if (counting && this !== outside) {
      const q = args[0] as string | { text?: string };
      sent.push(typeof q === 'string' ? q : (q?.text ?? ''));
    }
    return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  };
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await outside?.end();
  await t?.close();
});

const postgres = () => t.database.kind === 'postgres';
const list = (c: Client) => c.request('GET', '/api/v1/inventory?page=1&pageSize=25');
const sessionId = (c: Client) => hashToken(t.config.sessionSecret, c.cookie.value);

/** A site admin of the institution, newly signed in, whose session this process has read once (and kept). */
async function readOnce(): Promise<{ client: Client; userId: string }> {
  const user = await buildUser(t.database.db, { tenantId: tenant.institution.id, role: 'site_admin' });
  const client = await signIn(t.app, user);
  expect((await list(client)).statusCode).toBe(200);
  return { client, userId: user.id };
}

/** The messages a request sends, and its answer. */
async function messagesOf(run: () => Promise<{ statusCode: number }>): Promise<{ status: number; sent: string[] }> {
  sent.length = 0;
  counting = true;
  try {
    const res = await run();
    return { status: res.statusCode, sent: [...sent] };
  } finally {
    counting = false;
  }
}

/** The row versions of `client`'s session and user, as a session read returns them. */
async function versionsFor(client: Client) {
  const { rows } = await outside.query(
    `select s.xmin::text as v_session, u.xmin::text as v_user from sessions s join users u on u.id = s.user_id where s.id = $1`,
    [sessionId(client)],
  );
  expect(rows).toHaveLength(1);
  return versionsOf(rows[0]);
}
const SESSION_READ = /from sessions s join users u/;

describe('a read with a session taken from the cache (PostgreSQL)', () => {
  it('sends one message: the check, the page and the commit, without reading the session', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    const run = await messagesOf(() => list(client));
    expect(run.status).toBe(200);
    expect(run.sent, run.sent.join('\n')).toHaveLength(1);
    expect(run.sent[0]).not.toMatch(SESSION_READ);
  });

  it('is refused (401) once the session is signed out elsewhere: the session is read afresh and not found', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    await outside.query('delete from sessions where id = $1', [sessionId(client)]);
    const run = await messagesOf(() => list(client));
    expect(run.status).toBe(401);
    // The check failed in the page's message (nothing of it ran), then the session was read afresh.
    expect(run.sent[0]).toMatch(/from "inventory_items"/);
    expect(run.sent.slice(1, 3)).toEqual(['rollback', expect.stringMatching(SESSION_READ)]);
    // And stays refused.
    expect((await list(client)).statusCode).toBe(401);
  });

  it('is refused (401) once its user is disabled elsewhere', async () => {
    if (!postgres()) return;
    const { client, userId } = await readOnce();
    await outside.query(`update users set status = 'disabled' where id = $1`, [userId]);
    expect((await list(client)).statusCode).toBe(401);
  });

  it('is answered under the new role once the role changed elsewhere', async () => {
    if (!postgres()) return;
    const { client, userId } = await readOnce();
    expect((await client.request('GET', '/api/v1/users')).statusCode).toBe(200);
    await outside.query(`update users set role = 'app_admin' where id = $1`, [userId]);
    // Only site admins read the institution's users: the app admin is refused, though the cache held a site admin.
    expect((await client.request('GET', '/api/v1/users')).statusCode).toBe(403);
  });

  it('is answered (200) when the session row changed but still holds (refreshed by another process): read afresh, answered again', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    // A new row version, as another process refreshing its last-seen time would write.
    await outside.query('update sessions set last_seen_at = last_seen_at where id = $1', [sessionId(client)]);
    const run = await messagesOf(() => list(client));
    expect(run.status).toBe(200);
    expect(run.sent, run.sent.join('\n')).toHaveLength(4);
    expect(run.sent[0]).toMatch(/from "inventory_items"/);
    expect(run.sent.slice(1, 3)).toEqual(['rollback', expect.stringMatching(SESSION_READ)]);
    expect(run.sent[3]).toMatch(/from "inventory_items"/);
    // Then kept again: the next read sends one message.
    expect((await messagesOf(() => list(client))).sent).toHaveLength(1);
  });

  it('is never used by a request that writes: it reads the session, and its CSRF token, afresh', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    const run = await messagesOf(() => client.request('POST', '/api/v1/inventory', { custom: { name: 'Written after a cached read' } }));
    expect(run.status).toBe(201);
    expect(run.sent[0]).toMatch(SESSION_READ);
  });
});

describe('the check in each transaction of the request until it passed (PostgreSQL)', () => {
  /** Runs `fn` in a request scope whose check of `client`'s session, at these versions, was deferred. */
  function withDeferredCheck<T>(client: Client, versions: ReturnType<typeof versionsOf>, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      runRequest(() => {
        void (async () => {
          expect(await deferSessionCheck(t.database.db, sessionGuard(sessionId(client), versions), tenant.institution.id)).toBe(true);
          return fn();
        })().then(resolve, reject);
      }),
    );
  }
  const scope = () => unsafeTenantScope(tenant.institution.id);
  const count = (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) =>
    queryRows<{ n: number }>(tx, sql`select count(*)::int as n from inventory_items`);

  it('runs units of work side by side, each checking the session first, and refuses both when it changed', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    const versions = await versionsFor(client);
    const units = () => [withTenant(t.database.db, scope(), count), withTenant(t.database.db, scope(), count)];
    const both = () => Promise.all(units());
    sent.length = 0;
    counting = true;
    try {
      await withDeferredCheck(client, versions, both);
    } finally {
      counting = false;
    }
    // The held transaction's first message carried the check; the other unit's own BEGIN did too.
    expect(
      sent.filter((m) => /^begin;.*vetted_session_guard/s.test(m)),
      sent.join('\n'),
    ).toHaveLength(1);

    await outside.query('delete from sessions where id = $1', [sessionId(client)]);
    const outcome = await withDeferredCheck(client, versions, async () => {
      const results = await Promise.allSettled(units());
      return { results, changed: sessionChangedInThisRequest() };
    });
    expect(outcome.changed).toBe(true);
    for (const r of outcome.results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as { code?: string; cause?: { code?: string } };
      expect(reason.cause?.code ?? reason.code).toBe('VT401');
    }
  });

  it('is not sent again once it passed', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    sent.length = 0;
    counting = true;
    try {
      await withDeferredCheck(client, await versionsFor(client), async () => {
        await withTenant(t.database.db, scope(), count);
        await withTenant(t.database.db, scope(), count);
      });
    } finally {
      counting = false;
    }
    expect(sent.join('\n')).not.toMatch(/^begin;.*vetted_session_guard/ms);
  });
});

describe('statements prepared together when the check fails (PostgreSQL)', () => {
  it('leaves the connection knowing which it prepared: the same statements run on it next', async () => {
    if (!postgres()) return;
    const { client } = await readOnce();
    const id = sessionId(client);
    const versions = await versionsFor(client);
    // A pool of one connection, new: the statements are parsed in the same message as the check.
    const one = await openDatabase({ databaseUrl: t.database.url!, poolSize: 1 });
    const scope = unsafeTenantScope(tenant.institution.id);
    const statements = [
      sql`select count(*)::int as n from inventory_items where name like ${'App%'}`,
      sql`select count(*)::int as n from schools`,
    ];
    const both = () => withTenant(one.db, scope, (tx) => preparedRowsAll(tx, statements), { readOnly: true });
    const inRequest = <T>(fn: () => Promise<T>, check: boolean) =>
      new Promise<T>((resolve, reject) =>
        runRequest(() => {
          void (async () => {
            if (check) expect(await deferSessionCheck(one.db, sessionGuard(id, versions), tenant.institution.id)).toBe(true);
            // Else as a session read opens it: the request's transaction held for its unit of work.
            else
              await openTransaction(one.db, `select set_config('app.tenant_id', '${tenant.institution.id}', true) as t`, (row) =>
                String(row.t),
              );
            return fn();
          })().then(resolve, reject);
        }),
      );
    try {
      await outside.query('update sessions set last_seen_at = last_seen_at where id = $1', [id]);
      await expect(inRequest(both, true)).rejects.toMatchObject({ code: 'VT401' });
      // Neither parsed again (already exists) nor missing (does not exist): answered on the same connection.
      const [first, second] = await inRequest(both, false);
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(1);
    } finally {
      await one.close();
    }
  });
});

describe('a read whose work never reaches the database (PostgreSQL)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    if (!postgres()) return;
    app = Fastify();
    await app.register(fastifyCookie);
    registerErrorHandling(app);
    registerAuthHook(app, t.config, createSessionService({ db: t.database.db, config: t.config }));
    app.get('/api/v1/whoami', async (req) => ({ userId: req.auth?.actor.userId ?? null }));
    // Answered by sending at once, so that no second run is possible.
    app.get('/api/v1/whoami-sent', (req, reply) => reply.send({ userId: req.auth?.actor.userId ?? null }));
    await app.ready();
  });
  afterAll(async () => app?.close());

  it('has its session checked before it is answered', async () => {
    if (!postgres()) return;
    const { client, userId } = await readOnce();
    const ask = () => app.inject({ method: 'GET', url: '/api/v1/whoami', cookies: { [client.cookie.name]: client.cookie.value } });
    expect((await ask()).json()).toEqual({ userId }); // read, and kept
    const cached = await messagesOf(ask);
    expect(cached.status).toBe(200);
    // Its only message: the transaction, the settings, the check and the commit.
    expect(cached.sent).toHaveLength(1);
    expect(cached.sent[0]).toMatch(/^begin;.*vetted_session_guard.*; commit$/s);

    await outside.query('delete from sessions where id = $1', [sessionId(client)]);
    const res = await ask();
    expect(res.json()).toEqual({ userId: null });
  });

  it('is refused (401), not answered, when it sent its answer at once and the session was found changed', async () => {
    if (!postgres()) return;
    const { client, userId } = await readOnce();
    const ask = () => app.inject({ method: 'GET', url: '/api/v1/whoami-sent', cookies: { [client.cookie.name]: client.cookie.value } });
    expect((await ask()).json()).toEqual({ userId });
    expect((await ask()).json()).toEqual({ userId }); // from the cache
    await outside.query('delete from sessions where id = $1', [sessionId(client)]);
    const res = await ask();
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain(userId);
  });
});

describe('with SESSION_CACHE=false', () => {
  it('reads the session on every request', async () => {
    if (!postgres()) return;
    const off = await createTestApp({ SESSION_CACHE: 'false' });
    try {
      const other = await buildTenantWithUsers(off.app, off.database.db);
      await list(other.siteAdmin);
      const run = await messagesOf(() => list(other.siteAdmin));
      expect(run.status).toBe(200);
      expect(run.sent[0]).toMatch(SESSION_READ);
    } finally {
      await off.close();
    }
  });
});
