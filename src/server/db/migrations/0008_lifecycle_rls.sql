-- Offboarding records are tenant data (behind both walls, purged with the tenant). Request code
-- reads its own; only system code (the operator console, the purge) writes them.
SELECT vetted_protect_tenant_table('offboardings', 'SELECT');
--> statement-breakpoint
-- Deletion certificates outlive their institution: operator-only, never visible to request code.
GRANT SELECT, INSERT, UPDATE ON deletion_certificates TO vetted_system;
