-- Report run counts and data exports are tenant data: both database walls.
SELECT vetted_protect_tenant_table('report_runs');
--> statement-breakpoint
SELECT vetted_protect_tenant_table('data_exports');
