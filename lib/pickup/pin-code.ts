import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Tx } from '@/db';
import { orders } from '@/db/schema';
import { constraintName, sqlState } from '@/lib/errors';

// The 6-digit pickup PIN, the typed alternative to the QR code that parcel lockers offer. One
// PIN per waiting parcel, valid only at that parcel's locker and unique among the parcels
// waiting there (uq_orders_pickup_pin_waiting); the pickup spends it (lib/dispatch/delivery-flow.ts
// clears it with the order's completion). Typing one at the kiosk: lib/pickup/pin.ts.

const UNIQUE_INDEX = 'uq_orders_pickup_pin_waiting';
/** With a handful of parcels per locker a collision is rare; 20 in a row means something is wrong. */
const MAX_TRIES = 20;

/** Six digits from the CSPRNG, leading zeros kept. */
export function generatePickupPin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Gives a parcel that just became ready (status delivered) its PIN, inside the caller's
 * transaction. Each try runs in a savepoint, so a PIN already taken at this locker (the unique
 * index, also against a parcel made ready at the same moment in another transaction) only
 * costs another draw.
 */
export async function assignPickupPin(
  tx: Tx,
  orderId: string,
  generate: () => string = generatePickupPin,
): Promise<string> {
  for (let i = 0; i < MAX_TRIES; i++) {
    const pin = generate();
    try {
      await tx.transaction(async (sp) => {
        await sp.update(orders).set({ pickupPin: pin }).where(eq(orders.id, orderId));
      });
      return pin;
    } catch (err) {
      if (sqlState(err) !== '23505' || constraintName(err) !== UNIQUE_INDEX) throw err;
    }
  }
  throw new Error(`No free pickup PIN after ${MAX_TRIES} tries for order ${orderId}`);
}
