import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema, fileResponse } from '../../../contracts/api.js';
import {
  dashboardSchema,
  reportDownloadQuerySchema,
  reportListSchema,
  reportParamsSchema,
  reportQuerySchema,
  reportResultSchema,
  reportRunCountsQuerySchema,
  reportRunCountsSchema,
} from '../../../contracts/reports.js';
import { answerOf, plainJson, requireActor } from '../../platform/http.js';
import { reportFileName, reportFileStream } from './report-file.js';
import type { ReportsService } from './reports.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

export function registerReportRoutes(root: FastifyInstance, service: ReportsService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/reports',
    { schema: { tags: ['reports'], summary: 'The reports of the institution', response: { 200: reportListSchema, ...errors } } },
    async (req) => service.list(requireActor(req)),
  );
  app.get(
    '/api/v1/reports/:id',
    {
      schema: {
        tags: ['reports'],
        summary: 'Run a report (table and chart data); counts one run',
        params: reportParamsSchema,
        querystring: reportQuerySchema,
        response: { 200: reportResultSchema, ...errors },
      },
      serializerCompiler: plainJson,
    },
    async (req) => answerOf(await service.run(requireActor(req), req.params.id, req.query)),
  );
  app.get(
    '/api/v1/reports/:id/download',
    {
      schema: {
        tags: ['reports'],
        summary: 'Run a report and download it as XLSX or CSV; counts one run',
        params: reportParamsSchema,
        querystring: reportDownloadQuerySchema,
        response: { 200: fileResponse('The XLSX or CSV file', Object.values(CONTENT_TYPES)), ...errors },
      },
    },
    async (req, reply) => {
      const { format, lang, ...query } = req.query;
      const { result, language, schoolName } = await service.download(requireActor(req), req.params.id, query, lang);
      return reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-language', language ?? 'en')
        .header('content-disposition', `attachment; filename="${reportFileName(result, format)}"`)
        .send(reportFileStream(result, format, { language: language ?? 'en', schoolName }));
    },
  );
  app.get(
    '/api/v1/dashboard',
    {
      schema: { tags: ['reports'], summary: 'The institution’s home page figures', response: { 200: dashboardSchema, ...errors } },
      serializerCompiler: plainJson,
    },
    async (req) => service.dashboard(requireActor(req)),
  );
  app.get(
    '/api/v1/platform/report-runs',
    {
      schema: {
        tags: ['reports'],
        summary: 'How many times each report was run, per institution and day (platform admins; counts only)',
        querystring: reportRunCountsQuerySchema,
        response: { 200: reportRunCountsSchema, ...errors },
      },
    },
    async (req) => service.runCounts(requireActor(req), req.query),
  );
}
