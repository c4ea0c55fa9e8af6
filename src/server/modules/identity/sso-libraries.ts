import { createRequire } from 'node:module';
import type * as NodeSaml from '@node-saml/node-saml';
import type * as SamlXml from '@node-saml/node-saml/lib/xml.js';
import type * as Oidc from 'openid-client';

/*
 * The SAML and OpenID Connect libraries, loaded on their first use: together they add a quarter of a
 * second and about 20 MB to a start that serves institutions without single sign-on.
 */
const require = createRequire(import.meta.url);

let saml: typeof NodeSaml | undefined;
export function nodeSaml(): typeof NodeSaml {
  return (saml ??= require('@node-saml/node-saml') as typeof NodeSaml);
}

let xml: typeof SamlXml | undefined;
/** node-saml's XML parsing (a DOM without external entities) and XPath. */
export function samlXml(): typeof SamlXml {
  return (xml ??= require('@node-saml/node-saml/lib/xml.js') as typeof SamlXml);
}

let oidc: Promise<typeof Oidc> | undefined;
export function openidClient(): Promise<typeof Oidc> {
  return (oidc ??= import('openid-client'));
}
