/** Labels for audited inventory fields and their values (codes → words, lists joined, null → —). */
import { useTranslation } from 'react-i18next';
import type { InstitutionBody } from '../../../contracts/api.js';
import { useQuery } from '@tanstack/react-query';
import { useFormat } from '../../lib/format.js';
import { usersQuery } from '../../lib/queries.js';
import { useRequiredSession } from '../../lib/session.js';

/** Audited field → the label key used in the form. */
const FIELD_LABELS = {
  name: 'item.appName',
  vendor: 'item.vendor',
  website: 'item.website',
  customName: 'item.appName',
  customVendor: 'item.vendor',
  customWebsite: 'item.website',
  grades: 'item.grades',
  schoolIds: 'item.schools',
  audiences: 'item.audiences',
  dataElements: 'item.dataElements',
  purpose: 'item.purpose',
  ownerUserId: 'item.owner',
  status: 'inventory.status',
  conditionsOfUse: 'item.conditionsOfUse',
  agreementType: 'item.agreementType',
  agreementSigned: 'item.agreementSigned',
  agreementSignedOn: 'item.agreementSignedOn',
  agreementExpiresOn: 'item.agreementExpiresOn',
  agreementUrl: 'item.agreementUrl',
  nextReviewOn: 'item.nextReviewOn',
  notes: 'item.notes',
  isPublic: 'item.isPublic',
} as const;

/** Internal columns not worth showing people. */
const HIDDEN_FIELDS = new Set(['id', 'tenantId', 'version', 'createdAt', 'updatedAt', 'catalogAppId']);

/** Whether a changed field is shown in the history. */
export function isShownField(field: string): boolean {
  return !HIDDEN_FIELDS.has(field);
}

/** Fields whose values are codes with a label namespace. */
const CODE_NAMESPACES: Record<string, 'grade' | 'audience' | 'dataElement' | 'status' | 'agreementType'> = {
  grades: 'grade',
  audiences: 'audience',
  dataElements: 'dataElement',
  status: 'status',
  agreementType: 'agreementType',
};

const DATE_FIELDS = new Set(['agreementSignedOn', 'agreementExpiresOn', 'nextReviewOn']);

export function useChangeFormatter(institution: InstitutionBody | undefined) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const session = useRequiredSession();
  const users = useQuery({ ...usersQuery, enabled: session.abilities.manageUsers });
  const schools = new Map((institution?.schools ?? []).map((s) => [s.id, s.name]));
  const people = new Map((users.data ?? []).map((u) => [u.id, `${u.firstName} ${u.lastName}`]));
  people.set(session.user.id, `${session.user.firstName} ${session.user.lastName}`);

  const one = (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('common.notSet');
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (typeof value !== 'string') return typeof value === 'number' ? String(value) : JSON.stringify(value);
    const ns = CODE_NAMESPACES[field];
    if (ns && i18n.exists(`${ns}.${value}`)) return t(`${ns}.${value}` as 'status.approved');
    if (field === 'schoolIds') return schools.get(value) ?? value;
    if (field === 'ownerUserId') return people.get(value) ?? t('item.otherUser');
    if (DATE_FIELDS.has(field)) return format.date(value);
    return value;
  };

  return {
    fieldLabel: (field: string): string => (field in FIELD_LABELS ? t(FIELD_LABELS[field as keyof typeof FIELD_LABELS]) : field),
    value: (field: string, value: unknown): string =>
      Array.isArray(value) ? (value.length === 0 ? t('common.notSet') : value.map((v) => one(field, v)).join(', ')) : one(field, value),
  };
}
