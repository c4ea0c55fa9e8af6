ALTER TABLE "sso_connections" ADD COLUMN "saml_mfa_authn_contexts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_login_states" ADD COLUMN "reauth_session_id" text;--> statement-breakpoint
ALTER TABLE "sso_login_states" ADD COLUMN "return_to" text;