CREATE TABLE "notifications" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"category" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"days" integer NOT NULL,
	"date" date,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "reminder_digests" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"items" integer NOT NULL,
	"emailed" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_digests_tenant_id_user_id_day_pk" PRIMARY KEY("tenant_id","user_id","day")
);
--> statement-breakpoint
CREATE TABLE "reminder_preferences" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"categories" text[] NOT NULL,
	"by_email" boolean DEFAULT true NOT NULL,
	"decision_wait_days" integer DEFAULT 7 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_preferences_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_digests" ADD CONSTRAINT "reminder_digests_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_digests" ADD CONSTRAINT "reminder_digests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ADD CONSTRAINT "reminder_preferences_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ADD CONSTRAINT "reminder_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_item_key" ON "notifications" USING btree ("tenant_id","user_id","day","category","record_id");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "reminder_digests_user_idx" ON "reminder_digests" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "reminder_preferences_user_idx" ON "reminder_preferences" USING btree ("user_id");--> statement-breakpoint
-- A person's reminder choices, their digests and their notifications are their institution's data,
-- behind both walls. Request code reads and writes its own people's choices; the daily job (run as
-- request code in each institution) adds digests and notifications; a person marks theirs read.
SELECT vetted_protect_tenant_table('reminder_preferences', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
SELECT vetted_protect_tenant_table('reminder_digests', 'SELECT, INSERT');--> statement-breakpoint
SELECT vetted_protect_tenant_table('notifications', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
-- And a third wall on notifications: within the institution, request code sees and changes only the
-- rows of the person named by the transaction-local `app.user_id` (none when it is not set).
CREATE POLICY own_notifications ON notifications AS RESTRICTIVE TO vetted_app
  USING (user_id = nullif(current_setting('app.user_id', true), '')::uuid)
  WITH CHECK (user_id = nullif(current_setting('app.user_id', true), '')::uuid);
