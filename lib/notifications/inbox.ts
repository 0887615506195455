import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db';
import { notifications } from '@/db/schema';
import { notFound } from '@/lib/errors';

// The in-app notification centre: the customer reads their own notifications. Another
// customer's notification is "not found", never "forbidden", so ids reveal nothing.

export async function markNotificationRead(
  db: Db,
  { userId, id, now = new Date() }: { userId: string; id: string; now?: Date },
) {
  const [row] = await db
    .update(notifications)
    // Reading twice keeps the first time.
    .set({ readAt: now })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id, readAt: notifications.readAt, data: notifications.data });
  if (row) return row;
  const [already] = await db
    .select({ id: notifications.id, readAt: notifications.readAt, data: notifications.data })
    .from(notifications)
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
  if (!already) throw notFound('Notification');
  return already;
}

export async function markAllNotificationsRead(
  db: Db,
  { userId, now = new Date() }: { userId: string; now?: Date },
): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}
