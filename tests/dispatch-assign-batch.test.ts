import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createSql } from '@/db';
import { vacuumDrones } from '@/lib/dispatch/housekeeping';
import { assignPendingOrders, claimAndAssignBatch } from '@/lib/dispatch/delivery-flow';
import { NOTIFICATIONS_CHANNEL } from '@/lib/notifications/outbox';
import { createOrder } from '@/lib/orders/order-flow';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser, makeIdleDroneAt, parkDispatch } from './helpers/factories';
import { waitUntil } from './helpers/worker-process';

// dispatch_assign_batch (migration dispatch_assign_batch), the set-based assignment of a
// claimed batch: what it writes for orders with and without a pickup cell, what it refuses
// (bad input, an order that is no longer pending: nothing is written), and workers running
// it side by side on separate connections never giving an order, a drone or a cell twice.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const OPTS = { minBattery: 30, offlineAfterMs: 30_000 };

const park = () => parkDispatch(t.sql);
const droneAt = (lat: number, lon: number, battery = 90) => makeIdleDroneAt(t.db, { lat, lon, battery });

async function orderAt(automat: { id: string }, good?: { id: string }) {
  const user = await makeUser(t.db);
  const g = good ?? (await makeGood(t.db));
  return createOrder(
    t.db,
    { userId: user.id, goodId: g.id, automatId: automat.id },
    { actor: { type: 'customer', id: user.id } },
  );
}

/** Test setup only: the order gives its pickup cell back, as if it had never held one. */
async function withoutPickupCell(orderId: string) {
  await t.sql`update locker_cells_out set status = 'available'
    where id = (select locker_cell_id from orders where id = ${orderId})`;
  await t.sql`update orders set locker_cell_id = null where id = ${orderId}`;
}

async function counts() {
  const [c] = await t.sql<
    {
      deliveries: number;
      events: number;
      notifications: number;
      busy: number;
      reserved_in: number;
      reserved_out: number;
    }[]
  >`select
    (select count(*)::int from deliveries) as deliveries, (select count(*)::int from delivery_events) as events,
    (select count(*)::int from notifications) as notifications,
    (select count(*)::int from drones where status = 'busy') as busy,
    (select count(*)::int from locker_cells_internal where status = 'reserved') as reserved_in,
    (select count(*)::int from locker_cells_out where status = 'reserved') as reserved_out`;
  return c!;
}

describe('dispatch_assign_batch', () => {
  it('gives a cell-less order the smallest pickup cell its good fits; timeline in order, one NOTIFY each', async () => {
    await park();
    const automat = await makeAutomat(t.db, {
      coordinates: '55.7600,37.6200',
      internal: [{ count: 2 }],
      external: [
        { count: 1, height: 10, length: 10, width: 10 },
        { count: 1, height: 80, length: 80, width: 80 },
        { count: 1, height: 30, length: 40, width: 35 },
        { count: 1 },
      ],
    });
    const good = await makeGood(t.db, { height: 25, length: 15, width: 30 });
    const drone = await droneAt(55.761, 37.62);
    const order = await orderAt(automat, good);
    await withoutPickupCell(order.id);
    const woken: string[] = [];
    const listening = await t.sql.listen(NOTIFICATIONS_CHANNEL, (payload) => woken.push(payload));
    try {
      const [outcome] = await claimAndAssignBatch(t.db, { ...OPTS, limit: 5 });
      expect(outcome).toMatchObject({ kind: 'assigned', orderId: order.id, droneId: drone });
      const [row] =
        await t.sql`select o.status, c.height::int as h, c.length::int as l, c.width::int as w, c.status as cell,
          c.cell_number
        from orders o join locker_cells_out c on c.id = o.locker_cell_id where o.id = ${order.id}`;
      // 30 x 40 x 35 (cell 3) is the smallest that fits 25 x 15 x 30 turned; cell 4 is as big, numbered later.
      expect(row).toEqual({ status: 'processing', h: 30, l: 40, w: 35, cell: 'reserved', cell_number: 3 });
      const events = await t.sql`select entity, event, from_status, to_status, actor_type, details from delivery_events
        where order_id = ${order.id} and event = 'assigned' order by id`;
      expect(events.map((e) => [e.entity, e.from_status, e.to_status, e.actor_type])).toEqual([
        ['delivery', null, 'assigned', 'worker'],
        ['order', 'pending', 'processing', 'worker'],
      ]);
      // Cell numbers run on from the pickup cells (1-4) in the factory: the first drop cell is 5.
      expect(events[0]!.details).toMatchObject({
        drone_id: drone,
        battery_level: 90,
        internal_cell_number: 5,
        distance_m: expect.any(Number),
      });
      expect(events[0]!.details.distance_m).toBeGreaterThan(100);
      expect(events[0]!.details.distance_m).toBeLessThan(130);
      const [n] = await t.sql`select id, title, data, dedupe_key from notifications where order_id = ${order.id}`;
      expect(n).toMatchObject({
        title: 'A drone took your order',
        data: { order_id: order.id, link: `/orders/${order.id}` },
      });
      expect(n!.dedupe_key).toBe(
        `order_assigned:${order.id}:${outcome!.kind === 'assigned' ? outcome!.deliveryId : ''}`,
      );
      await waitUntil(() => woken.includes(n!.id as string), {
        ms: 5_000,
        what: 'the NOTIFY of the assignment notification',
      });
    } finally {
      await listening.unlisten();
    }
  });

  it('an order whose good fits no free pickup cell is skipped; its drone and drop cell go to the next', async () => {
    await park();
    const automat = await makeAutomat(t.db, {
      coordinates: '55.7600,37.6200',
      internal: [{ count: 1 }],
      external: [{ count: 3, height: 10, length: 10, width: 10 }],
    });
    const big = await makeGood(t.db, { height: 50, length: 50, width: 50 });
    const drone = await droneAt(55.761, 37.62);
    // Ordered while it fitted; the good's size was corrected afterwards (test setup).
    const tooBig = await orderAt(automat, await makeGood(t.db, { height: 5, length: 5, width: 5 }));
    await t.sql`update orders set good_id = ${big.id} where id = ${tooBig.id}`;
    await withoutPickupCell(tooBig.id);
    const small = await orderAt(automat, await makeGood(t.db, { height: 5, length: 5, width: 5 }));
    const outcomes = await claimAndAssignBatch(t.db, { ...OPTS, limit: 5 });
    expect(outcomes).toEqual([
      { kind: 'skipped', orderId: tooBig.id, reason: 'no_external_cell' },
      expect.objectContaining({ kind: 'assigned', orderId: small.id, droneId: drone }),
    ]);
    const [state] = await t.sql`select status, locker_cell_id from orders where id = ${tooBig.id}`;
    expect(state).toEqual({ status: 'pending', locker_cell_id: null });
  });

  it('drones at one spot go by battery, then id, within one batch; a nearer drone still wins', async () => {
    await park();
    const automat = await makeAutomat(t.db, { coordinates: '55.7600,37.6200', internal: [{ count: 5 }] });
    const parked = [
      await droneAt(55.765, 37.62, 70),
      await droneAt(55.765, 37.62, 70),
      await droneAt(55.765, 37.62, 95),
      await droneAt(55.765, 37.62, 40),
    ];
    const near = await droneAt(55.7601, 37.62, 35);
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push((await orderAt(automat)).id);
    const outcomes = await claimAndAssignBatch(t.db, { ...OPTS, limit: 5 });
    const [b95, b70a, b70b, b40] = [parked[2]!, ...[parked[0]!, parked[1]!].sort(), parked[3]!];
    expect(outcomes.map((o) => (o.kind === 'assigned' ? [o.orderId, o.droneId] : o.kind))).toEqual([
      [orders[0], near],
      [orders[1], b95],
      [orders[2], b70a],
      [orders[3], b70b],
      [orders[4], b40],
    ]);
  });

  it('passes over an idle drone that still has an active delivery (a drone is never on two)', async () => {
    await park();
    const automat = await makeAutomat(t.db, { coordinates: '55.7600,37.6200', internal: [{ count: 3 }] });
    const stale = await droneAt(55.7601, 37.62);
    const next = await droneAt(55.77, 37.62);
    const first = await orderAt(automat);
    const [a] = await claimAndAssignBatch(t.db, { ...OPTS, limit: 1 });
    expect(a).toMatchObject({ kind: 'assigned', orderId: first.id, droneId: stale });
    // The drone reports idle while its delivery is still assigned (e.g. an operator's mistake).
    await t.sql`update drones set status = 'idle' where id = ${stale}`;
    const second = await orderAt(automat);
    const [b] = await claimAndAssignBatch(t.db, { ...OPTS, limit: 1 });
    expect(b).toMatchObject({ kind: 'assigned', orderId: second.id, droneId: next });
  });

  it('refuses bad input and an order that is no longer pending, writing nothing', async () => {
    await park();
    const automat = await makeAutomat(t.db, { coordinates: '55.7600,37.6200', internal: [{ count: 2 }] });
    await droneAt(55.761, 37.62);
    const order = await orderAt(automat);
    const before = await counts();
    const call = (orders: unknown, minBattery: unknown = 30) =>
      t.sql`select * from dispatch_assign_batch(
        ${JSON.stringify(orders)}::jsonb, ${minBattery as number}::numeric,
        now() - interval '1 minute', now(), 'test', ${NOTIFICATIONS_CHANNEL})`;
    const entry = {
      n: 0,
      order_id: order.id,
      automat_id: automat.id,
      pickup_cell_id: order.lockerCellId,
      lat: 55.76,
      lon: 37.62,
      height: 10,
      length: 20,
      width: 15,
      delivery_id: randomUUID(),
      user_id: order.userId,
      title: 'A drone took your order',
      body: 'On its way.',
      data: { order_id: order.id, link: `/orders/${order.id}` },
    };
    // Not a list of orders; a field of the wrong type; a missing delivery id.
    await expect(call({ not: 'a list' })).rejects.toThrow();
    await expect(call([{ ...entry, lat: 'north' }])).rejects.toThrow();
    await expect(call([{ ...entry, delivery_id: null }])).rejects.toThrow();
    // The order was cancelled after it was read: the whole call rolls back.
    await t.sql`update orders set status = 'cancelled' where id = ${order.id}`;
    await expect(call([entry])).rejects.toThrow(/orders were still pending/);
    expect(await counts()).toEqual(before);
    await t.sql`update orders set status = 'pending' where id = ${order.id}`;
    // An empty batch is a no-op.
    expect(await call([])).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('workers on separate connections, claiming at once, never give an order, drone or cell twice', async () => {
    await park();
    const automats = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        makeAutomat(t.db, { coordinates: `55.7${i}00,37.6000`, internal: [{ count: 12 }], external: [{ count: 15 }] }),
      ),
    );
    const droneIds: string[] = [];
    // All drones in one spot (equal distances, so ties are decided by battery, then id) plus a spread.
    for (let i = 0; i < 10; i++) droneIds.push(await droneAt(55.73, 37.6, 50 + i));
    for (let i = 0; i < 30; i++) droneIds.push(await droneAt(55.69 + (i % 6) * 0.01, 37.58 + Math.floor(i / 6) * 0.01));
    const orderIds: string[] = [];
    for (let i = 0; i < 52; i++) {
      const o = await orderAt(automats[i % 4]!);
      orderIds.push(o.id);
      if (i % 5 === 0) await withoutPickupCell(o.id);
    }
    const workers = Array.from({ length: 4 }, () => createSql(t.url, 2));
    try {
      const results = await Promise.all(
        workers.map((s) => assignPendingOrders(createDb(s), { ...OPTS, max: 100, batch: 7 })),
      );
      const assigned = results.flat().filter((o) => o.kind === 'assigned');
      expect(assigned).toHaveLength(40);
      expect(new Set(assigned.map((o) => o.orderId)).size).toBe(40);
      expect(new Set(assigned.map((o) => (o.kind === 'assigned' ? o.droneId : ''))).size).toBe(40);
      const [c] = await t.sql`select
        (select count(*)::int from deliveries where order_id in ${t.sql(orderIds)}) as deliveries,
        (select count(distinct internal_locker_cell_id)::int from deliveries
          where order_id in ${t.sql(orderIds)}) as drop_cells,
        (select count(locker_cell_id)::int from orders
          where id in ${t.sql(orderIds)} and status in ('pending', 'processing')) as held,
        (select count(distinct locker_cell_id)::int from orders
          where id in ${t.sql(orderIds)} and status in ('pending', 'processing')) as pickup_cells,
        (select count(*)::int from orders
          where id in ${t.sql(orderIds)} and status = 'processing' and locker_cell_id is null)
          as processing_without_cell,
        (select count(*)::int from orders where id in ${t.sql(orderIds)} and status = 'processing') as processing,
        (select count(*)::int from orders where id in ${t.sql(orderIds)} and status = 'pending') as pending,
        (select count(*)::int from drones where id in ${t.sql(droneIds)} and status = 'busy') as busy,
        (select count(*)::int from locker_cells_out c
          where c.status = 'reserved' and c.post_id in ${t.sql(automats.map((a) => a.id))}) as reserved_out,
        (select count(*)::int from delivery_events
          where order_id in ${t.sql(orderIds)} and event = 'assigned') as events,
        (select count(*)::int from notifications
          where order_id in ${t.sql(orderIds)} and kind = 'order_assigned') as notified`;
      expect(c).toMatchObject({
        deliveries: 40,
        drop_cells: 40,
        processing: 40,
        processing_without_cell: 0,
        pending: 12,
        busy: 40,
        events: 80,
        notified: 40,
      });
      // No pickup cell is held twice, and every held one is reserved.
      expect(c!.pickup_cells).toBe(c!.held);
      expect(c!.reserved_out).toBe(c!.held);
    } finally {
      await Promise.all(workers.map((s) => s.end()));
    }
  });
});

describe('assignPendingOrders afterBatch and vacuumDrones', () => {
  it('runs afterBatch between committed batches, and the vacuum of drones never waits for another one', async () => {
    await park();
    const automat = await makeAutomat(t.db, { coordinates: '55.7600,37.6200', internal: [{ count: 6 }] });
    for (let i = 0; i < 5; i++) await droneAt(55.761 + i * 0.001, 37.62);
    for (let i = 0; i < 5; i++) await orderAt(automat);
    const seen: number[] = [];
    const results = await assignPendingOrders(t.db, {
      ...OPTS,
      batch: 2,
      afterBatch: async () => {
        // Called after a commit: what the batch wrote is visible from another connection.
        const [{ n }] = (await t.sql`select count(*)::int as n from deliveries
          where parcel_automat_id = ${automat.id}`) as unknown as [{ n: number }];
        seen.push(n);
        await vacuumDrones(t.db);
      },
    });
    expect(results.filter((o) => o.kind === 'assigned')).toHaveLength(5);
    // Batches of 2, 2, 1, then one that finds nothing pending (idle): afterBatch after each of the first three.
    expect(seen).toEqual([2, 4, 5]);

    // Another session holds the lock VACUUM needs: vacuumDrones skips the table at once.
    const other = createSql(t.url, 1);
    try {
      await other.begin(async (tx) => {
        await tx`lock table drones in share update exclusive mode`;
        const started = Date.now();
        await vacuumDrones(t.db);
        expect(Date.now() - started).toBeLessThan(2_000);
      });
    } finally {
      await other.end();
    }
  });
});
