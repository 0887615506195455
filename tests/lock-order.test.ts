import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createSql, type Db } from '@/db';
import { drones } from '@/db/schema';
import { cancelOrderAsAdmin } from '@/lib/admin/orders';
import { markSilentDronesOffline, requeueStuckAssignments } from '@/lib/dispatch/housekeeping';
import { applyDroneEvent, assignOrder } from '@/lib/dispatch/delivery-flow';
import { AppError, sqlState, toAppError } from '@/lib/errors';
import { cancelOrder, createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The lock order of lib/orders/locks.ts under real concurrency: two pools (separate
// connections, so the transactions truly overlap in PostgreSQL) start two conflicting changes
// of the same order at the same moment, many times. Every run must end without a deadlock
// (40P01, which the API answers as a 503 "busy") and in one of the states the state machine
// allows, checked in the database: order, delivery, drone, both cells, stock, timeline and
// the customer's notification.

const OPTS = { minBattery: 30, offlineAfterMs: 60_000 };
const AT = { lat: 55.7558, lon: 37.6173 };
const STOCK = 10;
/** The acceptance figure: operator cancel against the drone's failure event. */
const MAIN_RUNS = 200;
/** The other risky pairs, each at a smaller count. */
const PAIR_RUNS = 25;

let t: TestDatabase;
let poolA: ReturnType<typeof createSql>;
let poolB: ReturnType<typeof createSql>;
let dbA: Db;
let dbB: Db;
let operator: string;

beforeAll(async () => {
  t = await createTestDatabase();
  poolA = createSql(t.url, 2);
  poolB = createSql(t.url, 2);
  dbA = createDb(poolA);
  dbB = createDb(poolB);
  await Promise.all([poolA`select 1`, poolB`select 1`]);
  operator = (await makeUser(t.db, { role: 'admin' })).id;
});
afterAll(async () => {
  await Promise.all([poolA?.end({ timeout: 5 }), poolB?.end({ timeout: 5 })]);
  await t?.drop();
});

const ctx = () => ({ userId: operator, userEmail: 'ops@example.com', ip: '10.1.2.3', userAgent: 'vitest' });

type Settled = { ok: true } | { ok: false; status: number; code: string; state: string | undefined; message: string };

async function settle(p: Promise<unknown>): Promise<Settled> {
  try {
    await p;
    return { ok: true };
  } catch (err) {
    const e = err instanceof AppError ? err : toAppError(err);
    return {
      ok: false,
      status: e.status,
      code: e.code,
      state: sqlState(err),
      message: err instanceof Error ? err.message : String(err),
    };
  }
}

/**
 * Starts both at once: each waits on the same gate, on its own pool. A random sub-millisecond
 * to 2 ms head start for either side varies which one reaches PostgreSQL first.
 */
async function race(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Settled, Settled]> {
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const jitter = () =>
    Math.random() < 0.5 ? Promise.resolve() : new Promise<void>((r) => setTimeout(r, Math.random() * 2));
  const ra = gate.then(jitter).then(() => settle(a()));
  const rb = gate.then(jitter).then(() => settle(b()));
  open();
  return Promise.all([ra, rb]);
}

const isDeadlock = (s: Settled) => !s.ok && (s.state === '40P01' || s.status === 503);

/**
 * `n` fresh customers, goods and lockers, each with a pending order, and `n` idle drones next to them (all others
 * parked).
 */
async function worlds(n: number) {
  await t.sql`update drones set status = 'maintenance' where status <> 'maintenance'`;
  return Promise.all(
    Array.from({ length: n }, async () => {
      const user = await makeUser(t.db);
      const good = await makeGood(t.db, { quantityAvailable: STOCK });
      const automat = await makeAutomat(t.db, {
        coordinates: `${AT.lat},${AT.lon}`,
        external: [{ count: 2 }],
        internal: [{ count: 2 }],
      });
      const [d] = await t.db
        .insert(drones)
        .values({ model: 'Clover 4', ipAddress: '10.9.0.1', batteryLevel: 90, status: 'idle' })
        .returning({ id: drones.id });
      await recordTelemetry(t.db, {
        droneId: d!.id,
        readings: [{ lat: AT.lat + 0.01, lon: AT.lon, battery_level: 90 }],
      });
      const order = await createOrder(
        t.db,
        { userId: user.id, goodId: good.id, automatId: automat.id },
        { actor: { type: 'customer', id: user.id } },
      );
      return { user, good, automat, orderId: order.id };
    }),
  );
}

/** `n` orders with a drone on each: assigned, or started when `stage` is in_progress. */
async function flyingOrders(n: number, stage: 'assigned' | 'in_progress') {
  const out = [];
  for (const w of await worlds(n)) {
    const a = await assignOrder(t.db, w.orderId, OPTS);
    if (a.kind !== 'assigned') throw new Error(`setup: not assigned: ${JSON.stringify(a)}`);
    if (stage === 'in_progress')
      await applyDroneEvent(t.db, { deliveryId: a.deliveryId, droneId: a.droneId, event: { type: 'started' } });
    out.push({ ...w, droneId: a.droneId, deliveryId: a.deliveryId });
  }
  return out;
}

type Snapshot = {
  order: string;
  stock: number;
  cell: string | null;
  delivery: string | null;
  failureReason: string | null;
  internalCell: string | null;
  drone: string | null;
  events: Record<string, number>;
  notices: Record<string, number>;
};

async function snapshot(orderId: string, deliveryId: string | null): Promise<Snapshot> {
  const [o] = await t.sql<{ status: string; stock: number; cell: string | null }[]>`
    select o.status, g.quantity_available as stock, c.status as cell
    from orders o join goods g on g.id = o.good_id left join locker_cells_out c on c.id = o.locker_cell_id
    where o.id = ${orderId}`;
  const [d] = deliveryId
    ? await t.sql<{ status: string; failure_reason: string | null; internal: string | null; drone: string | null }[]>`
        select d.status, d.failure_reason, ic.status as internal, dr.status as drone
        from deliveries d left join locker_cells_internal ic on ic.id = d.internal_locker_cell_id
          left join drones dr on dr.id = d.drone_id
        where d.id = ${deliveryId}`
    : [];
  const events = await t.sql<
    { k: string; n: number }[]
  >`select entity || ':' || event as k, count(*)::int as n from delivery_events where order_id = ${orderId} group by 1`;
  const notices = await t.sql<
    { kind: string; n: number }[]
  >`select kind, count(*)::int as n from notifications where order_id = ${orderId} group by 1`;
  return {
    order: o!.status,
    stock: o!.stock,
    cell: o!.cell,
    delivery: d?.status ?? null,
    failureReason: d?.failure_reason ?? null,
    internalCell: d?.internal ?? null,
    drone: d?.drone ?? null,
    events: Object.fromEntries(events.map((e) => [e.k, e.n])),
    notices: Object.fromEntries(notices.map((n) => [n.kind, n.n])),
  };
}

/** Invariants over the whole database, whatever ran: what a crash or a race must never leave. */
async function globalViolations(): Promise<string[]> {
  const [r] = await t.sql<{ stranded: number; held: number; busy_idle: number; two_active: number }[]>`
    select
      (select count(*)::int from orders o where o.status = 'processing'
         and not exists (select 1 from deliveries d
           where d.order_id = o.id and d.status in ('pending', 'assigned', 'in_progress', 'delivered'))) as stranded,
      (select count(*)::int from orders o join locker_cells_out c on c.id = o.locker_cell_id
         where o.status = 'cancelled' and c.status <> 'available'
           and not exists (select 1 from orders o2
             where o2.locker_cell_id = c.id and o2.status in ('pending', 'processing', 'delivered')))
        as held,
      (select count(*)::int from drones dr where dr.status = 'busy'
         and not exists (select 1 from deliveries d
           where d.drone_id = dr.id and d.status in ('assigned', 'in_progress'))) as busy_idle,
      (select count(*)::int from (select order_id from deliveries where status in ('pending', 'assigned', 'in_progress')
         group by order_id having count(*) > 1) x) as two_active`;
  const out: string[] = [];
  if (r!.stranded) out.push(`${r!.stranded} order(s) processing without an active delivery`);
  if (r!.held) out.push(`${r!.held} cell(s) held by a cancelled order`);
  if (r!.busy_idle) out.push(`${r!.busy_idle} drone(s) busy without a delivery`);
  if (r!.two_active) out.push(`${r!.two_active} order(s) with two active deliveries`);
  return out;
}

type Tally = { runs: number; deadlocks: number; invalid: number; outcomes: Record<string, number>; problems: string[] };

/**
 * Runs `runs` races, one at a time; `judge` names the outcome of one run from the two results
 * and the snapshot, or returns a problem (an invalid end state) prefixed with "invalid:".
 * `prepare(n)` sets up the next n runs at once (1 for races with a sweep over every drone or
 * delivery, which must see only their own run's rows).
 */
async function campaign<W extends { orderId: string; deliveryId: string | null }>({
  name,
  runs,
  prepare,
  sides,
  judge,
}: {
  name: string;
  runs: number;
  prepare: { batch: number; make: (n: number, first: number) => Promise<W[]> };
  sides: (w: W) => [() => Promise<unknown>, () => Promise<unknown>];
  judge: (r: [Settled, Settled], s: Snapshot, w: W) => string;
}): Promise<Tally> {
  const tally: Tally = { runs: 0, deadlocks: 0, invalid: 0, outcomes: {}, problems: [] };
  let ready: W[] = [];
  for (let i = 0; i < runs; i++) {
    if (!ready.length) ready = await prepare.make(Math.min(prepare.batch, runs - i), i);
    const w = ready.shift()!;
    const [a, b] = sides(w);
    const r = await race(a, b);
    tally.runs++;
    if (r.some(isDeadlock)) {
      tally.deadlocks++;
      tally.problems.push(`run ${i}: deadlock: ${JSON.stringify(r)}`);
      continue;
    }
    const verdict = judge(r, await snapshot(w.orderId, w.deliveryId), w);
    const global = await globalViolations();
    if (verdict.startsWith('invalid:') || global.length) {
      tally.invalid++;
      tally.problems.push(`run ${i}: ${verdict} ${global.join('; ')} ${JSON.stringify(r)}`);
    } else {
      tally.outcomes[verdict] = (tally.outcomes[verdict] ?? 0) + 1;
    }
  }
  console.log(
    `[lock-order] ${name}: ${tally.runs} runs, ${tally.deadlocks} deadlocks, ${tally.invalid} invalid end states; ` +
      `outcomes ${JSON.stringify(tally.outcomes)}`,
  );
  return tally;
}

const CANCEL_REASON = 'customer moved';
const OPERATOR_REASON = `Cancelled by an operator: ${CANCEL_REASON}`;
const refused = (s: Settled) => !s.ok && s.status === 409 && s.code === 'invalid_transition';

/** Cancelled with stock back exactly once, pickup cell free, one cancellation, one notice. */
function cancelledCleanly(s: Snapshot): string | null {
  if (s.order !== 'cancelled') return `order ${s.order}`;
  if (s.stock !== STOCK) return `stock ${s.stock}, expected ${STOCK} (restored exactly once)`;
  if (s.cell !== 'available') return `pickup cell ${s.cell}`;
  if (s.events['order:cancelled'] !== 1) return `order:cancelled events ${s.events['order:cancelled']}`;
  if (s.notices.order_cancelled !== 1) return `order_cancelled notices ${s.notices.order_cancelled}`;
  return null;
}

/** The delivery ended failed exactly once, releasing its drone and drop cell. */
function failedOnce(s: Snapshot, droneStatus = 'idle'): string | null {
  if (s.delivery !== 'failed') return `delivery ${s.delivery}`;
  if (s.events['delivery:failed'] !== 1) return `delivery:failed events ${s.events['delivery:failed']}`;
  if (s.internalCell !== 'available') return `drop cell ${s.internalCell}`;
  if (s.drone !== droneStatus) return `drone ${s.drone}, expected ${droneStatus}`;
  return null;
}

const invalid = (...problems: (string | null)[]) => {
  const p = problems.filter(Boolean);
  return p.length ? `invalid: ${p.join(', ')}` : null;
};

describe("operator cancel against the drone's failure event, on the same order", () => {
  it(
    `${MAIN_RUNS} races: no deadlock, and every run ends in one of the two outcomes the state machine allows`,
    { timeout: 600_000 },
    async () => {
      const tally = await campaign({
        name: 'operator cancel vs drone failed',
        runs: MAIN_RUNS,
        // Batches of 10 alternate between a drone assigned and one already flying.
        prepare: { batch: 10, make: (n, first) => flyingOrders(n, (first / 10) % 2 ? 'in_progress' : 'assigned') },
        sides: (w) => [
          () => cancelOrderAsAdmin(dbA, ctx(), { orderId: w.orderId, reason: CANCEL_REASON }),
          () =>
            applyDroneEvent(dbB, {
              deliveryId: w.deliveryId,
              droneId: w.droneId,
              event: { type: 'failed', reason: 'rotor fault' },
            }),
        ],
        judge: ([cancel, fail], s) => {
          // Both calls succeed either way: the cancel applies to a processing or a requeued
          // order, and a failure report for a delivery already failed is a no-op.
          if (!cancel.ok || !fail.ok) return `invalid: a call failed`;
          if (s.failureReason === OPERATOR_REASON) {
            // The operator first: the delivery failed with the operator's reason; no requeue.
            return (
              invalid(cancelledCleanly(s), failedOnce(s), s.events['order:requeued'] ? 'requeued too' : null) ??
              'operator first'
            );
          }
          if (s.failureReason === 'rotor fault') {
            // The drone first: the order was requeued (attempt 1 of 3), then cancelled while pending.
            return (
              invalid(
                cancelledCleanly(s),
                failedOnce(s),
                s.events['order:requeued'] === 1 ? null : 'not requeued once',
              ) ?? 'drone first'
            );
          }
          return `invalid: failure reason ${s.failureReason}`;
        },
      });
      expect(tally.problems).toEqual([]);
      expect(tally).toMatchObject({ runs: MAIN_RUNS, deadlocks: 0, invalid: 0 });
      // Both interleavings happened, so the race was real.
      expect(Object.keys(tally.outcomes).sort()).toEqual(['drone first', 'operator first']);
    },
  );
});

describe('other pairs that lock an order and its delivery', () => {
  it(`operator cancel vs the drone's drop (${PAIR_RUNS} races)`, { timeout: 300_000 }, async () => {
    const tally = await campaign({
      name: 'operator cancel vs drone dropped',
      runs: PAIR_RUNS,
      prepare: { batch: 5, make: (n) => flyingOrders(n, 'in_progress') },
      sides: (w) => [
        () => cancelOrderAsAdmin(dbA, ctx(), { orderId: w.orderId, reason: CANCEL_REASON }),
        () => applyDroneEvent(dbB, { deliveryId: w.deliveryId, droneId: w.droneId, event: { type: 'dropped' } }),
      ],
      judge: ([cancel, drop], s) => {
        if (cancel.ok && refused(drop)) return invalid(cancelledCleanly(s), failedOnce(s)) ?? 'operator first';
        if (drop.ok && refused(cancel)) {
          // The parcel is in the drop cell: cancel is refused; nothing is released.
          const p = [
            s.order === 'processing' ? null : `order ${s.order}`,
            s.delivery === 'delivered' ? null : `delivery ${s.delivery}`,
            s.internalCell === 'occupied' ? null : `drop cell ${s.internalCell}`,
            s.cell === 'reserved' ? null : `pickup cell ${s.cell}`,
            s.stock === STOCK - 1 ? null : `stock ${s.stock}`,
            s.drone === 'idle' ? null : `drone ${s.drone}`,
          ];
          return invalid(...p) ?? 'drone first';
        }
        return 'invalid: unexpected results';
      },
    });
    expect(tally.problems).toEqual([]);
    expect(tally).toMatchObject({ deadlocks: 0, invalid: 0 });
  });

  it(
    `operator cancel vs the worker's assigned-timeout requeue (${PAIR_RUNS} races)`,
    { timeout: 300_000 },
    async () => {
      const tally = await campaign({
        name: 'operator cancel vs assigned-timeout requeue',
        runs: PAIR_RUNS,
        prepare: { batch: 1, make: (n) => flyingOrders(n, 'assigned') },
        sides: (w) => [
          () => cancelOrderAsAdmin(dbA, ctx(), { orderId: w.orderId, reason: CANCEL_REASON }),
          () => requeueStuckAssignments(dbB, { assignedTimeoutMs: 60_000, now: new Date(Date.now() + 10 * 60_000) }),
        ],
        judge: ([cancel, sweep], s) => {
          if (!cancel.ok || !sweep.ok) return 'invalid: a call failed';
          if (s.failureReason === OPERATOR_REASON)
            return (
              invalid(cancelledCleanly(s), failedOnce(s), s.events['order:requeued'] ? 'requeued too' : null) ??
              'operator first (sweep found it busy or done)'
            );
          if (s.failureReason?.startsWith('not started within'))
            return (
              invalid(
                cancelledCleanly(s),
                failedOnce(s),
                s.events['order:requeued'] === 1 ? null : 'not requeued once',
              ) ?? 'sweep first'
            );
          return `invalid: failure reason ${s.failureReason}`;
        },
      });
      expect(tally.problems).toEqual([]);
      expect(tally).toMatchObject({ deadlocks: 0, invalid: 0 });
    },
  );

  it(`operator cancel vs the silent-drone sweep (${PAIR_RUNS} races)`, { timeout: 300_000 }, async () => {
    const tally = await campaign({
      name: 'operator cancel vs silent-drone sweep',
      runs: PAIR_RUNS,
      prepare: { batch: 1, make: (n) => flyingOrders(n, 'in_progress') },
      sides: (w) => [
        () => cancelOrderAsAdmin(dbA, ctx(), { orderId: w.orderId, reason: CANCEL_REASON }),
        () => markSilentDronesOffline(dbB, { offlineAfterMs: 60_000, now: new Date(Date.now() + 10 * 60_000) }),
      ],
      judge: ([cancel, sweep], s) => {
        if (!cancel.ok || !sweep.ok) return 'invalid: a call failed';
        // The sweep skips a drone whose order is being changed; the next sweep takes it.
        // An idle drone that stays silent is marked offline all the same.
        if (s.failureReason === OPERATOR_REASON)
          return (
            invalid(cancelledCleanly(s), failedOnce(s, s.drone === 'offline' ? 'offline' : 'idle')) ?? 'operator first'
          );
        if (s.failureReason === 'drone offline')
          return invalid(cancelledCleanly(s), failedOnce(s, 'offline')) ?? 'sweep first';
        return `invalid: failure reason ${s.failureReason}`;
      },
    });
    expect(tally.problems).toEqual([]);
    expect(tally).toMatchObject({ deadlocks: 0, invalid: 0 });
  });

  it(
    `the drone's failure event vs the silent-drone sweep (${PAIR_RUNS} races): the failure counts once`,
    { timeout: 300_000 },
    async () => {
      const tally = await campaign({
        name: 'drone failed vs silent-drone sweep',
        runs: PAIR_RUNS,
        prepare: { batch: 1, make: (n) => flyingOrders(n, 'in_progress') },
        sides: (w) => [
          () =>
            applyDroneEvent(dbA, {
              deliveryId: w.deliveryId,
              droneId: w.droneId,
              event: { type: 'failed', reason: 'rotor fault' },
            }),
          () => markSilentDronesOffline(dbB, { offlineAfterMs: 60_000, now: new Date(Date.now() + 10 * 60_000) }),
        ],
        judge: ([fail, sweep], s) => {
          if (!fail.ok || !sweep.ok) return 'invalid: a call failed';
          const requeued =
            s.order === 'pending' && s.events['order:requeued'] === 1 && s.cell === 'reserved' && s.stock === STOCK - 1
              ? null
              : `order ${s.order}, requeued ${s.events['order:requeued']}`;
          if (s.failureReason === 'rotor fault')
            return invalid(requeued, failedOnce(s, s.drone === 'offline' ? 'offline' : 'idle')) ?? 'drone first';
          if (s.failureReason === 'drone offline') return invalid(requeued, failedOnce(s, 'offline')) ?? 'sweep first';
          return `invalid: failure reason ${s.failureReason}`;
        },
      });
      expect(tally.problems).toEqual([]);
      expect(tally).toMatchObject({ deadlocks: 0, invalid: 0 });
    },
  );

  it(`the customer's cancel vs dispatch assignment (${PAIR_RUNS} races)`, { timeout: 300_000 }, async () => {
    const tally = await campaign({
      name: 'customer cancel vs assignment',
      runs: PAIR_RUNS,
      // One at a time: the assignment takes the nearest idle drone, so every run has exactly one.
      prepare: { batch: 1, make: async (n) => (await worlds(n)).map((w) => ({ ...w, deliveryId: null })) },
      sides: (w) => [
        () => cancelOrder(dbA, { orderId: w.orderId, userId: w.user.id }, { type: 'customer', id: w.user.id }),
        () => assignOrder(dbB, w.orderId, OPTS),
      ],
      judge: ([cancel, assign], s) => {
        if (!assign.ok) return 'invalid: assignment failed';
        if (cancel.ok) {
          // Cancelled first (the assignment found nothing pending, or skipped the locked row).
          if (s.events['delivery:assigned']) return 'invalid: assigned and cancelled';
          return (
            invalid(
              s.order === 'cancelled' ? null : `order ${s.order}`,
              s.stock === STOCK ? null : `stock ${s.stock}`,
              s.cell === 'available' ? null : `cell ${s.cell}`,
            ) ?? 'customer first'
          );
        }
        if (refused(cancel))
          return (
            invalid(
              s.order === 'processing' ? null : `order ${s.order}`,
              s.events['delivery:assigned'] === 1 ? null : 'not assigned once',
            ) ?? 'assignment first'
          );
        return 'invalid: unexpected results';
      },
    });
    expect(tally.problems).toEqual([]);
    expect(tally).toMatchObject({ deadlocks: 0, invalid: 0 });
  });
});
