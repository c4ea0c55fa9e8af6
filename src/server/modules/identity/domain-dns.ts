import { Resolver } from 'node:dns/promises';
import { DOMAIN_CHALLENGE_LABEL, DOMAIN_CHALLENGE_PREFIX } from '../../../contracts/auth.js';
import type { Config } from '../../platform/config.js';

/** Why a DNS check did not verify a domain: stored with the claim and shown to its site admins. */
export type DomainCheckError = 'no_record' | 'wrong_token' | 'dns_unavailable';

export const DOMAIN_CHECK_MESSAGES: Record<DomainCheckError, string> = {
  no_record: 'No TXT record was found at the name to publish. Publish it, wait for DNS to update, then check again.',
  wrong_token: 'TXT records were found at that name, but none holds this claim’s value. Copy the value exactly.',
  dns_unavailable: 'The DNS server did not answer. Try again later.',
};

/** The TXT record an institution publishes to prove it controls `domain`. */
export function challengeRecord(domain: string, token: string) {
  return { name: `${DOMAIN_CHALLENGE_LABEL}.${domain}`, type: 'TXT' as const, value: `${DOMAIN_CHALLENGE_PREFIX}${token}` };
}

/**
 * Looks for the challenge record through the configured DNS servers (`DNS_RESOLVERS`), or the
 * system's resolver when none are set. Null when the record holds the token.
 */
export function createDomainChecker(config: Pick<Config, 'dnsResolvers'>) {
  return async function check(domain: string, token: string): Promise<DomainCheckError | null> {
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    if (config.dnsResolvers.length) resolver.setServers(config.dnsResolvers);
    const { name, value } = challengeRecord(domain, token);
    let records: string[][];
    try {
      records = await resolver.resolveTxt(name);
    } catch (err) {
      const code = (err as { code?: string }).code;
      return code === 'ENOTFOUND' || code === 'ENODATA' ? 'no_record' : 'dns_unavailable';
    }
    // A TXT record may come in several strings of up to 255 characters: they form one value.
    const values = records.map((chunks) => chunks.join('').trim());
    if (!values.length) return 'no_record';
    return values.includes(value) ? null : 'wrong_token';
  };
}
export type DomainChecker = ReturnType<typeof createDomainChecker>;
