/** The data-element taxonomy grouped for forms and filters (every element is in exactly one group). */
import type { DataElement } from '../../contracts/domain.js';

export const DATA_ELEMENT_GROUPS = [
  { key: 'identity', elements: ['name', 'email', 'username', 'student_id', 'date_of_birth', 'home_address', 'phone', 'government_id'] },
  {
    key: 'school',
    elements: ['grade', 'school', 'class_roster', 'attendance', 'assessment_results', 'student_work', 'behaviour', 'special_education'],
  },
  { key: 'media', elements: ['photo', 'video', 'voice', 'biometric'] },
  { key: 'personal', elements: ['health', 'indigenous_identity', 'ethnicity', 'gender', 'religion', 'family_information', 'financial'] },
  { key: 'online', elements: ['precise_location', 'device_usage', 'ip_address', 'browsing_history', 'messages', 'free_text'] },
  { key: 'other', elements: ['employment'] },
] as const satisfies readonly { key: string; elements: readonly DataElement[] }[];

export type DataElementGroupKey = (typeof DATA_ELEMENT_GROUPS)[number]['key'];
