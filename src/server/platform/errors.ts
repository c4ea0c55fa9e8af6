import type { FieldErrorCode, FieldParams } from '../../contracts/api.js';

/** Error codes the API answers with, each with its HTTP status. Mapped in one place (http.ts). */
export const ERROR_STATUS = {
  bad_request: 400,
  validation: 400,
  invalid_transition: 409,
  unauthorized: 401,
  forbidden: 403,
  /** A sensitive change needs the person to prove who they are again (the web asks for the password). */
  reauthentication_required: 403,
  not_found: 404,
  conflict: 409,
  duplicate: 409,
  stale: 409,
  read_only: 409,
  /** The institution is past its end of service (grace period before the purge). */
  institution_read_only: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** The database connection was lost (a failover, a restart): nothing was saved, and the same request can be sent again. */
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** One field's problem: a stable code (see FIELD_ERROR_CODES), its English text, and the values the text names. */
export interface FieldProblem {
  /** None for a message clients must show as written (see FIELD_MESSAGES). */
  code: FieldErrorCode | undefined;
  message: string;
  params?: FieldParams;
}

/**
 * A failure a client can act on. `message` is written for a school administrator; `fields` holds the
 * English text per field path and `fieldCodes` (with `fieldParams`) a stable code for each, which
 * clients translate.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly fieldCodes?: Record<string, FieldErrorCode>,
    readonly fieldParams?: Record<string, FieldParams>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The record does not exist in the caller's institution — also what another tenant's record looks like. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

/** A field-level validation failure; with `code`, clients can show it in the person's language. */
export function invalid(field: string, message: string, code?: FieldErrorCode): AppError {
  return code ? invalidFields({ [field]: { code, message } }) : new AppError('validation', 'Some fields are not valid', { [field]: message });
}

/** A validation failure of several fields, each with its code. */
export function invalidFields(problems: Readonly<Record<string, FieldProblem>>, message = 'Some fields are not valid', code: ErrorCode = 'validation'): AppError {
  const fields: Record<string, string> = {};
  const codes: Record<string, FieldErrorCode> = {};
  const params: Record<string, FieldParams> = {};
  for (const [path, p] of Object.entries(problems)) {
    fields[path] = p.message;
    if (p.code) codes[path] = p.code;
    if (p.params) params[path] = p.params;
  }
  return new AppError(code, message, fields, codes, Object.keys(params).length ? params : undefined);
}

export function forbidden(message = 'You do not have permission to do this'): AppError {
  return new AppError('forbidden', message);
}

/** PostgreSQL error code of a driver error, if any (both node-postgres and PGlite set `code`). */
export function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Name of the violated constraint of a driver error, if any. */
export function pgConstraint(err: unknown): string | undefined {
  const e = err as { constraint?: unknown; cause?: { constraint?: unknown } } | null;
  const c = e?.constraint ?? e?.cause?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/**
 * PostgreSQL error classes that mean the connection, not the request, failed: 08 (connection
 * exception), 57P01–57P03 (terminated by an administrator, crash shutdown, cannot connect now).
 */
const CONNECTION_LOST_CODE = /^(08...|57P0[1-3])$/;
/** node-postgres' and the socket's own words for a connection that went away. */
const CONNECTION_LOST_TEXT = /Connection terminated|not queryable|Client was closed|ECONNRESET|ECONNREFUSED|EPIPE|timeout exceeded when trying to connect/i;

/**
 * True when `err` (or its cause, as drizzle wraps driver errors) is a lost database connection: the
 * transaction was rolled back by the server, so the request can be retried as it is.
 */
export function isConnectionLost(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && (CONNECTION_LOST_CODE.test(e.code) || CONNECTION_LOST_TEXT.test(e.code))) return true;
    if (typeof e.message === 'string' && CONNECTION_LOST_TEXT.test(e.message)) return true;
  }
  return false;
}
