/** The public list: read by anyone, so it answers the same 404 for an unknown and an unpublished list. */
import type { PublicList } from '../../../contracts/public.js';
import { GRADE_LEVELS, type GradeLevel } from '../../../contracts/domain.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withSystem, withTenantRead } from '../../platform/db.js';
import { iso } from '../../platform/dates.js';
import { notFound } from '../../platform/errors.js';
import { listPublicSchools, listPublishedApps, unsafeFindPublishingInstitution } from './public-list.repo.js';

const gradeOrder = (grades: string[]) =>
  [...grades].sort((x, y) => GRADE_LEVELS.indexOf(x as GradeLevel) - GRADE_LEVELS.indexOf(y as GradeLevel)) as GradeLevel[];

export function createPublicListService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;
  return {
    async get(slug: string): Promise<PublicList> {
      const institution = await withSystem(db, (tx) => unsafeFindPublishingInstitution(tx, slug.trim().toLowerCase()));
      if (!institution) throw notFound('Public list');
      const scope = unsafeTenantScope(institution.id);
      const { schools, apps } = await withTenantRead(db, scope, async (tx) => ({
        schools: await listPublicSchools(tx, scope),
        apps: await listPublishedApps(tx, scope),
      }));
      const newest = apps.reduce<Date | null>((max, a) => {
        const at = new Date(a.updated_at);
        return !max || at > max ? at : max;
      }, null);
      return {
        institution: {
          name: institution.name,
          kind: institution.kind as PublicList['institution']['kind'],
          country: institution.country,
          subdivision: institution.subdivision,
          gradeLevels: gradeOrder(institution.grade_levels),
          schools: schools.map((s) => ({
            id: s.id,
            name: s.name,
            gradeFrom: s.grade_from as GradeLevel,
            gradeTo: s.grade_to as GradeLevel,
          })),
        },
        updatedAt: newest ? iso(newest) : null,
        apps: apps.map((a) => ({
          id: a.id,
          name: a.name,
          vendor: a.vendor,
          website: a.website,
          privacyPolicyUrl: a.privacy_policy_url,
          status: a.status,
          grades: gradeOrder(a.grades),
          schoolIds: a.school_ids,
          audiences: a.audiences as PublicList['apps'][number]['audiences'],
          dataElements: a.data_elements as PublicList['apps'][number]['dataElements'],
          purpose: a.purpose,
          conditionsOfUse: a.conditions_of_use,
          storageCountries: a.storage_countries ?? [],
          approvedOn: a.approved_on,
        })),
      };
    },
  };
}
export type PublicListService = ReturnType<typeof createPublicListService>;
