ALTER TABLE "assessment_answers" ADD COLUMN "vendor_answered_on" date;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD COLUMN "reviewed_on" date;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_vendor_answered_on" date;--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD COLUMN "pre_answer_reviewed_on" date;--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_provenance_check" CHECK ("assessment_answers"."origin" = 'vendor' or ("assessment_answers"."vendor_answered_on" is null and "assessment_answers"."reviewed_on" is null));--> statement-breakpoint
ALTER TABLE "pia_template_questions" ADD CONSTRAINT "pia_template_questions_pre_answer_provenance_check" CHECK ("pia_template_questions"."pre_answer_origin" = 'vendor' or ("pia_template_questions"."pre_answer_vendor_answered_on" is null and "pia_template_questions"."pre_answer_reviewed_on" is null));