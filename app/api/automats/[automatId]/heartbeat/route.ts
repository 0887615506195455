// POST /api/automats/{automatId}/heartbeat — the locker is alive and says whether it works (automat key).
import { db } from '@/db';
import { recordAutomatHeartbeat } from '@/db/queries/devices';
import { deviceRoute } from '@/lib/device-keys/auth';
import { parseJson } from '@/lib/http';
import { heartbeatSchema } from '@/lib/validation/device-api';

export const POST = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ req, device }) => {
    const body = await parseJson(req, heartbeatSchema, { maxBytes: 1024 });
    await recordAutomatHeartbeat(db, { automatId: device.id, isWorking: body.is_working });
    return Response.json({});
  },
});
