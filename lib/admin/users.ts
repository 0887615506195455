import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { users, type UserRole } from '@/db/schema';
import { recordAudit, type AuditContext } from './audit';
import { AdminRefusal, adminInvalidTransition, adminNotFound } from './refusal';

/**
 * Changes a user's role. An admin cannot change their own role (so nobody locks themselves
 * out by accident), and the acting admin must still be one when the change is made: with the
 * admin rows locked, that also means the last admin can never be demoted. The new role applies
 * on the user's next request: sessions re-read the role from the database. Their sessions are
 * also revoked (session_version bumped), so a demoted admin's open tabs and copied cookies stop
 * working at once and the user signs in again under the new role.
 */
export async function changeUserRole(
  db: Db,
  ctx: AuditContext,
  { userId, role }: { userId: string; role: UserRole },
): Promise<{ role: UserRole; changed: boolean }> {
  return db.transaction(async (tx) => {
    if (userId === ctx.userId)
      throw adminInvalidTransition(
        'You cannot change your own role. Ask another administrator.',
        'adminOps.user.ownRole',
      );
    // Admin rows are locked together, so two demotions at once cannot remove the last admin.
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).for('update');
    if (!admins.some((a) => a.id === ctx.userId))
      throw new AdminRefusal(
        'forbidden',
        'Your administrator role was removed meanwhile, so you cannot change roles.',
        { key: 'adminOps.user.demoted' },
      );
    const [user] = await tx
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    if (!user) throw adminNotFound('User', 'adminOps.user.notFound');
    if (user.role === role) return { role, changed: false };
    await tx
      .update(users)
      .set({ role, sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, userId));
    await recordAudit(tx, ctx, {
      action: 'user.role_changed',
      resourceType: 'user',
      resourceId: userId,
      before: { role: user.role },
      after: { role },
    });
    return { role, changed: true };
  });
}
