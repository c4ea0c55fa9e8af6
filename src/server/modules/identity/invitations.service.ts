import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { invitationCreateSchema, InvitationBody, SessionBody } from '../../../contracts/api.js';
import { institutions, invitations, users } from '../../db/schema/index.js';
import { authorize, isPlatformAdmin, policy, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, withTenant, type Tx } from '../../platform/db.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/passwords.js';
import { hashToken, newToken } from '../../platform/tokens.js';
import type { MailOutbox } from '../mail/index.js';
import { mailLanguageOf, renderMail } from '../mail/mail.templates.js';
import { READ_ONLY_MESSAGE, readOnlyPeriodOf } from '../tenants/institutions.repo.js';
import { hasSiteAdminAccount, isVoidOperatorInvitation } from '../tenants/operator-access.repo.js';
import { presentInvitation, presentSession } from './identity.presenter.js';
import type { PasswordPolicy } from './password-policy.js';
import type { SessionService } from './session.service.js';
import { unsafeFindUserByEmail } from './users.repo.js';
import { byTenant } from '../../platform/tenant-filter.js';

const INVITATION_TTL_MS = 7 * 24 * 3600_000;
type InvitationInput = z.output<typeof invitationCreateSchema>;
type InvitationRow = typeof invitations.$inferSelect;

/** What an operator invitation may be used for, said once (service and tests read the same words). */
export const OPERATOR_INVITES_FIRST_SITE_ADMIN_ONLY =
  'The operator invites an institution’s first site administrator only, during onboarding. Everyone else is invited by the institution’s own site administrators.';

const operatorEmail = () => new AppError('validation', 'Some fields are not valid', { email: 'belongs to an operator account, which cannot join an institution' });

/**
 * Security (ADR 0007): the operator invites only the first site admin of an institution, only while it
 * has no site admin account, and only when no invitation of a site admin to someone else is pending
 * (re-inviting the same person replaces theirs). Checked in the transaction that inserts.
 */
async function assertOperatorMayInvite(tx: Tx, tenantId: string, input: InvitationInput): Promise<void> {
  if (input.role !== 'site_admin') throw forbidden(OPERATOR_INVITES_FIRST_SITE_ADMIN_ONLY);
  if (await hasSiteAdminAccount(tx, tenantId)) throw forbidden(OPERATOR_INVITES_FIRST_SITE_ADMIN_ONLY);
  const [pending] = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        eq(invitations.role, 'site_admin'),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
        ne(invitations.email, input.email),
      ),
    )
    .limit(1);
  if (pending) {
    throw new AppError('conflict', 'A site administrator is already invited. Revoke that invitation first to invite someone else.', {
      email: 'another site administrator is already invited',
    });
  }
}

export function createInvitationService(ctx: Pick<AppContext, 'db' | 'config'>, outbox: Pick<MailOutbox, 'queue' | 'kick'>, sessions: SessionService, passwords: PasswordPolicy) {
  const { db, config } = ctx;

  /** Inserts an invitation in `tx` and queues its email in the same transaction. */
  async function insertInvitation(tx: Tx, actor: Actor, tenantId: string, input: InvitationInput) {
    if (isPlatformAdmin(actor)) await assertOperatorMayInvite(tx, tenantId, input);
    // In system scope (an institution's creation) the operator's accounts are visible here too.
    if ((await unsafeFindUserByEmail(tx, input.email))?.role === 'platform_admin') throw operatorEmail();
    // Security: only this institution's users are visible here (RLS), so an invitation never reveals
    // whether the email has an account elsewhere; acceptance is refused then by the unique index.
    const [existing] = await tx.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${input.email}`));
    if (existing) throw new AppError('duplicate', 'This person already has an account', { email: 'already has an account in this institution' });
    await tx
      .update(invitations)
      .set({ revokedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(invitations.tenantId, tenantId), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
    const token = newToken();
    const [row] = await tx
      .insert(invitations)
      .values({
        tenantId,
        id: randomUUID(),
        email: input.email,
        firstName: input.firstName,
        lastName: input.lastName,
        role: input.role,
        canApprove: input.role === 'app_admin' ? input.canApprove : false,
        tokenHash: hashToken(config.sessionSecret, token),
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
        invitedBy: actor.userId,
      })
      .returning();
    const { tokenHash: _omit, ...audited } = row!;
    await recordAudit(tx, actor, { action: 'invitation.create', recordType: 'invitation', recordId: row!.id, after: audited, tenantId });
    const [inst] = await tx
      .select({ name: institutions.name, country: institutions.country, subdivision: institutions.subdivision })
      .from(institutions)
      .where(eq(institutions.id, tenantId));
    const language = mailLanguageOf(null, inst);
    const link = `${config.publicUrl}/invite?token=${encodeURIComponent(token)}`;
    await outbox.queue(tx, {
      idempotencyKey: `invitation:${row!.id}`,
      institutionId: tenantId,
      to: row!.email,
      language,
      template: 'invitation',
      content: renderMail('invitation', language, { firstName: row!.firstName, institutionName: inst?.name ?? '', link }),
    });
    return { row: row!, token };
  }

  /** After the commit: sends the queued invitation now rather than at a worker's next poll. */
  function sendInvitation(): void {
    outbox.kick();
  }

  async function loadPending(tx: Tx, token: string): Promise<InvitationRow> {
    const [row] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(config.sessionSecret, token)));
    if (!row || row.acceptedAt || row.revokedAt || row.expiresAt.getTime() < Date.now()) {
      throw new AppError('not_found', 'This invitation link is not valid any more. Ask your administrator for a new one.');
    }
    return row;
  }

  return {
    insertInvitation,
    sendInvitation,

    async list(actor: Actor): Promise<InvitationBody[]> {
      authorize(actor, 'readUsers');
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, (tx) =>
        tx.select().from(invitations).where(byTenant(invitations.tenantId, scope)).orderBy(desc(invitations.createdAt)),
      );
      return rows.map((r) => presentInvitation(r));
    },

    async create(actor: Actor, input: InvitationInput): Promise<InvitationBody> {
      if (isPlatformAdmin(actor) && actor.tenantId && !policy.inviteFirstSiteAdmin(actor)) throw forbidden(OPERATOR_INVITES_FIRST_SITE_ADMIN_ONLY);
      authorize(actor, isPlatformAdmin(actor) ? 'inviteFirstSiteAdmin' : 'manageUsers');
      const scope = scopeOf(actor);
      // Security: an operator account never becomes an institution's account (checked in system
      // scope: the institution's scope does not see the operator's accounts).
      const operatorAccount = await withSystem(db, async (tx) => (await unsafeFindUserByEmail(tx, input.email))?.role === 'platform_admin');
      if (operatorAccount) throw operatorEmail();
      const { row } = await withTenant(db, scope, (tx) => insertInvitation(tx, actor, scope.tenantId, input));
      // Sent after the commit: no network calls inside a transaction.
      sendInvitation();
      return presentInvitation(row);
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      authorize(actor, isPlatformAdmin(actor) ? 'inviteFirstSiteAdmin' : 'manageUsers');
      const scope = scopeOf(actor);
      await withTenant(db, scope, async (tx) => {
        const [before] = await tx.select().from(invitations).where(and(byTenant(invitations.tenantId, scope), eq(invitations.id, id)));
        if (!before) throw notFound('Invitation');
        if (before.acceptedAt) throw new AppError('conflict', 'This invitation was already accepted');
        if (before.revokedAt) return;
        await tx.update(invitations).set({ revokedAt: new Date(), updatedAt: new Date() }).where(and(byTenant(invitations.tenantId, scope), eq(invitations.id, id)));
        await recordAudit(tx, actor, { action: 'invitation.revoke', recordType: 'invitation', recordId: id });
      });
    },

    /** What the accept page shows. Public: the token is the credential. */
    async preview(token: string) {
      return withSystem(db, async (tx) => {
        const row = await loadPending(tx, token);
        const [inst] = await tx.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, row.tenantId));
        return { email: row.email, firstName: row.firstName, institutionName: inst!.name };
      });
    },

    /** Accepts an invitation: creates the user with a password and signs them in. Single use. */
    async accept(token: string, password: string, requestId: string): Promise<{ token: string; body: SessionBody }> {
      const pending = await withSystem(db, (tx) => loadPending(tx, token));
      await passwords.assertAllowed(password, { ...pending, tenantId: pending.tenantId });
      const passwordHash = await hashPassword(password);
      return withSystem(db, async (tx) => {
        const inv = await loadPending(tx, token);
        // Security: an operator's invitation is good for the first site admin only; once the
        // institution has one, any other the operator sent is void (ADR 0007).
        if (await isVoidOperatorInvitation(tx, inv)) {
          throw new AppError('not_found', 'This invitation link is not valid any more. Ask your administrator for a new one.');
        }
        // No session here for the lifecycle guard to check: an institution past its end of service takes no new accounts.
        if (await readOnlyPeriodOf(tx, inv.tenantId)) throw new AppError('institution_read_only', READ_ONLY_MESSAGE);
        if (await unsafeFindUserByEmail(tx, inv.email)) throw new AppError('conflict', 'An account with this email already exists. Sign in instead.');
        const [user] = await tx
          .insert(users)
          .values({
            id: randomUUID(),
            tenantId: inv.tenantId,
            email: inv.email,
            firstName: inv.firstName,
            lastName: inv.lastName,
            role: inv.role,
            canApprove: inv.canApprove,
            passwordHash,
          })
          .returning();
        await tx.update(invitations).set({ acceptedAt: new Date(), updatedAt: new Date() }).where(and(eq(invitations.tenantId, inv.tenantId), eq(invitations.id, inv.id)));
        const session = await sessions.startSession(tx, user!, 'invitation');
        const actor: Actor = {
          kind: 'user',
          userId: user!.id,
          role: inv.role as Actor['role'],
          canApprove: inv.canApprove,
          tenantId: inv.tenantId,
          homeTenantId: inv.tenantId,
          label: `${user!.firstName} ${user!.lastName}`,
          requestId,
          source: 'web',
        };
        const { passwordHash: _omit, ...audited } = user!;
        await recordAudit(tx, actor, { action: 'invitation.accept', recordType: 'user', recordId: user!.id, after: audited });
        return { token: session.token, body: presentSession(actor, user!, await sessions.institutionOf(tx, inv.tenantId), session.session.csrfToken) };
      });
    },
  };
}
export type InvitationService = ReturnType<typeof createInvitationService>;
