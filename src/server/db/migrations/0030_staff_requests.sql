CREATE TABLE "staff_request_links" (
	"tenant_id" uuid NOT NULL,
	"link_token_hash" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_request_links_tenant_id_pk" PRIMARY KEY("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "staff_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"status_token_hash" text NOT NULL,
	"catalog_app_id" uuid,
	"app_name" text NOT NULL,
	"app_vendor" text DEFAULT '' NOT NULL,
	"app_website" text,
	"purpose" text NOT NULL,
	"grades" text[] DEFAULT '{}'::text[] NOT NULL,
	"school_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"student_count" integer,
	"data_elements" text[] DEFAULT '{}'::text[] NOT NULL,
	"requester_email_secret" text,
	"language" text DEFAULT 'en' NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"decline_reason" text DEFAULT '' NOT NULL,
	"merged_into_id" uuid,
	"inventory_item_id" uuid,
	"notified_at" timestamp with time zone,
	"triaged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "staff_requests_status_check" CHECK ("staff_requests"."status" in ('waiting', 'accepted', 'merged', 'declined')),
	CONSTRAINT "staff_requests_language_check" CHECK ("staff_requests"."language" in ('en', 'fr')),
	CONSTRAINT "staff_requests_student_count_check" CHECK ("staff_requests"."student_count" is null or "staff_requests"."student_count" >= 0)
);
--> statement-breakpoint
ALTER TABLE "staff_request_links" ADD CONSTRAINT "staff_request_links_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_requests" ADD CONSTRAINT "staff_requests_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_requests" ADD CONSTRAINT "staff_requests_catalog_app_id_catalog_apps_id_fk" FOREIGN KEY ("catalog_app_id") REFERENCES "public"."catalog_apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_request_links_token_key" ON "staff_request_links" USING btree ("link_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_requests_status_token_key" ON "staff_requests" USING btree ("status_token_hash");--> statement-breakpoint
CREATE INDEX "staff_requests_status_idx" ON "staff_requests" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "staff_requests_catalog_idx" ON "staff_requests" USING btree ("catalog_app_id");--> statement-breakpoint
CREATE INDEX "staff_requests_item_idx" ON "staff_requests" USING btree ("tenant_id","inventory_item_id");--> statement-breakpoint
CREATE INDEX "staff_requests_merged_idx" ON "staff_requests" USING btree ("tenant_id","merged_into_id");--> statement-breakpoint
-- Staff request pages and requests are an institution's data, behind both walls. The public pages
-- find their institution by a link token's hash as system code, then work inside that institution.
SELECT vetted_protect_tenant_table('staff_request_links');--> statement-breakpoint
SELECT vetted_protect_tenant_table('staff_requests');
