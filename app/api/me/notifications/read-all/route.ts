// POST /api/me/notifications/read-all — marks all of the customer's notifications read; session.
import { db } from '@/db';
import { requireUser } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';
import { markAllNotificationsRead } from '@/lib/notifications/inbox';

export const POST = apiRoute(async () => {
  const user = await requireUser();
  const updated = await markAllNotificationsRead(db, { userId: user.id });
  return Response.json({ updated });
});
