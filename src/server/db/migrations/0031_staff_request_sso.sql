ALTER TABLE "sso_login_states" DROP CONSTRAINT "sso_login_states_purpose_check";--> statement-breakpoint
ALTER TABLE "sso_connections" ADD COLUMN "staff_requests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_login_states" ADD CONSTRAINT "sso_login_states_purpose_check" CHECK ("sso_login_states"."purpose" in ('login', 'logout', 'staff_request'));