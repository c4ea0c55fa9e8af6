/** API schemas of the data lifecycle: offboarding, deletion certificates, audit verification, rights of individuals. */
import { z } from 'zod';
import { endOfService } from './dates.js';
import { FIELD_MESSAGES } from './field-messages.js';
import { LANGUAGES } from './domain.js';

const email = z.email().max(254).transform((e) => e.toLowerCase());

export const offboardingInputSchema = z.strictObject({
  /** When service ends (default now); the institution is read-only from then, purged after the grace period. */
  endOfServiceAt: endOfService(365, FIELD_MESSAGES.end_of_service_window).optional(),
  /** Who receives the deletion certificate. */
  contactEmail: email,
});
export type OffboardingInput = z.output<typeof offboardingInputSchema>;

/** A site admin's request for the end of service: from today to a few years ahead. */
export const offboardingRequestSchema = offboardingInputSchema.extend({
  endOfServiceAt: endOfService(1, FIELD_MESSAGES.end_of_service_range).optional(),
});

/** Moving a scheduled end of service: the new date, which must still be ahead. */
export const offboardingDateInputSchema = z.strictObject({
  endOfServiceAt: endOfService(Number.POSITIVE_INFINITY, FIELD_MESSAGES.end_of_service_range),
});
export type OffboardingDateInput = z.output<typeof offboardingDateInputSchema>;

/**
 * Where an institution is in its end of service: `requested` by its site admin (a platform admin
 * confirms), `scheduled` (confirmed, end of service still ahead), `read_only` (the grace period:
 * everything can be read and exported, nothing changed), `purging` (the purge has started).
 */
export const OFFBOARDING_PHASES = ['requested', 'scheduled', 'read_only', 'purging'] as const;
export type OffboardingPhase = (typeof OFFBOARDING_PHASES)[number];

export const offboardingSchema = z.object({
  status: z.enum(['requested', 'scheduled']),
  phase: z.enum(OFFBOARDING_PHASES),
  contactEmail: z.string(),
  endOfServiceAt: z.string(),
  purgeAfter: z.string(),
  requestedAt: z.string(),
  confirmedAt: z.string().nullable(),
});
export type OffboardingBody = z.infer<typeof offboardingSchema>;
/** The operator's list: every institution with an offboarding under way. */
export const offboardingListItemSchema = offboardingSchema.extend({ institutionId: z.uuid(), institutionName: z.string() });
export type OffboardingListItem = z.infer<typeof offboardingListItemSchema>;

export const deletionCertificateSchema = z.object({
  certificateId: z.uuid(),
  institutionId: z.uuid(),
  institutionName: z.string(),
  region: z.string(),
  endOfServiceAt: z.string(),
  purgeStartedAt: z.string(),
  purgeCompletedAt: z.string().nullable(),
  tableCounts: z.record(z.string(), z.number()),
  tablesVerified: z.number(),
  archivesRemoved: z.number(),
  /** Embedded-mode mail files of the institution deleted (always 0 when mail goes by SMTP). */
  mailFilesRemoved: z.number(),
  keyDestroyed: z.boolean(),
  digest: z.string().nullable(),
  mailed: z.boolean(),
});
export type DeletionCertificateBody = z.infer<typeof deletionCertificateSchema>;

export const chainReportSchema = z.object({
  tenantId: z.uuid().nullable(),
  ok: z.boolean(),
  events: z.number(),
  /** Events from before the chain existed, checked against the chain's seal. */
  sealed: z.number(),
  /** The first break: its position and event (a truncation names the first missing position, no event). */
  brokenAt: z
    .object({
      seq: z.number().nullable(),
      id: z.number().nullable(),
      reason: z.enum(['gap', 'hash', 'link', 'content', 'unchained', 'sealed', 'truncated', 'anchor']),
    })
    .optional(),
  lastHash: z.string(),
  /** The newest position and hash the database anchored for the chain, which the chain's end must match. */
  anchor: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  /** The institution was purged: its events are gone, its anchor kept. */
  purged: z.literal(true).optional(),
});

// ---------- rights of individuals ----------
export const meUpdateSchema = z
  .strictObject({
    firstName: z.string().trim().min(1).max(100).optional(),
    lastName: z.string().trim().min(1).max(100).optional(),
    email: z.string().trim().max(254).pipe(email).optional(),
    language: z.enum(LANGUAGES).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, FIELD_MESSAGES.no_change);

export const myDataSchema = z.object({
  profile: z.object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    role: z.string(),
    canApprove: z.boolean(),
    status: z.string(),
    language: z.enum(LANGUAGES).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  institution: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  sessions: z.array(z.object({ createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), current: z.boolean() })),
  auditEvents: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      recordType: z.string(),
      recordId: z.string(),
      actorLabel: z.string(),
      changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    }),
  ),
  /** The person's reminder choices (null until they choose: their role's defaults apply). */
  reminderPreferences: z.object({ categories: z.array(z.string()), byEmail: z.boolean(), decisionWaitDays: z.number().int() }).nullable(),
  /** The person's notifications (their daily reminders), oldest first. */
  notifications: z.array(
    z.object({
      day: z.string(),
      category: z.string(),
      recordType: z.string(),
      recordId: z.string(),
      subject: z.string(),
      days: z.number().int(),
      date: z.string().nullable(),
      readAt: z.string().nullable(),
    }),
  ),
  exportedAt: z.string(),
});
export type MyDataBody = z.infer<typeof myDataSchema>;
