/**
 * A SAML identity provider (samlify) with a certificate made by openssl at test time, for tests
 * only. It signs assertions for our service provider; tests then alter them to check refusals.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
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
    overrides?: Record<string, string>;
  }): Promise<{ SAMLResponse: string; RelayState: string }>;
}

/** The AuthnRequest XML carried by a redirect-binding URL. */
export function authnRequestOf(redirectUrl: string): string {
  const url = new URL(redirectUrl);
  return inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
}

export function startSamlIdp(opts: { entityId?: string; cert?: TestCert } = {}): TestSamlIdp {
  const cert = opts.cert ?? makeTestCertificate();
  const entityId = opts.entityId ?? `https://idp.test/${Math.random().toString(36).slice(2)}`;
  const ssoUrl = `${entityId}/sso`;
  const idp = samlify.IdentityProvider({
    entityID: entityId,
    signingCert: cert.cert,
    privateKey: cert.key,
    isAssertionEncrypted: false,
    wantAuthnRequestsSigned: false,
    nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'],
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: ssoUrl }],
  });
  return {
    entityId,
    ssoUrl,
    cert,
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
        `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"><saml:AttributeValue xsi:type="xs:string">${value}</saml:AttributeValue></saml:Attribute>`;
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
        AuthnStatement: `<saml:AuthnStatement AuthnInstant="${(authnInstant ?? now).toISOString()}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>${authnContextClassRef}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
        AttributeStatement: `<saml:AttributeStatement>${attribute('email', email)}${attribute('firstName', firstName)}${attribute('lastName', lastName)}</saml:AttributeStatement>`,
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
            return { id: values.ID!, context: samlify.SamlLib.replaceTagsByValue(raw, plain) };
          },
        },
      );
      return { SAMLResponse: (res as { context: string }).context, RelayState: relayState };
    },
  };
}
