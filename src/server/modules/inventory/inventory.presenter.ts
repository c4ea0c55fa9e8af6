import type { InventoryItemBody } from '../../../contracts/api.js';
import {
  INVENTORY_TRANSITIONS,
  type AgreementType,
  type Audience,
  type GradeLevel,
  type InventoryStatus,
} from '../../../contracts/domain.js';
import { iso, isoDay } from '../../platform/dates.js';
import type { InventoryRowWithApp } from './inventory.repo.js';

export function presentInventoryItem(r: InventoryRowWithApp): InventoryItemBody {
  const status = r.status as InventoryStatus;
  return {
    id: r.id,
    catalogAppId: r.catalogAppId,
    isCustom: r.catalogAppId === null,
    name: r.name,
    vendor: r.vendor,
    website: r.catalogAppId ? r.catalogWebsite : r.customWebsite,
    grades: r.grades as GradeLevel[],
    schoolIds: r.schoolIds,
    audiences: r.audiences as Audience[],
    dataElements: r.dataElements,
    purpose: r.purpose,
    ownerUserId: r.ownerUserId,
    status,
    // Under the institution's rule an app without an approved PIA is approved through its assessment only.
    allowedTransitions: INVENTORY_TRANSITIONS[status].filter(
      (s) => !(r.approvalNeedsPia && (s === 'approved' || s === 'approved_with_conditions')),
    ),
    approvalNeedsPia: r.approvalNeedsPia,
    conditionsOfUse: r.conditionsOfUse,
    agreementType: r.agreementType as AgreementType,
    agreementSigned: r.agreementSigned,
    agreementSignedOn: isoDay(r.agreementSignedOn),
    agreementExpiresOn: isoDay(r.agreementExpiresOn),
    agreementUrl: r.agreementUrl,
    nextReviewOn: isoDay(r.nextReviewOn),
    notes: r.notes,
    isPublic: r.isPublic,
    version: r.version,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}
