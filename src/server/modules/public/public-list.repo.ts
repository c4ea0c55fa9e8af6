/** Reads of the public list: one narrow system read (slug → institution), then tenant-scoped reads. */
import { sql } from 'drizzle-orm';
import { queryRows, type TenantScope, type Tx } from '../../platform/db.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { meetsListingRules } from '../inventory/decision-rules.js';
import { piaOfItem } from '../reports/pia-state.js';

export interface PublishedInstitutionRow {
  id: string;
  name: string;
  kind: string;
  country: string;
  subdivision: string;
  grade_levels: string[];
}

/**
 * The institution publishing under `slug`, if it still serves (a purged institution has no list).
 * Runs as the system role: the slug is the only input and the row read holds no personal data.
 */
export async function unsafeFindPublishingInstitution(tx: Tx, slug: string): Promise<PublishedInstitutionRow | undefined> {
  const rows = await queryRows<PublishedInstitutionRow>(
    tx,
    sql`select id, name, kind, country, subdivision, grade_levels from institutions
        where public_slug = ${slug} and status <> 'purged'`,
  );
  return rows[0];
}

export interface PublicSchoolRow {
  id: string;
  name: string;
  grade_from: string;
  grade_to: string;
}

export async function listPublicSchools(tx: Tx, scope: TenantScope): Promise<PublicSchoolRow[]> {
  return queryRows<PublicSchoolRow>(
    tx,
    sql`select id, name, grade_from, grade_to from schools where ${byTenant(sql`tenant_id`, scope)} order by position, name`,
  );
}

export interface PublicAppRow {
  id: string;
  name: string;
  vendor: string;
  website: string | null;
  privacy_policy_url: string | null;
  status: 'approved' | 'approved_with_conditions';
  grades: string[];
  school_ids: string[];
  audiences: string[];
  data_elements: string[];
  purpose: string;
  conditions_of_use: string;
  storage_countries: string[] | null;
  approved_on: string | null;
  updated_at: Date | string;
}

/**
 * The apps an institution marked public and approved. Columns are listed one by one: nothing about
 * people (owner, notes, who decided) is ever selected.
 */
export async function listPublishedApps(tx: Tx, scope: TenantScope): Promise<PublicAppRow[]> {
  return queryRows<PublicAppRow>(
    tx,
    sql`select i.id, i.name, i.vendor, coalesce(c.website, i.custom_website) as website, c.privacy_policy_url,
               i.status, i.grades, i.school_ids, i.audiences, i.data_elements, i.purpose, i.conditions_of_use,
               c.storage_countries, to_char(r.decided_at at time zone 'UTC', 'YYYY-MM-DD') as approved_on, i.updated_at
          from inventory_items i
          left join catalog_apps c on c.id = i.catalog_app_id
          ${piaOfItem()}
          left join assessment_revisions r
            on r.tenant_id = pia.tenant_id and r.assessment_id = pia.id and r.number = pia.approved_revision
          join institutions inst on inst.id = i.tenant_id
         where ${byTenant(sql`i.tenant_id`, scope)}
           and i.is_public
           and i.status in ('approved', 'approved_with_conditions')
           and ${meetsListingRules()}
         order by lower(i.name), i.id`,
  );
}
