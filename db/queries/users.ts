import 'server-only';
import { and, desc, eq, ilike, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import { orders, users, type UserRole } from '../schema';

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

/**
 * The per-request session check: the user as they are now plus the session version their
 * session must carry (one primary-key lookup).
 */
export async function findSessionUser(db: DbOrTx, { id }: { id: string }): Promise<(PublicUser & { sessionVersion: number }) | undefined> {
  const [row] = await db.select({ ...publicColumns, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** For sign-in only: the one place that reads pass_hash. */
export async function findUserCredentialsByEmail(db: DbOrTx, { email }: { email: string }) {
  const [row] = await db
    .select({ ...publicColumns, passHash: users.passHash, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row;
}

export async function findUserProfile(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({ phoneNumber: users.phoneNumber, phoneVerified: users.phoneVerified, createdAt: users.createdAt, hasPassword: sql<boolean>`${users.passHash} is not null` })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export type AdminUserFilter = { q?: string; role?: UserRole; page: number; pageSize: number };

/** Users for the admin list: search by name, email or phone; with their order counts. */
export async function listUsersAdmin(db: DbOrTx, f: AdminUserFilter) {
  const q = f.q?.trim();
  const where = and(
    f.role ? eq(users.role, f.role) : undefined,
    q ? or(ilike(users.fullName, likeContains(q)), ilike(users.email, likeContains(q)), ilike(users.phoneNumber, likeContains(q))) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        ...publicColumns,
        createdAt: users.createdAt,
        orders: sql<number>`(select count(*)::int from ${orders} where ${orders.userId} = ${users.id})`,
        openOrders: sql<number>`(select count(*)::int from ${orders} where ${orders.userId} = ${users.id} and ${orders.status} in ('pending', 'processing', 'delivered'))`,
      })
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** One user as the admin sees them (never the password hash or codes). */
export async function getUserAdmin(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({ ...publicColumns, phoneVerified: users.phoneVerified, createdAt: users.createdAt, devices: sql<number>`(select count(*)::int from user_devices d where d.user_id = ${users.id})` })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}
