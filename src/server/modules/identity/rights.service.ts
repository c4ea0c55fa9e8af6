/**
 * Rights of individuals, self-service (commitment 7): see everything held about me, correct my name
 * and email, download it, erase my account.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Language } from '../../../contracts/domain.js';
import type { meUpdateSchema, MyDataBody } from '../../../contracts/lifecycle.js';
import { assessmentSignoffs, auditEvents, institutions, invitations, notifications, reminderPreferences, sessions, users } from '../../db/schema/index.js';
import { recordAudit } from '../../platform/audit.js';
import type { Actor } from '../../platform/authz.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, type Tx } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';

type MeUpdate = z.output<typeof meUpdateSchema>;
type UserRow = typeof users.$inferSelect;
const PERSONAL_FIELDS = new Set(['email', 'firstName', 'lastName', 'first_name', 'last_name', 'signerName']);

/** The stable pseudonym that replaces an erased person in the audit log. */
export function pseudonymOf(userId: string): string {
  return `erased-user-${createHash('sha256').update(userId).digest('hex').slice(0, 10)}`;
}

/** Replaces the person's name or email (any value when `all`, the person's own record) in one event's changes. */
function scrubChanges(changes: Record<string, { before: unknown; after: unknown }>, values: Set<string>, all: boolean) {
  let changed = false;
  const out: Record<string, { before: unknown; after: unknown }> = {};
  const scrub = (v: unknown) => {
    if (typeof v === 'string' && v !== '[erased]' && (all || values.has(v.toLowerCase()))) {
      changed = true;
      return '[erased]';
    }
    return v;
  };
  for (const [k, c] of Object.entries(changes)) out[k] = PERSONAL_FIELDS.has(k) ? { before: scrub(c.before), after: scrub(c.after) } : c;
  return { out, changed };
}

/** The person's own account record, as "my data" shows it (no password hash, no sign-in secrets). */
export function presentProfile(u: typeof users.$inferSelect): MyDataBody['profile'] {
  return {
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    role: u.role,
    canApprove: u.canApprove,
    status: u.status,
    language: (u.language ?? null) as Language | null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

function me(actor: Actor): string {
  if (actor.kind !== 'user' || !actor.userId) throw new AppError('unauthorized', 'Please sign in');
  return actor.userId;
}

export function createRightsService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;

  async function load(tx: Tx, id: string): Promise<UserRow> {
    const [u] = await tx.select().from(users).where(eq(users.id, id));
    if (!u) throw new AppError('not_found', 'Account not found');
    return u;
  }

  return {
    /** Everything held about the signed-in person. Security: own rows only, looked up by the session's user id. */
    async myData(actor: Actor, currentSessionId: string | null): Promise<MyDataBody> {
      const id = me(actor);
      return withSystem(db, async (tx) => {
        const u = await load(tx, id);
        const [inst] = u.tenantId ? await tx.select({ id: institutions.id, name: institutions.name }).from(institutions).where(eq(institutions.id, u.tenantId)) : [];
        const mySessions = await tx.select().from(sessions).where(eq(sessions.userId, id)).orderBy(asc(sessions.createdAt));
        const events = await tx
          .select()
          .from(auditEvents)
          .where(or(eq(auditEvents.actorUserId, id), and(eq(auditEvents.recordType, 'user'), eq(auditEvents.recordId, id))))
          .orderBy(asc(auditEvents.at), asc(auditEvents.id))
          .limit(5000);
        const [prefs] = await tx.select().from(reminderPreferences).where(eq(reminderPreferences.userId, id));
        const mine = await tx.select().from(notifications).where(eq(notifications.userId, id)).orderBy(asc(notifications.createdAt), asc(notifications.id));
        return {
          profile: presentProfile(u),
          institution: inst ?? null,
          sessions: mySessions.map((s) => ({
            createdAt: s.createdAt.toISOString(),
            lastSeenAt: s.lastSeenAt.toISOString(),
            expiresAt: s.expiresAt.toISOString(),
            current: s.id === currentSessionId,
          })),
          auditEvents: events.map((e) => ({
            at: e.at.toISOString(),
            action: e.action,
            recordType: e.recordType,
            recordId: e.recordId,
            actorLabel: e.actorLabel,
            changes: e.changes as Record<string, { before: unknown; after: unknown }>,
          })),
          reminderPreferences: prefs ? { categories: prefs.categories, byEmail: prefs.byEmail, decisionWaitDays: prefs.decisionWaitDays } : null,
          notifications: mine.map((n) => ({
            day: n.day,
            category: n.category,
            recordType: n.recordType,
            recordId: n.recordId,
            subject: n.subject,
            days: n.days,
            date: n.date,
            readAt: n.readAt?.toISOString() ?? null,
          })),
          exportedAt: new Date().toISOString(),
        };
      });
    },

    /**
     * Corrects the person's own name, or chooses their language. Security: the sign-in email is not
     * changed here — only by the confirm-by-link change (POST /api/v1/account/email: the new address
     * proves itself, the old one is told); an `email` other than the current one is refused.
     */
    async updateMe(actor: Actor, patch: MeUpdate) {
      const id = me(actor);
      return withSystem(db, async (tx) => {
        const before = await load(tx, id);
        if (patch.email !== undefined && patch.email !== before.email.toLowerCase())
          throw invalid('email', 'is changed from your account page, with a link sent to the new address', 'email_by_link');
        const [after] = await tx
          .update(users)
          .set({ firstName: patch.firstName ?? before.firstName, lastName: patch.lastName ?? before.lastName, language: patch.language ?? before.language, updatedAt: new Date() })
          .where(eq(users.id, id))
          .returning();
        const { passwordHash: _a, ...b } = before;
        const { passwordHash: _b, ...a } = after!;
        await recordAudit(tx, { ...actor, tenantId: before.tenantId }, { action: 'user.update_self', recordType: 'user', recordId: id, before: b, after: a, tenantId: before.tenantId });
        return after!;
      });
    },

    /**
     * Erases the person's account: the account and its sessions go; invitations to their address go;
     * everywhere their name or email was recorded (audit log, sign-offs) a pseudonym takes its place.
     * Refused for the last active site admin of an institution, and the last platform admin.
     */
    async eraseMe(actor: Actor): Promise<{ pseudonym: string }> {
      const id = me(actor);
      const pseudonym = pseudonymOf(id);
      await withSystem(db, async (tx) => {
        const u = await load(tx, id);
        // Serialise with other role changes of the institution so two admins cannot both leave.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`vetted.admins.${u.tenantId ?? 'operator'}`}, 0))`);
        if (u.role === 'site_admin' || u.role === 'platform_admin') {
          const [row] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(users)
            .where(and(u.tenantId ? eq(users.tenantId, u.tenantId) : sql`${users.tenantId} is null`, eq(users.role, u.role), eq(users.status, 'active')));
          if ((row?.n ?? 0) <= 1 && u.status === 'active') {
            throw new AppError(
              'conflict',
              u.role === 'site_admin'
                ? 'You are the last site administrator of your institution. Make someone else a site administrator first, then erase your account.'
                : 'You are the last platform administrator. Add another platform administrator first.',
            );
          }
        }
        const personal = new Set([u.email, u.firstName, u.lastName, `${u.firstName} ${u.lastName}`].map((v) => v.toLowerCase()));
        // Earlier names and emails of the person, from the history of their own record.
        const own = await tx.select({ changes: auditEvents.changes }).from(auditEvents).where(and(eq(auditEvents.recordType, 'user'), eq(auditEvents.recordId, id)));
        for (const e of own) {
          for (const [k, c] of Object.entries(e.changes as Record<string, { before: unknown; after: unknown }>)) {
            if (!PERSONAL_FIELDS.has(k)) continue;
            for (const v of [c.before, c.after]) if (typeof v === 'string' && v !== '[erased]') personal.add(v.toLowerCase());
          }
        }
        const emails = [...personal].filter((v) => v.includes('@'));
        const now = new Date();
        // The audit log keeps what happened, with a pseudonym instead of the person.
        await tx.update(auditEvents).set({ actorUserId: null, actorLabel: pseudonym, redactedAt: now, updatedAt: now }).where(eq(auditEvents.actorUserId, id));
        const mentions = await tx
          .select({ id: auditEvents.id, changes: auditEvents.changes, recordType: auditEvents.recordType, recordId: auditEvents.recordId })
          .from(auditEvents)
          .where(
            and(
              u.tenantId ? eq(auditEvents.tenantId, u.tenantId) : sql`${auditEvents.tenantId} is null`,
              or(eq(auditEvents.recordId, id), ...emails.map((e) => sql`position(${e} in lower(${auditEvents.changes}::text)) > 0`)),
            ),
          );
        for (const m of mentions) {
          const { out, changed } = scrubChanges(m.changes as Record<string, { before: unknown; after: unknown }>, personal, m.recordType === 'user' && m.recordId === id);
          if (changed) await tx.update(auditEvents).set({ changes: out, redactedAt: now, updatedAt: now }).where(eq(auditEvents.id, m.id));
        }
        await tx.update(assessmentSignoffs).set({ signerName: pseudonym, userId: null, updatedAt: now }).where(eq(assessmentSignoffs.userId, id));
        await tx.delete(invitations).where(sql`lower(${invitations.email}) in (${sql.join(emails.map((e) => sql`${e}`), sql`, `)})`);
        await tx.delete(sessions).where(eq(sessions.userId, id));
        await tx.delete(users).where(eq(users.id, id));
        await recordAudit(tx, { ...actor, userId: null, label: pseudonym, tenantId: u.tenantId }, { action: 'user.erase', recordType: 'user', recordId: id, tenantId: u.tenantId });
      });
      return { pseudonym };
    },
  };
}
export type RightsService = ReturnType<typeof createRightsService>;
