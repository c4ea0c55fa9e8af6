import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random URL-safe token of 32 bytes (256 bits). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Keyed hash of a token: what the database stores, so a leaked table replays nothing. */
export function hashToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token).digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
