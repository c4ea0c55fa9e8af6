import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealedUnderCurrent, keyId, keyringOf, openSecret, sealSecret, sealedKeyId } from './secrets.js';

const K1 = Buffer.alloc(32, 1);
const K2 = Buffer.alloc(32, 2);
const K3 = Buffer.alloc(32, 3);

describe('sealed secrets', () => {
  it('name a key by a short id that depends on the key alone', () => {
    expect(keyId(K1)).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(keyId(Buffer.from(K1))).toBe(keyId(K1));
    expect(keyId(K2)).not.toBe(keyId(K1));
    expect(keyId(K1)).not.toContain(K1.toString('base64url').slice(0, 10));
    // Stable across versions: every sealed value names its key by this id, so a change of the
    // derivation would leave all of them "sealed under an unknown key".
    expect(keyId(K1)).toBe('qD_U2OwH7a');
  });

  it('seal any text, accented and non-Latin included', () => {
    const ring = keyringOf(K2);
    const text = 'Clé secrète ✓ 秘密';
    const sealed = sealSecret(ring, text, 'p:9');
    expect(Buffer.from(sealed.split('.')[3]!, 'base64url')).toHaveLength(Buffer.byteLength(text, 'utf8'));
    expect(openSecret(ring, sealed, 'p:9')).toBe(text);
  });

  it('keep the current key out of the previous ones', () => {
    const ring = keyringOf(K1, [K2, K1, K3]);
    expect(ring.current).toEqual({ id: keyId(K1), key: K1 });
    expect(ring.previous.map((k) => k.id)).toEqual([keyId(K2), keyId(K3)]);
    expect(keyringOf(K1).previous).toEqual([]);
  });

  it('seal under the current key, bound to their row, and open only there', () => {
    const ring = keyringOf(K1);
    const sealed = sealSecret(ring, 'JBSWY3DPEHPK3PXP', 'mfa:1');
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v2');
    expect(parts[1]).toBe(keyId(K1));
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealSecret(ring, 'JBSWY3DPEHPK3PXP', 'mfa:1')).not.toBe(sealed);
    expect(openSecret(ring, sealed, 'mfa:1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(ring, sealed, 'mfa:2')).toThrow();
    expect(sealedKeyId(sealed)).toBe(keyId(K1));
    expect(isSealedUnderCurrent(ring, sealed)).toBe(true);
  });

  it('refuse an altered ciphertext, tag or nonce', () => {
    const ring = keyringOf(K1);
    const sealed = sealSecret(ring, 'a client secret', 'oidc:1');
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const altered = [...parts];
      const bytes = Buffer.from(altered[i]!, 'base64url');
      bytes[0]! ^= 1;
      altered[i] = bytes.toString('base64url');
      expect(() => openSecret(ring, altered.join('.'), 'oidc:1'), `part ${i}`).toThrow();
    }
  });

  it('open during a rotation with the previous key, and say which key is missing after it', () => {
    const old = sealSecret(keyringOf(K1), 'secret', 'p:1');
    const rotating = keyringOf(K2, [K1]);
    expect(openSecret(rotating, old, 'p:1')).toBe('secret');
    expect(isSealedUnderCurrent(rotating, old)).toBe(false);
    expect(() => openSecret(keyringOf(K2), old, 'p:1')).toThrow(`sealed under an unknown key (${keyId(K1)}): add it to SECRETS_KEY_PREVIOUS`);
    // The id names the key to try: a value claiming another key's id does not open with the right one.
    const parts = old.split('.');
    expect(() => openSecret(keyringOf(K1, [K2]), ['v2', keyId(K2), ...parts.slice(2)].join('.'), 'p:1')).toThrow();
  });

  it('still open the format without a key id, with any key of the ring', () => {
    const [, , iv, ct, tag] = sealSecret(keyringOf(K1), 'legacy', 'p:2').split('.');
    const v1 = ['v1', iv, ct, tag].join('.');
    expect(sealedKeyId(v1)).toBeNull();
    expect(isSealedUnderCurrent(keyringOf(K1), v1)).toBe(false);
    expect(openSecret(keyringOf(K1), v1, 'p:2')).toBe('legacy');
    expect(openSecret(keyringOf(K2, [K3, K1]), v1, 'p:2')).toBe('legacy');
    expect(() => openSecret(keyringOf(K2, [K3]), v1, 'p:2')).toThrow('no key opens this sealed secret');
    expect(() => openSecret(keyringOf(K1), v1, 'p:3')).toThrow('no key opens this sealed secret');
  });

  it('refuse what is not a sealed secret', () => {
    const ring = keyringOf(randomBytes(32));
    for (const text of ['', 'plain text', 'v2.a.b.c', 'v2.a.b.c.d.e', 'v1.a.b', 'v1.a.b.c.d', 'v3.a.b.c.d']) {
      expect(() => openSecret(ring, text, 'x'), text).toThrow('not a sealed secret');
    }
    expect(sealedKeyId('v2')).toBeNull();
    expect(sealedKeyId('v1.a.b.c')).toBeNull();
  });
});
