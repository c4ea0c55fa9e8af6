import { describe, expect, it } from 'vitest';
import { hashToken, newToken, safeEqual } from './tokens.js';

describe('tokens', () => {
  it('are 256 random bits, URL-safe, never twice the same', () => {
    const seen = new Set(Array.from({ length: 200 }, () => newToken()));
    expect(seen.size).toBe(200);
    for (const t of seen) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are stored as their HMAC-SHA-256 under the secret (RFC 4231-style known answer)', () => {
    // HMAC-SHA256(key = "key", "The quick brown fox jumps over the lazy dog"), a published test vector.
    expect(hashToken('key', 'The quick brown fox jumps over the lazy dog')).toBe('f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    expect(hashToken('other', 'The quick brown fox jumps over the lazy dog')).not.toBe(hashToken('key', 'The quick brown fox jumps over the lazy dog'));
  });

  it('compare equal only when equal, whatever the lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'ab')).toBe(false);
    expect(safeEqual('ab', 'abc')).toBe(false);
    expect(safeEqual('', 'a')).toBe(false);
    // Same number of characters, not of bytes.
    expect(safeEqual('é', 'ee')).toBe(false);
  });
});
