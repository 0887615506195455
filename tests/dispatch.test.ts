import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones, goods } from '@/db/schema';
import {
  applyDroneEvent,
  assignPendingOrders,
  claimAndAssignNext,
  collectParcels,
  transferToPickupCell,
} from '@/lib/dispatch/delivery-flow';
import { createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const OPTS = { minBattery: 30, offlineAfterMs: 30_000 };
// Red Square; drones placed at known distances north of it.
const AUTOMAT = { lat: 55.7558, lon: 37.6173 };

async function makeDrone(
  over: { battery?: number; lat?: number; lon?: number; seen?: boolean; status?: 'idle' | 'charging' } = {},
) {
  const [d] = await t.db
    .insert(drones)
    .values({
      model: 'Clover 4',
      ipAddress: '10.9.0.1',
      batteryLevel: over.battery ?? 90,
      status: over.status ?? 'idle',
    })
    .returning({ id: drones.id });
  if (over.seen !== false) {
    await recordTelemetry(t.db, {
      droneId: d!.id,
      readings: [
        { lat: over.lat ?? AUTOMAT.lat + 0.01, lon: over.lon ?? AUTOMAT.lon, battery_level: over.battery ?? 90 },
      ],
    });
  }
  return d!.id;
}

/** A pending order at a fresh automat, and that automat. */
async function pendingOrder(opts: { stock?: number; internal?: number } = {}) {
  const user = await makeUser(t.db);
  const good = await makeGood(t.db, { quantityAvailable: opts.stock ?? 5 });
  const automat = await makeAutomat(t.db, {
    coordinates: `${AUTOMAT.lat},${AUTOMAT.lon}`,
    external: [{ count: 3 }],
    internal: [{ count: opts.internal ?? 2 }],
  });
  const order = await createOrder(
    t.db,
    { userId: user.id, goodId: good.id, automatId: automat.id },
    { actor: { type: 'customer', id: user.id } },
  );
  return { user, good, automat, order };
}

async function status(orderId: string) {
  const [row] = await t.sql<{ order: string; drone: string | null; delivery: string | null }[]>`
    select o.status as order, dr.status as drone, d.status as delivery
    from orders o left join deliveries d
      on d.order_id = o.id and d.created_at = (select max(created_at) from deliveries where order_id = o.id)
    left join drones dr on dr.id = d.drone_id where o.id = ${orderId}`;
  return row;
}

// Each test works with its own drones and orders: earlier tests' idle drones are parked and
// their pending orders set aside (test setup only), so the oldest-first claim is deterministic.
async function parkOtherDrones() {
  await t.sql`update drones set status = 'maintenance' where status = 'idle'`;
  await t.sql`update orders set status = 'cancelled' where status = 'pending'`;
}

describe('assignment', () => {
  it('picks the nearest idle, charged, recently seen drone; ties go to the higher battery', async () => {
    await parkOtherDrones();
    const far = await makeDrone({ lat: AUTOMAT.lat + 0.05 });
    const nearLow = await makeDrone({ lat: AUTOMAT.lat + 0.01, battery: 60 });
    const nearHigh = await makeDrone({ lat: AUTOMAT.lat + 0.01, battery: 95 });
    await makeDrone({ lat: AUTOMAT.lat + 0.001, battery: 25 }); // nearest, but not charged enough
    await makeDrone({ lat: AUTOMAT.lat + 0.001, seen: false }); // never reported: offline
    const { order } = await pendingOrder();

    const outcome = await claimAndAssignNext(t.db, OPTS);
    expect(outcome).toMatchObject({ kind: 'assigned', orderId: order.id, droneId: nearHigh });
    expect(await status(order.id)).toEqual({ order: 'processing', drone: 'busy', delivery: 'assigned' });
    const events = await t.sql`select entity, event, from_status, to_status, details from delivery_events
      where order_id = ${order.id} order by id`;
    expect(events.map((e) => `${e.entity}:${e.event}:${e.from_status ?? ''}->${e.to_status}`)).toEqual([
      'order:created:->pending',
      'delivery:assigned:->assigned',
      'order:assigned:pending->processing',
    ]);
    expect(events[1]?.details).toMatchObject({
      drone_id: nearHigh,
      distance_m: expect.any(Number),
      reason: expect.stringContaining('30%'),
    });
    expect(Math.abs((events[1]?.details as { distance_m: number }).distance_m - 1112)).toBeLessThan(5);
    void far;
    void nearLow;
  });

  it('leaves the order pending when no drone qualifies, and does not spin', async () => {
    await parkOtherDrones();
    await makeDrone({ battery: 20 });
    const { order } = await pendingOrder();
    const outcomes = await assignPendingOrders(t.db, OPTS);
    expect(outcomes).toEqual([{ kind: 'skipped', orderId: order.id, reason: 'no_drone' }]);
    expect(await status(order.id)).toMatchObject({ order: 'pending', delivery: null });
    const cells = await t.sql`select status, count(*)::int as n from locker_cells_internal
      where post_id = (select parcel_automat_id from orders where id = ${order.id}) group by status`;
    expect(cells).toEqual([{ status: 'available', n: 2 }]); // rollback released the internal cell
  });

  it('skips an order whose locker has no free drop cell and serves the next one', async () => {
    await parkOtherDrones();
    await makeDrone();
    const blocked = await pendingOrder({ internal: 0 });
    const served = await pendingOrder();
    const outcomes = await assignPendingOrders(t.db, OPTS);
    expect(outcomes.map((o) => o.kind)).toEqual(['skipped', 'assigned']);
    expect(await status(blocked.order.id)).toMatchObject({ order: 'pending' });
    expect(await status(served.order.id)).toMatchObject({ order: 'processing' });
  });
});

describe('delivery lifecycle', () => {
  it('started -> dropped -> transfer -> collect, with cells and drone following', async () => {
    await parkOtherDrones();
    const drone = await makeDrone();
    const { order, automat, user } = await pendingOrder();
    const a = await claimAndAssignNext(t.db, OPTS);
    if (a.kind !== 'assigned') throw new Error('not assigned');

    expect(
      (await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'started' } })).status,
    ).toBe('in_progress');
    // Repeating the event that produced the current status is a no-op.
    expect(
      (await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'started' } })).status,
    ).toBe('in_progress');
    expect(
      (await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'dropped' } })).status,
    ).toBe('delivered');
    expect(await status(order.id)).toEqual({ order: 'processing', drone: 'idle', delivery: 'delivered' });
    const [internal] = await t.sql`select c.status from locker_cells_internal c
      join deliveries d on d.internal_locker_cell_id = c.id where d.id = ${a.deliveryId}`;
    expect(internal?.status).toBe('occupied');

    const moved = await transferToPickupCell(t.db, { automatId: automat.id, deliveryId: a.deliveryId });
    expect(moved).toEqual({ orderId: order.id, externalCellNumber: expect.any(Number) });
    expect(await status(order.id)).toMatchObject({ order: 'delivered', delivery: 'completed' });
    const [cells] = await t.sql`select
      (select c.status from locker_cells_internal c
        join deliveries d on d.internal_locker_cell_id = c.id where d.id = ${a.deliveryId}) as internal,
      (select c.status from locker_cells_out c
        join orders o on o.locker_cell_id = c.id where o.id = ${order.id}) as external,
      (select completed_at is not null from deliveries where id = ${a.deliveryId}) as completed`;
    expect(cells).toEqual({ internal: 'available', external: 'occupied', completed: true });
    const again = await rejection(transferToPickupCell(t.db, { automatId: automat.id, deliveryId: a.deliveryId }));
    expect([again.status, again.code]).toEqual([409, 'invalid_transition']);

    const opened = await collectParcels(t.db, { automatId: automat.id, userId: user.id });
    expect(opened).toEqual([{ cellNumber: moved.externalCellNumber, orderId: order.id }]);
    expect(await status(order.id)).toMatchObject({ order: 'completed' });
    const second = await rejection(collectParcels(t.db, { automatId: automat.id, userId: user.id }));
    expect([second.status, second.code]).toEqual([404, 'nothing_to_collect']);
    const [ext] = await t.sql`select c.status from locker_cells_out c
      join orders o on o.locker_cell_id = c.id where o.id = ${order.id}`;
    expect(ext?.status).toBe('available');
  });

  it('refuses invalid transitions (409) and another drone (403), changing nothing', async () => {
    await parkOtherDrones();
    const drone = await makeDrone();
    const other = await makeDrone();
    await t.db.update(drones).set({ status: 'maintenance' }).where(eq(drones.id, other));
    const { order } = await pendingOrder();
    const a = await claimAndAssignNext(t.db, OPTS);
    if (a.kind !== 'assigned') throw new Error('not assigned');
    const dropEarly = await rejection(
      applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'dropped' } }),
    );
    expect([dropEarly.status, dropEarly.code]).toEqual([409, 'invalid_transition']);
    const foreign = await rejection(
      applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: other, event: { type: 'started' } }),
    );
    expect([foreign.status, foreign.code]).toEqual([403, 'forbidden']);
    const missing = await rejection(
      applyDroneEvent(t.db, {
        deliveryId: '00000000-0000-4000-8000-000000000000',
        droneId: drone,
        event: { type: 'started' },
      }),
    );
    expect(missing.status).toBe(404);
    expect(await status(order.id)).toEqual({ order: 'processing', drone: 'busy', delivery: 'assigned' });
  });

  it('failed requeues the order for another drone; the third failure cancels it and restores stock', async () => {
    await parkOtherDrones();
    const { order, good } = await pendingOrder({ stock: 1 });
    const [before] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(before?.q).toBe(0);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const drone = await makeDrone();
      const a = await claimAndAssignNext(t.db, OPTS);
      if (a.kind !== 'assigned') throw new Error(`attempt ${attempt} not assigned`);
      expect(a.droneId).toBe(drone);
      await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'started' } });
      await applyDroneEvent(t.db, {
        deliveryId: a.deliveryId,
        droneId: drone,
        event: { type: 'failed', reason: `gust ${attempt}` },
      });
      // A repeated failure report is a no-op.
      await applyDroneEvent(t.db, {
        deliveryId: a.deliveryId,
        droneId: drone,
        event: { type: 'failed', reason: 'again' },
      });
      const s = await status(order.id);
      expect(s).toEqual({ order: attempt < 3 ? 'pending' : 'cancelled', drone: 'idle', delivery: 'failed' });
      await t.db.update(drones).set({ status: 'maintenance' }).where(eq(drones.id, drone));
    }
    const [after] = await t.db.select({ q: goods.quantityAvailable }).from(goods).where(eq(goods.id, good.id));
    expect(after?.q).toBe(1);
    const [cells] = await t.sql`select
      (select count(*)::int from locker_cells_out
        where post_id = (select parcel_automat_id from orders where id = ${order.id})
          and status <> 'available') as out_busy,
      (select count(*)::int from locker_cells_internal
        where post_id = (select parcel_automat_id from orders where id = ${order.id})
          and status <> 'available') as in_busy`;
    expect(cells).toEqual({ out_busy: 0, in_busy: 0 });
    const events =
      await t.sql`select event from delivery_events where order_id = ${order.id} and entity = 'order' order by id`;
    expect(events.map((e) => e.event)).toEqual([
      'created',
      'assigned',
      'requeued',
      'assigned',
      'requeued',
      'assigned',
      'cancelled',
    ]);
  });
});

describe('telemetry', () => {
  it('keeps every reading, and an out-of-order reading never moves the drone back in time', async () => {
    const drone = await makeDrone({ seen: false });
    const base = Date.parse('2026-11-24T10:00:00Z');
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    await recordTelemetry(t.db, {
      droneId: drone,
      readings: [
        { lat: 55.7, lon: 37.6, battery_level: 80, recorded_at: at(0) },
        { lat: 55.71, lon: 37.61, battery_level: 79, recorded_at: at(1), heading_deg: 90, speed_mps: 12 },
      ],
    });
    // late arrival
    await recordTelemetry(t.db, {
      droneId: drone,
      readings: [{ lat: 55.0, lon: 37.0, battery_level: 85, recorded_at: at(-10) }],
    });
    const [d] = await t.sql`select last_lat, last_lon, battery_level, heading_deg, speed_mps, position_recorded_at,
        last_seen_at is not null as seen
      from drones where id = ${drone}`;
    expect(d).toMatchObject({
      last_lat: 55.71,
      last_lon: 37.61,
      battery_level: '79.00',
      heading_deg: 90,
      speed_mps: 12,
      seen: true,
    });
    expect(new Date(d?.position_recorded_at as string).toISOString()).toBe(at(1));
    const [n] = await t.sql`select count(*)::int as n from drone_telemetry where drone_id = ${drone}`;
    expect(n?.n).toBe(3);
  });

  it('a drone on a delivery stays busy whatever it reports', async () => {
    await parkOtherDrones();
    const drone = await makeDrone();
    await pendingOrder();
    const a = await claimAndAssignNext(t.db, OPTS);
    expect(a).toMatchObject({ kind: 'assigned', droneId: drone });
    await recordTelemetry(t.db, {
      droneId: drone,
      readings: [{ lat: 55.75, lon: 37.6, battery_level: 70, status: 'charging' }],
    });
    const [d] = await t.db.select({ s: drones.status }).from(drones).where(eq(drones.id, drone));
    expect(d?.s).toBe('busy');
  });
});
