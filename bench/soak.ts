// npm run bench -- soak [--minutes 30] [--drones 50] [--failure-rate 0.05] [--customers 40]
//                       [--orders-per-minute 6] [--workers 1] [--note "..."] [--no-record]
// The production launcher under steady load for a long time, to find what grows: the memory
// of the web server and the workers, dead tuples on the hot tables, orders that never finish.
// Everything it starts (launcher, simulator) runs on 127.0.0.1 and is stopped at the end.
import '../scripts/lib/dotenv';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { createDb, createSql, type Db } from '@/db';
import { portIsFree } from '@/db/embedded';
import { goods, parcelAutomats } from '@/db/schema';
import { registerUser } from '@/lib/accounts/register';
import { createDrone } from '@/lib/admin/drones';
import type { AuditContext } from '@/lib/admin/audit';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { parseCoordinates, type LatLon } from '@/lib/geo';
import { ensureProductionBuild } from './lib/app';
import { alive, allProcs, descendants, postmasterPid, waitForExit, type Proc } from './lib/procs';
import { appendRunLogRow, appendSoakReport, describeMachine, machineInfo } from './lib/report';
import { requestInit } from './lib/request';

const HOT_TABLES = [
  'orders',
  'deliveries',
  'drones',
  'drone_telemetry',
  'locker_cells_out',
  'locker_cells_internal',
  'parcel_automats',
  'notifications',
  'rate_limit_counters',
  'drone_online_sessions',
  'delivery_events',
] as const;

// ---------------------------------------------------------------------------------------------
// Options

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    drones: { type: 'string', default: '50' },
    'failure-rate': { type: 'string', default: '0.05' },
    customers: { type: 'string', default: '40' },
    'orders-per-minute': { type: 'string', default: '6' },
    workers: { type: 'string', default: '1' },
    'sample-seconds': { type: 'string', default: '30' },
    'in-flight-minutes': { type: 'string', default: '10' },
    port: { type: 'string', default: '4700' },
    'pg-port': { type: 'string', default: '56700' },
    note: { type: 'string', default: '' },
    'no-record': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      'Usage: npm run bench -- soak [options]',
      '  --minutes N             how long the load runs (default 30; 2 for a smoke run)',
      '  --drones N              simulated drones registered and flown (default 50)',
      '  --failure-rate P        share of flights that fail on the way (default 0.05)',
      '  --customers N           customers placing orders (default 40)',
      '  --orders-per-minute R   order rate (default 6)',
      '  --workers N             order worker processes (default 1)',
      '  --port P, --pg-port P   web and PostgreSQL ports (default 4700, 56700)',
      '  --note TEXT             added to the report (e.g. what else loaded the machine)',
      '  --no-record             print only; do not add to docs/benchmarks.md',
      '  --no-build              serve the existing .next build even if sources changed',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const parsed = z
  .object({
    minutes: z.coerce
      .number()
      .min(0.5)
      .max(24 * 60),
    drones: z.coerce.number().int().min(1).max(1000),
    'failure-rate': z.coerce.number().min(0).max(1),
    customers: z.coerce.number().int().min(1).max(1000),
    'orders-per-minute': z.coerce.number().min(0.1).max(600),
    workers: z.coerce.number().int().min(1).max(8),
    'sample-seconds': z.coerce.number().int().min(5).max(600),
    'in-flight-minutes': z.coerce.number().min(1).max(120),
    port: z.coerce.number().int().min(1024).max(65535),
    'pg-port': z.coerce.number().int().min(1024).max(65535),
    note: z.string(),
    'no-record': z.boolean(),
    'no-build': z.boolean(),
  })
  .safeParse(values);
if (!parsed.success) {
  process.stderr.write(
    `Invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
  );
  process.exit(2);
}
const o = parsed.data;
const MINUTES = o.minutes;
const PORT = o.port;
const PG_PORT = o['pg-port'];
const BASE = `http://127.0.0.1:${PORT}`;
const DB_URL = `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/skypost_delivery`;
const OPEN_PER_CUSTOMER = 2; // well under the app's cap on open orders per customer (5)

const say = (line: string) => process.stdout.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const aborter = new AbortController();
const aborted = () => aborter.signal.aborted;
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    if (aborted()) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      aborter.signal.removeEventListener('abort', done);
      resolve();
    }
    aborter.signal.addEventListener('abort', done);
  });

// ---------------------------------------------------------------------------------------------
// Processes: the launcher's tree, read from /proc

/** Proportional set size (shared pages split among their users): the honest sum for PostgreSQL's processes. */
function pssKb(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

type Tree = { web: Proc | null; workers: Proc[]; postgres: Proc[]; all: Proc[] };

/**
 * What the launcher runs: the order workers (scripts/worker.ts), the web server (its other
 * child: `next start` or a wrapper around Next), and PostgreSQL with its backends.
 */
function launcherTree(launcherPid: number, pgData: string): Tree {
  const procs = allProcs();
  const pmPid = postmasterPid(pgData);
  const postmaster = pmPid === null ? undefined : procs.find((p) => p.pid === pmPid);
  const postgres = postmaster ? [postmaster, ...descendants(postmaster.pid, procs)] : [];
  const pgPids = new Set(postgres.map((p) => p.pid));
  const all = [...descendants(launcherPid, procs).filter((p) => !pgPids.has(p.pid)), ...postgres];
  const direct = all.filter((p) => p.ppid === launcherPid && !pgPids.has(p.pid));
  const workers = direct.filter((p) => /worker/.test(p.cmd));
  const others = direct.filter((p) => !workers.includes(p) && !/simulate|postgres|initdb|pg_ctl/.test(p.cmd));
  const web = others.find((p) => /next|web-server/.test(p.cmd)) ?? others[0] ?? null;
  return { web, workers, postgres, all };
}

/** RSS of a process and everything below it (a server that forks keeps its memory in the child). */
function subtreeRssKb(p: Proc, tree: Proc[]): number {
  return p.rssKb + descendants(p.pid, tree).reduce((s, c) => s + c.rssKb, 0);
}

// ---------------------------------------------------------------------------------------------
// HTTP: a customer with a cookie jar, and what every client saw

const seen = {
  requests: 0,
  byStatus: new Map<number, number>(),
  noReply: 0,
  fiveXX: [] as string[],
  latenciesMs: [] as number[],
};

class Client {
  private readonly cookies = new Map<string, string>();
  retryAt = 0;

  constructor(readonly label: string) {}

  async call(
    method: 'GET' | 'POST',
    p: string,
    opts: { json?: unknown; form?: Record<string, string>; bearer?: string } = {},
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const { headers, body } = requestInit(this.cookies, opts);
    seen.requests++;
    let res: Response;
    let text: string;
    const started = performance.now();
    try {
      res = await fetch(`${BASE}${p}`, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
      });
      text = await res.text();
      seen.latenciesMs.push(performance.now() - started);
    } catch (err) {
      seen.noReply++;
      throw err;
    }
    seen.byStatus.set(res.status, (seen.byStatus.get(res.status) ?? 0) + 1);
    if (res.status >= 500 && seen.fiveXX.length < 20)
      seen.fiveXX.push(`${method} ${p} -> ${res.status} ${text.slice(0, 200)}`);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eqAt = pair?.indexOf('=') ?? -1;
      if (pair && eqAt > 0) this.cookies.set(pair.slice(0, eqAt).trim(), pair.slice(eqAt + 1).trim());
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 429) this.retryAt = Date.now() + 1000 * Number(res.headers.get('retry-after') ?? 5);
    return { status: res.status, body: json, headers: res.headers };
  }

  /** next-auth's credentials flow, as the e2e helpers do it: CSRF token, then the form post. */
  async signIn(email: string, password: string) {
    const csrf = await this.call('GET', '/api/auth/csrf');
    const token = (csrf.body as { csrfToken?: string } | null)?.csrfToken;
    if (!token) throw new Error(`no CSRF token (${csrf.status})`);
    const res = await this.call('POST', '/api/auth/callback/password', { form: { email, password, csrfToken: token } });
    const session = await this.call('GET', '/api/auth/session');
    const id = (session.body as { user?: { id?: string } } | null)?.user?.id;
    if (!id)
      throw new Error(`sign-in failed for ${email} (callback ${res.status}, session ${JSON.stringify(session.body)})`);
  }
}

const errorCode = (body: unknown) => (body as { error?: { code?: string } } | null)?.error?.code ?? 'none';

// ---------------------------------------------------------------------------------------------
// Setup: drones near the lockers, keys, customers, a good with plenty of stock

type Automat = { id: string; address: string; at: LatLon; key: string };
type Customer = { client: Client; userId: string; open: Map<string, string> };

/** A point `meters` from `from` on bearing `deg` (flat-earth; fine at city scale). */
function offset(from: LatLon, meters: number, deg: number): LatLon {
  const rad = (deg * Math.PI) / 180;
  const dLat = (meters * Math.cos(rad)) / 111_320;
  const dLon = (meters * Math.sin(rad)) / (111_320 * Math.cos((from.lat * Math.PI) / 180));
  return { lat: from.lat + dLat, lon: from.lon + dLon };
}

async function setUp(db: Db, runId: string, dir: string) {
  const ctx: AuditContext = {
    userId: '00000000-0000-4000-8000-00000000050a',
    userEmail: 'soak-benchmark@localhost',
    ip: '127.0.0.1',
    userAgent: 'bench/soak',
  };
  const rows = await db
    .select({ id: parcelAutomats.id, address: parcelAutomats.address, coordinates: parcelAutomats.coordinates })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.isWorking, true));
  if (rows.length === 0) throw new Error('The database has no working parcel locker: the launcher seeded none.');
  const automats: Automat[] = [];
  for (const r of rows)
    automats.push({
      id: r.id,
      address: r.address,
      at: parseCoordinates(r.coordinates),
      key: await issueDeviceKey(db, 'automat', r.id),
    });

  const [good] = await db
    .insert(goods)
    .values({
      name: `Soak parcel ${runId}`,
      weight: 0.3,
      height: 5,
      length: 12,
      width: 8,
      quantityAvailable: 1_000_000,
    })
    .returning({ id: goods.id });
  if (!good) throw new Error('Could not create the soak good');

  const fleet = {
    drones: [] as { id: string; key: string; label: string; battery: number; home: LatLon }[],
    automats: automats.map((a) => ({ id: a.id, key: a.key, label: a.address, is_working: true })),
  };
  for (let i = 0; i < o.drones; i++) {
    const near = automats[i % automats.length] as Automat;
    const d = await createDrone(db, ctx, {
      model: 'Soak drone',
      ip_address: `127.0.${10 + Math.floor(i / 250)}.${(i % 250) + 1}`,
    });
    const key = await issueDeviceKey(db, 'drone', d.id);
    fleet.drones.push({
      id: d.id,
      key,
      label: `soak-${i + 1}`,
      battery: 60 + Math.random() * 40,
      home: offset(near.at, 300 + Math.random() * 600, Math.random() * 360),
    });
  }
  const fleetFile = path.join(dir, 'fleet.json');
  writeFileSync(fleetFile, JSON.stringify(fleet), { mode: 0o600 });

  const customers: Customer[] = [];
  for (let i = 0; i < o.customers; i++) {
    const email = `soak.${runId}.${i + 1}@example.com`;
    const password = randomBytes(12).toString('base64url');
    const user = await registerUser(db, { fullName: `Soak customer ${i + 1}`, email, password });
    const client = new Client(email);
    await client.signIn(email, password);
    customers.push({ client, userId: user.id, open: new Map() });
  }
  return { automats, goodId: good.id, fleetFile, customers };
}

// ---------------------------------------------------------------------------------------------
// Load: customers order at a steady rate and collect their parcels at the kiosk

const counts = {
  placed: 0,
  rejected: new Map<string, number>(),
  pickedUp: 0,
  scans: 0,
  scanRefused: new Map<string, number>(),
  rateLimited: 0,
  failedCalls: 0,
};
const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

async function orderLoop({
  customers,
  automats,
  goodId,
  until,
}: {
  customers: Customer[];
  automats: Automat[];
  goodId: string;
  until: number;
}) {
  const every = 60_000 / o['orders-per-minute'];
  let next = Date.now();
  while (!aborted() && Date.now() < until) {
    next += every;
    const ready = customers.filter((c) => c.open.size < OPEN_PER_CUSTOMER && c.client.retryAt <= Date.now());
    const c = ready[Math.floor(Math.random() * ready.length)];
    const a = automats[Math.floor(Math.random() * automats.length)] as Automat;
    if (!c) bump(counts.rejected, 'no_customer_free (all at the bench cap)');
    else {
      try {
        const r = await c.client.call('POST', '/api/orders', { json: { good_id: goodId, parcel_automat_id: a.id } });
        if (r.status === 201) {
          counts.placed++;
          c.open.set((r.body as { order: { id: string } }).order.id, a.id);
        } else if (r.status === 429) counts.rateLimited++;
        else bump(counts.rejected, `${r.status} ${errorCode(r.body)}`);
      } catch {
        counts.failedCalls++;
      }
    }
    await sleep(Math.max(0, next - Date.now()));
  }
}

async function pickupLoop(customers: Customer[], automats: Automat[], until: number) {
  const keyOf = new Map(automats.map((a) => [a.id, a.key]));
  while (!aborted() && Date.now() < until) {
    for (const c of customers) {
      if (aborted() || Date.now() >= until) break;
      if (c.open.size === 0 || c.client.retryAt > Date.now()) continue;
      try {
        const r = await c.client.call('GET', '/api/me/orders');
        if (r.status !== 200) continue;
        const list = (r.body as { orders: { id: string; status: string; automat: { id: string } }[] }).orders;
        const status = new Map(list.map((x) => [x.id, x]));
        const waitingAt = new Set<string>();
        for (const id of [...c.open.keys()]) {
          const x = status.get(id);
          if (!x || x.status === 'completed' || x.status === 'cancelled') c.open.delete(id);
          else if (x.status === 'delivered') waitingAt.add(x.automat.id);
        }
        for (const automatId of waitingAt) {
          // A successful scan spends the code, so each visit to a kiosk starts with a fresh one, as the
          // pickup page does.
          const code = await c.client.call('POST', '/api/me/pickup-code');
          const token = (code.body as { token?: string } | null)?.token;
          if (!token) continue;
          counts.scans++;
          const scan = await c.client.call('POST', `/api/automats/${automatId}/scan`, {
            json: { qr: token },
            bearer: keyOf.get(automatId),
          });
          if (scan.status === 200) {
            for (const opened of (scan.body as { open: { order_id: string }[] }).open) {
              counts.pickedUp++;
              c.open.delete(opened.order_id);
            }
          } else bump(counts.scanRefused, `${scan.status} ${errorCode(scan.body)}`);
        }
      } catch {
        counts.failedCalls++;
      }
    }
    await sleep(10_000);
  }
}

// ---------------------------------------------------------------------------------------------
// Sampling

type TableStat = { live: number; dead: number; autovacuums: number; lastAutovacuum: string | null };
type Sample = {
  t: number; // seconds since the load started
  webKb: number | null;
  workerKb: number[];
  workerPids: number[];
  postgresPssKb: number;
  load1: number;
  tables: Record<string, TableStat>;
  orders: Record<string, number>;
};

async function sample(
  sql: ReturnType<typeof createSql>,
  opts: { launcherPid: number; pgData: string; t0: number; seenPids: Map<number, Proc> },
): Promise<Sample> {
  const { launcherPid, pgData, t0, seenPids } = opts;
  const tree = launcherTree(launcherPid, pgData);
  for (const p of tree.all) seenPids.set(p.pid, p);
  // A partitioned table (drone_telemetry) has its rows, and so its dead tuples, in its
  // partitions: they are summed under the table's own name.
  const stats = await sql<
    {
      relname: string;
      n_live_tup: string;
      n_dead_tup: string;
      autovacuum_count: string;
      last_autovacuum: Date | string | null;
    }[]
  >`
    select t.relname, sum(t.n_live_tup) as n_live_tup, sum(t.n_dead_tup) as n_dead_tup,
           sum(t.autovacuum_count) as autovacuum_count, max(t.last_autovacuum) as last_autovacuum
    from (select coalesce(root.relname, s.relname) as relname, s.n_live_tup, s.n_dead_tup, s.autovacuum_count,
                 s.last_autovacuum
          from pg_stat_user_tables s left join pg_class root on root.oid = pg_partition_root(s.relid)
          where s.schemaname = 'public') t
    where t.relname in ${sql([...HOT_TABLES])}
    group by t.relname`;
  const orderRows = await sql<
    { status: string; n: number }[]
  >`select status, count(*)::int as n from orders group by status`;
  return {
    t: Math.round((Date.now() - t0) / 1000),
    webKb: tree.web ? subtreeRssKb(tree.web, tree.all) : null,
    workerKb: tree.workers.map((w) => subtreeRssKb(w, tree.all)),
    workerPids: tree.workers.map((w) => w.pid),
    postgresPssKb: tree.postgres.reduce((s, p) => s + pssKb(p.pid), 0),
    load1: os.loadavg()[0] ?? 0,
    tables: Object.fromEntries(
      stats.map((s) => [
        s.relname,
        {
          live: Number(s.n_live_tup),
          dead: Number(s.n_dead_tup),
          autovacuums: Number(s.autovacuum_count),
          lastAutovacuum: s.last_autovacuum ? new Date(s.last_autovacuum).toISOString() : null,
        },
      ]),
    ),
    orders: Object.fromEntries(orderRows.map((r) => [r.status, r.n])),
  };
}

/** Least-squares slope of y over t (seconds), per hour. */
function slopePerHour(points: { t: number; y: number }[]): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den ? (num / den) * 3600 : null;
}

// ---------------------------------------------------------------------------------------------
// Processes we start, and stopping them

function startLogged(args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  // Own process group: a Ctrl-C reaches the soak, which stops these in order.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  return child;
}

const tail = (file: string, lines = 30) =>
  existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';

async function waitForHealth(launcher: ChildProcess, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until && !aborted()) {
    if (launcher.exitCode !== null || launcher.signalCode !== null) return false;
    try {
      if ((await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(3000) })).ok) return true;
    } catch {
      // not up yet
    }
    await sleep(1000);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

const mb = (kb: number | null | undefined) => (kb === null || kb === undefined ? 'n/a' : (kb / 1024).toFixed(0));
const fmtSlope = (v: number | null) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${(v / 1024).toFixed(1)}`);

async function main() {
  const machine = machineInfo();
  say(
    `soak: ${MINUTES} min, ${o.drones} drones, failure rate ${o['failure-rate']}, ${o.customers} customers, ` +
      `${o['orders-per-minute']} orders/min, ${o.workers} worker(s)`,
  );
  say(describeMachine(machine));
  for (const [what, p] of [
    ['web', PORT],
    ['PostgreSQL', PG_PORT],
  ] as const) {
    if (!(await portIsFree(p)))
      throw new Error(
        `The ${what} port ${p} is in use. Stop what uses it, or pass --${what === 'web' ? 'port' : 'pg-port'}.`,
      );
  }

  await ensureProductionBuild({ noBuild: o['no-build'], log: say });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-soak-'));
  const pgData = path.join(dir, 'pg');
  const launcherLog = path.join(dir, 'launcher.log');
  const simulatorLog = path.join(dir, 'simulator.log');
  const statsFile = path.join(dir, 'simulator-stats.json');
  const runId = randomBytes(3).toString('hex');
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: '',
    PORT: String(PORT),
    BIND_HOST: '127.0.0.1',
    EMBEDDED_PG_PORT: String(PG_PORT),
    EMBEDDED_PG_DATA: pgData,
    NODE_ENV: 'production',
    NEXTAUTH_SECRET: randomBytes(48).toString('base64url'),
    NEXTAUTH_URL: BASE,
    SMS_LOG_CODES: 'true',
    SIMULATOR: 'off',
    WORKERS: String(o.workers),
    SKIP_BUILD: 'true',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
  };

  let launcher: ChildProcess | null = null;
  let simulator: ChildProcess | null = null;
  const seenPids = new Map<number, Proc>();
  const sql = createSql(DB_URL, 3);
  let sqlOpen = false;

  const stopAll = async (): Promise<{ leftovers: string[]; notes: string[] }> => {
    const notes: string[] = [];
    if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
      simulator.kill('SIGTERM');
      if (!(await waitForExit(simulator, 30_000))) {
        notes.push('the simulator did not stop within 30 s of SIGTERM; killed');
        simulator.kill('SIGKILL');
      }
    }
    if (sqlOpen) {
      sqlOpen = false;
      await sql.end({ timeout: 5 });
    }
    if (launcher && launcher.exitCode === null && launcher.signalCode === null) {
      if (launcher.pid) for (const p of launcherTree(launcher.pid, pgData).all) seenPids.set(p.pid, p);
      launcher.kill('SIGTERM');
      if (!(await waitForExit(launcher, 90_000))) {
        notes.push('the launcher did not stop within 90 s of SIGTERM; killed');
        launcher.kill('SIGKILL');
        await waitForExit(launcher, 5_000);
      }
    }
    // Anything of the launcher's still alive a few seconds after it exited was left behind.
    await new Promise((r) => setTimeout(r, 3000));
    const leftovers = [...seenPids.values()].filter(alive);
    for (const p of leftovers) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (existsSync(`${pgData}.owner`)) notes.push(`the launcher left ${pgData}.owner behind`);
    for (const p of [PORT, PG_PORT]) if (!(await portIsFree(p))) notes.push(`port ${p} still in use after the stop`);
    return { leftovers: leftovers.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`), notes };
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!aborted()) say(`${signal}: stopping early; nothing is recorded`);
      aborter.abort();
    });
  }

  try {
    say(
      `Starting the launcher (node --import tsx scripts/start.ts) on ${BASE}, ` +
        `PostgreSQL on 127.0.0.1:${PG_PORT}, data in ${pgData}`,
    );
    launcher = startLogged(['--import', 'tsx', 'scripts/start.ts'], childEnv, launcherLog);
    if (!(await waitForHealth(launcher, 300_000)))
      throw new Error(`The app did not become healthy. Launcher log:\n${tail(launcherLog)}`);
    const launcherPid = launcher.pid ?? -1;
    sqlOpen = true;
    const db = createDb(sql);

    say('Registering drones near the lockers, issuing device keys, signing customers in');
    const setup = await setUp(db, runId, dir);
    say(`${setup.automats.length} working lockers, ${o.drones} drones, ${setup.customers.length} customers signed in`);

    simulator = startLogged(
      [
        '--import',
        'tsx',
        'scripts/simulate.ts',
        '--url',
        BASE,
        '--fleet',
        setup.fleetFile,
        '--failure-rate',
        String(o['failure-rate']),
        '--stats',
        statsFile,
      ],
      { ...childEnv, LOG_LEVEL: 'info' },
      simulatorLog,
    );
    // The fleet is up when (nearly) every drone has reported in the last 30 s.
    const upBy = Date.now() + 180_000;
    for (;;) {
      const [{ n }] = (await sql`select count(*)::int as n from drones
          where model = 'Soak drone' and last_seen_at > now() - interval '30 seconds'`) as unknown as [{ n: number }];
      if (n >= Math.ceil(o.drones * 0.9)) break;
      if (aborted() || Date.now() > upBy || simulator.exitCode !== null)
        throw new Error(`Only ${n} of ${o.drones} drones came online. Simulator log:\n${tail(simulatorLog)}`);
      await sleep(2000);
    }
    say('The fleet is flying; customers start ordering');

    const t0 = Date.now();
    const until = t0 + MINUTES * 60_000;
    const samples: Sample[] = [];
    const load = Promise.all([
      orderLoop({ customers: setup.customers, automats: setup.automats, goodId: setup.goodId, until }),
      pickupLoop(setup.customers, setup.automats, until),
    ]);
    while (!aborted()) {
      const s = await sample(sql, { launcherPid, pgData, t0, seenPids });
      samples.push(s);
      say(
        `t=${String(s.t).padStart(5)} s  web ${mb(s.webKb)} MB  worker ${s.workerKb.map(mb).join('/') || 'n/a'} MB  ` +
          `postgres ${mb(s.postgresPssKb)} MB (PSS)  load ${s.load1.toFixed(1)}  ` +
          `orders ${JSON.stringify(s.orders)}  ` +
          `dead telemetry/deliveries/drones ${s.tables.drone_telemetry?.dead ?? '?'}/` +
          `${s.tables.deliveries?.dead ?? '?'}/${s.tables.drones?.dead ?? '?'}`,
      );
      if (launcher.exitCode !== null)
        throw new Error(`The launcher exited during the soak. Log:\n${tail(launcherLog)}`);
      if (Date.now() >= until) break;
      await sleep(Math.min(o['sample-seconds'] * 1000, until - Date.now()));
    }
    await load;
    if (aborted()) throw new Error('Stopped early');
    const endAt = new Date();

    // -- Final checks, while everything still runs.
    const inFlightMs = o['in-flight-minutes'] * 60_000;
    const open = (
      await sql<{ id: string; status: string; created_at: Date | string }[]>`
      select o.id, o.status, o.created_at from orders o join goods g on g.id = o.good_id
      where g.id = ${setup.goodId} and o.status in ('pending', 'processing') order by o.created_at`
    ).map((r) => ({ ...r, created_at: new Date(r.created_at) }));
    const stuck = open.filter((r) => endAt.getTime() - r.created_at.getTime() > inFlightMs);
    const inFlight = open.filter((r) => endAt.getTime() - r.created_at.getTime() <= inFlightMs);
    const [totals] = (await sql`
      select
        count(*)::int as placed,
        count(*) filter (where status = 'completed')::int as completed,
        count(*) filter (where status = 'cancelled')::int as cancelled,
        count(*) filter (where status = 'delivered')::int as waiting,
        percentile_cont(0.5) within group (order by extract(epoch from updated_at - created_at))
          filter (where status = 'completed') as median_order_s,
        coalesce(max(extract(epoch from now() - updated_at)) filter (where status = 'delivered'), 0)::int
          as oldest_waiting_s
      from orders where good_id = ${setup.goodId}`) as unknown as [
      {
        placed: number;
        completed: number;
        cancelled: number;
        waiting: number;
        median_order_s: number | null;
        oldest_waiting_s: number;
      },
    ];
    const [dstats] = (await sql`
      select count(*) filter (where d.status = 'failed')::int as failed,
             count(*) filter (where d.status = 'completed')::int as completed
      from deliveries d join orders o on o.id = d.order_id where o.good_id = ${setup.goodId}`) as unknown as [
      { failed: number; completed: number },
    ];
    const [tele] = (await sql`select count(*)::int as n from drone_telemetry
        where recorded_at >= ${new Date(t0).toISOString()}::timestamptz
          and recorded_at <= ${endAt.toISOString()}::timestamptz`) as unknown as [{ n: number }];
    const invariants: [string, string][] = [
      [
        'orders with more than one active delivery',
        `select count(*)::int as n from (select order_id from deliveries ` +
          `where status in ('pending','assigned','in_progress') group by order_id having count(*) > 1) x`,
      ],
      [
        'drones with more than one active delivery',
        `select count(*)::int as n from (select drone_id from deliveries ` +
          `where drone_id is not null and status in ('pending','assigned','in_progress') ` +
          `group by drone_id having count(*) > 1) x`,
      ],
      [
        'pickup cells held by two open orders',
        `select count(*)::int as n from (select locker_cell_id from orders ` +
          `where locker_cell_id is not null and status in ('pending','processing','delivered') ` +
          `group by locker_cell_id having count(*) > 1) x`,
      ],
      [
        'drop cells held by two deliveries',
        `select count(*)::int as n from (select internal_locker_cell_id from deliveries ` +
          `where internal_locker_cell_id is not null and status in ('pending','assigned','in_progress','delivered') ` +
          `group by internal_locker_cell_id having count(*) > 1) x`,
      ],
      [
        'processing orders without a live delivery',
        `select count(*)::int as n from orders o where o.status = 'processing' ` +
          `and not exists (select 1 from deliveries d where d.order_id = o.id ` +
          `and d.status in ('pending','assigned','in_progress','delivered'))`,
      ],
      [
        'pickup cells reserved/occupied with no open order',
        `select count(*)::int as n from locker_cells_out c where c.status in ('reserved','occupied') ` +
          `and not exists (select 1 from orders o where o.locker_cell_id = c.id ` +
          `and o.status in ('pending','processing','delivered'))`,
      ],
      [
        'pickup cells available but held by an open order',
        `select count(*)::int as n from locker_cells_out c where c.status = 'available' ` +
          `and exists (select 1 from orders o where o.locker_cell_id = c.id ` +
          `and o.status in ('pending','processing','delivered'))`,
      ],
      [
        'drop cells reserved/occupied with no live delivery',
        `select count(*)::int as n from locker_cells_internal c where c.status in ('reserved','occupied') ` +
          `and not exists (select 1 from deliveries d where d.internal_locker_cell_id = c.id ` +
          `and d.status in ('pending','assigned','in_progress','delivered'))`,
      ],
      [
        'busy drones without an active delivery',
        `select count(*)::int as n from drones dr where dr.status = 'busy' ` +
          `and not exists (select 1 from deliveries d where d.drone_id = dr.id ` +
          `and d.status in ('pending','assigned','in_progress'))`,
      ],
    ];
    const invariantResults: { name: string; n: number }[] = [];
    for (const [name, q] of invariants) {
      const [row] = (await sql.unsafe(q)) as unknown as [{ n: number }];
      invariantResults.push({ name, n: row.n });
    }
    const launcherErrors = existsSync(launcherLog)
      ? readFileSync(launcherLog, 'utf8')
          .split('\n')
          .filter((l) => /"level":"(error|fatal)"/.test(l))
      : [];

    say('Stopping the simulator and the launcher');
    const stop = await stopAll();
    launcher = null;
    simulator = null;
    const simStats = existsSync(statsFile)
      ? (JSON.parse(readFileSync(statsFile, 'utf8')) as {
          requests: number;
          byStatus: Record<string, number>;
          noReply: number;
          telemetryAccepted: number;
        })
      : null;

    // -- Figures
    const warm = MINUTES >= 15 ? 300 : 0; // the first 5 minutes are warm-up (JIT, caches, pools) in a full run
    const series = (pick: (s: Sample) => number | null | undefined) =>
      samples
        .map((s) => ({ t: s.t, y: pick(s) }))
        .filter((p): p is { t: number; y: number } => typeof p.y === 'number');
    const procStats = (name: string, pick: (s: Sample) => number | null | undefined) => {
      const pts = series(pick);
      return {
        name,
        start: pts[0]?.y ?? null,
        peak: pts.length ? Math.max(...pts.map((p) => p.y)) : null,
        end: pts.at(-1)?.y ?? null,
        slope: slopePerHour(pts.filter((p) => p.t >= warm)),
      };
    };
    const workerRestarts = new Set(samples.flatMap((s) => s.workerPids)).size - o.workers;
    const procRows = [
      procStats('web server', (s) => s.webKb),
      ...Array.from({ length: o.workers }, (_, i) => procStats(`worker ${i + 1}`, (s) => s.workerKb[i])),
      procStats('PostgreSQL (all processes, PSS)', (s) => s.postgresPssKb),
    ];
    const tableRows = HOT_TABLES.map((t) => {
      const pts = samples.map((s) => s.tables[t]).filter((x): x is TableStat => Boolean(x));
      const first = pts[0];
      const last = pts.at(-1);
      return {
        table: t,
        maxDead: pts.length ? Math.max(...pts.map((p) => p.dead)) : null,
        endDead: last?.dead ?? null,
        endLive: last?.live ?? null,
        autovacuums: first && last ? last.autovacuums - first.autovacuums : null,
        lastAutovacuum: last?.lastAutovacuum ? last.lastAutovacuum.slice(11, 19) : 'never',
      };
    });
    const bench5xx = [...seen.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const sim5xx = simStats
      ? Object.entries(simStats.byStatus)
          .filter(([s]) => Number(s) >= 500)
          .reduce((n, [, c]) => n + c, 0)
      : 0;
    const total5xx = bench5xx + sim5xx;
    const loads = samples.map((s) => s.load1);
    const loadNote =
      `load average (1 min) during the run: ` +
      `mean ${(loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(1)}, ` +
      `max ${Math.max(0, ...loads).toFixed(1)} on ${machine.cores} cores`;
    const invariantFailures = invariantResults.filter((r) => r.n !== 0).length;
    const ok = stuck.length === 0 && total5xx === 0 && invariantFailures === 0 && stop.leftovers.length === 0;

    const lines: string[] = [];
    lines.push(`### Soak, ${machine.date} UTC, ${MINUTES} min`);
    lines.push('');
    lines.push(`- Machine: ${describeMachine(machine)}; ${loadNote}.${o.note ? ` Note: ${o.note}` : ''}`);
    lines.push(
      `- Load: ${o.drones} simulated drones ` +
        `(1 Hz telemetry, homes near the ${setup.automats.length} working lockers), ` +
        `failure rate ${o['failure-rate']}, ` +
        `${o.customers} customers ordering ${o['orders-per-minute']}/min (at most ${OPEN_PER_CUSTOMER} open each) ` +
        `and collecting at the kiosk; ${o.workers} order worker(s); \`NODE_ENV=production\`, \`SKIP_BUILD=true\`.`,
    );
    lines.push(
      `- Result: ${ok ? 'pass' : 'FAIL'}: ${stuck.length} stuck orders, ${total5xx} 5xx, ` +
        `${invariantFailures} invariant violations, ${stop.leftovers.length} processes left behind.`,
    );
    lines.push('');
    lines.push('| process | RSS start (MB) | peak (MB) | end (MB) | slope (MB/h) |');
    lines.push('|---|---|---|---|---|');
    for (const r of procRows)
      lines.push(`| ${r.name} | ${mb(r.start)} | ${mb(r.peak)} | ${mb(r.end)} | ${fmtSlope(r.slope)} |`);
    lines.push('');
    lines.push(
      `RSS is VmRSS from /proc (the web server with any child it forks), sampled every ${o['sample-seconds']} s; ` +
        `the slope is a least-squares fit${warm ? ' after the first 5 minutes (warm-up)' : ' over all samples'}. ` +
        `Worker restarts: ${Math.max(0, workerRestarts)}.`,
    );
    lines.push('');
    lines.push('| table | dead tuples, max | dead at end | live at end | autovacuums in run | last autovacuum (UTC) |');
    lines.push('|---|---|---|---|---|---|');
    for (const r of tableRows)
      lines.push(
        `| ${r.table} | ${r.maxDead ?? 'n/a'} | ${r.endDead ?? 'n/a'} | ${r.endLive ?? 'n/a'} | ` +
          `${r.autovacuums ?? 'n/a'} | ${r.lastAutovacuum} |`,
      );
    lines.push('');
    lines.push('| throughput | count |');
    lines.push('|---|---|');
    lines.push(`| orders placed (201) | ${counts.placed} (database: ${totals.placed}) |`);
    const medianPickup = totals.median_order_s === null ? 'n/a' : `${Math.round(Number(totals.median_order_s))} s`;
    lines.push(
      `| orders completed (collected at the kiosk) | ${totals.completed} (median order to pickup ${medianPickup}) |`,
    );
    lines.push(`| orders cancelled | ${totals.cancelled} |`);
    lines.push(`| orders waiting for pickup at the end | ${totals.waiting} (oldest ${totals.oldest_waiting_s} s) |`);
    lines.push(
      `| orders in flight at the end (pending/processing, placed in the last ${o['in-flight-minutes']} min) | ` +
        `${inFlight.length} |`,
    );
    lines.push(
      `| **orders stuck** (pending/processing, placed more than ${o['in-flight-minutes']} min before the end) | ` +
        `**${stuck.length}** |`,
    );
    lines.push(`| deliveries failed (injected) / completed | ${dstats.failed} / ${dstats.completed} |`);
    const runSeconds = (endAt.getTime() - t0) / 1000;
    const lat = [...seen.latenciesMs].sort((a, b) => a - b);
    const pct = (q: number) =>
      lat.length ? Math.round(lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] ?? 0) : 0;
    lines.push(
      `| telemetry readings stored during the run | ${tele.n} ` +
        `(${(tele.n / runSeconds / o.drones).toFixed(2)} per drone per second; ` +
        `a drone posts once a second after its previous reply) |`,
    );
    lines.push(
      `| customer request latency p50 / p95 / max (ms) | ${pct(0.5)} / ${pct(0.95)} / ${Math.round(lat.at(-1) ?? 0)} |`,
    );
    lines.push(`| orders refused | ${[...counts.rejected].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'} |`);
    lines.push(
      `| kiosk scans / refused | ${counts.scans} / ` +
        `${[...counts.scanRefused].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none'} |`,
    );
    lines.push(
      `| requests (customers + devices) | ${seen.requests + (simStats?.requests ?? 0)}; ` +
        `429: ${(seen.byStatus.get(429) ?? 0) + (simStats?.byStatus['429'] ?? 0)}; ` +
        `no reply (timeout or refused): ${seen.noReply + (simStats?.noReply ?? 0)} |`,
    );
    lines.push(`| **5xx replies** | **${total5xx}** (customers ${bench5xx}, devices ${sim5xx}) |`);
    lines.push(`| error lines in the server log | ${launcherErrors.length} |`);
    lines.push('');
    lines.push('| invariant at the end | violations |');
    lines.push('|---|---|');
    for (const r of invariantResults) lines.push(`| ${r.name} | ${r.n} |`);
    lines.push('');
    const every = Math.max(1, Math.round(300 / o['sample-seconds']));
    lines.push('RSS over time (MB):');
    lines.push('');
    lines.push(
      `| t (min) | web | ${Array.from({ length: o.workers }, (_, i) => `worker ${i + 1}`).join(' | ')} | ` +
        `PostgreSQL (PSS) | dead tuples: drone_telemetry / deliveries / drones | load (1 min) |`,
    );
    lines.push(`|---|---|${'---|'.repeat(o.workers)}---|---|---|`);
    samples.forEach((s, i) => {
      if (i % every !== 0 && i !== samples.length - 1) return;
      lines.push(
        `| ${(s.t / 60).toFixed(1)} | ${mb(s.webKb)} | ` +
          `${Array.from({ length: o.workers }, (_, w) => mb(s.workerKb[w])).join(' | ')} | ` +
          `${mb(s.postgresPssKb)} | ` +
          `${s.tables.drone_telemetry?.dead ?? '?'} / ${s.tables.deliveries?.dead ?? '?'} / ` +
          `${s.tables.drones?.dead ?? '?'} | ${s.load1.toFixed(1)} |`,
      );
    });
    lines.push('');
    lines.push(
      `Stuck-order rule: at the end, an order still \`pending\` or \`processing\` counts as in flight ` +
        `if it was placed in the last ${o['in-flight-minutes']} minutes ` +
        `(a flight, up to two injected failures and a redispatch fit in that), otherwise as stuck. ` +
        `\`delivered\` is waiting for pickup; \`completed\` and \`cancelled\` are final.`,
    );
    if (stuck.length)
      lines.push(
        `Stuck: ${stuck
          .slice(0, 10)
          .map((r) => `${r.id} ${r.status} since ${r.created_at.toISOString()}`)
          .join('; ')}`,
      );
    if (seen.fiveXX.length) lines.push(`First 5xx: ${seen.fiveXX.slice(0, 5).join(' / ')}`);
    if (launcherErrors.length)
      lines.push(
        `First server errors: ${launcherErrors
          .slice(0, 3)
          .map((l) => l.slice(0, 300))
          .join(' / ')}`,
      );
    if (stop.leftovers.length)
      lines.push(`Left behind after the launcher stopped (killed by the soak): ${stop.leftovers.join('; ')}`);
    if (stop.notes.length) lines.push(`Stop: ${stop.notes.join('; ')}`);
    const report = lines.join('\n');
    process.stdout.write(`\n${report}\n\n`);

    if (!o['no-record']) {
      appendSoakReport(report);
      const web = procRows[0];
      const worker = procRows[1];
      const maxDead = tableRows.reduce((best, r) => ((r.maxDead ?? -1) > (best.maxDead ?? -1) ? r : best));
      appendRunLogRow(
        `soak ${MINUTES} min`,
        machine,
        `${ok ? 'pass' : 'FAIL'}; RSS web ${mb(web?.start)}/${mb(web?.peak)}/${mb(web?.end)} MB (start/peak/end), ` +
          `worker ${mb(worker?.start)}/${mb(worker?.peak)}/${mb(worker?.end)} MB; ` +
          `max dead tuples ${maxDead.maxDead} (${maxDead.table}); ` +
          `${totals.completed} orders completed, ${stuck.length} stuck, ${total5xx} 5xx; ` +
          `${loadNote}${o.note ? `; ${o.note}` : ''}`,
      );
      say('Added the report to docs/benchmarks.md');
    }
    rmSync(dir, { recursive: true, force: true });
    process.exitCode = ok ? 0 : 1;
  } catch (err) {
    process.stderr.write(`\nsoak failed: ${err instanceof Error ? err.message : String(err)}\n`);
    const stop = await stopAll();
    if (stop.leftovers.length) process.stderr.write(`Left behind (killed): ${stop.leftovers.join('; ')}\n`);
    if (stop.notes.length) process.stderr.write(`Stop: ${stop.notes.join('; ')}\n`);
    process.stderr.write(`Logs kept in ${dir}\n`);
    process.exitCode = 1;
  }
}

await main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
