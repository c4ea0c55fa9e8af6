-- Update notices are tenant data, behind both walls.
SELECT vetted_protect_tenant_table('pia_update_notices');
