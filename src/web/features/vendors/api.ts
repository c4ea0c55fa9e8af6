/** Queries of vendor questionnaires: the reviewers' (with the session) and the vendor's page (by the link's token, no cookie). */
import { queryOptions } from '@tanstack/react-query';
import type { VendorAnswerSave, VendorFile, VendorPage, VendorQuestionnaire } from '../../../contracts/vendors.js';
import { API_BASE, api, toQueryString } from '../../lib/api.js';

export type VendorQuestionnaireSummary = Omit<VendorQuestionnaire, 'answers'>;

export const vendorQuestionnairesQuery = queryOptions({
  queryKey: ['vendor-questionnaires', 'list'],
  queryFn: () => api<{ items: VendorQuestionnaireSummary[] }>('/vendor-questionnaires').then((r) => r.items),
});

export const vendorQuestionnaireQuery = (id: string) =>
  queryOptions({ queryKey: ['vendor-questionnaires', 'one', id], queryFn: () => api<VendorQuestionnaire>(`/vendor-questionnaires/${id}`) });

/** What the list shows of a questionnaire's state: an open one is invited, in progress or expired. */
export type VendorState = 'invited' | 'in_progress' | 'submitted' | 'published' | 'expired' | 'closed';
export function stateOf(q: Pick<VendorQuestionnaireSummary, 'status' | 'linkServes' | 'answeredCount'>): VendorState {
  if (q.status !== 'open') return q.status;
  if (!q.linkServes) return 'expired';
  return q.answeredCount > 0 ? 'in_progress' : 'invited';
}

// The vendor's page: no session, so no cookie travels with its calls (ADR 0014).
const publicCall = { redirectOn401: false, credentials: 'omit' } as const;

export const vendorPageQuery = (token: string, lang: 'en' | 'fr') =>
  queryOptions({
    queryKey: ['vendor-page', token, lang],
    queryFn: () => api<VendorPage>(`/public/vendor-questionnaire${toQueryString({ token, lang })}`, publicCall),
  });

export const saveVendorAnswer = (body: VendorAnswerSave) =>
  api<{ questionKey: string; version: number; updatedAt: string }>('/public/vendor-questionnaire/answers', {
    method: 'PUT',
    body,
    ...publicCall,
  });

export const submitVendorAnswers = (token: string) =>
  api<VendorPage>('/public/vendor-questionnaire/submit', { method: 'POST', body: { token }, ...publicCall });

/** Attaches a file to an answer's evidence (the file itself is the body). */
export const uploadVendorFile = (token: string, questionKey: string, file: File) =>
  api<VendorFile>(`/public/vendor-questionnaire/files${toQueryString({ token, questionKey, fileName: file.name })}`, {
    method: 'POST',
    file,
    ...publicCall,
  });

export const removeVendorFile = (token: string, id: string) =>
  api<null>(`/public/vendor-questionnaire/files/${id}${toQueryString({ token })}`, { method: 'DELETE', ...publicCall });

/** Where the vendor downloads a file it attached (by its link), and where the reviewer does. */
export const vendorFileUrl = (token: string, id: string) =>
  `${API_BASE}/public/vendor-questionnaire/files/${id}${toQueryString({ token })}`;
export const reviewerFileUrl = (questionnaireId: string, id: string) => `${API_BASE}/vendor-questionnaires/${questionnaireId}/files/${id}`;

/** An answer's value in words, for the review page (choices by their label where known). */
export function valueText(value: unknown, choices?: readonly { value: string; label: string }[]): string {
  if (value === null || value === undefined || value === '') return '—';
  const label = (v: unknown) => (typeof v === 'string' ? (choices?.find((c) => c.value === v)?.label ?? v) : JSON.stringify(v));
  if (Array.isArray(value)) return value.length ? value.map(label).join(', ') : '—';
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.url === 'string') return o.url;
    return JSON.stringify(value);
  }
  return label(value);
}
