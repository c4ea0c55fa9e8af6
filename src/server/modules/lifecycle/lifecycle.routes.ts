import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { archiveSchema } from '../../../contracts/archive.js';
import { errorSchema, idParamsSchema } from '../../../contracts/api.js';
import {
  chainReportSchema,
  deletionCertificateSchema,
  meUpdateSchema,
  myDataSchema,
  offboardingDateInputSchema,
  offboardingInputSchema,
  offboardingListItemSchema,
  offboardingRequestSchema,
  offboardingSchema,
} from '../../../contracts/lifecycle.js';
import { AppError } from '../../platform/errors.js';
import { READ_ONLY_MESSAGE } from '../tenants/institutions.repo.js';
import { requireActor } from '../../platform/http.js';
import { presentProfile, type RightsService } from '../identity/rights.service.js';
import type { LifecycleService } from './lifecycle.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The state-changing routes that stay open while an institution is read-only, each with its reason.
 * Every other POST, PUT, PATCH and DELETE of /api/v1 is refused for people acting in a read-only
 * institution. Keyed by route pattern (never by raw URL); a test checks each entry names a real route.
 */
export const OPEN_WHILE_READ_ONLY: Readonly<Record<string, string>> = {
  // Signing in and out, and each person's own account security.
  'POST /api/v1/session': 'sign-in',
  'DELETE /api/v1/session': 'sign-in',
  'POST /api/v1/session/mfa': 'sign-in',
  'POST /api/v1/session/mfa/enrolment': 'sign-in',
  'POST /api/v1/session/mfa/enrolment/confirm': 'sign-in',
  'POST /api/v1/session/reauthenticate': 'sign-in',
  'POST /api/v1/sso/saml/:institutionId/:connectionId/acs': 'sign-in',
  'POST /api/v1/password-resets': 'own account',
  'POST /api/v1/password-resets/complete': 'own account',
  'POST /api/v1/email-changes/confirm': 'own account',
  'POST /api/v1/account/password': 'own account',
  'POST /api/v1/account/email': 'own account',
  'POST /api/v1/account/mfa/enrolment': 'own account',
  'POST /api/v1/account/mfa/enrolment/confirm': 'own account',
  'POST /api/v1/account/mfa/recovery-codes': 'own account',
  'DELETE /api/v1/account/mfa': 'own account',
  'DELETE /api/v1/account/sessions': 'own account',
  'DELETE /api/v1/account/sessions/:id': 'own account',
  // A site admin still helps a colleague who lost their authenticator, or ends a leaver's sessions,
  // so that everyone who must export can sign in, and nobody who should not, can.
  'DELETE /api/v1/users/:id/mfa': 'account security',
  'DELETE /api/v1/users/:id/sessions': 'account security',
  // Rights of individuals (commitment 7) hold until the purge.
  'PATCH /api/v1/me': 'rights',
  'DELETE /api/v1/me': 'rights',
  // Exporting everything is the point of the grace period.
  'POST /api/v1/exports': 'export',
  // The operator: the end of service itself, and data shared by every institution (not this one's).
  'PUT /api/v1/institutions/:id/offboarding': 'operator',
  'PATCH /api/v1/institutions/:id/offboarding': 'operator',
  'DELETE /api/v1/institutions/:id/offboarding': 'operator',
  'POST /api/v1/institutions/:id/purge': 'operator',
  'PUT /api/v1/session/institution': 'operator',
  'POST /api/v1/institutions': 'operator',
  'POST /api/v1/institutions/import': 'operator',
  'POST /api/v1/bank-bundles': 'operator',
  'POST /api/v1/bank-bundles/import': 'operator',
  'POST /api/v1/catalog/apps': 'operator',
  'PATCH /api/v1/catalog/apps/:id': 'operator',
  'POST /api/v1/bank/templates': 'operator',
  'PATCH /api/v1/bank/templates/:id': 'operator',
  'POST /api/v1/bank/templates/:id/versions': 'operator',
  'PUT /api/v1/bank/versions/:id': 'operator',
  'POST /api/v1/bank/versions/:id/publish': 'operator',
};

/**
 * The read-only guard, the one place that enforces the grace period for requests: from its end of
 * service an institution's data can be read and exported but not changed, so every state-changing
 * request acting in it is refused (409 `institution_read_only`) before its body is even validated,
 * whatever module serves it — unless the route is listed in OPEN_WHILE_READ_ONLY. Requests without a
 * session never act in an institution; the two that create an account in one (accepting an
 * invitation, a first single sign-on) ask the same `readOnlyPeriodOf` themselves.
 */
export function registerReadOnlyGuard(app: FastifyInstance, lifecycle: LifecycleService): void {
  app.addHook('preValidation', async (req) => {
    const tenantId = req.auth?.actor.tenantId;
    const route = req.routeOptions.url;
    if (!tenantId || !route || !UNSAFE.has(req.method) || !route.startsWith('/api/v1/')) return;
    if (`${req.method} ${route}` in OPEN_WHILE_READ_ONLY) return;
    if (await lifecycle.isReadOnly(tenantId)) throw new AppError('institution_read_only', READ_ONLY_MESSAGE);
  });
}

/** Sends JSON as a file to download. */
function sendJsonFile(reply: FastifyReply, fileName: string, json: string) {
  return reply.type('application/json; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(json);
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
  app.patch(
    '/api/v1/institutions/:id/offboarding',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Move a scheduled end of service to another date still ahead (platform admins); the grace period moves with it',
        params: idParamsSchema,
        body: offboardingDateInputSchema,
        response: { 200: offboardingSchema, ...errors },
      },
    },
    async (req) => lifecycle.rescheduleOffboarding(requireActor(req), req.params.id, req.body),
  );
  app.get(
    '/api/v1/institutions/:id/offboarding',
    { schema: { tags: ['lifecycle'], summary: 'The offboarding of an institution, if any', params: idParamsSchema, response: { 200: z.object({ offboarding: offboardingSchema.nullable() }), ...errors } } },
    async (req) => ({ offboarding: await lifecycle.getOffboarding(requireActor(req), req.params.id) }),
  );
  app.delete(
    '/api/v1/institutions/:id/offboarding',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Cancel the end of service of an institution (platform admins), until its purge starts',
        params: idParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await lifecycle.cancelOffboarding(requireActor(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/institutions/:id/purge',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Start the purge of an institution whose grace period is over, without waiting for the next scheduled run (platform admins)',
        params: idParamsSchema,
        response: { 202: z.object({ queued: z.literal(true) }), ...errors },
      },
    },
    async (req, reply) => {
      await lifecycle.purgeNow(requireActor(req), req.params.id);
      return reply.status(202).send({ queued: true as const });
    },
  );
  app.get(
    '/api/v1/offboardings',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Every institution whose end of service is requested, scheduled, in its grace period or being purged (platform admins)',
        response: { 200: z.object({ items: z.array(offboardingListItemSchema) }), ...errors },
      },
    },
    async (req) => ({ items: await lifecycle.listOffboardings(requireActor(req)) }),
  );
  app.post(
    '/api/v1/institution/offboarding-request',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Ask for the end of service of your institution (site admins); a platform admin confirms it',
        body: offboardingRequestSchema,
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
    '/api/v1/deletion-certificates/:id',
    { schema: { tags: ['lifecycle'], summary: 'One deletion certificate (platform admins)', params: idParamsSchema, response: { 200: deletionCertificateSchema, ...errors } } },
    async (req) => lifecycle.getCertificate(requireActor(req), req.params.id),
  );
  app.get(
    '/api/v1/deletion-certificates/:id/download',
    {
      schema: {
        tags: ['lifecycle'],
        summary: 'Download one deletion certificate as JSON (platform admins)',
        params: idParamsSchema,
        response: { 200: deletionCertificateSchema, ...errors },
      },
    },
    async (req, reply) => {
      const certificate = await lifecycle.getCertificate(requireActor(req), req.params.id);
      return sendJsonFile(reply, `vetted-deletion-certificate-${certificate.institutionId}.json`, JSON.stringify(certificate, null, 2));
    },
  );
  app.get(
    '/api/v1/institution/archive',
    { schema: { tags: ['lifecycle'], summary: 'Download the complete portability archive of your institution (site admins; JSON)', response: { 200: archiveSchema, ...errors } } },
    async (req, reply) => {
      const { fileName, json } = await lifecycle.exportArchive(requireActor(req));
      return sendJsonFile(reply, fileName, json);
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
    { schema: { tags: ['me'], summary: 'Download everything held about me (JSON)', response: { 200: myDataSchema, ...errors } } },
    async (req, reply) => {
      const data = await rights.myData(requireActor(req), req.auth?.session.id ?? null);
      return sendJsonFile(reply, `vetted-my-data-${data.exportedAt.slice(0, 10)}.json`, JSON.stringify(data, null, 2));
    },
  );
  app.patch(
    '/api/v1/me',
    { schema: { tags: ['me'], summary: 'Correct my name, or choose my language. The email is changed only by a link to the new address (POST /api/v1/account/email); another email here is refused', body: meUpdateSchema, response: { 200: myDataSchema.shape.profile, ...errors } } },
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
