import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (OIDC client secrets, TOTP secrets, OIDC ID tokens kept for sign-out) are sealed
 * with AES-256-GCM under `SECRETS_KEY`. The additional data binds a sealed value to its row
 * (`purpose:id`), so a value copied into another row does not open.
 *
 * Format: `v2.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id names the key that
 * sealed the value, so during a rotation the new key (`SECRETS_KEY`) seals and opens while the old
 * ones (`SECRETS_KEY_PREVIOUS`) still open what they sealed, until `main.js rotate-secrets` has
 * re-sealed everything. `v1.<iv>.<ciphertext>.<tag>` (no key id, before rotation existed) still opens.
 */
export interface SecretKey {
  id: string;
  key: Buffer;
}
export interface Keyring {
  /** Seals new values and opens its own. */
  current: SecretKey;
  /** Only open values sealed before a rotation. */
  previous: SecretKey[];
}

/** A short public name of a key: not the key, and nothing about it can be learned from it. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('vetted-secrets-key-id:').update(key).digest('base64url').slice(0, 10);
}

export function keyringOf(current: Buffer, previous: Buffer[] = []): Keyring {
  const cur = { id: keyId(current), key: current };
  return { current: cur, previous: previous.map((key) => ({ id: keyId(key), key })).filter((k) => k.id !== cur.id) };
}

export function sealSecret(keys: Keyring, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v2', keys.current.id, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

function open(key: Buffer, iv: string, ct: string, tag: string, aad: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** The id of the key that sealed a value; null for the older format without one. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts[0] === 'v2' ? (parts[1] ?? null) : null;
}

/** Opens a sealed secret; throws when no key of the ring opens it, or the bound row or ciphertext differ. */
export function openSecret(keys: Keyring, sealed: string, aad: string): string {
  const parts = sealed.split('.');
  if (parts[0] === 'v2' && parts.length === 5) {
    const [, id, iv, ct, tag] = parts as [string, string, string, string, string];
    const key = [keys.current, ...keys.previous].find((k) => k.id === id);
    if (!key) throw new Error(`sealed under an unknown key (${id}): add it to SECRETS_KEY_PREVIOUS`);
    return open(key.key, iv, ct, tag, aad);
  }
  if (parts[0] === 'v1' && parts.length === 4) {
    const [, iv, ct, tag] = parts as [string, string, string, string];
    for (const k of [keys.current, ...keys.previous]) {
      try {
        return open(k.key, iv, ct, tag, aad);
      } catch {
        // the next key may be the one
      }
    }
    throw new Error('no key opens this sealed secret');
  }
  throw new Error('not a sealed secret');
}

/** True when a value should be re-sealed under the current key (rotation). */
export function isSealedUnderCurrent(keys: Keyring, sealed: string): boolean {
  return sealedKeyId(sealed) === keys.current.id;
}
