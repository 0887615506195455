// GET /api/devices/me — which device a key belongs to ({kind, id}); any device key. An addition to the contract.
import { db } from '@/db';
import { identifyDevice } from '@/lib/device-keys/auth';
import { AppError } from '@/lib/errors';
import { apiRoute } from '@/lib/http';

export const GET = apiRoute(async ({ req }) => {
  const device = await identifyDevice(db, req);
  if (!device)
    throw new AppError('unauthorized', 'A valid device key is required: send Authorization: Bearer <key>.', {
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
  return Response.json({ device: { kind: device.kind, id: device.id } });
});
