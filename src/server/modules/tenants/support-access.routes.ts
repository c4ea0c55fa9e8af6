import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema, supportGrantCreateSchema, supportGrantSchema } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import type { SupportAccessService } from './support-access.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerSupportAccessRoutes(root: FastifyInstance, service: SupportAccessService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/support-access',
    { schema: { tags: ['institutions'], summary: 'Support access granted to the operator (site admins)', response: { 200: z.object({ items: z.array(supportGrantSchema) }), ...errors } } },
    async (req) => ({ items: await service.list(requireActor(req)) }),
  );
  app.post(
    '/api/v1/support-access',
    { schema: { tags: ['institutions'], summary: 'Let the operator read this institution for a while (site admins)', body: supportGrantCreateSchema, response: { 201: supportGrantSchema, ...errors } } },
    async (req, reply) => reply.status(201).send(await service.grant(requireActor(req), req.body)),
  );
  app.delete(
    '/api/v1/support-access/:id',
    { schema: { tags: ['institutions'], summary: 'End a support access now (site admins)', params: idParamsSchema, response: { 200: supportGrantSchema, ...errors } } },
    async (req) => service.revoke(requireActor(req), req.params.id),
  );
}
