import type { z } from 'zod';
import type { DirectoryEntryBody, UserBody, userUpdateSchema } from '../../../contracts/api.js';
import { authorize, scopeOf, type Actor } from '../../platform/authz.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { withSystem, withTenant } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sessions } from '../../db/schema/index.js';
import { and, eq } from 'drizzle-orm';
import { presentUser } from './identity.presenter.js';
import { countActiveSiteAdmins, findUser, listUsers, unsafeListPlatformAdmins, updateUser } from './users.repo.js';

type UserUpdate = z.output<typeof userUpdateSchema>;

export function createUsersService(ctx: Pick<AppContext, 'db'>) {
  const { db } = ctx;
  return {
    async list(actor: Actor): Promise<UserBody[]> {
      authorize(actor, 'readUsers');
      const scope = scopeOf(actor);
      return (await withTenant(db, scope, (tx) => listUsers(tx, scope))).map(presentUser);
    },

    /** The operator's team, for platform admins: who has two-step verification, to reset a lost one. */
    async listPlatformAdmins(actor: Actor): Promise<UserBody[]> {
      authorize(actor, 'managePlatformAdmins');
      return (await withSystem(db, (tx) => unsafeListPlatformAdmins(tx))).map(presentUser);
    },

    /** Active people of the institution, names only (owner pickers; everyone on the inventory). */
    async directory(actor: Actor): Promise<DirectoryEntryBody[]> {
      authorize(actor, 'readInventory');
      const scope = scopeOf(actor);
      const rows = await withTenant(db, scope, (tx) => listUsers(tx, scope));
      return rows.filter((u) => u.status === 'active').map((u) => ({ id: u.id, firstName: u.firstName, lastName: u.lastName }));
    },

    /**
     * Changes a user's role, approver right or status. An institution always keeps one active site
     * admin. Its own site admins alone: never the operator (ADR 0007).
     */
    async update(actor: Actor, id: string, patch: UserUpdate): Promise<UserBody> {
      authorize(actor, 'manageUsers');
      const scope = scopeOf(actor);
      return withTenant(db, scope, async (tx) => {
        const before = await findUser(tx, scope, id);
        if (!before) throw notFound('User');
        const role = patch.role ?? before.role;
        const next = {
          role,
          canApprove: role === 'site_admin' ? false : (patch.canApprove ?? before.canApprove),
          status: patch.status ?? before.status,
        };
        const losesSiteAdmin = before.role === 'site_admin' && before.status === 'active' && (next.role !== 'site_admin' || next.status !== 'active');
        if (losesSiteAdmin && (await countActiveSiteAdmins(tx, scope)) <= 1) {
          throw new AppError('conflict', 'An institution needs at least one active site administrator', { role: 'last active site administrator' });
        }
        const after = await updateUser(tx, scope, id, next);
        // Security: losing a role or being disabled ends every session of that user.
        if (next.status !== 'active' || next.role !== before.role || next.canApprove !== before.canApprove) {
          await tx.delete(sessions).where(and(eq(sessions.userId, id)));
        }
        const { passwordHash: _a, ...b } = before;
        const { passwordHash: _b, ...a } = after!;
        await recordAudit(tx, actor, { action: 'user.update', recordType: 'user', recordId: id, before: b, after: a });
        return presentUser(after!);
      });
    },
  };
}
