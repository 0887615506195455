import fc from 'fast-check';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDb, createSql } from '@/db';
import { drones } from '@/db/schema';
import { issueDroneKeyAsAdmin } from '@/lib/admin/drones';
import { claimAndAssignNext } from '@/lib/dispatch/delivery-flow';
import { createOrder } from '@/lib/orders/order-flow';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { generateDeviceKey, hashDeviceKey } from '@/lib/device-keys/keys';
import { DISPATCH_CHANNEL } from '@/lib/dispatch/notify';
import { toAppError } from '@/lib/errors';
import { parseWith } from '@/lib/http';
import { ingestTelemetry, onlineSpans, recordTelemetry } from '@/lib/telemetry/record';
import { parseTelemetryBody } from '@/lib/telemetry/parse';
import { telemetryBodySchema, type TelemetryReading } from '@/lib/validation/telemetry';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The one-statement ingest path (skypost_record_telemetry): POST /api/drones/{id}/telemetry
// through the real route module, with the device key checked in the same statement, and the
// rules of recordTelemetry that the other test files do not already pin down.

let t: TestDatabase;
type Handler = (req: Request, ctx: { params: Promise<{ droneId: string }> }) => Promise<Response>;
let POST: Handler;
let GET_TASK: Handler;

beforeAll(async () => {
  t = await createTestDatabase();
  // The route reads the process-wide pool: point it at this test database.
  vi.resetModules();
  vi.stubEnv('DATABASE_URL', t.url);
  (globalThis as { skypostPool?: unknown }).skypostPool = undefined;
  ({ POST } = await import('@/app/api/drones/[droneId]/telemetry/route'));
  ({ GET: GET_TASK } = await import('@/app/api/drones/[droneId]/task/route'));
});
afterAll(async () => {
  const pool = (globalThis as { skypostPool?: { sql: { end(o: object): Promise<void> } } }).skypostPool;
  await pool?.sql.end({ timeout: 1 });
  (globalThis as { skypostPool?: unknown }).skypostPool = undefined;
  vi.unstubAllEnvs();
  await t?.drop();
});

let ipSeq = 1;
async function makeDrone(status: 'idle' | 'offline' | 'busy' | 'charging' | 'maintenance' = 'offline') {
  const [d] = await t.db
    .insert(drones)
    .values({ model: 'Clover 4', ipAddress: `10.1.0.${ipSeq++}`, status })
    .returning({ id: drones.id });
  return d!.id;
}

const post = (droneId: string, key: string | undefined, body: unknown) =>
  POST(
    new Request(`http://test/api/drones/${droneId}/telemetry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ droneId }) },
  );

const rows = async (droneId: string) =>
  (await t.sql`select count(*)::int as n from drone_telemetry where drone_id = ${droneId}`)[0]!.n as number;
const state = async (droneId: string) =>
  (
    await t.sql`select status, last_lat, battery_level, position_recorded_at, last_seen_at from drones
      where id = ${droneId}`
  )[0]!;
const sessions = async (droneId: string) =>
  (
    await t.sql`select started_at, ended_at from drone_online_sessions where drone_id = ${droneId} order by started_at`
  ).map((s) => [new Date(s.started_at as string).toISOString(), new Date(s.ended_at as string).toISOString()]);
const reading = (over: Partial<TelemetryReading> = {}): TelemetryReading => ({
  lat: 55.75,
  lon: 37.61,
  battery_level: 80,
  ...over,
});

describe('POST /api/drones/{id}/telemetry: device key checked in the storing statement', () => {
  it('202 stores exactly the readings sent, one or a batch of 100', async () => {
    const d = await makeDrone();
    const key = await issueDeviceKey(t.db, 'drone', d);
    const one = await post(d, key, reading());
    expect([one.status, await one.json()]).toEqual([202, { accepted: 1 }]);
    const base = Date.now() - 200_000;
    const batch = Array.from({ length: 100 }, (_, i) =>
      reading({ lat: 55 + i / 1000, recorded_at: new Date(base + i * 1000).toISOString() }),
    );
    const many = await post(d, key, batch);
    expect([many.status, await many.json()]).toEqual([202, { accepted: 100 }]);
    expect(await rows(d)).toBe(101);
  });

  it('answers 401/403 exactly as before, before any body error, and writes nothing', async () => {
    const a = await makeDrone();
    const b = await makeDrone();
    const keyA = await issueDeviceKey(t.db, 'drone', a);
    await issueDeviceKey(t.db, 'drone', b);
    const automat = await makeAutomat(t.db);
    const automatKey = await issueDeviceKey(t.db, 'automat', automat.id);
    const cases: [string, string | undefined, unknown, number, string][] = [
      [a, undefined, reading(), 401, 'unauthorized'],
      [a, generateDeviceKey('drone'), reading(), 401, 'unauthorized'],
      [a, 'not a key at all', reading(), 401, 'unauthorized'],
      [a, undefined, '{not json', 401, 'unauthorized'],
      [a, generateDeviceKey('drone'), { lat: 500 }, 401, 'unauthorized'],
      [b, keyA, reading(), 403, 'forbidden'],
      [b, keyA, '{not json', 403, 'forbidden'],
      [a, automatKey, reading(), 403, 'forbidden'],
      ['not-a-uuid', keyA, reading(), 403, 'forbidden'],
      ['00000000-0000-4000-8000-000000000000', keyA, reading(), 403, 'forbidden'],
      [a, keyA, '{not json', 400, 'validation_failed'],
      [a, keyA, { lat: 500, lon: 0, battery_level: 50 }, 400, 'validation_failed'],
      [a, keyA, Array.from({ length: 101 }, () => reading()), 400, 'validation_failed'],
      [a, keyA, 'x'.repeat(70_000), 413, 'payload_too_large'],
    ];
    for (const [path, key, body, status, code] of cases) {
      const res = await post(path, key, body);
      expect([
        path === a ? 'a' : path === b ? 'b' : path,
        key?.slice(0, 4),
        res.status,
        ((await res.json()) as { error: { code: string } }).error.code,
      ]).toEqual([path === a ? 'a' : path === b ? 'b' : path, key?.slice(0, 4), status, code]);
      if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect([await rows(a), await rows(b)]).toEqual([0, 0]);
    expect((await state(a)).last_seen_at).toBeNull();
  });

  it('a rotated key stops on the very next request (no key cache); the new key works at once', async () => {
    const admin = await makeUser(t.db, { role: 'admin' });
    const d = await makeDrone();
    const ctx = { userId: admin.id, userEmail: 'ops@example.com', ip: '10.9.8.7', userAgent: 'vitest' };
    const old = await issueDroneKeyAsAdmin(t.db, ctx, d);
    expect((await post(d, old, reading())).status).toBe(202);
    const fresh = await issueDroneKeyAsAdmin(t.db, ctx, d);
    const refused = await post(d, old, reading());
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      401,
      'unauthorized',
    ]);
    expect(await rows(d)).toBe(1);
    expect((await post(d, fresh, reading())).status).toBe(202);
    expect(await rows(d)).toBe(2);
    // Revoked outright (key removed): refused at once too.
    await t.sql`update drones set api_key_hash = null where id = ${d}`;
    expect((await post(d, fresh, reading())).status).toBe(401);
    expect(await rows(d)).toBe(2);
  });

  it('a deleted drone gets 401 (its key is gone) and nothing is stored', async () => {
    const d = await makeDrone();
    const key = await issueDeviceKey(t.db, 'drone', d);
    await t.sql`delete from drones where id = ${d}`;
    expect((await post(d, key, reading())).status).toBe(401);
    expect(await rows(d)).toBe(0);
  });
});

describe('recordTelemetry rules in one statement', () => {
  it('an unknown drone is a 404 and stores nothing; the statement checks the key only when given', async () => {
    const unknown = '00000000-0000-4000-8000-000000000001';
    const e = await rejection(recordTelemetry(t.db, { droneId: unknown, readings: [reading()] }));
    expect([e.status, e.code]).toEqual([404, 'not_found']);
    const d = await makeDrone();
    const key = await issueDeviceKey(t.db, 'drone', d);
    expect(
      await ingestTelemetry(t.db, {
        droneId: d,
        keyHash: hashDeviceKey(generateDeviceKey('drone')),
        readings: [reading()],
      }),
    ).toBeNull();
    expect(await rows(d)).toBe(0);
    expect(await ingestTelemetry(t.db, { droneId: d, keyHash: hashDeviceKey(key), readings: [reading()] })).toBe(1);
    expect(await rows(d)).toBe(1);
  });

  it('a value the database refuses is a 4xx and stores nothing of the batch (never a 202)', async () => {
    const d = await makeDrone();
    // Past the validator on purpose: the CHECK constraint fails the whole statement.
    const err = await ingestTelemetry(t.db, {
      droneId: d,
      keyHash: null,
      readings: [reading(), reading({ lat: 91 })],
    }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(err).not.toBeNull();
    expect(toAppError(err).status).toBe(400);
    expect(await rows(d)).toBe(0);
    expect((await state(d)).last_seen_at).toBeNull();
    expect(await sessions(d)).toEqual([]);
  });

  it('offline or busy with no delivery becomes idle; a reported status is used; idle wakes dispatch once', async () => {
    const heard: string[] = [];
    const listener = await t.sql.listen(DISPATCH_CHANNEL, (reason) => heard.push(reason));
    try {
      const offline = await makeDrone('offline');
      const busy = await makeDrone('busy');
      await recordTelemetry(t.db, { droneId: offline, readings: [reading()] });
      await recordTelemetry(t.db, { droneId: busy, readings: [reading()] });
      expect([(await state(offline)).status, (await state(busy)).status]).toEqual(['idle', 'idle']);
      await recordTelemetry(t.db, { droneId: offline, readings: [reading()] }); // already idle: no second wake-up
      await recordTelemetry(t.db, { droneId: offline, readings: [reading({ status: 'charging' })] });
      expect((await state(offline)).status).toBe('charging');
      // charging -> idle wakes again
      await recordTelemetry(t.db, { droneId: offline, readings: [reading({ status: 'idle' })] });
      await vi.waitFor(() => expect(heard).toHaveLength(3), { timeout: 2000 });
      await new Promise((r) => setTimeout(r, 100));
      expect(heard).toEqual(['drone_idle', 'drone_idle', 'drone_idle']);
    } finally {
      await listener.unlisten();
    }
  });

  it("the batch's newest reading sets the state wherever it is in the batch; equal times: the last sent", async () => {
    const d = await makeDrone('idle');
    const base = Date.parse('2026-11-20T10:00:00Z');
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    await recordTelemetry(t.db, {
      droneId: d,
      readings: [
        reading({ lat: 55.1, battery_level: 70, recorded_at: at(0) }),
        reading({ lat: 55.3, battery_level: 50, recorded_at: at(5), status: 'charging' }),
        reading({ lat: 55.2, battery_level: 60, recorded_at: at(2) }),
      ],
    });
    expect(await state(d)).toMatchObject({ status: 'charging', last_lat: 55.3, battery_level: '50.00' });
    await recordTelemetry(t.db, {
      droneId: d,
      readings: [
        reading({ lat: 55.4, recorded_at: at(6), status: 'idle' }),
        reading({ lat: 55.5, recorded_at: at(6), status: 'idle' }),
      ],
    });
    expect(await state(d)).toMatchObject({ status: 'idle', last_lat: 55.5 });
    // A late batch: stored, last-seen moves, the position and battery stay.
    const seen = (await state(d)).last_seen_at as Date;
    await recordTelemetry(t.db, {
      droneId: d,
      readings: [reading({ lat: 10, battery_level: 99, recorded_at: at(1) })],
      opts: {
        now: new Date(Date.now() + 5000),
      },
    });
    const after = await state(d);
    expect(after).toMatchObject({ last_lat: 55.5, battery_level: '80.00' });
    expect(new Date(after.position_recorded_at as string).toISOString()).toBe(at(6));
    expect(new Date(after.last_seen_at as string).getTime()).toBeGreaterThan(new Date(seen).getTime());
    expect(await rows(d)).toBe(6);
  });

  it('sessions follow the join-or-open rule exactly, for random out-of-order batches', async () => {
    const d = await makeDrone('idle');
    const base = Date.parse('2026-10-01T00:00:00Z');
    const gap = 30;
    // The rule, span by span: the candidate is the session that started last, at most the gap
    // after the span's end; the span joins it when it touches it (within the gap), else opens
    // a new session.
    const model: { from: number; to: number }[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let batch = 0; batch < 25; batch++) {
      const times = Array.from(
        { length: 1 + Math.floor(rand() * 8) },
        () => new Date(base + Math.floor(rand() * 900) * 1000),
      );
      await recordTelemetry(t.db, {
        droneId: d,
        readings: times.map((x) => reading({ recorded_at: x.toISOString() })),
        opts: { sessionGapS: gap },
      });
      for (const span of onlineSpans(times, gap)) {
        const [from, to] = [span.from.getTime(), span.to.getTime()];
        const candidate = model.filter((m) => m.from <= to + gap * 1000).sort((x, y) => y.from - x.from)[0];
        const near = candidate && candidate.to >= from - gap * 1000 ? candidate : undefined;
        if (near) [near.from, near.to] = [Math.min(near.from, from), Math.max(near.to, to)];
        else model.push({ from, to });
      }
      const expected = model
        .map((m) => [new Date(m.from).toISOString(), new Date(m.to).toISOString()])
        .sort((x, y) => x[0]!.localeCompare(y[0]!));
      expect(await sessions(d)).toEqual(expected);
    }
    expect(model.length).toBeGreaterThan(1);
  });

  // The backend's pending counters, read at the start and the end of one transaction: nothing
  // is flushed to the shared statistics in between, so the difference is exactly this work.
  async function hotUpdates(droneId: string, positions: [number, number][]) {
    const base = Date.parse('2026-08-01T00:00:00Z');
    const counters = (tx: postgres.TransactionSql) => tx<Record<string, number>[]>`
      select pg_stat_get_xact_tuples_updated('drone_online_sessions'::regclass)::int as session_updates,
             pg_stat_get_xact_tuples_hot_updated('drone_online_sessions'::regclass)::int as session_hot,
             pg_stat_get_xact_tuples_updated('drones'::regclass)::int as drone_updates,
             pg_stat_get_xact_tuples_hot_updated('drones'::regclass)::int as drone_hot`;
    return t.sql.begin(async (tx) => {
      const [before] = await counters(tx);
      for (const [i, [lat, lon]] of positions.entries()) {
        const at = new Date(base + i * 1000).toISOString();
        await tx`select skypost_record_telemetry(${droneId}::uuid, null, now(), 30,
                   array[${at}::timestamptz], array[${lat}::float8], array[${lon}::float8], array[null::float8],
                   array[null::float8], array[null::float8], array[80::numeric], array[null::text])`;
      }
      const [after] = await counters(tx);
      return Object.fromEntries(Object.entries(after!).map(([k, v]) => [k, v - before![k]!]));
    });
  }
  const steps = (n: number, dLat: number): [number, number][] =>
    Array.from({ length: n }, (_, i) => [55.75001 + i * dLat, 37.61]);

  it("a session's readings extend it, a drone's reading moves it, in place: HOT updates, no index entry", async () => {
    // Idle, within one 0.0001° cell (GPS jitter of a parked drone): only the first reading,
    // which gives the drone a dispatch position, changes an indexed value.
    const parked = await makeDrone('idle');
    expect(await hotUpdates(parked, steps(20, 0.000001))).toEqual({
      session_updates: 19,
      session_hot: 19,
      drone_updates: 20,
      drone_hot: 19,
    });
    expect(await sessions(parked)).toEqual([
      [
        new Date(Date.parse('2026-08-01T00:00:00Z')).toISOString(),
        new Date(Date.parse('2026-08-01T00:00:19Z')).toISOString(),
      ],
    ]);
    // Not idle (no dispatch position), flying 110 m a second: every update is HOT.
    const flying = await makeDrone('maintenance');
    expect(await hotUpdates(flying, steps(20, 0.001))).toMatchObject({ drone_updates: 20, drone_hot: 20 });
    // Idle and moving to another cell at every reading: the dispatch index must follow it.
    const moving = await makeDrone('idle');
    expect(await hotUpdates(moving, steps(20, 0.001))).toMatchObject({ drone_updates: 20, drone_hot: 0 });
    const [moved] = await t.sql`select dispatch_lat, dispatch_lon from drones where id = ${moving}`;
    expect(moved).toEqual({ dispatch_lat: 55.769, dispatch_lon: 37.61 });
  });

  it('concurrent requests for a drone serialise on its row: every reading stored, no session update lost', async () => {
    const d = await makeDrone('idle');
    const poolA = createSql(t.url, 4);
    const poolB = createSql(t.url, 4);
    try {
      const dbs = [createDb(poolA), createDb(poolB)];
      const base = Date.parse('2026-09-01T00:00:00Z');
      // 40 single readings 10 s apart (one session at a 30 s gap), sent all at once, out of order.
      const order = Array.from({ length: 40 }, (_, i) => i).sort((x, y) => ((x * 7919) % 40) - ((y * 7919) % 40));
      const results = await Promise.all(
        order.map((i, n) =>
          recordTelemetry(dbs[n % 2]!, {
            droneId: d,
            readings: [reading({ lat: 50 + i / 100, recorded_at: new Date(base + i * 10_000).toISOString() })],
            opts: { sessionGapS: 30 },
          }),
        ),
      );
      expect(results.every((r) => r === 1)).toBe(true);
      expect(await rows(d)).toBe(40);
      const got = await sessions(d);
      // Arrival order can leave a few overlapping pieces (a session is joined, never merged);
      // together they must cover every reading, from the first to the last.
      expect(got.map(([s]) => s).sort()[0]).toBe(new Date(base).toISOString());
      expect(
        got
          .map(([, e]) => e)
          .sort()
          .at(-1),
      ).toBe(new Date(base + 39 * 10_000).toISOString());
      for (let i = 0; i < 40; i++) {
        const x = new Date(base + i * 10_000).toISOString();
        expect(got.some(([s, e]) => s! <= x && x <= e!)).toBe(true);
      }
      expect(await state(d)).toMatchObject({ last_lat: 50.39 });
    } finally {
      await Promise.all([poolA.end({ timeout: 1 }), poolB.end({ timeout: 1 })]);
    }
  });
});

describe('GET /api/drones/{id}/task: device key checked in the query that reads the task', () => {
  const getTask = (droneId: string, key: string | undefined) =>
    GET_TASK(
      new Request(`http://test/api/drones/${droneId}/task`, { headers: key ? { authorization: `Bearer ${key}` } : {} }),
      { params: Promise.resolve({ droneId }) },
    );
  const code = async (res: Response) => [res.status, ((await res.json()) as { error: { code: string } }).error.code];

  it('204 without a task, 200 with it; 401/403 as before; a rotated key stops at once', async () => {
    await t.sql`update drones set status = 'maintenance' where status <> 'maintenance'`;
    const d = await makeDrone('idle');
    const other = await makeDrone('idle');
    const key = await issueDeviceKey(t.db, 'drone', d);
    const otherKey = await issueDeviceKey(t.db, 'drone', other);
    await t.sql`update drones set status = 'maintenance' where id = ${other}`;
    const automat = await makeAutomat(t.db, {
      coordinates: '55.7558,37.6173',
      external: [{ count: 2 }],
      internal: [{ count: 2 }],
    });
    const automatKey = await issueDeviceKey(t.db, 'automat', automat.id);
    const none = await getTask(d, key);
    expect([none.status, none.headers.get('cache-control')]).toEqual([204, 'no-store']);

    await recordTelemetry(t.db, { droneId: d, readings: [reading({ lat: 55.7658, lon: 37.6173, battery_level: 90 })] });
    const user = await makeUser(t.db);
    const good = await makeGood(t.db, { quantityAvailable: 3 });
    const order = await createOrder(
      t.db,
      { userId: user.id, goodId: good.id, automatId: automat.id },
      { actor: { type: 'customer', id: user.id } },
    );
    expect(await claimAndAssignNext(t.db, { minBattery: 30, offlineAfterMs: 60_000 })).toMatchObject({
      kind: 'assigned',
      droneId: d,
    });
    const task = await getTask(d, key);
    expect(task.status).toBe(200);
    expect(await task.json()).toMatchObject({
      delivery: {
        status: 'assigned',
        order_id: order.id,
        automat: { id: automat.id, lat: 55.7558, lon: 37.6173 },
        good: { name: good.name },
      },
    });

    expect(await code(await getTask(d, undefined))).toEqual([401, 'unauthorized']);
    expect(await code(await getTask(d, generateDeviceKey('drone')))).toEqual([401, 'unauthorized']);
    expect(await code(await getTask(d, otherKey))).toEqual([403, 'forbidden']);
    expect(await code(await getTask(d, automatKey))).toEqual([403, 'forbidden']);
    expect(await code(await getTask('not-a-uuid', key))).toEqual([403, 'forbidden']);
    const fresh = await issueDeviceKey(t.db, 'drone', d);
    expect(await code(await getTask(d, key))).toEqual([401, 'unauthorized']);
    expect((await getTask(d, fresh)).status).toBe(200);
  });
});

describe('parseTelemetryBody: the direct path accepts and returns exactly what the schema does', () => {
  const outcome = (f: () => unknown) => {
    try {
      return { ok: f() };
    } catch (err) {
      const e = toAppError(err);
      return { status: e.status, fields: e.fields };
    }
  };
  const num = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -12000, max: 12000 }),
    fc.integer({ min: -400, max: 400 }),
    fc.constantFrom(0, -0, 90, -90, 180, 100, 200, 360, 10000, -500),
  );
  const field = <T>(arb: fc.Arbitrary<T>) =>
    fc.option(fc.oneof(arb, fc.constantFrom<unknown>(null, '5', true, [], {})), { nil: undefined });
  const time = fc.oneof(
    fc
      .date({ min: new Date('2000-01-01'), max: new Date(Date.now() + 60 * 60 * 1000), noInvalidDate: true })
      .map((d) => d.toISOString()),
    fc.constantFrom(
      '2026-11-27T10:00:00+03:00',
      '2026-13-01T00:00:00Z',
      '2026-11-27 10:00:00Z',
      '2026-11-27T10:00:00',
      'yesterday',
      '2026-02-30T00:00:00Z',
    ),
  );
  const readingArb = fc.record(
    {
      lat: field(num),
      lon: field(num),
      battery_level: field(num),
      altitude_m: field(num),
      heading_deg: field(num),
      speed_mps: field(num),
      status: field(fc.constantFrom('idle', 'charging', 'maintenance', 'busy', 'offline', 'IDLE')),
      recorded_at: field(time),
      extra: field(fc.string()),
    },
    { requiredKeys: [] },
  );
  const valid = fc.record({
    lat: fc.double({ min: -90, max: 90, noNaN: true }),
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    battery_level: fc.double({ min: 0, max: 100, noNaN: true }),
  });
  const body = fc.oneof(
    readingArb,
    valid,
    fc.array(fc.oneof(valid, valid, readingArb), { maxLength: 103 }),
    fc.array(valid, { minLength: 99, maxLength: 102 }),
    fc.constantFrom<unknown>(null, 5, 'x', [], {}),
  );

  it('for random bodies, valid and invalid, the result or the 400 and its fields are the same', () => {
    fc.assert(
      fc.property(body, (value) => {
        // A JSON round trip: the route parses JSON, so undefined members do not exist.
        const json = JSON.parse(JSON.stringify(value)) as unknown;
        expect(outcome(() => parseTelemetryBody(json))).toEqual(outcome(() => parseWith(telemetryBodySchema, json)));
      }),
      { numRuns: 1000 },
    );
  });
});
