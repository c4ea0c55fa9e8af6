-- How many embedded-mode mail files of the institution the purge deleted, on its certificate.
ALTER TABLE "deletion_certificates" ADD COLUMN "mail_files_removed" integer DEFAULT 0 NOT NULL;