CREATE TABLE "sso_account_links" (
	"tenant_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_account_links_tenant_id_connection_id_user_id_pk" PRIMARY KEY("tenant_id","connection_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "sso_domains" (
	"tenant_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"domain" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"verification_token" text NOT NULL,
	"verified_at" timestamp with time zone,
	"verification_method" text,
	"approved_by_user_id" uuid,
	"approved_by_label" text,
	"last_checked_at" timestamp with time zone,
	"last_check_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sso_domains_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sso_domains_status_check" CHECK ("sso_domains"."status" in ('pending', 'verified')),
	CONSTRAINT "sso_domains_method_check" CHECK ("sso_domains"."verification_method" is null or "sso_domains"."verification_method" in ('dns', 'operator')),
	CONSTRAINT "sso_domains_verified_check" CHECK (("sso_domains"."status" = 'verified') = ("sso_domains"."verified_at" is not null and "sso_domains"."verification_method" is not null)),
	CONSTRAINT "sso_domains_domain_check" CHECK ("sso_domains"."domain" = lower("sso_domains"."domain") and "sso_domains"."domain" not like '%.')
);
--> statement-breakpoint
ALTER TABLE "sso_account_links" ADD CONSTRAINT "sso_account_links_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_account_links" ADD CONSTRAINT "sso_account_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_account_links" ADD CONSTRAINT "sso_account_links_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_account_links" ADD CONSTRAINT "sso_account_links_connection_fk" FOREIGN KEY ("tenant_id","connection_id") REFERENCES "public"."sso_connections"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_domains" ADD CONSTRAINT "sso_domains_tenant_id_institutions_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."institutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sso_domains" ADD CONSTRAINT "sso_domains_approved_by_user_id_users_id_fk" FOREIGN KEY ("approved_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sso_account_links_user_idx" ON "sso_account_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sso_account_links_created_by_idx" ON "sso_account_links" USING btree ("created_by_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_domains_tenant_domain_key" ON "sso_domains" USING btree ("tenant_id","domain");--> statement-breakpoint
CREATE UNIQUE INDEX "sso_domains_verified_domain_key" ON "sso_domains" USING btree ("domain") WHERE "sso_domains"."status" = 'verified';--> statement-breakpoint
CREATE INDEX "sso_domains_approved_by_idx" ON "sso_domains" USING btree ("approved_by_user_id");
--> statement-breakpoint
-- Claimed email domains and explicit account links behind both database walls (see 0002).
SELECT vetted_protect_tenant_table('sso_domains');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('sso_account_links');
--> statement-breakpoint
-- The domains existing connections list become pending claims of their institution: they stay on
-- the connections but count for nothing (discovery, linking by email, just-in-time creation) until
-- the institution proves control of them or a platform admin approves them.
INSERT INTO sso_domains (tenant_id, id, domain, status, verification_token)
SELECT d.tenant_id, gen_random_uuid(), d.domain, 'pending', replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '')
FROM (
  SELECT DISTINCT c.tenant_id, rtrim(lower(x.domain), '.') AS domain
  FROM sso_connections c CROSS JOIN LATERAL unnest(c.email_domains) AS x(domain)
) d
WHERE d.domain <> ''
ON CONFLICT DO NOTHING;
