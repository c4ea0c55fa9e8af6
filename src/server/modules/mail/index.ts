/** The mail module: the outbox, its job, and the operator's mailbox. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { registerMailboxRoutes } from './mailbox.routes.js';
import { createMailboxService } from './mailbox.service.js';
import { createMailOutbox, type MailOutbox } from './outbox.js';

export type { MailOutbox } from './outbox.js';

/** Registers the outbox's job and the mailbox routes; returns the outbox other modules queue mail in. */
export async function registerMailModule(app: FastifyInstance, ctx: AppContext): Promise<MailOutbox> {
  const outbox = createMailOutbox(ctx, { log: app.log });
  await ctx.jobs.register(outbox.job);
  registerMailboxRoutes(app, createMailboxService(ctx));
  app.addHook('onClose', async () => outbox.settled());
  return outbox;
}
