import { samlXml } from './sso-libraries.js';
import { AppError } from '../../platform/errors.js';

/** What the service needs of a SAML identity provider. */
export interface SamlIdpSettings {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
  /** The IdP's single logout service (HTTP-Redirect binding), when it offers one. */
  sloUrl: string | null;
}

const bad = (message: string) => new AppError('validation', 'Some fields are not valid', { idp: message });

/** Reads entity id, single sign-on and single logout URLs (HTTP-Redirect) and signing certificates from IdP metadata. */
export async function parseIdpMetadata(xml: string): Promise<SamlIdpSettings> {
  // Security: xmldom does not resolve external entities; a DOCTYPE has no place in metadata at all.
  if (/<!DOCTYPE/i.test(xml)) throw bad('metadata must not contain a DOCTYPE');
  let doc: unknown;
  try {
    doc = await samlXml().parseDomFromString(xml);
  } catch {
    throw bad('is not valid XML metadata');
  }
  const root = doc as never;
  const entity = samlXml().xpath.selectElements(root, "//*[local-name()='EntityDescriptor']")[0] as
    { getAttribute(n: string): string | null } | undefined;
  const idp = samlXml().xpath.selectElements(root, "//*[local-name()='IDPSSODescriptor']")[0] as never;
  if (!entity || !idp) throw bad('has no identity provider (IDPSSODescriptor)');
  const services = samlXml().xpath.selectElements(idp, "./*[local-name()='SingleSignOnService']") as unknown as {
    getAttribute(n: string): string | null;
  }[];
  const redirect = services.find((s) => s.getAttribute('Binding') === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
  const ssoUrl = redirect?.getAttribute('Location');
  if (!ssoUrl) throw bad('has no HTTP-Redirect single sign-on service');
  const slo = (
    samlXml().xpath.selectElements(idp, "./*[local-name()='SingleLogoutService']") as unknown as {
      getAttribute(n: string): string | null;
    }[]
  ).find((s) => s.getAttribute('Binding') === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect');
  const sloLocation = slo?.getAttribute('Location')?.trim() || null;
  // Only a web address can receive the browser; anything else means no single logout.
  const sloUrl = sloLocation && /^https?:\/\//.test(sloLocation) && sloLocation.length <= 2000 ? sloLocation : null;
  const keys = samlXml().xpath.selectElements(idp, "./*[local-name()='KeyDescriptor'][not(@use) or @use='signing']") as never[];
  const certificates = keys
    .flatMap(
      (k) => samlXml().xpath.selectElements(k, ".//*[local-name()='X509Certificate']") as unknown as { textContent: string | null }[],
    )
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter((c) => c.length > 100);
  if (certificates.length === 0) throw bad('has no signing certificate');
  const entityId = entity.getAttribute('entityID');
  if (!entityId) throw bad('has no entityID');
  return { entityId, ssoUrl, sloUrl, certificates: [...new Set(certificates)].slice(0, 4) };
}

/** Fetches IdP metadata from its URL (bounded in time and size). */
export async function fetchIdpMetadata(url: string, allowHttp: boolean): Promise<SamlIdpSettings> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !allowHttp) throw bad('metadata URL must use https');
  let text: string;
  try {
    const res = await fetch(parsed, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
    if (!res.ok) throw new Error(String(res.status));
    text = await res.text();
  } catch {
    throw bad('metadata could not be read from this URL');
  }
  if (text.length > 1_000_000) throw bad('metadata is too large');
  return parseIdpMetadata(text);
}

/** A certificate as PEM, whether given bare (base64) or already as PEM. */
export function toPem(cert: string): string {
  if (cert.includes('BEGIN CERTIFICATE')) return cert.trim();
  const body =
    cert
      .replace(/\s+/g, '')
      .match(/.{1,64}/g)
      ?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`;
}
