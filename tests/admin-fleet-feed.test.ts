import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetPositions } from '@/db/queries/fleet';
import { listAutomatSummaries } from '@/db/queries/network';
import { deliveries, orders } from '@/db/schema';
import {
  applyFleetUpdate,
  droneJson,
  FleetFeed,
  fleetStateFrom,
  LAST_SEEN_STEP_MS,
  snapshotAutomats,
  type DroneTuple,
  type FleetDelta,
  type FleetFull,
  type FleetLoad,
  type FleetState,
} from '@/lib/admin/fleet';
import { parseWith } from '@/lib/http';
import { fleetQuerySchema } from '@/lib/validation/fleet-feed';
import { rejection } from './helpers/assert';
import { createTestDatabase, type TestDatabase } from './helpers/db';
import { makeAutomat, makeGood, makeUser } from './helpers/factories';

// The live map's feed: deltas applied by the portal's reducer give exactly the full snapshot,
// one load per interval is shared by every portal, and a version the instance cannot answer
// from gets a full snapshot.

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/** What the live feed loads (lib/admin/fleet-live.ts), from the test database. */
async function loadFleet(): Promise<FleetLoad> {
  const [drones, automats] = await Promise.all([fleetPositions(t.sql), listAutomatSummaries(t.db)]);
  return { drones, automats: snapshotAutomats(automats) };
}

/**
 * The drones' tuples built from plain columns as the feed built them before (numeric strings,
 * Date objects), independently of fleetPositions and droneJson: what the map must receive.
 */
async function tuplesFromColumns(): Promise<DroneTuple[]> {
  const rows = await t.sql<
    {
      id: string;
      status: string;
      battery: string | null;
      lat: number | null;
      lon: number | null;
      heading: number | null;
      speed: number | null;
      seen: string | null;
      dest: string | null;
      model: string;
      call_sign: string;
    }[]
  >`
    select d.id, d.status, d.battery_level as battery, d.last_lat as lat, d.last_lon as lon,
           d.heading_deg as heading, d.speed_mps as speed, d.last_seen_at as seen, a.coordinates as dest,
           d.model, d.call_sign
    from drones d
    left join deliveries del on del.drone_id = d.id and del.status in ('assigned', 'in_progress')
    left join parcel_automats a on a.id = del.parcel_automat_id
    order by d.id`;
  return rows.map((r) => {
    const [dLat, dLon] = r.dest ? r.dest.split(',').map(Number) : [null, null];
    return [
      r.id,
      r.status,
      r.battery === null ? null : Number(r.battery),
      r.lat,
      r.lon,
      r.heading,
      r.speed,
      r.seen ? new Date(r.seen).getTime() : null,
      dLat ?? null,
      dLon ?? null,
      r.model,
      r.call_sign,
    ];
  });
}

/** A feed on the test database that loads on every read (maxAgeMs 0), counting loads. */
function feedOnDb(o: { maxAgeMs?: number; keepVersions?: number; instanceId?: string } = {}) {
  return new FleetFeed({
    maxAgeMs: o.maxAgeMs ?? 0,
    keepVersions: o.keepVersions,
    instanceId: o.instanceId,
    load: loadFleet,
  });
}

const sorted = (ds: Iterable<DroneTuple>) => [...ds].sort((a, b) => a[0].localeCompare(b[0]));
// Each read of a feed with maxAgeMs 0 loads again (a new version with the same content): compare content.
const held = (s: FleetState) => ({ drones: sorted(s.drones.values()), automats: s.automats });
async function full(feed: FleetFeed): Promise<FleetFull> {
  const r = await feed.read();
  expect(r.kind).toBe('full');
  return JSON.parse(r.body) as FleetFull;
}
async function deltaSince(feed: FleetFeed, since: string | null) {
  const r = await feed.read(since ?? undefined);
  return { kind: r.kind, update: JSON.parse(r.body) as FleetDelta | FleetFull };
}
async function addDrone({
  model,
  status = 'idle',
  lat = 55.75,
  lon = 37.62,
}: {
  model: string;
  status?: string;
  lat?: number;
  lon?: number;
}) {
  const [d] = await t.sql<{ id: string }[]>`
    insert into drones
      (model, ip_address, status, battery_level, last_lat, last_lon, heading_deg, speed_mps, last_seen_at)
    values (${model}, '10.77.0.1', ${status}, 80, ${lat}, ${lon}, 90, 0, now()) returning id`;
  return d!.id;
}

describe("the drones' tuples as the feed encodes them", () => {
  it('gives exactly the column-built tuples: nulls, fractions, a destination, any text in a model name', async () => {
    const plain = await addDrone({ model: 'Plain', status: 'busy', lat: 55.123456789012, lon: 37.000001 });
    const odd = 'Quote " backslash \\ tab \t newline \n unicode Ñ ✈ \u0001 end';
    const [blank] = await t.sql<{ id: string }[]>`
      insert into drones
        (model, ip_address, status, battery_level, last_lat, last_lon, heading_deg, speed_mps, last_seen_at)
      values (${odd}, '10.77.0.2', 'offline', null, null, null, null, null, null) returning id`;
    await t.sql`
      update drones
      set battery_level = 80.5, heading_deg = 0.1, speed_mps = 1e-7, last_seen_at = '2026-01-02 03:04:05.678901+00'
      where id = ${plain}`;
    // A drone on a delivery carries its locker's coordinates as the destination.
    const automat = await makeAutomat(t.db, { coordinates: '55.7012345,37.60001' });
    const user = await makeUser(t.db);
    const good = await makeGood(t.db);
    const [o] = await t.db
      .insert(orders)
      .values({ userId: user.id, goodId: good.id, parcelAutomatId: automat.id, status: 'processing' })
      .returning({ id: orders.id });
    const flying = await addDrone({ model: 'Flying', status: 'busy' });
    await t.db
      .insert(deliveries)
      .values({ orderId: o!.id, droneId: flying, parcelAutomatId: automat.id, status: 'in_progress' });

    const expected = await tuplesFromColumns();
    const encoded = (await fleetPositions(t.sql)).map((p) => JSON.parse(droneJson(p)) as DroneTuple);
    expect(sorted(encoded)).toEqual(sorted(expected));
    const byId = new Map(encoded.map((d) => [d[0], d]));
    expect(byId.get(plain)).toEqual([
      plain,
      'busy',
      80.5,
      55.123456789012,
      37.000001,
      0.1,
      1e-7,
      Date.parse('2026-01-02T03:04:05.678Z'),
      null,
      null,
      'Plain',
      expect.stringMatching(/^D-\d{2,}$/),
    ]);
    expect(byId.get(blank!.id)).toEqual([
      blank!.id,
      'offline',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      odd,
      expect.stringMatching(/^D-\d{2,}$/),
    ]);
    expect(byId.get(flying)?.slice(8, 11)).toEqual([55.7012345, 37.60001, 'Flying']);
    // And the feed's full answer, assembled from that text, is valid JSON with the same tuples.
    const answer = await full(feedOnDb());
    expect(sorted(answer.drones)).toEqual(sorted(expected));
    await t.db.delete(deliveries);
  });

  it('a non-finite number is sent as null, as JSON.stringify would, so the answer stays valid JSON', () => {
    const e = droneJson(['x', Number.NaN, 'idle', Number.POSITIVE_INFINITY, 1.5, -2, null, 0, null, null, 'M', 'D-01']);
    expect(JSON.parse(e)).toEqual(['x', 'idle', null, 1.5, -2, null, 0, null, null, null, 'M', 'D-01']);
  });
});

describe('deltas', () => {
  it("applied by the reducer, equal the full snapshot; removed drones vanish; unchanged ones aren't sent", async () => {
    const feed = feedOnDb();
    const a = await addDrone({ model: 'Delta A' });
    const b = await addDrone({ model: 'Delta B', status: 'busy' });
    const c = await addDrone({ model: 'Delta C', status: 'charging' });
    let state = fleetStateFrom(await full(feed));
    expect(state.drones.has(a) && state.drones.has(b) && state.drones.has(c)).toBe(true);

    // Nothing changed: an empty delta.
    const still = await deltaSince(feed, state.version);
    expect(still.kind).toBe('delta');
    expect(still.update).toMatchObject({ full: false, drones: [], removed: [] });
    expect('automats' in still.update).toBe(false);
    state = applyFleetUpdate(state, still.update);

    // B moves, C changes status, A is deleted, D is added, a locker appears.
    await t.sql`update drones set last_lat = 55.76, last_lon = 37.63, heading_deg = 180 where id = ${b}`;
    await t.sql`update drones set status = 'idle' where id = ${c}`;
    await t.sql`delete from drones where id = ${a}`;
    const d = await addDrone({ model: 'Delta D', status: 'busy', lat: 55.7, lon: 37.5 });
    const automat = await makeAutomat(t.db);
    const step = await deltaSince(feed, state.version);
    expect(step.kind).toBe('delta');
    const delta = step.update as FleetDelta;
    expect(delta.drones.map((x) => x[0]).sort()).toEqual([b, c, d].sort());
    expect(delta.removed).toEqual([a]);
    expect(delta.automats?.map((x) => x.id)).toContain(automat.id);
    state = applyFleetUpdate(state, delta);
    expect(state.drones.has(a)).toBe(false);
    expect(state.drones.get(b)?.slice(3, 6)).toEqual([55.76, 37.63, 180]);
    expect(state.drones.get(c)?.[1]).toBe('idle');

    const now = await full(feed);
    expect(held(state)).toEqual({ drones: sorted(now.drones), automats: now.automats });
    // And the full snapshot is what the database holds (positions, statuses, lockers).
    expect(sorted(now.drones)).toEqual(sorted(await tuplesFromColumns()));
    expect(now.automats).toEqual(snapshotAutomats(await listAutomatSummaries(t.db)));
  });

  it('a drone whose last_seen alone advanced by the step is re-sent, so deltas still equal the snapshot', async () => {
    const feed = feedOnDb();
    const id = await addDrone({ model: 'Seen' });
    let state = fleetStateFrom(await full(feed));
    const before = state.drones.get(id)![7]!;
    await t.sql`update drones set last_seen_at = last_seen_at + interval '2 seconds' where id = ${id}`;
    const small = (await deltaSince(feed, state.version)).update as FleetDelta;
    expect(small.drones).toEqual([]);
    state = applyFleetUpdate(state, small);
    await t.sql`
      update drones set last_seen_at = last_seen_at + ${`${LAST_SEEN_STEP_MS / 1000} seconds`}::interval
      where id = ${id}`;
    const large = (await deltaSince(feed, state.version)).update as FleetDelta;
    expect(large.drones.map((x) => [x[0], x[7]])).toEqual([[id, before + 2000 + LAST_SEEN_STEP_MS]]);
    state = applyFleetUpdate(state, large);
    const now = await full(feed);
    expect(held(state)).toEqual({ drones: sorted(now.drones), automats: now.automats });
  });

  it('several polls behind, a delta carries every change since the version held', async () => {
    const feed = feedOnDb();
    const id = await addDrone({ model: 'Behind', status: 'busy' });
    let state = fleetStateFrom(await full(feed));
    await t.sql`update drones set last_lat = 55.71 where id = ${id}`;
    await feed.read();
    await t.sql`update drones set battery_level = 42 where id = ${id}`;
    await feed.read();
    const u = (await deltaSince(feed, state.version)).update as FleetDelta;
    expect(u.full).toBe(false);
    expect(u.drones.find((x) => x[0] === id)?.slice(2, 4)).toEqual([42, 55.71]);
    state = applyFleetUpdate(state, u);
    const now = await full(feed);
    expect(held(state)).toEqual({ drones: sorted(now.drones), automats: now.automats });
  });
});

describe('versions the instance cannot answer from get a full snapshot', () => {
  it('another instance, an old version, a future version', async () => {
    await addDrone({ model: 'Versions' });
    const a = feedOnDb({ keepVersions: 2 });
    const b = feedOnDb();
    const fromA = await full(a);
    expect(a.instanceId).not.toBe(b.instanceId);
    // Instance B never published A's version: a full snapshot, which replaces the portal's state.
    const other = await deltaSince(b, fromA.version);
    expect(other.kind).toBe('full');
    const replaced = applyFleetUpdate(fleetStateFrom({ ...fromA, drones: [] }), other.update);
    expect(sorted(replaced.drones.values())).toEqual(sorted(fromA.drones));
    expect(replaced.version?.startsWith(`${b.instanceId}.`)).toBe(true);
    // Too old for A (it keeps 2 versions): full.
    for (let i = 0; i < 3; i++) await a.read();
    expect((await deltaSince(a, fromA.version)).kind).toBe('full');
    // A version A has not reached yet (a restart reusing an id cannot happen, but a forged one can): full.
    expect((await deltaSince(a, `${a.instanceId}.999999`)).kind).toBe('full');
    expect((await deltaSince(a, `${a.instanceId}.0`)).kind).toBe('full');
  });
});

describe('single flight', () => {
  it('N portals polling at once cost one load; the next interval costs one more', async () => {
    let clock = 1_000_000;
    let loads = 0;
    let queries = 0;
    const feed = new FleetFeed({
      maxAgeMs: 900,
      now: () => clock,
      load: async () => {
        loads++;
        const load = await loadFleet();
        queries += 2;
        return load;
      },
    });
    const first = await Promise.all(Array.from({ length: 10 }, () => feed.read()));
    expect([loads, queries]).toEqual([1, 2]);
    expect(first.filter((r) => r.loadedHere)).toHaveLength(1);
    expect(new Set(first.map((r) => r.body)).size).toBe(1);
    // Ten portals holding the same version, within the interval: no load, one shared delta.
    const version = first[0]!.version;
    const again = await Promise.all(Array.from({ length: 10 }, () => feed.read(version)));
    expect(loads).toBe(1);
    expect(new Set(again.map((r) => r.body)).size).toBe(1);
    expect(again[0]!.kind).toBe('delta');
    clock += 1000;
    const next = await Promise.all(Array.from({ length: 10 }, () => feed.read(version)));
    expect([loads, queries]).toEqual([2, 4]);
    expect(next.every((r) => r.version !== version && r.kind === 'delta')).toBe(true);
  });

  it('past maxAge: answered at once, one load starts, the next poll gets it; past serveStaleFor it waits', async () => {
    let clock = 5_000_000;
    let release: (() => void) | null = null;
    let gate = false;
    const id = await addDrone({ model: 'Stale', status: 'busy' });
    const feed = new FleetFeed({
      maxAgeMs: 900,
      serveStaleForMs: 3000,
      waitForLoadMs: 10,
      now: () => clock,
      load: async () => {
        if (gate) await new Promise<void>((r) => (release = r));
        return loadFleet();
      },
    });
    const first = await feed.read();
    expect(feed.loads).toBe(1);
    await t.sql`update drones set last_lat = 55.7001 where id = ${id}`;
    clock += 1000;
    gate = true;
    // Ten polls while the load is held: all answered from the published version, one load started.
    const during = await Promise.all(Array.from({ length: 10 }, () => feed.read(first.version)));
    expect(during.every((r) => r.version === first.version && r.kind === 'delta')).toBe(true);
    expect(during.filter((r) => r.loadedHere)).toHaveLength(1);
    expect(feed.loads).toBe(2);
    gate = false;
    // A load that finishes within waitForLoadMs is what its poll gets.
    const quick = new FleetFeed({
      maxAgeMs: 900,
      serveStaleForMs: 3000,
      waitForLoadMs: 2000,
      now: () => clock,
      load: async () => ({ drones: [], automats: [] }),
    });
    const q1 = await quick.read();
    clock += 1000;
    expect((await quick.read(q1.version)).version).not.toBe(q1.version);
    clock -= 1000;
    await expect.poll(() => release !== null).toBe(true);
    (release as unknown as () => void)();
    await expect.poll(() => feed.version).not.toBe(first.version);
    const after = await feed.read(first.version);
    expect((JSON.parse(after.body) as FleetDelta).drones.find((d) => d[0] === id)?.[3]).toBe(55.7001);
    // Nobody polled for longer than serveStaleFor: the poll waits for a fresh load.
    await t.sql`update drones set last_lat = 55.7002 where id = ${id}`;
    clock += 5000;
    const late = await feed.read(after.version);
    expect(late.version).not.toBe(after.version);
    expect((JSON.parse(late.body) as FleetDelta).drones.find((d) => d[0] === id)?.[3]).toBe(55.7002);
  });

  it('a failed load reaches every waiting portal, and the next poll tries again', async () => {
    let fail = true;
    const feed = new FleetFeed({
      maxAgeMs: 0,
      load: async () => {
        if (fail) throw new Error('database unavailable');
        return { drones: [], automats: [] };
      },
    });
    const results = await Promise.allSettled([feed.read(), feed.read(), feed.read()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(feed.loads).toBe(1);
    fail = false;
    expect((await feed.read()).kind).toBe('full');
  });
});

describe('the since parameter', () => {
  it('a malformed since is a 400 validation_failed on the field; a well-formed one passes', async () => {
    for (const bad of [
      '',
      'abc',
      '12.x',
      'ABC.1',
      `${'a'.repeat(33)}.1`,
      '1.1234567890123456',
      "a.1' or 1=1",
      'a.1.2',
    ]) {
      const e = await rejection(Promise.resolve().then(() => parseWith(fleetQuerySchema, { since: bad })));
      expect([e.status, e.code, Object.keys(e.fields ?? {})]).toEqual([400, 'validation_failed', ['since']]);
    }
    expect(parseWith(fleetQuerySchema, { since: 'a1b2c3.42' })).toEqual({ since: 'a1b2c3.42' });
    expect(parseWith(fleetQuerySchema, {})).toEqual({});
  });
});
