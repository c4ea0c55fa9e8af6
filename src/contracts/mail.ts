import { z } from 'zod';

export const mailStatusSchema = z.enum(['queued', 'sending', 'sent', 'failed']);
export type MailStatus = z.infer<typeof mailStatusSchema>;

/** A mail of the operator's mailbox (embedded mode), listed. */
export const mailboxItemSchema = z.object({
  id: z.string(),
  recipient: z.string(),
  subject: z.string(),
  template: z.string(),
  language: z.enum(['en', 'fr']),
  status: mailStatusSchema,
  attempts: z.number().int(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type MailboxItemBody = z.infer<typeof mailboxItemSchema>;

/** One mail, with its plain-text body (never its HTML, which the page would have to trust). */
export const mailboxMessageSchema = mailboxItemSchema.extend({ text: z.string().nullable() });
export type MailboxMessageBody = z.infer<typeof mailboxMessageSchema>;

export const mailboxQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
