-- The report-run counter keeps a date and a count only: created_at/updated_at told the first and
-- last run time of each day. Dropping them keeps every row and its count.
ALTER TABLE "report_runs" DROP COLUMN "created_at";--> statement-breakpoint
ALTER TABLE "report_runs" DROP COLUMN "updated_at";