// npm run bench -- multi [--direct | --pgbouncer] [--drones 200] [--customers 20] [--orders-each 3]
//                        [--seconds 10] [--pool 8] [--port 3650] [--pg-port 55650] [--bouncer-port 6650]
//                        [--no-build] [--no-record]
// Two web instances and two order workers on one PostgreSQL, as a multi-instance deployment
// runs: 200 simulated drones report half to instance A and half to B, customers order through
// both, and the workers dispatch side by side. Shows (1) no double dispatch (the invariant SQL
// finds 0 violations), (2) an admin on A sees the drones that report only to B, fresh, and
// (3) telemetry throughput over HTTP split across both instances against one instance, in the
// same run. By default it runs twice: connected directly, then through PgBouncer in
// transaction pooling (prepare off, DATABASE_DIRECT_URL for LISTEN and migrations), and
// reports the server connections each way. Everything runs on 127.0.0.1 and is stopped on
// exit or Ctrl-C.
import '../scripts/lib/dotenv';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type AutocannonResult as CannonResult } from 'autocannon';
import { z } from 'zod';
import { createDb, createSql, type Db } from '@/db';
import { portIsFree, startEmbeddedPostgres, type EmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { sql as dsql } from 'drizzle-orm';
import { goods, lockerCellsInternal, lockerCellsOut, parcelAutomats } from '@/db/schema';
import { SEED_ADMIN_EMAIL, seedDatabase } from '@/scripts/lib/seed';
import { registerUser } from '@/lib/accounts/register';
import type { AuditContext } from '@/lib/admin/audit';
import { createDrone } from '@/lib/admin/drones';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { createLogger } from '@/lib/logger';
import { parseCoordinates, type LatLon } from '@/lib/geo';
import { ensureProductionBuild, signIn } from './lib/app';
import { ensurePgbouncer, startPgbouncer, type PgBouncer } from './lib/pgbouncer';
import { appendRunLogRow, describeMachine, machineInfo } from './lib/report';
import { requestInit } from './lib/request';

const { values } = parseArgs({
  options: {
    direct: { type: 'boolean', default: false },
    pgbouncer: { type: 'boolean', default: false },
    drones: { type: 'string', default: '200' },
    customers: { type: 'string', default: '20' },
    'orders-each': { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    pool: { type: 'string', default: '8' },
    port: { type: 'string', default: '3650' },
    'pg-port': { type: 'string', default: '55650' },
    'bouncer-port': { type: 'string', default: '6650' },
    'no-build': { type: 'boolean', default: false },
    'no-record': { type: 'boolean', default: false },
  },
});
const o = z
  .object({
    direct: z.boolean(),
    pgbouncer: z.boolean(),
    drones: z.coerce.number().int().min(2).max(2000),
    customers: z.coerce.number().int().min(1).max(200),
    'orders-each': z.coerce.number().int().min(1).max(5),
    seconds: z.coerce.number().int().min(2).max(300),
    pool: z.coerce.number().int().min(1).max(100),
    port: z.coerce.number().int().min(1024).max(65000),
    'pg-port': z.coerce.number().int().min(1024).max(65000),
    'bouncer-port': z.coerce.number().int().min(1024).max(65000),
    'no-build': z.boolean(),
    'no-record': z.boolean(),
  })
  .parse(values);
const MODES: Mode[] =
  o.direct && !o.pgbouncer ? ['direct'] : o.pgbouncer && !o.direct ? ['pgbouncer'] : ['direct', 'pgbouncer'];
type Mode = 'direct' | 'pgbouncer';
const CONNECTIONS = 32;
const FRESH_S = 15;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Infinity;

const say = (line: string) => process.stdout.write(`[multi ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let aborted = false;

async function freePort(from: number, taken: number[] = []): Promise<number> {
  for (let p = from; p < from + 50; p++) if (!taken.includes(p) && (await portIsFree(p))) return p;
  throw new Error(`no free port in ${from}-${from + 49}`);
}

// ---------------------------------------------------------------------------------------------
// Processes: each in its own process group (a Ctrl-C reaches us, and we stop them in order)

type Child = { name: string; child: ChildProcess; log: string };
const children = new Set<Child>();

function startNode({
  name,
  args,
  env,
  logFile,
}: {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}): Child {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const c = { name, child, log: logFile };
  children.add(c);
  child.once('exit', () => children.delete(c));
  return c;
}

function tail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

async function stopChild(c: Child, ms: number) {
  const { child } = c;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

async function waitHealthy(c: Child, base: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until && !aborted) {
    if (c.child.exitCode !== null) break;
    try {
      if ((await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(3000) })).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  throw new Error(`${c.name} did not become healthy at ${base}. Its log:\n${tail(c.log)}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP clients with a cookie jar (customers and the admin)

class Client {
  private readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  /** Signs in through next-auth's credentials flow (bench/lib/app.ts) and keeps the session cookies. */
  async signIn(email: string, password: string) {
    const { cookie } = await signIn(this.base, email, password);
    for (const pair of cookie.split('; ')) {
      const at = pair.indexOf('=');
      if (at > 0) this.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  async call(method: 'GET' | 'POST', p: string, opts: { json?: unknown; form?: Record<string, string> } = {}) {
    const { headers, body } = requestInit(this.jar, opts);
    const res = await fetch(`${this.base}${p}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair && at > 0) this.jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body: json };
  }
}

// ---------------------------------------------------------------------------------------------
// Load

const running = new Set<{ stop(): void }>();

function telemetryLoad({
  base,
  drones,
  connections,
  seconds,
}: {
  base: string;
  drones: BenchDrone[];
  connections: number;
  seconds: number;
}): Promise<CannonResult> {
  let i = 0;
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            // Round robin over the drones: one reading each, as drones at 1 Hz would send.
            setupRequest: (req) => {
              const d = drones[i++ % drones.length]!;
              return {
                ...req,
                path: `/api/drones/${d.id}/telemetry`,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${d.key}` },
                body: JSON.stringify({
                  lat: d.home.lat,
                  lon: d.home.lon,
                  battery_level: 80,
                  speed_mps: 0,
                  status: 'idle',
                  recorded_at: new Date().toISOString(),
                }),
              };
            },
          },
        ],
      },
      (err, r) => {
        running.delete(inst);
        if (err) reject(err);
        else resolve(r);
      },
    );
    running.add(inst);
  });
}

// ---------------------------------------------------------------------------------------------
// Setup in the database: drones near the lockers with keys, customers, a good with stock

type BenchDrone = { id: string; key: string; label: string; battery: number; home: LatLon };

function offset(from: LatLon, meters: number, deg: number): LatLon {
  const rad = (deg * Math.PI) / 180;
  return {
    lat: from.lat + (meters * Math.cos(rad)) / 111_320,
    lon: from.lon + (meters * Math.sin(rad)) / (111_320 * Math.cos((from.lat * Math.PI) / 180)),
  };
}

/**
 * Lockers of this mode's own, next to the demo ones, so that the orders of an earlier mode
 * (still holding their cells) never make this one's refused for want of a cell.
 */
async function addLockers(db: Db, { mode, count, cells }: { mode: Mode; count: number; cells: number }): Promise<void> {
  const [{ n } = { n: 0 }] = await db
    .select({ n: dsql<number>`coalesce(max(${parcelAutomats.arucoId}), 0)::int` })
    .from(parcelAutomats);
  for (let i = 0; i < count; i++) {
    const at = offset({ lat: 55.7558, lon: 37.6173 }, 1500 + 400 * i, (360 / count) * i + (mode === 'direct' ? 0 : 20));
    const [a] = await db
      .insert(parcelAutomats)
      .values({
        city: 'Moscow',
        address: `Bench St., ${mode} ${i + 1}`,
        numberOfCells: 2 * cells,
        ipAddress: '127.0.0.1',
        coordinates: `${at.lat.toFixed(6)},${at.lon.toFixed(6)}`,
        arucoId: n + 1 + i,
        isWorking: true,
      })
      .returning({ id: parcelAutomats.id });
    const rows = Array.from({ length: cells }, (_, k) => ({
      postId: a!.id,
      height: 30,
      length: 40,
      width: 35,
      cellNumber: k + 1,
    }));
    await db.insert(lockerCellsOut).values(rows);
    await db.insert(lockerCellsInternal).values(rows);
  }
}

async function registerFleet(db: Db, { mode, count, dir }: { mode: Mode; count: number; dir: string }) {
  const ctx: AuditContext = {
    userId: '00000000-0000-4000-8000-0000000000b1',
    userEmail: 'multi-benchmark@localhost',
    ip: '127.0.0.1',
    userAgent: 'bench/multi',
  };
  const ordersTotal = o.customers * o['orders-each'];
  await addLockers(db, { mode, count: 6, cells: Math.ceil(ordersTotal / 6) + 2 });
  const lockers = await db
    .select({ id: parcelAutomats.id, coordinates: parcelAutomats.coordinates, address: parcelAutomats.address })
    .from(parcelAutomats);
  const automats = [];
  for (const l of lockers)
    automats.push({
      id: l.id,
      key: await issueDeviceKey(db, 'automat', l.id),
      label: l.id.slice(0, 8),
      is_working: true,
    });
  const drones: BenchDrone[] = [];
  const octet = mode === 'direct' ? 20 : 40;
  for (let i = 0; i < count; i++) {
    const near = parseCoordinates(lockers[i % lockers.length]!.coordinates);
    const d = await createDrone(db, ctx, {
      model: `Multi ${mode}`,
      ip_address: `127.0.${octet + Math.floor(i / 250)}.${(i % 250) + 1}`,
    });
    drones.push({
      id: d.id,
      key: await issueDeviceKey(db, 'drone', d.id),
      label: `${mode}-${i + 1}`,
      battery: 70 + Math.random() * 30,
      home: offset(near, 300 + Math.random() * 600, Math.random() * 360),
    });
  }
  const fleetFile = path.join(dir, `fleet-${mode}.json`);
  // The simulator gives drone i to URL i mod 2: even indices report to A, odd ones to B.
  writeFileSync(fleetFile, JSON.stringify({ drones, automats }), { mode: 0o600 });
  // Orders go to this mode's own lockers only.
  return {
    drones,
    fleetFile,
    lockerIds: lockers.filter((l) => l.address.startsWith(`Bench St., ${mode} `)).map((l) => l.id),
  };
}

// ---------------------------------------------------------------------------------------------
// What must hold whatever the workers did: the invariant SQL (each must find 0 rows)

async function violations(sql: ReturnType<typeof createSql>): Promise<Record<string, number>> {
  const active = ['pending', 'assigned', 'in_progress'];
  const count = async (q: PromiseLike<readonly unknown[]>) => (await q).length;
  return {
    orderWithTwoActiveDeliveries: await count(
      sql`select order_id from deliveries where status in ${sql(active)} group by order_id having count(*) > 1`,
    ),
    droneWithTwoActiveDeliveries: await count(
      sql`select drone_id from deliveries where status in ${sql(active)} group by drone_id having count(*) > 1`,
    ),
    internalCellHeldTwice: await count(
      sql`select internal_locker_cell_id from deliveries where status in ${sql(active)}
        group by internal_locker_cell_id having count(*) > 1`,
    ),
    pickupCellHeldTwice: await count(
      sql`select locker_cell_id from orders where status in ('pending', 'processing')
        group by locker_cell_id having count(*) > 1`,
    ),
    busyDroneWithoutActiveDelivery: await count(
      sql`select dr.id from drones dr where dr.status = 'busy'
        and not exists (select 1 from deliveries d where d.drone_id = dr.id and d.status in ${sql(active)})`,
    ),
  };
}

/** Connections PostgreSQL serves to clients (everything but ours), for the connection-count column. */
async function serverConnections(sql: ReturnType<typeof createSql>): Promise<number> {
  const [r] = await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
    where backend_type = 'client backend' and application_name <> 'skypost-bench'`;
  return r?.n ?? 0;
}

/** The peak of serverConnections() while `work` runs. */
async function peakConnections<T>(
  sql: ReturnType<typeof createSql>,
  work: Promise<T>,
): Promise<{ value: T; peak: number }> {
  let peak = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      peak = Math.max(peak, await serverConnections(sql));
      await sleep(250);
    }
  })();
  try {
    const value = await work;
    return { value, peak };
  } finally {
    done = true;
    await sampler;
  }
}

// ---------------------------------------------------------------------------------------------

type Figures = {
  mode: Mode;
  ordered: number;
  rejected: number;
  dispatched: number;
  violations: number;
  violationDetail: Record<string, number>;
  bSeenOnA: number;
  bMissingOnA: number;
  bDrones: number;
  bMedianAgeS: number;
  aMedianAgeS: number;
  single: CannonResult;
  split: [CannonResult, CannonResult];
  idleConnections: number;
  peakSingle: number;
  peakSplit: number;
  simulator5xx: number;
};

async function runMode(
  mode: Mode,
  ctx: {
    pg: EmbeddedPostgres;
    sql: ReturnType<typeof createSql>;
    db: Db;
    dir: string;
    adminPassword: string;
    secret: string;
    goodId: string;
  },
): Promise<Figures> {
  const { pg, sql, db, dir } = ctx;
  let bouncer: PgBouncer | null = null;
  const started: Child[] = [];
  try {
    if (mode === 'pgbouncer') {
      const problem = ensurePgbouncer(say);
      if (problem) throw new Error(problem);
      const port = await freePort(o['bouncer-port']);
      bouncer = await startPgbouncer({ upstreamUrl: pg.url, port, poolSize: o.pool });
      say(`PgBouncer 1.x on 127.0.0.1:${port}, transaction pooling, ${o.pool} server connections`);
    }
    const webA = await freePort(o.port);
    const webB = await freePort(o.port + 1, [webA]);
    const A = `http://127.0.0.1:${webA}`;
    const B = `http://127.0.0.1:${webB}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: bouncer ? bouncer.url : pg.url,
      DATABASE_DIRECT_URL: pg.url,
      DATABASE_PREPARE: bouncer ? 'false' : 'true',
      BIND_HOST: '127.0.0.1',
      NODE_ENV: 'production',
      NEXTAUTH_SECRET: ctx.secret,
      SMS_LOG_CODES: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      WORKER_SWEEP_MS: '3000',
    };
    say(
      `${mode}: web A on ${A}, web B on ${B}, 2 order workers (scripts/worker.ts), ` +
        `DATABASE_URL -> ${bouncer ? 'PgBouncer' : 'PostgreSQL'}`,
    );
    const a = startNode({
      name: 'web A',
      args: ['scripts/web-server.ts'],
      env: { ...env, PORT: String(webA), NEXTAUTH_URL: A },
      logFile: path.join(dir, `${mode}-web-a.log`),
    });
    const b = startNode({
      name: 'web B',
      args: ['scripts/web-server.ts'],
      env: { ...env, PORT: String(webB), NEXTAUTH_URL: B },
      logFile: path.join(dir, `${mode}-web-b.log`),
    });
    started.push(a, b);
    for (let i = 1; i <= 2; i++)
      started.push(
        startNode({
          name: `worker ${i}`,
          args: ['scripts/worker.ts'],
          env: { ...env, LOG_LEVEL: 'info' },
          logFile: path.join(dir, `${mode}-worker-${i}.log`),
        }),
      );
    await Promise.all([waitHealthy(a, A, 180_000), waitHealthy(b, B, 180_000)]);

    say(`${mode}: registering ${o.drones} drones near the lockers and ${o.customers} customers`);
    const fleet = await registerFleet(db, { mode, count: o.drones, dir });
    const admin = new Client(A);
    await admin.signIn(SEED_ADMIN_EMAIL, ctx.adminPassword);
    const customers: Client[] = [];
    for (let i = 0; i < o.customers; i++) {
      const email = `multi.${mode}.${randomBytes(3).toString('hex')}.${i}@example.com`;
      const password = randomBytes(12).toString('base64url');
      await registerUser(db, { fullName: `Multi customer ${i + 1}`, email, password });
      // Half the customers use A, half B.
      const c = new Client(i % 2 === 0 ? A : B);
      await c.signIn(email, password);
      customers.push(c);
    }

    const statsFile = path.join(dir, `${mode}-simulator-stats.json`);
    const sim = startNode({
      name: 'simulator',
      args: [
        'scripts/simulate.ts',
        '--url',
        `${A},${B}`,
        '--fleet',
        fleet.fleetFile,
        '--failure-rate',
        '0',
        '--stats',
        statsFile,
      ],
      env: { ...env, LOG_LEVEL: 'warn' },
      logFile: path.join(dir, `${mode}-simulator.log`),
    });
    started.push(sim);
    const upBy = Date.now() + 180_000;
    for (;;) {
      // Nearly all: on a loaded machine a few drones are always between retries.
      const [r] = await sql<{ n: number }[]>`select count(*)::int as n from drones
        where model = ${`Multi ${mode}`} and last_seen_at > now() - interval '30 seconds'`;
      if ((r?.n ?? 0) >= Math.ceil(o.drones * 0.95)) break;
      if (Date.now() > upBy || aborted || sim.child.exitCode !== null)
        throw new Error(
          `The simulated fleet did not come up (${r?.n ?? 0}/${o.drones} reporting). Simulator log:\n${tail(sim.log)}`,
        );
      await sleep(1000);
    }
    say(`${mode}: the fleet reports (even drones to A, odd ones to B); customers order through both instances`);

    // Orders: every customer places orders-each, through its own instance, all at once.
    const orderIds: string[] = [];
    let rejected = 0;
    const refusals = new Map<string, number>();
    const refuse = (why: string) => {
      rejected++;
      refusals.set(why, (refusals.get(why) ?? 0) + 1);
    };
    await Promise.all(
      customers.map(async (c, i) => {
        for (let k = 0; k < o['orders-each']; k++) {
          const lockerId = fleet.lockerIds[(i + k) % fleet.lockerIds.length]!;
          try {
            const r = await c.call('POST', '/api/orders', {
              json: { good_id: ctx.goodId, parcel_automat_id: lockerId },
            });
            if (r.status === 201) orderIds.push((r.body as { order: { id: string } }).order.id);
            else refuse(`${r.status} ${(r.body as { error?: { code?: string } } | null)?.error?.code ?? ''}`.trim());
          } catch {
            refuse('no reply in 60 s'); // whether it committed shows in the invariants anyway
          }
        }
      }),
    );
    // Dispatch: wait until none of them is pending (or 90 s).
    const drainBy = Date.now() + 90_000;
    let dispatched = 0;
    while (Date.now() < drainBy && !aborted) {
      const [r] = await sql<{ pending: number; dispatched: number }[]>`
        select count(*) filter (where status = 'pending')::int as pending,
               (select count(distinct order_id)::int from deliveries
                where order_id = any(${sql.array(orderIds)}::uuid[])) as dispatched
        from orders where id = any(${sql.array(orderIds)}::uuid[])`;
      dispatched = r?.dispatched ?? 0;
      if ((r?.pending ?? 0) === 0) break;
      await sleep(500);
    }
    if (refusals.size) say(`${mode}: orders refused: ${[...refusals].map(([k, v]) => `${v}x ${k}`).join(', ')}`);
    const detail = await violations(sql);
    const violationCount = Object.values(detail).reduce((s, n) => s + n, 0);

    // The admin on A sees the drones that report only to B: present and fresh in A's fleet feed.
    await sleep(2000);
    const snap = await admin.call('GET', '/api/admin/fleet');
    if (snap.status !== 200) throw new Error(`GET /api/admin/fleet on A answered ${snap.status}`);
    const s = snap.body as {
      at: number;
      drones: [string, string, number, number, number, number, number, number | null][];
    };
    const byId = new Map(s.drones.map((d) => [d[0], d]));
    const ageOnA = (d: BenchDrone) => {
      const row = byId.get(d.id);
      return row && row[7] !== null ? (s.at - row[7]) / 1000 : Infinity;
    };
    const bOnly = fleet.drones.filter((_, i) => i % 2 === 1);
    const ages = bOnly.map(ageOnA);
    // Fresh: well inside DRONE_OFFLINE_TIMEOUT_S (30 s), past which a drone counts as offline.
    const bSeenOnA = ages.filter((x) => x <= FRESH_S).length;
    const bMissingOnA = ages.filter((x) => !Number.isFinite(x)).length;
    const bMedianAgeS = median(ages);
    // For comparison: how fresh A shows its own drones.
    const aMedianAgeS = median(fleet.drones.filter((_, i) => i % 2 === 0).map(ageOnA));

    // Telemetry over HTTP: stop the simulator so only the load generator talks; then one
    // instance with 32 connections, and both instances with 16 each, same drones, same body.
    await stopChild(sim, 30_000);
    const stats = existsSync(statsFile)
      ? (JSON.parse(readFileSync(statsFile, 'utf8')) as { byStatus: Record<string, number> })
      : { byStatus: {} };
    const simulator5xx = Object.entries(stats.byStatus)
      .filter(([k]) => k.startsWith('5'))
      .reduce((n, [, v]) => n + v, 0);
    const idleConnections = await serverConnections(sql);
    say(
      `${mode}: telemetry, one reading per request, ${CONNECTIONS} connections, ` +
        `${o.seconds} s: one instance, then both`,
    );
    await telemetryLoad({ base: A, drones: fleet.drones, connections: CONNECTIONS, seconds: 2 }); // warm-up
    await telemetryLoad({ base: B, drones: fleet.drones, connections: CONNECTIONS, seconds: 2 });
    const single = await peakConnections(
      sql,
      telemetryLoad({ base: A, drones: fleet.drones, connections: CONNECTIONS, seconds: o.seconds }),
    );
    const split = await peakConnections(
      sql,
      Promise.all([
        telemetryLoad({
          base: A,
          drones: fleet.drones.filter((_, i) => i % 2 === 0),
          connections: CONNECTIONS / 2,
          seconds: o.seconds,
        }),
        telemetryLoad({
          base: B,
          drones: fleet.drones.filter((_, i) => i % 2 === 1),
          connections: CONNECTIONS / 2,
          seconds: o.seconds,
        }),
      ]),
    );
    return {
      mode,
      ordered: orderIds.length,
      rejected,
      dispatched,
      violations: violationCount,
      violationDetail: detail,
      bSeenOnA,
      bMissingOnA,
      bDrones: bOnly.length,
      bMedianAgeS,
      aMedianAgeS,
      single: single.value,
      split: split.value,
      idleConnections,
      peakSingle: single.peak,
      peakSplit: split.peak,
      simulator5xx,
    };
  } finally {
    // Web first, then the workers and the simulator, then the pooler.
    await Promise.all(started.filter((c) => c.name.startsWith('web')).map((c) => stopChild(c, 15_000)));
    await Promise.all(started.map((c) => stopChild(c, 20_000)));
    await bouncer?.stop();
  }
}

const rps = (r: CannonResult) => r.requests.total / o.seconds;
const bad = (r: CannonResult) => r.errors + r.timeouts + r.non2xx;

async function main() {
  const machine = machineInfo();
  say(describeMachine(machine));
  await ensureProductionBuild({ noBuild: o['no-build'], log: say });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-multi-'));
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(o['pg-port']),
    database: 'skypost_delivery',
    log: createLogger({ scope: 'bench-pg' }, { level: 'warn' }),
  });
  const sql = createSql(pg.url, 2, { applicationName: 'skypost-bench' });
  const stopAll = async () => {
    for (const r of running) r.stop();
    await Promise.all([...children].map((c) => stopChild(c, 15_000)));
    await sql.end({ timeout: 5 }).catch(() => {});
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => {
      if (aborted) return;
      aborted = true;
      say(`${signal}: stopping everything; nothing is recorded`);
      void stopAll().finally(() => process.exit(code));
    });
  }
  try {
    await runMigrations(pg.url);
    const db = createDb(sql);
    const adminPassword = randomBytes(12).toString('base64url');
    await seedDatabase(db, { adminPassword, customerPassword: null, demoKeySeed: null });
    const [good] = await db
      .insert(goods)
      .values({ name: 'Multi parcel', weight: 0.3, height: 5, length: 12, width: 8, quantityAvailable: 1_000_000 })
      .returning({ id: goods.id });
    const secret = randomBytes(48).toString('base64url');
    const results: Figures[] = [];
    for (const mode of MODES) {
      if (aborted) break;
      results.push(await runMode(mode, { pg, sql, db, dir, adminPassword, secret, goodId: good!.id }));
    }
    if (aborted) return;

    const rows = results.map((r) => {
      const one = rps(r.single);
      const two = rps(r.split[0]) + rps(r.split[1]);
      return {
        mode: r.mode === 'direct' ? 'direct to PostgreSQL' : `PgBouncer (transaction, pool ${o.pool}, prepare off)`,
        dispatch:
          `${r.dispatched}/${r.ordered} dispatched` + `${r.rejected ? ` (${r.rejected} refused or unanswered)` : ''}`,
        violations: String(r.violations),
        seen:
          `${r.bDrones - r.bMissingOnA}/${r.bDrones} listed, ${r.bSeenOnA}/${r.bDrones} within ${FRESH_S} s ` +
          `(median age ${r.bMedianAgeS.toFixed(1)} s; A's own: ${r.aMedianAgeS.toFixed(1)} s)`,
        single: `${Math.round(one)} req/s, p99 ${r.single.latency.p99} ms`,
        split: `${Math.round(two)} req/s, p99 ${Math.max(r.split[0].latency.p99, r.split[1].latency.p99)} ms`,
        ratio: (two / one).toFixed(2),
        errors: String(bad(r.single) + bad(r.split[0]) + bad(r.split[1]) + r.simulator5xx),
        conns: `${r.idleConnections} idle, peak ${r.peakSingle} / ${r.peakSplit}`,
      };
    });
    const head = [
      'mode',
      'orders',
      'invariant violations',
      "B's drones fresh on A's /api/admin/fleet",
      'telemetry, 1 instance (32 conns)',
      'telemetry, 2 instances (16+16)',
      '2/1',
      'errors + 5xx',
      'server connections (idle, peak 1 / 2 instances)',
    ];
    const table = [
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${Object.values(r).join(' | ')} |`),
    ].join('\n');
    process.stdout.write(`\n${table}\n\n`);
    for (const r of results) if (r.violations) say(`${r.mode}: violations ${JSON.stringify(r.violationDetail)}`);
    const summary = rows
      .map(
        (r) =>
          `${r.mode}: ${r.dispatch}, ${r.violations} violations, B on A ${r.seen}, ` +
          `telemetry 1 inst ${r.single} vs 2 inst ${r.split} (x${r.ratio}), ${r.errors} errors, conns ${r.conns}`,
      )
      .join('; ');
    if (!o['no-record']) {
      appendRunLogRow('multi', machine, summary);
      say('Row added to docs/benchmarks.md');
    }
    // Freshness depends on the load; a drone of B's missing from A's feed never does.
    if (results.some((r) => r.violations > 0 || r.bMissingOnA > 0)) process.exitCode = 1;
  } finally {
    if (!aborted) await stopAll();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
  for (const c of children) c.child.kill('SIGKILL');
});
