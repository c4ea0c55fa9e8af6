import { INVENTORY_SORTS, INVENTORY_STATUSES } from '../../../contracts/domain.js';
import type { InventoryQuery } from '../../../contracts/api.js';
import { invalid } from '../../platform/errors.js';
import type { InventoryCursor } from './inventory.repo.js';

/**
 * A keyset cursor of the inventory list, as clients see it: base64url of the sort and order it belongs
 * to, the item's sort key (as PostgreSQL writes it as text) and its id. It only says where a page
 * starts in the caller's own list: the page is read under the caller's tenant like any other, so a
 * cursor of another institution's list names nothing of theirs. A cursor that does not decode, or
 * belongs to another sort or order, is a 400 on its field.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What each sort's key looks like as PostgreSQL's text (timestamptz and date in ISO style). */
const KEY_SHAPES: Record<InventoryQuery['sort'], (k: string) => boolean> = {
  name: (k) => k.length <= 500,
  status: (k) => (INVENTORY_STATUSES as readonly string[]).includes(k),
  updated: (k) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/.test(k),
  next_review: (k) => /^\d{4}-\d\d-\d\d$/.test(k),
};

export function encodeInventoryCursor(q: Pick<InventoryQuery, 'sort' | 'order'>, c: InventoryCursor | null): string | null {
  if (!c) return null;
  return Buffer.from(JSON.stringify([q.sort, q.order, c.key, c.id])).toString('base64url');
}

export function decodeInventoryCursor(field: 'after' | 'before', text: string, q: Pick<InventoryQuery, 'sort' | 'order'>): InventoryCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid(field, 'is not a valid cursor');
  }
  if (!Array.isArray(parts) || parts.length !== 4) throw invalid(field, 'is not a valid cursor');
  const [sort, order, key, id] = parts as unknown[];
  if (!(INVENTORY_SORTS as readonly unknown[]).includes(sort) || (order !== 'asc' && order !== 'desc')) throw invalid(field, 'is not a valid cursor');
  if (typeof id !== 'string' || !UUID.test(id)) throw invalid(field, 'is not a valid cursor');
  if (key !== null && (typeof key !== 'string' || !KEY_SHAPES[sort as InventoryQuery['sort']](key))) throw invalid(field, 'is not a valid cursor');
  if (sort !== q.sort || order !== q.order) throw invalid(field, 'belongs to another sort or order of the list');
  return { key: key as string | null, id };
}
