import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { users, type UserRole } from '../schema';

export type PublicUser = { id: string; fullName: string; email: string | null; phoneNumber: string | null; role: UserRole };

const publicColumns = {
  id: users.id,
  fullName: users.fullName,
  email: users.email,
  phoneNumber: users.phoneNumber,
  role: users.role,
};

export async function findUserById(db: DbOrTx, { id }: { id: string }): Promise<PublicUser | undefined> {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** For sign-in only: the one place that reads pass_hash. */
export async function findUserCredentialsByEmail(db: DbOrTx, { email }: { email: string }) {
  const [row] = await db
    .select({ ...publicColumns, passHash: users.passHash })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row;
}

export async function findUserProfile(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({ phoneNumber: users.phoneNumber, phoneVerified: users.phoneVerified, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}
