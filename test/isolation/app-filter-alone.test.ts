/**
 * Tenant isolation with the application's tenant filter alone: row-level security is switched off
 * (disabled and no longer forced) on every table of this file's own database before any request, so
 * every cross-tenant case of routes.ts must be refused by the repos' `byTenant` conditions alone.
 */
import { describeCrossTenant } from './cross-tenant.js';

describeCrossTenant('app-filter-alone');
