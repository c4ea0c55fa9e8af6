ALTER TABLE "assessment_questions" ADD COLUMN "fr" jsonb;--> statement-breakpoint
ALTER TABLE "assessment_sections" ADD COLUMN "fr" jsonb;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "fr" jsonb;--> statement-breakpoint
ALTER TABLE "pia_template_sections" ADD COLUMN "fr" jsonb;--> statement-breakpoint
ALTER TABLE "pia_templates" ADD COLUMN "fr" jsonb;