/**
 * The public list (PRODUCT.md "The public list"): what an institution chose to publish about the
 * apps it approved, readable by anyone at `/public/<slug>`. It holds nothing about people: no owner,
 * no notes, no assessment content, no user names — only the app and the institution's decision.
 */
import { z } from 'zod';
import { FIELD_MESSAGES } from './field-messages.js';
import { AUDIENCES, DATA_ELEMENT_CODES, GRADE_LEVELS, INSTITUTION_KINDS } from './domain.js';

/** A public list address: 3–60 lower-case letters, digits and inner hyphens. */
export const publicSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{1,58})[a-z0-9]$/,
    FIELD_MESSAGES.slug_format,
  )
  .refine((s) => !s.includes('--'), FIELD_MESSAGES.double_hyphen);

export const publicSlugParamsSchema = z.strictObject({ slug: z.string().max(100) });

export const publicAppSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  vendor: z.string(),
  website: z.string().nullable(),
  privacyPolicyUrl: z.string().nullable(),
  status: z.enum(['approved', 'approved_with_conditions']),
  grades: z.array(z.enum(GRADE_LEVELS)),
  schoolIds: z.array(z.uuid()),
  audiences: z.array(z.enum(AUDIENCES)),
  dataElements: z.array(z.enum(DATA_ELEMENT_CODES)),
  purpose: z.string(),
  conditionsOfUse: z.string(),
  /** Where the vendor stores the data (ISO 3166-1 alpha-2); empty when not known (custom apps). */
  storageCountries: z.array(z.string()),
  approvedOn: z.string().nullable(),
});
export type PublicApp = z.infer<typeof publicAppSchema>;

export const publicListSchema = z.object({
  institution: z.object({
    name: z.string(),
    kind: z.enum(INSTITUTION_KINDS),
    country: z.string(),
    subdivision: z.string(),
    gradeLevels: z.array(z.enum(GRADE_LEVELS)),
    schools: z.array(z.object({ id: z.uuid(), name: z.string(), gradeFrom: z.enum(GRADE_LEVELS), gradeTo: z.enum(GRADE_LEVELS) })),
  }),
  /** When the newest published app last changed. */
  updatedAt: z.string().nullable(),
  apps: z.array(publicAppSchema),
});
export type PublicList = z.infer<typeof publicListSchema>;
