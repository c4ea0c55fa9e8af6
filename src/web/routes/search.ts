/** Search-param validation for routes whose state lives in the URL. */
import { INVENTORY_SORTS } from '../../contracts/domain.js';

export type InventorySort = (typeof INVENTORY_SORTS)[number];

/** Inventory list state. Lists are comma-separated strings, as the API takes them. */
export interface InventorySearch {
  q?: string;
  status?: string;
  grade?: string;
  audience?: string;
  dataElement?: string;
  schoolId?: string;
  sort?: InventorySort;
  order?: 'asc' | 'desc';
  page?: number;
  /** Keyset cursors the list gave for the page beside the one shown (see the inventory API). */
  after?: string;
  before?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value.slice(0, 500) : undefined;
}

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 1 && n <= 10000 ? n : undefined;
}

function cursor(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,2000}$/.test(value) ? value : undefined;
}

function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

export function validateInventorySearch(search: Record<string, unknown>): InventorySearch {
  const sort = str(search['sort']);
  const order = str(search['order']);
  return dropUndefined({
    q: str(search['q']),
    status: str(search['status']),
    grade: str(search['grade']),
    audience: str(search['audience']),
    dataElement: str(search['dataElement']),
    schoolId: str(search['schoolId']),
    sort: (INVENTORY_SORTS as readonly string[]).includes(sort ?? '') ? (sort as InventorySort) : undefined,
    order: order === 'asc' || order === 'desc' ? order : undefined,
    page: positiveInt(search['page']),
    after: cursor(search['after']),
    before: cursor(search['before']),
  });
}

/** Splits a comma-separated URL value into a list. */
export function splitList(value: string | undefined): string[] {
  return value ? value.split(',').filter(Boolean) : [];
}

/** Joins a list for the URL (undefined when empty, so the param disappears). */
export function joinList(values: readonly string[]): string | undefined {
  return values.length > 0 ? values.join(',') : undefined;
}

export interface CatalogSearch {
  q?: string;
  category?: string;
  page?: number;
  app?: string;
}

export function validateCatalogSearch(search: Record<string, unknown>): CatalogSearch {
  return dropUndefined({
    q: str(search['q']),
    category: str(search['category']),
    page: positiveInt(search['page']),
    app: str(search['app']),
  });
}

export function validateRedirect(search: Record<string, unknown>): { redirect?: string } {
  const redirect = str(search['redirect']);
  // Only same-site paths: never an absolute URL (open redirect).
  const safe = redirect && redirect.startsWith('/') && !redirect.startsWith('//') && !redirect.startsWith('/sign-in');
  return safe ? { redirect } : {};
}

/** Sign-in: where to go next, and why a single sign-on came back refused. */
export function validateSignIn(search: Record<string, unknown>): { redirect?: string; sso?: string } {
  const sso = str(search['sso']);
  return dropUndefined({ ...validateRedirect(search), sso: sso && /^[a-z_]{1,20}$/.test(sso) ? sso : undefined });
}

/** The signed-out page: how single logout at the identity provider ended (`failed` or `invalid`). */
export function validateSignedOut(search: Record<string, unknown>): { slo?: 'failed' | 'invalid' } {
  const slo = str(search['slo']);
  return dropUndefined({ slo: slo === 'failed' || slo === 'invalid' ? slo : undefined });
}

export function validateToken(search: Record<string, unknown>): { token?: string } {
  return dropUndefined({ token: str(search['token']) });
}

/** The vendor's page: the link's token, and the language to read it in (`en` or `fr`). */
export function validateVendorPage(search: Record<string, unknown>): { token?: string; lang?: 'en' | 'fr' } {
  const lang = str(search['lang']);
  return dropUndefined({ token: str(search['token']), lang: lang === 'en' || lang === 'fr' ? lang : undefined });
}

export function validateNewItem(search: Record<string, unknown>): { catalogAppId?: string } {
  return dropUndefined({ catalogAppId: str(search['catalogAppId']) });
}
