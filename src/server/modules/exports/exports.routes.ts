import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema, fileResponse, idParamsSchema } from '../../../contracts/api.js';
import { dataExportListSchema, dataExportSchema, exportCreateSchema, exportWaitQuerySchema } from '../../../contracts/reports.js';
import { requireActor } from '../../platform/http.js';
import type { ExportsService } from './exports.service.js';

/** Aborted when the response's connection closes before it is sent (the client went away): a wait stops. */
function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export function registerExportRoutes(root: FastifyInstance, service: ExportsService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/api/v1/exports',
    {
      schema: {
        tags: ['exports'],
        summary: 'Start a full export of the institution’s data (XLSX workbook or zip of CSVs)',
        body: exportCreateSchema,
        response: { 202: dataExportSchema, ...errors },
      },
    },
    async (req, reply) => reply.status(202).send(await service.request(requireActor(req), req.body)),
  );
  app.get(
    '/api/v1/exports',
    {
      schema: {
        tags: ['exports'],
        summary: 'Recent exports with their progress; with `wait`, answered when one being prepared finishes',
        querystring: exportWaitQuerySchema,
        response: { 200: dataExportListSchema, ...errors },
      },
    },
    async (req, reply) => service.list(requireActor(req), req.query.wait, closedSignal(reply.raw)),
  );
  app.get(
    '/api/v1/exports/:id',
    {
      schema: {
        tags: ['exports'],
        summary: 'One export and its progress; with `wait`, answered when it finishes',
        params: idParamsSchema,
        querystring: exportWaitQuerySchema,
        response: { 200: dataExportSchema, ...errors },
      },
    },
    async (req, reply) => service.get(requireActor(req), req.params.id, req.query.wait, closedSignal(reply.raw)),
  );
  app.get(
    '/api/v1/exports/:id/download',
    {
      schema: {
        tags: ['exports'],
        summary: 'Download a finished export while its link is valid',
        params: idParamsSchema,
        response: {
          200: fileResponse('The XLSX workbook, or a zip of CSV files', [
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            'application/zip',
          ]),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const file = await service.openDownload(requireActor(req), req.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.stream);
    },
  );
}
