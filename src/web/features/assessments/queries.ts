/** Queries and mutations of assessments and the master bank. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { AssessmentBody, AssessmentSummaryBody, BankTemplateBody, BankVersionBody, LawDocumentKind, MergeChangeBody, SummaryBody } from '../../../contracts/assessments.js';
import { currentLanguage } from '../../i18n/index.js';
import { api } from '../../lib/api.js';

export const assessmentsQuery = (inventoryItemId?: string) =>
  queryOptions({
    queryKey: ['assessments', 'list', inventoryItemId ?? 'all'],
    queryFn: () => api<{ items: AssessmentSummaryBody[] }>(`/assessments${inventoryItemId ? `?inventoryItemId=${inventoryItemId}` : ''}`).then((r) => r.items),
  });

/** An assessment with the bank's text in the reader's language (the interface's, which the account follows). */
export const assessmentQuery = (id: string, lang = currentLanguage()) =>
  queryOptions({ queryKey: ['assessments', 'one', id, lang], queryFn: () => api<AssessmentBody>(`/assessments/${id}?lang=${lang}`) });

export const summaryQuery = (id: string, audience: 'teacher' | 'parent', version: number, lang: 'en' | 'fr') =>
  queryOptions({ queryKey: ['assessments', 'summary', id, audience, version, lang], queryFn: () => api<SummaryBody>(`/assessments/${id}/summary?audience=${audience}&lang=${lang}`) });

/** The documents the institution's jurisdiction asks for, titled in `lang`. */
export const lawDocumentsQuery = (id: string, lang: 'en' | 'fr') =>
  queryOptions({ queryKey: ['assessments', 'law-documents', id, lang], queryFn: () => api<{ items: { kind: LawDocumentKind; title: string }[] }>(`/assessments/${id}/documents?lang=${lang}`).then((r) => r.items) });

export interface MergePreview {
  fromVersion: { id: string; number: number } | null;
  toVersion: { id: string; number: number; changeLog: string };
  changes: MergeChangeBody[];
}
/** The diff of a master update, its bank wording in `lang` (the reader's). */
export const mergeQuery = (id: string, lang = currentLanguage()) =>
  queryOptions({ queryKey: ['assessments', 'merge', id, lang], queryFn: () => api<MergePreview>(`/assessments/${id}/merge?lang=${lang}`) });

export const bankQuery = (catalogAppId?: string) =>
  queryOptions({
    queryKey: ['bank', 'list', catalogAppId ?? 'all'],
    queryFn: () => api<{ items: BankTemplateBody[] }>(`/bank/templates${catalogAppId ? `?catalogAppId=${catalogAppId}` : ''}`).then((r) => r.items),
  });
export const bankTemplateQuery = (id: string) => queryOptions({ queryKey: ['bank', 'one', id], queryFn: () => api<BankTemplateBody>(`/bank/templates/${id}`) });
export const bankVersionQuery = (id: string) => queryOptions({ queryKey: ['bank', 'version', id], queryFn: () => api<BankVersionBody>(`/bank/versions/${id}`) });

/**
 * A mutation on an assessment that answers with the whole assessment, which replaces the cached one.
 * Mutations of one assessment run one after the other, and `call` gets the assessment's version as
 * cached when it starts (after the previous mutation's answer), so quick clicks never conflict with
 * the person's own changes.
 */
export function useAssessmentMutation<V>(id: string, call: (vars: V, version: number) => Promise<AssessmentBody>) {
  const queryClient = useQueryClient();
  return useMutation({
    scope: { id: `assessment:${id}` },
    mutationFn: (vars: V) => call(vars, queryClient.getQueryData<AssessmentBody>(assessmentQuery(id).queryKey)?.version ?? 0),
    onSuccess: (saved) => {
      queryClient.setQueryData(assessmentQuery(id).queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['assessments', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['inventory'] });
    },
  });
}
