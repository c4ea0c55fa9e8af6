/**
 * Tenant isolation with row-level security alone: the application's tenant filter — `byTenant`, the
 * one helper every repo builds its tenant condition with — is replaced by `true` for this file, so
 * every cross-tenant case of routes.ts must be refused by the database's policies alone.
 */
import { vi } from 'vitest';
import { describeCrossTenant } from './cross-tenant.js';

vi.mock('../../src/server/platform/tenant-filter.js', async () => {
  const { sql } = await import('drizzle-orm');
  return { byTenant: () => sql`true` };
});

describeCrossTenant('rls-alone');
