import 'server-only';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { notifications } from '../schema';

const columns = {
  id: notifications.id,
  kind: notifications.kind,
  title: notifications.title,
  body: notifications.body,
  data: notifications.data,
  createdAt: notifications.createdAt,
  readAt: notifications.readAt,
};

export type InboxItem = {
  id: string;
  kind: string;
  title: string;
  body: string;
  data: { order_id?: string; link: string };
  createdAt: Date;
  readAt: Date | null;
};

/** The customer's notifications, newest first, and how many are unread. */
export async function listNotificationsForUser(
  db: DbOrTx,
  { userId, limit }: { userId: string; limit: number },
): Promise<{ items: InboxItem[]; unread: number }> {
  const [items, [count]] = await Promise.all([
    db
      .select(columns)
      .from(notifications)
      .where(eq(notifications.userId, userId))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(limit),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  ]);
  return { items, unread: count?.n ?? 0 };
}
