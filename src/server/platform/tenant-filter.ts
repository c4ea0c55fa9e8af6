import { eq, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TenantScope } from './db.js';

/**
 * The application's tenant wall: the condition a tenant-scoped query filters by, `column = the
 * scope's tenant`. `column` is a table's `tenant_id` column (the `id` of `institutions`), or a
 * qualified column in raw SQL (`sql\`i.tenant_id\``). Every repo query of a tenant's rows goes
 * through this one helper, so that the isolation suite can switch this wall off on its own and show
 * that row-level security alone still holds (test/isolation/rls-alone.test.ts).
 */
export function byTenant(column: SQLWrapper, scope: TenantScope): SQL {
  return eq(column, scope.tenantId);
}
