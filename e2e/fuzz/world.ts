import { randomBytes, randomInt } from 'node:crypto';
import { expect, type APIRequestContext, type PlaywrightWorkerArgs } from '@playwright/test';
import type postgres from 'postgres';
import { createDb, createSql } from '@/db';
import { hashPassword } from '@/lib/auth/password';
import { generateDeviceKey, hashDeviceKey } from '@/lib/device-keys/keys';
import { applyDroneEvent, assignOrder, transferToPickupCell } from '@/lib/dispatch/delivery-flow';
import { createOrder } from '@/lib/orders/order-flow';
import { recordTelemetry } from '@/lib/telemetry/record';
import { databaseUrl, session, signInWithPassword } from '../api/helpers';

// The cast of the hostile-input suite, made from the database (factories) so that no
// rate limit on registration stands in the way: two customers, an admin, two drones and two
// lockers, each with its own data, so that "A must not touch B's" can be asserted.
//
// Lockers A and B stand far from every seeded or test locker (and from each other), with
// their drones parked on them, so the dispatcher picks exactly our drones for our orders.

export const IDENTITIES = [
  'anonymous',
  'customerA',
  'customerB',
  'admin',
  'droneA',
  'droneB',
  'automatA',
  'automatB',
] as const;
export type Identity = (typeof IDENTITIES)[number];

export type Person = { id: string; email: string; fullName: string; password: string };
export type Device = { id: string; key: string };

export type World = {
  ctx: Record<Identity, APIRequestContext>;
  users: { A: Person; B: Person; admin: Person; C: Person };
  drones: { A: Device; B: Device; C: Device };
  automats: { A: Device & { aruco: number }; B: Device & { aruco: number } };
  goodId: string;
  orders: { pendingA: string; pendingB: string; assignedA: string; assignedB: string };
  deliveries: { assignedA: string; assignedB: string; droppedAtA: string };
  notifications: { A: string; B: string };
  /** Customer C's pickup code; C has one parcel waiting at locker A. */
  qrC: string;
  /** next-auth's CSRF token of the anonymous context (its cookie is in that context). */
  csrf: string;
  dispose: () => Promise<void>;
};

const tag = () => randomBytes(4).toString('hex');
const ASSIGN = { minBattery: 30, offlineAfterMs: 10 * 60_000 };

async function person(sql: postgres.Sql, role: 'client' | 'admin', name: string): Promise<Person> {
  const email = `fuzz.${name.toLowerCase()}.${tag()}@example.com`;
  const password = `fuzz-${tag()}-password`;
  const fullName = `Fuzz ${name}`;
  const [row] = await sql<{ id: string }[]>`
    insert into users (full_name, email, pass_hash, role)
    values (${fullName}, ${email}, ${await hashPassword(password)}, ${role}) returning id`;
  return { id: row!.id, email, fullName, password };
}

async function device(
  sql: postgres.Sql,
  { kind, at, battery = 99 }: { kind: 'drone' | 'automat'; at: { lat: number; lon: number }; battery?: number },
): Promise<Device & { aruco: number }> {
  const key = generateDeviceKey(kind);
  const ip = `10.251.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  if (kind === 'drone') {
    const [row] = await sql<{ id: string }[]>`
      insert into drones (model, ip_address, status, api_key_hash)
      values ('Fuzz drone', ${ip}, 'idle', ${hashDeviceKey(key)}) returning id`;
    await recordTelemetry(createDb(sql), {
      droneId: row!.id,
      readings: [{ ...at, battery_level: battery, status: 'idle' }],
    });
    return { id: row!.id, key, aruco: -1 };
  }
  const aruco = 700_000 + randomInt(0, 290_000);
  const [row] = await sql<{ id: string }[]>`
    insert into parcel_automats
      (city, address, number_of_cells, ip_address, coordinates, aruco_id, is_working, api_key_hash)
    values ('Fuzz City', ${`Fuzz street ${aruco}`}, 24, ${ip}, ${`${at.lat},${at.lon}`}, ${aruco}, true,
      ${hashDeviceKey(key)})
    returning id`;
  for (let n = 1; n <= 12; n++) {
    await sql`
      insert into locker_cells_out (post_id, height, length, width, cell_number)
      values (${row!.id}, 50, 50, 50, ${n})`;
    await sql`
      insert into locker_cells_internal (post_id, height, length, width, cell_number)
      values (${row!.id}, 50, 50, 50, ${n})`;
  }
  return { id: row!.id, key, aruco };
}

async function signedIn(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string,
  p: Person,
): Promise<APIRequestContext> {
  const ctx = await playwright.request.newContext({ baseURL });
  const res = await signInWithPassword(ctx, p.email, p.password);
  expect(res.status(), `sign-in of ${p.email}`).toBe(302);
  expect((await session(ctx)).user?.id).toBe(p.id);
  return ctx;
}

export async function makeWorld(playwright: PlaywrightWorkerArgs['playwright'], baseURL: string): Promise<World> {
  const sql = createSql(databaseUrl, 2);
  const db = createDb(sql);
  try {
    // Two spots on the other side of the globe from the seed's lockers and from each other.
    const spotA = { lat: -41.2 - randomInt(0, 1000) / 10_000, lon: 174.7 };
    const spotB = { lat: -33.8 - randomInt(0, 1000) / 10_000, lon: 151.2 };
    const users = {
      A: await person(sql, 'client', 'A'),
      B: await person(sql, 'client', 'B'),
      admin: await person(sql, 'admin', 'Admin'),
      C: await person(sql, 'client', 'C'),
    };
    const automatA = await device(sql, { kind: 'automat', at: spotA });
    const automatB = await device(sql, { kind: 'automat', at: spotB });
    const droneA = await device(sql, { kind: 'drone', at: spotA, battery: 99 });
    const droneB = await device(sql, { kind: 'drone', at: spotB, battery: 99 });
    const [good] = await sql<{ id: string }[]>`
      insert into goods (name, weight, height, length, width, quantity_available)
      values (${`Fuzz parcel ${tag()}`}, 0.2, 5, 5, 5, 100) returning id`;
    const goodId = good!.id;
    const customer = (id: string) => ({ type: 'customer' as const, id });
    const order = async (userId: string, automatId: string) =>
      (await createOrder(db, { userId, goodId, automatId }, { actor: customer(userId) })).id;
    const assign = async (orderId: string, droneId: string) => {
      const r = await assignOrder(db, orderId, ASSIGN);
      if (r.kind !== 'assigned' || r.droneId !== droneId)
        throw new Error(`order ${orderId} was not assigned to drone ${droneId}: ${JSON.stringify(r)}`);
      return r.deliveryId;
    };

    // A and B: one order each that is assigned to their locker's drone (which notifies them).
    const assignedA = await order(users.A.id, automatA.id);
    const deliveryA = await assign(assignedA, droneA.id);
    const assignedB = await order(users.B.id, automatB.id);
    const deliveryB = await assign(assignedB, droneB.id);
    // C: a drone of its own at locker A (A's drone is busy), one parcel waiting in a pickup
    // cell and one dropped in a drop cell, waiting for the locker's transfer.
    const droneC = await device(sql, { kind: 'drone', at: spotA, battery: 95 });
    const fly = async (orderId: string) => {
      const deliveryId = await assign(orderId, droneC.id);
      await applyDroneEvent(db, { deliveryId, droneId: droneC.id, event: { type: 'started' } });
      await applyDroneEvent(db, { deliveryId, droneId: droneC.id, event: { type: 'dropped' } });
      return deliveryId;
    };
    await transferToPickupCell(db, {
      automatId: automatA.id,
      deliveryId: await fly(await order(users.C.id, automatA.id)),
    });
    const droppedAtA = await fly(await order(users.C.id, automatA.id));
    // Pending orders last: the dispatcher above takes the oldest pending order of ours.
    const pendingA = await order(users.A.id, automatA.id);
    const pendingB = await order(users.B.id, automatB.id);

    const note = async (userId: string) => {
      const [n] = await sql<
        { id: string }[]
      >`select id from notifications where user_id = ${userId} order by created_at limit 1`;
      if (!n) throw new Error(`no notification for ${userId}`);
      return n.id;
    };
    const notificationsOf = { A: await note(users.A.id), B: await note(users.B.id) };

    const deviceCtx = (key: string) =>
      playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
    const ctx: Record<Identity, APIRequestContext> = {
      anonymous: await playwright.request.newContext({ baseURL }),
      customerA: await signedIn(playwright, baseURL, users.A),
      customerB: await signedIn(playwright, baseURL, users.B),
      admin: await signedIn(playwright, baseURL, users.admin),
      droneA: await deviceCtx(droneA.key),
      droneB: await deviceCtx(droneB.key),
      automatA: await deviceCtx(automatA.key),
      automatB: await deviceCtx(automatB.key),
    };
    // C's pickup code comes from the server, which holds the signing secret.
    const asC = await signedIn(playwright, baseURL, users.C);
    const qrC = ((await (await asC.get('/api/me/pickup-code')).json()) as { token: string }).token;
    await asC.dispose();
    // Each customer's current pickup code exists before any checksum is taken (reading it
    // issues one when there is none).
    for (const who of ['customerA', 'customerB', 'admin'] as const)
      expect((await ctx[who].get('/api/me/pickup-code')).status()).toBe(200);

    const csrf = ((await (await ctx.anonymous.get('/api/auth/csrf')).json()) as { csrfToken: string }).csrfToken;
    return {
      csrf,
      ctx,
      users,
      drones: { A: droneA, B: droneB, C: droneC },
      automats: { A: automatA, B: automatB },
      goodId,
      orders: { pendingA, pendingB, assignedA, assignedB },
      deliveries: { assignedA: deliveryA, assignedB: deliveryB, droppedAtA },
      notifications: notificationsOf,
      qrC,
      dispose: async () => {
        for (const c of Object.values(ctx)) await c.dispose();
      },
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
