/**
 * Tenant isolation with both walls standing: the application's tenant filter and row-level
 * security. The suite itself, its route table and how to add a route: cross-tenant.ts, routes.ts.
 * The same suite runs with each wall alone: app-filter-alone.test.ts, rls-alone.test.ts.
 */
import { describeCrossTenant } from './cross-tenant.js';

describeCrossTenant('both');
