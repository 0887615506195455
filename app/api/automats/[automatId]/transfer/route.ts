// POST /api/automats/{automatId}/transfer — the parcel moved from the drop cell to its pickup cell (automat key).
import { db } from '@/db';
import { deviceRoute } from '@/lib/device-keys/auth';
import { transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { parseJson } from '@/lib/http';
import { transferSchema } from '@/lib/validation/device-api';

export const POST = deviceRoute<{ automatId: string }>(() => db, {
  kind: 'automat',
  idParam: 'automatId',
  handler: async ({ req, device }) => {
    const body = await parseJson(req, transferSchema, { maxBytes: 4 * 1024 });
    const result = await transferToPickupCell(db, { automatId: device.id, deliveryId: body.delivery_id });
    return Response.json({ order_id: result.orderId, external_cell_number: result.externalCellNumber });
  },
});
