// GET /api/me/notifications — the customer's notifications, newest first, with the unread count (polled by the bell);
// session.
import { db } from '@/db';
import { listNotificationsForUser } from '@/db/queries/notifications';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseWith } from '@/lib/http';
import { notificationJson } from '@/lib/notifications/present';
import { notificationListQuerySchema } from '@/lib/validation/notifications';

export const GET = apiRoute(async ({ req }) => {
  const user = await requireUser();
  const url = new URL(req.url);
  const { limit } = parseWith(
    notificationListQuerySchema,
    { limit: url.searchParams.get('limit') ?? undefined },
    'The query is invalid.',
  );
  const { items, unread } = await listNotificationsForUser(db, { userId: user.id, limit });
  return Response.json(
    { notifications: items.map(notificationJson), unread },
    { headers: { 'Cache-Control': 'no-store' } },
  );
});
