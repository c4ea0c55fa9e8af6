import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  privacyPolicyDeliverySchema,
  privacyPolicyNoticeSchema,
  privacyPolicyNumberParamsSchema,
  privacyPolicyPublicSchema,
  privacyPolicyPublishedSchema,
  privacyPolicyPublishSchema,
  privacyPolicyVersionSchema,
} from '../../../contracts/privacy-policy.js';
import { requireActor } from '../../platform/http.js';
import type { PrivacyPolicyService } from './privacy-policy.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerPrivacyPolicyRoutes(root: FastifyInstance, service: PrivacyPolicyService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const publicLimit = { rateLimit: { max: 120, timeWindow: '1 minute' } };
  app.get(
    '/api/v1/public/privacy-policy',
    {
      schema: { tags: ['public'], summary: 'Vetted’s privacy policy in force, and its history (public: no session)', response: { 200: privacyPolicyPublicSchema, 400: errorSchema, 429: errorSchema } },
      config: publicLimit,
    },
    async (_req, reply) => {
      void reply.header('cache-control', 'public, max-age=60');
      return service.getPublic();
    },
  );
  app.get(
    '/api/v1/public/privacy-policy/versions/:number',
    {
      schema: {
        tags: ['public'],
        summary: 'One version of Vetted’s privacy policy (public: no session)',
        params: privacyPolicyNumberParamsSchema,
        response: { 200: privacyPolicyVersionSchema, 400: errorSchema, 404: errorSchema, 429: errorSchema },
      },
      config: publicLimit,
    },
    async (req, reply) => {
      void reply.header('cache-control', 'public, max-age=60');
      return service.getVersion(req.params.number);
    },
  );
  app.post(
    '/api/v1/privacy-policy/versions',
    {
      schema: {
        tags: ['privacy-policy'],
        summary: 'Publish a version of Vetted’s privacy policy (platform admins); a significant one emails every site admin',
        body: privacyPolicyPublishSchema,
        response: { 201: privacyPolicyPublishedSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.publish(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/privacy-policy/versions/:number/deliveries',
    {
      schema: {
        tags: ['privacy-policy'],
        summary: 'Delivery of a version’s emails, per recipient (platform admins)',
        params: privacyPolicyNumberParamsSchema,
        response: { 200: privacyPolicyDeliverySchema, ...errors },
      },
    },
    async (req) => service.deliveries(requireActor(req), req.params.number),
  );
  app.get(
    '/api/v1/privacy-policy/notices',
    { schema: { tags: ['privacy-policy'], summary: 'Privacy-policy changes the signed-in site admin has not acknowledged', response: { 200: z.array(privacyPolicyNoticeSchema), ...errors } } },
    async (req) => service.pendingNotices(requireActor(req)),
  );
  app.post(
    '/api/v1/privacy-policy/notices/:id/acknowledge',
    { schema: { tags: ['privacy-policy'], summary: 'Acknowledge a privacy-policy change (site admins)', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await service.acknowledge(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
