import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema } from '../../../contracts/api.js';
import { authorize } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { requireActor } from '../../platform/http.js';
import { systemMoveInInstitution } from './move-in.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 409: errorSchema, 413: errorSchema };

/** An archive holds every attached document of the institution, in the clear. */
const ARCHIVE_BODY_LIMIT = 200 * 1024 * 1024;

export const moveInSchema = z.strictObject({ archive: z.string().min(1).max(ARCHIVE_BODY_LIMIT) });
export const moveInResultSchema = z.object({ institutionId: z.uuid(), from: z.string(), counts: z.record(z.string(), z.number().int()) });

/** The operator moves an institution into this region from its portability archive. */
export function registerMoveInRoutes(root: FastifyInstance, ctx: Pick<AppContext, 'db' | 'config'>): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/institutions/import',
    {
      bodyLimit: ARCHIVE_BODY_LIMIT + 4096,
      schema: {
        tags: ['lifecycle'],
        summary: 'Move an institution into this region from its portability archive, made in the region it leaves (platform admins)',
        body: moveInSchema,
        response: { 201: moveInResultSchema, ...errors },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      authorize(actor, 'manageInstitutions');
      const result = await systemMoveInInstitution(ctx.db, req.body.archive, {
        region: ctx.config.region,
        keys: ctx.config.secretKeys,
        actor,
      });
      return reply.status(201).send(result);
    },
  );
}
