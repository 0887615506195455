// GET /api/drones/{droneId}/task — the drone's active delivery, or 204 (drone key).
import { db } from '@/db';
import { findDroneTask } from '@/db/queries/devices';
import { deviceAuthError, deviceKeyHash, deviceUnauthorized } from '@/lib/device-keys/auth';
import { apiRoute, uuidSchema } from '@/lib/http';

// Polled by every drone: the key is checked in the query that reads the task (one round
// trip); only a refused key costs another query, to answer 401 or 403 as deviceRoute does.
export const GET = apiRoute<{ droneId: string }>(async ({ req, params }) => {
  const droneId = params.droneId;
  const keyHash = deviceKeyHash(req, 'drone');
  const found = keyHash && uuidSchema.safeParse(droneId).success ? await findDroneTask(db, { droneId, keyHash }) : null;
  if (!found) throw (await deviceAuthError(db, req, { kind: 'drone', pathId: droneId })) ?? deviceUnauthorized();
  if (!found.task) return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  return Response.json({ delivery: found.task }, { headers: { 'Cache-Control': 'no-store' } });
});
