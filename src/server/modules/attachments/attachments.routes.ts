import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorSchema, fileResponse, idParamsSchema } from '../../../contracts/api.js';
import { ATTACHMENT_TYPES, attachmentListSchema, attachmentSchema, attachmentUploadQuerySchema } from '../../../contracts/attachments.js';
import { AppError } from '../../platform/errors.js';
import { requireActor } from '../../platform/http.js';
import type { AttachmentOwner } from './attachments.repo.js';
import { fileTooLarge, type AttachmentService } from './attachments.service.js';

const errors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  409: errorSchema,
  413: errorSchema,
  415: errorSchema,
};

/** `filename="…"` for old clients (ASCII, no quotes) and `filename*` (RFC 5987) with the real name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/**
 * Lets a route scope take a raw file as its body (`application/octet-stream`), read up to `max` bytes;
 * a larger one is refused with a field error on `file` (413), its remaining bytes drained so the
 * browser reads the answer. Security: only the scope given takes a raw body; every other route keeps
 * taking JSON alone.
 */
export function acceptRawFiles(scope: FastifyInstance, max: number): void {
  scope.addContentTypeParser('application/octet-stream', (req: FastifyRequest, payload, done) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > max;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      if (!over) chunks.push(chunk);
    });
    payload.on('error', (err) => done(err, undefined));
    payload.on('end', () => (over ? done(fileTooLarge(max), undefined) : done(null, Buffer.concat(chunks))));
  });
}

/**
 * Sends a stored document. Security: a document is never rendered by the browser as part of the
 * service: saved as a file, its type the checked one (no sniffing), and sandboxed should anything
 * open it inline.
 */
export function sendAsFile(reply: FastifyReply, file: { fileName: string; contentType: string; bytes: Buffer }) {
  return reply
    .type(file.contentType)
    .header('content-disposition', contentDisposition(file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'no-store')
    .send(file.bytes);
}

/** The raw file a route of such a scope received (415 when the body was not one). */
export function rawFileOf(req: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(req.body))
    throw new AppError('unsupported_media_type', 'Send the file itself (Content-Type: application/octet-stream)');
  return req.body;
}

/**
 * Uploads are the raw file as the body (`Content-Type: application/octet-stream`); its kind, name and
 * an agreement's end travel in the query string. The file is read up to the configured limit; a
 * larger one is refused with a field error on `file` (413), and its remaining bytes are drained so
 * the browser reads the answer.
 */
export function registerAttachmentRoutes(root: FastifyInstance, service: AttachmentService): void {
  const max = service.maxBytes;
  void root.register(async (scope) => {
    acceptRawFiles(scope, max);
    const app = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['attachments'];
    const uploadConfig = { bodyLimit: max + 1024 * 1024, config: { rateLimit: { max: 60, timeWindow: '1 minute' } } };
    const body = rawFileOf;
    const routesFor = (base: string, ownerOf: (id: string) => AttachmentOwner, what: string) => {
      app.get(
        `${base}/:id/attachments`,
        {
          schema: {
            tags,
            summary: `Documents attached to ${what}`,
            params: idParamsSchema,
            response: { 200: attachmentListSchema, ...errors },
          },
        },
        async (req) => service.list(requireActor(req), ownerOf(req.params.id)),
      );
      app.post(
        `${base}/:id/attachments`,
        {
          ...uploadConfig,
          schema: {
            tags,
            summary: `Attach a document to ${what}: the body is the file (application/octet-stream; PDF, DOCX, PNG or JPEG, recognised by its content), the query names it`,
            params: idParamsSchema,
            querystring: attachmentUploadQuerySchema,
            response: { 201: attachmentSchema, ...errors },
          },
        },
        async (req, reply) => reply.status(201).send(await service.upload(requireActor(req), ownerOf(req.params.id), req.query, body(req))),
      );
    };
    routesFor('/api/v1/inventory', (id) => ({ inventoryItemId: id }), 'an app of the inventory');
    routesFor('/api/v1/assessments', (id) => ({ assessmentId: id }), 'an assessment');

    app.get(
      '/api/v1/attachments/:id/download',
      {
        schema: {
          tags,
          summary: 'Download an attached document (always as a file, never shown in the page)',
          params: idParamsSchema,
          response: { 200: fileResponse('The document', Object.keys(ATTACHMENT_TYPES)), ...errors },
        },
      },
      async (req, reply) => {
        return sendAsFile(reply, await service.download(requireActor(req), req.params.id));
      },
    );
    app.delete(
      '/api/v1/attachments/:id',
      { schema: { tags, summary: 'Remove an attached document', params: idParamsSchema, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        await service.remove(requireActor(req), req.params.id);
        return reply.status(204).send(null);
      },
    );
  });
}
