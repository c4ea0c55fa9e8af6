CREATE TABLE "support_grants" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"reason" text NOT NULL,
	"hours" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"granted_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "support_grants_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "support_grants_hours_check" CHECK ("support_grants"."hours" between 1 and 168)
);
--> statement-breakpoint
ALTER TABLE "assessment_answers" DROP CONSTRAINT "assessment_answers_origin_check";--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_grants" ADD CONSTRAINT "support_grants_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_grants_expires_idx" ON "support_grants" USING btree ("tenant_id","expires_at");--> statement-breakpoint
CREATE INDEX "support_grants_granted_by_idx" ON "support_grants" USING btree ("granted_by");--> statement-breakpoint
CREATE INDEX "support_grants_revoked_by_idx" ON "support_grants" USING btree ("revoked_by");--> statement-breakpoint
ALTER TABLE "assessment_answers" ADD CONSTRAINT "assessment_answers_origin_check" CHECK ("assessment_answers"."origin" in ('operator', 'institution', 'onboarding'));--> statement-breakpoint
-- Support grants are tenant data, behind both walls.
SELECT vetted_protect_tenant_table('support_grants');
