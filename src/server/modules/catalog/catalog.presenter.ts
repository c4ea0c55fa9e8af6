import type { CatalogAppBody } from '../../../contracts/api.js';
import { iso } from '../../platform/dates.js';
import type { CatalogAppRow } from './catalog.repo.js';

export function presentCatalogApp(r: CatalogAppRow): CatalogAppBody {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    vendor: r.vendor,
    website: r.website,
    privacyPolicyUrl: r.privacyPolicyUrl,
    termsUrl: r.termsUrl,
    categories: r.categories,
    description: r.description,
    storageCountries: r.storageCountries,
    processingCountries: r.processingCountries,
    signInSupport: r.signInSupport,
    dataElements: r.dataElements,
    isDemo: r.isDemo,
    updatedAt: iso(r.updatedAt),
  };
}
