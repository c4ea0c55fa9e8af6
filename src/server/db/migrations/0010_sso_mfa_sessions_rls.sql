-- The tables of sign-in behind both database walls (see 0002).
SELECT vetted_protect_tenant_table('sso_connections');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('auth_policies');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('sso_identities');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('sso_login_states');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('saml_seen_assertions');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('auth_tokens');
