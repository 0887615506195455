// POST /api/deliveries/{deliveryId}/events — started / dropped / failed, from the assigned drone only (drone key).
import { db } from '@/db';
import { deviceRoute } from '@/lib/device-keys/auth';
import { applyDroneEvent } from '@/lib/dispatch/delivery-flow';
import { parseId, parseJson } from '@/lib/http';
import { deliveryEventSchema } from '@/lib/validation/device-api';

export const POST = deviceRoute<{ deliveryId: string }>(() => db, {
  kind: 'drone',
  idParam: null,
  handler: async ({ req, params, device }) => {
    const deliveryId = parseId(params.deliveryId, 'Delivery');
    const event = await parseJson(req, deliveryEventSchema, { maxBytes: 4 * 1024 });
    const delivery = await applyDroneEvent(db, { deliveryId, droneId: device.id, event });
    return Response.json({ delivery: { id: delivery.id, status: delivery.status } });
  },
});
