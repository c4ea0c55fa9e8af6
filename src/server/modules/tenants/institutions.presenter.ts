import type { DecisionRules, InstitutionBody } from '../../../contracts/api.js';
import type { GradeLevel } from '../../../contracts/domain.js';
import { iso } from '../../platform/dates.js';
import type { InstitutionRow, SchoolRow } from './institutions.repo.js';

/** The decision rules an institution row holds. */
export function decisionRulesOf(
  i: Pick<InstitutionRow, 'requireApprovedPia' | 'expiredAgreement' | 'reviewIntervalMonths' | 'evidenceReviewMonths'>,
): DecisionRules {
  return {
    requireApprovedPia: i.requireApprovedPia,
    expiredAgreement: i.expiredAgreement as DecisionRules['expiredAgreement'],
    reviewIntervalMonths: i.reviewIntervalMonths,
    evidenceReviewMonths: i.evidenceReviewMonths,
  };
}

export function presentInstitution(i: InstitutionRow, schools: SchoolRow[]): InstitutionBody {
  return {
    id: i.id,
    name: i.name,
    kind: i.kind as InstitutionBody['kind'],
    country: i.country as InstitutionBody['country'],
    subdivision: i.subdivision,
    region: i.region as InstitutionBody['region'],
    gradeLevels: i.gradeLevels as GradeLevel[],
    status: i.status as InstitutionBody['status'],
    schools: schools
      .filter((s) => s.tenantId === i.id)
      .map((s) => ({ id: s.id, name: s.name, gradeFrom: s.gradeFrom as GradeLevel, gradeTo: s.gradeTo as GradeLevel })),
    publicSlug: i.publicSlug,
    decisionRules: decisionRulesOf(i),
    isDemo: i.isDemo,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}
