/**
 * Secret values recognised by their form, wherever they sit: what leaves the service for a client
 * (the portability archive, the full export) passes through `withoutSecretValues`, a second line of
 * defence behind the lists of secret columns.
 */
/**
 * A value sealed by platform/secrets.ts: `v2.<key id>.<iv>.<ciphertext>.<tag>` or the older
 * `v1.<iv>.<ciphertext>.<tag>`, base64url parts of fixed lengths (a 10-character key id, a 12-byte iv,
 * a 16-byte tag), so that a version number such as `v1.2.3.4` is not taken for one.
 */
export const SEALED =
  /^(v2\.[A-Za-z0-9_-]{10}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}|v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22})$/;
/** A PEM private key, whatever its kind (RSA, EC, PKCS#8, encrypted). */
export const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * The second line of defence behind `isSecretColumn`: a copy of `value` where every string that is
 * a sealed secret or holds a private key — at any depth of a JSON value or array — is null, and
 * whether anything was. It catches a secret column named in a way the first rule does not know.
 */
/**
 * True when `text` is a sealed secret or holds a private key. The patterns run only on text that
 * could match them (`v1.`/`v2.` at its start, `PRIVATE KEY-----` in it): this runs for every text
 * cell of an export.
 */
export function isSecretText(text: string): boolean {
  return (
    (text.charCodeAt(0) === 118 && text.charCodeAt(2) === 46 && SEALED.test(text)) ||
    (text.includes('PRIVATE KEY-----') && PRIVATE_KEY.test(text))
  );
}

export function withoutSecretValues(value: unknown): { value: unknown; redacted: boolean } {
  if (typeof value === 'string') return isSecretText(value) ? { value: null, redacted: true } : { value, redacted: false };
  if (Array.isArray(value)) {
    const items = value.map(withoutSecretValues);
    return { value: items.map((i) => i.value), redacted: items.some((i) => i.redacted) };
  }
  // Plain objects only (JSON values, rows): a Date or a Buffer is kept as it is.
  if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    let redacted = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = withoutSecretValues(v);
      out[k] = r.value;
      redacted ||= r.redacted;
    }
    return { value: out, redacted };
  }
  return { value, redacted: false };
}
