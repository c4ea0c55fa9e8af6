CREATE TABLE "attachment_keys" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"sealed_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"inventory_item_id" uuid,
	"assessment_id" uuid,
	"kind" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"agreement_expires_on" date,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "attachments_owner_check" CHECK (("attachments"."inventory_item_id" is null) <> ("attachments"."assessment_id" is null)),
	CONSTRAINT "attachments_kind_check" CHECK ("attachments"."kind" in ('agreement', 'vendor_document', 'other')),
	CONSTRAINT "attachments_content_type_check" CHECK ("attachments"."content_type" in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/png', 'image/jpeg'))
);
--> statement-breakpoint
ALTER TABLE "attachment_keys" ADD CONSTRAINT "attachment_keys_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_tenant_id_inventory_item_id_inventory_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","inventory_item_id") REFERENCES "public"."inventory_items"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_tenant_id_assessment_id_assessments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assessment_id") REFERENCES "public"."assessments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attachments_inventory_item_idx" ON "attachments" USING btree ("tenant_id","inventory_item_id");--> statement-breakpoint
CREATE INDEX "attachments_assessment_idx" ON "attachments" USING btree ("tenant_id","assessment_id");--> statement-breakpoint
CREATE INDEX "attachments_uploaded_by_idx" ON "attachments" USING btree ("uploaded_by");--> statement-breakpoint
-- Attachments and their institution's key are the institution's data, behind both walls.
SELECT vetted_protect_tenant_table('attachments');--> statement-breakpoint
-- Request code makes the key on the first upload and reads it; it never changes or removes it.
SELECT vetted_protect_tenant_table('attachment_keys', 'SELECT, INSERT');
