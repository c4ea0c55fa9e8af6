/** The editable fields of an inventory item as form state, and conversions to request bodies. */
import type { InventoryItemBody, InventoryUpdate } from '../../../contracts/api.js';

export type InventoryDraft = Required<Omit<InventoryUpdate, 'version' | 'custom'>>;

export interface CustomDraft {
  name: string;
  vendor: string;
  website: string;
}

export function emptyDraft(): InventoryDraft {
  return {
    grades: [],
    schoolIds: [],
    audiences: [],
    dataElements: [],
    purpose: '',
    ownerUserId: null,
    conditionsOfUse: '',
    agreementType: 'none',
    agreementSigned: false,
    agreementSignedOn: null,
    agreementExpiresOn: null,
    agreementUrl: null,
    nextReviewOn: null,
    notes: '',
    isPublic: false,
  };
}

export function draftFromItem(item: InventoryItemBody): InventoryDraft {
  return {
    grades: item.grades,
    schoolIds: item.schoolIds,
    audiences: item.audiences,
    dataElements: item.dataElements as InventoryDraft['dataElements'],
    purpose: item.purpose,
    ownerUserId: item.ownerUserId,
    conditionsOfUse: item.conditionsOfUse,
    agreementType: item.agreementType,
    agreementSigned: item.agreementSigned,
    agreementSignedOn: item.agreementSignedOn,
    agreementExpiresOn: item.agreementExpiresOn,
    agreementUrl: item.agreementUrl,
    nextReviewOn: item.nextReviewOn,
    notes: item.notes,
    isPublic: item.isPublic,
  };
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  }
  return a === b;
}

/** The fields of `draft` that differ from `base`. */
export function changedFields(base: InventoryDraft, draft: InventoryDraft): Partial<InventoryDraft> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof InventoryDraft)[]) {
    if (!same(base[key], draft[key])) out[key] = draft[key];
  }
  return out as Partial<InventoryDraft>;
}

/** Empty text inputs mean "not set" for optional links and dates. */
export function nullIfBlank(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
