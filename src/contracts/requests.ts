/**
 * Staff requests (issue 14): staff who ask for an app are not users. An institution opens a request
 * page reached by an unguessable link; a request names the app and its use, and may leave an email
 * only to hear the decision. A status page at its own link shows the decision and the guidance.
 */
import { z } from 'zod';
import { AUDIENCES, DATA_ELEMENT_CODES, GRADE_LEVELS, INVENTORY_STATUSES, LANGUAGES } from './domain.js';
import { FIELD_MESSAGES } from './field-messages.js';

const uuid = z.uuid();
const unique = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
    .meta({ uniqueItems: true });

/** A link token as the page carries it (43 base64url characters); anything else is simply not found. */
export const linkTokenSchema = z.string().min(1).max(100);
export const linkTokenQuerySchema = z.strictObject({ token: linkTokenSchema });
/**
 * The request page is reached by its link (`token`) or, without one, by the ticket cookie a staff
 * member gets from their institution's single sign-on.
 */
export const requestPageQuerySchema = z.strictObject({ token: linkTokenSchema.optional() });

export const STAFF_REQUEST_STATUSES = ['waiting', 'accepted', 'merged', 'declined'] as const;
export type StaffRequestStatus = (typeof STAFF_REQUEST_STATUSES)[number];

/** The request page's settings, as its site admins see them (the link itself is shown once, when made). */
export const requestLinkSchema = z.object({ open: z.boolean(), openedAt: z.string().nullable() });
export type RequestLink = z.infer<typeof requestLinkSchema>;
/** A new link (opening or rotating): its token, shown this once. */
export const requestLinkCreatedSchema = z.object({ token: z.string(), openedAt: z.string() });

/** What the public request page shows: the institution and what its staff choose among. */
export const requestPageSchema = z.object({
  institution: z.object({ name: z.string(), gradeLevels: z.array(z.enum(GRADE_LEVELS)) }),
  schools: z.array(z.object({ id: uuid, name: z.string() })),
  /** How the page was reached: its link, or the institution's single sign-on (nothing about the person kept). */
  access: z.enum(['link', 'sso']),
});
export type RequestPage = z.infer<typeof requestPageSchema>;

export const requestCatalogQuerySchema = z.strictObject({ token: linkTokenSchema.optional(), q: z.string().trim().min(1).max(100) });
export const requestCatalogSchema = z.object({ items: z.array(z.object({ id: uuid, name: z.string(), vendor: z.string() })) });

/** A staff member's request. Either a catalog app or a name typed in. */
export const staffRequestCreateSchema = z
  .strictObject({
    /** The page's link; without it, the single sign-on ticket (cookie) opens the page. */
    token: linkTokenSchema.optional(),
    catalogAppId: uuid.optional(),
    appName: z.string().trim().min(1).max(200).optional(),
    appWebsite: z.url({ protocol: /^https?$/ }).max(2000).optional(),
    purpose: z.string().trim().min(1).max(2000),
    grades: unique(z.enum(GRADE_LEVELS), GRADE_LEVELS.length).default([]),
    schoolIds: unique(uuid, 200).default([]),
    audiences: unique(z.enum(AUDIENCES), AUDIENCES.length).default([]),
    studentCount: z.number().int().min(0).max(1_000_000).optional(),
    dataElements: unique(z.enum(DATA_ELEMENT_CODES), DATA_ELEMENT_CODES.length).default([]),
    /** Only to hear the decision: sealed, and erased once that mail is sent or the request is closed. */
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase())
      .optional(),
    language: z.enum(LANGUAGES).default('en'),
  })
  .superRefine((v, ctx) => {
    if (!v.catalogAppId === !v.appName) ctx.addIssue({ code: 'custom', path: ['appName'], message: FIELD_MESSAGES.catalog_or_custom });
  });
export type StaffRequestCreate = z.output<typeof staffRequestCreateSchema>;
/** The status page's link, shown once to the requester. */
export const staffRequestCreatedSchema = z.object({ statusToken: z.string() });

/** What the requester's status page shows: the app, where the request stands, the decision and the guidance. */
export const staffRequestStatusSchema = z.object({
  institutionName: z.string(),
  appName: z.string(),
  submittedAt: z.string(),
  /** waiting (for triage), in_review, approved, approved_with_conditions, not_approved, declined. */
  stage: z.enum(['waiting', 'in_review', 'approved', 'approved_with_conditions', 'not_approved', 'declined']),
  declineReason: z.string(),
  /** The conditions of use for teachers, once approved. */
  guidance: z.string(),
});
export type StaffRequestStatusView = z.infer<typeof staffRequestStatusSchema>;

/** A request in the privacy officer's triage queue. Nothing about the requester but whether they asked to hear back. */
export const staffRequestSchema = z.object({
  id: uuid,
  catalogAppId: uuid.nullable(),
  appName: z.string(),
  appVendor: z.string(),
  appWebsite: z.string().nullable(),
  purpose: z.string(),
  grades: z.array(z.enum(GRADE_LEVELS)),
  schoolIds: z.array(uuid),
  audiences: z.array(z.enum(AUDIENCES)),
  studentCount: z.number().int().nullable(),
  dataElements: z.array(z.enum(DATA_ELEMENT_CODES)),
  status: z.enum(STAFF_REQUEST_STATUSES),
  /** The requester left an email still waiting to hear the decision (never the address). */
  awaitsMail: z.boolean(),
  declineReason: z.string(),
  mergedIntoId: uuid.nullable(),
  inventoryItemId: uuid.nullable(),
  inventoryStatus: z.enum(INVENTORY_STATUSES).nullable(),
  assessmentId: uuid.nullable(),
  createdAt: z.string(),
  triagedAt: z.string().nullable(),
});
export type StaffRequest = z.infer<typeof staffRequestSchema>;

export const staffRequestQuerySchema = z.strictObject({ status: z.enum(STAFF_REQUEST_STATUSES).optional() });
export const staffRequestAcceptSchema = z.strictObject({
  /** A published bank version to adopt; omitted: the generic structure. */
  templateVersionId: uuid.optional(),
});
export const staffRequestMergeSchema = z.strictObject({ intoId: uuid });
export const staffRequestDeclineSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
