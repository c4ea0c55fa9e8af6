/** Wires the data lifecycle: backups, offboarding and purge, rights of individuals, the read-only guard and their jobs. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { createRightsService } from '../identity/rights.service.js';
import { createBackupService } from './backups.service.js';
import { createLifecycleService } from './lifecycle.service.js';
import { registerReadOnlyGuard } from './lifecycle.routes.js';

export async function registerLifecycle(app: FastifyInstance, ctx: AppContext) {
  const backups = createBackupService(ctx);
  const service = createLifecycleService(ctx, backups);
  const rights = createRightsService(ctx);
  registerReadOnlyGuard(app, service);
  await ctx.jobs.register(...backups.jobs, ...service.jobs);
  return { backups, service, rights };
}
