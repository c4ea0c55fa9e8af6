/**
 * What single sign-on reads from a provider's answer, on its own: whether an OIDC ID token shows a
 * multi-factor sign-in (RFC 8176 methods, declared acr values), and which SAML attribute value is
 * taken as the email or a name. The flows around them are in `sso.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { SAML_ATTRIBUTES, SAML_REFUSALS, SsoFailure, idpUsedMfa, nodeSamlRefusal, samlAttribute } from './sso-login.service.js';

describe('multi-factor evidence in an ID token', () => {
  const KNOW = ['pwd', 'pin', 'kba'];
  const HAVE = ['otp', 'hwk', 'swk', 'sc', 'sms', 'tel'];
  const ARE = ['face', 'fpt', 'iris', 'retina', 'vbm'];

  it('takes an acr value the institution declared multi-factor, and no other', () => {
    const declared = ['http://schemas.openid.net/pape/policies/2007/06/multi-factor', 'mfa-strong'];
    expect(idpUsedMfa({ acr: 'mfa-strong' }, declared)).toBe(true);
    expect(idpUsedMfa({ acr: 'urn:basic' }, declared)).toBe(false);
    expect(idpUsedMfa({ acr: 'mfa-strong' }, [])).toBe(false);
    expect(idpUsedMfa({}, declared)).toBe(false);
  });

  it('takes amr "mfa"', () => {
    expect(idpUsedMfa({ amr: ['mfa'] }, [])).toBe(true);
    expect(idpUsedMfa({ amr: ['pwd', 'mfa'] }, [])).toBe(true);
  });

  it('takes methods of two different kinds, never two of one kind', () => {
    for (const [a, b] of [
      ...KNOW.flatMap((k) => [...HAVE, ...ARE].map((o) => [k, o] as const)),
      ...HAVE.flatMap((h) => ARE.map((r) => [h, r] as const)),
    ])
      expect(idpUsedMfa({ amr: [a, b] }, []), `${a} + ${b}`).toBe(true);
    for (const kind of [KNOW, HAVE, ARE])
      for (const a of kind) {
        expect(idpUsedMfa({ amr: [a] }, []), a).toBe(false);
        for (const b of kind) expect(idpUsedMfa({ amr: [a, b] }, []), `${a} + ${b}`).toBe(false);
      }
    expect(idpUsedMfa({ amr: ['pwd', 'otp', 'face'] }, [])).toBe(true);
  });

  it('ignores methods it does not know, values that are not strings, and an amr that is not a list', () => {
    expect(idpUsedMfa({ amr: ['pwd', 'user', 'geo', 'rba'] }, [])).toBe(false);
    expect(idpUsedMfa({ amr: ['pwd', 7, { otp: true }] }, [])).toBe(false);
    expect(idpUsedMfa({ amr: 'pwd otp' }, [])).toBe(false);
    expect(idpUsedMfa({ amr: 'mfa' }, [])).toBe(false);
    expect(idpUsedMfa({ acr: 5, amr: null }, ['5'])).toBe(false);
  });

  it('counts only the methods it knows, never a name every object has', () => {
    expect(idpUsedMfa({ amr: ['constructor', 'toString'] }, [])).toBe(false);
    expect(idpUsedMfa({ amr: ['pwd', '__proto__'] }, [])).toBe(false);
    expect(idpUsedMfa({ amr: ['hasOwnProperty', 'otp'] }, [])).toBe(false);
  });
});

describe('SAML attribute values', () => {
  it('takes the first name of the list that the assertion carries, in the list’s order', () => {
    const names = ['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3'];
    expect(samlAttribute({ mail: 'second@x.example', email: 'first@x.example' }, names)).toBe('first@x.example');
    expect(samlAttribute({ 'urn:oid:0.9.2342.19200300.100.1.3': 'third@x.example', mail: 'second@x.example' }, names)).toBe('second@x.example');
    expect(samlAttribute({ other: 'x@x.example' }, names)).toBeNull();
    expect(samlAttribute({}, [])).toBeNull();
  });

  it('takes the first usable value of a multi-valued attribute, trimmed', () => {
    expect(samlAttribute({ mail: ['', '   ', 7, ' a@x.example ', 'b@x.example'] }, ['mail'])).toBe('a@x.example');
    expect(samlAttribute({ mail: ['', '  '], email: 'c@x.example' }, ['mail', 'email'])).toBe('c@x.example');
    expect(samlAttribute({ mail: [] }, ['mail'])).toBeNull();
  });

  it('passes over a blank, non-text or too long value to the next name', () => {
    expect(samlAttribute({ givenName: '  ', firstName: 'Émilie' }, ['givenName', 'firstName'])).toBe('Émilie');
    expect(samlAttribute({ givenName: 42, firstName: 'Émilie' }, ['givenName', 'firstName'])).toBe('Émilie');
    expect(samlAttribute({ givenName: 'x'.repeat(201), firstName: 'Émilie' }, ['givenName', 'firstName'], 200)).toBe('Émilie');
    expect(samlAttribute({ givenName: 'x'.repeat(200) }, ['givenName'], 200)).toBe('x'.repeat(200));
    // 254 characters by default (an email's longest).
    expect(samlAttribute({ mail: 'y'.repeat(254) }, ['mail'])).toBe('y'.repeat(254));
    expect(samlAttribute({ mail: 'y'.repeat(255) }, ['mail'])).toBeNull();
  });

  it('reads the names of the common IdPs, and never eduPersonPrincipalName as an email', () => {
    expect(SAML_ATTRIBUTES.email).toEqual(expect.arrayContaining(['email', 'mail', 'urn:oid:0.9.2342.19200300.100.1.3']));
    expect(SAML_ATTRIBUTES.lastName).toEqual(expect.arrayContaining(['surname', 'sn', 'urn:oid:2.5.4.4']));
    expect(SAML_ATTRIBUTES.firstName).toEqual(expect.arrayContaining(['givenName', 'urn:oid:2.5.4.42']));
    expect([...SAML_ATTRIBUTES.email, ...SAML_ATTRIBUTES.firstName, ...SAML_ATTRIBUTES.lastName]).not.toContain('urn:oid:1.3.6.1.4.1.5923.1.1.1.6');
  });
});

describe('a refused sign-in', () => {
  it('carries the code the sign-in page explains, and for SAML the guard that refused it', () => {
    const failure = new SsoFailure('no_account', 'no verified email');
    expect(failure).toBeInstanceOf(Error);
    expect({ name: failure.name, reason: failure.reason, message: failure.message, refusal: failure.refusal, returnTo: failure.returnTo }).toEqual({
      name: 'SsoFailure',
      reason: 'no_account',
      message: 'no verified email',
      refusal: null,
      returnTo: null,
    });
    expect(new SsoFailure('invalid', 'x', 'replay').refusal).toBe('replay');
    expect(new Set(SAML_REFUSALS).size).toBe(SAML_REFUSALS.length);
  });
});

describe('the guard behind a refusal by node-saml', () => {
  /** node-saml's own errors, as its validation throws them (their messages are not kept, only the guard). */
  const statusError = Object.assign(new Error('SAML provider returned Responder error: AuthnFailed'), { name: 'SamlStatusError' });
  it.each([
    [statusError, 'status'],
    [new Error('Bad status code: urn:oasis:names:tc:SAML:2.0:status:Requester'), 'status'],
    [new Error('InResponseTo is not valid'), 'in_response_to'],
    [new Error('InResponseTo is missing from response'), 'in_response_to'],
    [new Error('SubjectInResponseTo is not valid'), 'in_response_to'],
    [new Error('Invalid signature'), 'signature'],
    [new Error('Invalid document signature'), 'signature'],
    [new Error('Cannot obtain assertion from signed data'), 'signature'],
    [new Error('Unknown SAML issuer. Expected: https://idp.example Received: https://other.example'), 'issuer'],
    [new Error('SAML assertion audience mismatch. Expected: a Received: b'), 'audience'],
    [new Error('SAML assertion has no AudienceRestriction'), 'audience'],
    [new Error('SAML assertion not yet valid'), 'conditions'],
    [new Error('SAML assertion expired: clocks skewed too much'), 'conditions'],
    [new Error('No valid subject confirmation found among those available in the SAML assertion'), 'conditions'],
    [new Error('Missing SAML assertion'), 'assertion'],
    [new Error('Unknown SAML response message'), 'assertion'],
  ] as const)('%s → %s', (err, refusal) => {
    expect(nodeSamlRefusal(err)).toBe(refusal);
  });

  it('names no guard from a status text found in another message, nor from what is not an error', () => {
    expect(nodeSamlRefusal(new Error('Response: Bad status code'))).toBe('assertion');
    expect(nodeSamlRefusal(Object.assign(new Error('x'), { name: 'SamlError' }))).toBe('assertion');
    expect(nodeSamlRefusal('Invalid signature')).toBe('assertion');
    expect(nodeSamlRefusal(null)).toBe('assertion');
    expect(nodeSamlRefusal({ name: 'SamlStatusError' })).toBe('status');
  });
});
