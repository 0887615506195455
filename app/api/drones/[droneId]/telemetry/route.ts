// POST /api/drones/{droneId}/telemetry — one reading or a batch of up to 100 from that drone (drone key).
import { db } from '@/db';
import { deviceRoute } from '@/lib/devices/auth';
import { parseJson } from '@/lib/http';
import { recordTelemetry } from '@/lib/telemetry/record';
import { telemetryBodySchema } from '@/lib/validation/telemetry';

export const POST = deviceRoute<{ droneId: string }>(() => db, 'drone', 'droneId', async ({ req, device }) => {
  const readings = await parseJson(req, telemetryBodySchema, { maxBytes: 64 * 1024 });
  const accepted = await recordTelemetry(db, device.id, readings);
  return Response.json({ accepted }, { status: 202 });
});
