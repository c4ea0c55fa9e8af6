CREATE TABLE "deletion_certificates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"institution_id" uuid NOT NULL,
	"institution_name" text NOT NULL,
	"region" text NOT NULL,
	"end_of_service_at" timestamp with time zone NOT NULL,
	"purge_started_at" timestamp with time zone NOT NULL,
	"purge_completed_at" timestamp with time zone,
	"table_counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tables_verified" integer DEFAULT 0 NOT NULL,
	"archives_removed" integer DEFAULT 0 NOT NULL,
	"key_destroyed" boolean DEFAULT false NOT NULL,
	"digest" text,
	"contact_email" text,
	"mailed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deletion_certificates_institution_id_unique" UNIQUE("institution_id")
);
--> statement-breakpoint
CREATE TABLE "offboardings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"contact_email" text NOT NULL,
	"end_of_service_at" timestamp with time zone NOT NULL,
	"purge_after" timestamp with time zone NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"confirmed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offboardings_status_check" CHECK ("offboardings"."status" in ('requested', 'scheduled'))
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "pii_digest" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "redacted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "offboardings" ADD CONSTRAINT "offboardings_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_chain_key" ON "audit_events" USING btree (coalesce("tenant_id", '00000000-0000-0000-0000-000000000000'::uuid),"seq") WHERE "audit_events"."seq" is not null;