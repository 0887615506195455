import { haversineMeters, type LatLon } from '@/lib/geo';
import type { Logger } from '@/lib/logger';

// A fleet simulator that behaves like real devices: it talks to SkyPost only through the
// public HTTP API with device keys. Drones poll their task, fly straight lines, post
// telemetry at 1 Hz (simulated time), drop, fly home, drain and recharge their batteries.
// Lockers move dropped parcels to their pickup cells a few seconds after the drop.

export type SimDevice = { id: string; key: string; label: string };
/** `home` is where the drone starts, returns to and charges; the simulator's `base` when unset. */
export type SimDrone = SimDevice & { battery: number; home?: LatLon };
export type SimAutomat = SimDevice & { isWorking: boolean };

export type SimulatorOptions = {
  /** One server, or several instances of it: the i-th drone (and the i-th locker) talks to baseUrl[i % n]. */
  baseUrl: string | readonly string[];
  drones: SimDrone[];
  automats: SimAutomat[];
  base: LatLon;
  /** Cruise speed, m/s. */
  speedMps: number;
  /** Simulated seconds per real second. */
  speedup: number;
  /** Probability that a flight fails on the way (0..1). */
  failureRate: number;
  /** Seconds between a drop and the locker's transfer (simulated). */
  transferDelayS: number;
  log: Logger;
  random?: () => number;
};

/** What the devices saw of the server: replies by status code, and requests that got no reply. */
export type SimulatorStats = {
  requests: number;
  byStatus: Record<string, number>;
  noReply: number;
  telemetryAccepted: number;
};

type Task = { id: string; status: string; automat: { lat: number; lon: number; address: string } };

const CRUISE_ALTITUDE_M = 80;
const DRAIN_PER_KM = 2.2; // % battery per km flown
const CHARGE_PER_S = 0.25; // % per second at the base
const READY_BATTERY = 40; // below this a drone at base reports "charging"

function bearingDeg(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const y = Math.sin((b.lon - a.lon) * rad) * Math.cos(b.lat * rad);
  const x =
    Math.cos(a.lat * rad) * Math.sin(b.lat * rad) -
    Math.sin(a.lat * rad) * Math.cos(b.lat * rad) * Math.cos((b.lon - a.lon) * rad);
  return (Math.atan2(y, x) / rad + 360) % 360;
}

/** Moves `meters` from `from` toward `to` (straight line; fine at city scale). */
function step(from: LatLon, to: LatLon, meters: number): { at: LatLon; arrived: boolean } {
  const total = haversineMeters(from, to);
  if (total <= meters || total < 0.5) return { at: { ...to }, arrived: true };
  const f = meters / total;
  return { at: { lat: from.lat + (to.lat - from.lat) * f, lon: from.lon + (to.lon - from.lon) * f }, arrived: false };
}

class Api {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly stats: SimulatorStats,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    this.stats.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      text = await res.text();
    } catch (err) {
      this.stats.noReply++;
      throw err;
    }
    const code = String(res.status);
    this.stats.byStatus[code] = (this.stats.byStatus[code] ?? 0) + 1;
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  }
}

export class Simulator {
  private stopped = false;
  private readonly random: () => number;
  private readonly loops: Promise<void>[] = [];
  private readonly counters: SimulatorStats = { requests: 0, byStatus: {}, noReply: 0, telemetryAccepted: 0 };

  constructor(private readonly o: SimulatorOptions) {
    this.random = o.random ?? Math.random;
  }

  private sleep(simSeconds: number) {
    return new Promise<void>((r) => setTimeout(r, (simSeconds * 1000) / this.o.speedup));
  }

  start() {
    this.o.drones.forEach((d, i) => this.loops.push(this.droneLoop(d, this.urlFor(i))));
    this.o.automats.forEach((a, i) => this.loops.push(this.automatLoop(a, this.urlFor(i))));
    this.o.log.info('Simulator started', {
      drones: this.o.drones.length,
      automats: this.o.automats.length,
      speedup: this.o.speedup,
      failure_rate: this.o.failureRate,
    });
  }

  async stop() {
    this.stopped = true;
    await Promise.allSettled(this.loops);
  }

  private urlFor(i: number): string {
    const urls = typeof this.o.baseUrl === 'string' ? [this.o.baseUrl] : this.o.baseUrl;
    return urls[i % urls.length]!;
  }

  stats(): SimulatorStats {
    return { ...this.counters, byStatus: { ...this.counters.byStatus } };
  }

  private async droneLoop(d: SimDrone, baseUrl: string) {
    const api = new Api(baseUrl, d.key, this.counters);
    const log = this.o.log.child({ drone: d.label });
    const home = d.home ?? this.o.base;
    let pos: LatLon = { ...home };
    let battery = d.battery;
    let heading = 0;
    let target: { kind: 'delivery'; task: Task; failAfterM: number | null; flownM: number } | { kind: 'home' } | null =
      null;
    let sinceTaskPoll = Infinity;
    let failures = 0;

    const telemetry = async (speed: number, status?: 'idle' | 'charging') => {
      const body = {
        lat: pos.lat,
        lon: pos.lon,
        altitude_m: speed > 0 ? CRUISE_ALTITUDE_M : 0,
        heading_deg: Math.round(heading * 10) / 10,
        speed_mps: speed,
        battery_level: Math.round(battery * 100) / 100,
        ...(status ? { status } : {}),
        recorded_at: new Date().toISOString(),
      };
      const r = await api.call('POST', `/api/drones/${d.id}/telemetry`, body);
      if (r.status === 401 || r.status === 403) throw new Error(`key rejected (${r.status}); was it rotated?`);
      if (r.status === 202) this.counters.telemetryAccepted++;
    };

    while (!this.stopped) {
      try {
        if (!target || target.kind === 'home') {
          // Ready for work (at base, or flying home): ask for a task every 2 simulated seconds.
          if (sinceTaskPoll >= 2 && battery > 30) {
            sinceTaskPoll = 0;
            const r = await api.call('GET', `/api/drones/${d.id}/task`);
            if (r.status === 200) {
              const task = (r.json as { delivery: Task }).delivery;
              if (task.status === 'assigned')
                await api.call('POST', `/api/deliveries/${task.id}/events`, { type: 'started' });
              const distance = haversineMeters(pos, task.automat);
              const fails = this.random() < this.o.failureRate;
              target = {
                kind: 'delivery',
                task,
                failAfterM: fails ? distance * (0.2 + this.random() * 0.6) : null,
                flownM: 0,
              };
              log.info('Took a delivery', {
                delivery: task.id,
                to: task.automat.address,
                distance_m: Math.round(distance),
                will_fail: fails,
              });
            }
          }
        }

        if (target?.kind === 'delivery') {
          const t = target;
          heading = bearingDeg(pos, t.task.automat);
          const moved = step(pos, t.task.automat, this.o.speedMps);
          t.flownM += haversineMeters(pos, moved.at);
          battery = Math.max(0, battery - (haversineMeters(pos, moved.at) / 1000) * DRAIN_PER_KM);
          pos = moved.at;
          if (t.failAfterM !== null && t.flownM >= t.failAfterM) {
            await api.call('POST', `/api/deliveries/${t.task.id}/events`, {
              type: 'failed',
              reason: 'simulated motor fault',
            });
            log.warn('Flight failed; returning to base', { delivery: t.task.id });
            target = { kind: 'home' };
          } else if (moved.arrived) {
            await telemetry(0);
            await api.call('POST', `/api/deliveries/${t.task.id}/events`, { type: 'dropped' });
            log.info('Dropped the parcel', { delivery: t.task.id, at: t.task.automat.address });
            target = { kind: 'home' };
          } else {
            await telemetry(this.o.speedMps);
          }
        } else if (target?.kind === 'home') {
          heading = bearingDeg(pos, home);
          const moved = step(pos, home, this.o.speedMps);
          battery = Math.max(0, battery - (haversineMeters(pos, moved.at) / 1000) * DRAIN_PER_KM);
          pos = moved.at;
          if (moved.arrived) target = null;
          await telemetry(moved.arrived ? 0 : this.o.speedMps, 'idle');
        } else {
          battery = Math.min(100, battery + CHARGE_PER_S);
          await telemetry(0, battery < READY_BATTERY ? 'charging' : 'idle');
        }
        failures = 0;
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 30 === 0)
          log.warn('Request failed; retrying', { err: err instanceof Error ? err.message : String(err) });
      }
      sinceTaskPoll += 1;
      await this.sleep(failures ? Math.min(2 ** failures, 30) : 1);
    }
  }

  private async automatLoop(a: SimAutomat, baseUrl: string) {
    const api = new Api(baseUrl, a.key, this.counters);
    const log = this.o.log.child({ automat: a.label });
    const droppedAt = new Map<string, number>();
    let sinceHeartbeat = Infinity;
    let clock = 0;
    while (!this.stopped) {
      try {
        if (sinceHeartbeat >= 30) {
          sinceHeartbeat = 0;
          await api.call('POST', `/api/automats/${a.id}/heartbeat`, { is_working: a.isWorking });
        }
        const r = await api.call('GET', `/api/automats/${a.id}/expected`);
        if (r.status === 200) {
          const list = (r.json as { deliveries: { id: string; status: string }[] }).deliveries;
          for (const d of list.filter((x) => x.status === 'delivered')) {
            if (!droppedAt.has(d.id)) droppedAt.set(d.id, clock);
            if (clock - (droppedAt.get(d.id) ?? clock) >= this.o.transferDelayS) {
              const t = await api.call('POST', `/api/automats/${a.id}/transfer`, { delivery_id: d.id });
              droppedAt.delete(d.id);
              if (t.status === 200)
                log.info('Moved a parcel to its pickup cell', {
                  delivery: d.id,
                  cell: (t.json as { external_cell_number: number }).external_cell_number,
                });
            }
          }
        }
      } catch (err) {
        log.warn('Request failed; retrying', { err: err instanceof Error ? err.message : String(err) });
      }
      clock += 1;
      sinceHeartbeat += 1;
      await this.sleep(1);
    }
  }
}
