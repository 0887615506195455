import { randomBytes } from 'node:crypto';
import { test as base, expect, type APIRequestContext, type APIResponse } from '@playwright/test';
import postgres from 'postgres';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
import {
  UUID_RE,
  ISO_RE,
  expectError,
  expectJson,
  expectValidation,
  register,
  session,
  signInWithPassword,
  uid,
  uniqueEmail,
  type OrderJson,
  type RegisteredUser,
} from '../api/helpers';

// Helpers for the device API tests (docs/openapi.yaml: "Device authentication",
// "Drone endpoints", "Parcel automat endpoints") against the dispatch server of the
// `dispatch` Playwright project: a real production server with one order worker
// (WORKER_SWEEP_MS=500) on its own embedded database. The tests of this project run
// serially on that one database, so every test leaves no active delivery behind and no
// drone the worker could pick (see the `world` fixture's teardown).

export const DEMO_KEY_SEED = process.env.DEMO_DEVICE_KEY_SEED ?? 'skypost-dev-seed';
export const dispatchPgPort = Number(process.env.E2E_DISPATCH_PG_PORT ?? Number(process.env.E2E_PG_PORT ?? 54339) + 1);
export const dispatchDatabaseUrl = `postgres://postgres:postgres@127.0.0.1:${dispatchPgPort}/skypost_delivery`;

/** db/seed.ts SEED_DRONES and SEED_AUTOMATS natural keys. */
export const DRONE_IPS = [
  '192.168.1.100',
  '192.168.1.101',
  '192.168.1.102',
  '192.168.1.103',
  '192.168.1.104',
  '192.168.1.105',
  '192.168.1.106',
  '192.168.1.107',
] as const;
export type DroneIp = (typeof DRONE_IPS)[number];
export const AUTOMAT_ARUCO = [101, 102, 103, 104, 105, 106, 107] as const;
export type Aruco = (typeof AUTOMAT_ARUCO)[number];

/** db/seed.ts DEMO_BASE: where drones park. About 3.9 km from Red Square. */
export const HUB = { lat: 55.7262, lon: 37.6497 };
export const RED_SQUARE = { city: 'Moscow', address: 'Red Square, 1', lat: 55.7558, lon: 37.6173, aruco_id: 101 };
export const SMALL_PACKAGE = { name: 'Small Package', weight: 0.5, height: 10, length: 20, width: 15 };
/** The worker assigns only drones with more battery than this (env DISPATCH_MIN_BATTERY). */
export const MIN_BATTERY = 30;
/** A battery level at which the worker never assigns a drone: how tests "retire" drones. */
export const RETIRED_BATTERY = 25;

export type DroneHandle = { kind: 'drone'; ip: DroneIp; id: string; key: string };
export type AutomatHandle = { kind: 'automat'; aruco: Aruco; id: string; key: string };
export type Fleet = {
  drones: Record<DroneIp, DroneHandle>;
  automats: Record<Aruco, AutomatHandle>;
  droneById(id: string): DroneHandle;
  automatById(id: string): AutomatHandle;
};

export const droneKey = (ip: string) => deriveDemoDeviceKey(DEMO_KEY_SEED, 'drone', ip);
export const automatKey = (aruco: number) => deriveDemoDeviceKey(DEMO_KEY_SEED, 'automat', String(aruco));
/** Well-formed keys nobody was issued. */
export const randomDroneKey = () => `spd_${randomBytes(32).toString('base64url')}`;
export const randomAutomatKey = () => `spa_${randomBytes(32).toString('base64url')}`;

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
export const as = (device: { key: string }) => bearer(device.key);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Sql = postgres.Sql;

// ---------------------------------------------------------------------------------------
// Device calls

export type Reading = {
  lat: number;
  lon: number;
  battery_level: number;
  altitude_m?: number;
  heading_deg?: number;
  speed_mps?: number;
  status?: string;
  recorded_at?: string;
};

export function postTelemetry(
  request: APIRequestContext,
  drone: DroneHandle,
  { body, headers = as(drone) }: { body: unknown; headers?: Record<string, string> },
) {
  return request.post(`/api/drones/${drone.id}/telemetry`, { data: body as object, headers });
}

/** One reading "now" at `at`, as status idle: the worker sees this drone as available (if battery > 30). */
export async function reportAt(
  request: APIRequestContext,
  drone: DroneHandle,
  { at, battery = 95, extra = {} }: { at: { lat: number; lon: number }; battery?: number; extra?: Partial<Reading> },
) {
  const res = await postTelemetry(request, drone, {
    body: {
      lat: at.lat,
      lon: at.lon,
      battery_level: battery,
      altitude_m: 0,
      speed_mps: 0,
      status: 'idle',
      ...extra,
    },
  });
  expect(await expectJson(res, 202)).toEqual({ accepted: 1 });
}

export type DeliveryEventBody = { type: 'started' } | { type: 'dropped' } | { type: 'failed'; reason: string };

export function postEvent(
  request: APIRequestContext,
  drone: DroneHandle,
  { deliveryId, body }: { deliveryId: string; body: unknown },
) {
  return request.post(`/api/deliveries/${deliveryId}/events`, { data: body as object, headers: as(drone) });
}

/** A drone event that must succeed: 200 {delivery: {id, status}}. */
export async function droneEvent(
  request: APIRequestContext,
  drone: DroneHandle,
  { deliveryId, body, expectedStatus }: { deliveryId: string; body: DeliveryEventBody; expectedStatus: string },
) {
  const res = await postEvent(request, drone, { deliveryId, body });
  expect(await expectJson(res, 200)).toEqual({ delivery: { id: deliveryId, status: expectedStatus } });
}

export function getTask(request: APIRequestContext, drone: DroneHandle, headers: Record<string, string> = as(drone)) {
  return request.get(`/api/drones/${drone.id}/task`, { headers });
}

export async function expectNoTask(request: APIRequestContext, drone: DroneHandle) {
  const res = await getTask(request, drone);
  expect(res.status(), await res.text()).toBe(204);
  expect(await res.text()).toBe('');
}

export type TaskJson = {
  delivery: {
    id: string;
    status: string;
    order_id: string;
    automat: { id: string; city: string; address: string; lat: number; lon: number; aruco_id: number };
    internal_cell: { id: string; cell_number: number } | null;
    good: { name: string; weight: number; height: number; length: number; width: number };
  };
};

/** Polls GET /api/drones/{id}/task for these drones until one has a task (the worker assigned it). */
export async function waitForTask(
  request: APIRequestContext,
  drones: DroneHandle[],
  opts: { orderId?: string; timeoutMs?: number } = {},
): Promise<{ drone: DroneHandle; task: TaskJson }> {
  const until = Date.now() + (opts.timeoutMs ?? 15_000);
  for (;;) {
    for (const drone of drones) {
      const res = await getTask(request, drone);
      if (res.status() === 200) {
        const task = (await res.json()) as TaskJson;
        if (!opts.orderId || task.delivery.order_id === opts.orderId) return { drone, task };
      } else {
        expect(res.status(), `GET task of ${drone.ip}: ${await res.text()}`).toBe(204);
      }
    }
    if (Date.now() > until)
      throw new Error(
        `No task for ${drones.map((d) => d.ip).join(', ')} within ${opts.timeoutMs ?? 15_000} ms` +
          `${opts.orderId ? ` (order ${opts.orderId})` : ''}`,
      );
    await sleep(200);
  }
}

export function automatPost(
  request: APIRequestContext,
  automat: AutomatHandle,
  {
    action,
    body,
    headers = as(automat),
  }: { action: 'transfer' | 'scan' | 'heartbeat'; body: unknown; headers?: Record<string, string> },
) {
  return request.post(`/api/automats/${automat.id}/${action}`, { data: body as object, headers });
}

export function getExpected(
  request: APIRequestContext,
  automat: AutomatHandle,
  headers: Record<string, string> = as(automat),
) {
  return request.get(`/api/automats/${automat.id}/expected`, { headers });
}

export type ExpectedJson = {
  deliveries: {
    id: string;
    status: string;
    drone_id: string | null;
    internal_cell_number: number | null;
    external_cell_number: number | null;
  }[];
};

/** Sends raw text (malformed or oversized JSON) with a device key. */
export function postRawAs(
  request: APIRequestContext,
  url: string,
  { body, device }: { body: string; device: { key: string } },
) {
  return request.post(url, { data: body, headers: { 'content-type': 'application/json', ...as(device) } });
}

/** A syntactically valid JSON document larger than `bytes`. */
export function jsonOver(bytes: number, make: (padding: string) => unknown = (padding) => ({ padding })): string {
  const text = JSON.stringify(make('x'.repeat(bytes + 16)));
  expect(Buffer.byteLength(text)).toBeGreaterThan(bytes);
  return text;
}

export { ISO_RE, UUID_RE, expectError, expectJson, expectValidation };

// ---------------------------------------------------------------------------------------
// Customers

export type Customer = { request: APIRequestContext; user: RegisteredUser; email: string; password: string };

export type TimelineEntry = {
  event: string;
  entity: string;
  from_status: string | null;
  to_status: string | null;
  actor: string;
  details: Record<string, unknown>;
  at: string;
};
export type OrderDetailJson = OrderJson & {
  timeline: TimelineEntry[];
  tracking: { delivery_id: string; delivery_status: string; drone: { id: string } | null } | null;
};

export async function placeOrder(customer: Customer, goodId: string, automatId: string): Promise<OrderJson> {
  const res = await customer.request.post('/api/orders', { data: { good_id: goodId, parcel_automat_id: automatId } });
  return (await expectJson<{ order: OrderJson }>(res, 201)).order;
}

export async function customerOrder(customer: Customer, orderId: string): Promise<OrderDetailJson> {
  const res = await customer.request.get(`/api/me/orders/${orderId}`);
  return (await expectJson<{ order: OrderDetailJson }>(res, 200)).order;
}

export async function pickupCode(
  customer: Customer,
  method: 'GET' | 'POST' = 'GET',
): Promise<{ token: string; expires_at: string }> {
  const res =
    method === 'GET'
      ? await customer.request.get('/api/me/pickup-code')
      : await customer.request.post('/api/me/pickup-code');
  const body = await expectJson<{ token: string; expires_at: string }>(res, 200);
  expect(body).toEqual({ token: expect.any(String), expires_at: expect.any(String) });
  return body;
}

// ---------------------------------------------------------------------------------------
// Reading the dispatch database (read-only; writes go through the HTTP API)

export type DroneRow = {
  status: string;
  battery_level: number | null;
  last_lat: number | null;
  last_lon: number | null;
  position_recorded_at: Date | null;
  last_seen_at: Date | null;
  readings: number;
};

export async function droneRow(sql: Sql, id: string): Promise<DroneRow> {
  const [row] = await sql<DroneRow[]>`
    select status, battery_level::float8 as battery_level, last_lat, last_lon, position_recorded_at, last_seen_at,
           (select count(*)::int from drone_telemetry t where t.drone_id = d.id) as readings
    from drones d where id = ${id}`;
  if (!row) throw new Error(`drone ${id} not found`);
  return row;
}

export type DeliveryRow = {
  id: string;
  order_id: string;
  drone_id: string | null;
  status: string;
  internal_locker_cell_id: string | null;
  started_at: Date | null;
  completed_at: Date | null;
  failure_reason: string | null;
  updated_at: Date;
};

export async function deliveryRow(sql: Sql, id: string): Promise<DeliveryRow> {
  const [row] = await sql<DeliveryRow[]>`
    select id, order_id, drone_id, status, internal_locker_cell_id, started_at, completed_at, failure_reason, updated_at
    from deliveries where id = ${id}`;
  if (!row) throw new Error(`delivery ${id} not found`);
  return row;
}

export async function deliveriesOfOrder(sql: Sql, orderId: string): Promise<DeliveryRow[]> {
  return sql<DeliveryRow[]>`
    select id, order_id, drone_id, status, internal_locker_cell_id, started_at, completed_at, failure_reason, updated_at
    from deliveries where order_id = ${orderId} order by created_at, id`;
}

export type OrderRow = { status: string; locker_cell_id: string | null; updated_at: Date };

export async function orderRow(sql: Sql, id: string): Promise<OrderRow> {
  const [row] = await sql<OrderRow[]>`select status, locker_cell_id, updated_at from orders where id = ${id}`;
  if (!row) throw new Error(`order ${id} not found`);
  return row;
}

export async function externalCell(sql: Sql, id: string): Promise<{ status: string; cell_number: number }> {
  const [row] = await sql<
    { status: string; cell_number: number }[]
  >`select status, cell_number from locker_cells_out where id = ${id}`;
  if (!row) throw new Error(`external cell ${id} not found`);
  return row;
}

export async function internalCell(sql: Sql, id: string): Promise<{ status: string; cell_number: number }> {
  const [row] = await sql<
    { status: string; cell_number: number }[]
  >`select status, cell_number from locker_cells_internal where id = ${id}`;
  if (!row) throw new Error(`internal cell ${id} not found`);
  return row;
}

export async function automatRow(sql: Sql, id: string): Promise<{ is_working: boolean; last_seen_at: Date | null }> {
  const [row] = await sql<
    { is_working: boolean; last_seen_at: Date | null }[]
  >`select is_working, last_seen_at from parcel_automats where id = ${id}`;
  if (!row) throw new Error(`automat ${id} not found`);
  return row;
}

/** The order's timeline events, oldest first, as "entity:event". */
export async function orderEvents(sql: Sql, orderId: string): Promise<string[]> {
  const rows = await sql<
    { entity: string; event: string }[]
  >`select entity, event from delivery_events where order_id = ${orderId} order by id`;
  return rows.map((r) => `${r.entity}:${r.event}`);
}

// ---------------------------------------------------------------------------------------
// Fixtures

type WorkerFixtures = { sql: Sql };

export type World = {
  fleet: Fleet;
  goods: Record<string, string>;
  /** A freshly registered customer, signed in in its own request context on the dispatch server. */
  newCustomer: (tag?: string) => Promise<Customer>;
};

type TestFixtures = { world: World };

let fleetCache: Promise<Fleet> | null = null;

async function identify(request: APIRequestContext, key: string): Promise<{ kind: string; id: string } | null> {
  const res = await request.get('/api/devices/me', { headers: bearer(key) });
  if (res.status() === 401) return null;
  const body = await expectJson<{ device: { kind: string; id: string } }>(res, 200);
  return body.device;
}

/**
 * The demo devices' ids, learnt with GET /api/devices/me and their derived demo keys (the
 * dispatch server's seed gives demo devices these keys: SEED_DEMO_DEVICE_KEYS=true in
 * playwright.config.ts, since NODE_ENV=production seeds none by default).
 */
async function loadFleet(request: APIRequestContext): Promise<Fleet> {
  const notAccepted = (what: string) =>
    new Error(
      `The demo key of ${what} is not accepted here: ` +
        'was the dispatch server seeded without SEED_DEMO_DEVICE_KEYS=true, or was the key rotated?',
    );
  const drones = {} as Record<DroneIp, DroneHandle>;
  const automats = {} as Record<Aruco, AutomatHandle>;
  for (const ip of DRONE_IPS) {
    const key = droneKey(ip);
    const device = await identify(request, key);
    if (!device) throw notAccepted(`drone ${ip}`);
    expect(device.kind).toBe('drone');
    drones[ip] = { kind: 'drone', ip, id: device.id, key };
  }
  for (const aruco of AUTOMAT_ARUCO) {
    const key = automatKey(aruco);
    const device = await identify(request, key);
    if (!device) throw notAccepted(`automat ${aruco}`);
    expect(device.kind).toBe('automat');
    automats[aruco] = { kind: 'automat', aruco, id: device.id, key };
  }
  const droneList = Object.values(drones);
  const automatList = Object.values(automats);
  return {
    drones,
    automats,
    droneById(id) {
      const d = droneList.find((x) => x.id === id);
      if (!d) throw new Error(`no demo drone ${id}`);
      return d;
    },
    automatById(id) {
      const a = automatList.find((x) => x.id === id);
      if (!a) throw new Error(`no demo automat ${id}`);
      return a;
    },
  };
}

/**
 * Drones the worker could assign right now (idle, battery > 30, seen in the last 30 s) report
 * from the hub with a battery the worker never assigns, so no order of a later step or test
 * goes to a drone nobody is watching. Reporting is what drones do; nothing is written directly.
 */
export async function retireAssignableDrones(request: APIRequestContext, sql: Sql, fleet: Fleet) {
  const rows = await sql<{ id: string }[]>`
    select id from drones
    where status = 'idle' and battery_level > ${MIN_BATTERY} and last_seen_at > now() - interval '35 seconds'`;
  for (const { id } of rows) await reportAt(request, fleet.droneById(id), { at: HUB, battery: RETIRED_BATTERY });
}

/**
 * Brings every order of these customers to an end state through the public API: active
 * deliveries are failed by their drone, dropped ones transferred by the locker, pending
 * orders cancelled, parcels in a locker collected with the customer's pickup code.
 */
async function settleOrders(
  request: APIRequestContext,
  sql: Sql,
  { fleet, customers }: { fleet: Fleet; customers: Customer[] },
) {
  if (customers.length === 0) return;
  const userIds = customers.map((c) => c.user.id);
  for (let round = 0; round < 40; round++) {
    const open = await sql<{ id: string; user_id: string; status: string; parcel_automat_id: string }[]>`
      select id, user_id, status, parcel_automat_id from orders
      where user_id in ${sql(userIds)} and status not in ('completed', 'cancelled')`;
    if (open.length === 0) return;
    for (const order of open) {
      const customer = customers.find((c) => c.user.id === order.user_id)!;
      const automat = fleet.automatById(order.parcel_automat_id);
      const active = await sql<{ id: string; status: string; drone_id: string | null }[]>`
        select id, status, drone_id from deliveries
        where order_id = ${order.id} and status in ('assigned', 'in_progress', 'delivered')`;
      for (const d of active) {
        if (d.status === 'delivered')
          await automatPost(request, automat, { action: 'transfer', body: { delivery_id: d.id } });
        else if (d.drone_id)
          await postEvent(request, fleet.droneById(d.drone_id), {
            deliveryId: d.id,
            body: { type: 'failed', reason: 'e2e cleanup' },
          });
      }
      if (order.status === 'pending') await customer.request.post(`/api/orders/${order.id}/cancel`);
      if (order.status === 'delivered') {
        const { token } = await pickupCode(customer);
        await automatPost(request, automat, { action: 'scan', body: { qr: token } });
      }
    }
    await retireAssignableDrones(request, sql, fleet);
    await sleep(250);
  }
  throw new Error('Cleanup could not settle the orders of this test');
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sql: [
    async ({}, use) => {
      const sql = postgres(dispatchDatabaseUrl, { max: 2, onnotice: () => {} });
      await use(sql);
      await sql.end({ timeout: 5 });
    },
    { scope: 'worker' },
  ],

  world: async ({ request, sql, playwright, baseURL }, use) => {
    fleetCache ??= loadFleet(request);
    const fleet = await fleetCache.catch((err: unknown) => {
      fleetCache = null;
      throw err;
    });
    const goodRows = await sql<{ id: string; name: string }[]>`select id, name from goods`;
    const goods = Object.fromEntries(goodRows.map((r) => [r.name, r.id]));
    if (!goods[SMALL_PACKAGE.name]) throw new Error('Seed good "Small Package" not found in the dispatch database');

    // Start from a quiet fleet: nothing assignable left over by an earlier test.
    await retireAssignableDrones(request, sql, fleet);

    const customers: Customer[] = [];
    const newCustomer = async (tag = 'customer') => {
      const ctx = await playwright.request.newContext({ baseURL });
      const email = uniqueEmail(`dispatch-${tag}`);
      const password = `pw-${uid()}-long`;
      const user = await register(ctx, { full_name: `E2E ${tag}`, email, password });
      const res = await signInWithPassword(ctx, email, password);
      expect(res.status()).toBe(302);
      expect(res.headers().location ?? '').not.toContain('error=');
      expect((await session(ctx)).user?.id).toBe(user.id);
      const customer: Customer = { request: ctx, user, email, password };
      customers.push(customer);
      return customer;
    };

    await use({ fleet, goods, newCustomer });

    // Leave nothing active for the next test, whatever happened in this one.
    await retireAssignableDrones(request, sql, fleet);
    await settleOrders(request, sql, { fleet, customers });
    await retireAssignableDrones(request, sql, fleet);
    if (customers.length) {
      const left = await sql<{ id: string; status: string }[]>`
        select d.id, d.status from deliveries d join orders o on o.id = d.order_id
        where o.user_id in ${sql(customers.map((c) => c.user.id))}
          and d.status in ('pending', 'assigned', 'in_progress', 'delivered')`;
      expect(left, 'deliveries of this test still active after cleanup').toEqual([]);
    }
    for (const c of customers) await c.request.dispose();
  },
});

export { expect };

/** Ensures a response was not a server error, with its body in the message. */
export async function expectNot5xx(res: APIResponse) {
  expect(res.status(), `${res.url()} -> ${await res.text()}`).toBeLessThan(500);
}
