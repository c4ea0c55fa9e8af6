ALTER TABLE "sessions" ADD COLUMN "sso_saml_logout" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_idp_slo_url" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_sp_key" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "saml_sp_cert" text;--> statement-breakpoint
ALTER TABLE "sso_login_states" ADD COLUMN "purpose" text DEFAULT 'login' NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_login_states" ADD CONSTRAINT "sso_login_states_purpose_check" CHECK ("sso_login_states"."purpose" in ('login', 'logout'));