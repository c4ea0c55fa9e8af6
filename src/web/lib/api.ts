/**
 * The fetch wrapper for /api/v1: JSON in and out, the CSRF header on every unsafe method, errors
 * parsed into a typed ApiError, and a 401 on an authenticated call sends the user to sign in.
 */
import type { ErrorBody } from '../../contracts/api.js';

export const API_BASE = '/api/v1';

/** An error response of the API (or a network failure, with status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Readonly<Record<string, string>>;
  /** A stable code per field of `fields` (see FIELD_ERROR_CODES), and the values its message names. */
  readonly fieldCodes: Readonly<Record<string, string>>;
  readonly fieldParams: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
  readonly requestId: string | undefined;

  constructor(status: number, body: Partial<ErrorBody['error']>) {
    super(body.message ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code ?? 'unknown';
    this.fields = body.fields ?? {};
    this.fieldCodes = body.fieldCodes ?? {};
    this.fieldParams = body.fieldParams ?? {};
    this.requestId = body.requestId;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;
let onReadOnly: (() => void) | null = null;

/** Remembers the CSRF token of the current session (from any session body). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when an authenticated call answers 401 (the session ended). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Registers what to do when a change is refused because the institution became read-only (refresh the session). */
export function setReadOnlyHandler(handler: () => void): void {
  onReadOnly = handler;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** Builds `?a=1&b=x,y` from an object, leaving out empty values; lists are comma-separated. */
export function toQueryString(params: Readonly<Record<string, QueryValue>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** A file sent as it is (an attachment), instead of a JSON body. */
  file?: Blob;
  /** When false, a 401 is thrown to the caller instead of ending the session (sign-in, session probe). */
  redirectOn401?: boolean;
  /** `omit` for a page reached by a link that must carry no session cookie (the vendor's questionnaire). */
  credentials?: RequestCredentials;
  signal?: AbortSignal;
}

/** Calls the API; resolves with the parsed JSON body (undefined for 204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.file !== undefined) headers['content-type'] = 'application/octet-stream';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      credentials: options.credentials ?? 'same-origin',
      body: options.file ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { code: 'network', message: 'network' });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error ?? {};
    const apiError = new ApiError(response.status, error);
    if (response.status === 401 && options.redirectOn401 !== false) onUnauthorized?.();
    if (apiError.code === 'institution_read_only') onReadOnly?.();
    throw apiError;
  }
  return parsed as T;
}

/** The messages of `fields` for one field path: exact match or any sub-path (`grades` ← `grades.2`). */
export function fieldError(fields: Readonly<Record<string, string>> | undefined, path: string): string | undefined {
  if (!fields) return undefined;
  const messages = Object.entries(fields)
    .filter(([key]) => key === path || key.startsWith(`${path}.`))
    .map(([, message]) => message);
  return messages.length > 0 ? [...new Set(messages)].join('; ') : undefined;
}
