import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drones } from '@/db/schema';
import { setDroneMaintenance, issueDroneKeyAsAdmin } from '@/lib/admin/drones';
import { hashDeviceKey } from '@/lib/device-keys/keys';
import { rejection } from './helpers/assert';
import { createTestDatabase, pgErrorOf, type TestDatabase } from './helpers/db';
import { makeUser } from './helpers/factories';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const ctx = (userId: string) => ({ userId, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });

async function makeDrone(status: 'idle' | 'busy' = 'idle') {
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Clover 4', ipAddress: '10.0.0.7', status })
    .returning({ id: drones.id });
  return d!.id;
}

describe('audit log', () => {
  it('issuing a drone key writes an audit row that never contains the key', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const drone = await makeDrone();
    const first = await issueDroneKeyAsAdmin(t.db, ctx(admin.id), drone);
    const second = await issueDroneKeyAsAdmin(t.db, ctx(admin.id), drone);
    const rows = await t.sql`select user_id, user_email, action, resource_type, resource_id, before, after, details,
        ip_address, user_agent, success
      from audit_logs where resource_id = ${drone} order by id`;
    expect(rows.map((r) => r.action)).toEqual(['drone.key_issued', 'drone.key_rotated']);
    expect(rows[1]).toMatchObject({
      user_id: admin.id,
      user_email: 'ops@example.com',
      resource_type: 'drone',
      before: { has_key: true },
      after: { has_key: true },
      ip_address: '10.1.2.3',
      user_agent: 'vitest',
      success: true,
    });
    const everything = JSON.stringify(await t.sql`select * from audit_logs`);
    for (const key of [first, second]) {
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(key.slice(4, 20));
      expect(everything).not.toContain(hashDeviceKey(key));
    }
  });

  it('maintenance on and off are audited with before and after; a drone on a delivery is refused, no row', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const drone = await makeDrone();
    expect(await setDroneMaintenance(t.db, ctx(admin.id), { droneId: drone, maintenance: true })).toEqual({
      status: 'maintenance',
    });
    expect(await setDroneMaintenance(t.db, ctx(admin.id), { droneId: drone, maintenance: false })).toEqual({
      status: 'idle',
    });
    const rows = await t.sql`select action, before, after from audit_logs where resource_id = ${drone} order by id`;
    expect(rows).toEqual([
      { action: 'drone.maintenance_on', before: { status: 'idle' }, after: { status: 'maintenance' } },
      { action: 'drone.maintenance_off', before: { status: 'maintenance' }, after: { status: 'idle' } },
    ]);
    const busy = await makeDrone('busy');
    const refused = await rejection(setDroneMaintenance(t.db, ctx(admin.id), { droneId: busy, maintenance: true }));
    expect([refused.status, refused.code]).toEqual([409, 'invalid_transition']);
    const [d] = await t.db.select({ s: drones.status }).from(drones).where(eq(drones.id, busy));
    expect(d?.s).toBe('busy');
    const [n] = await t.sql`select count(*)::int as n from audit_logs where resource_id = ${busy}`;
    expect(n?.n).toBe(0);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    await issueDroneKeyAsAdmin(t.db, ctx(admin.id), await makeDrone());
    expect((await pgErrorOf(() => t.sql`update audit_logs set action = 'nothing'`)).code).toBe('42501');
    expect((await pgErrorOf(() => t.sql`delete from audit_logs`)).code).toBe('42501');
    expect((await pgErrorOf(() => t.sql`truncate audit_logs`)).code).toBe('42501');
    const [n] = await t.sql`select count(*)::int as n from audit_logs where action <> 'nothing'`;
    expect(n?.n).toBeGreaterThan(0);
  });

  it('survives the deletion of the admin who acted (no foreign key to rewrite)', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const drone = await makeDrone();
    await setDroneMaintenance(t.db, ctx(admin.id), { droneId: drone, maintenance: true });
    await t.sql`delete from users where id = ${admin.id}`;
    const [row] = await t.sql`select user_id, user_email from audit_logs where resource_id = ${drone}`;
    expect(row).toEqual({ user_id: admin.id, user_email: 'ops@example.com' });
  });
});

describe('operator cancels an order', () => {
  it('a processing order: the drone is released, stock and cells come back, timeline and audit say why', async () => {
    const { createOrder } = await import('@/lib/orders/order-flow');
    const { claimAndAssignNext, applyDroneEvent } = await import('@/lib/dispatch/delivery-flow');
    const { cancelOrderAsAdmin } = await import('@/lib/admin/orders');
    const { makeAutomat, makeGood } = await import('./helpers/factories');
    const { recordTelemetry } = await import('@/lib/telemetry/record');
    const admin = await makeUser(t.db, { role: 'admin' });
    const customer = await makeUser(t.db);
    await t.sql`update drones set status = 'maintenance' where status = 'idle'`;
    await t.sql`update orders set status = 'cancelled' where status = 'pending'`;
    const good = await makeGood(t.db, { quantityAvailable: 1 });
    const automat = await makeAutomat(t.db, { coordinates: '55.7558,37.6173' });
    const drone = await makeDrone();
    await recordTelemetry(t.db, { droneId: drone, readings: [{ lat: 55.76, lon: 37.62, battery_level: 90 }] });
    const order = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    const a = await claimAndAssignNext(t.db, { minBattery: 30, offlineAfterMs: 60_000 });
    if (a.kind !== 'assigned') throw new Error('not assigned');
    await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: drone, event: { type: 'started' } });

    expect(
      await cancelOrderAsAdmin(t.db, ctx(admin.id), { orderId: order.id, reason: 'customer called support' }),
    ).toEqual({
      status: 'cancelled',
    });
    const [state] = await t.sql`select
      (select status from orders where id = ${order.id}) as order,
      (select status from deliveries where id = ${a.deliveryId}) as delivery,
      (select failure_reason from deliveries where id = ${a.deliveryId}) as reason,
      (select status from drones where id = ${drone}) as drone,
      (select quantity_available from goods where id = ${good.id}) as stock,
      (select count(*)::int from locker_cells_out where post_id = ${automat.id} and status <> 'available') as out_busy,
      (select count(*)::int from locker_cells_internal
        where post_id = ${automat.id} and status <> 'available') as in_busy`;
    expect(state).toEqual({
      order: 'cancelled',
      delivery: 'failed',
      reason: 'Cancelled by an operator: customer called support',
      drone: 'idle',
      stock: 1,
      out_busy: 0,
      in_busy: 0,
    });
    const events = await t.sql`select event, actor_type from delivery_events
      where order_id = ${order.id} and entity = 'order' order by id`;
    expect(events.at(-1)).toEqual({ event: 'cancelled', actor_type: 'admin' });
    const [audit] = await t.sql`select action, before, after, details from audit_logs where resource_id = ${order.id}`;
    expect(audit).toMatchObject({
      action: 'order.cancelled',
      before: { status: 'processing' },
      after: { status: 'cancelled' },
      details: { reason: 'customer called support' },
    });

    const again = await rejection(cancelOrderAsAdmin(t.db, ctx(admin.id), { orderId: order.id, reason: 'twice' }));
    expect([again.status, again.code]).toEqual([409, 'invalid_transition']);
    const [n] = await t.sql`select count(*)::int as n from audit_logs where resource_id = ${order.id}`;
    expect(n?.n).toBe(1);
  });
});

describe('alerts', () => {
  it('are derived from the data, one per object and kind, critical first', async () => {
    const { listAlerts } = await import('@/db/queries/alerts');
    const { makeAutomat, makeGood } = await import('./helpers/factories');
    const { createOrder } = await import('@/lib/orders/order-flow');
    const thresholds = { lowBattery: 20, stuckDeliveryMin: 20, pendingOrderMin: 15, automatSilentMin: 5 };
    const [low] = await t.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.0.0.20', status: 'idle', batteryLevel: 15 })
      .returning({ id: drones.id });
    const [off] = await t.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.0.0.21', status: 'offline', batteryLevel: 15 })
      .returning({ id: drones.id });
    const [fine] = await t.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.0.0.22', status: 'idle', batteryLevel: 21 })
      .returning({ id: drones.id });
    const closed = await makeAutomat(t.db, { isWorking: false });
    const fresh = await makeAutomat(t.db);
    await t.sql`update parcel_automats set last_seen_at = now() where id = ${fresh.id}`;
    const silent = await makeAutomat(t.db);
    await t.sql`update parcel_automats set last_seen_at = now() - interval '6 minutes' where id = ${silent.id}`;
    const customer = await makeUser(t.db);
    const good = await makeGood(t.db);
    const old = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: fresh.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    const recent = await createOrder(
      t.db,
      { userId: customer.id, goodId: good.id, automatId: fresh.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    await t.sql`update orders set created_at = now() - interval '16 minutes' where id = ${old.id}`;

    const alerts = await listAlerts(t.db, thresholds);
    const of = (id: string) => alerts.filter((a) => a.objectId === id).map((a) => a.kind);
    expect(of(low!.id)).toEqual(['low_battery']);
    expect(of(off!.id)).toEqual(['drone_offline']); // offline, so its battery is not a separate alert
    expect(of(fine!.id)).toEqual([]);
    expect(of(closed.id)).toEqual([]); // closed is a state, not an alert (tests/alerts.test.ts)
    expect(of(silent.id)).toEqual(['automat_silent']);
    expect(of(fresh.id)).toEqual([]);
    expect(of(old.id)).toEqual(['order_pending']);
    expect(of(recent.id)).toEqual([]);
    const firstWarning = alerts.findIndex((a) => a.severity === 'warning');
    expect(alerts.slice(firstWarning).every((a) => a.severity === 'warning')).toBe(true);
  });
});

describe('goods management', () => {
  it('create, edit, stock up/down (min 0), archive are audited; an ordered good is archived, not deleted', async () => {
    const { createGood, updateGood, adjustStock, deleteGood, setGoodArchived } = await import('@/lib/admin/goods');
    const { createOrder, cancelOrder } = await import('@/lib/orders/order-flow');
    const { countGoodOrders } = await import('@/db/queries/goods');
    const { makeAutomat } = await import('./helpers/factories');
    const admin = await makeUser(t.db, { role: 'admin' });
    const c = ctx(admin.id);
    const g = await createGood(t.db, c, {
      name: 'Kite',
      weight: 0.7,
      height: 5,
      length: 90,
      width: 40,
      quantity_available: 2,
    });
    await updateGood(t.db, c, {
      id: g.id,
      input: { name: 'Stunt Kite', weight: 0.75, height: 5, length: 90, width: 40 },
    });
    expect(await adjustStock(t.db, c, { id: g.id, delta: 5 })).toEqual({ quantityAvailable: 7 });
    const tooMuch = await rejection(adjustStock(t.db, c, { id: g.id, delta: -8 }));
    expect([tooMuch.status, tooMuch.fields?.delta]).toEqual([409, 'At most 7 can be removed']);
    expect(await adjustStock(t.db, c, { id: g.id, delta: -7 })).toEqual({ quantityAvailable: 0 });

    await adjustStock(t.db, c, { id: g.id, delta: 1 });
    const customer = await makeUser(t.db);
    const automat = await makeAutomat(t.db, { external: [{ count: 1, height: 45, length: 100, width: 50 }] });
    const order = await createOrder(
      t.db,
      { userId: customer.id, goodId: g.id, automatId: automat.id },
      { actor: { type: 'customer', id: customer.id } },
    );
    const blocked = await rejection(deleteGood(t.db, c, g.id));
    expect([blocked.status, blocked.code]).toEqual([409, 'invalid_transition']);
    await cancelOrder(t.db, { orderId: order.id, userId: customer.id }, { type: 'customer', id: customer.id });
    expect(await countGoodOrders(t.db, { goodId: g.id })).toEqual({ orders: 1, openOrders: 0 });
    // Its order is history: still refused, and archived instead.
    expect((await rejection(deleteGood(t.db, c, g.id))).message).toContain('Archive it instead');
    expect((await setGoodArchived(t.db, c, { id: g.id, archived: true })).changed).toBe(true);
    const [left] =
      await t.sql`select (select count(*)::int from goods where id = ${g.id} and archived_at is not null) as goods,
        (select count(*)::int from orders where id = ${order.id}) as orders`;
    expect(left).toEqual({ goods: 1, orders: 1 });

    const audit =
      await t.sql`select action, before, after, details from audit_logs where resource_id = ${g.id} order by id`;
    expect(audit.map((a) => a.action)).toEqual([
      'good.created',
      'good.updated',
      'good.stock_adjusted',
      'good.stock_adjusted',
      'good.stock_adjusted',
      'good.archived',
    ]);
    expect(audit[1]).toMatchObject({ before: { name: 'Kite' }, after: { name: 'Stunt Kite', weight: 0.75 } });
    expect(audit[2]).toMatchObject({
      before: { quantity_available: 2 },
      after: { quantity_available: 7 },
      details: { delta: 5 },
    });
    expect(audit[5]).toMatchObject({ before: { archived_at: null }, after: { archived_at: expect.any(String) } });
  });
});
