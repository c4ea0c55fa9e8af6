import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEventSchema, errorSchema, pageOf } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import type { AuditService } from './audit.service.js';

const querySchema = z.strictObject({
  recordType: z.string().max(50).optional(),
  recordId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export function registerAuditRoutes(root: FastifyInstance, service: AuditService): void {
  root.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The institution’s audit log (site admins)',
        querystring: querySchema,
        response: { 200: pageOf(auditEventSchema), 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => service.list(requireActor(req), req.query),
  );
}
