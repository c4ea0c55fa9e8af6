/**
 * The REST contract of /api/v1: zod schemas for every request and response body, shared by the
 * server (validation + OpenAPI) and the web client (forms + types). Every string is bounded.
 */
import { z } from 'zod';
import { isoDate } from './dates.js';
import { FIELD_MESSAGES } from './field-messages.js';
import {
  AGREEMENT_TYPES,
  APP_CATEGORIES,
  AUDIENCES,
  COUNTRIES,
  DATA_ELEMENT_CODES,
  GRADE_LEVELS,
  INSTITUTION_KINDS,
  INSTITUTION_ROLES,
  INSTITUTION_STATUSES,
  INVENTORY_SORTS,
  INVENTORY_STATUSES,
  LANGUAGES,
  REGIONS,
  ROLES,
  SIGN_IN_SUPPORT,
} from './domain.js';
import { publicSlugSchema } from './public.js';

/** The largest integer a request may carry where a 4-byte integer column holds it (versions, revision numbers). */
const INT_MAX = 2_147_483_647;

const uuid = z.uuid();
const name = (max = 200) => z.string().trim().min(1).max(max);
const text = (max = 5000) => z.string().max(max);
const url = z.url({ protocol: /^https?$/ }).max(2000);
const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
const unique = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, FIELD_MESSAGES.repeated_value)
    .meta({ uniqueItems: true });

export const gradeSchema = z.enum(GRADE_LEVELS);
export const audienceSchema = z.enum(AUDIENCES);
export const dataElementSchema = z.enum(DATA_ELEMENT_CODES);
export const inventoryStatusSchema = z.enum(INVENTORY_STATUSES);

// ---------- errors ----------
/** Every error response. `fields` maps a field path ("grades.2") to its message. */
/**
 * Stable codes of field messages (`error.fieldCodes`, by the same paths as `error.fields`): a client
 * shows a known code in the person's language, with the values in `error.fieldParams`, and the
 * server's English text for any other. Add a code here with its English and French messages (web i18n
 * `errors.field`). The first group comes from schema validation; the others from the services.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_large',
  'invalid_type',
  'invalid_format',
  'invalid_choice',
  'unknown_field',
  'repeated_value',
  'invalid',
  // The master bank's content and the answers it pre-fills.
  'duplicate_section_key',
  'duplicate_question_key',
  'choices_required',
  'columns_required',
  'answer_shape',
  'answer_not_a_choice',
  'answer_not_choices',
  'answer_unknown_column',
  'condition_not_earlier',
  'no_question',
  // A bank text without its French, refused at publication.
  'french_missing',
  'unknown_catalog_app',
  'key_taken',
  'no_published_version',
  // The end of service.
  'date_not_future',
  // Email domains of single sign-on.
  'domain_taken',
  'domain_claimed',
  'domain_not_verified',
  'domain_in_use',
  // A password given to confirm a change.
  'not_correct',
  // The sign-in email changes only by a link sent to the new address.
  'email_by_link',
  // Formats and rules whose message a schema writes (FIELD_MESSAGES).
  'country_code',
  'domain',
  'uri',
  'key_format',
  'slug_format',
  'double_hyphen',
  'catalog_or_custom',
  'no_change',
  'date_range',
  'end_of_service_range',
  'end_of_service_window',
  'nul_character',
  'summary_required',
  'file_name',
  'not_after_today',
  'evidence_seen_on',
  'evidence_source',
  // Attached documents.
  'file_empty',
  'file_type',
  'file_too_large',
  'agreement_only',
  // Region cells: an institution of the other region's country.
  'belongs_in_ca',
  'belongs_in_us',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];
export type FieldParams = Record<string, string | number>;

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
    fieldCodes: z.record(z.string(), z.string()).optional(),
    fieldParams: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))).optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorSchema>;

/**
 * A file to download, documented per content type (binary, `format: binary`). The body is sent
 * as it is, never through a JSON schema.
 */
export const fileResponse = (description: string, contentTypes: readonly string[]) => ({
  description,
  content: Object.fromEntries(contentTypes.map((type) => [type, { schema: z.any().meta({ type: 'string', format: 'binary' }) }])),
});

// ---------- session ----------
export const loginSchema = z.strictObject({ email: z.string().trim().max(254).pipe(email), password: z.string().min(1).max(1024) });
export const sessionUserSchema = z.object({
  id: uuid,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(ROLES),
  canApprove: z.boolean(),
  /** The language the person chose (interface, printed outputs, email); null until they choose. */
  language: z.enum(LANGUAGES).nullable(),
});
export const institutionSummarySchema = z.object({
  id: uuid,
  name: z.string(),
  region: z.enum(REGIONS),
  status: z.enum(INSTITUTION_STATUSES),
  /** Set from the end of service until the purge: the institution can be read and exported, not changed. */
  readOnly: z.object({ since: z.string(), purgeAfter: z.string() }).nullable(),
});
/** What the web client needs to know about the signed-in person. */
export const sessionSchema = z.object({
  user: sessionUserSchema,
  institution: institutionSummarySchema.nullable(),
  csrfToken: z.string(),
  /**
   * A platform admin inside an institution: `onboarding` (may load data, no site admin yet), `support`
   * (read-only, under the institution's grant), or null (nothing). Null for everyone else.
   */
  operatorAccess: z.enum(['onboarding', 'support']).nullable(),
  /** What the caller may do in the current institution; the UI shows or hides controls from it. */
  abilities: z.object({
    manageInventory: z.boolean(),
    manageUsers: z.boolean(),
    manageInstitutions: z.boolean(),
    manageCatalog: z.boolean(),
    approve: z.boolean(),
    /** Identity providers and the sign-in policy of the institution. */
    manageSso: z.boolean(),
  }),
});
export type SessionBody = z.infer<typeof sessionSchema>;
export const switchInstitutionSchema = z.strictObject({ institutionId: uuid.nullable() });

// ---------- institutions ----------
export const schoolInputSchema = z.strictObject({
  id: uuid.optional(),
  name: name(200),
  gradeFrom: gradeSchema,
  gradeTo: gradeSchema,
});
export const institutionCreateSchema = z.strictObject({
  name: name(200),
  kind: z.enum(INSTITUTION_KINDS),
  country: z.enum(COUNTRIES),
  subdivision: z.string().trim().length(2).toUpperCase(),
  /** Follows the country (REGION_OF_COUNTRY); when given, it must be the country's. */
  region: z.enum(REGIONS).optional(),
  gradeLevels: unique(gradeSchema, GRADE_LEVELS.length).min(1),
  schools: z.array(schoolInputSchema).max(500).default([]),
  firstSiteAdmin: z.strictObject({ email, firstName: name(100), lastName: name(100) }),
});
/**
 * The institution's decision rules: whether an app is approved or listed publicly only with an
 * approved PIA; what an expired agreement does to an approved app (`needs_review`: back to review and
 * off the public list; `keep`: nothing); months from an approval to the next review; months before
 * an answer's evidence is stale.
 */
export const decisionRulesSchema = z.strictObject({
  requireApprovedPia: z.boolean(),
  expiredAgreement: z.enum(['needs_review', 'keep']),
  reviewIntervalMonths: z.number().int().min(1).max(60),
  /** Months after the day an answer's evidence was seen before it is flagged stale (omitted: unchanged; default 12). */
  evidenceReviewMonths: z.number().int().min(1).max(60).optional(),
});
export type DecisionRules = z.infer<typeof decisionRulesSchema>;
export const institutionUpdateSchema = z.strictObject({
  name: name(200).optional(),
  gradeLevels: unique(gradeSchema, GRADE_LEVELS.length).min(1).optional(),
  schools: z.array(schoolInputSchema).max(500).optional(),
  /** The public list's address (`/public/<slug>`), or null to take the list down. */
  publicSlug: publicSlugSchema.nullable().optional(),
  /** The decision rules (site admins only). */
  decisionRules: decisionRulesSchema.optional(),
});
export const schoolSchema = z.object({ id: uuid, name: z.string(), gradeFrom: gradeSchema, gradeTo: gradeSchema });
export const institutionSchema = z.object({
  id: uuid,
  name: z.string(),
  kind: z.enum(INSTITUTION_KINDS),
  country: z.enum(COUNTRIES),
  subdivision: z.string(),
  region: z.enum(REGIONS),
  gradeLevels: z.array(gradeSchema),
  status: z.enum(INSTITUTION_STATUSES),
  schools: z.array(schoolSchema),
  publicSlug: z.string().nullable(),
  decisionRules: decisionRulesSchema,
  isDemo: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InstitutionBody = z.infer<typeof institutionSchema>;

// ---------- users & invitations ----------
export const userSchema = z.object({
  id: uuid,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(ROLES),
  canApprove: z.boolean(),
  status: z.enum(['active', 'disabled']),
  /** Two-step verification is on (an administrator may reset it when the person lost their device). */
  mfaEnabled: z.boolean(),
  createdAt: z.string(),
});
export type UserBody = z.infer<typeof userSchema>;
/** Who may own an inventory item: names only, for everyone who works on the inventory. */
export const directoryEntrySchema = z.object({ id: uuid, firstName: z.string(), lastName: z.string() });
export type DirectoryEntryBody = z.infer<typeof directoryEntrySchema>;
export const userUpdateSchema = z.strictObject({
  role: z.enum(INSTITUTION_ROLES).optional(),
  canApprove: z.boolean().optional(),
  status: z.enum(['active', 'disabled']).optional(),
});
export const invitationCreateSchema = z.strictObject({
  email,
  firstName: name(100),
  lastName: name(100),
  role: z.enum(INSTITUTION_ROLES),
  canApprove: z.boolean().default(false),
});
export const invitationSchema = z.object({
  id: uuid,
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  role: z.enum(INSTITUTION_ROLES),
  canApprove: z.boolean(),
  status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
  expiresAt: z.string(),
  createdAt: z.string(),
});
export type InvitationBody = z.infer<typeof invitationSchema>;
// ---------- support access (the operator inside an institution, ADR 0007) ----------
/** The longest support access an institution can grant at once: seven days. */
export const SUPPORT_ACCESS_MAX_HOURS = 168;
export const supportGrantCreateSchema = z.strictObject({
  /** How long the operator may read the institution's data, in hours (1 hour to 7 days). */
  hours: z.number().int().min(1).max(SUPPORT_ACCESS_MAX_HOURS),
  /** Why: what the operator's staff are to look at. */
  reason: name(500),
});
export const supportGrantSchema = z.object({
  id: uuid,
  reason: z.string(),
  hours: z.number().int(),
  status: z.enum(['active', 'expired', 'revoked']),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  grantedBy: z.object({ id: uuid, name: z.string() }).nullable(),
  revokedBy: z.object({ id: uuid, name: z.string() }).nullable(),
  createdAt: z.string(),
});
export type SupportGrantBody = z.infer<typeof supportGrantSchema>;
/** Accepting an invitation sets the password (12+ characters). */
export const invitationAcceptSchema = z.strictObject({ token: z.string().min(20).max(200), password: z.string().min(12).max(1024) });
export const invitationPreviewSchema = z.object({ email: z.string(), firstName: z.string(), institutionName: z.string() });

// ---------- catalog ----------
const countryList = unique(z.string().regex(/^[A-Z]{2}$/, FIELD_MESSAGES.country_code), 50);
const catalogAppFields = {
  name: name(200),
  vendor: name(200),
  website: url.nullable(),
  privacyPolicyUrl: url.nullable(),
  termsUrl: url.nullable(),
  categories: unique(z.enum(APP_CATEGORIES), APP_CATEGORIES.length),
  description: text(5000),
  storageCountries: countryList,
  processingCountries: countryList,
  signInSupport: unique(z.enum(SIGN_IN_SUPPORT), SIGN_IN_SUPPORT.length),
  dataElements: unique(dataElementSchema, DATA_ELEMENT_CODES.length),
};
export const catalogAppInputSchema = z.strictObject({
  ...catalogAppFields,
  website: catalogAppFields.website.default(null),
  privacyPolicyUrl: catalogAppFields.privacyPolicyUrl.default(null),
  termsUrl: catalogAppFields.termsUrl.default(null),
  categories: catalogAppFields.categories.default([]),
  description: catalogAppFields.description.default(''),
  storageCountries: catalogAppFields.storageCountries.default([]),
  processingCountries: catalogAppFields.processingCountries.default([]),
  signInSupport: catalogAppFields.signInSupport.default([]),
  dataElements: catalogAppFields.dataElements.default([]),
});
/** Update: only the fields sent change (no defaults here). */
export const catalogAppUpdateSchema = z.strictObject(catalogAppFields).partial();
export const catalogAppSchema = z.object({
  id: uuid,
  slug: z.string(),
  name: z.string(),
  vendor: z.string(),
  website: z.string().nullable(),
  privacyPolicyUrl: z.string().nullable(),
  termsUrl: z.string().nullable(),
  categories: z.array(z.string()),
  description: z.string(),
  storageCountries: z.array(z.string()),
  processingCountries: z.array(z.string()),
  signInSupport: z.array(z.string()),
  dataElements: z.array(z.string()),
  isDemo: z.boolean(),
  updatedAt: z.string(),
});
export type CatalogAppBody = z.infer<typeof catalogAppSchema>;
export const catalogQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  category: z.enum(APP_CATEGORIES).optional(),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

// ---------- inventory ----------
const agreementFields = {
  agreementType: z.enum(AGREEMENT_TYPES),
  agreementSigned: z.boolean(),
  agreementSignedOn: isoDate.nullable(),
  agreementExpiresOn: isoDate.nullable(),
  agreementUrl: url.nullable(),
};
const inventoryEditable = {
  grades: unique(gradeSchema, GRADE_LEVELS.length),
  schoolIds: unique(uuid, 500),
  audiences: unique(audienceSchema, AUDIENCES.length),
  dataElements: unique(dataElementSchema, DATA_ELEMENT_CODES.length),
  purpose: text(2000),
  ownerUserId: uuid.nullable(),
  conditionsOfUse: text(5000),
  ...agreementFields,
  nextReviewOn: isoDate.nullable(),
  notes: text(10000),
  isPublic: z.boolean(),
};
const inventoryEditableSchema = z.strictObject(inventoryEditable);
/** Add an app: either `catalogAppId` or a `custom` app, never both. */
export const inventoryCreateSchema = inventoryEditableSchema
  .partial()
  .extend({
    catalogAppId: uuid.optional(),
    custom: z.strictObject({ name: name(200), vendor: text(200).default(''), website: url.nullable().default(null) }).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.catalogAppId === !v.custom) {
      ctx.addIssue({ code: 'custom', path: ['catalogAppId'], message: FIELD_MESSAGES.catalog_or_custom });
    }
  });
export type InventoryCreate = z.infer<typeof inventoryCreateSchema>;
/** Update: any editable field; `version` is the one the client last saw (stale saves are refused). */
export const inventoryUpdateSchema = inventoryEditableSchema.partial().extend({
  version: z.number().int().min(1).max(INT_MAX),
  custom: z
    .strictObject({ name: name(200), vendor: text(200), website: url.nullable() })
    .partial()
    .optional(),
});
export type InventoryUpdate = z.infer<typeof inventoryUpdateSchema>;
export const inventoryTransitionSchema = z.strictObject({
  version: z.number().int().min(1).max(INT_MAX),
  status: inventoryStatusSchema,
  comment: text(2000).optional(),
});
export const inventoryItemSchema = z.object({
  id: uuid,
  catalogAppId: uuid.nullable(),
  isCustom: z.boolean(),
  name: z.string(),
  vendor: z.string(),
  website: z.string().nullable(),
  grades: z.array(gradeSchema),
  schoolIds: z.array(uuid),
  audiences: z.array(audienceSchema),
  dataElements: z.array(z.string()),
  purpose: z.string(),
  ownerUserId: uuid.nullable(),
  status: inventoryStatusSchema,
  allowedTransitions: z.array(inventoryStatusSchema),
  /** The institution approves apps only with an approved PIA and this one has none yet: approve it through its assessment. */
  approvalNeedsPia: z.boolean(),
  conditionsOfUse: z.string(),
  agreementType: z.enum(AGREEMENT_TYPES),
  agreementSigned: z.boolean(),
  agreementSignedOn: z.string().nullable(),
  agreementExpiresOn: z.string().nullable(),
  agreementUrl: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  notes: z.string(),
  isPublic: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InventoryItemBody = z.infer<typeof inventoryItemSchema>;
/** An opaque position in a list, as the list gave it (base64url). */
const pageCursor = z
  .string()
  .max(2000)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a valid cursor');
const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? (v === '' ? [] : v.split(',')) : v), z.array(item).max(50));
export const inventoryQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: csv(inventoryStatusSchema).optional(),
  grade: csv(gradeSchema).optional(),
  audience: csv(audienceSchema).optional(),
  dataElement: csv(dataElementSchema).optional(),
  schoolId: uuid.optional(),
  sort: z.enum(INVENTORY_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  /**
   * Keyset paging: the page just after (or before) the item a previous page's `nextCursor` (or
   * `prevCursor`) names, in the same sort and order; `page` then only labels it. Without a cursor,
   * `page` is counted from the nearer end of the list.
   */
  after: pageCursor.optional(),
  before: pageCursor.optional(),
});
export type InventoryQuery = z.infer<typeof inventoryQuerySchema>;
/** A page of the inventory, with the cursors of the pages beside it (null: there is none). */
export const inventoryPageSchema = z.object({
  items: z.array(inventoryItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  nextCursor: z.string().nullable(),
  prevCursor: z.string().nullable(),
});
export type InventoryPageBody = z.infer<typeof inventoryPageSchema>;

/** A page of results. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

// ---------- audit ----------
export const auditEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorLabel: z.string(),
  actorRole: z.string(),
  action: z.string(),
  recordType: z.string(),
  recordId: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  requestId: z.string(),
  source: z.string(),
});
export type AuditEventBody = z.infer<typeof auditEventSchema>;

export const idParamsSchema = z.strictObject({ id: uuid });
