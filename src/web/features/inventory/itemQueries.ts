/** Queries of one inventory item and its history. */
import { queryOptions } from '@tanstack/react-query';
import type { AuditEventBody, InventoryItemBody } from '../../../contracts/api.js';
import { api } from '../../lib/api.js';

export const itemQuery = (id: string) =>
  queryOptions({
    queryKey: ['inventory', 'item', id],
    queryFn: () => api<InventoryItemBody>(`/inventory/${id}`),
  });

export const itemHistoryQuery = (id: string) =>
  queryOptions({
    queryKey: ['inventory', 'history', id],
    queryFn: () => api<{ items: AuditEventBody[] }>(`/inventory/${id}/history`).then((r) => r.items),
  });
