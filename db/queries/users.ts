import 'server-only';
import { and, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import { CELL_HOLDING_ORDER_STATUSES, orders, userDevices, users, type UserRole } from '../schema';

export type PublicUser = {
  id: string;
  fullName: string;
  email: string | null;
  phoneNumber: string | null;
  role: UserRole;
};

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
export async function findSessionUser(
  db: DbOrTx,
  { id }: { id: string },
): Promise<(PublicUser & { sessionVersion: number }) | undefined> {
  const [row] = await db
    .select({ ...publicColumns, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
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
    .select({
      phoneNumber: users.phoneNumber,
      phoneVerified: users.phoneVerified,
      createdAt: users.createdAt,
      hasPassword: sql<boolean>`${users.passHash} is not null`,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}

export type AdminUserFilter = { q?: string; role?: UserRole; page: number; pageSize: number };

/**
 * Users for the admin list: search by name, email or phone; with their order counts. "Open"
 * orders are the ones still under way: waiting, in flight or in a locker (the statuses that
 * hold a cell, the same set MAX_OPEN_ORDERS counts).
 *
 * The counts come from a LATERAL join, not a correlated subquery in the select list: drizzle
 * writes the columns of a single-table select unqualified, so `orders.user_id = users.id` inside
 * such a subquery became `user_id = id` and compared each order with itself (every count 0).
 */
export async function listUsersAdmin(db: DbOrTx, f: AdminUserFilter) {
  const q = f.q?.trim();
  const where = and(
    f.role ? eq(users.role, f.role) : undefined,
    q
      ? or(
          ilike(users.fullName, likeContains(q)),
          ilike(users.email, likeContains(q)),
          ilike(users.phoneNumber, likeContains(q)),
        )
      : undefined,
  );
  const counts = db
    .select({
      total: sql<number>`count(*)::int`.as('total'),
      open: sql<number>`(count(*) filter (where ${inArray(orders.status, [...CELL_HOLDING_ORDER_STATUSES])}))::int`.as(
        'open',
      ),
    })
    .from(orders)
    .where(eq(orders.userId, users.id))
    .as('order_counts');
  const [rows, [total]] = await Promise.all([
    db
      .select({ ...publicColumns, createdAt: users.createdAt, orders: counts.total, openOrders: counts.open })
      .from(users)
      .leftJoinLateral(counts, sql`true`)
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** One user as the admin sees them (never the password hash or codes). */
export async function getUserAdmin(db: DbOrTx, { id }: { id: string }) {
  const devices = db
    .select({ n: sql<number>`count(*)::int`.as('n') })
    .from(userDevices)
    .where(eq(userDevices.userId, users.id))
    .as('device_count');
  const [row] = await db
    .select({ ...publicColumns, phoneVerified: users.phoneVerified, createdAt: users.createdAt, devices: devices.n })
    .from(users)
    .leftJoinLateral(devices, sql`true`)
    .where(eq(users.id, id))
    .limit(1);
  return row;
}
