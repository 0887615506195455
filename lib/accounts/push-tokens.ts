import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { userDevices, type DevicePlatform } from '@/db/schema';

/**
 * Upserts an FCM token as in the spec (ON CONFLICT (token) DO UPDATE updated_at). A token
 * seen again under another account moves to that account: the device changed hands.
 */
export async function registerPushToken(
  db: DbOrTx,
  input: { userId: string; token: string; platform: DevicePlatform },
) {
  const [row] = await db
    .insert(userDevices)
    .values({ userId: input.userId, token: input.token, platform: input.platform })
    .onConflictDoUpdate({
      target: userDevices.token,
      set: { updatedAt: sql`CURRENT_TIMESTAMP`, userId: input.userId, platform: input.platform },
    })
    .returning({ id: userDevices.id, platform: userDevices.platform, updatedAt: userDevices.updatedAt });
  if (!row) throw new Error('Push token upsert returned nothing');
  return row;
}
