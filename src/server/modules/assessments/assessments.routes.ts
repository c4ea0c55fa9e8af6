import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerSavedSchema,
  answerSaveSchema,
  assessmentCreateSchema,
  assessmentQuerySchema,
  assessmentSchema,
  assessmentSummarySchema,
  bankPublishSchema,
  bankQuerySchema,
  bankTemplateCreateSchema,
  bankTemplateSchema,
  bankTemplateUpdateSchema,
  bankVersionContentSchema,
  bankVersionSchema,
  compareQuerySchema,
  compareSchema,
  decideSchema,
  mergeApplySchema,
  mergePreviewSchema,
  mergeQuerySchema,
  ownQuestionCreateSchema,
  ownSectionCreateSchema,
  pdfQuerySchema,
  readerQuerySchema,
  questionParamsSchema,
  questionUpdateSchema,
  reopenSchema,
  returnSchema,
  revisionParamsSchema,
  revisionSchema,
  riskCreateSchema,
  riskParamsSchema,
  riskUpdateSchema,
  submitSchema,
  summaryQuerySchema,
  summarySchema,
  versionOnlySchema,
} from '../../../contracts/assessments.js';
import { errorSchema, fileResponse, idParamsSchema } from '../../../contracts/api.js';
import { requireActor } from '../../platform/http.js';
import type { AssessmentService } from './assessments.service.js';
import { presentRevision } from './assessments.presenter.js';
import type { BankService } from './bank.service.js';
import { renderAssessmentPdf } from './pdf.js';
import { buildSummary } from './summaries.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/** The master bank (operator curation; published versions readable by every signed-in user). */
export function registerBankRoutes(root: FastifyInstance, bank: BankService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['pia bank'];
  app.get('/api/v1/bank/templates', { schema: { tags, summary: 'PIA templates of the master bank', querystring: bankQuerySchema, response: { 200: z.object({ items: z.array(bankTemplateSchema) }), ...errors } } }, async (req) =>
    bank.list(requireActor(req), req.query),
  );
  app.post('/api/v1/bank/templates', { schema: { tags, summary: 'Create a template with a first draft version', body: bankTemplateCreateSchema, response: { 201: bankTemplateSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await bank.create(requireActor(req), req.body)),
  );
  app.get('/api/v1/bank/templates/:id', { schema: { tags, summary: 'A template and its versions', params: idParamsSchema, response: { 200: bankTemplateSchema, ...errors } } }, async (req) =>
    bank.get(requireActor(req), req.params.id),
  );
  app.patch('/api/v1/bank/templates/:id', { schema: { tags, summary: 'Change a template’s title, app or jurisdictions', params: idParamsSchema, body: bankTemplateUpdateSchema, response: { 200: bankTemplateSchema, ...errors } } }, async (req) =>
    bank.update(requireActor(req), req.params.id, req.body),
  );
  app.post('/api/v1/bank/templates/:id/versions', { schema: { tags, summary: 'Start the next version as a draft copy of the latest', params: idParamsSchema, response: { 201: bankVersionSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await bank.newDraft(requireActor(req), req.params.id)),
  );
  app.get('/api/v1/bank/versions/:id', { schema: { tags, summary: 'A template version with its sections and questions', params: idParamsSchema, response: { 200: bankVersionSchema, ...errors } } }, async (req) =>
    bank.getVersion(requireActor(req), req.params.id),
  );
  app.put('/api/v1/bank/versions/:id', { schema: { tags, summary: 'Replace the content of a draft version (send its version)', params: idParamsSchema, body: bankVersionContentSchema, response: { 200: bankVersionSchema, ...errors } } }, async (req) =>
    bank.saveContent(requireActor(req), req.params.id, req.body),
  );
  app.post('/api/v1/bank/versions/:id/publish', { schema: { tags, summary: 'Publish a draft version; it can no longer change', params: idParamsSchema, body: bankPublishSchema, response: { 200: bankVersionSchema, ...errors } } }, async (req) =>
    bank.publish(requireActor(req), req.params.id, req.body),
  );
}

/** An institution's assessments. */
export function registerAssessmentRoutes(root: FastifyInstance, service: AssessmentService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['assessments'];
  const base = '/api/v1/assessments';
  app.get(base, { schema: { tags, summary: 'The institution’s assessments', querystring: assessmentQuerySchema, response: { 200: z.object({ items: z.array(assessmentSummarySchema) }), ...errors } } }, async (req) =>
    service.list(requireActor(req), req.query),
  );
  app.post(base, { schema: { tags, summary: 'Adopt a bank version for an inventory app, or start blank', body: assessmentCreateSchema, response: { 201: assessmentSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await service.create(requireActor(req), req.body)),
  );
  app.get(`${base}/:id`, { schema: { tags, summary: 'An assessment with its current revision, in the reader’s language', params: idParamsSchema, querystring: readerQuerySchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.get(requireActor(req), req.params.id, req.query.lang),
  );
  app.get(`${base}/:id/revisions/:number`, { schema: { tags, summary: 'One revision, frozen or current, in the reader’s language', params: revisionParamsSchema, querystring: readerQuerySchema, response: { 200: revisionSchema, ...errors } } }, async (req) => {
    const r = await service.revision(requireActor(req), req.params.id, req.params.number, req.query.lang);
    return presentRevision(r.content, r.language);
  });
  app.get(`${base}/:id/compare`, { schema: { tags, summary: 'Two revisions side by side', params: idParamsSchema, querystring: compareQuerySchema, response: { 200: compareSchema, ...errors } } }, async (req) =>
    service.compare(requireActor(req), req.params.id, req.query.from, req.query.to),
  );
  app.put(`${base}/:id/answers/:questionId`, { schema: { tags, summary: 'Save one answer (send the answer version you last saw; 0 when unanswered)', params: questionParamsSchema, body: answerSaveSchema, response: { 200: answerSavedSchema, ...errors } } }, async (req) =>
    service.saveAnswer(requireActor(req), req.params.id, req.params.questionId, req.body),
  );
  app.post(`${base}/:id/sections`, { schema: { tags, summary: 'Add a section of your own', params: idParamsSchema, body: ownSectionCreateSchema, response: { 201: assessmentSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await service.addSection(requireActor(req), req.params.id, req.body)),
  );
  app.post(`${base}/:id/questions`, { schema: { tags, summary: 'Add a question of your own', params: idParamsSchema, body: ownQuestionCreateSchema, response: { 201: assessmentSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await service.addQuestion(requireActor(req), req.params.id, req.body)),
  );
  app.patch(`${base}/:id/questions/:questionId`, { schema: { tags, summary: 'Hide or show a question; reword your own', params: questionParamsSchema, body: questionUpdateSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.updateQuestion(requireActor(req), req.params.id, req.params.questionId, req.body),
  );
  app.delete(`${base}/:id/questions/:questionId`, { schema: { tags, summary: 'Remove a question of your own', params: questionParamsSchema, body: versionOnlySchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.deleteQuestion(requireActor(req), req.params.id, req.params.questionId, req.body.version),
  );
  app.post(`${base}/:id/risks`, { schema: { tags, summary: 'Add a risk to the register', params: idParamsSchema, body: riskCreateSchema, response: { 201: assessmentSchema, ...errors } } }, async (req, reply) =>
    reply.status(201).send(await service.addRisk(requireActor(req), req.params.id, req.body)),
  );
  app.patch(`${base}/:id/risks/:riskId`, { schema: { tags, summary: 'Change a risk', params: riskParamsSchema, body: riskUpdateSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.updateRisk(requireActor(req), req.params.id, req.params.riskId, req.body),
  );
  app.delete(`${base}/:id/risks/:riskId`, { schema: { tags, summary: 'Remove a risk', params: riskParamsSchema, body: versionOnlySchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.deleteRisk(requireActor(req), req.params.id, req.params.riskId, req.body.version),
  );
  app.post(`${base}/:id/submit`, { schema: { tags, summary: 'Submit for review', params: idParamsSchema, body: submitSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.submit(requireActor(req), req.params.id, req.body),
  );
  app.post(`${base}/:id/return`, { schema: { tags, summary: 'Return for changes with comments (approvers)', params: idParamsSchema, body: returnSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.returnForChanges(requireActor(req), req.params.id, req.body),
  );
  app.post(`${base}/:id/decide`, { schema: { tags, summary: 'Approve, approve with conditions or reject (approvers of this institution only)', params: idParamsSchema, body: decideSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.decide(requireActor(req), req.params.id, req.body),
  );
  app.post(`${base}/:id/reopen`, { schema: { tags, summary: 'Start a new revision from a decided one', params: idParamsSchema, body: reopenSchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.reopen(requireActor(req), req.params.id, req.body),
  );
  app.get(`${base}/:id/merge`, { schema: { tags, summary: 'Three-way diff against a newer master version, in the reader’s language', params: idParamsSchema, querystring: mergeQuerySchema, response: { 200: mergePreviewSchema, ...errors } } }, async (req) =>
    service.mergePreview(requireActor(req), req.params.id, req.query.toVersionId, req.query.lang),
  );
  app.post(`${base}/:id/merge`, { schema: { tags, summary: 'Take or keep each change of a newer master version', params: idParamsSchema, body: mergeApplySchema, response: { 200: assessmentSchema, ...errors } } }, async (req) =>
    service.merge(requireActor(req), req.params.id, req.body),
  );
  app.get(`${base}/:id/summary`, { schema: { tags, summary: 'Teacher-facing or parent-facing summary', params: idParamsSchema, querystring: summaryQuerySchema, response: { 200: summarySchema, ...errors } } }, async (req) => {
    const p = await service.printable(requireActor(req), req.params.id, req.query.revision, req.query.lang);
    return buildSummary(req.query.audience, p.content, p.item, p.institutionName, p.language);
  });
  app.get(`${base}/:id/pdf`, { schema: { tags, summary: 'The assessment as a PDF (current revision unless one is given)', params: idParamsSchema, querystring: pdfQuerySchema, response: { 200: fileResponse('The PDF', ['application/pdf']), ...errors } } }, async (req, reply) => {
    const p = await service.printable(requireActor(req), req.params.id, req.query.revision, req.query.lang);
    const pdf = await renderAssessmentPdf(p.assessment, p.content, p.institutionName, p.language);
    const file = `pia-${p.assessment.appName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'app'}-r${p.content.revision.number}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${file}"`).send(pdf);
  });
}
