-- One function puts a tenant table behind both database walls, so a new table takes one line:
--   SELECT vetted_protect_tenant_table('my_table');
-- It enables and forces row-level security, gives vetted_app the rows of app.tenant_id only and
-- vetted_system every row, and grants the usual privileges. A test checks every table with a
-- tenant_id column went through it.
CREATE OR REPLACE FUNCTION vetted_protect_tenant_table(tbl text, app_privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %I', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %I TO vetted_app '
    'USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid) '
    'WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', tbl);
  EXECUTE format('DROP POLICY IF EXISTS system_access ON %I', tbl);
  EXECUTE format('CREATE POLICY system_access ON %I TO vetted_system USING (true) WITH CHECK (true)', tbl);
  EXECUTE format('GRANT %s ON %I TO vetted_app', app_privileges, tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO vetted_system', tbl);
END
$$;
--> statement-breakpoint
-- A shared (non-tenant) table: readable by request code, written by system code only.
CREATE OR REPLACE FUNCTION vetted_protect_shared_table(tbl text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('GRANT SELECT ON %I TO vetted_app', tbl);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO vetted_system', tbl);
END
$$;
