import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditEventSchema,
  errorSchema,
  idParamsSchema,
  inventoryCreateSchema,
  inventoryItemSchema,
  inventoryPageSchema,
  inventoryQuerySchema,
  inventoryTransitionSchema,
  inventoryUpdateSchema,
} from '../../../contracts/api.js';
import { answerOf, plainJson, requireActor } from '../../platform/http.js';
import type { AuditService } from '../audit/audit.service.js';
import type { InventoryService } from './inventory.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerInventoryRoutes(root: FastifyInstance, service: InventoryService, audit: AuditService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/inventory',
    {
      schema: {
        tags: ['inventory'],
        summary: 'The institution’s apps, filtered, sorted and paged',
        querystring: inventoryQuerySchema,
        response: { 200: inventoryPageSchema, ...errors },
      },
      serializerCompiler: plainJson,
    },
    async (req) => answerOf(await service.list(requireActor(req), req.query)),
  );
  app.post(
    '/api/v1/inventory',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Add a catalog app or a custom app',
        body: inventoryCreateSchema,
        response: { 201: inventoryItemSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.create(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/inventory/:id',
    {
      schema: {
        tags: ['inventory'],
        summary: 'One app of the inventory',
        params: idParamsSchema,
        response: { 200: inventoryItemSchema, ...errors },
      },
    },
    async (req) => service.get(requireActor(req), req.params.id),
  );
  app.patch(
    '/api/v1/inventory/:id',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Change an app (send the version you last saw)',
        params: idParamsSchema,
        body: inventoryUpdateSchema,
        response: { 200: inventoryItemSchema, ...errors },
      },
    },
    async (req) => service.update(requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/inventory/:id/transition',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Move an app to another status',
        params: idParamsSchema,
        body: inventoryTransitionSchema,
        response: { 200: inventoryItemSchema, ...errors },
      },
    },
    async (req) => service.transition(requireActor(req), req.params.id, req.body),
  );
  app.delete(
    '/api/v1/inventory/:id',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Remove an app from the inventory',
        params: idParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.remove(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/inventory/:id/history',
    {
      schema: {
        tags: ['inventory'],
        summary: 'Changes to an app, newest first',
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(auditEventSchema) }), ...errors },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      await service.get(actor, req.params.id);
      return { items: await audit.historyOf(actor, 'inventory_item', req.params.id) };
    },
  );
}
