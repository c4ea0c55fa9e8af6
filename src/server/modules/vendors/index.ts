/** The vendor questionnaire module: its routes and the daily sweep of expired links' contact emails. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineJob } from '../../platform/jobs.js';
import type { MailOutbox } from '../mail/index.js';
import type { BankService } from '../assessments/bank.service.js';
import { registerVendorRoutes } from './vendors.routes.js';
import { createVendorService, type VendorService } from './vendors.service.js';

/** The daily job erasing the contact's email of each questionnaire whose link ran out (and at start). */
export function vendorLinkExpiryJob(service: Pick<VendorService, 'systemEraseExpiredContacts'>) {
  return defineJob({
    name: 'vendor-link-expiry',
    version: 1,
    payload: z.object({}),
    schedule: { cron: '15 0 * * *', payload: {} },
    runAtStart: true,
    handle: async () => {
      await service.systemEraseExpiredContacts();
    },
  });
}

export async function registerVendorModule(
  app: FastifyInstance,
  ctx: AppContext,
  deps: { outbox: MailOutbox; bank: BankService },
): Promise<VendorService> {
  const service = createVendorService(ctx, deps);
  registerVendorRoutes(app, service);
  await ctx.jobs.register(vendorLinkExpiryJob(service));
  return service;
}
