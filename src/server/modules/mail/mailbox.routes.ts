import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema, idParamsSchema, pageOf } from '../../../contracts/api.js';
import { mailboxItemSchema, mailboxMessageSchema, mailboxQuerySchema } from '../../../contracts/mail.js';
import { requireActor } from '../../platform/http.js';
import type { MailboxService } from './mailbox.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** The operator's mailbox (platform admins, embedded mode only). */
export function registerMailboxRoutes(root: FastifyInstance, service: MailboxService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/operator/mailbox',
    { schema: { tags: ['mail'], summary: 'Mail the service sent (platform admins; embedded mode only)', querystring: mailboxQuerySchema, response: { 200: pageOf(mailboxItemSchema), ...errors } } },
    async (req) => service.list(requireActor(req), req.query),
  );
  app.get(
    '/api/v1/operator/mailbox/:id',
    { schema: { tags: ['mail'], summary: 'One mail the service sent, as plain text (platform admins; embedded mode only)', params: idParamsSchema, response: { 200: mailboxMessageSchema, ...errors } } },
    async (req) => service.get(requireActor(req), req.params.id),
  );
}
