import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { drones, parcelAutomats } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { apiRoute } from '@/lib/http';
import { digestsEqual, hashDeviceKey, type DeviceKind } from './keys';

// Device authentication (docs/openapi.yaml): `Authorization: Bearer <key>`; the key's SHA-256
// is looked up, then compared in constant time. No or unknown key: 401. A valid key on
// another device's path: 403. The identity always comes from the key, never from the body.

export type Device = { kind: DeviceKind; id: string };

const unauthorized = () =>
  new AppError('unauthorized', 'A valid device key is required: send Authorization: Bearer <key>.', {
    headers: {
      'WWW-Authenticate': 'Bearer',
    },
  });

function bearer(req: Request): string | null {
  const header = req.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S{10,200})\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

function keyKind(key: string): DeviceKind | null {
  return key.startsWith('spd_') ? 'drone' : key.startsWith('spa_') ? 'automat' : null;
}

/**
 * The SHA-256 of the request's key when it is shaped like a key of `kind`, else null (a 401 or
 * 403 whatever the database holds). For handlers that check the key inside their own query.
 */
export function deviceKeyHash(req: Request, kind: DeviceKind): string | null {
  const key = bearer(req);
  return key && keyKind(key) === kind ? hashDeviceKey(key) : null;
}

/**
 * Why a request's key is refused on the path of device `pathId`, or null when it is that
 * device's key: 401 for no or an unknown key, 403 for another device's key or the other
 * kind's. For handlers that check the key inside their own query: only their failure path
 * pays this extra lookup.
 */
export async function deviceAuthError(
  db: Db,
  req: Request,
  { kind, pathId }: { kind: DeviceKind; pathId: string },
): Promise<AppError | null> {
  try {
    await authenticateDevice(db, req, { kind, pathId });
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

/** 401: the request carries no valid device key (or it was not valid when its query ran). */
export const deviceUnauthorized = () => unauthorized();

/** The device a request's key belongs to, of any kind, or null. */
export async function identifyDevice(db: Db, req: Request): Promise<Device | null> {
  const key = bearer(req);
  if (!key) return null;
  const hash = hashDeviceKey(key);
  const kind = keyKind(key);
  if (!kind) return null;
  const table = kind === 'drone' ? drones : parcelAutomats;
  const [row] = await db
    .select({ id: table.id, hash: table.apiKeyHash })
    .from(table)
    .where(eq(table.apiKeyHash, hash))
    .limit(1);
  if (!row?.hash || !digestsEqual(row.hash, hash)) return null;
  return { kind, id: row.id };
}

/**
 * Authenticates a device of `kind` and checks it is the one the path names.
 * Throws 401 (no or unknown key) or 403 (another device's path, or the other kind's key).
 */
export async function authenticateDevice(
  db: Db,
  req: Request,
  { kind, pathId }: { kind: DeviceKind; pathId?: string },
): Promise<Device> {
  const device = await identifyDevice(db, req);
  if (!device) throw unauthorized();
  if (device.kind !== kind)
    throw new AppError(
      'forbidden',
      `This endpoint is for ${kind === 'drone' ? 'drones' : 'parcel automats'}; ` +
        `this key belongs to a ${device.kind === 'drone' ? 'drone' : 'parcel automat'}.`,
    );
  if (pathId !== undefined && device.id !== pathId)
    throw new AppError('forbidden', `This key belongs to another ${kind === 'drone' ? 'drone' : 'parcel automat'}.`);
  return device;
}

type DeviceHandler<P> = (args: { req: Request; params: P; device: Device }) => Promise<Response> | Response;

/**
 * A route handler for devices of one kind. `idParam` names the path parameter that must be
 * the device's own id (omit it where the path names something else, like a delivery).
 */
export function deviceRoute<P extends Record<string, string>>(
  db: () => Db,
  { kind, idParam, handler }: { kind: DeviceKind; idParam: keyof P | null; handler: DeviceHandler<P> },
) {
  return apiRoute<P>(async ({ req, params }) => {
    const pathId = idParam ? params[idParam] : undefined;
    const device = await authenticateDevice(db(), req, { kind, pathId });
    return handler({ req, params, device });
  });
}
