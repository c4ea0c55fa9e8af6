/** Vetted's own privacy policy: its versions, their publication, and the notices site admins see. */
import { z } from 'zod';
import { isoDate } from './dates.js';
import { FIELD_MESSAGES } from './field-messages.js';
import { mailStatusSchema } from './mail.js';

export const privacyPolicyKindSchema = z.enum(['significant', 'minor']);
export type PrivacyPolicyKind = z.infer<typeof privacyPolicyKindSchema>;

const markdown = z.string().trim().min(1).max(100_000);
const summary = z.string().trim().max(2000);

/** What the operator publishes. A significant version needs a summary in both languages (it is emailed). */
export const privacyPolicyPublishSchema = z
  .strictObject({
    kind: privacyPolicyKindSchema,
    effectiveOn: isoDate,
    bodyEn: markdown,
    bodyFr: markdown,
    summaryEn: summary.default(''),
    summaryFr: summary.default(''),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== 'significant') return;
    for (const field of ['summaryEn', 'summaryFr'] as const)
      if (!v[field]) ctx.addIssue({ code: 'custom', path: [field], message: FIELD_MESSAGES.summary_required });
  });
export type PrivacyPolicyPublishInput = z.input<typeof privacyPolicyPublishSchema>;

/** A version, without its text (history). */
export const privacyPolicyVersionSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  kind: privacyPolicyKindSchema,
  effectiveOn: z.string(),
  publishedAt: z.string(),
  summaryEn: z.string(),
  summaryFr: z.string(),
});
export type PrivacyPolicyVersionSummaryBody = z.infer<typeof privacyPolicyVersionSummarySchema>;

/** A version with its Markdown text in both languages. */
export const privacyPolicyVersionSchema = privacyPolicyVersionSummarySchema.extend({ bodyEn: z.string(), bodyFr: z.string() });
export type PrivacyPolicyVersionBody = z.infer<typeof privacyPolicyVersionSchema>;

/** The public page: the current version (the newest whose day has come) and every version. */
export const privacyPolicyPublicSchema = z.object({
  current: privacyPolicyVersionSchema.nullable(),
  history: z.array(privacyPolicyVersionSummarySchema),
});
export type PrivacyPolicyPublicBody = z.infer<typeof privacyPolicyPublicSchema>;

export const privacyPolicyNumberParamsSchema = z.strictObject({ number: z.coerce.number().int().min(1).max(1_000_000) });

/** What publishing did: the version, and how many site admins are being emailed. */
export const privacyPolicyPublishedSchema = z.object({ version: privacyPolicyVersionSchema, notified: z.number().int() });

/** Delivery of a significant version, per recipient: who, and the state of their email. */
export const privacyPolicyDeliverySchema = z.object({
  counts: z.object({ queued: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
  recipients: z.array(
    z.object({
      email: z.string(),
      institutionName: z.string(),
      status: z.enum(['queued', 'sent', 'failed']),
      acknowledged: z.boolean(),
    }),
  ),
});
export type PrivacyPolicyDeliveryBody = z.infer<typeof privacyPolicyDeliverySchema>;
export { mailStatusSchema };

/** A notice waiting for the signed-in site admin. */
export const privacyPolicyNoticeSchema = z.object({
  versionId: z.string(),
  number: z.number().int(),
  effectiveOn: z.string(),
  summaryEn: z.string(),
  summaryFr: z.string(),
});
export type PrivacyPolicyNoticeBody = z.infer<typeof privacyPolicyNoticeSchema>;
