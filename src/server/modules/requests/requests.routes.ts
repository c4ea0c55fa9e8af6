import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  linkTokenQuerySchema,
  requestCatalogQuerySchema,
  requestCatalogSchema,
  requestLinkCreatedSchema,
  requestLinkSchema,
  requestPageQuerySchema,
  requestPageSchema,
  staffRequestAcceptSchema,
  staffRequestCreatedSchema,
  staffRequestCreateSchema,
  staffRequestDeclineSchema,
  staffRequestMergeSchema,
  staffRequestQuerySchema,
  staffRequestSchema,
  staffRequestStatusSchema,
} from '../../../contracts/requests.js';
import { requireActor } from '../../platform/http.js';
import type { StaffRequestService } from './requests.service.js';
import { ticketCookie } from './sso-ticket.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const publicErrors = { 400: errorSchema, 404: errorSchema, 429: errorSchema };

/**
 * Staff requests. The public routes (no session) carry their link token in the query string or the
 * body, never in the path: paths are logged, query strings are not.
 */
export function registerStaffRequestRoutes(root: FastifyInstance, service: StaffRequestService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const cookie = ticketCookie(service.config);
  /** How the caller reaches the request page: the link token it names, else its single sign-on ticket. */
  const accessOf = (req: FastifyRequest, token: string | undefined) => ({ token, ticket: req.cookies[cookie.name] });

  // ---------- public ----------
  app.get(
    '/api/v1/public/staff-requests/page',
    {
      schema: { tags: ['public'], summary: 'The staff request page of the institution the link (or the single sign-on ticket) names (public: no session)', querystring: requestPageQuerySchema, response: { 200: requestPageSchema, ...publicErrors } },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => service.page(accessOf(req, req.query.token)),
  );
  app.get(
    '/api/v1/public/staff-requests/apps',
    {
      schema: { tags: ['public'], summary: 'Search the catalog from the staff request page (public: no session)', querystring: requestCatalogQuerySchema, response: { 200: requestCatalogSchema, ...publicErrors } },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => service.searchApps(accessOf(req, req.query.token), req.query.q),
  );
  app.post(
    '/api/v1/public/staff-requests',
    {
      schema: { tags: ['public'], summary: 'Ask for an app (public: no session); answers the status page’s link once', body: staffRequestCreateSchema, response: { 201: staffRequestCreatedSchema, ...publicErrors } },
      config: { rateLimit: { max: 20, timeWindow: '1 hour' } },
    },
    async (req, reply) => reply.status(201).send(await service.submit(accessOf(req, req.body.token), req.body)),
  );
  app.get(
    '/api/v1/public/staff-requests/status',
    {
      schema: { tags: ['public'], summary: 'Where a staff request stands: decision and guidance (public: no session)', querystring: linkTokenQuerySchema, response: { 200: staffRequestStatusSchema, ...publicErrors } },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => service.status(req.query.token),
  );

  // ---------- the request page's link (site admins) ----------
  app.get(
    '/api/v1/staff-requests/link',
    { schema: { tags: ['staff requests'], summary: 'Whether the staff request page is open', response: { 200: requestLinkSchema, ...errors } } },
    async (req) => service.getLink(requireActor(req)),
  );
  app.post(
    '/api/v1/staff-requests/link',
    { schema: { tags: ['staff requests'], summary: 'Open the staff request page, or replace its link (the old one stops working)', response: { 201: requestLinkCreatedSchema, ...errors } } },
    async (req, reply) => reply.status(201).send(await service.openLink(requireActor(req))),
  );
  app.delete(
    '/api/v1/staff-requests/link',
    { schema: { tags: ['staff requests'], summary: 'Close the staff request page', response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await service.closeLink(requireActor(req));
      return reply.status(204).send(null);
    },
  );

  // ---------- the triage queue ----------
  app.get(
    '/api/v1/staff-requests',
    { schema: { tags: ['staff requests'], summary: 'Staff requests, oldest first', querystring: staffRequestQuerySchema, response: { 200: z.object({ items: z.array(staffRequestSchema) }), ...errors } } },
    async (req) => service.list(requireActor(req), req.query.status),
  );
  app.get(
    '/api/v1/staff-requests/:id',
    { schema: { tags: ['staff requests'], summary: 'One staff request', params: idParamsSchema, response: { 200: staffRequestSchema, ...errors } } },
    async (req) => service.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/staff-requests/:id/accept',
    { schema: { tags: ['staff requests'], summary: 'Accept into review: creates the app in the inventory and its pre-filled PIA', params: idParamsSchema, body: staffRequestAcceptSchema, response: { 200: staffRequestSchema, ...errors } } },
    async (req) => service.accept(requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/staff-requests/:id/merge',
    { schema: { tags: ['staff requests'], summary: 'Merge a duplicate into another request', params: idParamsSchema, body: staffRequestMergeSchema, response: { 200: staffRequestSchema, ...errors } } },
    async (req) => service.merge(requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/staff-requests/:id/decline',
    { schema: { tags: ['staff requests'], summary: 'Decline with a reason (the requester hears it)', params: idParamsSchema, body: staffRequestDeclineSchema, response: { 200: staffRequestSchema, ...errors } } },
    async (req) => service.decline(requireActor(req), req.params.id, req.body),
  );
}
