import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { parcelAutomats } from '../schema';

/** Public facts about a locker (its address is on the landing page anyway). */
export async function findAutomatPublic(db: DbOrTx, { id }: { id: string }) {
  const [row] = await db
    .select({ id: parcelAutomats.id, city: parcelAutomats.city, address: parcelAutomats.address, isWorking: parcelAutomats.isWorking })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.id, id));
  return row;
}
