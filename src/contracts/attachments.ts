/**
 * Attached documents: agreements (DPAs), vendor documents and others, attached to an app of the
 * inventory or to an assessment. The file is the raw request body (`application/octet-stream`); what
 * describes it travels in the query string, so every field is checked like any other input.
 */
import { z } from 'zod';
import { isoDate } from './dates.js';
import { FIELD_MESSAGES } from './field-messages.js';

export const ATTACHMENT_KINDS = ['agreement', 'vendor_document', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** The only types accepted, each recognised by the file's own bytes (never by its name or the client's word). */
export const ATTACHMENT_TYPES = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'image/png': 'png',
  'image/jpeg': 'jpg',
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** Default largest file (ATTACHMENT_MAX_BYTES overrides it). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

// Security: a file name is shown and sent back in a header: no control characters, no path.
export const attachmentFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine(
    (v) => ![...v].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    FIELD_MESSAGES.file_name,
  );

export const attachmentUploadQuerySchema = z.strictObject({
  kind: z.enum(ATTACHMENT_KINDS),
  fileName: attachmentFileNameSchema,
  /** When an agreement ends (agreements only). */
  agreementExpiresOn: isoDate.optional(),
});
export type AttachmentUploadQuery = z.infer<typeof attachmentUploadQuerySchema>;

export const attachmentSchema = z.object({
  id: z.uuid(),
  inventoryItemId: z.uuid().nullable(),
  assessmentId: z.uuid().nullable(),
  kind: z.enum(ATTACHMENT_KINDS),
  fileName: z.string(),
  contentType: z.string(),
  byteSize: z.number().int(),
  sha256: z.string(),
  agreementExpiresOn: z.string().nullable(),
  uploadedBy: z.string().nullable(),
  createdAt: z.string(),
  /** What the caller may do with it (the web shows the delete button only then). */
  canDelete: z.boolean(),
});
export type AttachmentBody = z.infer<typeof attachmentSchema>;

export const attachmentListSchema = z.object({
  items: z.array(attachmentSchema),
  /** Whether the caller may attach documents here. */
  canUpload: z.boolean(),
  maxBytes: z.number().int(),
});
export type AttachmentList = z.infer<typeof attachmentListSchema>;
