CREATE TABLE "vendor_answer_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"questionnaire_id" uuid NOT NULL,
	"tenant_id" uuid,
	"question_key" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"key_secret" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendor_answer_files_content_type_check" CHECK ("vendor_answer_files"."content_type" in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/png', 'image/jpeg'))
);
--> statement-breakpoint
ALTER TABLE "vendor_answer_files" ADD CONSTRAINT "vendor_answer_files_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_answer_files" ADD CONSTRAINT "vendor_answer_files_questionnaire_id_vendor_questionnaires_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."vendor_questionnaires"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vendor_answer_files_questionnaire_idx" ON "vendor_answer_files" USING btree ("tenant_id","questionnaire_id","question_key");--> statement-breakpoint
-- Files the vendor attaches as evidence: an institution's are its data, behind both walls; the
-- operator's (no tenant) are reached by system code alone, as their questionnaires are.
SELECT vetted_protect_tenant_table('vendor_answer_files');
