/** Institutions at the end of their service, as the offboarding flow leaves them, for tests of purge and read-only behaviour. */
import { eq } from 'drizzle-orm';
import { institutions, offboardings } from '../../src/server/db/schema/index.js';
import { withSystem, type Db } from '../../src/server/platform/db.js';

const DAY = 86_400_000;

/**
 * Schedules an institution's offboarding with its purge already due: the institution `offboarding`,
 * its offboarding `scheduled`, asked 30 days ago, service ended 8 days ago, purge due since yesterday
 * (each date can be given). `status: 'requested'` records an end of service asked but not confirmed:
 * the institution stays active (a purge must refuse it).
 */
export async function scheduleDuePurge(
  db: Db,
  institutionId: string,
  opts: { now?: number; endOfServiceAt?: Date; purgeAfter?: Date; requestedAt?: Date; contactEmail?: string; status?: 'scheduled' | 'requested' } = {},
): Promise<void> {
  const now = opts.now ?? Date.now();
  const status = opts.status ?? 'scheduled';
  await withSystem(db, async (tx) => {
    if (status === 'scheduled') await tx.update(institutions).set({ status: 'offboarding' }).where(eq(institutions.id, institutionId));
    await tx.insert(offboardings).values({
      tenantId: institutionId,
      status,
      contactEmail: opts.contactEmail ?? 'dpo@example.org',
      endOfServiceAt: opts.endOfServiceAt ?? new Date(now - 8 * DAY),
      purgeAfter: opts.purgeAfter ?? new Date(now - DAY),
      requestedAt: opts.requestedAt ?? new Date(now - 30 * DAY),
    });
  });
}
