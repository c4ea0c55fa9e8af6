/** The region cell's bank bundles, for the platform console. */
import { queryOptions } from '@tanstack/react-query';
import type { BundleImportResultBody, BundleRecordBody, BundleStatusBody } from '../../../contracts/bundle.js';
import { api } from '../../lib/api.js';

export const bundleStatusQuery = queryOptions({ queryKey: ['bank-bundles'], queryFn: () => api<BundleStatusBody>('/bank-bundles') });
export const publishBundle = () => api<BundleRecordBody>('/bank-bundles', { method: 'POST' });
export const applyBundle = (document: string) =>
  api<BundleImportResultBody>('/bank-bundles/import', { method: 'POST', body: { document } });

/** The region an institution of this country belongs in. */
export const regionOfCountry = (country: string): 'ca' | 'us' | undefined =>
  country === 'CA' ? 'ca' : country === 'US' ? 'us' : undefined;
