CREATE TABLE "bank_bundles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"sequence" integer NOT NULL,
	"content_digest" text NOT NULL,
	"key_id" text NOT NULL,
	"bundle_created_at" timestamp with time zone NOT NULL,
	"document" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_bundles_direction_check" CHECK ("bank_bundles"."direction" in ('exported', 'imported')),
	CONSTRAINT "bank_bundles_sequence_check" CHECK ("bank_bundles"."sequence" >= 1)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "bank_bundles_sequence_key" ON "bank_bundles" USING btree ("direction","sequence");--> statement-breakpoint
-- Operator data shared by the cell (no tenant): read by request code, written by system code only.
SELECT vetted_protect_shared_table('bank_bundles');
