/** The full record of the institution the user works in (grade levels, schools), or null. */
import { useQuery } from '@tanstack/react-query';
import type { InstitutionBody } from '../../contracts/api.js';
import { institutionQuery } from './queries.js';
import { useRequiredSession } from './session.js';

export function useCurrentInstitution(): { institution: InstitutionBody | undefined; isPending: boolean; error: unknown } {
  const session = useRequiredSession();
  const id = session.institution?.id;
  const query = useQuery({ ...institutionQuery(id ?? ''), enabled: Boolean(id) });
  return { institution: id ? query.data : undefined, isPending: Boolean(id) && query.isPending, error: query.error };
}
