CREATE TABLE "assessment_answers" (
	"tenant_id" uuid NOT NULL,
	"question_id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"value" jsonb,
	"origin" text NOT NULL,
	"updated_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_answers_tenant_id_question_id_pk" PRIMARY KEY("tenant_id","question_id"),
	CONSTRAINT "assessment_answers_origin_check" CHECK ("assessment_answers"."origin" in ('operator', 'institution'))
);
--> statement-breakpoint
CREATE TABLE "assessment_merges" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"from_version_id" uuid,
	"to_version_id" uuid NOT NULL,
	"decisions" jsonb NOT NULL,
	"merged_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_merges_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "assessment_questions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"section_id" uuid NOT NULL,
	"key" text NOT NULL,
	"origin" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"prompt" text NOT NULL,
	"guidance" text DEFAULT '' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"condition" jsonb,
	"jurisdictions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_questions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessment_questions_origin_check" CHECK ("assessment_questions"."origin" in ('operator', 'institution')),
	CONSTRAINT "assessment_questions_kind_check" CHECK ("assessment_questions"."kind" in ('yes_no_unsure', 'single_choice', 'multiple_choice', 'short_text', 'long_text', 'date', 'country_list', 'data_elements', 'table_rows', 'evidence_link', 'risk'))
);
--> statement-breakpoint
CREATE TABLE "assessment_revisions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"template_version_id" uuid,
	"created_by" uuid,
	"submitted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"conditions" text DEFAULT '' NOT NULL,
	"next_review_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_revisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessment_revisions_status_check" CHECK ("assessment_revisions"."status" in ('draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "assessment_risks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"likelihood" integer NOT NULL,
	"impact" integer NOT NULL,
	"mitigation" text DEFAULT '' NOT NULL,
	"owner" text DEFAULT '' NOT NULL,
	"due_on" date,
	"residual_likelihood" integer,
	"residual_impact" integer,
	"position" integer DEFAULT 0 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_risks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessment_risks_scale_check" CHECK ("assessment_risks"."likelihood" between 1 and 5 and "assessment_risks"."impact" between 1 and 5),
	CONSTRAINT "assessment_risks_residual_check" CHECK (("assessment_risks"."residual_likelihood" is null or "assessment_risks"."residual_likelihood" between 1 and 5) and ("assessment_risks"."residual_impact" is null or "assessment_risks"."residual_impact" between 1 and 5))
);
--> statement-breakpoint
CREATE TABLE "assessment_sections" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"key" text NOT NULL,
	"origin" text NOT NULL,
	"code" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_sections_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessment_sections_origin_check" CHECK ("assessment_sections"."origin" in ('operator', 'institution'))
);
--> statement-breakpoint
CREATE TABLE "assessment_signoffs" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"revision_id" uuid NOT NULL,
	"user_id" uuid,
	"signer_name" text NOT NULL,
	"role" text NOT NULL,
	"decision" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_signoffs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessment_signoffs_decision_check" CHECK ("assessment_signoffs"."decision" in ('submitted', 'returned', 'approved', 'approved_with_conditions', 'rejected', 'reopened'))
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"inventory_item_id" uuid NOT NULL,
	"template_id" uuid,
	"base_version_id" uuid,
	"title" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"current_revision" integer DEFAULT 1 NOT NULL,
	"approved_revision" integer,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assessments_status_check" CHECK ("assessments"."status" in ('draft', 'in_review', 'approved', 'approved_with_conditions', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "pia_template_questions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL,
	"section_id" uuid NOT NULL,
	"key" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"prompt" text NOT NULL,
	"guidance" text DEFAULT '' NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"pre_answer" jsonb,
	"condition" jsonb,
	"jurisdictions" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pia_template_questions_kind_check" CHECK ("pia_template_questions"."kind" in ('yes_no_unsure', 'single_choice', 'multiple_choice', 'short_text', 'long_text', 'date', 'country_list', 'data_elements', 'table_rows', 'evidence_link', 'risk'))
);
--> statement-breakpoint
CREATE TABLE "pia_template_sections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"version_id" uuid NOT NULL,
	"key" text NOT NULL,
	"code" text DEFAULT '' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pia_template_versions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"template_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"change_log" text DEFAULT '' NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pia_template_versions_status_check" CHECK ("pia_template_versions"."status" in ('draft', 'published')),
	CONSTRAINT "pia_template_versions_number_check" CHECK ("pia_template_versions"."number" >= 1)
);
--> statement-breakpoint
CREATE TABLE "pia_templates" (
	"id" uuid PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"catalog_app_id" uuid,
	"jurisdictions" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_generic" boolean DEFAULT false NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_tenant_id_question_id_assessment_questions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","question_id") REFERENCES "public"."assessment_questions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_from_version_id_pia_template_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_to_version_id_pia_template_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_tenant_id_assessment_id_assessments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assessment_id") REFERENCES "public"."assessments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_merges" ADD CONSTRAINT "assessment_merges_merged_by_users_id_fk" FOREIGN KEY ("merged_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_questions" ADD CONSTRAINT "assessment_questions_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_questions" ADD CONSTRAINT "assessment_questions_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_questions" ADD CONSTRAINT "assessment_questions_tenant_id_section_id_assessment_sections_tenant_id_id_fk" FOREIGN KEY ("tenant_id","section_id") REFERENCES "public"."assessment_sections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_revisions" ADD CONSTRAINT "assessment_revisions_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_revisions" ADD CONSTRAINT "assessment_revisions_template_version_id_pia_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_revisions" ADD CONSTRAINT "assessment_revisions_tenant_id_assessment_id_assessments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","assessment_id") REFERENCES "public"."assessments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_revisions" ADD CONSTRAINT "assessment_revisions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_risks" ADD CONSTRAINT "assessment_risks_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_risks" ADD CONSTRAINT "assessment_risks_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_sections" ADD CONSTRAINT "assessment_sections_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_sections" ADD CONSTRAINT "assessment_sections_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_signoffs" ADD CONSTRAINT "assessment_signoffs_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_signoffs" ADD CONSTRAINT "assessment_signoffs_tenant_id_revision_id_assessment_revisions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","revision_id") REFERENCES "public"."assessment_revisions"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_signoffs" ADD CONSTRAINT "assessment_signoffs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_template_id_pia_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."pia_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_base_version_id_pia_template_versions_id_fk" FOREIGN KEY ("base_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_tenant_id_inventory_item_id_inventory_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","inventory_item_id") REFERENCES "public"."inventory_items"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD CONSTRAINT "pia_template_questions_version_id_pia_template_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD CONSTRAINT "pia_template_questions_section_id_pia_template_sections_id_fk" FOREIGN KEY ("section_id") REFERENCES "public"."pia_template_sections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_template_sections" ADD CONSTRAINT "pia_template_sections_version_id_pia_template_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_template_versions" ADD CONSTRAINT "pia_template_versions_template_id_pia_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."pia_templates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_template_versions" ADD CONSTRAINT "pia_template_versions_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pia_templates" ADD CONSTRAINT "pia_templates_catalog_app_id_catalog_apps_id_fk" FOREIGN KEY ("catalog_app_id") REFERENCES "public"."catalog_apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_answers_revision_idx" ON "assessment_answers" USING btree ("tenant_id","revision_id");--> statement-breakpoint
CREATE INDEX "assessment_answers_updated_by_idx" ON "assessment_answers" USING btree ("updated_by");--> statement-breakpoint
CREATE INDEX "assessment_merges_assessment_idx" ON "assessment_merges" USING btree ("tenant_id","assessment_id");--> statement-breakpoint
CREATE INDEX "assessment_merges_revision_idx" ON "assessment_merges" USING btree ("tenant_id","revision_id");--> statement-breakpoint
CREATE INDEX "assessment_merges_from_idx" ON "assessment_merges" USING btree ("from_version_id");--> statement-breakpoint
CREATE INDEX "assessment_merges_to_idx" ON "assessment_merges" USING btree ("to_version_id");--> statement-breakpoint
CREATE INDEX "assessment_merges_by_idx" ON "assessment_merges" USING btree ("merged_by");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_questions_key" ON "assessment_questions" USING btree ("tenant_id","revision_id","key");--> statement-breakpoint
CREATE INDEX "assessment_questions_section_idx" ON "assessment_questions" USING btree ("tenant_id","section_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_revisions_number_key" ON "assessment_revisions" USING btree ("tenant_id","assessment_id","number");--> statement-breakpoint
CREATE INDEX "assessment_revisions_template_version_idx" ON "assessment_revisions" USING btree ("template_version_id");--> statement-breakpoint
CREATE INDEX "assessment_revisions_created_by_idx" ON "assessment_revisions" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "assessment_risks_revision_idx" ON "assessment_risks" USING btree ("tenant_id","revision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_sections_key" ON "assessment_sections" USING btree ("tenant_id","revision_id","key");--> statement-breakpoint
CREATE INDEX "assessment_signoffs_revision_idx" ON "assessment_signoffs" USING btree ("tenant_id","revision_id");--> statement-breakpoint
CREATE INDEX "assessment_signoffs_user_idx" ON "assessment_signoffs" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_inventory_item_key" ON "assessments" USING btree ("tenant_id","inventory_item_id");--> statement-breakpoint
CREATE INDEX "assessments_template_idx" ON "assessments" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "assessments_base_version_idx" ON "assessments" USING btree ("base_version_id");--> statement-breakpoint
CREATE INDEX "assessments_created_by_idx" ON "assessments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "assessments_status_idx" ON "assessments" USING btree ("tenant_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "pia_template_questions_key" ON "pia_template_questions" USING btree ("version_id","key");--> statement-breakpoint
CREATE INDEX "pia_template_questions_section_idx" ON "pia_template_questions" USING btree ("section_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pia_template_sections_key" ON "pia_template_sections" USING btree ("version_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "pia_template_versions_number_key" ON "pia_template_versions" USING btree ("template_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "pia_template_versions_one_draft_key" ON "pia_template_versions" USING btree ("template_id") WHERE "pia_template_versions"."status" = 'draft';--> statement-breakpoint
CREATE INDEX "pia_template_versions_published_by_idx" ON "pia_template_versions" USING btree ("published_by");--> statement-breakpoint
CREATE UNIQUE INDEX "pia_templates_slug_key" ON "pia_templates" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "pia_templates_catalog_app_idx" ON "pia_templates" USING btree ("catalog_app_id");