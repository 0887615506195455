import type { TimelineEvent } from '@/lib/lifecycle/machine';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '@/db';
import {
  analyticsPeriod,
  cellUtilization,
  deliveryDurations,
  failureReasons,
  fleetUtilization,
  ordersPerDay,
} from '@/db/queries/analytics';
import { deliveries, deliveryEvents, drones, orders, type DeliveryStatus, type OrderStatus } from '@/db/schema';
import { onlineSpans, recordTelemetry } from '@/lib/telemetry/record';
import { analyticsFilterSchema } from '@/lib/validation/analytics';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// Known answers: every fixture row has a fixed timestamp and every query gets the same fixed
// `now`, so each expected number below can be worked out by hand (the comments show how).

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

// Aggregates span whole tables, so each test starts from empty ones (orders first: goods and
// lockers refuse to go while orders name them; cascades remove deliveries, events, cells and
// telemetry; audit_logs is not touched).
beforeEach(async () => {
  await t.sql`delete from orders`;
  await t.sql`delete from parcel_automats`;
  await t.sql`delete from drones`;
  await t.sql`delete from goods`;
  await t.sql`delete from users`;
});

const NOW = new Date('2025-03-31T12:00:00Z');
const at = (iso: string) => new Date(iso);
const plus = (d: Date, s: number) => new Date(d.getTime() + s * 1000);

type World = { userId: string; goodId: string; automatId: string };

async function world(): Promise<World> {
  const [user, good, automat] = await Promise.all([
    makeUser(t.db),
    makeGood(t.db),
    makeAutomat(t.db, { external: [{ count: 1 }], internal: [{ count: 1 }] }),
  ]);
  return { userId: user.id, goodId: good.id, automatId: automat.id };
}

async function order(w: World, status: OrderStatus, createdAt: Date): Promise<string> {
  const [o] = await t.db
    .insert(orders)
    .values({
      userId: w.userId,
      goodId: w.goodId,
      parcelAutomatId: w.automatId,
      status,
      createdAt,
      updatedAt: createdAt,
    })
    .returning({ id: orders.id });
  return o!.id;
}

type DeliverySpec = {
  status: DeliveryStatus;
  createdAt: Date;
  updatedAt: Date;
  droneId?: string;
  startedAt?: Date;
  completedAt?: Date;
  failureReason?: string;
};

/** A delivery with an order of its own (so the one-active-delivery-per-order rule always holds). */
async function delivery(w: World, d: DeliverySpec): Promise<{ orderId: string; deliveryId: string }> {
  const orderStatus: OrderStatus =
    d.status === 'completed' ? 'completed' : d.status === 'failed' ? 'pending' : 'processing';
  const orderId = await order(w, orderStatus, plus(d.createdAt, -60));
  const [row] = await t.db
    .insert(deliveries)
    .values({
      orderId,
      droneId: d.droneId ?? null,
      parcelAutomatId: w.automatId,
      status: d.status,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      startedAt: d.startedAt ?? null,
      completedAt: d.completedAt ?? null,
      failureReason: d.failureReason ?? null,
    })
    .returning({ id: deliveries.id });
  return { orderId, deliveryId: row!.id };
}

async function event(e: {
  orderId: string;
  deliveryId?: string;
  entity: 'order' | 'delivery';
  event: TimelineEvent;
  createdAt: Date;
}) {
  await t.db.insert(deliveryEvents).values({
    orderId: e.orderId,
    deliveryId: e.deliveryId ?? null,
    entity: e.entity,
    event: e.event,
    actorType: 'system',
    createdAt: e.createdAt,
  });
}

async function drone(model: string, ipAddress: string): Promise<string> {
  const [d] = await t.db.insert(drones).values({ model, ipAddress }).returning({ id: drones.id });
  return d!.id;
}

/** Readings every `everyS` seconds from `from` to `to`, both included. */
/** Readings every `everyS` seconds from `from` to `to`, sent as one batch through the real write path. */
async function telemetry({
  droneId,
  from,
  to,
  everyS,
  sessionGapS = 60,
}: {
  droneId: string;
  from: string;
  to: string;
  everyS: number;
  sessionGapS?: number;
}) {
  const readings = [];
  for (let ms = Date.parse(from); ms <= Date.parse(to); ms += everyS * 1000)
    readings.push({ lat: 55.75, lon: 37.61, battery_level: 80, recorded_at: new Date(ms).toISOString() });
  await recordTelemetry(t.db, { droneId, readings, opts: { sessionGapS } });
}

describe('period', () => {
  it('runs from UTC midnight days - 1 before now up to now', () => {
    expect(analyticsPeriod({ days: 7, now: NOW })).toEqual({ days: 7, from: at('2025-03-25T00:00:00Z'), to: NOW });
    // 00:30 in UTC+2 is still 28 February in UTC; 29 days before it is 30 January.
    expect(analyticsPeriod({ days: 30, now: at('2025-03-01T00:30:00+02:00') })).toEqual({
      days: 30,
      from: at('2025-01-30T00:00:00Z'),
      to: at('2025-02-28T22:30:00Z'),
    });
  });

  it('?days= accepts 7, 30 and 90, defaults to 30 and rejects anything else', () => {
    const days = (v: unknown) => {
      const r = analyticsFilterSchema.safeParse(v === undefined ? {} : { days: v });
      return r.success ? r.data.days : 'invalid';
    };
    expect([days(undefined), days(''), days('7'), days('90'), days(['7', '30'])]).toEqual([30, 30, 7, 90, 7]);
    expect([days('45'), days('abc'), days('-7'), days('0')]).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
  });
});

describe('orders per day', () => {
  async function fixture() {
    const w = await world();
    await order(w, 'completed', at('2025-03-10T09:00:00Z')); // outside 7 days, inside 30
    await order(w, 'cancelled', at('2025-03-24T23:59:59Z')); // one second before the 7-day period
    await order(w, 'completed', at('2025-03-25T00:00:00Z')); // first instant of the period
    await order(w, 'completed', at('2025-03-25T10:00:00Z'));
    await order(w, 'cancelled', at('2025-03-25T23:59:59Z')); // still 25 March in UTC
    await order(w, 'pending', at('2025-03-26T00:00:00Z'));
    await order(w, 'delivered', at('2025-03-27T14:00:00Z'));
    await order(w, 'processing', at('2025-03-27T15:00:00Z'));
    await order(w, 'cancelled', at('2025-03-27T16:00:00Z'));
    await order(w, 'completed', at('2025-03-31T11:59:59Z'));
    await order(w, 'pending', at('2025-03-31T12:00:01Z')); // after now
  }

  const LAST_7_DAYS = [
    { day: '2025-03-25', completed: 2, cancelled: 1, open: 0 },
    { day: '2025-03-26', completed: 0, cancelled: 0, open: 1 },
    { day: '2025-03-27', completed: 0, cancelled: 1, open: 2 },
    { day: '2025-03-28', completed: 0, cancelled: 0, open: 0 },
    { day: '2025-03-29', completed: 0, cancelled: 0, open: 0 },
    { day: '2025-03-30', completed: 0, cancelled: 0, open: 0 },
    { day: '2025-03-31', completed: 1, cancelled: 0, open: 0 },
  ];

  it('counts orders by UTC day and current status, with zero days, leaving out orders outside the period', async () => {
    await fixture();
    expect(await ordersPerDay(t.db, { days: 7, now: NOW })).toEqual(LAST_7_DAYS);
  });

  it('cuts days in UTC whatever the session time zone', async () => {
    await fixture();
    // UTC+14: 2025-03-25T23:59:59Z is already 26 March there, 2025-03-31T11:59:59Z is 1 April.
    const client = postgres(t.url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'Pacific/Kiritimati' } });
    try {
      const [tz] = await client`show timezone`;
      expect(tz?.TimeZone).toBe('Pacific/Kiritimati');
      expect(await ordersPerDay(createDb(client), { days: 7, now: NOW })).toEqual(LAST_7_DAYS);
    } finally {
      await client.end();
    }
  });

  it('a 30-day period is 30 rows from 2 March and brings in the older orders', async () => {
    await fixture();
    const rows = await ordersPerDay(t.db, { days: 30, now: NOW });
    expect(rows).toHaveLength(30);
    expect([rows[0]?.day, rows[29]?.day]).toEqual(['2025-03-02', '2025-03-31']);
    expect(rows.find((r) => r.day === '2025-03-10')).toEqual({
      day: '2025-03-10',
      completed: 1,
      cancelled: 0,
      open: 0,
    });
    expect(rows.find((r) => r.day === '2025-03-24')).toEqual({
      day: '2025-03-24',
      completed: 0,
      cancelled: 1,
      open: 0,
    });
    expect(rows.filter((r) => r.completed + r.cancelled + r.open === 0)).toHaveLength(30 - 6);
    const sum = (k: 'completed' | 'cancelled' | 'open') => rows.reduce((n, r) => n + r[k], 0);
    expect([sum('completed'), sum('cancelled'), sum('open')]).toEqual([4, 3, 3]);
  });

  it('an empty database still yields every day, all zero', async () => {
    const rows = await ordersPerDay(t.db, { days: 90, now: NOW });
    expect(rows).toHaveLength(90);
    expect(rows[0]?.day).toBe('2025-01-01');
    expect(rows.every((r) => r.completed === 0 && r.cancelled === 0 && r.open === 0)).toBe(true);
  });
});

describe('delivery durations', () => {
  it('delivery: mean and p90 of completed_at - started_at over deliveries completed in the period', async () => {
    const w = await world();
    // 60, 120, ..., 600 s and one slow 1650 s: mean 4950 / 11 = 450 s; p90 of 11 values is the
    // 10th smallest (0.9 * (11 - 1) = 9, zero-based), 600 s.
    const durations = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1650];
    for (const [i, s] of durations.entries()) {
      const startedAt = at(`2025-03-${String(10 + i).padStart(2, '0')}T08:00:00Z`);
      await delivery(w, {
        status: 'completed',
        createdAt: plus(startedAt, -300),
        startedAt,
        completedAt: plus(startedAt, s),
        updatedAt: plus(startedAt, s),
      });
    }
    // Not counted: completed before the period, completed after now, failed, still flying.
    await delivery(w, {
      status: 'completed',
      createdAt: at('2025-02-20T07:00:00Z'),
      startedAt: at('2025-02-20T08:00:00Z'),
      completedAt: at('2025-02-21T08:00:00Z'),
      updatedAt: at('2025-02-21T08:00:00Z'),
    });
    await delivery(w, {
      status: 'completed',
      createdAt: at('2025-03-31T11:00:00Z'),
      startedAt: at('2025-03-31T11:10:00Z'),
      completedAt: at('2025-03-31T12:30:00Z'),
      updatedAt: at('2025-03-31T12:30:00Z'),
    });
    await delivery(w, {
      status: 'failed',
      createdAt: at('2025-03-20T08:00:00Z'),
      startedAt: at('2025-03-20T08:05:00Z'),
      updatedAt: at('2025-03-20T08:30:00Z'),
      failureReason: 'rotor fault',
    });
    await delivery(w, {
      status: 'in_progress',
      createdAt: at('2025-03-31T11:00:00Z'),
      startedAt: at('2025-03-31T11:05:00Z'),
      updatedAt: at('2025-03-31T11:05:00Z'),
    });

    const r = await deliveryDurations(t.db, { days: 30, now: NOW });
    expect(r.delivery).toEqual({ count: 11, avgS: 450, p90S: 600 });
  });

  it('order to pickup: from the order to its collected event, for orders collected in the period', async () => {
    const w = await world();
    // 10, 20, 30, 40 and 50 min, and an order placed before the period but collected in it:
    // 1 March 00:00 to 2 March 05:10 = 1750 min. Mean (150 + 1750) / 6 min = 19 000 s; p90 sits
    // halfway (0.9 * 5 = 4.5) between 50 min and 1750 min: 900 min = 54 000 s.
    const spans: [string, number][] = [
      ['2025-03-20T10:00:00Z', 600],
      ['2025-03-21T10:00:00Z', 1200],
      ['2025-03-22T10:00:00Z', 1800],
      ['2025-03-23T10:00:00Z', 2400],
      ['2025-03-24T10:00:00Z', 3000],
      ['2025-03-01T00:00:00Z', 105_000],
    ];
    for (const [created, s] of spans) {
      const id = await order(w, 'completed', at(created));
      await event({ orderId: id, entity: 'order', event: 'in_locker', createdAt: plus(at(created), s / 2) });
      await event({ orderId: id, entity: 'order', event: 'collected', createdAt: plus(at(created), s) });
    }
    // Not counted: collected before the period, collected after now, waiting in a locker.
    const old = await order(w, 'completed', at('2025-02-10T10:00:00Z'));
    await event({ orderId: old, entity: 'order', event: 'collected', createdAt: at('2025-02-11T10:00:00Z') });
    const late = await order(w, 'completed', at('2025-03-31T11:00:00Z'));
    await event({ orderId: late, entity: 'order', event: 'collected', createdAt: at('2025-03-31T12:00:01Z') });
    const waiting = await order(w, 'delivered', at('2025-03-30T10:00:00Z'));
    await event({ orderId: waiting, entity: 'order', event: 'in_locker', createdAt: at('2025-03-30T10:30:00Z') });

    const r = await deliveryDurations(t.db, { days: 30, now: NOW });
    expect(r.orderToPickup).toEqual({ count: 6, avgS: 19_000, p90S: 54_000 });
    expect(r.delivery).toEqual({ count: 0, avgS: null, p90S: null });
  });
});

describe('fleet utilization', () => {
  async function fixture(gapS = 60) {
    const w = await world();
    const a = await drone('Clover A', '10.0.0.1');
    const b = await drone('Clover B', '10.0.0.2');
    const c = await drone('Clover C', '10.0.0.3');
    const d = await drone('Clover D', '10.0.0.4');

    // A: online 10:00-10:30 and 10:35-11:05 (readings every 30 s; the 5 min silence is offline) = 3600 s.
    await telemetry({
      droneId: a,
      from: '2025-03-31T10:00:00Z',
      to: '2025-03-31T10:30:00Z',
      everyS: 30,
      sessionGapS: gapS,
    });
    await telemetry({
      droneId: a,
      from: '2025-03-31T10:35:00Z',
      to: '2025-03-31T11:05:00Z',
      everyS: 30,
      sessionGapS: gapS,
    });
    // Busy from assignment to the drop (10:20), not to the locker's transfer (10:50): 1200 s.
    const done = await delivery(w, {
      droneId: a,
      status: 'completed',
      createdAt: at('2025-03-31T10:00:00Z'),
      startedAt: at('2025-03-31T10:05:00Z'),
      completedAt: at('2025-03-31T10:50:00Z'),
      updatedAt: at('2025-03-31T10:50:00Z'),
    });
    await event({ ...done, entity: 'delivery', event: 'dropped', createdAt: at('2025-03-31T10:20:00Z') });
    // Failed 10:27:30-10:42:30, online for 150 s before the silence and 450 s after: 600 s.
    await delivery(w, {
      droneId: a,
      status: 'failed',
      createdAt: at('2025-03-31T10:27:30Z'),
      updatedAt: at('2025-03-31T10:42:30Z'),
      failureReason: 'wind',
    });
    // A: 1800 / 3600 = 0.5.

    // B: readings every 60 s from 24 March 23:50 to 25 March 00:10; the period starts at 00:00: 600 s.
    await telemetry({
      droneId: b,
      from: '2025-03-24T23:50:00Z',
      to: '2025-03-25T00:10:00Z',
      everyS: 60,
      sessionGapS: gapS,
    });
    // And 11:50-12:02 on the last day, cut at now (12:00): 600 s. Online 1200 s.
    await telemetry({
      droneId: b,
      from: '2025-03-31T11:50:00Z',
      to: '2025-03-31T12:02:00Z',
      everyS: 60,
      sessionGapS: gapS,
    });
    // Still flying: busy from 11:57 until now, 180 s.
    await delivery(w, {
      droneId: b,
      status: 'in_progress',
      createdAt: at('2025-03-31T11:57:00Z'),
      startedAt: at('2025-03-31T11:58:00Z'),
      updatedAt: at('2025-03-31T11:58:00Z'),
    });
    // Busy while no telemetry at all (28 March): not online, so not counted.
    await delivery(w, {
      droneId: b,
      status: 'failed',
      createdAt: at('2025-03-28T10:00:00Z'),
      updatedAt: at('2025-03-28T10:10:00Z'),
      failureReason: 'drone offline',
    });
    // B: 180 / 1200 = 0.15.

    // C: a single reading, no session (and no deliveries). D: only before the 7-day period (20 March): online
    // 10:00-10:10 = 600 s, busy 10:00 to the drop at 10:05 = 300 s.
    await telemetry({
      droneId: c,
      from: '2025-03-30T09:00:00Z',
      to: '2025-03-30T09:00:00Z',
      everyS: 30,
      sessionGapS: gapS,
    });
    await telemetry({
      droneId: d,
      from: '2025-03-20T10:00:00Z',
      to: '2025-03-20T10:10:00Z',
      everyS: 30,
      sessionGapS: gapS,
    });
    const old = await delivery(w, {
      droneId: d,
      status: 'completed',
      createdAt: at('2025-03-20T10:00:00Z'),
      startedAt: at('2025-03-20T10:01:00Z'),
      completedAt: at('2025-03-20T10:08:00Z'),
      updatedAt: at('2025-03-20T10:08:00Z'),
    });
    await event({ ...old, entity: 'delivery', event: 'dropped', createdAt: at('2025-03-20T10:05:00Z') });
    return { a, b, c, d };
  }

  it('busy time while online over online time, per drone and for the fleet', async () => {
    const { a, b, c, d } = await fixture();
    const r = await fleetUtilization(t.db, { days: 7, now: NOW });
    expect(r.drones).toEqual([
      {
        droneId: a,
        callSign: expect.stringMatching(/^D-\d{2,}$/),
        model: 'Clover A',
        ipAddress: '10.0.0.1',
        onlineS: 3600,
        busyS: 1800,
        utilization: 0.5,
      },
      {
        droneId: b,
        callSign: expect.stringMatching(/^D-\d{2,}$/),
        model: 'Clover B',
        ipAddress: '10.0.0.2',
        onlineS: 1200,
        busyS: 180,
        utilization: 0.15,
      },
      {
        droneId: c,
        callSign: expect.stringMatching(/^D-\d{2,}$/),
        model: 'Clover C',
        ipAddress: '10.0.0.3',
        onlineS: 0,
        busyS: 0,
        utilization: null,
      },
      {
        droneId: d,
        callSign: expect.stringMatching(/^D-\d{2,}$/),
        model: 'Clover D',
        ipAddress: '10.0.0.4',
        onlineS: 0,
        busyS: 0,
        utilization: null,
      },
    ]);
    // (1800 + 180) / (3600 + 1200)
    expect(r.overall).toEqual({ onlineS: 4800, busyS: 1980, utilization: 0.4125 });
  });

  it('a 30-day period brings in the older telemetry and delivery', async () => {
    // B also gets 24 March 23:50-00:00 (600 s more online), D its 20 March session.
    const { a, b, c, d } = await fixture();
    const r = await fleetUtilization(t.db, { days: 30, now: NOW });
    expect(r.drones.map((x) => [x.droneId, x.onlineS, x.busyS, x.utilization])).toEqual([
      [a, 3600, 1800, 0.5],
      [d, 600, 300, 0.5],
      [b, 1800, 180, 0.1],
      [c, 0, 0, null],
    ]);
    // (1800 + 300 + 180) / (3600 + 600 + 1800)
    expect(r.overall).toEqual({ onlineS: 6000, busyS: 2280, utilization: 0.38 });
  });

  it('a shorter offline timeout splits sessions: 30 s readings stay online at 30 s, 60 s readings do not', async () => {
    const { a, b } = await fixture(30);
    const r = await fleetUtilization(t.db, { days: 7, now: NOW });
    const byId = new Map(r.drones.map((x) => [x.droneId, x]));
    expect(byId.get(a)).toMatchObject({ onlineS: 3600, busyS: 1800 });
    expect(byId.get(b)).toMatchObject({ onlineS: 0, busyS: 0, utilization: null });
  });

  it('sessions build as readings arrive: late, out-of-order readings join their session, a gap opens one', async () => {
    await world();
    const d = await drone('Clover S', '10.0.0.9');
    const send = (...iso: string[]) =>
      recordTelemetry(t.db, {
        droneId: d,
        readings: iso.map((x) => ({ lat: 55.75, lon: 37.61, battery_level: 80, recorded_at: x })),
        opts: { sessionGapS: 30 },
      });
    await send('2025-03-31T10:00:00Z', '2025-03-31T10:00:20Z');
    await send('2025-03-31T10:00:45Z'); // 25 s later: same session
    await send('2025-03-31T09:59:40Z'); // late, 20 s before the start: extends it backwards
    // one batch, two spans
    await send('2025-03-31T10:05:00Z', '2025-03-31T10:05:10Z', '2025-03-31T10:04:50Z', '2025-03-31T10:20:00Z');
    const sessions =
      await t.sql`select started_at, ended_at from drone_online_sessions where drone_id = ${d} order by started_at`;
    expect(sessions.map((x) => [new Date(x.started_at).toISOString(), new Date(x.ended_at).toISOString()])).toEqual([
      ['2025-03-31T09:59:40.000Z', '2025-03-31T10:00:45.000Z'],
      ['2025-03-31T10:04:50.000Z', '2025-03-31T10:05:10.000Z'],
      ['2025-03-31T10:20:00.000Z', '2025-03-31T10:20:00.000Z'],
    ]);
    const r = await fleetUtilization(t.db, { days: 7, now: NOW });
    expect(r.overall.onlineS).toBe(65 + 20);
    expect(
      onlineSpans([at('2025-01-01T00:01:00Z'), at('2025-01-01T00:00:00Z'), at('2025-01-01T00:00:30Z')], 30),
    ).toEqual([{ from: at('2025-01-01T00:00:00Z'), to: at('2025-01-01T00:01:00Z') }]);
  });

  it('the migration backfills sessions from telemetry stored before sessions existed', async () => {
    await world();
    const d = await drone('Clover Old', '10.0.0.10');
    await t.sql`insert into drone_telemetry (drone_id, recorded_at, lat, lon, battery_level)
      select ${d}::uuid, g, 55.75, 37.61, 80
      from generate_series('2025-03-30T08:00:00Z'::timestamptz, '2025-03-30T08:10:00Z', interval '10 seconds') g
      union all select ${d}::uuid, '2025-03-30T09:00:00Z'::timestamptz, 55.75, 37.61, 80`;
    const file = readdirSync('drizzle').find((f) => f.endsWith('_backfill_online_sessions.sql'));
    await t.sql.unsafe(readFileSync(path.join('drizzle', file!), 'utf8'));
    const sessions =
      await t.sql`select started_at, ended_at from drone_online_sessions where drone_id = ${d} order by started_at`;
    expect(sessions.map((x) => [new Date(x.started_at).toISOString(), new Date(x.ended_at).toISOString()])).toEqual([
      ['2025-03-30T08:00:00.000Z', '2025-03-30T08:10:00.000Z'],
      ['2025-03-30T09:00:00.000Z', '2025-03-30T09:00:00.000Z'],
    ]);
  });

  it('no drones: zeros and no ratio', async () => {
    expect(await fleetUtilization(t.db, { days: 30, now: NOW })).toEqual({
      drones: [],
      overall: { onlineS: 0, busyS: 0, utilization: null },
    });
  });
});

describe('cells by state', () => {
  it('counts cells by state now, per locker and overall, pickup/drop apart; the one metric reads them', async () => {
    const { cellMetric } = await import('@/lib/cell-metric');
    // X: pickup cells 1-8, drop cells 9-12. Y: two pickup cells, no drop cells. Z: no cells.
    const x = await makeAutomat(t.db, { external: [{ count: 8 }], internal: [{ count: 4 }] });
    const y = await makeAutomat(t.db, { external: [{ count: 2 }], internal: [] });
    const z = await makeAutomat(t.db, { external: [], internal: [] });
    await t.sql`update locker_cells_out set status = 'occupied' where post_id = ${x.id} and cell_number in (1, 2)`;
    await t.sql`update locker_cells_out set status = 'reserved' where post_id = ${x.id} and cell_number = 3`;
    await t.sql`update locker_cells_out set status = 'maintenance' where post_id = ${x.id} and cell_number = 4`;
    await t.sql`update locker_cells_internal set status = 'occupied' where post_id = ${x.id} and cell_number = 9`;

    const r = await cellUtilization(t.db);
    const byId = new Map(r.automats.map((a) => [a.automatId, a]));
    expect(r.automats).toHaveLength(3);
    expect(byId.get(x.id)).toMatchObject({
      external: { total: 8, available: 4, occupied: 2, reserved: 1, maintenance: 1 },
      internal: { total: 4, available: 3, occupied: 1, reserved: 0, maintenance: 0 },
    });
    // 4 free of the 7 pickup cells in service (the one under maintenance is not capacity).
    expect(cellMetric(byId.get(x.id)!.external)).toEqual({
      total: 8,
      maintenance: 1,
      inService: 7,
      free: 4,
      inUse: 3,
      freeShare: 4 / 7,
    });
    expect(byId.get(y.id)).toMatchObject({
      external: { total: 2, available: 2, occupied: 0, reserved: 0, maintenance: 0 },
      internal: { total: 0, available: 0, occupied: 0, reserved: 0, maintenance: 0 },
    });
    expect(cellMetric(byId.get(y.id)!.internal).freeShare).toBeNull();
    expect(byId.get(z.id)).toMatchObject({ external: { total: 0 }, internal: { total: 0 } });
    // Network: 6 free of 9 pickup cells in service, 3 free of 4 drop cells.
    expect(r.total).toEqual({
      external: { total: 10, available: 6, occupied: 2, reserved: 1, maintenance: 1 },
      internal: { total: 4, available: 3, occupied: 1, reserved: 0, maintenance: 0 },
    });
    expect(cellMetric(r.total.external)).toMatchObject({ inService: 9, free: 6, inUse: 3 });
  });

  it('no lockers: zero totals', async () => {
    const empty = { total: 0, available: 0, occupied: 0, reserved: 0, maintenance: 0 };
    expect(await cellUtilization(t.db)).toEqual({ automats: [], total: { external: empty, internal: empty } });
  });
});

describe('failure reasons', () => {
  async function fixture() {
    const w = await world();
    const fail = (when: string, failureReason: string) =>
      delivery(w, { status: 'failed', createdAt: plus(at(when), -600), updatedAt: at(when), failureReason });
    await fail('2025-03-26T10:00:00Z', 'drone offline');
    await fail('2025-03-27T10:00:00Z', 'drone offline');
    await fail('2025-03-31T11:00:00Z', 'drone offline');
    await fail('2025-03-28T10:00:00Z', 'Low battery');
    await fail('2025-03-29T10:00:00Z', 'Low battery');
    await fail('2025-03-30T10:00:00Z', ' low battery ');
    await fail('2025-03-25T00:00:00Z', 'Wind too strong');
    await fail('2025-03-29T12:00:00Z', 'GPS lost');
    await fail('2025-03-10T10:00:00Z', 'Rotor fault'); // inside 30 days only
    await fail('2025-03-31T12:30:00Z', 'drone offline'); // after now
    await delivery(w, {
      status: 'completed',
      createdAt: at('2025-03-28T10:00:00Z'),
      startedAt: at('2025-03-28T10:01:00Z'),
      completedAt: at('2025-03-28T10:20:00Z'),
      updatedAt: at('2025-03-28T10:20:00Z'),
    });
  }

  it("groups the period's failed deliveries by reason (case, spaces ignored), most frequent first, top N", async () => {
    await fixture();
    expect(await failureReasons(t.db, { days: 7, now: NOW, limit: 3 })).toEqual({
      // Ties go alphabetically; "Low battery" is the more common of its two spellings.
      reasons: [
        { reason: 'drone offline', count: 3 },
        { reason: 'Low battery', count: 3 },
        { reason: 'GPS lost', count: 1 },
      ],
      failed: 8,
      other: 1, // "Wind too strong"
    });
  });

  it('a 30-day period brings in older failures', async () => {
    await fixture();
    expect(await failureReasons(t.db, { days: 30, now: NOW, limit: 10 })).toEqual({
      reasons: [
        { reason: 'drone offline', count: 3 },
        { reason: 'Low battery', count: 3 },
        { reason: 'GPS lost', count: 1 },
        { reason: 'Rotor fault', count: 1 },
        { reason: 'Wind too strong', count: 1 },
      ],
      failed: 9,
      other: 0,
    });
  });

  it('no failures in the period: an empty list', async () => {
    await fixture();
    expect(await failureReasons(t.db, { days: 7, now: at('2025-06-30T12:00:00Z'), limit: 5 })).toEqual({
      reasons: [],
      failed: 0,
      other: 0,
    });
  });
});
