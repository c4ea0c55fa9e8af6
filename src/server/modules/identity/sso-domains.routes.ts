import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  institutionDomainParamsSchema,
  ssoAccountLinkListSchema,
  ssoAccountLinkParamsSchema,
  ssoAccountLinkSchema,
  ssoDomainClaimSchema,
  ssoDomainListSchema,
  ssoDomainSchema,
} from '../../../contracts/auth.js';
import { requireActor } from '../../platform/http.js';
import type { SsoDomainService } from './sso-domains.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };

/** Email domains of single sign-on (site admins claim and verify; platform admins approve) and explicit account links. */
export function registerSsoDomainRoutes(root: FastifyInstance, domains: SsoDomainService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['sso'];

  app.get(
    '/api/v1/sso/domains',
    {
      schema: {
        tags,
        summary: 'Email domains the institution claims, verified or pending',
        response: { 200: ssoDomainListSchema, ...errors },
      },
    },
    async (req) => ({ items: await domains.list(requireActor(req)) }),
  );
  app.post(
    '/api/v1/sso/domains',
    {
      schema: {
        tags,
        summary: 'Claim an email domain: it counts once its DNS TXT record is verified or a platform admin approves it',
        body: ssoDomainClaimSchema,
        response: { 201: ssoDomainSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await domains.claim(requireActor(req), req.body.domain)),
  );
  app.post(
    '/api/v1/sso/domains/:id/verify',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Look for the claim’s DNS TXT record now; the answer says whether the domain is verified, or why not',
        params: idParamsSchema,
        response: { 200: ssoDomainSchema, ...errors },
      },
    },
    async (req) => domains.verify(requireActor(req), req.params.id),
  );
  app.delete(
    '/api/v1/sso/domains/:id',
    {
      schema: {
        tags,
        summary: 'Give up a domain claim (not while a provider lists it)',
        params: idParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await domains.release(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );

  // ----- explicit account links (site admins)
  app.get(
    '/api/v1/sso/connections/:id/links',
    {
      schema: {
        tags,
        summary: 'Accounts this provider may sign in although it does not cover their email domain',
        params: idParamsSchema,
        response: { 200: ssoAccountLinkListSchema, ...errors },
      },
    },
    async (req) => ({ items: await domains.listLinks(requireActor(req), req.params.id) }),
  );
  app.put(
    '/api/v1/sso/connections/:id/links/:userId',
    {
      schema: {
        tags,
        summary: 'Let this provider sign in one account whatever its email domain',
        params: ssoAccountLinkParamsSchema,
        response: { 200: ssoAccountLinkSchema, ...errors },
      },
    },
    async (req) => domains.link(requireActor(req), req.params.id, req.params.userId),
  );
  app.delete(
    '/api/v1/sso/connections/:id/links/:userId',
    {
      schema: {
        tags,
        summary: 'Withdraw an explicit link, and the account’s sign-ins through this provider',
        params: ssoAccountLinkParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await domains.unlink(requireActor(req), req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  );

  // ----- operator console (platform admins)
  app.get(
    '/api/v1/institutions/:id/sso-domains',
    {
      schema: {
        tags,
        summary: 'An institution’s email domain claims (platform admins)',
        params: idParamsSchema,
        response: { 200: ssoDomainListSchema, ...errors },
      },
    },
    async (req) => ({ items: await domains.listForInstitution(requireActor(req), req.params.id) }),
  );
  app.post(
    '/api/v1/institutions/:id/sso-domains/:domainId/approve',
    {
      schema: {
        tags,
        summary: 'Approve an institution’s domain claim after checking it controls the domain (platform admins; recorded in its audit log)',
        params: institutionDomainParamsSchema,
        response: { 200: ssoDomainSchema, ...errors },
      },
    },
    async (req) => domains.approve(requireActor(req), req.params.id, req.params.domainId),
  );
}
