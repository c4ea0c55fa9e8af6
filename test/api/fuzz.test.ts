/**
 * A property-based fuzz of every operation of the API, from its OpenAPI document (so a route added
 * later is fuzzed with no change here). For each operation, fast-check derives requests from the
 * documented parameters and body — valid ones, boundary ones and hostile ones (NUL characters, huge
 * strings, odd Unicode, wrong types, missing and unknown fields, unknown and other-institution ids,
 * far-off dates, odd bodies) — and sends them signed out, as a site admin and as a platform admin.
 * Every answer must be below 500 and match the schema the route documents for its status; a NUL
 * anywhere is a 400 naming its field; a request that only breaks no documented rule is not refused
 * for repeating a value (unique arrays say `uniqueItems`).
 *
 * Bounded for CI: a fixed seed and a few runs per operation and caller. Go deeper with
 * FUZZ_RUNS=50 (runs per operation and caller) and FUZZ_SEED=<n> (another sequence).
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import type { FastifySchema } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { queryRows, withSystem } from '../../src/server/platform/db.js';
import { buildUser, signIn, type Client } from '../support/factories.js';
import { buildPopulatedTenant } from '../support/populate.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
/** Operations that end the caller's own session or account: fuzzed signed out only. */
const ENDS_OWN_SESSION = new Set(['DELETE /api/v1/session', 'DELETE /api/v1/me']);
/** Routes that answer with redirects or XML and document no response (their answers are checked for 5xx only). */
const UNDOCUMENTED_RESPONSES = new Set([
  'GET /api/v1/sso/start/{institutionId}/{connectionId}',
  'GET /api/v1/public/staff-requests/sso/{institutionId}/{connectionId}',
  'GET /api/v1/sso/oidc/callback',
  'GET /api/v1/sso/saml/{institutionId}/{connectionId}/metadata',
  'GET /api/v1/sso/saml/{institutionId}/{connectionId}/logout',
  'POST /api/v1/sso/saml/{institutionId}/{connectionId}/acs',
]);

type Json = Record<string, unknown>;
type Schema = Json & {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
};
interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}
interface Operation {
  method: string;
  path: string;
  key: string;
  params: Param[];
  body: Schema | undefined;
}
interface Input {
  path: Json;
  query: Json;
  body: unknown;
  /** What was done to the valid input ('valid' when nothing). */
  mutation: string;
  /** The field a NUL was put in, if any. */
  nulIn?: string;
}
type Caller = { name: string; client: Client | null };

let t: TestApp;
let doc: { paths: Record<string, Record<string, Json>> };
let ids: { own: string[]; other: string[] };
let callers: Caller[];
const findings: string[] = [];
let sent = 0;
const resignIns: string[] = [];
const statuses = new Map<number, number>();

// ---------------------------------------------------------------- inputs from JSON Schema

const HOSTILE_STRINGS = [
  '',
  ' ',
  'x'.repeat(100_000),
  '\u202eevil\u202c',
  '😀'.repeat(300),
  '\ud800',
  'e\u0301\u0301\u0301',
  'İıß',
  '<script>alert(1)</script>',
  "' or 1=1 --",
  '../../etc/passwd',
  '%00',
  '\\u0000',
  '0020-01-01',
  '0367-06-01T00:00:00Z',
  '9999-12-31T23:59:59+14:00',
  '00000000-0000-0000-0000-000000000000',
];
const HOSTILE_VALUES: unknown[] = [null, true, -1, 0, 2 ** 53, 1e308, -0.5, [], {}, [null], { a: { b: [1] } }, 'true', '1'];
const FAR_DATES = ['0020-01-01', '0367-06-01', '1899-12-31', '10000-01-01', '9999-12-31', '2024-02-30'];
const FAR_INSTANTS = [
  '0020-01-01T00:00:00Z',
  '0367-06-01T00:00:00.000Z',
  '1000-01-01T00:00:00+00:00',
  '9999-12-31T23:59:59Z',
  '2026-13-01T00:00:00Z',
];

const types = (s: Schema) => [s.type ?? []].flat();

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const max = typeof s.maxLength === 'number' ? Math.min(s.maxLength, 60) : 60;
  const fit = (a: fc.Arbitrary<string>) =>
    a.filter((v) => v.length >= min && v.length <= (typeof s.maxLength === 'number' ? s.maxLength : Infinity));
  switch (s.format) {
    case 'uuid':
      return fc.oneof(fc.constantFrom(...ids.own), fc.constantFrom(...ids.other), fc.uuid());
    case 'email':
      return fit(
        fc
          .tuple(
            fc.string({ minLength: 1, maxLength: 16, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789') }),
            fc.constantFrom('example.org', 'school.example', 'mail.example.net'),
          )
          .map(([local, domain]) => `${local}@${domain}`),
      );
    case 'date':
      return fc
        .date({ min: new Date('1990-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({ min: new Date(Date.now() + 86_400_000), max: new Date(Date.now() + 700 * 86_400_000), noInvalidDate: true })
        .map((d) => d.toISOString());
    case 'uri':
      return fit(fc.webUrl({ validSchemes: ['https'] }));
  }
  if (typeof s.pattern === 'string') {
    try {
      return fit(fc.stringMatching(new RegExp(s.pattern)));
    } catch {
      // A pattern fast-check cannot generate from: plain strings, which the server may refuse.
    }
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max), unit: fc.constantFrom('a', 'b', 'Z', '1', ' ', '-', 'é', '_') });
}

function arbOf(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return fc.constant(null);
  const base = baseArb(s, depth);
  return s.nullable || types(s).includes('null')
    ? fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) })
    : base;
}

function baseArb(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbOf(a, depth + 1)));
  const type = types(s).find((x) => x !== 'null');
  switch (type) {
    case 'string':
      return stringArb(s);
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1000;
      const max = typeof s.maximum === 'number' ? s.maximum : 100_000;
      return type === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4));
      const item = arbOf(s.items, depth + 1);
      return s.uniqueItems
        ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(item, { minLength, maxLength });
    }
    case 'object': {
      const props = s.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbOf(v, depth + 1)])), {
        requiredKeys: (s.required ?? []).filter((k) => k in props),
      });
      if (s.additionalProperties && typeof s.additionalProperties === 'object' && !Object.keys(props).length)
        return fc.dictionary(stringArb({ maxLength: 20, minLength: 1 }), arbOf(s.additionalProperties, depth + 1), { maxKeys: 3 });
      return record;
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Every place of a value a leaf can be changed at: [path, value]. */
function leaves(value: unknown, at: string[] = []): [string[], unknown][] {
  if (value && typeof value === 'object') {
    const out: [string[], unknown][] = at.length ? [[at, value]] : [];
    for (const [k, v] of Object.entries(value)) out.push(...leaves(v, [...at, k]));
    return out;
  }
  return at.length ? [[at, value]] : [];
}
function setAt(root: unknown, at: string[], value: unknown, remove = false): unknown {
  if (!at.length) return value;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Json) }) as Json;
  const [head, ...rest] = at as [string, ...string[]];
  if (!rest.length) {
    if (remove) delete copy[head];
    else copy[head] = value;
  } else copy[head] = setAt(copy[head], rest, value, remove);
  return copy;
}

const MUTATIONS = ['valid', 'valid', 'nul', 'huge', 'unicode', 'type', 'missing', 'extra', 'id', 'date', 'body'] as const;

/** Valid, boundary and hostile requests for one operation. */
function inputArb(op: Operation, only?: (typeof MUTATIONS)[number]): fc.Arbitrary<Input> {
  const shape = (where: 'path' | 'query') =>
    fc.record(Object.fromEntries(op.params.filter((p) => p.in === where).map((p) => [p.name, arbOf(p.schema)])), {
      requiredKeys: op.params.filter((p) => p.in === where && (p.required || where === 'path')).map((p) => p.name),
    });
  const valid = fc.record({ path: shape('path'), query: shape('query'), body: op.body ? arbOf(op.body) : fc.constant(undefined) });
  return fc
    .tuple(
      valid,
      only ? fc.constant(only) : fc.constantFrom(...MUTATIONS),
      fc.nat(),
      fc.constantFrom(...HOSTILE_STRINGS),
      fc.constantFrom(...HOSTILE_VALUES),
    )
    .map(([v, mutation, pick, text, value]) => mutate(op, v as Omit<Input, 'mutation'>, mutation, pick, text, value));
}

function mutate(
  op: Operation,
  v: Omit<Input, 'mutation'>,
  mutation: (typeof MUTATIONS)[number],
  pick: number,
  text: string,
  value: unknown,
): Input {
  const all = { path: v.path, query: v.query, body: v.body } as Json;
  const places = leaves(all).filter(([at]) => at.length > 1 || at[0] === 'body');
  const strings = places.filter(([, x]) => typeof x === 'string');
  const choose = <T>(list: T[]) => list[pick % list.length];
  const done = (next: Json, label: string, nulIn?: string): Input => ({
    path: next.path as Json,
    query: next.query as Json,
    body: next.body,
    mutation: label,
    ...(nulIn !== undefined ? { nulIn } : {}),
  });
  switch (mutation) {
    case 'nul': {
      const target = choose(strings);
      if (!target) return done({ ...all, query: { ...v.query, q: 'a\u0000b' } }, 'nul in an undocumented query parameter', 'q');
      const [at, x] = target;
      return done(
        setAt(all, at, `${String(x).slice(0, 5)}\u0000${String(x).slice(5)}`) as Json,
        `nul in ${at.join('.')}`,
        at.slice(1).join('.'),
      );
    }
    case 'huge':
    case 'unicode': {
      const target = choose(strings);
      if (!target) return done(all, 'valid');
      const replacement = mutation === 'huge' ? 'é'.repeat(200_000) : text;
      return done(setAt(all, target[0], replacement) as Json, `${mutation} in ${target[0].join('.')}`);
    }
    case 'type':
    case 'missing': {
      const target = choose(places);
      if (!target) return done(all, 'valid');
      if (mutation === 'missing' && target[0][0] === 'path') return done(all, 'valid');
      return done(setAt(all, target[0], value, mutation === 'missing') as Json, `${mutation} ${target[0].join('.')}`);
    }
    case 'extra':
      return done(
        op.body && v.body && typeof v.body === 'object' && !Array.isArray(v.body)
          ? { ...all, body: { ...(v.body as Json), unexpectedField: text } }
          : { ...all, query: { ...v.query, unexpected: text } },
        'extra field',
      );
    case 'id': {
      const target = choose(places.filter(([, x]) => typeof x === 'string' && /^[0-9a-f-]{36}$/.test(x as string)));
      if (!target) return done(all, 'valid');
      const replacement = [ids.other[pick % ids.other.length], '00000000-0000-0000-0000-000000000000', 'not-a-uuid', `${ids.own[0]} `][
        pick % 4
      ];
      return done(setAt(all, target[0], replacement) as Json, `id ${target[0].join('.')}`);
    }
    case 'date': {
      // A date the input has, or one of the body's optional date fields it left out.
      const present = places
        .filter(([, x]) => typeof x === 'string' && /^\d{4}-\d\d-\d\d/.test(x as string))
        .map(([at, x]) => [at, (x as string).length > 10] as const);
      const absent = Object.entries(op.body?.properties ?? {})
        .filter(([k, p]) => (p.format === 'date' || p.format === 'date-time') && !(v.body && typeof v.body === 'object' && k in v.body))
        .map(([k, p]) => [['body', k], p.format === 'date-time'] as const);
      const target = choose([...present, ...absent]);
      if (!target) return done(all, 'valid');
      const replacement = target[1] ? FAR_INSTANTS[pick % FAR_INSTANTS.length] : FAR_DATES[pick % FAR_DATES.length];
      return done(setAt(all, [...target[0]], replacement) as Json, `date ${target[0].join('.')} = ${replacement}`);
    }
    case 'body': {
      if (!op.body) return done(all, 'valid');
      const odd = [[], 'a string', 42, null, nested(3000), { [text.slice(0, 50) || 'k']: value }][pick % 6];
      return done({ ...all, body: odd }, 'odd body');
    }
    default:
      return done(all, 'valid');
  }
}

function nested(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

// ---------------------------------------------------------------- requests and answers

function urlOf(op: Operation, input: Input): string {
  // A lone surrogate cannot be percent-encoded: it goes as U+FFFD, as a browser sends it.
  const wellFormed = (v: string) => v.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(wellFormed(String(input.path[name] ?? ''))));
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(input.query)) {
    if (v === undefined) continue;
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, typeof item === 'object' ? JSON.stringify(item) : String(item));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The route's own (zod) schemas, by the OpenAPI path of the operation. */
function routeSchema(op: Operation): FastifySchema | undefined {
  const url = op.path.replace(/\{(\w+)\}/g, ':$1');
  return t.app.routeList.find((r) => r.method === op.method && r.url === url)?.schema;
}

function check(op: Operation, caller: Caller, input: Input, res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  const where = `${op.key} as ${caller.name} (${input.mutation}) → ${res.statusCode}`;
  const fail = (why: string) => findings.push(`${where}: ${why} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 500) return fail('server error');
  const type = String(res.headers['content-type'] ?? '');
  let json: unknown;
  if (type.includes('json')) {
    try {
      json = JSON.parse(res.body);
    } catch {
      return fail('JSON answer that does not parse');
    }
  }
  // Refused before its fields are read (an attempt limit; a body with a `__proto__` key) is refused too.
  const refusedWhole = res.statusCode === 429 || (json as { error?: { code?: string } } | undefined)?.error?.code === 'bad_request';
  if (input.nulIn !== undefined && !refusedWhole) {
    const fields = (json as { error?: { fields?: Record<string, string>; fieldCodes?: Record<string, string> } } | undefined)?.error;
    if (res.statusCode !== 400 || !fields?.fieldCodes || !Object.values(fields.fieldCodes).includes('nul_character'))
      return fail(`NUL in ${input.nulIn || 'the body'} not refused with a field message`);
  }
  if (input.mutation === 'valid' && res.statusCode === 400) {
    const codes = Object.values((json as { error?: { fieldCodes?: Record<string, string> } }).error?.fieldCodes ?? {});
    if (codes.includes('repeated_value')) fail('refused a repeated value the document allows (uniqueItems missing)');
  }
  if (UNDOCUMENTED_RESPONSES.has(op.key)) return;
  const responses = (routeSchema(op)?.response ?? {}) as Record<string, unknown>;
  const documented = responses[String(res.statusCode)] ?? responses[`${String(res.statusCode)[0]}xx`];
  if (!documented) return fail('status not documented');
  if (res.statusCode === 204) {
    if (res.body !== '') fail('a 204 with a body');
    return;
  }
  if (documented && typeof documented === 'object' && 'content' in documented) {
    const content = (documented as { content: Record<string, unknown> }).content;
    if (!Object.keys(content).some((ct) => type.startsWith(ct.split(';')[0]!))) fail(`content type ${type} not documented`);
    return;
  }
  if (!type.includes('json')) return fail(`content type ${type} where JSON is documented`);
  const parsed = z.safeParse(documented as z.ZodType, json);
  if (!parsed.success) fail(`body does not match the documented schema: ${z.prettifyError(parsed.error).slice(0, 300)}`);
}

async function send(op: Operation, caller: Caller, input: Input) {
  const c = caller.client;
  const hasBody = input.body !== undefined && op.method !== 'GET';
  sent++;
  const res = await t.app.inject({
    method: op.method as 'GET',
    url: urlOf(op, input),
    ...(c ? { cookies: { [c.cookie.name]: c.cookie.value } } : {}),
    headers: {
      ...(c && op.method !== 'GET' ? { 'x-csrf-token': c.csrf } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    ...(hasBody ? { payload: JSON.stringify(input.body) } : {}),
  });
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  check(op, caller, input, res);
  // A call that ended the caller's session (signing out every session of a user, say): sign in again.
  if (c && res.statusCode === 401 && (await c.request('GET', '/api/v1/session')).statusCode === 401) {
    resignIns.push(`${op.key} as ${caller.name} (${input.mutation})`);
    caller.client = await signIn(t.app, c.user);
  }
}

// ---------------------------------------------------------------- the suite

beforeAll(async () => {
  t = await createTestApp();
  const own = await buildPopulatedTenant(t.app, t.database.db, 1);
  const other = await buildPopulatedTenant(t.app, t.database.db, 1);
  const platformAdmin = await signIn(t.app, await buildUser(t.database.db, { tenantId: null, role: 'platform_admin' }));
  callers = [
    { name: 'signed out', client: null },
    { name: 'site admin', client: own.siteAdmin },
    { name: 'platform admin', client: platformAdmin },
  ];
  // Ids of every table with a uuid id, by institution: the caller's own and another's. The callers'
  // own user ids stay out (changing one's own role or status is its own suite's subject).
  const callersIds = new Set([own.siteAdmin.user.id, platformAdmin.user.id]);
  const idsOf = async (tenantId: string) => {
    const tables = await withSystem(t.database.db, (tx) =>
      queryRows<{ table_name: string }>(
        tx,
        sql`select c.table_name from information_schema.columns c join information_schema.columns k on k.table_name = c.table_name and k.table_schema = c.table_schema and k.column_name = 'tenant_id'
            where c.table_schema = 'public' and c.column_name = 'id' and c.data_type = 'uuid' order by 1`,
      ),
    );
    const found = [tenantId];
    for (const { table_name } of tables) {
      const rows = await withSystem(t.database.db, (tx) =>
        queryRows<{ id: string }>(tx, sql`select id::text as id from ${sql.identifier(table_name)} where tenant_id = ${tenantId} limit 2`),
      );
      found.push(...rows.map((r) => r.id).filter((id) => !callersIds.has(id)));
    }
    return found;
  };
  ids = { own: await idsOf(own.institution.id), other: await idsOf(other.institution.id) };
  doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
});
afterAll(async () => t?.close());

function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const m = method.toUpperCase();
      const body = ((raw.requestBody as Json | undefined)?.content as Record<string, { schema: Schema }> | undefined)?.['application/json']
        ?.schema;
      ops.push({ method: m, path, key: `${m} ${path}`, params: (raw.parameters as Param[] | undefined) ?? [], body });
    }
  }
  return ops;
}

/** Whether a parameter or a body field of the operation is a date. */
function takesDates(op: Operation): boolean {
  return /"format":"date(-time)?"/.test(JSON.stringify([op.params, op.body]));
}

describe('the OpenAPI document', () => {
  it('documents every API route, each parameter with a schema object', () => {
    const documented = new Set(operations().map((o) => `${o.method} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`));
    const hidden = ['/api/openapi.json'];
    const missing = t.app.routeList.filter(
      (r) => r.url.startsWith('/api/v1/') && !hidden.includes(r.url) && !documented.has(`${r.method} ${r.url}`),
    );
    expect(missing).toEqual([]);
    const badParams = operations().flatMap((o) =>
      o.params.filter((p) => typeof p.schema !== 'object' || p.schema === null).map((p) => `${o.key} ${p.name}`),
    );
    expect(badParams).toEqual([]);
  });

  it('documents the file downloads as files, not JSON strings', () => {
    for (const path of ['/api/v1/exports/{id}/download', '/api/v1/reports/{id}/download', '/api/v1/assessments/{id}/pdf']) {
      const content = (doc.paths[path]!.get!.responses as Record<string, { content?: Record<string, { schema: Schema }> }>)['200']!
        .content!;
      for (const [type, { schema }] of Object.entries(content))
        expect({ path, type, format: schema.format }).toEqual({ path, type, format: 'binary' });
    }
    for (const path of ['/api/v1/institution/archive', '/api/v1/me/export', '/api/v1/deletion-certificates/{id}/download']) {
      const schema = (doc.paths[path]!.get!.responses as Record<string, { content: Record<string, { schema: Schema }> }>)['200']!.content[
        'application/json'
      ]!.schema;
      expect({ path, type: schema.type }).toEqual({ path, type: 'object' });
    }
  });
});

describe('fuzz of every operation', () => {
  it(`answers every request below 500, as documented (seed ${SEED}, ${RUNS} runs per operation and caller)`, async () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    for (const [i, caller] of callers.entries()) {
      for (const op of ops) {
        if (caller.client && ENDS_OWN_SESSION.has(op.key)) continue;
        // A sequence of its own for each operation and caller; the same one at every run.
        const seed = SEED + i * 7919 + [...op.key].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 0);
        const inputs = fc.sample(inputArb(op), { seed, numRuns: RUNS });
        // Signed in, a NUL in one of its fields every time, and far-off dates where it takes dates.
        if (caller.client && i === 1) inputs.push(...fc.sample(inputArb(op, 'nul'), { seed, numRuns: 1 }));
        if (caller.client && takesDates(op)) inputs.push(...fc.sample(inputArb(op, 'date'), { seed, numRuns: 4 }));
        for (const input of inputs) await send(op, caller, input);
      }
    }
    console.log(
      `fuzz: ${sent} requests (${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([code, n]) => `${n} × ${code}`)
        .join(', ')}); signed in again after ${resignIns.join(', ') || 'none'}`,
    );
    expect(findings).toEqual([]);
    expect(sent).toBeGreaterThan(operations().length * callers.length * RUNS * 0.9);
  }, 600_000);
});
