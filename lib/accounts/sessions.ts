import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '@/db';
import { users } from '@/db/schema';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { AppError, notFound } from '@/lib/errors';

// Sessions are JWTs that carry users.session_version from when they were issued; the
// per-request check (lib/auth/options.ts) refuses any other version. Bumping the version
// therefore signs the account out on every device at once, including the current one.

/** Refuses every session issued so far. Run inside the transaction that makes the change. */
export async function revokeSessions(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!row) throw notFound('Account');
  return row.sessionVersion;
}

/**
 * Changes the password after checking the current one, and signs out every session (a
 * password change is what a customer does when they fear someone else has it).
 */
export async function changePassword(
  db: Db,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [user] = await tx
      .select({ passHash: users.passHash })
      .from(users)
      .where(eq(users.id, userId))
      .for('no key update');
    if (!user) throw notFound('Account');
    // An account made by phone has no password; a stolen session must not be able to add one.
    if (!user.passHash)
      throw new AppError(
        'invalid_transition',
        'This account signs in with a phone code and has no password to change.',
      );
    if (!(await verifyPassword(input.currentPassword, user.passHash))) {
      throw new AppError('validation_failed', 'The current password is not correct.', {
        fields: {
          current_password: 'The current password is not correct',
        },
      });
    }
    await tx
      .update(users)
      .set({ passHash: await hashPassword(input.newPassword) })
      .where(eq(users.id, userId));
    await revokeSessions(tx, userId);
  });
}
