-- The process producing a running export (host/pid/token), to fail an export whose worker died.
ALTER TABLE "data_exports" ADD COLUMN "worker_id" text;