CREATE TABLE "institutions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"country" text NOT NULL,
	"subdivision" text NOT NULL,
	"region" text NOT NULL,
	"grade_levels" text[] NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"public_slug" text,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "institutions_region_check" CHECK ("institutions"."region" in ('ca', 'us')),
	CONSTRAINT "institutions_status_check" CHECK ("institutions"."status" in ('active', 'offboarding', 'purged'))
);
--> statement-breakpoint
CREATE TABLE "schools" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"grade_from" text NOT NULL,
	"grade_to" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "schools_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"role" text NOT NULL,
	"can_approve" boolean DEFAULT false NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invitations_role_check" CHECK ("invitations"."role" in ('site_admin', 'app_admin'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"tenant_id" uuid,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"role" text NOT NULL,
	"can_approve" boolean DEFAULT false NOT NULL,
	"password_hash" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('platform_admin', 'site_admin', 'app_admin')),
	CONSTRAINT "users_status_check" CHECK ("users"."status" in ('active', 'disabled')),
	CONSTRAINT "users_role_tenant_check" CHECK (("users"."role" = 'platform_admin' and "users"."tenant_id" is null) or ("users"."role" <> 'platform_admin' and "users"."tenant_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "catalog_apps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"vendor" text NOT NULL,
	"website" text,
	"privacy_policy_url" text,
	"terms_url" text,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"storage_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"processing_countries" text[] DEFAULT '{}'::text[] NOT NULL,
	"sign_in_support" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_elements" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inventory_items" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"catalog_app_id" uuid,
	"custom_name" text,
	"custom_vendor" text,
	"custom_website" text,
	"name" text NOT NULL,
	"vendor" text DEFAULT '' NOT NULL,
	"grades" text[] DEFAULT '{}'::text[] NOT NULL,
	"school_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"audiences" text[] DEFAULT '{}'::text[] NOT NULL,
	"data_elements" text[] DEFAULT '{}'::text[] NOT NULL,
	"purpose" text DEFAULT '' NOT NULL,
	"owner_user_id" uuid,
	"status" text DEFAULT 'requested' NOT NULL,
	"conditions_of_use" text DEFAULT '' NOT NULL,
	"agreement_type" text DEFAULT 'none' NOT NULL,
	"agreement_signed" boolean DEFAULT false NOT NULL,
	"agreement_signed_on" date,
	"agreement_expires_on" date,
	"agreement_url" text,
	"next_review_on" date,
	"notes" text DEFAULT '' NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_items_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "inventory_items_source_check" CHECK (("inventory_items"."catalog_app_id" is not null and "inventory_items"."custom_name" is null) or ("inventory_items"."catalog_app_id" is null and "inventory_items"."custom_name" is not null)),
	CONSTRAINT "inventory_items_status_check" CHECK ("inventory_items"."status" in ('requested', 'in_review', 'approved', 'approved_with_conditions', 'not_approved', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"actor_role" text NOT NULL,
	"action" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"before_digest" text,
	"after_digest" text,
	"changes" jsonb NOT NULL,
	"request_id" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "schools" ADD CONSTRAINT "schools_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_catalog_app_id_catalog_apps_id_fk" FOREIGN KEY ("catalog_app_id") REFERENCES "public"."catalog_apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "institutions_public_slug_key" ON "institutions" USING btree ("public_slug");--> statement-breakpoint
CREATE UNIQUE INDEX "schools_name_key" ON "schools" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_key" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitations_invited_by_idx" ON "invitations" USING btree ("invited_by");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_tenant_idx" ON "sessions" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "users_tenant_idx" ON "users" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "catalog_apps_slug_key" ON "catalog_apps" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "catalog_apps_name_idx" ON "catalog_apps" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_items_catalog_key" ON "inventory_items" USING btree ("tenant_id","catalog_app_id") WHERE "inventory_items"."catalog_app_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_items_custom_name_key" ON "inventory_items" USING btree ("tenant_id",lower("custom_name")) WHERE "inventory_items"."catalog_app_id" is null;--> statement-breakpoint
CREATE INDEX "inventory_items_catalog_idx" ON "inventory_items" USING btree ("catalog_app_id");--> statement-breakpoint
CREATE INDEX "inventory_items_owner_idx" ON "inventory_items" USING btree ("owner_user_id");--> statement-breakpoint
CREATE INDEX "inventory_items_status_idx" ON "inventory_items" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_record_idx" ON "audit_events" USING btree ("tenant_id","record_type","record_id");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_at_idx" ON "audit_events" USING btree ("tenant_id","at");--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor_user_id");