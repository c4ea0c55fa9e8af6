-- Tenant isolation, the database wall (see docs/adr/0002-tenant-isolation.md).
-- vetted_app: what request code runs as; sees only the rows of app.tenant_id.
-- vetted_system: explicit cross-tenant code (operator console, sign-in lookup, purge, backups).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vetted_app') THEN
    CREATE ROLE vetted_app NOLOGIN NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vetted_system') THEN
    CREATE ROLE vetted_system NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
GRANT vetted_app TO CURRENT_USER;
--> statement-breakpoint
GRANT vetted_system TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO vetted_app, vetted_system;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vetted_system;
--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO vetted_app, vetted_system;
--> statement-breakpoint
GRANT SELECT, UPDATE ON institutions TO vetted_app;
--> statement-breakpoint
GRANT SELECT ON catalog_apps TO vetted_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON schools, users, sessions, invitations, inventory_items TO vetted_app;
--> statement-breakpoint
-- The audit log is append-only for request code.
GRANT SELECT, INSERT ON audit_events TO vetted_app;
--> statement-breakpoint
ALTER TABLE institutions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE institutions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON institutions TO vetted_app
  USING (id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY system_access ON institutions TO vetted_system USING (true) WITH CHECK (true);
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['schools', 'users', 'sessions', 'invitations', 'inventory_items', 'audit_events'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO vetted_app '
      'USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
      'WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    EXECUTE format('CREATE POLICY system_access ON %I TO vetted_system USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$$;
