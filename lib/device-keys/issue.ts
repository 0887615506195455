import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { drones, parcelAutomats } from '@/db/schema';
import { notFound } from '@/lib/errors';
import { generateDeviceKey, hashDeviceKey, type DeviceKind } from './keys';

/** Issues a new key for a device (revoking the old one) and returns it; only its hash is kept. */
export async function issueDeviceKey(db: DbOrTx, kind: DeviceKind, id: string): Promise<string> {
  const key = generateDeviceKey(kind);
  const table = kind === 'drone' ? drones : parcelAutomats;
  const [row] = await db
    .update(table)
    .set({ apiKeyHash: hashDeviceKey(key) })
    .where(eq(table.id, id))
    .returning({ id: table.id });
  if (!row) throw notFound(kind === 'drone' ? 'Drone' : 'Parcel automat');
  return key;
}
