// POST /api/me/notifications/{notificationId}/read — marks one of the customer's notifications read;
// session, own only.
import { db } from '@/db';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseId } from '@/lib/http';
import { markNotificationRead } from '@/lib/notifications/inbox';

export const POST = apiRoute<{ notificationId: string }>(async ({ params }) => {
  const user = await requireUser();
  const id = parseId(params.notificationId, 'Notification');
  const n = await markNotificationRead(db, { userId: user.id, id });
  return Response.json({ notification: { id: n.id, read_at: n.readAt?.toISOString() ?? null, link: n.data.link } });
});
