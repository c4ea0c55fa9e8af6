CREATE TABLE "vendor_answers" (
	"questionnaire_id" uuid NOT NULL,
	"tenant_id" uuid,
	"question_key" text NOT NULL,
	"value" jsonb,
	"evidence_url" text,
	"evidence_quote" text DEFAULT '' NOT NULL,
	"evidence_seen_on" date,
	"review" text DEFAULT 'pending' NOT NULL,
	"review_note" text DEFAULT '' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendor_answers_questionnaire_id_question_key_pk" PRIMARY KEY("questionnaire_id","question_key"),
	CONSTRAINT "vendor_answers_review_check" CHECK ("vendor_answers"."review" in ('pending', 'accepted', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "vendor_questionnaires" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid,
	"template_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"inventory_item_id" uuid,
	"product_name" text NOT NULL,
	"vendor_name" text DEFAULT '' NOT NULL,
	"token_hash" text NOT NULL,
	"contact_email_secret" text,
	"language" text DEFAULT 'en' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"submitted_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"published_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendor_questionnaires_status_check" CHECK ("vendor_questionnaires"."status" in ('open', 'submitted', 'published', 'closed')),
	CONSTRAINT "vendor_questionnaires_language_check" CHECK ("vendor_questionnaires"."language" in ('en', 'fr'))
);
--> statement-breakpoint
ALTER TABLE "assessment_answers" DROP CONSTRAINT "assessment_answers_origin_check";--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_origin" text DEFAULT 'operator' NOT NULL;--> statement-breakpoint
ALTER TABLE "vendor_answers" ADD CONSTRAINT "vendor_answers_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_answers" ADD CONSTRAINT "vendor_answers_questionnaire_id_vendor_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."vendor_questionnaires"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_questionnaires" ADD CONSTRAINT "vendor_questionnaires_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_questionnaires" ADD CONSTRAINT "vendor_questionnaires_template_id_pia_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."pia_templates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_questionnaires" ADD CONSTRAINT "vendor_questionnaires_template_version_id_pia_template_versions_id_fk" FOREIGN KEY ("template_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_questionnaires" ADD CONSTRAINT "vendor_questionnaires_published_version_id_pia_template_versions_id_fk" FOREIGN KEY ("published_version_id") REFERENCES "public"."pia_template_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vendor_answers_tenant_idx" ON "vendor_answers" USING btree ("tenant_id","questionnaire_id");--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_questionnaires_token_key" ON "vendor_questionnaires" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "vendor_questionnaires_tenant_idx" ON "vendor_questionnaires" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "vendor_questionnaires_template_idx" ON "vendor_questionnaires" USING btree ("template_id");--> statement-breakpoint
CREATE INDEX "vendor_questionnaires_version_idx" ON "vendor_questionnaires" USING btree ("template_version_id");--> statement-breakpoint
CREATE INDEX "vendor_questionnaires_published_version_idx" ON "vendor_questionnaires" USING btree ("published_version_id");--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_origin_check" CHECK ("assessment_answers"."origin" in ('operator', 'institution', 'onboarding', 'vendor'));--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD CONSTRAINT "pia_template_questions_pre_answer_origin_check" CHECK ("pia_template_questions"."pre_answer_origin" in ('operator', 'vendor'));--> statement-breakpoint
-- Vendor questionnaires: an institution's are its data, behind both walls; the operator's (no tenant)
-- are visible to system code alone (a null tenant matches no request's tenant). The vendor's page
-- finds its questionnaire by the link token's hash as system code, then works inside its tenant.
SELECT vetted_protect_tenant_table('vendor_questionnaires');--> statement-breakpoint
SELECT vetted_protect_tenant_table('vendor_answers');
