CREATE TABLE "pia_update_notices" (
	"tenant_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"language" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pia_update_notices_tenant_id_version_id_user_id_pk" PRIMARY KEY("tenant_id","version_id","user_id"),
	CONSTRAINT "pia_update_notices_language_check" CHECK ("pia_update_notices"."language" in ('en', 'fr'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "pia_update_notices" ADD CONSTRAINT "pia_update_notices_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_update_notices" ADD CONSTRAINT "pia_update_notices_version_id_pia_template_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_update_notices" ADD CONSTRAINT "pia_update_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pia_update_notices_version_idx" ON "pia_update_notices" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "pia_update_notices_user_idx" ON "pia_update_notices" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_language_check" CHECK ("users"."language" in ('en', 'fr'));