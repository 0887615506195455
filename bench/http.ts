// npm run bench -- http [--duration 10] [--warmup 3] [--drones 400] [--no-record] [--cpu-prof]
// The device API and the reads beside it, over HTTP, against the production server
// (launcher, SIMULATOR=off, WORKERS=0), with autocannon on 127.0.0.1, in one run:
//   a. GET /api/health, 32 connections: Next.js plus `select 1`, the framework's own ceiling
//      and the baseline every other figure is divided by;
//   b. GET /api/drones/{id}/task, 32 connections (device auth and one query);
//   c. POST /api/drones/{id}/telemetry, one reading, 32 connections, over every drone;
//   d. the same with 100 readings per request;
//   e. one reading at 64 connections;
//   f. reads under load: /api/me/orders, /api/admin/fleet and /api/drones/{id}/task at
//      100 req/s each, first alone (the baseline), then beside telemetry at 500 req/s.
// After each telemetry case it counts drone_telemetry: exactly one row per reading of every
// 202, none for any other answer. It uses only the HTTP contract, so it measures whatever the
// ingest path is.
import '../scripts/lib/dotenv';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonClient } from 'autocannon';
import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { goods, parcelAutomats } from '@/db/schema';
import { ensureProductionBuild, startApp, type App, type BenchDrone } from './lib/app';
import { summarizeCpuProfile } from './lib/cpu-profile';
import { appendRunLogRow, describeMachine, machineInfo } from './lib/report';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    drones: { type: 'string', default: '400' },
    port: { type: 'string', default: '4600' },
    'pg-port': { type: 'string', default: '56600' },
    note: { type: 'string', default: '' },
    'no-record': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'profile-case': { type: 'string', default: 'c' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      'Usage: npm run bench -- http [options]',
      '  --duration S     seconds measured per case (default 10)',
      '  --warmup S       seconds of the same load before each case, not measured (default 3)',
      '  --drones N       drones registered with device keys; telemetry spreads over all (default 400, at least 200)',
      '  --port P         first web port tried (default 4600; the next free one is used)',
      '  --pg-port P      first PostgreSQL port tried (default 56600)',
      '  --note TEXT      added to the run-log row (e.g. what else loaded the machine)',
      '  --no-record      print only; do not add a row to docs/benchmarks.md',
      '  --no-build       serve the existing .next build even if sources changed',
      '  --cpu-prof       instead of the full run: profile the web server during one telemetry case',
      '                   and print where its CPU time goes (the .cpuprofile file is kept)',
      '  --profile-case X the case --cpu-prof profiles: c (one reading per request, default) or',
      '                   d (100 readings per request)',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const parsed = z
  .object({
    duration: z.coerce.number().min(1).max(600),
    warmup: z.coerce.number().min(0).max(120),
    drones: z.coerce.number().int().min(200).max(5000),
    port: z.coerce.number().int().min(1024).max(65000),
    'pg-port': z.coerce.number().int().min(1024).max(65000),
    note: z.string(),
    'no-record': z.boolean(),
    'no-build': z.boolean(),
    'cpu-prof': z.boolean(),
    'profile-case': z.enum(['c', 'd']),
  })
  .safeParse(values);
if (!parsed.success) {
  process.stderr.write(
    `Invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
  );
  process.exit(2);
}
const o = parsed.data;

const say = (line: string) => process.stdout.write(`[http ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Load: autocannon, one request source per connection

type Req = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
/** What one connection sends: the next request, and the answer to the last one it sent. */
type Source = { next: () => Req; answered: (status: number) => void; finish: () => void };
type LoadSpec = {
  connections: number;
  seconds: number;
  /** Fixed overall rate (req/s); without it every connection sends as fast as answers come. */
  rate?: number;
  source: (connection: number, of: number) => Source;
};
type LoadResult = {
  responses: number;
  seconds: number;
  rps: number;
  latencies: number[];
  status: Map<number, number>;
  errors: number;
  timeouts: number;
  connections: number;
};

/**
 * Runs one load. A fixed rate is split over 10 autocannon instances started 100 ms apart:
 * autocannon spends each connection's per-second budget at the top of every second, so one
 * instance would send its whole second in one burst; ten phases spread it over the second.
 * Latencies are every answer's own time (autocannon's coordinated-omission correction off:
 * with a rate it would add synthetic 1 ms samples).
 */
async function runLoad(baseUrl: string, spec: LoadSpec): Promise<LoadResult> {
  const phases = spec.rate ? Math.min(10, spec.rate) : 1;
  const perPhase = spec.rate ? Math.max(1, Math.ceil(spec.connections / phases)) : spec.connections;
  const total = phases * perPhase;
  const latencies: number[] = [];
  const status = new Map<number, number>();
  const sources: Source[] = [];
  let started = Infinity;
  let finished = 0;
  let errors = 0;
  let timeouts = 0;

  const one = (phase: number) =>
    new Promise<void>((resolve, reject) => {
      let index = 0;
      const rate = spec.rate ? Math.floor(spec.rate / phases) + (phase < spec.rate % phases ? 1 : 0) : undefined;
      started = Math.min(started, Date.now());
      const instance = autocannon(
        {
          url: baseUrl,
          connections: perPhase,
          duration: spec.seconds,
          ...(rate ? { overallRate: rate, ignoreCoordinatedOmission: true } : {}),
          setupClient: (client: AutocannonClient) => {
            const source = spec.source(phase * perPhase + index++, total);
            sources.push(source);
            client.setRequests([
              {
                setupRequest: (req) => {
                  const r = source.next();
                  return {
                    ...req,
                    method: r.method,
                    path: r.path,
                    headers: r.headers,
                    ...(r.body === undefined ? {} : { body: r.body }),
                  };
                },
                onResponse: (code) => source.answered(code),
              },
            ]);
          },
        },
        (err, result) => {
          if (err) return reject(err);
          finished = Math.max(finished, Date.now());
          errors += result.errors;
          timeouts += result.timeouts;
          resolve();
        },
      );
      // autocannon fixes this listener's signature.
      // eslint-disable-next-line max-params
      instance.on('response', (_client: unknown, code: number, _bytes: number, ms: number) => {
        latencies.push(ms);
        status.set(code, (status.get(code) ?? 0) + 1);
      });
    });

  const runs: Promise<void>[] = [];
  for (let p = 0; p < phases; p++) {
    runs.push(one(p));
    if (p < phases - 1) await new Promise((r) => setTimeout(r, 1000 / phases));
  }
  await Promise.all(runs);
  for (const s of sources) s.finish();
  const seconds = (finished - started) / 1000;
  const responses = latencies.length;
  return { responses, seconds, rps: responses / seconds, latencies, status, errors, timeouts, connections: total };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

type Stats = {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  errors: number;
  responses: number;
  connections: number;
  status: Map<number, number>;
};
function stats(r: LoadResult): Stats {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  let non2xx = 0;
  for (const [code, n] of r.status) if (code < 200 || code > 299) non2xx += n;
  return {
    rps: r.rps,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    non2xx,
    errors: r.errors + r.timeouts,
    responses: r.responses,
    connections: r.connections,
    status: r.status,
  };
}

// ---------------------------------------------------------------------------------------------
// Request sources

/** A fixed request, the same for every connection (health, the customer's orders, the fleet). */
const fixed = (req: Req) => (): Source => ({ next: () => req, answered: () => {}, finish: () => {} });

/** The drones connection `c` of `of` owns, so one drone's requests never overlap and arrive in order. */
function dronesOf(drones: BenchDrone[], c: number, of: number): number[] {
  if (drones.length < of) return [c % drones.length];
  const out: number[] = [];
  for (let i = c; i < drones.length; i += of) out.push(i);
  return out;
}

function taskSource(drones: BenchDrone[]) {
  return (c: number, of: number): Source => {
    const mine = dronesOf(drones, c, of);
    let k = 0;
    return {
      next: () => {
        const d = drones[mine[k++ % mine.length] as number] as BenchDrone;
        return { method: 'GET', path: `/api/drones/${d.id}/task`, headers: { authorization: `Bearer ${d.key}` } };
      },
      answered: () => {},
      finish: () => {},
    };
  };
}

/**
 * Readings as drones make them: each drone has its own clock, 10 Hz (the contract's fastest),
 * starting two hours ago and never going back, so every reading of the run is unique per
 * drone and newer than the last. Positions wander from the drone's parking spot.
 */
class Fleet {
  private readonly clock: Float64Array;
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly battery: Float64Array;
  static readonly STEP_MS = 100;

  constructor(readonly drones: BenchDrone[]) {
    const start = Date.now() - 2 * 3600_000;
    this.clock = new Float64Array(drones.length).fill(start);
    this.lat = Float64Array.from(drones.map((d) => d.home.lat));
    this.lon = Float64Array.from(drones.map((d) => d.home.lon));
    this.battery = Float64Array.from(drones.map(() => 70 + Math.random() * 30));
  }

  /** The next `n` readings of drone `i` (its clock advances), as the request body and the times they cover. */
  readings(i: number, n: number): { body: string; from: number; to: number } {
    const out: string[] = [];
    const from = (this.clock[i] as number) + Fleet.STEP_MS;
    for (let k = 0; k < n; k++) {
      const t = (this.clock[i] = (this.clock[i] as number) + Fleet.STEP_MS);
      if (t > Date.now() + 60_000)
        throw new Error(
          "The drones' clocks ran past now: more readings than two hours at 10 Hz. " +
            'Use more --drones or a shorter --duration.',
        );
      const heading = Math.random() * 360;
      this.lat[i] = (this.lat[i] as number) + (Math.random() - 0.5) * 0.0001;
      this.lon[i] = (this.lon[i] as number) + (Math.random() - 0.5) * 0.0002;
      this.battery[i] = Math.max(20, (this.battery[i] as number) - 0.001);
      out.push(
        `{"lat":${(this.lat[i] as number).toFixed(6)},"lon":${(this.lon[i] as number).toFixed(6)},` +
          `"altitude_m":80.5,"heading_deg":${heading.toFixed(1)},` +
          `"speed_mps":12.3,"battery_level":${(this.battery[i] as number).toFixed(2)},"status":"idle",` +
          `"recorded_at":"${new Date(t).toISOString()}"}`,
      );
    }
    return { body: n === 1 ? (out[0] as string) : `[${out.join(',')}]`, from, to: from + (n - 1) * Fleet.STEP_MS };
  }
}

/** Every telemetry request of one case: what it carried and how it was answered. */
type Sent = { drone: number; from: number; to: number; n: number };
type TelemetryLog = { answered: (Sent & { status: number })[]; unanswered: Sent[] };

function telemetrySource(fleet: Fleet, perRequest: number, log: TelemetryLog) {
  return (c: number, of: number): Source => {
    const mine = dronesOf(fleet.drones, c, of);
    let k = 0;
    let pending: Sent | null = null;
    return {
      next: () => {
        // A request replaced before its answer came (a timeout, a reconnect) may still commit.
        if (pending) log.unanswered.push(pending);
        const i = mine[k++ % mine.length] as number;
        const d = fleet.drones[i] as BenchDrone;
        const r = fleet.readings(i, perRequest);
        pending = { drone: i, from: r.from, to: r.to, n: perRequest };
        return {
          method: 'POST',
          path: `/api/drones/${d.id}/telemetry`,
          headers: { authorization: `Bearer ${d.key}`, 'content-type': 'application/json' },
          body: r.body,
        };
      },
      answered: (status) => {
        if (pending) log.answered.push({ ...pending, status });
        pending = null;
      },
      finish: () => {
        if (pending) log.unanswered.push(pending);
        pending = null;
      },
    };
  };
}

// ---------------------------------------------------------------------------------------------
// The rows check

/**
 * The row count once the server is done: unchanged for a second and no query of the app
 * running. Requests the load generator gave up on (at the end of a run) still commit.
 */
async function settledRows(app: App): Promise<number> {
  let last = -1;
  let quiet = 0;
  for (let i = 0; i < 120 && quiet < 3; i++) {
    const [row] = await app.sql<{ n: number; active: number }[]>`
      select (select count(*)::int from drone_telemetry) as n,
             (select count(*)::int from pg_stat_activity
              where datname = current_database() and state <> 'idle' and pid <> pg_backend_pid()) as active`;
    const n = row?.n ?? 0;
    quiet = n === last && row?.active === 0 ? quiet + 1 : 0;
    last = n;
    if (quiet < 3) await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

/** Rows of drone_telemetry inside the time ranges these requests carried, per drone. */
async function rowsIn(app: App, fleet: Fleet, sent: Sent[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < sent.length; i += 10_000) {
    const chunk = sent.slice(i, i + 10_000);
    const [row] = await app.sql<{ n: number }[]>`
      select count(*)::int as n
      from unnest(${app.sql.array(chunk.map((s) => (fleet.drones[s.drone] as BenchDrone).id))}::uuid[],
                  ${app.sql.array(chunk.map((s) => new Date(s.from).toISOString()))}::timestamptz[],
                  ${app.sql.array(chunk.map((s) => new Date(s.to).toISOString()))}::timestamptz[])
             as r(drone_id, first_at, last_at)
      join drone_telemetry t on t.drone_id = r.drone_id and t.recorded_at between r.first_at and r.last_at`;
    n += row?.n ?? 0;
  }
  return n;
}

type RowsCheck = { ok: boolean; added: number; expected: number; text: string };

/**
 * Exactly one row per reading of every 202; none for any other answer; the only other new
 * rows are those of requests still in flight when the load stopped (the server finished them
 * after the generator hung up), counted by their readings' times.
 */
async function checkRows(
  app: App,
  { fleet, log, before }: { fleet: Fleet; log: TelemetryLog; before: number },
): Promise<RowsCheck> {
  const after = await settledRows(app);
  const added = after - before;
  const accepted = log.answered.filter((a) => a.status === 202);
  const refused = log.answered.filter((a) => a.status !== 202);
  const expected = accepted.reduce((s, a) => s + a.n, 0);
  const [ofAccepted, ofRefused, ofUnanswered] = [
    await rowsIn(app, fleet, accepted),
    await rowsIn(app, fleet, refused),
    await rowsIn(app, fleet, log.unanswered),
  ];
  const ok = ofAccepted === expected && ofRefused === 0 && added === expected + ofUnanswered;
  const unansweredText = log.unanswered.length
    ? `; ${log.unanswered.length} requests unanswered at stop, ${ofUnanswered} rows committed`
    : '';
  const text =
    `${ok ? 'ok' : 'FAILED'}: +${added} rows; ` +
    `${accepted.length} x 202 carried ${expected} readings, ${ofAccepted} found` +
    `${refused.length ? `; ${refused.length} other answers, ${ofRefused} rows` : ''}` +
    `${unansweredText}`;
  return { ok, added, expected, text };
}

// ---------------------------------------------------------------------------------------------
// Cases

/** Server CPU per answered request during the measured load, in ms: the web server and PostgreSQL. */
type Cpu = { web: number; postgres: number };
type CaseResult = {
  name: string;
  label: string;
  stats: Stats;
  cpu: Cpu;
  readingsPerRequest?: number;
  rows?: RowsCheck;
};

/** Runs a load and charges the server CPU it used to its answers. */
async function withCpu(app: App, run: () => Promise<LoadResult>): Promise<{ result: LoadResult; cpu: Cpu }> {
  const before = app.cpuMs();
  const result = await run();
  const after = app.cpuMs();
  const n = Math.max(1, result.responses);
  return { result, cpu: { web: (after.web - before.web) / n, postgres: (after.postgres - before.postgres) / n } };
}

async function measure(
  app: App,
  { name, label, spec, warmup }: { name: string; label: string; spec: LoadSpec; warmup: LoadSpec | null },
): Promise<CaseResult> {
  if (warmup && o.warmup > 0) await runLoad(app.baseUrl, { ...warmup, seconds: o.warmup });
  say(`${name}. ${label}`);
  const { result, cpu } = await withCpu(app, () => runLoad(app.baseUrl, spec));
  return { name, label, stats: stats(result), cpu };
}

async function telemetryCase(
  app: App,
  { fleet, name, connections, perRequest }: { fleet: Fleet; name: string; connections: number; perRequest: number },
): Promise<CaseResult> {
  const scratch: TelemetryLog = { answered: [], unanswered: [] };
  if (o.warmup > 0)
    await runLoad(app.baseUrl, { connections, seconds: o.warmup, source: telemetrySource(fleet, perRequest, scratch) });
  const before = await settledRows(app);
  const log: TelemetryLog = { answered: [], unanswered: [] };
  const label =
    `POST /api/drones/{id}/telemetry, ${perRequest} reading${perRequest === 1 ? '' : 's'} per request, ` +
    `${connections} connections`;
  say(`${name}. ${label}`);
  const { result, cpu } = await withCpu(app, () =>
    runLoad(app.baseUrl, { connections, seconds: o.duration, source: telemetrySource(fleet, perRequest, log) }),
  );
  const rows = await checkRows(app, { fleet, log, before });
  return { name, label, stats: stats(result), cpu, readingsPerRequest: perRequest, rows };
}

type ReadsResult = { orders: Stats; fleet: Stats; task: Stats; telemetry?: Stats; rows?: RowsCheck };

async function readsCase(app: App, fleet: Fleet, withTelemetry: boolean): Promise<ReadsResult> {
  const reads = (seconds: number) =>
    [
      runLoad(app.baseUrl, {
        connections: 10,
        rate: 100,
        seconds,
        source: fixed({ method: 'GET', path: '/api/me/orders', headers: { cookie: app.customer.cookie } }),
      }),
      runLoad(app.baseUrl, {
        connections: 10,
        rate: 100,
        seconds,
        source: fixed({ method: 'GET', path: '/api/admin/fleet', headers: { cookie: app.admin.cookie } }),
      }),
      runLoad(app.baseUrl, { connections: 10, rate: 100, seconds, source: taskSource(app.drones) }),
    ] as const;
  const scratch: TelemetryLog = { answered: [], unanswered: [] };
  const telemetry = (seconds: number, log: TelemetryLog) =>
    runLoad(app.baseUrl, { connections: 32, rate: 500, seconds, source: telemetrySource(fleet, 1, log) });
  if (o.warmup > 0) await Promise.all([...reads(o.warmup), ...(withTelemetry ? [telemetry(o.warmup, scratch)] : [])]);
  const before = withTelemetry ? await settledRows(app) : 0;
  const log: TelemetryLog = { answered: [], unanswered: [] };
  const [orders, fleetRead, task, tele] = await Promise.all([
    ...reads(o.duration),
    ...(withTelemetry ? [telemetry(o.duration, log)] : []),
  ]);
  const result: ReadsResult = { orders: stats(orders), fleet: stats(fleetRead), task: stats(task) };
  if (tele) {
    result.telemetry = stats(tele);
    result.rows = await checkRows(app, { fleet, log, before });
  }
  return result;
}

/**
 * One request of each kind, one after another, before any load: the production server loads
 * a route's code on its first request, which on a busy machine takes seconds.
 */
async function prime(app: App, fleet: Fleet) {
  const d = app.drones[0] as BenchDrone;
  const auth = { authorization: `Bearer ${d.key}` };
  const calls: [string, RequestInit][] = [
    ['/api/health', {}],
    [`/api/drones/${d.id}/task`, { headers: auth }],
    [
      `/api/drones/${d.id}/telemetry`,
      { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: fleet.readings(0, 1).body },
    ],
    [
      `/api/drones/${d.id}/telemetry`,
      { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: fleet.readings(0, 100).body },
    ],
    ['/api/me/orders', { headers: { cookie: app.customer.cookie } }],
    ['/api/admin/fleet', { headers: { cookie: app.admin.cookie } }],
  ];
  for (const [p, init] of calls) {
    const res = await fetch(`${app.baseUrl}${p}`, { ...init, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${p} answered ${res.status} before any load`);
  }
}

/** Open orders for the customer (up to the app's cap), so GET /api/me/orders has a list to read. */
async function placeOrders(app: App, count: number): Promise<number> {
  const [good] = await app.db.select({ id: goods.id }).from(goods).where(gt(goods.quantityAvailable, 100)).limit(1);
  const automats = await app.db
    .select({ id: parcelAutomats.id })
    .from(parcelAutomats)
    .where(and(eq(parcelAutomats.isWorking, true)));
  if (!good) return 0;
  let placed = 0;
  for (const a of automats) {
    while (placed < count) {
      const res = await fetch(`${app.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: app.customer.cookie },
        body: JSON.stringify({ good_id: good.id, parcel_automat_id: a.id }),
      });
      if (res.status !== 201) break;
      placed++;
    }
    if (placed >= count) break;
  }
  return placed;
}

// ---------------------------------------------------------------------------------------------
// Output

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(x < 10 ? 1 : 0) : 'n/a');
const int = (x: number) => Math.round(x).toLocaleString('en-US');

function statusText(s: Stats): string {
  return (
    [...s.status]
      .filter(([code]) => code < 200 || code > 299)
      .map(([code, n]) => `${n}x${code}`)
      .join(' ') || '0'
  );
}

/**
 * Case c (or d, with --profile-case d) against a second web server on the same database, started directly with
 * `node --cpu-prof` (Node refuses --cpu-prof in NODE_OPTIONS, so the launcher cannot pass it
 * on). Only the samples taken while the measured load ran are summarized.
 */
async function profileRun() {
  await ensureProductionBuild({ noBuild: o['no-build'], log: say });
  const profDir = mkdtempSync(path.join(os.tmpdir(), 'skypost-cpu-prof-'));
  const app = await startApp({ drones: o.drones, port: o.port, pgPort: o['pg-port'], log: say });
  let window: { from: bigint; to: bigint } | null = null;
  let profile: string | null = null;
  try {
    const web = await app.startWebServer({ cpuProfileDir: profDir });
    const target: App = { ...app, baseUrl: web.baseUrl };
    const fleet = new Fleet(app.drones);
    await prime(target, fleet);
    const which = o['profile-case'];
    const readings = which === 'd' ? 100 : 1;
    say(
      `Profiling the web server (pid ${web.pid}) during case ${which} ` +
        `(${readings} reading${readings === 1 ? '' : 's'} per request)`,
    );
    const scratch: TelemetryLog = { answered: [], unanswered: [] };
    if (o.warmup > 0)
      await runLoad(web.baseUrl, {
        connections: 32,
        seconds: o.warmup,
        source: telemetrySource(fleet, readings, scratch),
      });
    const from = process.hrtime.bigint();
    const r = stats(
      await runLoad(web.baseUrl, {
        connections: 32,
        seconds: o.duration,
        source: telemetrySource(fleet, readings, scratch),
      }),
    );
    window = { from, to: process.hrtime.bigint() };
    say(
      `${which} (profiled). ${int(r.rps)} req/s${readings > 1 ? ` (${int(r.rps * readings)} readings/s)` : ''}, ` +
        `p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, non-2xx ${statusText(r)}, errors ${r.errors}`,
    );
    await web.stop();
    profile = web.profile();
  } finally {
    const stop = await app.stop();
    if (stop.leftovers.length) say(`Left behind (killed): ${stop.leftovers.join('; ')}`);
  }
  if (!profile) throw new Error(`No CPU profile of the web server was written in ${profDir}`);
  process.stdout.write(
    `\n${summarizeCpuProfile(JSON.parse(readFileSync(profile, 'utf8')), { window })}\n\n` +
      `Profile: ${profile} (open it in Chrome DevTools, Performance tab)\n`,
  );
}

async function main() {
  const machine = machineInfo();
  say(describeMachine(machine));
  if (o['cpu-prof']) return profileRun();
  await ensureProductionBuild({ noBuild: o['no-build'], log: say });
  const app = await startApp({ drones: o.drones, port: o.port, pgPort: o['pg-port'], log: say });
  try {
    const fleet = new Fleet(app.drones);
    const orders = await placeOrders(app, 5);
    await prime(app, fleet);
    say(
      `${app.drones.length} drones registered; the customer has ${orders} open orders; ` +
        `${o.duration} s per case after ${o.warmup} s of warm-up`,
    );

    const health: LoadSpec = {
      connections: 32,
      seconds: o.duration,
      source: fixed({ method: 'GET', path: '/api/health', headers: {} }),
    };
    const task: LoadSpec = { connections: 32, seconds: o.duration, source: taskSource(app.drones) };
    const a = await measure(app, {
      name: 'a',
      label: 'GET /api/health, 32 connections (baseline)',
      spec: health,
      warmup: health,
    });
    const b = await measure(app, {
      name: 'b',
      label: 'GET /api/drones/{id}/task, 32 connections',
      spec: task,
      warmup: task,
    });
    const c = await telemetryCase(app, { fleet, name: 'c', connections: 32, perRequest: 1 });
    const d = await telemetryCase(app, { fleet, name: 'd', connections: 32, perRequest: 100 });
    const e = await telemetryCase(app, { fleet, name: 'e', connections: 64, perRequest: 1 });
    say('f. reads at 100 req/s each: alone (baseline)');
    const quiet = await readsCase(app, fleet, false);
    say('f. reads at 100 req/s each, beside telemetry at 500 req/s');
    const loaded = await readsCase(app, fleet, true);

    const base = a.stats.rps;
    const lines: string[] = [];
    lines.push(
      '',
      `HTTP benchmark, ${o.duration} s per case, ${app.drones.length} drones, production build, ` +
        `SIMULATOR=off WORKERS=0 (${describeMachine(machine)})`,
      '',
    );
    const baseCpu = a.cpu.web + a.cpu.postgres;
    lines.push(
      '| case | request | conns | req/s | readings/s | p50 ms | p95 ms | p99 ms | non-2xx | errors | vs health | ' +
        'CPU ms/req web + PostgreSQL | CPU vs health |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const x of [a, b, c, d, e]) {
      const s = x.stats;
      lines.push(
        `| ${x.name} | ${x.label} | ${s.connections} | ${int(s.rps)} | ` +
          `${x.readingsPerRequest ? int(s.rps * x.readingsPerRequest) : ''} | ` +
          `${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${statusText(s)} | ${s.errors} | ` +
          `${(s.rps / base).toFixed(2)} | ` +
          `${x.cpu.web.toFixed(2)} + ${x.cpu.postgres.toFixed(2)} | ` +
          `${((x.cpu.web + x.cpu.postgres) / baseCpu).toFixed(2)}x |`,
      );
    }
    lines.push(
      '',
      'CPU ms/req: CPU time the web server and PostgreSQL used during the case, per answer (from /proc); ' +
        'less distorted by a busy machine than req/s.',
    );
    lines.push('', 'Reads at 100 req/s each (f), alone and beside telemetry at 500 req/s:', '');
    lines.push(
      '| read | alone p50 / p95 / p99 ms | under load p50 / p95 / p99 ms | under load req/s | non-2xx | errors |',
    );
    lines.push('|---|---|---|---|---|---|');
    const readRows: [string, Stats, Stats][] = [
      ['GET /api/me/orders (customer)', quiet.orders, loaded.orders],
      ['GET /api/admin/fleet (admin)', quiet.fleet, loaded.fleet],
      ['GET /api/drones/{id}/task (drone)', quiet.task, loaded.task],
    ];
    for (const [label, q, l] of readRows) {
      lines.push(
        `| ${label} | ${ms(q.p50)} / ${ms(q.p95)} / ${ms(q.p99)} | ${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} | ` +
          `${int(l.rps)} | ${statusText(l)} | ${l.errors} |`,
      );
    }
    const t = loaded.telemetry;
    if (t)
      lines.push(
        `| telemetry (the load) | | ${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.p99)} | ` +
          `${int(t.rps)} | ${statusText(t)} | ${t.errors} |`,
      );
    lines.push('');
    lines.push(
      `Rows check (one drone_telemetry row per reading of every 202): ` +
        `c ${c.rows?.text}; d ${d.rows?.text}; e ${e.rows?.text}; f ${loaded.rows?.text}`,
    );
    const ratio = c.stats.rps / base;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    const readsOk = readRows.every(([, , l]) => l.p95 <= 50 && l.p99 <= 150);
    lines.push(
      '',
      `Target 1, one reading per request: ${ratio.toFixed(2)}x health (target >= 0.7: ${met(ratio >= 0.7)}); ` +
        `p99 ${ms(c.stats.p99)} ms (target <= 100: ${met(c.stats.p99 <= 100)}); ` +
        `${c.stats.errors + c.stats.non2xx} errors or non-2xx ` +
        `(target 0: ${met(c.stats.errors + c.stats.non2xx === 0)}); rows ${met(!!c.rows?.ok)}`,
      `Target 2, 100 readings per request: ${int(d.stats.rps * 100)} readings/s ` +
        `(target >= 50,000: ${met(d.stats.rps * 100 >= 50_000)})`,
      `Target 4, reads beside telemetry at 500 req/s: p95 ${readRows.map(([, , l]) => ms(l.p95)).join(' / ')} ms, ` +
        `p99 ${readRows.map(([, , l]) => ms(l.p99)).join(' / ')} ms ` +
        `(orders / fleet / task; targets p95 <= 50, p99 <= 150: ${met(readsOk)})`,
      `Load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' / ')}`,
      '',
    );
    process.stdout.write(`${lines.join('\n')}\n`);

    const rowsOk = [c, d, e].every((x) => x.rows?.ok) && (loaded.rows?.ok ?? false);
    if (!o['no-record']) {
      const fig = (x: CaseResult) =>
        `${int(x.stats.rps)} req/s p50 ${ms(x.stats.p50)} p99 ${ms(x.stats.p99)} ms, ` +
        `${x.stats.non2xx} non-2xx, ${x.stats.errors} errors, ` +
        `CPU ${x.cpu.web.toFixed(2)}+${x.cpu.postgres.toFixed(2)} ms/req`;
      const rd = (s: Stats) => `p95 ${ms(s.p95)} p99 ${ms(s.p99)}`;
      appendRunLogRow(
        'http',
        machine,
        `${o.duration} s/case, ${app.drones.length} drones; a health (baseline) ${fig(a)}; ` +
          `b task ${fig(b)} (${(b.stats.rps / base).toFixed(2)}x); ` +
          `c telemetry x1 ${fig(c)} (${ratio.toFixed(2)}x health); ` +
          `d x100 ${fig(d)}, ${int(d.stats.rps * 100)} readings/s (${(d.stats.rps / base).toFixed(2)}x); ` +
          `e x1 at 64 conns ${fig(e)} (${(e.stats.rps / base).toFixed(2)}x); ` +
          `f reads at 100 req/s alone -> beside telemetry at 500 req/s (${t ? int(t.rps) : '?'} req/s achieved), ms: ` +
          `orders ${rd(quiet.orders)} -> ${rd(loaded.orders)}, fleet ${rd(quiet.fleet)} -> ${rd(loaded.fleet)}, ` +
          `task ${rd(quiet.task)} -> ${rd(loaded.task)}; ` +
          `rows check ${rowsOk ? 'ok' : 'FAILED'}; load at end ${os
            .loadavg()
            .map((x) => x.toFixed(1))
            .join('/')}${o.note ? `; ${o.note}` : ''}`,
      );
      say('Added a row to docs/benchmarks.md');
    }
    if (!rowsOk) process.exitCode = 1;
  } finally {
    const stop = await app.stop();
    if (stop.leftovers.length) say(`Left behind (killed): ${stop.leftovers.join('; ')}`);
    for (const n of stop.notes) say(n);
  }
}

await main().catch((err: unknown) => {
  process.stderr.write(`\nbench http failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
