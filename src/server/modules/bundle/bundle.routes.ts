import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema } from '../../../contracts/api.js';
import { bundleImportResultSchema, bundleImportSchema, bundleRecordSchema, bundleStatusSchema } from '../../../contracts/bundle.js';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http.js';
import type { BundleService } from './bundle.service.js';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema, 413: errorSchema };

/** A bundle is the whole catalog and bank: larger than the service's usual 1 MB body. */
const BUNDLE_BODY_LIMIT = 50 * 1024 * 1024 + 4096;

export function registerBundleRoutes(root: FastifyInstance, service: BundleService): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/bank-bundles',
    {
      schema: {
        tags: ['bank'],
        summary: 'Bank bundles this region published or applied (platform admins)',
        response: { 200: bundleStatusSchema, ...errors },
      },
    },
    async (req) => service.status(requireActor(req)),
  );
  app.post(
    '/api/v1/bank-bundles',
    {
      schema: {
        tags: ['bank'],
        summary: 'Publish a signed bundle of the catalog and bank (primary region, platform admins)',
        response: { 201: bundleRecordSchema, ...errors },
      },
    },
    async (req, reply) => {
      const { document: _served, ...record } = await service.publish(requireActor(req));
      return reply.status(201).send(record);
    },
  );
  // Public: what the other cells pull. It holds the operator's catalog and bank, no personal data,
  // and it is signed: a cell applies it only when a key it trusts signed it.
  app.get(
    '/api/v1/bank-bundles/latest',
    {
      schema: {
        tags: ['bank'],
        summary: 'The latest signed bank bundle of this region, as published (public)',
        response: { 400: errorSchema, 404: errorSchema },
      },
    },
    async (_req, reply) => {
      const document = await service.latestDocument();
      if (!document) throw new AppError('not_found', 'This region has published no bank bundle');
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(document as never);
    },
  );
  app.post(
    '/api/v1/bank-bundles/import',
    {
      bodyLimit: BUNDLE_BODY_LIMIT,
      schema: {
        tags: ['bank'],
        summary: 'Apply an uploaded bank bundle (platform admins)',
        body: bundleImportSchema,
        response: { 200: bundleImportResultSchema, ...errors },
      },
    },
    async (req) => service.importDocument(requireActor(req), req.body.document),
  );
}
