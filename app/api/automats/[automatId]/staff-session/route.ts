// POST /api/automats/{automatId}/staff-session — checks the staff PIN typed at the kiosk before it opens staff mode
// (automat key; rate limited per automat).
import { db } from '@/db';
import { deviceRoute } from '@/lib/device-keys/auth';
import { parseJson } from '@/lib/http';
import { openStaffMode } from '@/lib/kiosk/staff-pin';
import { staffSessionSchema } from '@/lib/validation/kiosk';

export const POST = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ req, device }) => {
    const body = await parseJson(req, staffSessionSchema, { maxBytes: 1024 });
    const staff = await openStaffMode(db, { automatId: device.id, pin: body.pin });
    return Response.json({ idle_timeout_seconds: staff.idleSeconds }, { headers: { 'Cache-Control': 'no-store' } });
  },
});
