// GET /api/automats/{automatId}/expected — deliveries bound for this locker (automat key).
import { db } from '@/db';
import { listExpectedDeliveries } from '@/db/queries/devices';
import { deviceRoute } from '@/lib/device-keys/auth';

export const GET = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ device }) => {
    const deliveries = await listExpectedDeliveries(db, { automatId: device.id });
    return Response.json({ deliveries }, { headers: { 'Cache-Control': 'no-store' } });
  },
});
