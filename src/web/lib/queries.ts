/** Query keys and fetchers shared by several pages. */
import { queryOptions } from '@tanstack/react-query';
import type { DirectoryEntryBody, InstitutionBody, UserBody } from '../../contracts/api.js';
import { api } from './api.js';

export const institutionsQuery = queryOptions({
  queryKey: ['institutions'],
  queryFn: () => api<{ items: InstitutionBody[] }>('/institutions').then((r) => r.items),
});

export const institutionQuery = (id: string) =>
  queryOptions({
    queryKey: ['institutions', id],
    queryFn: () => api<InstitutionBody>(`/institutions/${id}`),
    staleTime: 60_000,
  });

export const usersQuery = queryOptions({
  queryKey: ['users'],
  queryFn: () => api<{ items: UserBody[] }>('/users').then((r) => r.items),
});

/** The operator's team (platform admins only). */
export const platformAdminsQuery = queryOptions({
  queryKey: ['platform-admins'],
  queryFn: () => api<{ items: UserBody[] }>('/platform/admins').then((r) => r.items),
});

/** Names of the institution's active people, for owner pickers (everyone on the inventory may read it). */
export const directoryQuery = queryOptions({
  queryKey: ['users', 'directory'],
  queryFn: () => api<{ items: DirectoryEntryBody[] }>('/users/directory').then((r) => r.items),
});
