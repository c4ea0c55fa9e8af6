/**
 * Region cells: each deployment serves one region (`REGION`), and an institution's region follows its
 * country (Canada → ca, United States → us). Security (residency): an institution of the other region
 * is refused wherever one enters a cell — created, imported or moved in — so its data never lands here.
 */
import type { Country, Region } from '../../../contracts/domain.js';
import { REGION_OF_COUNTRY } from '../../../contracts/domain.js';
import type { FieldProblem } from '../../platform/errors.js';

/** Where an institution of each country belongs, as the field message says it (English; clients translate the code). */
const BELONGS: Record<Region, FieldProblem> = {
  us: { code: 'belongs_in_us', message: 'This institution is in the United States: create it in the US region (us).' },
  ca: { code: 'belongs_in_ca', message: 'This institution is in Canada: create it in the Canadian region (ca).' },
};

/** The region an institution of this country belongs to. */
export function regionOfCountry(country: string): Region | undefined {
  return (REGION_OF_COUNTRY as Record<string, Region | undefined>)[country];
}

/** The field problem of an institution of `country` entering a cell of `deploymentRegion`, or undefined when it belongs here. */
export function otherRegionProblem(country: Country | string, deploymentRegion: Region): FieldProblem | undefined {
  const region = regionOfCountry(country);
  if (!region) return { code: 'country_code', message: 'must be CA or US' };
  return region === deploymentRegion ? undefined : BELONGS[region];
}
