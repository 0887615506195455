// POST /api/automats/{automatId}/staff-pin — sets the kiosk's staff PIN when its screen is paired (automat key).
import { db } from '@/db';
import { deviceRoute } from '@/lib/device-keys/auth';
import { parseJson } from '@/lib/http';
import { setStaffPin } from '@/lib/kiosk/staff-pin';
import { staffPinSetSchema } from '@/lib/validation/kiosk';

export const POST = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ req, device }) => {
    const body = await parseJson(req, staffPinSetSchema, { maxBytes: 1024 });
    await setStaffPin(db, { automatId: device.id, pin: body.pin });
    return Response.json({});
  },
});
