/**
 * Vendor questionnaires (issue 15): a vendor contact answers a bank template for their product by an
 * unguessable link, with evidence for each answer, and submits once. The operator (for the bank) or an
 * institution's site admin (for its own PIA of an app the bank lacks) reviews each answer and
 * publishes the accepted ones. The contact is not a user: their email only carries the link.
 */
import { z } from 'zod';
import { QUESTION_KINDS, questionOptionsSchema } from './assessments.js';
import { attachmentFileNameSchema } from './attachments.js';
import { isoDate } from './dates.js';
import { LANGUAGES } from './domain.js';

const uuid = z.uuid();

/** A link token as the page carries it; anything else is simply not found. */
export const vendorTokenSchema = z.string().min(1).max(100);
export const vendorTokenQuerySchema = z.strictObject({ token: vendorTokenSchema });
/** The vendor's page: the link's token, and the language to read the questions in (the invitation's by default). */
export const vendorPageQuerySchema = vendorTokenQuerySchema.extend({ lang: z.enum(LANGUAGES).optional() });

export const VENDOR_QUESTIONNAIRE_STATUSES = ['open', 'submitted', 'published', 'closed'] as const;
export type VendorQuestionnaireStatus = (typeof VENDOR_QUESTIONNAIRE_STATUSES)[number];
export const VENDOR_REVIEWS = ['pending', 'accepted', 'rejected'] as const;
export type VendorReview = (typeof VENDOR_REVIEWS)[number];

/** Days a link serves by default, and at most. */
export const VENDOR_LINK_DAYS = 30;
export const VENDOR_LINK_MAX_DAYS = 90;

/**
 * An invitation: the operator names a bank template (`templateId`); a site admin names an app of its
 * inventory (`inventoryItemId`), whose PIA receives the answers.
 */
export const vendorInviteSchema = z.strictObject({
  templateId: uuid.optional(),
  inventoryItemId: uuid.optional(),
  email: z
    .email()
    .max(254)
    .transform((e) => e.toLowerCase()),
  productName: z.string().trim().min(1).max(200),
  vendorName: z.string().trim().max(200).default(''),
  language: z.enum(LANGUAGES).default('en'),
  expiresInDays: z.number().int().min(1).max(VENDOR_LINK_MAX_DAYS).default(VENDOR_LINK_DAYS),
});
export type VendorInvite = z.input<typeof vendorInviteSchema>;

/** The evidence behind an answer: where it is said (a link, or the words quoted) and the day it was seen. */
export const vendorEvidenceSchema = z.object({
  url: z.string().nullable(),
  quote: z.string(),
  seenOn: z.string().nullable(),
});

/** A file the vendor attached as the evidence of an answer (PDF, DOCX, PNG or JPEG, recognised by its bytes). */
export const vendorFileSchema = z.object({
  id: uuid,
  questionKey: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  byteSize: z.number().int(),
  createdAt: z.string(),
});
export type VendorFile = z.infer<typeof vendorFileSchema>;
/** Attaching a file: the body is the file itself (application/octet-stream); the query names it. */
export const vendorFileUploadQuerySchema = vendorTokenQuerySchema.extend({
  questionKey: z.string().min(1).max(80),
  fileName: attachmentFileNameSchema,
});

export const vendorAnswerSchema = z.object({
  value: z.unknown().nullable(),
  evidence: vendorEvidenceSchema,
  version: z.number().int(),
  updatedAt: z.string(),
});

/** A question as the vendor reads it. */
export const vendorQuestionSchema = z.object({
  key: z.string(),
  kind: z.enum(QUESTION_KINDS),
  prompt: z.string(),
  guidance: z.string(),
  options: questionOptionsSchema,
  required: z.boolean(),
  answer: vendorAnswerSchema.nullable(),
  /** The files attached as the answer's evidence. */
  files: z.array(vendorFileSchema),
});
export type VendorQuestion = z.infer<typeof vendorQuestionSchema>;

/** The vendor's page: its product and questions, nothing of who asked beyond Vetted. */
export const vendorPageSchema = z.object({
  productName: z.string(),
  vendorName: z.string(),
  language: z.enum(LANGUAGES),
  status: z.enum(['open', 'submitted']),
  expiresAt: z.string(),
  submittedAt: z.string().nullable(),
  sections: z.array(z.object({ key: z.string(), title: z.string(), questions: z.array(vendorQuestionSchema) })),
});
export type VendorPage = z.infer<typeof vendorPageSchema>;

/** One answer saved as the vendor goes (`version` 0 for a first answer, else the version read). */
export const vendorAnswerSaveSchema = z.strictObject({
  token: vendorTokenSchema,
  questionKey: z.string().min(1).max(80),
  value: z.unknown(),
  evidenceUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
  evidenceQuote: z.string().max(5000).default(''),
  evidenceSeenOn: isoDate.nullable().default(null),
  version: z.number().int().min(0).max(2_147_483_647),
});
export type VendorAnswerSave = z.input<typeof vendorAnswerSaveSchema>;
export const vendorAnswerSavedSchema = z.object({ questionKey: z.string(), version: z.number().int(), updatedAt: z.string() });
export const vendorSubmitSchema = z.strictObject({ token: vendorTokenSchema });

/** A questionnaire as its reviewer sees it (never the contact's email: `awaitsContact` says whether it is still held). */
export const vendorQuestionnaireSchema = z.object({
  id: uuid,
  scope: z.enum(['bank', 'institution']),
  templateId: uuid,
  templateTitle: z.string(),
  /** The template's title in Canadian French, when the bank has it (null: show the English). */
  templateTitleFr: z.string().nullable(),
  templateVersionNumber: z.number().int(),
  inventoryItemId: uuid.nullable(),
  productName: z.string(),
  vendorName: z.string(),
  language: z.enum(LANGUAGES),
  status: z.enum(VENDOR_QUESTIONNAIRE_STATUSES),
  /** True while the link serves (open and not expired). */
  linkServes: z.boolean(),
  awaitsContact: z.boolean(),
  expiresAt: z.string(),
  submittedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedVersionId: uuid.nullable(),
  /** How many questions the vendor has answered so far. */
  answeredCount: z.number().int(),
  createdAt: z.string(),
  answers: z.array(
    z.object({
      questionKey: z.string(),
      prompt: z.string(),
      kind: z.enum(QUESTION_KINDS),
      value: z.unknown().nullable(),
      evidence: vendorEvidenceSchema,
      review: z.enum(VENDOR_REVIEWS),
      reviewNote: z.string(),
      updatedAt: z.string(),
      /** The files the vendor attached as the answer's evidence. */
      files: z.array(vendorFileSchema),
    }),
  ),
});
export type VendorQuestionnaire = z.infer<typeof vendorQuestionnaireSchema>;
export const vendorQuestionnaireListSchema = z.object({ items: z.array(vendorQuestionnaireSchema.omit({ answers: true })) });

/** The reviewer's verdict on answers, each with a note. */
export const vendorReviewSchema = z.strictObject({
  reviews: z
    .array(
      z.strictObject({
        questionKey: z.string().min(1).max(80),
        review: z.enum(['accepted', 'rejected']),
        note: z.string().trim().max(2000).default(''),
      }),
    )
    .min(1)
    .max(500),
});
export type VendorReviewInput = z.input<typeof vendorReviewSchema>;
