import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockerCellsOut, orders } from '@/db/schema';
import { applyDroneEvent, assignOrder, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { createOrder } from '@/lib/orders/order-flow';
import { scanPickupCode } from '@/lib/pickup/collect';
import { PIN_RATE_LIMIT, scanPickupPin } from '@/lib/pickup/pin';
import { assignPickupPin, generatePickupPin } from '@/lib/pickup/pin-code';
import { issuePickupCode } from '@/lib/pickup/token';
import { scanSchema } from '@/lib/validation/device-api';
import { rejection } from './helpers/assert';
import { createTestDatabase, pgErrorOf, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeIdleDroneAt, makeUser } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const SECRET = Buffer.from('test-pickup-secret-0123456789abcdef');

/** A parcel waiting in a pickup cell with its PIN, made ready as the locker would (shortcut). */
async function waitingParcel(userId: string, automatId: string, generate?: () => string) {
  const good = await makeGood(t.db);
  const order = await createOrder(
    t.db,
    { userId, goodId: good.id, automatId },
    { actor: { type: 'customer', id: userId }, opts: { maxOpenOrders: 100 } },
  );
  await t.sql`update locker_cells_out set status = 'occupied' where id = ${order.lockerCellId}`;
  await t.sql`update orders set status = 'delivered' where id = ${order.id}`;
  const pin = await t.db.transaction((tx) => assignPickupPin(tx, order.id, generate));
  return { orderId: order.id, cellId: order.lockerCellId!, pin };
}

async function orderRow(id: string) {
  const [o] = await t.db
    .select({ status: orders.status, pin: orders.pickupPin, cellStatus: lockerCellsOut.status })
    .from(orders)
    .leftJoin(lockerCellsOut, eq(lockerCellsOut.id, orders.lockerCellId))
    .where(eq(orders.id, id));
  return o!;
}

/** A wrong PIN for this locker: any six digits that no parcel waiting there holds. */
const wrongPin = (taken: string[], seed: number) => {
  for (let n = seed; ; n++) {
    const pin = String(n % 1_000_000).padStart(6, '0');
    if (!taken.includes(pin)) return pin;
  }
};

describe('pickup PIN: issue', () => {
  it('is six digits from the CSPRNG, leading zeros kept, spread over the range', () => {
    const pins = Array.from({ length: 3000 }, generatePickupPin);
    for (const p of pins) expect(p).toMatch(/^[0-9]{6}$/);
    expect(new Set(pins).size).toBeGreaterThan(2980);
    expect(pins.some((p) => p.startsWith('0'))).toBe(true);
    expect(new Set(pins.map((p) => p[0])).size).toBe(10);
  });

  it('the locker’s transfer gives the ready parcel a PIN, and the "ready" notification carries it', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db, { coordinates: '55.7,37.6' });
    const good = await makeGood(t.db);
    await makeIdleDroneAt(t.db, { lat: 55.7, lon: 37.6 });
    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    const a = await assignOrder(t.db, order.id, { minBattery: 30, offlineAfterMs: 60_000 });
    if (a.kind !== 'assigned') throw new Error(`not assigned: ${JSON.stringify(a)}`);
    await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'started' } });
    await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'dropped' } });
    expect((await orderRow(order.id)).pin).toBeNull(); // not before the parcel is in its pickup cell
    await transferToPickupCell(t.db, { automatId: automat.id, deliveryId: a.deliveryId });
    const { pin, status } = await orderRow(order.id);
    expect(status).toBe('delivered');
    expect(pin).toMatch(/^[0-9]{6}$/);
    const [ready] = await t.sql<
      { body: string }[]
    >`select body from notifications where order_id = ${order.id} and kind = 'order_ready'`;
    expect(ready?.body).toContain(`type PIN ${pin} on its keypad`);
  });

  it('unique among the parcels waiting at one locker: a PIN already taken there is drawn again', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const other = await makeAutomat(t.db);
    const first = await waitingParcel(user.id, automat.id, () => '424242');
    // The same PIN at another locker is fine.
    expect((await waitingParcel(user.id, other.id, () => '424242')).pin).toBe('424242');
    const draws = ['424242', '424242', '135799'];
    const second = await waitingParcel(user.id, automat.id, () => draws.shift()!);
    expect(second.pin).toBe('135799');
    expect(draws).toEqual([]);
    expect(first.pin).toBe('424242');
  });

  it('gives up (and rolls back) when every draw is taken, instead of looping forever', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    await waitingParcel(user.id, automat.id, () => '555555');
    const blocked = await waitingParcel(user.id, automat.id, () => '555556');
    const failed = await t.db
      .transaction((tx) => assignPickupPin(tx, blocked.orderId, () => '555555'))
      .then(
        () => 'assigned',
        (e: Error) => e.message,
      );
    expect(failed).toMatch(/No free pickup PIN after 20 tries/);
    expect((await orderRow(blocked.orderId)).pin).toBe('555556');
  });

  it('the database enforces it: one PIN per locker among waiting parcels, six digits, only while waiting', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const a = await waitingParcel(user.id, automat.id);
    const b = await waitingParcel(user.id, automat.id);
    expect(
      await pgErrorOf(() => t.db.update(orders).set({ pickupPin: a.pin }).where(eq(orders.id, b.orderId))),
    ).toEqual({ code: '23505', constraint: 'uq_orders_pickup_pin_waiting' });
    expect(
      await pgErrorOf(() => t.db.update(orders).set({ pickupPin: '12345' }).where(eq(orders.id, b.orderId))),
    ).toEqual({ code: '23514', constraint: 'orders_pickup_pin_check' });
    expect(
      await pgErrorOf(() => t.db.update(orders).set({ status: 'completed' }).where(eq(orders.id, b.orderId))),
    ).toEqual({ code: '23514', constraint: 'orders_pickup_pin_check' });
  });
});

describe('pickup PIN: at the kiosk', () => {
  it('opens that one parcel only, at its own locker, and the pickup spends it', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const elsewhere = await makeAutomat(t.db);
    const now = new Date('2026-11-28T09:00:00Z');
    const one = await waitingParcel(user.id, automat.id);
    const two = await waitingParcel(user.id, automat.id);

    const atOtherLocker = await rejection(scanPickupPin(t.db, { automatId: elsewhere.id, pin: one.pin }, { now }));
    expect([atOtherLocker.status, atOtherLocker.code]).toEqual([403, 'invalid_pin']);

    const opened = await scanPickupPin(t.db, { automatId: automat.id, pin: one.pin }, { now });
    expect(opened.map((o) => o.orderId)).toEqual([one.orderId]);
    expect(await orderRow(one.orderId)).toEqual({ status: 'completed', pin: null, cellStatus: 'available' });
    expect(await orderRow(two.orderId)).toMatchObject({ status: 'delivered', pin: two.pin, cellStatus: 'occupied' });
    const [collected] = await t.sql<
      { details: { method?: string } }[]
    >`select details from delivery_events where order_id = ${one.orderId} and event = 'collected'`;
    expect(collected?.details.method).toBe('pin');

    const again = await rejection(scanPickupPin(t.db, { automatId: automat.id, pin: one.pin }, { now }));
    expect([again.status, again.code]).toEqual([403, 'invalid_pin']);
    // A QR pickup spends the PINs of what it opens too.
    const code = await issuePickupCode(t.db, user.id, { now, secret: SECRET });
    await scanPickupCode(t.db, { automatId: automat.id, qr: code.token }, { now, secret: SECRET });
    expect(await orderRow(two.orderId)).toEqual({ status: 'completed', pin: null, cellStatus: 'available' });
    expect((await rejection(scanPickupPin(t.db, { automatId: automat.id, pin: two.pin }, { now }))).code).toBe(
      'invalid_pin',
    );
  });

  it('the same PIN typed at two kiosks at once opens the cell once', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const p = await waitingParcel(user.id, automat.id);
    const now = new Date('2026-11-28T09:30:00Z');
    const results = await Promise.allSettled([
      scanPickupPin(t.db, { automatId: automat.id, pin: p.pin }, { now }),
      scanPickupPin(t.db, { automatId: automat.id, pin: p.pin }, { now }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('invalid_pin');
  });

  it('5 bad PINs a minute per locker, then 429 + Retry-After even for right PINs (uncounted); others ok', async () => {
    const user = await makeUser(t.db);
    const busy = await makeAutomat(t.db);
    const other = await makeAutomat(t.db);
    const parcels = await Promise.all([1, 2, 3].map(() => waitingParcel(user.id, busy.id)));
    const elsewhere = await waitingParcel(user.id, other.id);
    const now = new Date('2026-11-28T10:00:10Z');
    const taken = parcels.map((p) => p.pin);
    // Two right PINs first: given back, they leave all 5 tries for the wrong ones.
    await scanPickupPin(t.db, { automatId: busy.id, pin: parcels[0]!.pin }, { now });
    await scanPickupPin(t.db, { automatId: busy.id, pin: parcels[1]!.pin }, { now });
    for (let i = 0; i < PIN_RATE_LIMIT.limit; i++) {
      expect(
        (
          await rejection(
            scanPickupPin(t.db, { automatId: busy.id, pin: wrongPin(taken, 100_000 + i * 7919) }, { now }),
          )
        ).code,
      ).toBe('invalid_pin');
    }
    const refused = await rejection(scanPickupPin(t.db, { automatId: busy.id, pin: parcels[2]!.pin }, { now }));
    expect([refused.status, refused.code, refused.headers?.['Retry-After']]).toEqual([429, 'rate_limited', '50']);
    expect(await orderRow(parcels[2]!.orderId)).toMatchObject({ status: 'delivered', pin: parcels[2]!.pin });
    expect(await scanPickupPin(t.db, { automatId: other.id, pin: elsewhere.pin }, { now })).toHaveLength(1);
    // The next minute the right PIN works.
    expect(
      await scanPickupPin(
        t.db,
        { automatId: busy.id, pin: parcels[2]!.pin },
        { now: new Date('2026-11-28T10:01:00Z') },
      ),
    ).toHaveLength(1);
  });

  it('12 guesses at once: at most 5 are checked, the rest are 429', async () => {
    const user = await makeUser(t.db);
    const automat = await makeAutomat(t.db);
    const p = await waitingParcel(user.id, automat.id);
    const now = new Date('2026-11-28T11:00:00Z');
    const errors = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        rejection(scanPickupPin(t.db, { automatId: automat.id, pin: wrongPin([p.pin], 200_000 + i) }, { now })),
      ),
    );
    expect(errors.filter((e) => e.code === 'invalid_pin')).toHaveLength(PIN_RATE_LIMIT.limit);
    expect(errors.filter((e) => e.code === 'rate_limited')).toHaveLength(12 - PIN_RATE_LIMIT.limit);
    expect(await orderRow(p.orderId)).toMatchObject({ status: 'delivered', pin: p.pin });
  });

  it('the scan body takes qr or pin (six digits, as a string), never both and never neither', () => {
    expect(scanSchema.parse({ pin: '012345' })).toEqual({ pin: '012345' });
    expect(scanSchema.parse({ qr: 'SP2.x' })).toEqual({ qr: 'SP2.x' });
    for (const bad of [
      {},
      { pin: 12345 },
      { pin: '12345' },
      { pin: '1234567' },
      { pin: '12345a' },
      { pin: ' 123456' },
      { pin: null },
      { qr: 'SP2.x', pin: '012345' },
      { qr: '' },
    ]) {
      expect(scanSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
