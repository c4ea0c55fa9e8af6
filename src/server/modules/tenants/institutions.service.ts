import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { InstitutionBody, institutionCreateSchema, institutionUpdateSchema } from '../../../contracts/api.js';
import { CA_PROVINCES, GRADE_LEVELS, REGION_OF_COUNTRY, US_STATES } from '../../../contracts/domain.js';
import { institutions } from '../../db/schema/index.js';
import { authorize, isPlatformAdmin, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { unsafeTenantScope, withSystem, withTenant, type TenantScope } from '../../platform/db.js';
import { AppError, forbidden, invalidFields, notFound, pgCode, pgConstraint, type FieldProblem } from '../../platform/errors.js';
import type { InvitationService } from '../identity/invitations.service.js';
import { presentInstitution } from './institutions.presenter.js';
import {
  findInstitution,
  listSchools,
  replaceSchools,
  unsafeFindInstitution,
  unsafeListInstitutions,
  unsafeListSchoolsOf,
} from './institutions.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';
import { otherRegionProblem } from './region.js';

type CreateInput = z.output<typeof institutionCreateSchema>;
type UpdateInput = z.output<typeof institutionUpdateSchema>;
type SchoolInput = CreateInput['schools'][number];

const COUNTRY_NAMES = { CA: 'Canada', US: 'the United States' } as const;

const gradeIndex = (g: string) => GRADE_LEVELS.indexOf(g as (typeof GRADE_LEVELS)[number]);

/** Checks schools against the institution's grades; returns field errors keyed like the request. */
function schoolProblems(schoolList: SchoolInput[], gradeLevels: readonly string[], prefix = 'schools'): Record<string, string> {
  const problems: Record<string, string> = {};
  const names = new Set<string>();
  schoolList.forEach((s, i) => {
    if (gradeIndex(s.gradeFrom) > gradeIndex(s.gradeTo)) problems[`${prefix}.${i}.gradeTo`] = 'must not come before the first grade';
    if (!gradeLevels.includes(s.gradeFrom)) problems[`${prefix}.${i}.gradeFrom`] = 'is not a grade level of this institution';
    if (!gradeLevels.includes(s.gradeTo)) problems[`${prefix}.${i}.gradeTo`] = 'is not a grade level of this institution';
    const key = s.name.toLowerCase();
    if (names.has(key)) problems[`${prefix}.${i}.name`] = 'is used by another school';
    names.add(key);
  });
  return problems;
}

export function createInstitutionService(ctx: Pick<AppContext, 'db' | 'config'>, invitations: InvitationService) {
  const { db, config } = ctx;
  /** The institution's own update, in one transaction with its audit event (authorised by the caller). */
  async function updateWithin(actor: Actor, scope: TenantScope, id: string, input: UpdateInput): Promise<InstitutionBody> {
    return withTenant(db, scope, async (tx) => {
      const before = await findInstitution(tx, scope);
      if (!before) throw notFound('Institution');
      const gradeLevels = input.gradeLevels ?? before.gradeLevels;
      const beforeSchools = await listSchools(tx, scope);
      if (input.schools) {
        const known = new Set(beforeSchools.map((s) => s.id));
        const fields = schoolProblems(input.schools, gradeLevels);
        input.schools.forEach((s, i) => {
          if (s.id && !known.has(s.id)) fields[`schools.${i}.id`] = 'is not a school of this institution';
        });
        if (Object.keys(fields).length) throw new AppError('validation', 'Some fields are not valid', fields);
        await replaceSchools(
          tx,
          scope,
          input.schools.map((s) => ({ ...s, id: s.id ?? randomUUID() })),
        );
      }
      const [after] = await tx
        .update(institutions)
        .set({
          name: input.name ?? before.name,
          gradeLevels,
          publicSlug: input.publicSlug === undefined ? before.publicSlug : input.publicSlug,
          ...(input.decisionRules ?? {}),
          updatedAt: new Date(),
        })
        .where(byTenant(institutions.id, scope))
        .returning();
      const afterSchools = await listSchools(tx, scope);
      await recordAudit(tx, actor, {
        action: 'institution.update',
        recordType: 'institution',
        recordId: id,
        before: {
          ...before,
          schools: beforeSchools.map(({ id: sid, name, gradeFrom, gradeTo }) => ({ id: sid, name, gradeFrom, gradeTo })),
        },
        after: { ...after!, schools: afterSchools.map(({ id: sid, name, gradeFrom, gradeTo }) => ({ id: sid, name, gradeFrom, gradeTo })) },
      });
      return presentInstitution(after!, afterSchools);
    });
  }

  return {
    /** Platform admins see every institution; others see their own. */
    async list(actor: Actor): Promise<InstitutionBody[]> {
      if (isPlatformAdmin(actor)) {
        return withSystem(db, async (tx) => {
          const rows = await unsafeListInstitutions(tx);
          const schools = await unsafeListSchoolsOf(
            tx,
            rows.map((r) => r.id),
          );
          return rows.map((r) => presentInstitution(r, schools));
        });
      }
      if (!actor.homeTenantId) return [];
      return [await this.get(actor, actor.homeTenantId)];
    },

    async get(actor: Actor, id: string): Promise<InstitutionBody> {
      if (isPlatformAdmin(actor)) {
        return withSystem(db, async (tx) => {
          const row = await unsafeFindInstitution(tx, id);
          if (!row || row.status === 'purged') throw notFound('Institution');
          return presentInstitution(row, await unsafeListSchoolsOf(tx, [id]));
        });
      }
      if (id !== actor.tenantId) throw notFound('Institution');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const row = await findInstitution(tx, scope);
        if (!row) throw notFound('Institution');
        return presentInstitution(row, await listSchools(tx, scope));
      });
    },

    /** Creates an institution with its schools and invites its first site admin, in one transaction. */
    async create(actor: Actor, input: CreateInput): Promise<InstitutionBody> {
      authorize(actor, 'manageInstitutions');
      const fields: Record<string, string> = {};
      const subdivisions: readonly string[] = input.country === 'CA' ? CA_PROVINCES : US_STATES;
      if (!subdivisions.includes(input.subdivision))
        fields.subdivision = `is not a ${input.country === 'CA' ? 'province or territory of Canada' : 'state of the US'}`;
      // Security (residency): the region follows the country, and a deployment serves its own region only.
      const region = REGION_OF_COUNTRY[input.country];
      const problems: Record<string, FieldProblem> = {};
      if (input.region !== undefined && input.region !== region)
        fields.region = `must be ${region}: an institution in ${COUNTRY_NAMES[input.country]} keeps its data in ${COUNTRY_NAMES[input.country]}`;
      else {
        const elsewhere = otherRegionProblem(input.country, config.region);
        if (elsewhere) problems.country = elsewhere;
      }
      Object.assign(fields, schoolProblems(input.schools, input.gradeLevels));
      for (const [path, message] of Object.entries(fields)) problems[path] = { code: undefined, message };
      if (Object.keys(problems).length) throw invalidFields(problems);

      const id = randomUUID();
      const created = await withSystem(db, async (tx) => {
        const [row] = await tx
          .insert(institutions)
          .values({
            id,
            name: input.name,
            kind: input.kind,
            country: input.country,
            subdivision: input.subdivision,
            region: REGION_OF_COUNTRY[input.country],
            gradeLevels: input.gradeLevels,
          })
          .returning();
        const scope = unsafeTenantScope(id);
        await replaceSchools(
          tx,
          scope,
          input.schools.map((s) => ({ ...s, id: s.id ?? randomUUID() })),
        );
        await recordAudit(tx, actor, { action: 'institution.create', recordType: 'institution', recordId: id, after: row!, tenantId: id });
        const invite = await invitations.insertInvitation(tx, { ...actor, tenantId: id }, id, {
          ...input.firstSiteAdmin,
          role: 'site_admin',
          canApprove: false,
        });
        return { row: row!, invite, schools: await listSchools(tx, scope) };
      });
      invitations.sendInvitation();
      return presentInstitution(created.row, created.schools);
    },

    async update(actor: Actor, id: string, input: UpdateInput): Promise<InstitutionBody> {
      authorize(actor, 'editInstitutionProfile');
      if (id !== actor.tenantId) throw notFound('Institution');
      // Publishing the public list is the institution's own decision, even during onboarding.
      if (isPlatformAdmin(actor) && input.publicSlug !== undefined)
        throw forbidden('Only the institution’s site administrators publish its list of apps.');
      // So are the rules its decisions follow.
      if (isPlatformAdmin(actor) && input.decisionRules !== undefined)
        throw forbidden('Only the institution’s site administrators set its decision rules.');
      const scope = scopeOf(actor);
      try {
        return await updateWithin(actor, scope, id, input);
      } catch (err) {
        if (pgCode(err) === '23505' && pgConstraint(err) === 'institutions_public_slug_key') {
          throw new AppError('validation', 'Some fields are not valid', { publicSlug: 'is used by another institution' });
        }
        throw err;
      }
    },
  };
}
export type InstitutionService = ReturnType<typeof createInstitutionService>;
