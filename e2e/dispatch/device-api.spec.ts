import type { APIRequestContext, APIResponse } from '@playwright/test';
import {
  HUB,
  ISO_RE,
  RED_SQUARE,
  SMALL_PACKAGE,
  UUID_RE,
  as,
  automatPost,
  automatRow,
  bearer,
  customerOrder,
  deliveriesOfOrder,
  deliveryRow,
  droneEvent,
  droneRow,
  expect,
  expectError,
  expectJson,
  expectNoTask,
  expectValidation,
  externalCell,
  getExpected,
  getTask,
  internalCell,
  jsonOver,
  orderEvents,
  orderRow,
  pickupCode,
  placeOrder,
  postEvent,
  postRawAs,
  postTelemetry,
  randomAutomatKey,
  randomDroneKey,
  reportAt,
  sleep,
  test,
  waitForTask,
  type AutomatHandle,
  type Customer,
  type DroneHandle,
  type ExpectedJson,
  type Reading,
  type Sql,
  type TaskJson,
  type World,
} from './helpers';

// The device side of the HTTP contract (docs/openapi.yaml: "Device authentication",
// "Drone endpoints", "Parcel automat endpoints") over HTTP against the dispatch server: a
// real production server, one order worker, its own database. Drones, lockers and customers
// are driven only through the public API; the database is only read, to check effects.

const KIB = 1024;

/** The contract's JSON for the Red Square automat as the drone's task shows it. */
const redSquareTask = (automat: AutomatHandle) => ({
  id: automat.id,
  city: RED_SQUARE.city,
  address: RED_SQUARE.address,
  lat: RED_SQUARE.lat,
  lon: RED_SQUARE.lon,
  aruco_id: 101,
});

/** `count` readings spread evenly between `sinceMs` and now, from `from` to `to` (oldest first, all in the past). */
function flight({
  from,
  to,
  count,
  sinceMs,
  battery,
}: {
  from: { lat: number; lon: number };
  to: { lat: number; lon: number };
  count: number;
  sinceMs: number;
  battery: [number, number];
}): Required<Omit<Reading, 'status'>>[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const f = (i + 1) / count;
    return {
      lat: Number((from.lat + (to.lat - from.lat) * f).toFixed(6)),
      lon: Number((from.lon + (to.lon - from.lon) * f).toFixed(6)),
      altitude_m: i === count - 1 ? 2 : 80,
      heading_deg: 315,
      speed_mps: i === count - 1 ? 0 : 14.5,
      battery_level: Number((battery[0] + (battery[1] - battery[0]) * f).toFixed(1)),
      recorded_at: new Date(sinceMs + ((now - 50 - sinceMs) * (i + 1)) / count).toISOString(),
    };
  });
}

/**
 * Makes `drone` the only assignable drone (seen now at Red Square, battery 95), orders a Small Package there and waits
 * for the worker.
 */
async function orderAndAssign(
  request: APIRequestContext,
  { world, customer, drone }: { world: World; customer: Customer; drone: DroneHandle },
) {
  await reportAt(request, drone, { at: RED_SQUARE, battery: 95 });
  const seenAt = Date.now();
  const automat = world.fleet.automats[101];
  const order = await placeOrder(customer, world.goods[SMALL_PACKAGE.name]!, automat.id);
  expect(order).toMatchObject({ id: expect.stringMatching(UUID_RE), status: 'pending', cell_number: null });
  const { drone: chosen, task } = await waitForTask(request, [drone], { orderId: order.id });
  expect(chosen.id).toBe(drone.id);
  return { order, task, deliveryId: task.delivery.id, automat, seenAt };
}

/** Start, drop and transfer: the parcel waits in its pickup cell. Returns the cell number. */
async function deliverToLocker(
  request: APIRequestContext,
  drone: DroneHandle,
  { automat, deliveryId, orderId }: { automat: AutomatHandle; deliveryId: string; orderId: string },
): Promise<number> {
  await droneEvent(request, drone, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });
  await droneEvent(request, drone, { deliveryId, body: { type: 'dropped' }, expectedStatus: 'delivered' });
  const res = await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } });
  const body = await expectJson<{ order_id: string; external_cell_number: number }>(res, 200);
  expect(body).toEqual({ order_id: orderId, external_cell_number: expect.any(Number) });
  return body.external_cell_number;
}

async function snapshot<T>(sql: Sql, drones: DroneHandle[], extra: () => Promise<T>) {
  return { drones: await Promise.all(drones.map((d) => droneRow(sql, d.id))), extra: await extra() };
}

test.describe('drone and locker over HTTP', () => {
  test('an order to Red Square is assigned, flown, dropped, transferred and collected with the pickup QR', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const { fleet } = world;
    const drone = fleet.drones['192.168.1.100'];
    const customer = await world.newCustomer('flow');
    const readingsBefore = (await droneRow(sql, drone.id)).readings;

    // Order -> the worker assigns it to the only drone that reported recently.
    const { order, task, deliveryId, automat, seenAt } = await orderAndAssign(request, { world, customer, drone });
    expect(task).toEqual({
      delivery: {
        id: expect.stringMatching(UUID_RE),
        status: 'assigned',
        order_id: order.id,
        automat: redSquareTask(automat),
        internal_cell: { id: expect.stringMatching(UUID_RE), cell_number: expect.any(Number) },
        good: SMALL_PACKAGE,
      },
    });
    // Red Square: cells 1-10 are pickup cells, 11-20 internal drop cells (db/seed.ts).
    expect(task.delivery.internal_cell!.cell_number).toBeGreaterThanOrEqual(11);
    expect(task.delivery.internal_cell!.cell_number).toBeLessThanOrEqual(20);
    const taskRes = await getTask(request, drone);
    expect(taskRes.headers()['content-type']).toContain('application/json');
    let d = await deliveryRow(sql, deliveryId);
    expect(d).toMatchObject({
      order_id: order.id,
      drone_id: drone.id,
      status: 'assigned',
      started_at: null,
      internal_locker_cell_id: task.delivery.internal_cell!.id,
    });
    expect(await internalCell(sql, d.internal_locker_cell_id!)).toEqual({
      status: 'reserved',
      cell_number: task.delivery.internal_cell!.cell_number,
    });
    expect((await droneRow(sql, drone.id)).status).toBe('busy');
    expect((await orderRow(sql, order.id)).status).toBe('processing');
    expect((await customerOrder(customer, order.id)).status).toBe('processing');

    // started -> in_progress; repeating it is a no-op 200.
    await droneEvent(request, drone, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });
    d = await deliveryRow(sql, deliveryId);
    expect(d.status).toBe('in_progress');
    expect(d.started_at).toBeInstanceOf(Date);
    const startedAt = d.started_at!.getTime();
    await droneEvent(request, drone, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });
    d = await deliveryRow(sql, deliveryId);
    expect(d.started_at!.getTime()).toBe(startedAt);
    expect((await orderEvents(sql, order.id)).filter((e) => e === 'delivery:started')).toHaveLength(1);
    const started = await expectJson<TaskJson>(await getTask(request, drone), 200);
    expect(started.delivery).toMatchObject({ id: deliveryId, status: 'in_progress', order_id: order.id });

    // A batch of readings along the way (oldest first). The drone says "idle" but stays busy.
    const path = flight({ from: HUB, to: RED_SQUARE, count: 5, sinceMs: seenAt, battery: [94, 90] }).map((r, i) =>
      i === 2 ? { ...r, status: 'idle' } : r,
    );
    const tele = await postTelemetry(request, drone, { body: path });
    expect(await expectJson(tele, 202)).toEqual({ accepted: 5 });
    const last = path[path.length - 1]!;
    const row = await droneRow(sql, drone.id);
    expect(row).toMatchObject({
      status: 'busy',
      last_lat: last.lat,
      last_lon: last.lon,
      battery_level: last.battery_level,
      readings: readingsBefore + 1 + 5,
    });
    expect(row.position_recorded_at!.toISOString()).toBe(new Date(last.recorded_at).toISOString());
    expect(Math.abs(row.last_seen_at!.getTime() - Date.now())).toBeLessThan(10_000);
    const history = await sql<{ lat: number; lon: number; battery_level: number; recorded_at: Date }[]>`
      select lat, lon, battery_level::float8 as battery_level, recorded_at from drone_telemetry
      where drone_id = ${drone.id} order by id desc limit 5`;
    expect(
      history.reverse().map((h) => ({
        lat: h.lat,
        lon: h.lon,
        battery_level: h.battery_level,
        recorded_at: h.recorded_at.toISOString(),
      })),
    ).toEqual(
      path.map((p) => ({
        lat: p.lat,
        lon: p.lon,
        battery_level: p.battery_level,
        recorded_at: new Date(p.recorded_at).toISOString(),
      })),
    );

    // The locker expects it while it is on its way.
    let expected = await expectJson<ExpectedJson>(await getExpected(request, automat), 200);
    expect(expected.deliveries.filter((x) => x.id === deliveryId)).toEqual([
      {
        id: deliveryId,
        status: 'in_progress',
        drone_id: drone.id,
        internal_cell_number: task.delivery.internal_cell!.cell_number,
        external_cell_number: expect.any(Number),
      },
    ]);

    // dropped -> delivered: cargo in the internal cell, drone idle, no task any more.
    await droneEvent(request, drone, { deliveryId, body: { type: 'dropped' }, expectedStatus: 'delivered' });
    expect((await deliveryRow(sql, deliveryId)).status).toBe('delivered');
    expect((await internalCell(sql, d.internal_locker_cell_id!)).status).toBe('occupied');
    expect((await droneRow(sql, drone.id)).status).toBe('idle');
    await expectNoTask(request, drone);

    expected = await expectJson<ExpectedJson>(await getExpected(request, automat), 200);
    const waiting = expected.deliveries.filter((x) => x.id === deliveryId);
    expect(waiting).toEqual([
      {
        id: deliveryId,
        status: 'delivered',
        drone_id: drone.id,
        internal_cell_number: task.delivery.internal_cell!.cell_number,
        external_cell_number: expect.any(Number),
      },
    ]);
    const externalNumber = waiting[0]!.external_cell_number!;
    expect(externalNumber).toBeGreaterThanOrEqual(1);
    expect(externalNumber).toBeLessThanOrEqual(10);

    // transfer -> the order is ready in its pickup cell.
    const transfer = await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } });
    expect(await expectJson(transfer, 200)).toEqual({ order_id: order.id, external_cell_number: externalNumber });
    d = await deliveryRow(sql, deliveryId);
    expect(d.status).toBe('completed');
    expect(d.completed_at).toBeInstanceOf(Date);
    expect((await internalCell(sql, d.internal_locker_cell_id!)).status).toBe('available');
    const o = await orderRow(sql, order.id);
    expect(o.status).toBe('delivered');
    expect(await externalCell(sql, o.locker_cell_id!)).toEqual({ status: 'occupied', cell_number: externalNumber });
    expected = await expectJson<ExpectedJson>(await getExpected(request, automat), 200);
    expect(expected.deliveries.map((x) => x.id)).not.toContain(deliveryId);

    const mine = await customerOrder(customer, order.id);
    expect(mine).toMatchObject({
      id: order.id,
      status: 'delivered',
      cell_number: externalNumber,
      good: { name: SMALL_PACKAGE.name },
    });
    expect(mine.timeline.map((e) => `${e.entity}:${e.event}`)).toEqual(
      expect.arrayContaining([
        'order:created',
        'delivery:assigned',
        'delivery:started',
        'delivery:dropped',
        'delivery:transferred',
        'order:in_locker',
      ]),
    );

    // The customer shows the pickup QR at the kiosk: the cell opens, once.
    const code = await pickupCode(customer);
    expect(code.expires_at).toMatch(ISO_RE);
    const scan = await automatPost(request, automat, { action: 'scan', body: { qr: code.token } });
    expect(await expectJson(scan, 200)).toEqual({ open: [{ cell_number: externalNumber, order_id: order.id }] });
    expect((await orderRow(sql, order.id)).status).toBe('completed');
    expect((await externalCell(sql, o.locker_cell_id!)).status).toBe('available');
    expect((await customerOrder(customer, order.id)).status).toBe('completed');

    await expectError(
      await automatPost(request, automat, { action: 'scan', body: { qr: code.token } }),
      404,
      'nothing_to_collect',
    );
    await expectNoTask(request, drone);
  });

  test('every device endpoint refuses missing, unknown, other-device and wrong-kind keys and changes nothing', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const { fleet } = world;
    const droneA = fleet.drones['192.168.1.101'];
    const droneB = fleet.drones['192.168.1.102'];
    const automat = fleet.automats[101];
    const other = fleet.automats[102];
    const customer = await world.newCustomer('auth');
    const { order, deliveryId } = await orderAndAssign(request, { world, customer, drone: droneA });
    await droneEvent(request, droneA, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });

    const unauthenticated: { name: string; headers: Record<string, string> }[] = [
      { name: 'no Authorization header', headers: {} },
      { name: 'unknown spd_ key', headers: bearer(randomDroneKey()) },
      { name: 'unknown spa_ key', headers: bearer(randomAutomatKey()) },
      { name: 'key without a known prefix', headers: bearer(`xyz_${randomDroneKey().slice(4)}`) },
      { name: 'empty Bearer', headers: { authorization: 'Bearer ' } },
      {
        name: 'Basic credentials',
        headers: { authorization: `Basic ${Buffer.from(`${droneA.id}:${droneA.key}`).toString('base64')}` },
      },
      { name: "the drone's own key as a bare header", headers: { authorization: droneA.key } },
    ];
    type Endpoint = { name: string; call: (headers: Record<string, string>) => Promise<APIResponse> };
    const check = async (endpoints: Endpoint[], forbidden: { name: string; headers: Record<string, string> }[]) => {
      for (const e of endpoints) {
        for (const c of unauthenticated) {
          const body = await expectError(await e.call(c.headers), 401, 'unauthorized');
          expect(Object.keys(body.error), `${e.name} with ${c.name}`).not.toContain('fields');
        }
        for (const c of forbidden) {
          const res = await e.call(c.headers);
          const text = await res.text();
          expect(res.status(), `${e.name} with ${c.name}: ${text}`).toBe(403);
          expect(JSON.parse(text)).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
        }
      }
    };

    // Drone endpoints while the delivery is in progress.
    const beforeDrones = await snapshot(sql, [droneA, droneB], async () => ({
      delivery: await deliveryRow(sql, deliveryId),
      events: await orderEvents(sql, order.id),
    }));
    await check(
      [
        {
          name: 'telemetry',
          call: (headers) =>
            postTelemetry(request, droneA, { body: { lat: 10, lon: 10, battery_level: 99, status: 'idle' }, headers }),
        },
        { name: 'task', call: (headers) => getTask(request, droneA, headers) },
        {
          name: 'events dropped',
          call: (headers) =>
            request.post(`/api/deliveries/${deliveryId}/events`, { data: { type: 'dropped' }, headers }),
        },
        {
          name: 'events failed',
          call: (headers) =>
            request.post(`/api/deliveries/${deliveryId}/events`, {
              data: { type: 'failed', reason: 'hijack' },
              headers,
            }),
        },
      ],
      [
        { name: "drone B's key (another drone / not the assigned drone)", headers: as(droneB) },
        { name: "automat 101's key (wrong kind)", headers: as(automat) },
      ],
    );
    expect(
      await snapshot(sql, [droneA, droneB], async () => ({
        delivery: await deliveryRow(sql, deliveryId),
        events: await orderEvents(sql, order.id),
      })),
    ).toEqual(beforeDrones);
    expect(beforeDrones.extra.delivery.status).toBe('in_progress');

    // The assigned drone drops the parcel; now the locker endpoints, with a parcel to move and a genuine QR.
    await reportAt(request, droneA, { at: RED_SQUARE, battery: 90 });
    await droneEvent(request, droneA, { deliveryId, body: { type: 'dropped' }, expectedStatus: 'delivered' });
    const { token } = await pickupCode(customer);
    const lockerState = async () => ({
      delivery: await deliveryRow(sql, deliveryId),
      order: await orderRow(sql, order.id),
      events: await orderEvents(sql, order.id),
      automat: await automatRow(sql, automat.id),
      other: await automatRow(sql, other.id),
    });
    const beforeLocker = await snapshot(sql, [droneA, droneB], lockerState);
    await check(
      [
        { name: 'expected', call: (headers) => getExpected(request, automat, headers) },
        {
          name: 'transfer',
          call: (headers) =>
            automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId }, headers }),
        },
        {
          name: 'scan',
          call: (headers) => automatPost(request, automat, { action: 'scan', body: { qr: token }, headers }),
        },
        {
          name: 'heartbeat',
          call: (headers) =>
            automatPost(request, automat, { action: 'heartbeat', body: { is_working: false }, headers }),
        },
      ],
      [
        { name: "automat 102's key (another automat)", headers: as(other) },
        { name: "drone A's key (wrong kind)", headers: as(droneA) },
      ],
    );
    const afterLocker = await snapshot(sql, [droneA, droneB], lockerState);
    expect(afterLocker).toEqual(beforeLocker);
    expect(beforeLocker.extra).toMatchObject({
      delivery: { status: 'delivered' },
      order: { status: 'processing' },
      automat: { is_working: true },
    });
    expect((await externalCell(sql, beforeLocker.extra.order.locker_cell_id!)).status).toBe('reserved');

    // The right keys still work afterwards.
    const expected = await expectJson<ExpectedJson>(await getExpected(request, automat), 200);
    expect(expected.deliveries.map((x) => x.id)).toContain(deliveryId);
    const cell = await expectJson<{ external_cell_number: number }>(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } }),
      200,
    );
    const scan = await automatPost(request, automat, { action: 'scan', body: { qr: token } });
    expect(await expectJson(scan, 200)).toEqual({
      open: [{ cell_number: cell.external_cell_number, order_id: order.id }],
    });
  });

  test('telemetry: out-of-range, malformed, oversized and too-large batches are refused, storing nothing', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const drone = world.fleet.drones['192.168.1.103'];
    await reportAt(request, drone, { at: HUB, battery: 28 }); // seen, but never assignable (battery <= 30)
    const ok: Reading = {
      lat: 55.75,
      lon: 37.62,
      battery_level: 80,
      altitude_m: 50,
      heading_deg: 90,
      speed_mps: 10,
      status: 'idle',
    };
    const future = () => new Date(Date.now() + 10 * 60_000).toISOString();
    const bad: { field: string; value: unknown }[] = [
      { field: 'lat', value: 91 },
      { field: 'lat', value: -90.5 },
      { field: 'lon', value: -181 },
      { field: 'lon', value: 180.01 },
      { field: 'battery_level', value: 101 },
      { field: 'battery_level', value: -1 },
      { field: 'heading_deg', value: 361 },
      { field: 'heading_deg', value: -0.1 },
      { field: 'altitude_m', value: 10001 },
      { field: 'altitude_m', value: -501 },
      { field: 'speed_mps', value: -1 },
      { field: 'recorded_at', value: future() },
      { field: 'recorded_at', value: 'yesterday' },
      { field: 'status', value: 'busy' },
      { field: 'status', value: 'offline' },
      { field: 'lat', value: '55.75' },
      { field: 'lat', value: undefined },
      { field: 'lon', value: undefined },
      { field: 'battery_level', value: undefined },
      { field: 'battery_level', value: null },
    ];
    const url = `/api/drones/${drone.id}/telemetry`;
    const before = await droneRow(sql, drone.id);

    for (const b of bad) {
      const reading = { ...ok, [b.field]: b.value };
      // One reading, and the same reading in a batch after a good one: the whole batch is refused.
      // (Which field error.fields names is checked by the next test.)
      for (const body of [reading, [ok, reading]]) {
        const err = await expectError(await postTelemetry(request, drone, { body }), 400, 'validation_failed');
        expect(err.error.fields, JSON.stringify(body)).toEqual(expect.any(Object));
      }
    }
    const tooMany = Array.from({ length: 101 }, () => ok);
    await expectError(await postTelemetry(request, drone, { body: tooMany }), 400, 'validation_failed');
    await expectError(await postTelemetry(request, drone, { body: [] }), 400, 'validation_failed');
    for (const raw of [
      '{"lat": 55.7, "lon": 37.6, "battery_level": ',
      'lat=55.7&lon=37.6',
      '',
      'null',
      '42',
      '"reading"',
      '[[]]',
      '{}',
    ]) {
      await expectError(await postRawAs(request, url, { body: raw, device: drone }), 400, 'validation_failed');
    }
    // Over 64 KiB: 413, even though every reading in it is valid.
    const big = jsonOver(64 * KIB, (p) => Array.from({ length: 100 }, (_, i) => ({ ...ok, note: i === 0 ? p : '' })));
    await expectError(await postRawAs(request, url, { body: big, device: drone }), 413, 'payload_too_large');
    // Path ids that are not this drone's: forbidden, never a 500.
    for (const id of ['not-a-uuid', '00000000-0000-4000-8000-000000000000', world.fleet.drones['192.168.1.104'].id]) {
      await expectError(
        await request.post(`/api/drones/${id}/telemetry`, { data: ok, headers: as(drone) }),
        403,
        'forbidden',
      );
      await expectError(await request.get(`/api/drones/${id}/task`, { headers: as(drone) }), 403, 'forbidden');
    }

    // Nothing stored, nothing moved, not even "last seen".
    expect(await droneRow(sql, drone.id)).toEqual(before);

    // The limits themselves are accepted: 100 readings, boundary values.
    const hundred = await postTelemetry(request, drone, {
      body: Array.from({ length: 100 }, () => ({ ...ok, battery_level: 28 })),
    });
    expect(await expectJson(hundred, 202)).toEqual({ accepted: 100 });
    const edges = [
      { lat: 90, lon: 180, battery_level: 100, altitude_m: 10000, heading_deg: 360, speed_mps: 0 },
      { lat: -90, lon: -180, battery_level: 0, altitude_m: -500, heading_deg: 0, speed_mps: 0, status: 'charging' },
      { lat: HUB.lat, lon: HUB.lon, battery_level: 28, status: 'idle' },
    ];
    expect(await expectJson(await postTelemetry(request, drone, { body: edges }), 202)).toEqual({ accepted: 3 });
    const after = await droneRow(sql, drone.id);
    expect(after).toMatchObject({
      readings: before.readings + 103,
      last_lat: HUB.lat,
      last_lon: HUB.lon,
      battery_level: 28,
      status: 'idle',
    });
  });

  test('telemetry: a rejected reading names the bad field in error.fields (contract example: {"lat": "..."})', async ({
    request,
    world,
  }) => {
    const drone = world.fleet.drones['192.168.1.103'];
    const ok = { lat: 55.75, lon: 37.62, battery_level: 80 };
    const cases: [string, unknown][] = [
      ['lat', 91],
      ['lon', -181],
      ['battery_level', 101],
      ['heading_deg', 361],
      ['altitude_m', 10001],
      ['speed_mps', -1],
      ['recorded_at', new Date(Date.now() + 10 * 60_000).toISOString()],
      ['status', 'busy'],
      ['lat', '55.75'],
      ['battery_level', null],
    ];
    const unnamed: string[] = [];
    for (const [field, value] of cases) {
      const reading = { ...ok, [field]: value };
      const single = await expectError(
        await postTelemetry(request, drone, { body: reading }),
        400,
        'validation_failed',
      );
      if (typeof single.error.fields?.[field] !== 'string')
        unnamed.push(`single ${field}=${JSON.stringify(value)} -> fields ${JSON.stringify(single.error.fields)}`);
      // In a batch the offending reading's index prefixes the field ("1.lat").
      const batch = await expectError(
        await postTelemetry(request, drone, { body: [ok, reading] }),
        400,
        'validation_failed',
      );
      if (typeof batch.error.fields?.[`1.${field}`] !== 'string')
        unnamed.push(`batch [ok, ${field}=${JSON.stringify(value)}] -> fields ${JSON.stringify(batch.error.fields)}`);
    }
    expect(unnamed, 'validation errors that do not name the field').toEqual([]);
  });

  test('events and transfer: bad bodies, unknown ids and invalid transitions are refused and change nothing', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const drone = world.fleet.drones['192.168.1.104'];
    const customer = await world.newCustomer('transitions');
    const { order, deliveryId, automat, task } = await orderAndAssign(request, { world, customer, drone });
    const eventsUrl = `/api/deliveries/${deliveryId}/events`;
    const state = async () => ({
      delivery: await deliveryRow(sql, deliveryId),
      order: await orderRow(sql, order.id),
      events: await orderEvents(sql, order.id),
      internal: await internalCell(sql, task.delivery.internal_cell!.id),
      drone: (await droneRow(sql, drone.id)).status,
    });

    // While assigned.
    let before = await state();
    expect(before).toMatchObject({
      delivery: { status: 'assigned' },
      order: { status: 'processing' },
      internal: { status: 'reserved' },
      drone: 'busy',
    });
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 'landed' } }), ['type']);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 5 } }), ['type']);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: {} }), ['type']);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 'failed' } }), ['reason']);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 'failed', reason: '' } }), [
      'reason',
    ]);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 'failed', reason: '   ' } }), [
      'reason',
    ]);
    await expectValidation(await postEvent(request, drone, { deliveryId, body: { type: 'failed', reason: 42 } }), [
      'reason',
    ]);
    for (const raw of ['{"type": "started"', 'type=started', '', '[]', '"started"']) {
      await expectError(await postRawAs(request, eventsUrl, { body: raw, device: drone }), 400, 'validation_failed');
    }
    await expectError(
      await postRawAs(request, eventsUrl, {
        body: jsonOver(64 * KIB, (p) => ({ type: 'failed', reason: p })),
        device: drone,
      }),
      413,
      'payload_too_large',
    );
    // Unknown and non-UUID delivery ids: 404.
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      crypto.randomUUID(),
      'not-a-uuid',
      '123',
      `${deliveryId}x`,
    ]) {
      await expectError(
        await postEvent(request, drone, { deliveryId: id, body: { type: 'started' } }),
        404,
        'not_found',
      );
    }
    // dropped before started; transfer before dropped.
    await expectError(
      await postEvent(request, drone, { deliveryId, body: { type: 'dropped' } }),
      409,
      'invalid_transition',
    );
    await expectError(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } }),
      409,
      'invalid_transition',
    );
    expect(await state()).toEqual(before);

    // In progress: transfer is still too early.
    await droneEvent(request, drone, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });
    before = await state();
    await expectError(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } }),
      409,
      'invalid_transition',
    );
    expect(await state()).toEqual(before);

    // Delivered: started and failed are invalid now; dropped again is a no-op.
    await droneEvent(request, drone, { deliveryId, body: { type: 'dropped' }, expectedStatus: 'delivered' });
    before = await state();
    expect(before).toMatchObject({
      delivery: { status: 'delivered' },
      internal: { status: 'occupied' },
      drone: 'idle',
    });
    await expectError(
      await postEvent(request, drone, { deliveryId, body: { type: 'started' } }),
      409,
      'invalid_transition',
    );
    await expectError(
      await postEvent(request, drone, { deliveryId, body: { type: 'failed', reason: 'too late' } }),
      409,
      'invalid_transition',
    );
    await droneEvent(request, drone, { deliveryId, body: { type: 'dropped' }, expectedStatus: 'delivered' });

    // Transfer: bad bodies, unknown deliveries, another locker's delivery.
    const transferUrl = `/api/automats/${automat.id}/transfer`;
    await expectValidation(await automatPost(request, automat, { action: 'transfer', body: {} }), ['delivery_id']);
    await expectValidation(await automatPost(request, automat, { action: 'transfer', body: { delivery_id: 'abc' } }), [
      'delivery_id',
    ]);
    await expectValidation(await automatPost(request, automat, { action: 'transfer', body: { delivery_id: 42 } }), [
      'delivery_id',
    ]);
    await expectValidation(await automatPost(request, automat, { action: 'transfer', body: { delivery_id: null } }), [
      'delivery_id',
    ]);
    await expectValidation(await automatPost(request, automat, { action: 'transfer', body: { deliveryId } }), [
      'delivery_id',
    ]);
    for (const raw of ['{"delivery_id": ', '', 'null', `"${deliveryId}"`]) {
      await expectError(
        await postRawAs(request, transferUrl, { body: raw, device: automat }),
        400,
        'validation_failed',
      );
    }
    await expectError(
      await postRawAs(request, transferUrl, {
        body: jsonOver(64 * KIB, (p) => ({ delivery_id: deliveryId, padding: p })),
        device: automat,
      }),
      413,
      'payload_too_large',
    );
    await expectError(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: crypto.randomUUID() } }),
      404,
      'not_found',
    );
    const other = world.fleet.automats[102];
    await expectError(
      await automatPost(request, other, { action: 'transfer', body: { delivery_id: deliveryId } }),
      404,
      'not_found',
    );
    expect(await state()).toEqual(before);
    expect((await externalCell(sql, before.order.locker_cell_id!)).status).toBe('reserved');

    // The real transfer, then a second one is a conflict.
    const done = await expectJson<{ order_id: string; external_cell_number: number }>(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } }),
      200,
    );
    expect(done.order_id).toBe(order.id);
    before = await state();
    await expectError(
      await automatPost(request, automat, { action: 'transfer', body: { delivery_id: deliveryId } }),
      409,
      'invalid_transition',
    );
    await expectError(
      await postEvent(request, drone, { deliveryId, body: { type: 'failed', reason: 'after the fact' } }),
      409,
      'invalid_transition',
    );
    expect(await state()).toEqual(before);
    expect(before).toMatchObject({ delivery: { status: 'completed' }, order: { status: 'delivered' } });
  });

  test('scan: malformed, forged, tampered and superseded codes are refused and open nothing', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const drone = world.fleet.drones['192.168.1.105'];
    const customer = await world.newCustomer('scan');
    const stranger = await world.newCustomer('scan-stranger');
    const { order, deliveryId, automat } = await orderAndAssign(request, { world, customer, drone });
    const cellNumber = await deliverToLocker(request, drone, { automat, deliveryId, orderId: order.id });
    const first = await pickupCode(customer);
    const scanUrl = `/api/automats/${automat.id}/scan`;
    const state = async () => {
      const o = await orderRow(sql, order.id);
      return { order: o, cell: await externalCell(sql, o.locker_cell_id!), events: await orderEvents(sql, order.id) };
    };
    const before = await state();
    expect(before).toMatchObject({
      order: { status: 'delivered' },
      cell: { status: 'occupied', cell_number: cellNumber },
    });

    // Missing or not a string: 400.
    for (const body of [
      {},
      { qr: 123 },
      { qr: null },
      { qr: ['SP1.a.b'] },
      { qr: { token: first.token } },
      { code: first.token },
    ]) {
      await expectValidation(await automatPost(request, automat, { action: 'scan', body }), ['qr']);
    }
    for (const raw of ['{"qr": ', '', 'null', `"${first.token}"`]) {
      await expectError(await postRawAs(request, scanUrl, { body: raw, device: automat }), 400, 'validation_failed');
    }
    await expectError(
      await postRawAs(request, scanUrl, {
        body: jsonOver(64 * KIB, (p) => ({ qr: first.token, padding: p })),
        device: automat,
      }),
      413,
      'payload_too_large',
    );

    // Not ours, or altered: 403 invalid_qr.
    const [version, body] = first.token.split('.') as [string, string];
    expect(version).toBe('SP2');
    const bytes = Buffer.from(body, 'base64url');
    expect(bytes.subarray(0, 16).toString('hex')).toBe(customer.user.id.replaceAll('-', ''));
    const altered = (edit: (b: Buffer) => void) => {
      const copy = Buffer.from(bytes);
      edit(copy);
      return `${version}.${copy.toString('base64url')}`;
    };
    const forged = [
      'hello',
      'https://skypost.example/pickup/123',
      'SP1.abc.def',
      `SP1.${body}`,
      `${version}.${body}.${body}`,
      `${version}.${body.slice(0, -2)}`,
      altered((b) => Buffer.from(stranger.user.id.replaceAll('-', ''), 'hex').copy(b, 0)),
      altered((b) => b.writeUIntBE(b.readUIntBE(16, 6) + 1, 16, 6)),
      altered((b) => (b[37] = b[37]! ^ 0x80)),
      `${first.token}.extra`,
    ];
    for (const qr of forged)
      await expectError(await automatPost(request, automat, { action: 'scan', body: { qr } }), 403, 'invalid_qr');

    // Issuing a new code supersedes the old one: 410 qr_expired.
    const second = await pickupCode(customer, 'POST');
    expect(second.token).not.toBe(first.token);
    expect((await pickupCode(customer)).token).toBe(second.token);
    await expectError(
      await automatPost(request, automat, { action: 'scan', body: { qr: first.token } }),
      410,
      'qr_expired',
    );

    // Genuine codes with nothing waiting here: 404 nothing_to_collect.
    await expectError(
      await automatPost(request, automat, { action: 'scan', body: { qr: (await pickupCode(stranger)).token } }),
      404,
      'nothing_to_collect',
    );
    await expectError(
      await automatPost(request, world.fleet.automats[102], { action: 'scan', body: { qr: second.token } }),
      404,
      'nothing_to_collect',
    );

    expect(await state()).toEqual(before);
    expect((await customerOrder(customer, order.id)).status).toBe('delivered');

    // The current code opens the cell, once.
    expect(
      await expectJson(await automatPost(request, automat, { action: 'scan', body: { qr: second.token } }), 200),
    ).toEqual({
      open: [{ cell_number: cellNumber, order_id: order.id }],
    });
    await expectError(
      await automatPost(request, automat, { action: 'scan', body: { qr: second.token } }),
      404,
      'nothing_to_collect',
    );
    expect((await orderRow(sql, order.id)).status).toBe('completed');
  });

  test('heartbeat: is_working must be a boolean; a valid heartbeat answers {} and marks the automat seen', async ({
    request,
    world,
    sql,
  }) => {
    const automat = world.fleet.automats[101];
    const closed = world.fleet.automats[106];
    const url = `/api/automats/${automat.id}/heartbeat`;
    const before = await automatRow(sql, automat.id);
    expect(before.is_working).toBe(true);
    for (const body of [
      {},
      { is_working: 'yes' },
      { is_working: 'true' },
      { is_working: 1 },
      { is_working: 0 },
      { is_working: null },
      { working: true },
    ]) {
      await expectValidation(await automatPost(request, automat, { action: 'heartbeat', body }), ['is_working']);
    }
    for (const raw of ['{"is_working": ', '', 'true', '[true]']) {
      await expectError(await postRawAs(request, url, { body: raw, device: automat }), 400, 'validation_failed');
    }
    await expectError(
      await postRawAs(request, url, {
        body: jsonOver(64 * KIB, (p) => ({ is_working: false, padding: p })),
        device: automat,
      }),
      413,
      'payload_too_large',
    );
    // GET on an automat path that is not this automat: forbidden, never a 500.
    for (const id of ['not-a-uuid', crypto.randomUUID(), closed.id]) {
      await expectError(await request.get(`/api/automats/${id}/expected`, { headers: as(automat) }), 403, 'forbidden');
      await expectError(
        await request.post(`/api/automats/${id}/heartbeat`, { data: { is_working: false }, headers: as(automat) }),
        403,
        'forbidden',
      );
    }
    expect(await automatRow(sql, automat.id)).toEqual(before);
    expect((await automatRow(sql, closed.id)).is_working).toBe(false);

    const t0 = Date.now();
    const res = await automatPost(request, automat, { action: 'heartbeat', body: { is_working: true } });
    expect(await expectJson(res, 200)).toEqual({});
    const after = await automatRow(sql, automat.id);
    expect(after.is_working).toBe(true);
    expect(after.last_seen_at).toBeInstanceOf(Date);
    expect(Math.abs(after.last_seen_at!.getTime() - t0)).toBeLessThan(10_000);
    if (before.last_seen_at) expect(after.last_seen_at!.getTime()).toBeGreaterThan(before.last_seen_at.getTime());

    // The closed locker reports that it is still closed.
    expect(
      await expectJson(await automatPost(request, closed, { action: 'heartbeat', body: { is_working: false } }), 200),
    ).toEqual({});
    const closedAfter = await automatRow(sql, closed.id);
    expect(closedAfter.is_working).toBe(false);
    expect(Math.abs(closedAfter.last_seen_at!.getTime() - Date.now())).toBeLessThan(10_000);
  });

  test('a failed delivery puts the order back to pending and the worker gives it to another drone', async ({
    request,
    world,
    sql,
  }) => {
    test.setTimeout(60_000);
    const { fleet } = world;
    const first = fleet.drones['192.168.1.106'];
    const second = fleet.drones['192.168.1.107'];
    const customer = await world.newCustomer('failure');
    const { order, deliveryId, automat, task } = await orderAndAssign(request, { world, customer, drone: first });
    await droneEvent(request, first, { deliveryId, body: { type: 'started' }, expectedStatus: 'in_progress' });
    // On the way the battery runs low; the drone gives up.
    await reportAt(request, first, {
      at: { lat: 55.74, lon: 37.63 },
      battery: 18,
      extra: {
        status: undefined,
        altitude_m: 60,
        speed_mps: 12,
      },
    });
    await droneEvent(request, first, {
      deliveryId,
      body: { type: 'failed', reason: 'low battery' },
      expectedStatus: 'failed',
    });

    const failed = await deliveryRow(sql, deliveryId);
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'low battery', drone_id: first.id });
    expect((await internalCell(sql, task.delivery.internal_cell!.id)).status).toBe('available');
    expect(await droneRow(sql, first.id)).toMatchObject({ status: 'idle', battery_level: 18 });
    const o = await orderRow(sql, order.id);
    expect(o.status).toBe('pending');
    expect((await externalCell(sql, o.locker_cell_id!)).status).toBe('reserved');
    await expectNoTask(request, first);
    // Repeating failed is a no-op; a failed delivery cannot start or drop.
    await droneEvent(request, first, {
      deliveryId,
      body: { type: 'failed', reason: 'low battery' },
      expectedStatus: 'failed',
    });
    await expectError(
      await postEvent(request, first, { deliveryId, body: { type: 'started' } }),
      409,
      'invalid_transition',
    );
    await expectError(
      await postEvent(request, first, { deliveryId, body: { type: 'dropped' } }),
      409,
      'invalid_transition',
    );
    expect(await deliveryRow(sql, deliveryId)).toEqual(failed);

    // The customer sees the order waiting again, with the requeue in its timeline.
    const pending = await customerOrder(customer, order.id);
    expect(pending).toMatchObject({ id: order.id, status: 'pending', cell_number: null });
    const requeued = pending.timeline.filter((e) => e.event === 'requeued');
    expect(requeued).toEqual([
      expect.objectContaining({
        entity: 'order',
        from_status: 'processing',
        to_status: 'pending',
        details: expect.objectContaining({ reason: 'low battery' }),
      }),
    ]);
    expect(
      pending.timeline.some((e) => e.event === 'failed' && e.entity === 'delivery' && e.to_status === 'failed'),
    ).toBe(true);

    // With no charged drone around it stays pending (the low-battery drone is not chosen again).
    await sleep(1_500);
    expect((await orderRow(sql, order.id)).status).toBe('pending');
    expect(await deliveriesOfOrder(sql, order.id)).toHaveLength(1);

    // A charged drone reports at the locker: the worker assigns the order to it.
    await reportAt(request, second, { at: RED_SQUARE, battery: 90 });
    const { drone: chosen, task: again } = await waitForTask(request, [first, second], { orderId: order.id });
    expect(chosen.id).toBe(second.id);
    expect(again).toEqual({
      delivery: {
        id: expect.stringMatching(UUID_RE),
        status: 'assigned',
        order_id: order.id,
        automat: redSquareTask(automat),
        internal_cell: { id: expect.stringMatching(UUID_RE), cell_number: expect.any(Number) },
        good: SMALL_PACKAGE,
      },
    });
    expect(again.delivery.id).not.toBe(deliveryId);
    expect((await deliveriesOfOrder(sql, order.id)).map((x) => [x.drone_id, x.status])).toEqual([
      [first.id, 'failed'],
      [second.id, 'assigned'],
    ]);
    expect((await customerOrder(customer, order.id)).status).toBe('processing');
    await expectNoTask(request, first);

    // The second attempt arrives.
    const cellNumber = await deliverToLocker(request, second, {
      automat,
      deliveryId: again.delivery.id,
      orderId: order.id,
    });
    const { token } = await pickupCode(customer);
    expect(await expectJson(await automatPost(request, automat, { action: 'scan', body: { qr: token } }), 200)).toEqual(
      {
        open: [{ cell_number: cellNumber, order_id: order.id }],
      },
    );
    const final = await customerOrder(customer, order.id);
    expect(final.status).toBe('completed');
    expect(final.timeline.filter((e) => e.entity === 'delivery' && e.event === 'assigned')).toHaveLength(2);
  });
});
