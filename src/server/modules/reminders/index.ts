/** The reminders module: choices, the notification centre, and the daily digest's jobs. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { MailOutbox } from '../mail/index.js';
import { createDigests, createReminderJobs } from './digest.js';
import { registerRemindersRoutes } from './reminders.routes.js';
import { createRemindersService } from './reminders.service.js';

export { createDigests, createReminderJobs, digestMailKey } from './digest.js';

/** Registers the routes and the jobs; returns the digests (tests and commands run a day with them). */
export async function registerRemindersModule(app: FastifyInstance, ctx: AppContext, outbox: MailOutbox) {
  const digests = createDigests(ctx, outbox);
  const jobs = createReminderJobs(ctx, digests);
  await ctx.jobs.register(jobs.daily, jobs.institution);
  registerRemindersRoutes(app, createRemindersService(ctx));
  return { digests, jobs };
}
