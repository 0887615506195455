import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones } from '@/db/schema';
import { cancelOrderAsAdmin, forcePickupAsAdmin, retryDeliveryAsAdmin } from '@/lib/admin/orders';
import { applyDroneEvent, assignOrder, collectParcels, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { getOrderForUser } from '@/db/queries/orders';
import { orderDetailJson } from '@/lib/orders/present';
import { recordTelemetry } from '@/lib/telemetry/record';
import { adminForcePickupSchema, adminRetryDeliverySchema } from '@/lib/validation/admin-orders';
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

const OPTS = { minBattery: 30, offlineAfterMs: 60_000 };
const AUTOMAT = { lat: 55.7558, lon: 37.6173 };
const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });

async function admin() {
  return (await makeUser(t.db, { role: 'admin' })).id;
}

/** An idle drone near the automat that reported just now; earlier tests' idle drones are parked first. */
async function onlyDrone() {
  await t.sql`update drones set status = 'maintenance' where status = 'idle'`;
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Clover 4', ipAddress: '10.9.0.1', batteryLevel: 90, status: 'idle' })
    .returning({ id: drones.id });
  await recordTelemetry(t.db, {
    droneId: d!.id,
    readings: [{ lat: AUTOMAT.lat + 0.01, lon: AUTOMAT.lon, battery_level: 90 }],
  });
  return d!.id;
}

async function pendingOrder(opts: { stock?: number; external?: number } = {}) {
  const user = await makeUser(t.db);
  const good = await makeGood(t.db, { quantityAvailable: opts.stock ?? 5 });
  const automat = await makeAutomat(t.db, {
    coordinates: `${AUTOMAT.lat},${AUTOMAT.lon}`,
    external: [{ count: opts.external ?? 3 }],
    internal: [{ count: 2 }],
  });
  const order = await createOrder(
    t.db,
    { userId: user.id, goodId: good.id, automatId: automat.id },
    { actor: { type: 'customer', id: user.id } },
  );
  return { user, good, automat, order };
}

async function assign(orderId: string, drone: string) {
  const a = await assignOrder(t.db, orderId, OPTS);
  if (a.kind !== 'assigned' || a.droneId !== drone)
    throw new Error(`not assigned to the expected drone: ${JSON.stringify(a)}`);
  return a.deliveryId;
}

/** One delivery attempt that the drone reports as failed. */
async function failAttempt(orderId: string, drone: string, reason: string) {
  const deliveryId = await assign(orderId, drone);
  await applyDroneEvent(t.db, { deliveryId, droneId: drone, event: { type: 'started' } });
  await applyDroneEvent(t.db, { deliveryId, droneId: drone, event: { type: 'failed', reason } });
  return deliveryId;
}

/** Delivered into the pickup cell, waiting for the customer. */
async function deliveredOrder() {
  const drone = await onlyDrone();
  const p = await pendingOrder();
  const deliveryId = await assign(p.order.id, drone);
  await applyDroneEvent(t.db, { deliveryId, droneId: drone, event: { type: 'started' } });
  await applyDroneEvent(t.db, { deliveryId, droneId: drone, event: { type: 'dropped' } });
  const moved = await transferToPickupCell(t.db, { automatId: p.automat.id, deliveryId });
  return { ...p, drone, deliveryId, cellNumber: moved.externalCellNumber };
}

/** Three failed attempts: the system cancels the order, restoring stock and the cell. */
async function systemCancelledOrder(opts: { stock?: number } = {}) {
  const drone = await onlyDrone();
  const p = await pendingOrder(opts);
  for (let i = 1; i <= 3; i++) await failAttempt(p.order.id, drone, `gust ${i}`);
  return { ...p, drone };
}

async function orderState(orderId: string) {
  const [row] = await t.sql`select o.status, o.locker_cell_id as cell,
      (select status from locker_cells_out where id = o.locker_cell_id) as cell_status,
      (select quantity_available from goods where id = o.good_id) as stock
    from orders o where o.id = ${orderId}`;
  return row;
}

/** Everything an admin action on the order could touch, to show a refusal changed nothing. */
async function snapshot(orderId: string) {
  const [row] = await t.sql`select o.status, o.locker_cell_id, o.updated_at, g.quantity_available as stock,
      (select json_agg(json_build_array(c.cell_number, c.status) order by c.cell_number)
        from locker_cells_out c where c.post_id = o.parcel_automat_id) as cells_out,
      (select json_agg(json_build_array(c.cell_number, c.status) order by c.cell_number)
        from locker_cells_internal c where c.post_id = o.parcel_automat_id) as cells_in,
      (select json_agg(json_build_array(d.id, d.status) order by d.created_at)
        from deliveries d where d.order_id = o.id) as deliveries,
      (select count(*)::int from delivery_events where order_id = o.id) as events,
      (select count(*)::int from audit_logs where resource_id = o.id) as audits
    from orders o join goods g on g.id = o.good_id where o.id = ${orderId}`;
  return row;
}

async function orderEvents(orderId: string) {
  return t.sql`
    select event, from_status, to_status, actor_type, actor_id, details
    from delivery_events where order_id = ${orderId} and entity = 'order' order by id`;
}

describe('admin retries a failed delivery', () => {
  it('a re-queued pending order is assigned to an idle drone now; the earlier failures still count', async () => {
    const adminId = await admin();
    const drone = await onlyDrone();
    const { order } = await pendingOrder();
    await failAttempt(order.id, drone, 'gust 1');
    const second = await failAttempt(order.id, drone, 'gust 2');
    expect(await orderState(order.id)).toMatchObject({ status: 'pending' });

    const result = await retryDeliveryAsAdmin(t.db, ctx(adminId), {
      orderId: order.id,
      reason: 'weather cleared, customer waiting',
      dispatch: OPTS,
    });
    expect(result).toMatchObject({ outcome: 'assigned', status: 'processing', droneId: drone });
    const [{ call_sign } = { call_sign: '' }] = await t.sql<
      { call_sign: string }[]
    >`select call_sign from drones where id = ${drone}`;
    expect(result.message).toContain(`Assigned to ${call_sign} (Clover 4)`);

    const active =
      await t.sql`select id, drone_id, status from deliveries where order_id = ${order.id} and status <> 'failed'`;
    expect(active).toEqual([{ id: expect.any(String), drone_id: drone, status: 'assigned' }]);
    const [d] = await t.sql`select status from drones where id = ${drone}`;
    expect(d?.status).toBe('busy');
    expect(await orderState(order.id)).toMatchObject({ status: 'processing', cell_status: 'reserved' });
    const events = await orderEvents(order.id);
    expect(events.slice(-2)).toMatchObject([
      {
        event: 'dispatch_requested',
        from_status: 'pending',
        to_status: 'pending',
        actor_type: 'admin',
        actor_id: adminId,
        details: { reason: 'weather cleared, customer waiting' },
      },
      { event: 'assigned', from_status: 'pending', to_status: 'processing' },
    ]);
    const audits = await t.sql`select action, resource_type, before, after, details, ip_address, user_agent, user_id
      from audit_logs where resource_id = ${order.id}`;
    expect(audits).toEqual([
      {
        action: 'order.delivery_retried',
        resource_type: 'order',
        before: { status: 'pending', last_delivery: { id: second, status: 'failed', failure_reason: 'gust 2' } },
        after: { status: 'pending' },
        details: { reason: 'weather cleared, customer waiting', mode: 'dispatch_now' },
        ip_address: '10.1.2.3',
        user_agent: 'vitest',
        user_id: adminId,
      },
    ]);

    // Dispatching now is not a fresh budget: this is the third failure, and it cancels.
    const [third] = await t.sql`select id from deliveries where order_id = ${order.id} and status = 'assigned'`;
    await applyDroneEvent(t.db, { deliveryId: third!.id, droneId: drone, event: { type: 'failed', reason: 'gust 3' } });
    expect(await orderState(order.id)).toMatchObject({ status: 'cancelled' });
  });

  it('with no drone free it says why and the order keeps waiting; the request is still recorded', async () => {
    const adminId = await admin();
    const drone = await onlyDrone();
    const { order } = await pendingOrder();
    await failAttempt(order.id, drone, 'rotor fault');
    await t.sql`update drones set status = 'maintenance' where id = ${drone}`;

    const result = await retryDeliveryAsAdmin(t.db, ctx(adminId), {
      orderId: order.id,
      reason: 'try again please',
      dispatch: OPTS,
    });
    expect(result).toMatchObject({ outcome: 'waiting', status: 'pending', droneId: null });
    expect(result.message).toMatch(/^Still waiting: no idle drone/);
    expect(await orderState(order.id)).toMatchObject({ status: 'pending', cell_status: 'reserved' });
    const [n] =
      await t.sql`select count(*)::int as n from deliveries where order_id = ${order.id} and status <> 'failed'`;
    expect(n?.n).toBe(0);
    const [audit] = await t.sql`select action, details from audit_logs where resource_id = ${order.id}`;
    expect(audit).toEqual({
      action: 'order.delivery_retried',
      details: { reason: 'try again please', mode: 'dispatch_now' },
    });
  });

  it('a system-cancelled order reopens (stock, pickup cell retaken; pending); 3 more failures cancel it', async () => {
    const adminId = await admin();
    const { order, good, automat, drone } = await systemCancelledOrder({ stock: 1 });
    expect(await orderState(order.id)).toMatchObject({ status: 'cancelled', stock: 1, cell_status: 'available' });

    const result = await retryDeliveryAsAdmin(t.db, ctx(adminId), {
      orderId: order.id,
      reason: 'storm over, customer still wants it',
      dispatch: OPTS,
    });
    expect(result).toMatchObject({ outcome: 'reopened', status: 'pending', droneId: null });
    const reopened = await orderState(order.id);
    expect(reopened).toMatchObject({ status: 'pending', stock: 0, cell_status: 'reserved' });
    const [cell] = await t.sql`select post_id from locker_cells_out where id = ${reopened!.cell}`;
    expect(cell?.post_id).toBe(automat.id);
    // No drone was taken: the worker (woken by NOTIFY) assigns it.
    const [active] =
      await t.sql`select count(*)::int as n from deliveries where order_id = ${order.id} and status <> 'failed'`;
    expect(active?.n).toBe(0);
    const events = await orderEvents(order.id);
    expect(events.at(-1)).toMatchObject({
      event: 'reopened',
      from_status: 'cancelled',
      to_status: 'pending',
      actor_type: 'admin',
      actor_id: adminId,
      details: { reason: 'storm over, customer still wants it', stock_left: 0, cell_number: expect.any(Number) },
    });
    const [audit] = await t.sql`select action, before, after, details, ip_address, user_agent
      from audit_logs where resource_id = ${order.id}`;
    expect(audit).toMatchObject({
      action: 'order.delivery_retried',
      before: { status: 'cancelled', last_delivery: { status: 'failed', failure_reason: 'gust 3' } },
      after: { status: 'pending', locker_cell_id: reopened!.cell },
      details: { reason: 'storm over, customer still wants it', mode: 'reopened' },
      ip_address: '10.1.2.3',
      user_agent: 'vitest',
    });

    // A fresh budget: two more failures re-queue it (attempts 1 and 2), the third cancels it again.
    await failAttempt(order.id, drone, 'gust 4');
    expect(await orderState(order.id)).toMatchObject({ status: 'pending' });
    await failAttempt(order.id, drone, 'gust 5');
    expect(await orderState(order.id)).toMatchObject({ status: 'pending' });
    await failAttempt(order.id, drone, 'gust 6');
    expect(await orderState(order.id)).toMatchObject({ status: 'cancelled', stock: 1, cell_status: 'available' });
    const after = (await orderEvents(order.id)).map((e) => [e.event, e.actor_type, e.details.attempt ?? null]);
    expect(after.slice(-6)).toEqual([
      ['assigned', 'worker', null],
      ['requeued', 'system', 1],
      ['assigned', 'worker', null],
      ['requeued', 'system', 2],
      ['assigned', 'worker', null],
      ['cancelled', 'system', null],
    ]);
    const [stock] = await t.sql`select quantity_available as q from goods where id = ${good.id}`;
    expect(stock?.q).toBe(1);

    // And it can be reopened once more.
    expect(
      (await retryDeliveryAsAdmin(t.db, ctx(adminId), { orderId: order.id, reason: 'one last try', dispatch: OPTS }))
        .outcome,
    ).toBe('reopened');
    expect(await orderState(order.id)).toMatchObject({ status: 'pending', stock: 0 });
  });

  it('refused for completed, delivered, processing, never-failed, customer/operator-cancelled: no change', async () => {
    const adminId = await admin();
    const cases: { name: string; orderId: string; message: RegExp }[] = [];

    const delivered = await deliveredOrder();
    cases.push({ name: 'delivered', orderId: delivered.order.id, message: /already in a pickup cell/ });
    const completed = await deliveredOrder();
    await collectParcels(t.db, { automatId: completed.automat.id, userId: completed.user.id });
    cases.push({ name: 'completed', orderId: completed.order.id, message: /already collected/ });

    const drone = await onlyDrone();
    const processing = await pendingOrder();
    await failAttempt(processing.order.id, drone, 'gust');
    await assign(processing.order.id, drone); // failed once, now on its way again
    cases.push({ name: 'processing', orderId: processing.order.id, message: /drone is on this delivery/ });

    const fresh = await pendingOrder();
    cases.push({
      name: 'pending, never failed',
      orderId: fresh.order.id,
      message: /No delivery of this order has failed/,
    });

    const byCustomer = await pendingOrder();
    await cancelOrder(
      t.db,
      { orderId: byCustomer.order.id, userId: byCustomer.user.id },
      { type: 'customer', id: byCustomer.user.id },
    );
    cases.push({ name: 'customer-cancelled', orderId: byCustomer.order.id, message: /cancelled by the customer/ });

    // Failed once, re-queued, then the customer cancelled: the latest delivery failed, but not the system's cancel.
    const requeuedThenCancelled = await pendingOrder();
    await failAttempt(requeuedThenCancelled.order.id, await onlyDrone(), 'gust');
    await cancelOrder(
      t.db,
      { orderId: requeuedThenCancelled.order.id, userId: requeuedThenCancelled.user.id },
      { type: 'customer', id: requeuedThenCancelled.user.id },
    );
    cases.push({
      name: 'failed then customer-cancelled',
      orderId: requeuedThenCancelled.order.id,
      message: /cancelled by the customer/,
    });

    // An operator cancelled it in flight: its delivery failed with the cancellation.
    const byOperator = await pendingOrder();
    await assign(byOperator.order.id, await onlyDrone());
    await cancelOrderAsAdmin(t.db, ctx(adminId), { orderId: byOperator.order.id, reason: 'duplicate' });
    cases.push({ name: 'operator-cancelled', orderId: byOperator.order.id, message: /cancelled by an operator/ });

    for (const c of cases) {
      const before = await snapshot(c.orderId);
      const err = await rejection(
        retryDeliveryAsAdmin(t.db, ctx(adminId), { orderId: c.orderId, reason: 'please retry', dispatch: OPTS }),
      );
      expect([c.name, err.status, err.code]).toEqual([c.name, 409, 'invalid_transition']);
      expect(err.message, c.name).toMatch(c.message);
      expect(await snapshot(c.orderId), c.name).toEqual(before);
      const [n] = await t.sql`select count(*)::int as n from audit_logs
        where resource_id = ${c.orderId} and action = 'order.delivery_retried'`;
      expect(n?.n, c.name).toBe(0);
    }
  });

  it('reopening is refused with out_of_stock or no_capacity, changing nothing', async () => {
    const adminId = await admin();
    const { order, good, automat } = await systemCancelledOrder();

    await t.sql`update goods set quantity_available = 0 where id = ${good.id}`;
    const before = await snapshot(order.id);
    const noStock = await rejection(
      retryDeliveryAsAdmin(t.db, ctx(adminId), { orderId: order.id, reason: 'retry please', dispatch: OPTS }),
    );
    expect([noStock.status, noStock.code]).toEqual([409, 'out_of_stock']);
    expect(noStock.message).toContain('Add stock');
    expect(await snapshot(order.id)).toEqual(before);

    await t.sql`update goods set quantity_available = 4 where id = ${good.id}`;
    await t.sql`update parcel_automats set is_working = false where id = ${automat.id}`;
    const closed = await rejection(
      retryDeliveryAsAdmin(t.db, ctx(adminId), { orderId: order.id, reason: 'retry please', dispatch: OPTS }),
    );
    expect([closed.status, closed.code]).toEqual([409, 'no_capacity']);
    expect(closed.message).toContain('not working');
    await t.sql`update parcel_automats set is_working = true where id = ${automat.id}`;

    await t.sql`update locker_cells_out set status = 'maintenance' where post_id = ${automat.id}`;
    const full = await snapshot(order.id);
    const noCell = await rejection(
      retryDeliveryAsAdmin(t.db, ctx(adminId), { orderId: order.id, reason: 'retry please', dispatch: OPTS }),
    );
    expect([noCell.status, noCell.code]).toEqual([409, 'no_capacity']);
    expect(noCell.message).toContain('No free pickup cell');
    // The unit of stock it took is given back with the rolled-back transaction.
    expect(await snapshot(order.id)).toEqual(full);
    expect(full).toMatchObject({ status: 'cancelled', stock: 4, audits: 0 });
  });

  it('requires a reason of 3 to 500 characters', () => {
    const order_id = '00000000-0000-4000-8000-000000000000';
    for (const schema of [adminRetryDeliverySchema, adminForcePickupSchema]) {
      expect(schema.safeParse({ order_id, reason: '  ab ' }).success).toBe(false);
      expect(schema.safeParse({ order_id }).success).toBe(false);
      expect(schema.safeParse({ order_id, reason: 'x'.repeat(501) }).success).toBe(false);
      expect(schema.safeParse({ order_id, reason: ' kiosk broken ' }).data).toEqual({
        order_id,
        reason: 'kiosk broken',
      });
      expect(schema.safeParse({ order_id: 'nope', reason: 'kiosk broken' }).success).toBe(false);
    }
  });
});

describe('admin forces a pickup', () => {
  it("the customer's view keeps an operator's cancel reason but not their internal notes", async () => {
    const adminId = await admin();
    const { order, user } = await deliveredOrder();
    await forcePickupAsAdmin(t.db, ctx(adminId), {
      orderId: order.id,
      reason: 'internal: ID checked by Anna at desk 2',
    });
    const mine = await getOrderForUser(t.db, { orderId: order.id, userId: user.id });
    const json = orderDetailJson(mine!);
    expect(JSON.stringify(json)).not.toContain('Anna at desk 2');
    expect(json.timeline.at(-1)).toMatchObject({ event: 'collected', actor: 'admin', details: { forced: true } });

    const p = await pendingOrder();
    await cancelOrderAsAdmin(t.db, ctx(adminId), { orderId: p.order.id, reason: 'the locker is closed for repairs' });
    const cancelled = orderDetailJson((await getOrderForUser(t.db, { orderId: p.order.id, userId: p.user.id }))!);
    expect(cancelled.timeline.at(-1)?.details.reason).toBe(
      'Cancelled by an operator: the locker is closed for repairs',
    );
  });

  it('completes a delivered order, frees its cell, and records a forced collected event and an audit row', async () => {
    const adminId = await admin();
    const { order, automat, user, cellNumber } = await deliveredOrder();
    const [held] = await t.sql`select id, status from locker_cells_out
      where id = (select locker_cell_id from orders where id = ${order.id})`;
    expect(held?.status).toBe('occupied');

    expect(
      await forcePickupAsAdmin(t.db, ctx(adminId), { orderId: order.id, reason: 'kiosk screen broken, ID checked' }),
    ).toEqual({
      status: 'completed',
      cellNumber,
    });
    expect(await orderState(order.id)).toMatchObject({ status: 'completed', cell: held!.id, cell_status: 'available' });
    const events = await orderEvents(order.id);
    expect(events.at(-1)).toEqual({
      event: 'collected',
      from_status: 'delivered',
      to_status: 'completed',
      actor_type: 'admin',
      actor_id: adminId,
      details: {
        forced: true,
        reason: 'kiosk screen broken, ID checked',
        cell_number: cellNumber,
        automat_id: automat.id,
      },
    });
    const audits =
      await t.sql`select action, resource_type, user_id, user_email, before, after, details, ip_address, user_agent,
        success
        from audit_logs where resource_id = ${order.id}`;
    expect(audits).toEqual([
      {
        action: 'order.pickup_forced',
        resource_type: 'order',
        user_id: adminId,
        user_email: 'ops@example.com',
        before: { status: 'delivered', cell_number: cellNumber },
        after: { status: 'completed' },
        details: { reason: 'kiosk screen broken, ID checked' },
        ip_address: '10.1.2.3',
        user_agent: 'vitest',
        success: true,
      },
    ]);
    // The kiosk has nothing left to open for this customer.
    const kiosk = await rejection(collectParcels(t.db, { automatId: automat.id, userId: user.id }));
    expect([kiosk.status, kiosk.code]).toEqual([404, 'nothing_to_collect']);
  });

  it('is refused for pending, processing, completed and cancelled orders, changing nothing', async () => {
    const adminId = await admin();
    const pending = await pendingOrder();
    const drone = await onlyDrone();
    const processing = await pendingOrder();
    await assign(processing.order.id, drone);
    const completed = await deliveredOrder();
    await collectParcels(t.db, { automatId: completed.automat.id, userId: completed.user.id });
    const cancelled = await pendingOrder();
    await cancelOrder(t.db, { orderId: cancelled.order.id }, { type: 'customer', id: cancelled.user.id });

    for (const [name, orderId] of [
      ['pending', pending.order.id],
      ['processing', processing.order.id],
      ['completed', completed.order.id],
      ['cancelled', cancelled.order.id],
    ] as const) {
      const before = await snapshot(orderId);
      const err = await rejection(forcePickupAsAdmin(t.db, ctx(adminId), { orderId, reason: 'kiosk broken' }));
      expect([name, err.status, err.code]).toEqual([name, 409, 'invalid_transition']);
      expect(await snapshot(orderId), name).toEqual(before);
      expect(before?.audits, name).toBe(0);
    }
    const missing = await rejection(
      forcePickupAsAdmin(t.db, ctx(adminId), {
        orderId: '00000000-0000-4000-8000-000000000000',
        reason: 'kiosk broken',
      }),
    );
    expect(missing.status).toBe(404);
  });
});
