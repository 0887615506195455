import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { drones } from '@/db/schema';
import { DISPATCH_CHANNEL } from '@/lib/dispatch/notify';
import { createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';
import {
  killLeftoverWorkers,
  spawnWorker,
  stopWorker,
  waitForLog,
  waitUntil,
  workerOutputs,
  type LogLine,
  type WorkerProcess,
} from './helpers/worker-process';

// The order worker as real processes (scripts/worker.ts) against a fresh database per test:
// several workers sharing 500 orders, a worker SIGKILLed mid-claim, a silent drone going
// offline, graceful SIGTERM, and wake-up by NOTIFY. Everything is checked in the database.

let t: TestDatabase | undefined;

async function freshDatabase(): Promise<TestDatabase> {
  t = await createTestDatabase();
  return t;
}

afterEach(async () => {
  await killLeftoverWorkers();
  await t?.drop();
  t = undefined;
});
afterAll(async () => {
  await killLeftoverWorkers();
});

const ACTIVE = ['pending', 'assigned', 'in_progress'];
// Red Square, and four more lockers around central Moscow.
const AUTOMAT = { lat: 55.7558, lon: 37.6173 };
const AUTOMAT_COORDS = ['55.7558,37.6173', '55.7600,37.6300', '55.7500,37.6000', '55.7700,37.6400', '55.7400,37.5900'];

const workerEnv = (db: TestDatabase, more: Record<string, string> = {}) => ({ DATABASE_URL: db.url, ...more });

/** n drones with battery 90, seen now, spread over a grid around the centre. */
async function insertFleet(db: TestDatabase, n: number, status: 'idle' | 'maintenance') {
  await db.sql`
    insert into drones
      (model, ip_address, status, battery_level, last_lat, last_lon, position_recorded_at, last_seen_at)
    select 'Clover 4', '10.9.' || (i / 250) || '.' || (i % 250 + 1), ${status}, 90,
           55.72 + (i % 25) * 0.003, 37.57 + (i / 25) * 0.003, now(), now()
    from generate_series(0, ${n - 1}) as i`;
}

/** n pending orders through createOrder (25 at a time), spread evenly over the automats. */
async function createOrders(db: TestDatabase, automatIds: string[], n: number) {
  const users = await Promise.all(Array.from({ length: 5 }, () => makeUser(db.db)));
  // Concurrent buyers of one good serialise on its stock row: one good per parallel slot.
  const goodsList = await Promise.all(Array.from({ length: 25 }, () => makeGood(db.db, { quantityAvailable: n })));
  for (let start = 0; start < n; start += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - start) }, (_, j) => {
        const i = start + j;
        const user = users[i % users.length]!;
        // A load fixture, not customers: five accounts hold all the orders, past MAX_OPEN_ORDERS.
        return createOrder(
          db.db,
          { userId: user.id, goodId: goodsList[j]!.id, automatId: automatIds[i % automatIds.length]! },
          { actor: { type: 'customer', id: user.id }, opts: { maxOpenOrders: n } },
        );
      }),
    );
  }
}

async function makeAutomats(db: TestDatabase, count: number, cellsEach: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = await makeAutomat(db.db, {
      coordinates: AUTOMAT_COORDS[i % AUTOMAT_COORDS.length],
      external: [{ count: cellsEach }],
      internal: [{ count: cellsEach }],
    });
    ids.push(a.id);
  }
  return ids;
}

const pendingCount = async (db: TestDatabase) =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from orders where status = 'pending'`)[0]!.n;
const processingCount = async (db: TestDatabase) =>
  (await db.sql<{ n: number }[]>`select count(*)::int as n from orders where status = 'processing'`)[0]!.n;

/**
 * Cross-table invariants that must hold at every commit, whatever has been assigned so far.
 * Each entry lists the offending rows; all must be empty.
 */
async function inconsistencies(db: TestDatabase) {
  const s = db.sql;
  return {
    processingOrderWithoutActiveDelivery: await s`
      select o.id from orders o where o.status = 'processing'
      and not exists (select 1 from deliveries d where d.order_id = o.id and d.status in ${s(ACTIVE)})`,
    activeDeliveryWhoseOrderIsNotProcessing: await s`
      select d.id, o.status from deliveries d join orders o on o.id = d.order_id
      where d.status in ${s(ACTIVE)} and o.status <> 'processing'`,
    busyDroneWithoutActiveDelivery: await s`
      select dr.id from drones dr where dr.status = 'busy'
      and not exists (select 1 from deliveries d where d.drone_id = dr.id and d.status in ${s(ACTIVE)})`,
    activeDeliveryWhoseDroneIsNotBusy: await s`
      select d.id, dr.status from deliveries d left join drones dr on dr.id = d.drone_id
      where d.status in ${s(ACTIVE)} and dr.status is distinct from 'busy'`,
    reservedInternalCellWithoutActiveDelivery: await s`
      select c.id from locker_cells_internal c where c.status = 'reserved'
      and not exists (select 1 from deliveries d where d.internal_locker_cell_id = c.id and d.status in ${s(ACTIVE)})`,
    activeDeliveryWithBadInternalCell: await s`
      select d.id, c.status from deliveries d left join locker_cells_internal c on c.id = d.internal_locker_cell_id
      where d.status in ${s(ACTIVE)} and (c.id is null or c.status <> 'reserved' or c.post_id <> d.parcel_automat_id)`,
    orderWithoutItsReservedPickupCell: await s`
      select o.id, c.status from orders o left join locker_cells_out c on c.id = o.locker_cell_id
      where o.status in ('pending', 'processing')
        and (c.id is null or c.status <> 'reserved' or c.post_id <> o.parcel_automat_id)`,
    droneWithTwoActiveDeliveries: await s`
      select drone_id, count(*)::int as n from deliveries where status in ${s(ACTIVE)}
      group by drone_id having count(*) > 1`,
    internalCellWithTwoActiveDeliveries: await s`
      select internal_locker_cell_id, count(*)::int as n from deliveries where status in ${s(ACTIVE)}
      group by internal_locker_cell_id having count(*) > 1`,
    externalCellWithTwoProcessingOrders: await s`
      select locker_cell_id, count(*)::int as n from orders where status = 'processing'
      group by locker_cell_id having count(*) > 1`,
    orderWithTwoActiveDeliveries: await s`
      select order_id, count(*)::int as n from deliveries where status in ${s(ACTIVE)}
      group by order_id having count(*) > 1`,
    // Every delivery has exactly one 'assigned' delivery event, and no event points nowhere.
    deliveryWithoutOneAssignedEvent: await s`
      select d.id, count(e.id)::int as n from deliveries d
      left join delivery_events e on e.delivery_id = d.id and e.entity = 'delivery' and e.event = 'assigned'
      group by d.id having count(e.id) <> 1`,
    assignedEventWithoutDelivery: await s`
      select e.id from delivery_events e
      where e.event = 'assigned'
        and (e.delivery_id is null or not exists (select 1 from deliveries d where d.id = e.delivery_id))`,
  };
}

const CONSISTENT = {
  processingOrderWithoutActiveDelivery: [],
  activeDeliveryWhoseOrderIsNotProcessing: [],
  busyDroneWithoutActiveDelivery: [],
  activeDeliveryWhoseDroneIsNotBusy: [],
  reservedInternalCellWithoutActiveDelivery: [],
  activeDeliveryWithBadInternalCell: [],
  orderWithoutItsReservedPickupCell: [],
  droneWithTwoActiveDeliveries: [],
  internalCellWithTwoActiveDeliveries: [],
  externalCellWithTwoProcessingOrders: [],
  orderWithTwoActiveDeliveries: [],
  deliveryWithoutOneAssignedEvent: [],
  assignedEventWithoutDelivery: [],
};

async function counts(db: TestDatabase) {
  const [row] = await db.sql`select
    (select count(*)::int from orders) as orders,
    (select count(*)::int from orders where status = 'pending') as pending,
    (select count(*)::int from orders where status = 'processing') as processing,
    (select count(*)::int from deliveries) as deliveries,
    (select count(*)::int from deliveries where status = 'assigned') as assigned_deliveries,
    (select count(distinct drone_id)::int from deliveries where status in ${db.sql(ACTIVE)}) as distinct_active_drones,
    (select count(distinct internal_locker_cell_id)::int from deliveries
      where status in ${db.sql(ACTIVE)}) as distinct_active_internal_cells,
    (select count(distinct locker_cell_id)::int from orders
      where status = 'processing') as distinct_processing_external_cells,
    (select count(*)::int from drones where status = 'busy') as busy_drones,
    (select count(*)::int from locker_cells_internal where status = 'reserved') as reserved_internal_cells,
    (select count(*)::int from locker_cells_out where status = 'reserved') as reserved_external_cells,
    (select count(*)::int from delivery_events
      where entity = 'delivery' and event = 'assigned') as delivery_assigned_events,
    (select count(*)::int from delivery_events where entity = 'order' and event = 'assigned') as order_assigned_events`;
  return row!;
}

/** Every order assigned exactly once: one delivery each, 'assigned', one drone and cell each. */
async function expectAllAssignedOnce(db: TestDatabase, n: number, busyDrones = n) {
  expect(await counts(db)).toEqual({
    orders: n,
    pending: 0,
    processing: n,
    deliveries: n,
    assigned_deliveries: n,
    distinct_active_drones: n,
    distinct_active_internal_cells: n,
    distinct_processing_external_cells: n,
    busy_drones: busyDrones,
    reserved_internal_cells: n,
    reserved_external_cells: n,
    delivery_assigned_events: n,
    order_assigned_events: n,
  });
  const notOnce = await db.sql`
    select o.id, o.status, count(d.id)::int as deliveries, array_agg(d.status) as statuses from orders o
    left join deliveries d on d.order_id = o.id
    group by o.id having count(d.id) <> 1 or bool_or(d.status is distinct from 'assigned') or o.status <> 'processing'`;
  expect(notOnce).toEqual([]);
  const eventsNotOnce = await db.sql`
    select o.id, count(e.id) filter (where e.entity = 'delivery')::int as delivery_events,
      count(e.id) filter (where e.entity = 'order')::int as order_events
    from orders o left join delivery_events e on e.order_id = o.id and e.event = 'assigned'
    group by o.id
    having count(e.id) filter (where e.entity = 'delivery') <> 1 or count(e.id) filter (where e.entity = 'order') <> 1`;
  expect(eventsNotOnce).toEqual([]);
  expect(await inconsistencies(db)).toEqual(CONSISTENT);
}

const assignedLines = (w: WorkerProcess) => w.logs().filter((l) => l.msg === 'Assigned order');

/** n logged assignments, each order once, each exactly the delivery (id and drone) in the database. */
async function expectLogsMatchDatabase(db: TestDatabase, lines: LogLine[], n: number) {
  const logged = lines.map((l) => ({ order: String(l.order), delivery: String(l.delivery), drone: String(l.drone) }));
  expect(new Set(logged.map((l) => l.order)).size).toBe(logged.length); // no order assigned twice
  expect(logged.length).toBe(n);
  const loggedOrders = logged.length ? logged.map((l) => l.order) : ['00000000-0000-0000-0000-000000000000'];
  const rows = await db.sql<{ order: string; delivery: string; drone: string }[]>`
    select order_id as order, id as delivery, drone_id as drone from deliveries
    where order_id in ${db.sql(loggedOrders)}`;
  const sort = (a: { order: string }, b: { order: string }) => a.order.localeCompare(b.order);
  expect([...logged].sort(sort)).toEqual([...rows].sort(sort));
}

describe('order worker processes', () => {
  it('four workers share 500 pending orders: each assigned exactly once, no drone or cell used twice', async () => {
    const db = await freshDatabase();
    const automats = await makeAutomats(db, 5, 110);
    const setupStart = Date.now();
    await createOrders(db, automats, 500);
    const orderSetupMs = Date.now() - setupStart;
    // 520 seen drones, held in maintenance until every worker is up, so all four race for the
    // same orders instead of the first one to boot taking everything.
    await insertFleet(db, 520, 'maintenance');

    const workers = Array.from({ length: 4 }, (_, i) => spawnWorker(`worker-${i + 1}`, workerEnv(db)));
    await Promise.all(workers.map((w) => waitForLog(w, 'Order worker started', 30_000)));
    expect(await pendingCount(db)).toBe(500); // nothing assignable yet

    const released = Date.now();
    await db.sql`update drones set status = 'idle', last_seen_at = now()`;
    await db.sql`select pg_notify(${DISPATCH_CHANNEL}, 'drone_idle')`;
    await waitUntil(async () => (await pendingCount(db)) === 0, {
      ms: 60_000,
      what: 'no pending orders',
      workers,
      intervalMs: 200,
    });
    const assignMs = Date.now() - released;
    for (const w of workers) expect(w.running(), `${w.name} died.\n${workerOutputs(workers)}`).toBe(true);

    // Graceful stop flushes every round's log lines.
    const exits = await Promise.all(workers.map((w) => stopWorker(w, 'SIGTERM', 15_000)));
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0, 0]);

    await expectAllAssignedOnce(db, 500);
    const [idle] = await db.sql`select count(*)::int as n from drones where status = 'idle'`;
    expect(idle?.n).toBe(20);

    const perWorker = workers.map((w) => assignedLines(w).length);
    await expectLogsMatchDatabase(db, workers.flatMap(assignedLines), 500);
    expect(perWorker.filter((n) => n > 0).length, `assignments per worker: ${perWorker.join(', ')}`).toBeGreaterThan(1);
    // No worker round failed (a failed claim would be retried and could hide a conflict).
    const errors = workers.flatMap((w) => w.logs().filter((l) => l.level === 'error'));
    expect(errors).toEqual([]);
    console.info(
      `[worker.test] 500 orders via createOrder: ${orderSetupMs} ms; assigned by 4 workers in ${assignMs} ms; ` +
        `per worker: ${perWorker.join(', ')}`,
    );
  }, 110_000);

  it('a worker SIGKILLed mid-claim loses no order, leaves the database consistent; a second one finishes', async () => {
    const db = await freshDatabase();
    const automats = await makeAutomats(db, 2, 110);
    await createOrders(db, automats, 200);
    await insertFleet(db, 200, 'idle');

    const first = spawnWorker('worker-killed', workerEnv(db));
    // Poll hard: kill as soon as the first assignment has committed, while the worker is
    // still claiming the rest of its round.
    const atKill = await waitUntil(
      async () => {
        const [row] = await db.sql<{ processing: number; busy_backends: number }[]>`select
            (select count(*)::int from orders where status = 'processing') as processing,
            (select count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
              and state in ('active', 'idle in transaction')) as busy_backends`;
        return row!.processing >= 1 ? row : undefined;
      },
      { ms: 30_000, what: 'the first assignment', workers: [first], intervalMs: 2 },
    );
    process.kill(first.pid, 'SIGKILL');
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    // Its backends go away (an open claim transaction is rolled back) before we look.
    await waitUntil(
      async () => {
        const [row] = await db.sql<{ n: number }[]>`
            select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
            and (application_name = 'skypost-worker-listen'
              or state in ('active', 'idle in transaction', 'idle in transaction (aborted)'))`;
        return row!.n === 0;
      },
      { ms: 10_000, what: 'the killed worker’s connections to close', intervalMs: 50, requireRunning: false },
    );

    const assigned = await processingCount(db);
    expect(assigned, 'the kill must come after some but before all assignments').toBeGreaterThanOrEqual(1);
    expect(assigned).toBeLessThan(200);
    expect(await inconsistencies(db)).toEqual(CONSISTENT);
    expect(await counts(db)).toEqual({
      orders: 200,
      pending: 200 - assigned,
      processing: assigned,
      deliveries: assigned, // a claim cut off mid-transaction left nothing behind
      assigned_deliveries: assigned,
      distinct_active_drones: assigned,
      distinct_active_internal_cells: assigned,
      distinct_processing_external_cells: assigned,
      busy_drones: assigned,
      reserved_internal_cells: assigned,
      reserved_external_cells: 200, // every order still holds its pickup cell
      delivery_assigned_events: assigned,
      order_assigned_events: assigned,
    });
    console.info(
      `[worker.test] SIGKILL after ${assigned} of 200 assignments ` +
        `(worker transactions open just before the kill: ${atKill.busy_backends})`,
    );
    const before = new Set((await db.sql<{ id: string }[]>`select order_id as id from deliveries`).map((r) => r.id));

    const second = spawnWorker('worker-second', workerEnv(db));
    await waitUntil(async () => (await pendingCount(db)) === 0, {
      ms: 30_000,
      what: 'no pending orders',
      workers: [second],
      intervalMs: 200,
    });
    expect((await stopWorker(second, 'SIGTERM', 15_000)).code).toBe(0);

    await expectAllAssignedOnce(db, 200);
    // The second worker assigned exactly the orders the first had not.
    const secondOrders = assignedLines(second).map((l) => String(l.order));
    expect(secondOrders.length).toBe(200 - assigned);
    expect(new Set(secondOrders).size).toBe(secondOrders.length);
    expect(secondOrders.filter((id) => before.has(id))).toEqual([]);
    // The killed worker could log a round only if it finished one; those must be in the database too.
    await expectLogsMatchDatabase(
      db,
      [...assignedLines(first), ...assignedLines(second)],
      200 - assigned + assignedLines(first).length,
    );
  }, 60_000);

  it('a silent drone goes offline and its order is reassigned to another drone', async () => {
    const db = await freshDatabase();
    const user = await makeUser(db.db);
    const good = await makeGood(db.db);
    const automat = await makeAutomat(db.db, {
      coordinates: `${AUTOMAT.lat},${AUTOMAT.lon}`,
      external: [{ count: 3 }],
      internal: [{ count: 2 }],
    });
    const seen = (id: string, lat: number) =>
      recordTelemetry(db.db, { droneId: id, readings: [{ lat, lon: AUTOMAT.lon, battery_level: 90 }] });
    const [a] = await db.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.9.0.1', batteryLevel: 90, status: 'idle' })
      .returning({ id: drones.id });
    const droneA = a!.id;
    await seen(droneA, AUTOMAT.lat + 0.001);

    const worker = spawnWorker('worker-offline', workerEnv(db, { DRONE_OFFLINE_TIMEOUT_S: '5' }));
    await waitForLog(worker, 'Order worker started', 30_000);
    await seen(droneA, AUTOMAT.lat + 0.001); // A's last report; from now on A is silent
    const order = await createOrder(
      db.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    const first = await waitUntil(
      async () =>
        (
          await db.sql<
            { id: string; drone_id: string }[]
          >`select id, drone_id from deliveries where order_id = ${order.id} and status = 'assigned'`
        )[0],
      { ms: 5_000, what: 'the order to be assigned to drone A', workers: [worker], intervalMs: 50 },
    );
    expect(first.drone_id).toBe(droneA);

    // Drone B appears (seen now) and keeps reporting every second; A stays silent.
    const [b] = await db.db
      .insert(drones)
      .values({
        model: 'Clover 4',
        ipAddress: '10.9.0.2',
        batteryLevel: 90,
        status: 'idle',
        lastLat: AUTOMAT.lat + 0.02,
        lastLon: AUTOMAT.lon,
        lastSeenAt: new Date(),
      })
      .returning({ id: drones.id });
    const droneB = b!.id;
    const keepAlive = setInterval(() => void seen(droneB, AUTOMAT.lat + 0.02).catch(() => {}), 1000);
    try {
      await waitUntil(
        async () => {
          const [row] = await db.sql`select
              (select status from drones where id = ${droneA}) as a,
              (select status from deliveries where id = ${first.id}) as first_delivery,
              (select drone_id from deliveries
                where order_id = ${order.id} and status in ${db.sql(ACTIVE)}) as active_drone`;
          return row!.a === 'offline' && row!.first_delivery === 'failed' && row!.active_drone === droneB;
        },
        { ms: 20_000, what: 'A offline and the order reassigned to B', workers: [worker], intervalMs: 100 },
      );
    } finally {
      clearInterval(keepAlive);
    }

    const [failed] = await db.sql`
        select d.status, d.failure_reason, d.updated_at, dr.status as drone_status, dr.last_seen_at
        from deliveries d join drones dr on dr.id = d.drone_id where d.id = ${first.id}`;
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'drone offline', drone_status: 'offline' });
    // Not before the timeout: A had been silent at least 5 s when it was declared offline.
    const silentMs =
      new Date(failed!.updated_at as string).getTime() - new Date(failed!.last_seen_at as string).getTime();
    expect(silentMs).toBeGreaterThanOrEqual(5_000);
    expect(silentMs).toBeLessThan(10_000);

    const [now] = await db.sql`
        select o.status as order_status, d.status as delivery_status, dr.status as drone_status,
          (select count(*)::int from deliveries where order_id = o.id) as deliveries,
          (select count(*)::int from locker_cells_internal
            where post_id = o.parcel_automat_id and status = 'reserved') as reserved_internal
        from orders o join deliveries d on d.order_id = o.id and d.status in ${db.sql(ACTIVE)}
          join drones dr on dr.id = d.drone_id
        where o.id = ${order.id}`;
    expect(now).toEqual({
      order_status: 'processing',
      delivery_status: 'assigned',
      drone_status: 'busy',
      deliveries: 2,
      reserved_internal: 1,
    });

    const events = await db.sql`select entity, event, from_status, to_status, details from delivery_events
      where order_id = ${order.id} order by id`;
    expect(
      events.filter((e) => e.entity === 'order').map((e) => `${e.event}:${e.from_status ?? ''}->${e.to_status}`),
    ).toEqual([
      'created:->pending',
      'assigned:pending->processing',
      'requeued:processing->pending',
      'assigned:pending->processing',
    ]);
    const deliveryEvents = events.filter((e) => e.entity === 'delivery');
    expect(deliveryEvents.map((e) => e.event)).toEqual(['assigned', 'failed', 'assigned']);
    expect(deliveryEvents[0]?.details).toMatchObject({ drone_id: droneA });
    expect(deliveryEvents[1]?.details).toMatchObject({ reason: 'drone offline' });
    expect(deliveryEvents[2]?.details).toMatchObject({ drone_id: droneB });
    expect(await inconsistencies(db)).toEqual(CONSISTENT);
  }, 45_000);

  it('exits with code 0 on SIGTERM within a few seconds and logs that it stopped', async () => {
    const db = await freshDatabase();
    const worker = spawnWorker('worker-sigterm', workerEnv(db));
    await waitForLog(worker, 'Order worker started', 30_000);
    const exit = await stopWorker(worker, 'SIGTERM', 5_000);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.elapsedMs).toBeLessThan(5_000);
    const msgs = worker.logs().map((l) => l.msg);
    expect(msgs).toContain('Received SIGTERM; finishing the current round');
    expect(msgs).toContain('Order worker stopped');
    // Its connections are closed, not dropped by the exit mid-session.
    const [row] = await db.sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'skypost-worker-listen'`;
    expect(row?.n).toBe(0);
  }, 40_000);

  it('wakes on NOTIFY: a new order is assigned within 3 s although the sweep is 60 s', async () => {
    const db = await freshDatabase();
    const user = await makeUser(db.db);
    const good = await makeGood(db.db);
    const automat = await makeAutomat(db.db, {
      coordinates: `${AUTOMAT.lat},${AUTOMAT.lon}`,
      external: [{ count: 3 }],
      internal: [{ count: 2 }],
    });
    const [d] = await db.db
      .insert(drones)
      .values({ model: 'Clover 4', ipAddress: '10.9.0.1', batteryLevel: 90, status: 'idle' })
      .returning({ id: drones.id });
    await recordTelemetry(db.db, {
      droneId: d!.id,
      readings: [{ lat: AUTOMAT.lat + 0.01, lon: AUTOMAT.lon, battery_level: 90 }],
    });

    const worker = spawnWorker('worker-notify', workerEnv(db, { WORKER_SWEEP_MS: '60000' }));
    await waitForLog(worker, 'Order worker started', 30_000);
    await new Promise((r) => setTimeout(r, 500)); // its first round (nothing to do) is over
    const [listening] = await db.sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'skypost-worker-listen'`;
    expect(listening?.n, workerOutputs([worker])).toBe(1);

    const created = Date.now();
    const order = await createOrder(
      db.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    await waitUntil(
      async () => (await db.sql`select 1 from orders where id = ${order.id} and status = 'processing'`).length > 0,
      {
        ms: 3_000,
        what: 'the new order to be assigned after its NOTIFY',
        workers: [worker],
        intervalMs: 25,
      },
    );
    expect(Date.now() - created).toBeLessThan(3_000);
    const [delivery] = await db.sql`select drone_id, status from deliveries where order_id = ${order.id}`;
    expect(delivery).toEqual({ drone_id: d!.id, status: 'assigned' });
    expect(
      worker
        .logs()
        .filter((l) => l.msg === 'Could not LISTEN for dispatch notifications; relying on the periodic sweep'),
    ).toEqual([]);
  }, 40_000);
});
