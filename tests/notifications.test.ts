import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { drones } from '@/db/schema';
import { eq } from 'drizzle-orm';
import { cancelOrderAsAdmin, retryDeliveryAsAdmin } from '@/lib/admin/orders';
import {
  applyDroneEvent,
  assignOrder,
  collectParcels,
  failDelivery,
  transferToPickupCell,
} from '@/lib/dispatch/delivery-flow';
import { lockOrderAndDelivery } from '@/lib/orders/locks';
import { notifyOrderCustomer } from '@/lib/notifications/outbox';
import { queuePickupReminders } from '@/lib/notifications/reminders';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// Each state change writes its customer notification in the same transaction; replaying a
// state never notifies twice; reminders come at 24 h and before the pickup code expires.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  // Each test owns the only idle drone.
  await t.sql`update drones set status = 'maintenance' where status = 'idle'`;
});

const OPTS = { minBattery: 30, offlineAfterMs: 60_000 };
const AT = { lat: 55.7558, lon: 37.6173 };

async function readyWorld() {
  const user = await makeUser(t.db);
  const good = await makeGood(t.db, { name: `Kettle ${Math.random().toString(36).slice(2, 6)}` });
  const automat = await makeAutomat(t.db, {
    coordinates: `${AT.lat},${AT.lon}`,
    external: [{ count: 2 }],
    internal: [{ count: 2 }],
  });
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Clover 4', ipAddress: '10.7.0.1', status: 'idle' })
    .returning({ id: drones.id });
  await recordTelemetry(t.db, { droneId: d!.id, readings: [{ lat: AT.lat + 0.01, lon: AT.lon, battery_level: 95 }] });
  const order = await createOrder(
    t.db,
    { userId: user.id, goodId: good.id, automatId: automat.id },
    { actor: { type: 'customer', id: user.id } },
  );
  return { user, good, automat, order, droneId: d!.id };
}

const rows = (orderId: string) =>
  t.sql<
    {
      kind: string;
      title: string;
      body: string;
      data: { link: string; order_id: string };
      push_status: string;
      read_at: Date | null;
    }[]
  >`
    select kind, title, body, data, push_status, read_at from notifications
    where order_id = ${orderId} order by created_at, kind`;

async function deliverToLocker(w: Awaited<ReturnType<typeof readyWorld>>) {
  const a = await assignOrder(t.db, w.order.id, OPTS);
  if (a.kind !== 'assigned') throw new Error(`not assigned: ${JSON.stringify(a)}`);
  await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'started' } });
  await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'dropped' } });
  const moved = await transferToPickupCell(t.db, { automatId: w.automat.id, deliveryId: a.deliveryId });
  return { ...a, cell: moved.externalCellNumber };
}

describe('notifications written with the status change', () => {
  it('assigned, ready in cell N at the address with the pickup link, collected: one each, pending push', async () => {
    const w = await readyWorld();
    expect(await rows(w.order.id)).toEqual([]); // placing an order is the customer's own act
    const { cell } = await deliverToLocker(w);
    const [{ pickup_pin: pin } = { pickup_pin: null }] = await t.sql<
      { pickup_pin: string | null }[]
    >`select pickup_pin from orders where id = ${w.order.id}`;
    expect(pin).toMatch(/^[0-9]{6}$/);
    await collectParcels(t.db, { automatId: w.automat.id, userId: w.user.id });
    const got = await rows(w.order.id);
    expect(got.map((r) => r.kind)).toEqual(['order_assigned', 'order_ready', 'order_collected']);
    expect(got[1]).toMatchObject({
      title: `Ready in cell ${cell}`,
      body:
        `Your ${w.good.name} is in the locker at ${w.automat.address}, Moscow, cell ${cell}. ` +
        `Show your pickup code at the locker, or type PIN ${pin} on its keypad.`,
      data: { link: '/pickup', order_id: w.order.id },
      push_status: 'pending',
      read_at: null,
    });
    expect(got[0]!.data.link).toBe(`/orders/${w.order.id}`);
    const users = await t.sql`select distinct user_id from notifications where order_id = ${w.order.id}`;
    expect(users).toEqual([{ user_id: w.user.id }]);
  });

  it('replaying a state never notifies twice', async () => {
    const w = await readyWorld();
    await deliverToLocker(w);
    const again = await t.db.transaction((tx) =>
      notifyOrderCustomer(tx, { orderId: w.order.id, kind: 'order_ready', opts: { cellNumber: 1 } }),
    );
    expect(again).toBeNull();
    expect((await rows(w.order.id)).filter((r) => r.kind === 'order_ready')).toHaveLength(1);
  });

  it('a status change that rolls back takes its notification with it', async () => {
    const w = await readyWorld();
    await expect(
      t.db.transaction(async (tx) => {
        await notifyOrderCustomer(tx, { orderId: w.order.id, kind: 'order_cancelled', opts: { reason: 'test' } });
        throw new Error('boom after the write');
      }),
    ).rejects.toThrow('boom');
    expect(await rows(w.order.id)).toEqual([]);
  });

  it('an operator cancel tells the customer why; the customer cancelling their own order is not told', async () => {
    const w = await readyWorld();
    const admin = await makeUser(t.db, { role: 'admin' });
    await cancelOrderAsAdmin(
      t.db,
      { userId: admin.id, userEmail: null, ip: null, userAgent: null },
      { orderId: w.order.id, reason: 'locker closed for repairs' },
    );
    const [n] = await rows(w.order.id);
    expect(n).toMatchObject({ kind: 'order_cancelled', title: 'Order cancelled' });
    expect(n!.body).toContain('locker closed for repairs');

    const mine = await readyWorld();
    await cancelOrder(t.db, { orderId: mine.order.id, userId: mine.user.id }, { type: 'customer', id: mine.user.id });
    expect(await rows(mine.order.id)).toEqual([]);
  });

  it('a delivery that fails for the last time tells the customer it failed and why', async () => {
    const w = await readyWorld();
    for (let attempt = 1; attempt <= 3; attempt++) {
      await t.db.update(drones).set({ status: 'idle' }).where(eq(drones.id, w.droneId));
      await recordTelemetry(t.db, {
        droneId: w.droneId,
        readings: [{ lat: AT.lat + 0.01, lon: AT.lon, battery_level: 95 }],
      });
      const a = await assignOrder(t.db, w.order.id, OPTS);
      if (a.kind !== 'assigned') throw new Error('not assigned');
      await t.db.transaction(async (tx) => {
        const locked = await lockOrderAndDelivery(tx, a.deliveryId);
        await failDelivery(tx, {
          ...locked!,
          reason: 'rotor fault',
          actor: { type: 'drone', id: w.droneId },
          now: new Date(),
        });
      });
    }
    const got = await rows(w.order.id);
    expect(got.map((r) => r.kind)).toEqual(['order_assigned', 'order_assigned', 'order_assigned', 'order_failed']);
    expect(got[3]!.body).toContain('failed (Delivery failed 3 times (last: rotor fault))');
  });
});

describe('an order an operator reopens', () => {
  it('is announced, and when it runs out of attempts again the customer is told again', async () => {
    const w = await readyWorld();
    const admin = await makeUser(t.db, { role: 'admin' });
    const failThrice = async () => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await t.db.update(drones).set({ status: 'idle' }).where(eq(drones.id, w.droneId));
        await recordTelemetry(t.db, {
          droneId: w.droneId,
          readings: [{ lat: AT.lat + 0.01, lon: AT.lon, battery_level: 95 }],
        });
        const a = await assignOrder(t.db, w.order.id, OPTS);
        if (a.kind !== 'assigned') throw new Error('not assigned');
        await t.db.transaction(async (tx) => {
          const locked = await lockOrderAndDelivery(tx, a.deliveryId);
          await failDelivery(tx, {
            ...locked!,
            reason: 'gusts',
            actor: { type: 'drone', id: w.droneId },
            now: new Date(),
          });
        });
      }
    };
    await failThrice();
    await retryDeliveryAsAdmin(
      t.db,
      { userId: admin.id, userEmail: null, ip: null, userAgent: null },
      { orderId: w.order.id, reason: 'calmer now', dispatch: OPTS },
    );
    await failThrice();
    const got = (await rows(w.order.id)).map((r) => r.kind).filter((k) => k !== 'order_assigned');
    expect(got).toEqual(['order_failed', 'order_reopened', 'order_failed']);
    const [reopened] = (await rows(w.order.id)).filter((r) => r.kind === 'order_reopened');
    expect(reopened).toMatchObject({ title: 'We are trying again', data: { link: `/orders/${w.order.id}` } });
  });
});

describe('pickup reminders', () => {
  async function waiting(hoursAgo: number) {
    const w = await readyWorld();
    const { cell } = await deliverToLocker(w);
    await t.sql`update delivery_events set created_at = now() - make_interval(hours => ${hoursAgo})
      where order_id = ${w.order.id} and event = 'in_locker'`;
    return { ...w, cell };
  }
  const kinds = async (orderId: string) =>
    (await rows(orderId)).map((r) => r.kind).filter((k) => k.startsWith('pickup'));

  it('one reminder after 24 h of waiting, never twice, not before, not once collected', async () => {
    const fresh = await waiting(23);
    const old = await waiting(25);
    const collected = await waiting(30);
    await collectParcels(t.db, { automatId: collected.automat.id, userId: collected.user.id });
    const first = await queuePickupReminders(t.db);
    expect(first.reminders).toBeGreaterThanOrEqual(1);
    await queuePickupReminders(t.db);
    expect(await kinds(old.order.id)).toEqual(['pickup_reminder']);
    expect(await kinds(fresh.order.id)).toEqual([]);
    expect(await kinds(collected.order.id)).toEqual([]);
    const [r] = (await rows(old.order.id)).filter((x) => x.kind === 'pickup_reminder');
    expect(r).toMatchObject({ title: 'Your parcel is waiting', data: { link: '/pickup' } });
    expect(r!.body).toContain(`cell ${old.cell}`);
  });

  it('a second reminder when the pickup code expires within 2 h, once', async () => {
    const w = await waiting(30);
    await queuePickupReminders(t.db);
    // Code issued 23 h ago: it expires in an hour.
    await t.sql`update users set qr_issued_at = now() - interval '23 hours', qr_expires_at = now() + interval '1 hour'
      where id = ${w.user.id}`;
    await queuePickupReminders(t.db);
    await queuePickupReminders(t.db);
    expect(await kinds(w.order.id)).toEqual(['pickup_reminder', 'pickup_code_expiring']);
    const [n] = (await rows(w.order.id)).filter((x) => x.kind === 'pickup_code_expiring');
    expect(n!.title).toBe('Your pickup code expires soon');

    // A code with more than 2 h left is no reason yet.
    const later = await waiting(30);
    await queuePickupReminders(t.db);
    await t.sql`update users set qr_issued_at = now(), qr_expires_at = now() + interval '24 hours'
      where id = ${later.user.id}`;
    await queuePickupReminders(t.db);
    expect(await kinds(later.order.id)).toEqual(['pickup_reminder']);
  });

  it('workers running reminders at once still remind once', async () => {
    const w = await waiting(26);
    await Promise.all([queuePickupReminders(t.db), queuePickupReminders(t.db), queuePickupReminders(t.db)]);
    expect(await kinds(w.order.id)).toEqual(['pickup_reminder']);
  });
});
