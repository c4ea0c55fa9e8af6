CREATE TABLE "mail_outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"institution_id" uuid,
	"recipient" text NOT NULL,
	"language" text NOT NULL,
	"template" text NOT NULL,
	"content" text,
	"subject" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mail_outbox_status_check" CHECK ("mail_outbox"."status" in ('queued', 'sending', 'sent', 'failed')),
	CONSTRAINT "mail_outbox_language_check" CHECK ("mail_outbox"."language" in ('en', 'fr'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "mail_outbox_idempotency_key" ON "mail_outbox" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_institution_idx" ON "mail_outbox" USING btree ("institution_id");--> statement-breakpoint
-- The service's delivery queue (docs/adr/0009-mail-outbox.md). Request code only adds mail about its
-- own institution, in the transaction of the change (vetted_app: insert, never read); the workers and
-- system code (vetted_system) claim, send, and purge.
ALTER TABLE "mail_outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "mail_outbox" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY tenant_isolation ON "mail_outbox" TO vetted_app
  USING (institution_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (institution_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY system_access ON "mail_outbox" TO vetted_system USING (true) WITH CHECK (true);--> statement-breakpoint
-- ON CONFLICT (idempotency_key) reads the key of a conflicting row: request code may read that column
-- of its own institution's mail, and nothing else.
GRANT INSERT, SELECT (idempotency_key) ON "mail_outbox" TO vetted_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "mail_outbox" TO vetted_system;
