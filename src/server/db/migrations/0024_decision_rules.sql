ALTER TABLE "inventory_items" DROP CONSTRAINT "inventory_items_status_check";--> statement-breakpoint
-- Institutions that exist already keep how they worked (no rule, expired agreements change nothing);
-- new institutions get the rules on.
ALTER TABLE "institutions" ADD COLUMN "require_approved_pia" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "require_approved_pia" SET DEFAULT true;--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "expired_agreement" text DEFAULT 'keep' NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ALTER COLUMN "expired_agreement" SET DEFAULT 'needs_review';--> statement-breakpoint
ALTER TABLE "institutions" ADD COLUMN "review_interval_months" integer DEFAULT 12 NOT NULL;--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_expired_agreement_check" CHECK ("institutions"."expired_agreement" in ('needs_review', 'keep'));--> statement-breakpoint
ALTER TABLE "institutions" ADD CONSTRAINT "institutions_review_interval_check" CHECK ("institutions"."review_interval_months" between 1 and 60);--> statement-breakpoint
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_status_check" CHECK ("inventory_items"."status" in ('requested', 'in_review', 'approved', 'approved_with_conditions', 'not_approved', 'needs_review', 'retired'));
