// POST /api/drones/{droneId}/telemetry — one reading or a batch of up to 100 from that drone (drone key).
import { db } from '@/db';
import { deviceAuthError, deviceKeyHash, deviceUnauthorized } from '@/lib/device-keys/auth';
import { apiRoute, readJson, uuidSchema } from '@/lib/http';
import { parseTelemetryBody } from '@/lib/telemetry/parse';
import { ingestTelemetry } from '@/lib/telemetry/record';
import type { TelemetryReading } from '@/lib/validation/telemetry';

// The device API's hottest path: the key is checked inside the one statement that stores the
// batch (one round trip; no key cache, so a rotated or revoked key stops at once). Only a
// failure takes another query, to answer as deviceRoute does: 401/403 before any body error,
// 404 never for a drone the key does not belong to.
export const POST = apiRoute<{ droneId: string }>(async ({ req, params }) => {
  const droneId = params.droneId;
  const keyHash = deviceKeyHash(req, 'drone');
  if (!keyHash || !uuidSchema.safeParse(droneId).success)
    throw (await deviceAuthError(db, req, { kind: 'drone', pathId: droneId })) ?? deviceUnauthorized();
  let readings: TelemetryReading[];
  try {
    readings = parseTelemetryBody(await readJson(req, { maxBytes: 64 * 1024 }));
  } catch (bodyError) {
    throw (await deviceAuthError(db, req, { kind: 'drone', pathId: droneId })) ?? bodyError;
  }
  const accepted = await ingestTelemetry(db, { droneId, keyHash, readings });
  // The key was not this drone's when the statement ran; nothing was written.
  if (accepted === null)
    throw (await deviceAuthError(db, req, { kind: 'drone', pathId: droneId })) ?? deviceUnauthorized();
  return Response.json({ accepted }, { status: 202 });
});
