import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, fileResponse, idParamsSchema } from '../../../contracts/api.js';
import { ATTACHMENT_TYPES } from '../../../contracts/attachments.js';
import {
  vendorAnswerSavedSchema,
  vendorAnswerSaveSchema,
  vendorFileSchema,
  vendorFileUploadQuerySchema,
  vendorTokenQuerySchema,
  vendorInviteSchema,
  vendorPageSchema,
  vendorQuestionnaireListSchema,
  vendorQuestionnaireSchema,
  vendorReviewSchema,
  vendorSubmitSchema,
  vendorPageQuerySchema,
} from '../../../contracts/vendors.js';
import { requireActor } from '../../platform/http.js';
import { acceptRawFiles, rawFileOf, sendAsFile } from '../attachments/attachments.routes.js';
import type { VendorService } from './vendors.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const publicErrors = { 400: errorSchema, 404: errorSchema, 409: errorSchema, 429: errorSchema };
const fileErrors = { 413: errorSchema, 415: errorSchema };
const fileParamsSchema = z.strictObject({ id: z.uuid(), fileId: z.uuid() });

/**
 * Vendor questionnaires. The vendor's routes (no session) carry the link token in the query string
 * or the JSON body, never in the path (paths are logged, query strings are not), and are rate-limited
 * per address; their JSON-only bodies cannot be sent by a cross-site form.
 */
export function registerVendorRoutes(root: FastifyInstance, service: VendorService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();

  // ---------- the vendor's page ----------
  app.get(
    '/api/v1/public/vendor-questionnaire',
    {
      schema: {
        tags: ['public'],
        summary: 'The questionnaire a vendor’s link names (public: no session)',
        querystring: vendorPageQuerySchema,
        response: { 200: vendorPageSchema, ...publicErrors },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req) => service.page(req.query.token, req.query.lang),
  );
  app.put(
    '/api/v1/public/vendor-questionnaire/answers',
    {
      schema: {
        tags: ['public'],
        summary: 'Save one answer with its evidence (public: no session)',
        body: vendorAnswerSaveSchema,
        response: { 200: vendorAnswerSavedSchema, ...publicErrors },
      },
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
    },
    async (req) => service.saveAnswer(req.body),
  );
  app.post(
    '/api/v1/public/vendor-questionnaire/submit',
    {
      schema: {
        tags: ['public'],
        summary: 'Submit the answers, once (public: no session)',
        body: vendorSubmitSchema,
        response: { 200: vendorPageSchema, ...publicErrors },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 hour' } },
    },
    async (req) => service.submit(req.body.token),
  );

  // ---------- files attached as evidence (the vendor's, then the reviewer's download) ----------
  void root.register(async (scope) => {
    acceptRawFiles(scope, service.maxFileBytes);
    const files = scope.withTypeProvider<ZodTypeProvider>();
    files.post(
      '/api/v1/public/vendor-questionnaire/files',
      {
        bodyLimit: service.maxFileBytes + 1024 * 1024,
        schema: {
          tags: ['public'],
          summary:
            'Attach a file as the evidence of an answer: the body is the file (application/octet-stream; PDF, DOCX, PNG or JPEG, recognised by its content), the query names it (public: no session)',
          querystring: vendorFileUploadQuerySchema,
          response: { 201: vendorFileSchema, ...publicErrors, ...fileErrors },
        },
        config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      },
      async (req, reply) => reply.status(201).send(await service.attachFile(req.query, rawFileOf(req))),
    );
  });
  app.get(
    '/api/v1/public/vendor-questionnaire/files/:id',
    {
      schema: {
        tags: ['public'],
        summary: 'Download a file the link’s questionnaire holds (public: no session)',
        params: idParamsSchema,
        querystring: vendorTokenQuerySchema,
        response: { 200: fileResponse('The file', Object.keys(ATTACHMENT_TYPES)), ...publicErrors },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => sendAsFile(reply, await service.vendorFile(req.query.token, req.params.id)),
  );
  app.delete(
    '/api/v1/public/vendor-questionnaire/files/:id',
    {
      schema: {
        tags: ['public'],
        summary: 'Remove a file attached as evidence, before submitting (public: no session)',
        params: idParamsSchema,
        querystring: vendorTokenQuerySchema,
        response: { 204: z.null(), ...publicErrors },
      },
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      await service.removeFile(req.query.token, req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/api/v1/vendor-questionnaires/:id/files/:fileId',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'Download a file the vendor attached as evidence',
        params: fileParamsSchema,
        response: { 200: fileResponse('The file', Object.keys(ATTACHMENT_TYPES)), ...errors },
      },
    },
    async (req, reply) => sendAsFile(reply, await service.reviewerFile(requireActor(req), req.params.id, req.params.fileId)),
  );

  // ---------- the reviewers: the operator (the bank's) or an institution's site admins (its own) ----------
  app.get(
    '/api/v1/vendor-questionnaires',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'Vendor questionnaires, newest first',
        response: { 200: vendorQuestionnaireListSchema, ...errors },
      },
    },
    async (req) => service.list(requireActor(req)),
  );
  app.post(
    '/api/v1/vendor-questionnaires',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'Invite a vendor contact by email to answer a template',
        body: vendorInviteSchema,
        response: { 201: vendorQuestionnaireSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await service.invite(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/vendor-questionnaires/:id',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'One vendor questionnaire with its answers',
        params: idParamsSchema,
        response: { 200: vendorQuestionnaireSchema, ...errors },
      },
    },
    async (req) => service.get(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/vendor-questionnaires/:id/review',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'Accept or reject submitted answers, each with a note',
        params: idParamsSchema,
        body: vendorReviewSchema,
        response: { 200: vendorQuestionnaireSchema, ...errors },
      },
    },
    async (req) => service.review(requireActor(req), req.params.id, req.body),
  );
  app.post(
    '/api/v1/vendor-questionnaires/:id/publish',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'Publish the accepted answers (into the bank, or the institution’s PIA)',
        params: idParamsSchema,
        response: { 200: vendorQuestionnaireSchema, ...errors },
      },
    },
    async (req) => service.publish(requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/vendor-questionnaires/:id/revoke',
    {
      schema: {
        tags: ['vendor questionnaires'],
        summary: 'End the vendor’s link now (the contact’s email is erased)',
        params: idParamsSchema,
        response: { 200: vendorQuestionnaireSchema, ...errors },
      },
    },
    async (req) => service.revoke(requireActor(req), req.params.id),
  );
}
