/** Query keys and fetchers shared by several pages. */
import { queryOptions } from '@tanstack/react-query';
import type { InstitutionBody, UserBody } from '../../contracts/api.js';
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
