// GET /api/drones/{droneId}/task — the drone's active delivery, or 204 (drone key).
import { db } from '@/db';
import { findDroneTask } from '@/db/queries/devices';
import { deviceRoute } from '@/lib/devices/auth';

export const GET = deviceRoute<{ droneId: string }>(() => db, 'drone', 'droneId', async ({ device }) => {
  const delivery = await findDroneTask(db, { droneId: device.id });
  if (!delivery) return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  return Response.json({ delivery }, { headers: { 'Cache-Control': 'no-store' } });
});
