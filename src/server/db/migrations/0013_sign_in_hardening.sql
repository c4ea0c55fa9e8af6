ALTER TABLE "sessions" ADD COLUMN "authenticated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "sso_connection_id" uuid;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "sso_id_token" text;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "require_idp_mfa" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "mfa_acr_values" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- Recovery codes are now argon2id hashes with their own salt. The older keyed hashes (HMAC-SHA-256
-- under the server secret) are not converted: they are dropped, so no old code works any more.
-- People with two-step verification keep their authenticator app and see "0 recovery codes left"
-- with a prompt to create new ones (account page).
UPDATE "users" SET "mfa_recovery_codes" = '{}'::text[] WHERE cardinality("mfa_recovery_codes") > 0;
--> statement-breakpoint
-- Sessions open before this change count as authenticated when they started.
UPDATE "sessions" SET "authenticated_at" = "created_at";
