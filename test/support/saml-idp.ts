/**
 * A SAML identity provider (samlify) with a certificate made by openssl at test time, for tests
 * only. It signs assertions for our service provider; tests then alter them to check refusals.
 */
import { execFileSync } from 'node:child_process';
import { createSign, createVerify, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as samlify from 'samlify';

// Test-only: our service provider (node-saml) validates what it receives; the IdP side needs no
// XML schema validator (samlify's requires Java).
samlify.setSchemaValidator({ validate: async () => 'skipped in tests' });

export interface TestCert {
  key: string;
  cert: string;
  /** The certificate body (base64 DER), as IdP metadata carries it. */
  certBody: string;
}

/** A fresh self-signed RSA certificate, made with openssl. */
export function makeTestCertificate(cn = 'Vetted test IdP'): TestCert {
  const dir = mkdtempSync(path.join(tmpdir(), 'vetted-saml-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '2',
        '-subj',
        `/CN=${cn}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert, certBody: cert.replace(/-----[A-Z ]+-----|\s+/g, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestSamlIdp {
  entityId: string;
  ssoUrl: string;
  metadataXml: string;
  cert: TestCert;
  /** The single logout service (HTTP-Redirect) named in the metadata; null when started without one. */
  sloUrl: string | null;
  /** Sign-ins this IdP still holds (SessionIndex → NameID); single logout ends them. */
  sessions: Map<string, string>;
  /**
   * The IdP's single logout service: checks the LogoutRequest carried by `logoutUrl` (signature by the
   * signing certificate of `spMetadata` over the query, SHA-256; issuer; destination; a NameID and
   * SessionIndex of a sign-in it holds), ends that sign-in, and answers a LogoutResponse signed by
   * `signWith` (default its own key) to the SP's single logout service. Throws what it refuses.
   */
  logout(opts: {
    spMetadata: string;
    logoutUrl: string;
    status?: string;
    signWith?: TestCert;
    overrides?: { issuer?: string; inResponseTo?: string; destination?: string };
  }): { request: { id: string; nameId: string; nameIdFormat: string; sessionIndex: string }; responseUrl: string };
  /** A signed response to the AuthnRequest in `redirectUrl`, for the SP whose metadata is given. */
  respond(opts: {
    spMetadata: string;
    redirectUrl: string;
    nameId: string;
    email: string;
    firstName?: string;
    lastName?: string;
    /** When the IdP says the person authenticated (default now): older stands for a reused IdP session. */
    authnInstant?: Date;
    /** The assertion's AuthnContextClassRef (default PasswordProtectedTransport). */
    authnContextClassRef?: string;
    /**
     * The attributes sent, by name (default `email`, `firstName`, `lastName` from the values above):
     * to send another naming family (Entra ID claim URIs, eduPerson `urn:oid:` names…).
     */
    attributes?: Record<string, string>;
    overrides?: Record<string, string>;
  }): Promise<{ SAMLResponse: string; RelayState: string }>;
}

/** The AuthnRequest XML carried by a redirect-binding URL. */
export function authnRequestOf(redirectUrl: string): string {
  const url = new URL(redirectUrl);
  return inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
}

/** samlify's SamlLib: a named export, or under the default export where a loader wraps the module (Playwright). */
const samlLib = (): typeof samlify.SamlLib =>
  samlify.SamlLib ?? (samlify as unknown as { default: typeof samlify }).default.SamlLib;

const SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const attrOf = (xml: string, el: string, attr: string) => new RegExp(`<(?:\\w+:)?${el}\\b[^>]*\\s${attr}="([^"]*)"`).exec(xml)?.[1];
const textOf = (xml: string, el: string) => new RegExp(`<(?:\\w+:)?${el}\\b[^>]*>([^<]*)</`).exec(xml)?.[1];

export function startSamlIdp(opts: { entityId?: string; cert?: TestCert; slo?: boolean } = {}): TestSamlIdp {
  const cert = opts.cert ?? makeTestCertificate();
  const entityId = opts.entityId ?? `https://idp.test/${Math.random().toString(36).slice(2)}`;
  const ssoUrl = `${entityId}/sso`;
  const sloUrl = opts.slo ? `${entityId}/slo` : null;
  const sessions = new Map<string, string>();
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    signingCert: cert.cert,
    privateKey: cert.key,
    isAssertionEncrypted: false,
    wantAuthnRequestsSigned: false,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
    ...(sloUrl ? { singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: sloUrl }] } : {}),
  });
  return {
    entityId,
    ssoUrl,
    sloUrl,
    sessions,
    cert,
    logout({ spMetadata, logoutUrl, status = 'urn:oasis:names:tc:SAML:2.0:status:Success', signWith = cert, overrides = {} }) {
      if (!sloUrl) throw new Error('this IdP has no single logout service');
      const url = new URL(logoutUrl);
      if (`${url.origin}${url.pathname}` !== sloUrl) throw new Error(`LogoutRequest sent to ${url.origin}${url.pathname}`);
      // The signature covers the query as sent: SAMLRequest, RelayState, SigAlg (SAML bindings 3.4.4.1).
      const raw = url.search.slice(1).split('&');
      const param = (n: string) => raw.find((p) => p.startsWith(`${n}=`));
      if (url.searchParams.get('SigAlg') !== SHA256) throw new Error('LogoutRequest not signed with RSA-SHA256');
      const signed = [param('SAMLRequest'), param('RelayState'), param('SigAlg')].filter(Boolean).join('&');
      const spCertBody = /<KeyDescriptor use="signing">[\s\S]*?<ds:X509Certificate>([^<]+)</.exec(spMetadata)?.[1];
      if (!spCertBody) throw new Error('SP metadata has no signing certificate');
      const spCert = new X509Certificate(Buffer.from(spCertBody.replace(/\s+/g, ''), 'base64'));
      if (!createVerify('RSA-SHA256').update(signed).verify(spCert.publicKey, url.searchParams.get('Signature') ?? '', 'base64'))
        throw new Error('LogoutRequest signature invalid');
      const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      const spEntityId = /entityID="([^"]+)"/.exec(spMetadata)![1]!;
      const spSlo = /<SingleLogoutService[^>]*Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*Location="([^"]+)"/.exec(spMetadata)?.[1];
      if (!spSlo) throw new Error('SP metadata has no HTTP-Redirect single logout service');
      if (textOf(xml, 'Issuer') !== spEntityId) throw new Error('LogoutRequest from another issuer');
      if (attrOf(xml, 'LogoutRequest', 'Destination') !== sloUrl) throw new Error('LogoutRequest for another destination');
      const request = {
        id: attrOf(xml, 'LogoutRequest', 'ID') ?? '',
        nameId: textOf(xml, 'NameID') ?? '',
        nameIdFormat: attrOf(xml, 'NameID', 'Format') ?? '',
        sessionIndex: textOf(xml, 'SessionIndex') ?? '',
      };
      if (sessions.get(request.sessionIndex) !== request.nameId) throw new Error('LogoutRequest names no sign-in of this IdP');
      sessions.delete(request.sessionIndex);
      const response =
        `<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
        ` ID="_lr${Math.random().toString(36).slice(2)}" Version="2.0" IssueInstant="${new Date().toISOString()}"` +
        ` Destination="${overrides.destination ?? spSlo}" InResponseTo="${overrides.inResponseTo ?? request.id}">` +
        `<saml:Issuer>${overrides.issuer ?? entityId}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="${status}"/></samlp:Status></samlp:LogoutResponse>`;
      const query =
        `SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(response)).toString('base64'))}` +
        `&RelayState=${encodeURIComponent(url.searchParams.get('RelayState') ?? '')}&SigAlg=${encodeURIComponent(SHA256)}`;
      const signature = createSign('RSA-SHA256').update(query).sign(signWith.key, 'base64');
      return { request, responseUrl: `${spSlo}?${query}&Signature=${encodeURIComponent(signature)}` };
    },
    metadataXml: idp.getMetadata(),
    async respond({
      spMetadata,
      redirectUrl,
      nameId,
      email,
      firstName = 'Sam',
      lastName = 'Lee',
      authnInstant,
      authnContextClassRef = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      attributes,
      overrides = {},
    }) {
      const url = new URL(redirectUrl);
      const request = authnRequestOf(redirectUrl);
      const requestId = /ID="([^"]+)"/.exec(request)![1]!;
      const relayState = url.searchParams.get('RelayState') ?? '';
      const sp = samlify.ServiceProvider({ metadata: spMetadata });
      const acs = /AssertionConsumerService[^>]*Location="([^"]+)"/.exec(spMetadata)![1]!;
      const audience = /entityID="([^"]+)"/.exec(spMetadata)![1]!;
      const now = new Date();
      const later = new Date(now.getTime() + 5 * 60_000);
      const attribute = (name: string, value: string) =>
        `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:${/^(urn|https?):/.test(name) ? 'uri' : 'basic'}"><saml:AttributeValue xsi:type="xs:string">${value}</saml:AttributeValue></saml:Attribute>`;
      const sent = attributes ?? { email, firstName, lastName };
      const sessionIndex = `_s${Math.random().toString(36).slice(2)}`;
      sessions.set(sessionIndex, nameId);
      const values: Record<string, string> = {
        ID: `_${Math.random().toString(36).slice(2)}${Date.now()}`,
        AssertionID: `_a${Math.random().toString(36).slice(2)}${Date.now()}`,
        Destination: acs,
        Audience: audience,
        SubjectRecipient: acs,
        Issuer: entityId,
        IssueInstant: now.toISOString(),
        StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
        ConditionsNotBefore: now.toISOString(),
        ConditionsNotOnOrAfter: later.toISOString(),
        SubjectConfirmationDataNotOnOrAfter: later.toISOString(),
        NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        NameID: nameId,
        InResponseTo: requestId,
        AuthnStatement: `<saml:AuthnStatement AuthnInstant="${(authnInstant ?? now).toISOString()}" SessionIndex="${sessionIndex}"><saml:AuthnContext><saml:AuthnContextClassRef>${authnContextClassRef}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
        AttributeStatement: `<saml:AttributeStatement>${Object.entries(sent)
          .map(([name, value]) => attribute(name, value))
          .join('')}</saml:AttributeStatement>`,
        ...overrides,
      };
      const res = await idp.createLoginResponse(
        sp,
        { extract: { request: { id: requestId } } } as never,
        'post',
        { email: nameId },
        {
          relayState,
          // Statements are XML: put in as they are (tag values are escaped by samlify).
          customTagReplacement: (template: string) => {
            const { AuthnStatement, AttributeStatement, ...plain } = values;
            const raw = template
              .replace('{AuthnStatement}', AuthnStatement ?? '')
              .replace('{AttributeStatement}', AttributeStatement ?? '');
            return { id: values.ID!, context: samlLib().replaceTagsByValue(raw, plain) };
          },
        },
      );
      return { SAMLResponse: (res as { context: string }).context, RelayState: relayState };
    },
  };
}
