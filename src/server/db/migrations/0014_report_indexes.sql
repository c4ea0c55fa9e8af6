DROP INDEX "assessment_answers_revision_idx";--> statement-breakpoint
CREATE INDEX "audit_events_tenant_id_idx" ON "audit_events" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "assessment_answers_revision_idx" ON "assessment_answers" USING btree ("tenant_id","revision_id","question_id");