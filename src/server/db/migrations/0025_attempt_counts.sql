CREATE TABLE "attempt_counts" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"resets_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "attempt_counts_resets_idx" ON "attempt_counts" USING btree ("resets_at");--> statement-breakpoint
-- Not tenant data (keyed hashes and counts only): no row-level security. Request code counts
-- (vetted_app: insert and update, never delete); the sweep job removes expired rows (vetted_system).
GRANT SELECT, INSERT, UPDATE ON "attempt_counts" TO vetted_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "attempt_counts" TO vetted_system;
