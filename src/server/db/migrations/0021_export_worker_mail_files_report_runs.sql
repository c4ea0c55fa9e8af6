-- The process producing a running export (host/pid/token), to fail an export whose worker died.
ALTER TABLE "data_exports" ADD COLUMN "worker_id" text;
--> statement-breakpoint
-- How many embedded-mode mail files of the institution the purge deleted, on its certificate.
ALTER TABLE "deletion_certificates" ADD COLUMN "mail_files_removed" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- The report-run counter keeps a date and a count only: created_at/updated_at told the first and
-- last run time of each day. Dropping them keeps every row and its count.
ALTER TABLE "report_runs" DROP COLUMN "created_at";--> statement-breakpoint
ALTER TABLE "report_runs" DROP COLUMN "updated_at";