/** Catalog queries. */
import { queryOptions } from '@tanstack/react-query';
import type { CatalogAppBody } from '../../contracts/api.js';
import { api, toQueryString } from './api.js';

export interface CatalogPage {
  items: CatalogAppBody[];
  total: number;
  page: number;
  pageSize: number;
}

export const catalogListQuery = (params: {
  q?: string | undefined;
  category?: string | undefined;
  page?: number | undefined;
  pageSize?: number;
}) =>
  queryOptions({
    queryKey: ['catalog', 'list', params],
    queryFn: ({ signal }) => api<CatalogPage>(`/catalog/apps${toQueryString(params)}`, { signal }),
  });

export const catalogAppQuery = (id: string) =>
  queryOptions({
    queryKey: ['catalog', 'app', id],
    queryFn: () => api<CatalogAppBody>(`/catalog/apps/${id}`),
  });
