// POST /api/me/devices — register (upsert) an FCM token for push notifications; session.
import { db } from '@/db';
import { registerPushToken } from '@/lib/accounts/push-tokens';
import { requireUser } from '@/lib/auth/session';
import { apiRoute, parseJson } from '@/lib/http';
import { pushTokenSchema } from '@/lib/validation/push-tokens';

export const POST = apiRoute(async ({ req }) => {
  const user = await requireUser();
  const body = await parseJson(req, pushTokenSchema, { maxBytes: 8 * 1024 });
  const device = await registerPushToken(db, { userId: user.id, token: body.token, platform: body.platform });
  return Response.json({
    device: { id: device.id, platform: device.platform, updated_at: device.updatedAt.toISOString() },
  });
});
