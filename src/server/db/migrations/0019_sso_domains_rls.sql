-- Claimed email domains and explicit account links behind both database walls (see 0002).
SELECT vetted_protect_tenant_table('sso_domains');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('sso_account_links');
--> statement-breakpoint
-- The domains existing connections list become pending claims of their institution: they stay on
-- the connections but count for nothing (discovery, linking by email, just-in-time creation) until
-- the institution proves control of them or a platform admin approves them.
INSERT INTO sso_domains (tenant_id, id, domain, status, verification_token)
SELECT d.tenant_id, gen_random_uuid(), d.domain, 'pending', replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')
FROM (
  SELECT DISTINCT c.tenant_id, rtrim(lower(x.domain), '.') AS domain
  FROM sso_connections c CROSS JOIN LATERAL unnest(c.email_domains) AS x(domain)
) d
WHERE d.domain <> ''
ON CONFLICT DO NOTHING;
