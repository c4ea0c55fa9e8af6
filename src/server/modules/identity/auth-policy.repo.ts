import { eq } from 'drizzle-orm';
import { authPolicies } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type AuthPolicyRow = typeof authPolicies.$inferSelect;

/** The sign-in policy of an institution, or null (defaults: no SSO requirement, MFA optional). */
export async function findAuthPolicy(tx: Tx, tenantId: string): Promise<AuthPolicyRow | null> {
  const [row] = await tx.select().from(authPolicies).where(eq(authPolicies.tenantId, tenantId));
  return row ?? null;
}
