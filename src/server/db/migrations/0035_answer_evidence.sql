ALTER TABLE "institutions" ADD COLUMN "evidence_review_months" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD COLUMN "evidence_url" text;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD COLUMN "evidence_quote" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD COLUMN "evidence_seen_on" date;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_evidence_url" text;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_evidence_quote" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_evidence_seen_on" date;--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_evidence_review_check" CHECK ("institutions"."evidence_review_months" between 1 and 60);