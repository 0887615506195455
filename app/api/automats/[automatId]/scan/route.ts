// POST /api/automats/{automatId}/scan — a customer's pickup QR, or a parcel's 6-digit pickup PIN, at this locker;
// opens their cells and spends the code or PIN (automat key; rate limited per automat).
import { db } from '@/db';
import { deviceRoute } from '@/lib/device-keys/auth';
import { parseJson } from '@/lib/http';
import { scanPickupCode } from '@/lib/pickup/collect';
import { scanPickupPin } from '@/lib/pickup/pin';
import { scanSchema } from '@/lib/validation/device-api';

export const POST = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ req, device }) => {
    const body = await parseJson(req, scanSchema, { maxBytes: 8 * 1024 });
    const opened =
      'pin' in body
        ? await scanPickupPin(db, { automatId: device.id, pin: body.pin })
        : await scanPickupCode(db, { automatId: device.id, qr: body.qr });
    return Response.json({ open: opened.map((o) => ({ cell_number: o.cellNumber, order_id: o.orderId })) });
  },
});
