import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, FieldParams } from '../../contracts/api.js';
import { FIELD_MESSAGES } from '../../contracts/field-messages.js';
import { problemOfIssue } from '../../contracts/field-problems.js';
import type { Actor } from './authz.js';
import { AppError, invalidFields, isConnectionLost, pgCode, type ErrorCode, type FieldProblem } from './errors.js';

/** What the authentication hook attaches to a request. */
export interface RequestAuth {
  actor: Actor;
  session: { id: string; csrfToken: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth | null;
  }
}

/**
 * A route's 200 answer written with JSON.stringify instead of being parsed again against its schema
 * on the way out (the default for every route): on a hot read path (the inventory list, a report
 * with thousands of rows, the dashboard) that second pass over the answer costs more than building
 * it. Only for answers built field by field by typed presenters, so no key outside the schema can
 * be present; the schema still documents the answer and `test/api/response-schemas.test.ts` checks
 * that these answers match it exactly.
 */
export const plainJson = () => (data: unknown) => (data instanceof JsonText ? data.text : JSON.stringify(data));

/**
 * An answer already written as JSON text (put together from JSON the database wrote), which a route
 * with `plainJson` sends as it is. Only for text built from the database's own JSON and values
 * written with JSON.stringify; `test/api/response-schemas.test.ts` checks such answers against their
 * schema.
 */
export class JsonText<T> {
  /** The answer's type, for the route that sends it (nothing is stored here). */
  declare readonly of?: T;
  constructor(readonly text: string) {}
}

/** A JsonText as the answer its route's schema names: `plainJson` writes out its text. */
export function answerOf<T>(json: JsonText<T>): T {
  return json as unknown as T;
}

/** The actor of an authenticated request, or 401. */
export function requireActor(req: FastifyRequest): Actor {
  if (!req.auth) throw new AppError('unauthorized', 'Please sign in');
  return req.auth.actor;
}

interface FieldDetails {
  fields?: Record<string, string> | undefined;
  fieldCodes?: Record<string, string> | undefined;
  fieldParams?: Record<string, FieldParams> | undefined;
}

function body(code: ErrorCode | string, message: string, requestId: string, details: FieldDetails = {}): ErrorBody {
  const { fields, fieldCodes, fieldParams } = details;
  return {
    error: {
      code,
      message,
      ...(fields ? { fields } : {}),
      ...(fieldCodes ? { fieldCodes } : {}),
      ...(fieldParams ? { fieldParams } : {}),
      requestId,
    },
  };
}

type Issue = { instancePath: string; message?: string; keyword: string; params?: Record<string, unknown> };

/** Turns zod issues (as fastify-type-provider-zod reports them) into `{ "a.b": "message" }`, with a code for each. */
function fieldsOf(validation: Issue[], prefix: string): FieldDetails {
  const problems: Record<string, FieldProblem> = {};
  for (const v of validation) {
    const base = v.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
    const keys = v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys) ? (v.params.keys as string[]) : null;
    if (keys) {
      for (const k of keys) problems[[base, k].filter(Boolean).join('.')] = { code: 'unknown_field', message: 'is not a known field' };
    } else {
      problems[base || prefix] ??= problemOfIssue({ ...v.params, code: v.keyword, message: v.message });
    }
  }
  const { fields, fieldCodes, fieldParams } = invalidFields(problems);
  return { fields, fieldCodes, fieldParams };
}

/**
 * One place maps every failure to an HTTP answer. Clients get a code, a message they can act on,
 * field-level details for bad input, and the request id — never a stack trace or SQL text.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const requestId = String(req.id);
    if (err instanceof AppError) {
      if (err.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return reply.status(err.status).send(body(err.code, err.message, requestId, err));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      return reply.status(400).send(body('validation', 'Some fields are not valid', requestId, fieldsOf(err.validation as never, where)));
    }
    if (isResponseSerializationError(err as never)) {
      req.log.error({ err }, 'response did not match its schema');
      return reply.status(500).send(body('internal', 'Something went wrong on our side. Please try again.', requestId));
    }
    const status = err.statusCode ?? 500;
    // The limiter told how long its window still runs; a minute when it did not.
    if (status === 429)
      return reply
        .status(429)
        .header('retry-after', reply.getHeader('retry-after') ?? '60')
        .send(body('rate_limited', 'Too many attempts. Wait a minute and try again.', requestId));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.status(415).send(body('unsupported_media_type', 'Send JSON (Content-Type: application/json)', requestId));
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.status(413).send(body('payload_too_large', 'The request is too large', requestId));
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return reply.status(400).send(body('bad_request', 'The request body is empty', requestId));
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.status(400).send(body('bad_request', 'The request body is not valid JSON', requestId));
    }
    if (isConnectionLost(err)) {
      // The server rolled back the transaction it was in: the client may send the same request again.
      req.log.warn({ db: { code: pgCode(err) } }, 'request failed on a lost database connection');
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(body('unavailable', 'The service lost its database connection for a moment. Please try again.', requestId));
    }
    const pg = pgCode(err);
    // A session taken from the cache found changed, where the request could not be answered afresh (ADR 0027).
    if (pg === 'VT401') return reply.status(401).send(body('unauthorized', 'Please sign in', requestId));
    if (pg === '23505') return reply.status(409).send(body('duplicate', 'This already exists', requestId));
    if (pg === '23503' || pg === '23514' || pg === '22P02' || pg === '22003' || pg === '22007' || pg === '22008') {
      req.log.warn({ pg }, 'constraint rejected a write');
      return reply.status(400).send(body('validation', 'Some values are not valid', requestId));
    }
    if (status >= 400 && status < 500) return reply.status(status).send(body('bad_request', err.message, requestId));
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('internal', 'Something went wrong on our side. Please try again.', requestId));
  });
}

/**
 * Errors the router meets before any route (a malformed percent-encoding, a path parameter longer
 * than the router takes) answer like every other error: a path parameter that long names nothing
 * (404), a malformed address is a bad request (400).
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const requestId = String(req.id);
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') void reply.status(404).send(body('not_found', 'Not found', requestId));
  else void reply.status(400).send(body('bad_request', 'The address is not valid', requestId));
}

/** The path ("a.b.2") of the first string, or object key, holding a NUL character; null if none. */
export function nulPath(value: unknown): string | null {
  // Iterative: a deeply nested body must not exhaust the stack.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return at;
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const path = at ? `${at}.${k}` : k;
        if (k.includes('\u0000')) return path;
        stack.push([child, path]);
      }
    }
  }
  return null;
}

/**
 * Security: no text with a NUL character reaches a service (PostgreSQL refuses it in text and JSON,
 * and it cuts strings short elsewhere). Every route's body, query and path parameters are checked
 * here, before their schema: a 400 naming the field.
 */
export function registerInputChecks(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const at = nulPath(value);
      if (at !== null) throw invalidFields({ [at || part]: { code: 'nul_character', message: FIELD_MESSAGES.nul_character } });
    }
  });
}

/** 404 for unknown routes; with `spa`, unknown GETs outside the API get the web client's page instead. */
export function registerNotFound(app: FastifyInstance, spa: boolean): void {
  app.setNotFoundHandler((req, reply) => {
    // A missing script or style gets a 404, not the page: a browser would run HTML as a script.
    if (spa && req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/assets/'))
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    return reply.status(404).send(body('not_found', 'Not found', String(req.id)));
  });
}
