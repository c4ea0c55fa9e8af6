import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { catalogApps, institutions, schools, ssoDomains, users } from '../../src/server/db/schema/index.js';
import { withSystem, type Db } from '../../src/server/platform/db.js';
import { hashPassword } from '../../src/server/platform/passwords.js';

export const PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type InstitutionRow = typeof institutions.$inferSelect;
export type SchoolRow = typeof schools.$inferSelect;
export type UserRow = typeof users.$inferSelect;

/** An institution (K–12) with two schools. */
export async function buildInstitution(db: Db, overrides: Partial<typeof institutions.$inferInsert> = {}) {
  const id = randomUUID();
  return withSystem(db, async (tx) => {
    const [institution] = await tx
      .insert(institutions)
      .values({
        id,
        name: `Test District ${unique()}`,
        kind: 'district',
        country: 'CA',
        subdivision: 'BC',
        region: 'ca',
        gradeLevels: ['K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
        ...overrides,
      })
      .returning();
    const schoolRows = await tx
      .insert(schools)
      .values([
        { tenantId: id, id: randomUUID(), name: 'North Elementary', gradeFrom: 'K', gradeTo: '7', position: 0 },
        { tenantId: id, id: randomUUID(), name: 'Central Secondary', gradeFrom: '8', gradeTo: '12', position: 1 },
      ])
      .returning();
    return { institution: institution!, schools: schoolRows };
  });
}

/** An email domain of single sign-on, verified for `tenantId` (as a platform admin's approval would). */
export async function buildVerifiedDomain(db: Db, tenantId: string, domain: string) {
  return withSystem(db, async (tx) => {
    const [row] = await tx
      .insert(ssoDomains)
      .values({
        tenantId,
        id: randomUUID(),
        domain,
        status: 'verified',
        verificationToken: randomUUID().replaceAll('-', ''),
        verifiedAt: new Date(),
        verificationMethod: 'operator',
        approvedByLabel: 'test',
      })
      .returning();
    return row!;
  });
}

/** A user of `tenantId` (or a platform admin when role is platform_admin) with the test password. */
export async function buildUser(
  db: Db,
  opts: { tenantId: string | null; role: 'platform_admin' | 'site_admin' | 'app_admin'; canApprove?: boolean; email?: string },
): Promise<UserRow> {
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  return withSystem(db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        id: randomUUID(),
        tenantId: opts.role === 'platform_admin' ? null : opts.tenantId,
        email: opts.email ?? `user-${unique()}@example.org`,
        firstName: 'Test',
        lastName: opts.role.replace('_', ' '),
        role: opts.role,
        canApprove: opts.canApprove ?? false,
        passwordHash: hash,
      })
      .returning();
    return user!;
  });
}

/** A catalog app. */
export async function buildCatalogApp(db: Db, overrides: Partial<typeof catalogApps.$inferInsert> = {}) {
  const slug = `app-${unique()}`;
  return withSystem(db, async (tx) => {
    const [row] = await tx
      .insert(catalogApps)
      .values({
        id: randomUUID(),
        slug,
        name: `App ${slug}`,
        vendor: 'Vendor Inc.',
        dataElements: ['name', 'email'],
        storageCountries: ['CA'],
        ...overrides,
      })
      .returning();
    return row!;
  });
}

/** A signed-in HTTP client: the session cookie and CSRF token ride along on every call. */
export interface Client {
  user: UserRow;
  csrf: string;
  /** The session cookie. */
  cookie: { name: string; value: string };
  /** The TOTP secret when two-step verification was set up while signing in. */
  mfaSecret?: string | undefined;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

const recoveryCodes = new Map<string, string[]>();

/** The current code of a TOTP secret (base32), as an authenticator app shows it. */
export function totpCode(secret: string, timestamp = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });
}

/**
 * Signs in through the real login route. When two-step verification applies it completes it too:
 * enrolment (platform admins on first sign-in; the secret is returned as `mfaSecret`) or a code
 * from `opts.mfaSecret`.
 */
export async function signIn(app: FastifyInstance, user: UserRow, password = PASSWORD, opts: { mfaSecret?: string } = {}): Promise<Client> {
  let res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: user.email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  let mfaSecret = opts.mfaSecret;
  const step = (res.json() as { mfa?: 'verify' | 'enrol' }).mfa;
  if (step) {
    const challenge = res.cookies.find((c) => c.name === 'vetted_mfa')!;
    const cookies = { [challenge.name]: challenge.value };
    if (step === 'enrol') {
      const enrol = await app.inject({ method: 'POST', url: '/api/v1/session/mfa/enrolment', cookies });
      mfaSecret = (enrol.json() as { secret: string }).secret;
      res = await app.inject({
        method: 'POST',
        url: '/api/v1/session/mfa/enrolment/confirm',
        cookies,
        payload: { code: totpCode(mfaSecret) },
      });
      if (res.statusCode === 200) recoveryCodes.set(user.id, (res.json() as { recoveryCodes: string[] }).recoveryCodes);
    } else {
      // A TOTP code is accepted once; later sign-ins of the same test user spend its recovery codes.
      const spare = recoveryCodes.get(user.id)?.shift();
      if (!mfaSecret && !spare) throw new Error('sign-in needs a two-step code: pass opts.mfaSecret');
      res = await app.inject({
        method: 'POST',
        url: '/api/v1/session/mfa',
        cookies,
        payload: { code: mfaSecret ? totpCode(mfaSecret) : spare },
      });
    }
    if (res.statusCode !== 200) throw new Error(`two-step sign-in failed: ${res.statusCode} ${res.body}`);
  }
  const cookie = res.cookies.find((c) => c.name.endsWith('vetted_session'))!;
  const json = res.json() as { csrfToken?: string; session?: { csrfToken: string } };
  const csrf = json.csrfToken ?? json.session!.csrfToken;
  return {
    user,
    csrf,
    cookie: { name: cookie.name, value: cookie.value },
    mfaSecret,
    request: (method, url, body) =>
      app.inject({
        method,
        url,
        cookies: { [cookie.name]: cookie.value },
        headers: {
          ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }),
          // A file (an attachment) is sent as it is.
          ...(Buffer.isBuffer(body) ? { 'content-type': 'application/octet-stream' } : {}),
        },
        ...(body === undefined ? {} : { payload: body as Buffer }),
      }),
  };
}

/** An institution with a site admin, an app admin, and an approver app admin, all signed in. */
export async function buildTenantWithUsers(app: FastifyInstance, db: Db, overrides: Partial<typeof institutions.$inferInsert> = {}) {
  const { institution, schools: schoolRows } = await buildInstitution(db, overrides);
  const [siteAdmin, appAdmin, approver] = await Promise.all([
    buildUser(db, { tenantId: institution.id, role: 'site_admin' }),
    buildUser(db, { tenantId: institution.id, role: 'app_admin' }),
    buildUser(db, { tenantId: institution.id, role: 'app_admin', canApprove: true }),
  ]);
  return {
    institution,
    schools: schoolRows,
    siteAdmin: await signIn(app, siteAdmin),
    appAdmin: await signIn(app, appAdmin),
    approver: await signIn(app, approver),
  };
}
