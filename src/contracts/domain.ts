/**
 * Domain constants shared by the server and the web client: the data-element taxonomy, audiences,
 * grade levels, roles and the inventory status lifecycle. One source of truth for both sides.
 */

/** Regions an institution's data can live in. */
export const REGIONS = ['ca', 'us'] as const;
export type Region = (typeof REGIONS)[number];

/** Kinds of client institution. */
export const INSTITUTION_KINDS = ['district', 'board', 'independent_school', 'other'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const INSTITUTION_STATUSES = ['active', 'offboarding', 'purged'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];

/** Countries an institution can be in, with their provinces/territories or states. */
export const COUNTRIES = ['CA', 'US'] as const;
export type Country = (typeof COUNTRIES)[number];
/** The data region of an institution follows its country: Canadian data in Canada, US data in the US. */
export const REGION_OF_COUNTRY: Readonly<Record<Country, Region>> = { CA: 'ca', US: 'us' };

export const CA_PROVINCES = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'] as const;
export const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
] as const;

/** Grade levels in their natural order. `K` is kindergarten (SK in Ontario); `ADULT` is adult education. */
export const GRADE_LEVELS = ['JK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'ADULT'] as const;
export type GradeLevel = (typeof GRADE_LEVELS)[number];

/** Grades whose students are usually under 13 (COPPA; most provincial consent ages). */
export const UNDER_13_GRADES: readonly GradeLevel[] = ['JK', 'K', '1', '2', '3', '4', '5', '6', '7'];

/** Who an app's data is about. */
export const AUDIENCES = ['students', 'employees', 'parents', 'alumni', 'volunteers'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The data-element taxonomy. Each element is flagged sensitive or not; see docs/data-elements.md. */
export const DATA_ELEMENTS = [
  { code: 'name', sensitive: false },
  { code: 'email', sensitive: false },
  { code: 'username', sensitive: false },
  { code: 'student_id', sensitive: false },
  { code: 'date_of_birth', sensitive: true },
  { code: 'grade', sensitive: false },
  { code: 'school', sensitive: false },
  { code: 'class_roster', sensitive: false },
  { code: 'home_address', sensitive: true },
  { code: 'phone', sensitive: false },
  { code: 'photo', sensitive: true },
  { code: 'video', sensitive: true },
  { code: 'voice', sensitive: true },
  { code: 'biometric', sensitive: true },
  { code: 'assessment_results', sensitive: true },
  { code: 'student_work', sensitive: false },
  { code: 'behaviour', sensitive: true },
  { code: 'attendance', sensitive: false },
  { code: 'health', sensitive: true },
  { code: 'special_education', sensitive: true },
  { code: 'indigenous_identity', sensitive: true },
  { code: 'ethnicity', sensitive: true },
  { code: 'gender', sensitive: true },
  { code: 'religion', sensitive: true },
  { code: 'family_information', sensitive: true },
  { code: 'financial', sensitive: true },
  { code: 'government_id', sensitive: true },
  { code: 'precise_location', sensitive: true },
  { code: 'device_usage', sensitive: false },
  { code: 'ip_address', sensitive: false },
  { code: 'browsing_history', sensitive: true },
  { code: 'messages', sensitive: true },
  { code: 'free_text', sensitive: false },
  { code: 'employment', sensitive: false },
] as const satisfies readonly { code: string; sensitive: boolean }[];
export type DataElement = (typeof DATA_ELEMENTS)[number]['code'];
export const DATA_ELEMENT_CODES = DATA_ELEMENTS.map((e) => e.code) as unknown as readonly [DataElement, ...DataElement[]];
export const SENSITIVE_DATA_ELEMENTS: ReadonlySet<string> = new Set(DATA_ELEMENTS.filter((e) => e.sensitive).map((e) => e.code));

/** The languages the service speaks: the interface, printed outputs and email. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Categories of catalog apps. */
export const APP_CATEGORIES = [
  'learning_management',
  'assessment',
  'communication',
  'productivity',
  'literacy',
  'math',
  'science',
  'coding',
  'creativity',
  'video',
  'student_information',
  'special_education',
  'library',
  'safety',
  'administration',
  'hr',
  'finance',
  'language',
  'ai',
  'other',
] as const;
export type AppCategory = (typeof APP_CATEGORIES)[number];

/** How an app lets people sign in or get rostered. */
export const SIGN_IN_SUPPORT = ['saml', 'oidc', 'google', 'microsoft', 'clever', 'classlink', 'oneroster', 'lti', 'local'] as const;
export type SignInSupport = (typeof SIGN_IN_SUPPORT)[number];

/** Roles. A person of an institution is a site admin or an app admin; platform admins belong to the operator. */
export const ROLES = ['platform_admin', 'site_admin', 'app_admin'] as const;
export type Role = (typeof ROLES)[number];
export const INSTITUTION_ROLES = ['site_admin', 'app_admin'] as const;
export type InstitutionRole = (typeof INSTITUTION_ROLES)[number];

/** Inventory item status lifecycle. */
export const INVENTORY_STATUSES = [
  'requested',
  'in_review',
  'approved',
  'approved_with_conditions',
  'not_approved',
  /** Was approved; its agreement expired (or it was sent back) and it must be reviewed again. */
  'needs_review',
  'retired',
] as const;
export type InventoryStatus = (typeof INVENTORY_STATUSES)[number];

/** Allowed status transitions: from → the statuses it may move to. */
export const INVENTORY_TRANSITIONS: Readonly<Record<InventoryStatus, readonly InventoryStatus[]>> = {
  requested: ['in_review', 'retired'],
  in_review: ['approved', 'approved_with_conditions', 'not_approved', 'requested'],
  approved: ['in_review', 'needs_review', 'retired'],
  approved_with_conditions: ['in_review', 'approved', 'needs_review', 'retired'],
  not_approved: ['in_review', 'retired'],
  needs_review: ['in_review', 'approved', 'approved_with_conditions', 'not_approved', 'retired'],
  retired: ['requested'],
};

/** Whether an inventory item may move from one status to another. */
export function canTransition(from: InventoryStatus, to: InventoryStatus): boolean {
  return INVENTORY_TRANSITIONS[from].includes(to);
}

/** Kinds of data-processing agreement. */
export const AGREEMENT_TYPES = ['none', 'sdpc_ndpa', 'vendor_dpa', 'district_dpa', 'terms_of_service', 'other'] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number];

/** Two-letter country codes used for storage/processing locations (ISO 3166-1 alpha-2). */
export const STORAGE_COUNTRIES = [
  'CA',
  'US',
  'IE',
  'GB',
  'DE',
  'FR',
  'NL',
  'SE',
  'FI',
  'AU',
  'NZ',
  'JP',
  'SG',
  'IN',
  'IL',
  'BR',
  'KR',
  'CN',
] as const;

/** Sort keys for the inventory list. */
export const INVENTORY_SORTS = ['name', 'status', 'updated', 'next_review'] as const;
