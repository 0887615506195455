import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAndAssignBatch } from '@/lib/dispatch/delivery-flow';
import { createOrder } from '@/lib/orders/order-flow';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser, makeIdleDroneAt, parkDispatch } from './helpers/factories';

// Several orders claimed and assigned in one transaction (the worker's batch), and batches
// running side by side: each order gets the drone nearest to it among those still free, an
// order that cannot be served writes nothing, and no drone or cell is ever used twice.

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

async function orderAt(automat: { id: string }) {
  const user = await makeUser(t.db);
  const good = await makeGood(t.db);
  return createOrder(
    t.db,
    { userId: user.id, goodId: good.id, automatId: automat.id },
    { actor: { type: 'customer', id: user.id } },
  );
}

describe('claimAndAssignBatch', () => {
  it('assigns a batch oldest first, each order to the nearest drone still free, with all its rows', async () => {
    await park();
    const north = await makeAutomat(t.db, { coordinates: '55.8000,37.6000', internal: [{ count: 2 }] });
    const south = await makeAutomat(t.db, { coordinates: '55.7000,37.6000', internal: [{ count: 2 }] });
    const nearNorth = await droneAt(55.801, 37.6);
    const nearSouth = await droneAt(55.701, 37.6);
    const middle = await droneAt(55.75, 37.6);
    const o1 = await orderAt(north);
    const o2 = await orderAt(south);
    const o3 = await orderAt(north);

    const outcomes = await claimAndAssignBatch(t.db, { ...OPTS, limit: 10 });
    expect(outcomes.map((o) => (o.kind === 'assigned' ? [o.orderId, o.droneId] : o.kind))).toEqual([
      [o1.id, nearNorth],
      [o2.id, nearSouth],
      [o3.id, middle], // the north drone is taken by the first order of the same batch
    ]);
    const rows = await t.sql`
      select o.id, o.status, d.status as delivery, dr.status as drone, c.status as cell, c.cell_number,
        (select count(*)::int from delivery_events e where e.delivery_id = d.id and e.event = 'assigned') as events,
        (select count(*)::int from notifications n
          where n.order_id = o.id and n.kind = 'order_assigned'
            and n.dedupe_key = 'order_assigned:' || o.id || ':' || d.id) as notified
      from orders o join deliveries d on d.order_id = o.id join drones dr on dr.id = d.drone_id
        join locker_cells_internal c on c.id = d.internal_locker_cell_id
      where o.id in ${t.sql([o1.id, o2.id, o3.id])} order by o.created_at`;
    expect(rows.map((r) => [r.status, r.delivery, r.drone, r.cell, r.events, r.notified])).toEqual([
      ['processing', 'assigned', 'busy', 'reserved', 2, 1],
      ['processing', 'assigned', 'busy', 'reserved', 2, 1],
      ['processing', 'assigned', 'busy', 'reserved', 2, 1],
    ]);
    // The two north orders hold the locker's two drop cells, lowest number first.
    const northCells =
      await t.sql`select cell_number from locker_cells_internal where post_id = ${north.id} order by cell_number`;
    expect(northCells).toHaveLength(2);
    expect(rows.filter((r) => r.id !== o2.id).map((r) => r.cell_number)).toEqual(northCells.map((c) => c.cell_number));
  });

  it('an order that cannot be served in the middle of a batch writes nothing; the others commit', async () => {
    await park();
    const full = await makeAutomat(t.db, { coordinates: '55.7558,37.6173', internal: [{ count: 0 }] });
    const open = await makeAutomat(t.db, { coordinates: '55.7558,37.6173', internal: [{ count: 3 }] });
    await droneAt(55.76, 37.62);
    await droneAt(55.77, 37.62);
    const a = await orderAt(open);
    const blocked = await orderAt(full);
    const b = await orderAt(open);

    const outcomes = await claimAndAssignBatch(t.db, { ...OPTS, limit: 10 });
    expect(outcomes.map((o) => [o.kind, 'orderId' in o ? o.orderId : null])).toEqual([
      ['assigned', a.id],
      ['skipped', blocked.id],
      ['assigned', b.id],
    ]);
    expect(outcomes[1]).toMatchObject({ reason: 'no_internal_cell' });
    const [state] =
      await t.sql`select o.status, (select count(*)::int from deliveries where order_id = o.id) as deliveries,
      (select count(*)::int from delivery_events where order_id = o.id) as events,
      (select count(*)::int from notifications where order_id = o.id) as notifications
      from orders o where o.id = ${blocked.id}`;
    expect(state).toEqual({ status: 'pending', deliveries: 0, events: 1, notifications: 0 });
    const [busy] = await t.sql`select count(*)::int as n from drones
      where status = 'busy' and id in (select drone_id from deliveries where order_id in ${t.sql([a.id, b.id])})`;
    expect(busy?.n).toBe(2);
  });

  it('concurrent batches never share an order, a drone or a cell, and use every free drone', async () => {
    await park();
    const automats = await Promise.all(
      [0, 1, 2].map((i) =>
        makeAutomat(t.db, { coordinates: `55.75${i}0,37.6000`, internal: [{ count: 20 }], external: [{ count: 20 }] }),
      ),
    );
    for (let i = 0; i < 40; i++) await droneAt(55.74 + (i % 8) * 0.004, 37.59 + Math.floor(i / 8) * 0.004);
    const ids: string[] = [];
    for (let i = 0; i < 45; i++) ids.push((await orderAt(automats[i % 3]!)).id);

    const batches = await Promise.all(
      Array.from({ length: 4 }, () => claimAndAssignBatch(t.db, { ...OPTS, limit: 15 })),
    );
    const assigned = batches.flat().filter((o) => o.kind === 'assigned');
    const [counts] = await t.sql`select
      (select count(*)::int from deliveries where order_id in ${t.sql(ids)}) as deliveries,
      (select count(distinct drone_id)::int from deliveries where order_id in ${t.sql(ids)}) as drones,
      (select count(distinct internal_locker_cell_id)::int from deliveries where order_id in ${t.sql(ids)}) as cells,
      (select count(distinct order_id)::int from deliveries where order_id in ${t.sql(ids)}) as orders,
      (select count(*)::int from orders where id in ${t.sql(ids)} and status = 'processing') as processing`;
    expect(counts).toEqual({
      deliveries: assigned.length,
      drones: assigned.length,
      cells: assigned.length,
      orders: assigned.length,
      processing: assigned.length,
    });
    // 40 drones for 45 orders: every drone ends up on exactly one order across the batches.
    expect(assigned.length).toBe(40);
    expect(new Set(assigned.map((o) => (o.kind === 'assigned' ? o.droneId : ''))).size).toBe(40);
  });
});
