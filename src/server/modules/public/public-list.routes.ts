import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema } from '../../../contracts/api.js';
import { publicListSchema, publicSlugParamsSchema } from '../../../contracts/public.js';
import type { PublicListService } from './public-list.service.js';

/** Public: no session. Rate-limited per address; cached briefly by browsers and proxies. */
export function registerPublicListRoutes(root: FastifyInstance, service: PublicListService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/public/lists/:slug',
    {
      schema: {
        tags: ['public'],
        summary: 'An institution’s public list of approved apps (public: no session)',
        params: publicSlugParamsSchema,
        response: { 200: publicListSchema, 400: errorSchema, 404: errorSchema, 429: errorSchema },
      },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const list = await service.get(req.params.slug);
      void reply.header('cache-control', 'public, max-age=60');
      return list;
    },
  );
}
