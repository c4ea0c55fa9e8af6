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
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

/** A failure a client can act on. `message` is written for a school administrator. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
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

/** A field-level validation failure. */
export function invalid(field: string, message: string): AppError {
  return new AppError('validation', 'Some fields are not valid', { [field]: message });
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
