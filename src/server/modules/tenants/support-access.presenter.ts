import type { SupportGrantBody } from '../../../contracts/api.js';
import { iso } from '../../platform/dates.js';
import type { SupportGrantRow } from './operator-access.repo.js';

export function presentSupportGrant(r: SupportGrantRow, names: Map<string, string>, now = new Date()): SupportGrantBody {
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? '' } : null);
  return {
    id: r.id,
    reason: r.reason,
    hours: r.hours,
    status: r.revokedAt ? 'revoked' : r.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active',
    expiresAt: iso(r.expiresAt),
    revokedAt: r.revokedAt ? iso(r.revokedAt) : null,
    grantedBy: person(r.grantedBy),
    revokedBy: person(r.revokedBy),
    createdAt: iso(r.createdAt),
  };
}
