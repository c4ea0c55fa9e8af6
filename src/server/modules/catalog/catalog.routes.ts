import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { catalogAppInputSchema, catalogAppSchema, catalogAppUpdateSchema, catalogQuerySchema, errorSchema, idParamsSchema, pageOf } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import type { CatalogService } from './catalog.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerCatalogRoutes(root: FastifyInstance, service: CatalogService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/catalog/apps',
    { schema: { tags: ['catalog'], summary: 'Search the catalog by name or vendor', querystring: catalogQuerySchema, response: { 200: pageOf(catalogAppSchema), ...errors } } },
    async (req) => service.search(requireActor(req), req.query),
  );
  app.get('/api/v1/catalog/apps/:id', { schema: { tags: ['catalog'], summary: 'A catalog app', params: idParamsSchema, response: { 200: catalogAppSchema, ...errors } } }, async (req) =>
    service.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/catalog/apps',
    { schema: { tags: ['catalog'], summary: 'Add an app to the catalog (platform admins)', body: catalogAppInputSchema, response: { 201: catalogAppSchema, ...errors } } },
    async (req, reply) => reply.status(201).send(await service.create(requireActor(req), req.body)),
  );
  app.patch(
    '/api/v1/catalog/apps/:id',
    { schema: { tags: ['catalog'], summary: 'Change a catalog app (platform admins)', params: idParamsSchema, body: catalogAppUpdateSchema, response: { 200: catalogAppSchema, ...errors } } },
    async (req) => service.update(requireActor(req), req.params.id, req.body),
  );
}
