import type { FleetPosition } from '@/db/queries/fleet';
import type { AutomatSummary } from '@/db/queries/network';
import { pickupCellMetric } from '@/lib/cell-metric';

// Compact snapshot: drones as arrays (thousands per second must stay small), lockers as objects.
// Drone tuple: [id, status, battery, lat, lon, heading, speed, lastSeenMs, destLat, destLon, model, callSign]
// (the call sign was added last, so clients that read the first eleven keep working).
export type DroneTuple = [
  string,
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  string,
  string,
];

export type SnapshotAutomat = {
  id: string;
  city: string;
  address: string;
  lat: number;
  lon: number;
  aruco_id: number;
  is_working: boolean;
  last_seen_ms: number | null;
  external_total: number;
  external_occupied: number;
  /** The one cell metric (lib/cell-metric.ts) of the pickup cells: free now, of those in service. */
  external_free: number;
  external_in_service: number;
};

export type FleetSnapshot = { at: number; drones: DroneTuple[]; automats: SnapshotAutomat[] };

export function snapshotAutomats(automats: AutomatSummary[]): SnapshotAutomat[] {
  return automats.map((a) => {
    const m = pickupCellMetric(a);
    return {
      id: a.id,
      city: a.city,
      address: a.address,
      lat: a.lat,
      lon: a.lon,
      aruco_id: a.arucoId,
      is_working: a.isWorking,
      last_seen_ms: a.lastSeenAt ? a.lastSeenAt.getTime() : null,
      external_total: a.externalCells,
      external_occupied: a.externalCells - a.availableExternalCells,
      external_free: m.free,
      external_in_service: m.inService,
    };
  });
}

/** A number as JSON.stringify writes it (a non-finite one as null). */
const jsonNumber = (n: number | null) => (n !== null && Number.isFinite(n) ? String(n) : 'null');

/**
 * A drone's tuple (DroneTuple) as JSON text, built from the values as they arrive: the answers
 * are assembled from this text, so a tuple is encoded once when it changes, never parsed or
 * re-encoded. The id is a uuid and needs no escaping; the status, model and call sign are escaped.
 */
export function droneJson([
  id,
  seenMs,
  status,
  battery,
  lat,
  lon,
  heading,
  speed,
  destLat,
  destLon,
  model,
  callSign,
]: FleetPosition): string {
  return (
    `["${id}",${JSON.stringify(status)},${jsonNumber(battery)},${jsonNumber(lat)},${jsonNumber(lon)},` +
    `${jsonNumber(heading)},${jsonNumber(speed)},${jsonNumber(seenMs)},${jsonNumber(destLat)},${jsonNumber(destLon)},` +
    `${JSON.stringify(model)},${JSON.stringify(callSign)}]`
  );
}

/** One drone as the feed keeps it: the values it was published with, and their JSON. */
type DroneEntry = { position: FleetPosition; json: string };

// ---------------------------------------------------------------------------------------------
// The live feed: one snapshot per interval per instance, shared by every portal, and deltas.
//
// Every admin portal polls once a second. Each instance loads the fleet at most once per
// interval (single-flight: concurrent polls wait for the same load) and numbers what it
// publishes. A portal sends back the version it holds (`since`) and gets only the drones that
// changed after it, the ids removed after it, and the lockers only when they changed. A version
// is `<instance>.<seq>`: one from another instance (behind a load balancer), from before a
// restart, or older than what this instance remembers gets a full snapshot, which is always
// correct. A malformed `since` is a 400 validation_failed, like every other bad query
// (lib/validation/fleet-feed.ts; not here, so the live map's browser code, which imports this
// module's pure helpers, does not build a zod schema and load zod for it).

/**
 * A drone whose only change is `last_seen_ms` is re-sent once it moved this far: a drone reporting at 1 Hz would
 * otherwise be in every delta.
 */
export const LAST_SEEN_STEP_MS = 10_000;

export type FleetFull = FleetSnapshot & { version: string; full: true };
export type FleetDelta = {
  at: number;
  version: string;
  full: false;
  /** Drones added or changed since `since`, whole tuples. */
  drones: DroneTuple[];
  /** Ids of drones removed since `since`. */
  removed: string[];
  /** Every locker, present only when any of them changed since `since`. */
  automats?: SnapshotAutomat[];
};
export type FleetUpdate = FleetFull | FleetDelta;

/** What a load returns: the drones (fleetPositions) and the lockers. */
export type FleetLoad = { drones: FleetPosition[]; automats: SnapshotAutomat[] };

/** Whether a drone changed enough to be sent again: any value but last_seen, or last_seen by the step. */
function differs(a: FleetPosition, b: FleetPosition): boolean {
  for (let i = 0; i < a.length; i++) if (i !== 1 && !Object.is(a[i], b[i])) return true;
  const [x, y] = [a[1], b[1]];
  if (x === null || y === null) return x !== y;
  return Math.abs(x - y) >= LAST_SEEN_STEP_MS;
}

export type FleetFeedOptions = {
  load: () => Promise<FleetLoad>;
  /** A published snapshot younger than this is served as is. */
  maxAgeMs?: number;
  /**
   * Serve while refreshing: a snapshot older than maxAgeMs but younger than this is answered at
   * once and a load starts in the background (the next poll gets it), so no poll waits for the
   * database. Older than this (nobody polled for a while), the poll waits for a fresh load.
   * 0: every poll past maxAgeMs waits.
   */
  serveStaleForMs?: number;
  /**
   * While serving stale, how long the poll that starts a load waits for it (a small fleet loads within it, so its
   * portal sees fresh data).
   */
  waitForLoadMs?: number;
  /** How many versions back a `since` still gets a delta. */
  keepVersions?: number;
  instanceId?: string;
  now?: () => number;
};

export type FleetRead = { body: string; kind: 'full' | 'delta'; loadedHere: boolean; version: string };

export class FleetFeed {
  readonly instanceId: string;
  private readonly load: () => Promise<FleetLoad>;
  private readonly maxAgeMs: number;
  private readonly serveStaleForMs: number;
  private readonly waitForLoadMs: number;
  private readonly keep: number;
  private readonly now: () => number;
  private seq = 0;
  private at = 0;
  /** The published entry of each drone, and the version it last changed in. */
  private readonly entries = new Map<string, DroneEntry>();
  private readonly changedIn = new Map<string, number>();
  private readonly removedIn = new Map<string, number>();
  /** The drones the latest version changed: a portal one version behind (the usual poll) needs only these. */
  private changedLast: string[] = [];
  private automats: SnapshotAutomat[] = [];
  /** The lockers' JSON, compared to detect a change and reused in every answer. */
  private automatsJson = '[]';
  private automatsChangedIn = 0;
  private inflight: Promise<void> | null = null;
  /** Serialized answers for the current version, by `since` (-1: full), so N portals cost one JSON.stringify. */
  private bodies = new Map<number, { body: string; kind: 'full' | 'delta' }>();
  /** How many loads ran (a test and the bench read it). */
  loads = 0;

  constructor(o: FleetFeedOptions) {
    this.load = o.load;
    this.maxAgeMs = o.maxAgeMs ?? 900;
    this.serveStaleForMs = o.serveStaleForMs ?? 0;
    this.waitForLoadMs = o.waitForLoadMs ?? 0;
    this.keep = o.keepVersions ?? 120;
    // Web Crypto (global in Node and browsers), not node:crypto: the live map's client code
    // imports this module's pure helpers, and node:crypto there costs /admin a 143 kB polyfill.
    this.instanceId =
      o.instanceId ??
      Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
    this.now = o.now ?? Date.now;
  }

  get version(): string {
    return `${this.instanceId}.${this.seq}`;
  }

  /** Whether this call started a load. */
  private async refresh(): Promise<boolean> {
    const age = this.now() - this.at;
    if (this.seq > 0 && age < this.maxAgeMs) return false;
    if (this.seq > 0 && age < this.serveStaleForMs) {
      if (this.inflight) return false;
      // The failure of a background load reaches nobody: the next poll past serveStaleForMs
      // waits for its own load and gets the error.
      const loading = this.start().catch(() => {});
      if (this.waitForLoadMs > 0) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([loading, new Promise<void>((r) => (timer = setTimeout(r, this.waitForLoadMs)))]);
        clearTimeout(timer);
      }
      return true;
    }
    if (!this.inflight) {
      await this.start();
      return true;
    }
    await this.inflight;
    return false;
  }

  private start(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        this.loads++;
        this.publish(await this.load());
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  private publish(next: FleetLoad) {
    const seq = this.seq + 1;
    const seen = new Set<string>();
    const changed: string[] = [];
    for (const p of next.drones) {
      const id = p[0];
      seen.add(id);
      const prev = this.entries.get(id);
      // Only a changed drone is encoded: at 1 Hz most of the fleet only refreshed last_seen.
      if (!prev || differs(prev.position, p)) {
        this.entries.set(id, { position: p, json: droneJson(p) });
        this.changedIn.set(id, seq);
        changed.push(id);
        this.removedIn.delete(id);
      }
    }
    if (seen.size < this.entries.size) {
      for (const id of this.entries.keys()) {
        if (seen.has(id)) continue;
        this.entries.delete(id);
        this.changedIn.delete(id);
        this.removedIn.set(id, seq);
      }
    }
    for (const [id, s] of this.removedIn) if (s <= seq - this.keep) this.removedIn.delete(id);
    const automatsJson = JSON.stringify(next.automats);
    if (automatsJson !== this.automatsJson) {
      this.automats = next.automats;
      this.automatsJson = automatsJson;
      this.automatsChangedIn = seq;
    }
    this.changedLast = changed;
    this.seq = seq;
    this.at = this.now();
    this.bodies = new Map();
  }

  /** The sequence number `since` names on this instance, or null when only a full snapshot is right. */
  private base(since: string | undefined): number | null {
    if (!since) return null;
    const [instance, n] = since.split('.');
    const s = Number(n);
    if (instance !== this.instanceId || !Number.isSafeInteger(s) || s > this.seq || s < this.seq - this.keep || s < 1)
      return null;
    return s;
  }

  /** Every published drone's tuple, comma-separated JSON. */
  private dronesJson(): string {
    return Array.from(this.entries.values(), (e) => e.json).join(',');
  }

  /** The full snapshot, as an object (the page's first render). */
  async snapshot(): Promise<FleetFull> {
    await this.refresh();
    const drones = JSON.parse(`[${this.dronesJson()}]`) as DroneTuple[];
    return { at: this.at, version: this.version, full: true, drones, automats: this.automats };
  }

  /**
   * What a portal holding `since` needs, serialized. `since` must already be validated by fleetQuerySchema
   * (lib/validation/fleet-feed.ts).
   */
  async read(since?: string): Promise<FleetRead> {
    const loadedHere = await this.refresh();
    const base = this.base(since);
    const cacheKey = base ?? -1;
    let cached = this.bodies.get(cacheKey);
    if (!cached) {
      // The bodies are assembled from the drones' JSON text (FleetFull and FleetDelta, in that
      // key order): 2,000 tuples are never stringified again.
      const head = `{"at":${this.at},"version":${JSON.stringify(this.version)}`;
      if (base === null) {
        cached = {
          kind: 'full',
          body: `${head},"full":true,"drones":[${this.dronesJson()}],"automats":${this.automatsJson}}`,
        };
      } else {
        const drones: string[] = [];
        if (base === this.seq - 1)
          for (const id of this.changedLast) drones.push((this.entries.get(id) as DroneEntry).json);
        else for (const [id, s] of this.changedIn) if (s > base) drones.push((this.entries.get(id) as DroneEntry).json);
        const removed: string[] = [];
        for (const [id, s] of this.removedIn) if (s > base) removed.push(id);
        const automats = this.automatsChangedIn > base ? `,"automats":${this.automatsJson}` : '';
        cached = {
          kind: 'delta',
          body: `${head},"full":false,"drones":[${drones.join(',')}],"removed":${JSON.stringify(removed)}${automats}}`,
        };
      }
      this.bodies.set(cacheKey, cached);
    }
    return { ...cached, loadedHere, version: this.version };
  }
}

/** What the portal holds: the drones by id (insertion order kept), the lockers, and the version. */
export type FleetState = {
  at: number;
  version: string | null;
  drones: Map<string, DroneTuple>;
  automats: SnapshotAutomat[];
};

export function fleetStateFrom(s: FleetSnapshot & { version?: string }): FleetState {
  return {
    at: s.at,
    version: s.version ?? null,
    drones: new Map(s.drones.map((d) => [d[0], d])),
    automats: s.automats,
  };
}

/**
 * Applies an answer of the feed to what the portal holds. A full snapshot replaces it; a delta
 * changes only the drones it names (the Map is updated in place and returned in a new state
 * object, so 2,000 drones are not copied every second).
 */
export function applyFleetUpdate(state: FleetState, u: FleetUpdate): FleetState {
  if (u.full) return fleetStateFrom(u);
  const drones = state.drones;
  for (const id of u.removed) drones.delete(id);
  for (const d of u.drones) drones.set(d[0], d);
  return { at: u.at, version: u.version, drones, automats: u.automats ?? state.automats };
}
