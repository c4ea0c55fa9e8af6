-- The master bank is operator-owned and shared: request code reads it, system code writes it.
SELECT vetted_protect_shared_table('pia_templates');
--> statement-breakpoint
SELECT vetted_protect_shared_table('pia_template_versions');
--> statement-breakpoint
SELECT vetted_protect_shared_table('pia_template_sections');
--> statement-breakpoint
SELECT vetted_protect_shared_table('pia_template_questions');
--> statement-breakpoint
-- Assessments are tenant data, behind both walls.
SELECT vetted_protect_tenant_table('assessments');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_revisions');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_sections');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_questions');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_answers');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_risks');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('assessment_signoffs');
--> statement-breakpoint
-- Merge records are kept as they were written: request code may add, never change or remove them.
SELECT vetted_protect_tenant_table('assessment_merges', 'SELECT, INSERT');
