// POST /api/me/devices — register (upsert) an FCM token for push notifications; session.
import { db } from '@/db';
import { registerDevice } from '@/lib/accounts/devices';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseJson } from '@/lib/http';
import { deviceTokenSchema } from '@/lib/validation/devices';

export const POST = apiRoute(async ({ req }) => {
  const user = await requireUser();
  const body = await parseJson(req, deviceTokenSchema, { maxBytes: 8 * 1024 });
  const device = await registerDevice(db, { userId: user.id, token: body.token, platform: body.platform });
  return Response.json({
    device: { id: device.id, platform: device.platform, updated_at: device.updatedAt.toISOString() },
  });
});
