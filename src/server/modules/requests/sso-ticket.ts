/**
 * The ticket a staff member gets once their institution's identity provider proved they belong to
 * it: a signed value in an http-only cookie that opens that institution's staff request page, and
 * nothing else. It carries no personal data — the institution, the connection and an expiry — and
 * nothing about it is stored: the signature (HMAC-SHA256 keyed by the session secret) is the proof.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import { safeEqual } from '../../platform/tokens.js';

/** How long a ticket opens the request page: long enough to fill the form, short enough not to linger. */
export const STAFF_REQUEST_TICKET_TTL_MS = 30 * 60_000;

export interface StaffRequestTicket {
  tenantId: string;
  connectionId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const macOf = (secret: string, payload: string) => createHmac('sha256', secret).update(`staff-request-ticket:${payload}`).digest('base64url');

/** `v1.<institution>.<connection>.<expiry in seconds>.<signature>`. */
export function signTicket(secret: string, ticket: StaffRequestTicket): string {
  const payload = `v1.${ticket.tenantId}.${ticket.connectionId}.${Math.floor(ticket.expiresAt / 1000)}`;
  return `${payload}.${macOf(secret, payload)}`;
}

/** The ticket a cookie holds, or null when it is malformed, its signature wrong, or it has expired. */
export function readTicket(secret: string, value: string | undefined, now = Date.now()): StaffRequestTicket | null {
  if (!value || value.length > 200) return null;
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1') return null;
  const [, tenantId, connectionId, expiry, mac] = parts as [string, string, string, string, string];
  if (!UUID.test(tenantId) || !UUID.test(connectionId) || !/^\d{1,12}$/.test(expiry)) return null;
  if (!safeEqual(mac, macOf(secret, parts.slice(0, 4).join('.')))) return null;
  const expiresAt = Number(expiry) * 1000;
  if (expiresAt <= now) return null;
  return { tenantId, connectionId, expiresAt };
}

/**
 * The cookie holding the ticket: http-only, sent only to the staff request page's public routes,
 * SameSite=Lax (the provider's return is a top-level navigation), Secure under https.
 */
export function ticketCookie(config: Pick<Config, 'publicUrl'>) {
  const secure = config.publicUrl.startsWith('https://');
  return {
    name: secure ? '__Secure-vetted_staff_request' : 'vetted_staff_request',
    options: {
      path: '/api/v1/public/staff-requests',
      httpOnly: true,
      secure,
      sameSite: 'lax' as const,
      maxAge: STAFF_REQUEST_TICKET_TTL_MS / 1000,
    },
  };
}
