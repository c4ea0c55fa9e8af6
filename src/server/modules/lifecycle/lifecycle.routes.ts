import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import { chainReportSchema, deletionCertificateSchema, meUpdateSchema, myDataSchema, offboardingInputSchema, offboardingSchema } from '../../../contracts/lifecycle.js';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http.js';
import { presentProfile, type RightsService } from '../identity/rights.service.js';
import type { LifecycleService } from './lifecycle.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What people of a read-only institution may still do: sign in and out, and their own rights. */
const ALLOWED_WHEN_READ_ONLY = [/^\/api\/v1\/session(\/|$|\?)/, /^\/api\/v1\/me(\/|$|\?)/];

/**
 * From its end of service an institution is read-only: every state-changing request acting in it is
 * refused (409 read_only), whatever module serves it. Reading and exporting still work.
 */
export function registerReadOnlyGuard(app: FastifyInstance, lifecycle: LifecycleService): void {
  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || !req.url.startsWith('/api/v1/') || !req.auth?.actor.tenantId) return;
    if (ALLOWED_WHEN_READ_ONLY.some((r) => r.test(req.url))) return;
    if (await lifecycle.isReadOnly(req.auth.actor.tenantId)) {
      throw new AppError('read_only', 'This institution has reached its end of service: its data can be read and exported, no longer changed.');
    }
  });
}

export function registerLifecycleRoutes(root: FastifyInstance, lifecycle: LifecycleService, rights: RightsService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.put(
    '/api/v1/institutions/:id/offboarding',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Set (or confirm) the end of service of an institution (platform admins): read-only grace period, then purge',
        params: idParamsSchema,
        body: offboardingInputSchema,
        response: { 200: offboardingSchema, ...errors },
      },
    },
    async (req) => lifecycle.offboard(requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/institutions/:id/offboarding',
    { schema: { tags: ['lifecycle'], summary: 'The offboarding of an institution, if any', params: idParamsSchema, response: { 200: z.object({ offboarding: offboardingSchema.nullable() }), ...errors } } },
    async (req) => ({ offboarding: await lifecycle.getOffboarding(requireActor(req), req.params.id) }),
  );
  app.post(
    '/api/v1/institution/offboarding-request',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Ask for the end of service of your institution (site admins); a platform admin confirms it',
        body: offboardingInputSchema,
        response: { 201: offboardingSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await lifecycle.requestOffboarding(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/deletion-certificates',
    { schema: { tags: ['lifecycle'], summary: 'Deletion certificates of purged institutions (platform admins)', response: { 200: z.object({ items: z.array(deletionCertificateSchema) }), ...errors } } },
    async (req) => ({ items: await lifecycle.listCertificates(requireActor(req)) }),
  );
  app.get(
    '/api/v1/institution/archive',
    { schema: { tags: ['lifecycle'], summary: 'Download the complete portability archive of your institution (site admins; JSON)', response: { 200: z.string(), ...errors } } },
    async (req, reply) => {
      const { fileName, json } = await lifecycle.exportArchive(requireActor(req));
      return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(json);
    },
  );
  app.get(
    '/api/v1/audit/verify',
    { schema: { tags: ['audit'], summary: 'Check the hash chain of your institution’s audit log (site admins)', response: { 200: chainReportSchema, ...errors } } },
    async (req) => lifecycle.verifyAudit(requireActor(req)),
  );

  // ---------- rights of individuals (every signed-in person, about themselves) ----------
  app.get('/api/v1/me/data', { schema: { tags: ['me'], summary: 'Everything held about me', response: { 200: myDataSchema, ...errors } } }, async (req) =>
    rights.myData(requireActor(req), req.auth?.session.id ?? null),
  );
  app.get(
    '/api/v1/me/export',
    { schema: { tags: ['me'], summary: 'Download everything held about me (JSON)', response: { 200: z.string(), ...errors } } },
    async (req, reply) => {
      const data = await rights.myData(requireActor(req), req.auth?.session.id ?? null);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="vetted-my-data-${data.exportedAt.slice(0, 10)}.json"`)
        .send(JSON.stringify(data, null, 2));
    },
  );
  app.patch(
    '/api/v1/me',
    { schema: { tags: ['me'], summary: 'Correct my name or email, or choose my language', body: meUpdateSchema, response: { 200: myDataSchema.shape.profile, ...errors } } },
    async (req) => presentProfile(await rights.updateMe(requireActor(req), req.body)),
  );
  app.delete(
    '/api/v1/me',
    { schema: { tags: ['me'], summary: 'Erase my account (refused for the last site administrator)', response: { 200: z.object({ erased: z.literal(true), pseudonym: z.string() }), ...errors } } },
    async (req, reply) => {
      const { pseudonym } = await rights.eraseMe(requireActor(req));
      reply.clearCookie('vetted_session', { path: '/' }).clearCookie('__Host-vetted_session', { path: '/' });
      return { erased: true as const, pseudonym };
    },
  );
}
