import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema, institutionCreateSchema, institutionSchema, institutionUpdateSchema } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import type { InstitutionService } from './institutions.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerInstitutionRoutes(root: FastifyInstance, service: InstitutionService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/api/v1/institutions', { schema: { tags: ['institutions'], summary: 'Institutions you can see', response: { 200: z.object({ items: z.array(institutionSchema) }), ...errors } } }, async (req) => ({
    items: await service.list(requireActor(req)),
  }));
  app.post(
    '/api/v1/institutions',
    { schema: { tags: ['institutions'], summary: 'Create an institution and invite its first site admin (platform admins)', body: institutionCreateSchema, response: { 201: institutionSchema, ...errors } } },
    async (req, reply) => reply.status(201).send(await service.create(requireActor(req), req.body)),
  );
  app.get('/api/v1/institutions/:id', { schema: { tags: ['institutions'], summary: 'An institution', params: idParamsSchema, response: { 200: institutionSchema, ...errors } } }, async (req) =>
    service.get(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/v1/institutions/:id',
    { schema: { tags: ['institutions'], summary: 'Change name, grade levels or schools', params: idParamsSchema, body: institutionUpdateSchema, response: { 200: institutionSchema, ...errors } } },
    async (req) => service.update(requireActor(req), req.params.id, req.body),
  );
}
