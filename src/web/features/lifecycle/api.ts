/** Queries and mutations of the data lifecycle. */
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeletionCertificateBody, OffboardingBody, OffboardingListItem } from '../../../contracts/lifecycle.js';
import { api } from '../../lib/api.js';
import { sessionKey } from '../../lib/session.js';

export const offboardingsQuery = queryOptions({
  queryKey: ['offboardings'],
  queryFn: () => api<{ items: OffboardingListItem[] }>('/offboardings').then((r) => r.items),
});

export const offboardingQuery = (institutionId: string) =>
  queryOptions({
    queryKey: ['offboardings', institutionId],
    queryFn: () => api<{ offboarding: OffboardingBody | null }>(`/institutions/${institutionId}/offboarding`).then((r) => r.offboarding),
  });

export const certificatesQuery = queryOptions({
  queryKey: ['deletion-certificates'],
  queryFn: () => api<{ items: DeletionCertificateBody[] }>('/deletion-certificates').then((r) => r.items),
});

export interface OffboardingInput {
  contactEmail: string;
  endOfServiceAt?: string;
}

/** After an offboarding changes: the lists, and the session (its institution may have become read-only, or active again). */
function useRefresh() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['offboardings'] });
    void client.invalidateQueries({ queryKey: ['institutions'] });
    void client.invalidateQueries({ queryKey: sessionKey });
  };
}

/** A platform admin sets (or confirms) the end of service, moves it while it is ahead, or cancels it. */
export function useOffboard(institutionId: string) {
  const refresh = useRefresh();
  const set = useMutation({
    mutationFn: (input: OffboardingInput) =>
      api<OffboardingBody>(`/institutions/${institutionId}/offboarding`, { method: 'PUT', body: input }),
    onSuccess: refresh,
  });
  const move = useMutation({
    mutationFn: (endOfServiceAt: string) =>
      api<OffboardingBody>(`/institutions/${institutionId}/offboarding`, { method: 'PATCH', body: { endOfServiceAt } }),
    onSuccess: refresh,
  });
  const cancel = useMutation({
    mutationFn: () => api<void>(`/institutions/${institutionId}/offboarding`, { method: 'DELETE' }),
    onSuccess: refresh,
  });
  const purge = useMutation({
    mutationFn: () => api<{ queued: true }>(`/institutions/${institutionId}/purge`, { method: 'POST' }),
    onSuccess: refresh,
  });
  return { set, move, cancel, purge };
}

/** A site admin asks for the end of service of their institution. */
export function useRequestOffboarding() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (input: OffboardingInput) => api<OffboardingBody>('/institution/offboarding-request', { method: 'POST', body: input }),
    onSuccess: refresh,
  });
}

/** `YYYY-MM-DD` from a date field as the start of that day in local time (ISO), or nothing (now). */
export function endOfServiceFrom(day: string): string | undefined {
  return day ? new Date(`${day}T00:00:00`).toISOString() : undefined;
}
