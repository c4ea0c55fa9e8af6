CREATE TABLE "privacy_policy_notices" (
	"tenant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_policy_notices_tenant_id_version_id_user_id_pk" PRIMARY KEY("tenant_id","version_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "privacy_policy_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" integer NOT NULL,
	"kind" text NOT NULL,
	"effective_on" date NOT NULL,
	"body_en" text NOT NULL,
	"body_fr" text NOT NULL,
	"summary_en" text NOT NULL,
	"summary_fr" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "privacy_policy_versions_kind_check" CHECK ("privacy_policy_versions"."kind" in ('significant', 'minor'))
);
--> statement-breakpoint
ALTER TABLE "privacy_policy_notices" ADD CONSTRAINT "privacy_policy_notices_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_policy_notices" ADD CONSTRAINT "privacy_policy_notices_version_id_privacy_policy_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."privacy_policy_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "privacy_policy_notices" ADD CONSTRAINT "privacy_policy_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "privacy_policy_notices_version_idx" ON "privacy_policy_notices" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "privacy_policy_notices_user_idx" ON "privacy_policy_notices" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "privacy_policy_versions_number_key" ON "privacy_policy_versions" USING btree ("number");--> statement-breakpoint
-- The policy's versions are public (request code reads them; the operator writes them as system code).
SELECT vetted_protect_shared_table('privacy_policy_versions');--> statement-breakpoint
-- A site admin's notices are their institution's data, behind both walls; request code only reads and
-- acknowledges them (they are created by the operator's publication, as system code).
SELECT vetted_protect_tenant_table('privacy_policy_notices', 'SELECT, UPDATE');
