import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lawDocumentListSchema, lawDocumentParamsSchema, lawDocumentQuerySchema, lawDocumentSchema } from '../../../contracts/assessments.js';
import { LANGUAGES } from '../../../contracts/domain.js';
import { errorSchema, fileResponse, idParamsSchema } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import { renderLawDocumentPdf } from './law-documents-pdf.js';
import type { LawDocumentService } from './law-documents.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

/** The documents the laws ask for, from one assessment (readers of the assessment). */
export function registerLawDocumentRoutes(root: FastifyInstance, service: LawDocumentService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['assessments'];
  const base = '/api/v1/assessments/:id/documents';
  app.get(base, { schema: { tags, summary: 'The documents the institution’s jurisdiction asks for', params: idParamsSchema, querystring: z.strictObject({ lang: z.enum(LANGUAGES).optional() }), response: { 200: lawDocumentListSchema, ...errors } } }, async (req) =>
    service.list(requireActor(req), req.params.id, req.query.lang),
  );
  app.get(`${base}/:kind`, { schema: { tags, summary: 'One document the law asks for', params: lawDocumentParamsSchema, querystring: lawDocumentQuerySchema, response: { 200: lawDocumentSchema, ...errors } } }, async (req) =>
    service.get(requireActor(req), req.params.id, req.params.kind, req.query.revision, req.query.lang),
  );
  app.get(`${base}/:kind/pdf`, { schema: { tags, summary: 'One document the law asks for, as a PDF', params: lawDocumentParamsSchema, querystring: lawDocumentQuerySchema, response: { 200: fileResponse('The PDF', ['application/pdf']), ...errors } } }, async (req, reply) => {
    const doc = await service.get(requireActor(req), req.params.id, req.params.kind, req.query.revision, req.query.lang);
    const file = `${doc.kind}-${doc.language}-r${doc.revision}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}"`).send(await renderLawDocumentPdf(doc));
  });
}
