// POST /api/automats/{automatId}/scan — a customer's pickup QR at this locker; opens their cells (automat key).
import { db } from '@/db';
import { deviceRoute } from '@/lib/devices/auth';
import { collectParcels } from '@/lib/dispatch/lifecycle';
import { parseJson } from '@/lib/http';
import { verifyPickupToken } from '@/lib/pickup/token';
import { scanSchema } from '@/lib/validation/device-api';

export const POST = deviceRoute<{ automatId: string }>(() => db, 'automat', 'automatId', async ({ req, device }) => {
  const body = await parseJson(req, scanSchema, { maxBytes: 8 * 1024 });
  const { userId } = await verifyPickupToken(db, body.qr);
  const opened = await collectParcels(db, { automatId: device.id, userId });
  return Response.json({ open: opened.map((o) => ({ cell_number: o.cellNumber, order_id: o.orderId })) });
});
