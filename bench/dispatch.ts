// npm run bench -- dispatch [--orders=N] [--no-record] — order dispatch throughput.
// On an embedded PostgreSQL 17 of its own (free port, temporary folder), in one run:
// 1. A seed database: 20 lockers spread over the city (drop and pickup cells of three sizes),
//    customers, goods of three sizes, N pending orders each holding its pickup cell (as
//    createOrder leaves them) and N * 1.1 drones (5% below the battery minimum), parked.
// 2. The nearest-drone search (KNN walk, then the lock) at 5,000 idle drones (EXPLAIN ANALYZE, BUFFERS).
// 3. For 1, 2 and 4 worker processes (the real startWorker, as the launcher's WORKERS runs
//    it), a fresh copy of the seed: workers start, the drones go idle, and the clock runs
//    until no order is pending. Then the invariant SQL counts violations (must be 0).
// 4. Baseline in the same run: a trivial claim loop (SKIP LOCKED claim + update, no rules) on
//    4 connections, the ceiling of any dispatcher on this machine.
import '../scripts/lib/dotenv';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql as dsql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { createDb, createSql } from '@/db';
import { portIsFree, startEmbeddedPostgres } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { nearestDroneQueries } from '@/lib/dispatch/delivery-flow';
import { createLogger } from '@/lib/logger';
import { startWorker } from '@/worker/loop';
import { appendRunLogRow, describeMachine, machineInfo } from './lib/report';

const argv = process.argv.slice(2);
const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const MIN_BATTERY = 30;
const OFFLINE_AFTER_MS = 3_600_000; // the whole run: nobody goes silent while we measure

// ---- Child mode: one worker process running the real order worker loop. ----
if (argv.includes('--child')) {
  const url = arg('url');
  if (!url) throw new Error('--child needs --url=');
  const worker = startWorker({
    databaseUrl: url,
    log: createLogger({ scope: `bench-worker:${process.pid}` }),
    sweepMs: 200,
    minBattery: MIN_BATTERY,
    offlineAfterMs: OFFLINE_AFTER_MS,
    assignedTimeoutMs: OFFLINE_AFTER_MS,
    telemetryRetentionDays: 30,
  });
  process.on('SIGTERM', () => void worker.stop().then(() => process.exit(0)));
  await worker.done;
  process.exit(0);
}

const ORDERS = Number(arg('orders') ?? 10_000);
const RECORD = !argv.includes('--no-record');
const WORKER_COUNTS = (arg('workers') ?? '1,2,4').split(',').map(Number);
const LOCKERS = 20;
const EXPLAIN_DRONES = 5_000;

async function freePort(from: number, to: number) {
  for (let p = from; p <= to; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port in ${from}-${to}`);
}

const machine = machineInfo();
console.log(describeMachine(machine));
const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-bench-dispatch-'));
const port = Number(arg('port') ?? (await freePort(55500, 55549)));
const pg = await startEmbeddedPostgres({
  dataDir: path.join(dir, 'pg'),
  port,
  database: 'seed',
  log: createLogger({ scope: 'bench-pg' }),
  settings: {
    shared_preload_libraries: 'pg_stat_statements,auto_explain',
    'pg_stat_statements.track': 'all',
    // --auto-explain=MS: the plans of statements slower than MS land in the server log (kept).
    ...(arg('auto-explain')
      ? {
          'auto_explain.log_min_duration': Number(arg('auto-explain')),
          'auto_explain.log_analyze': 'on',
          'auto_explain.log_buffers': 'on',
          'auto_explain.log_nested_statements': 'on',
        }
      : {}),
  },
});
const children = new Set<ChildProcess>();
const urlOf = (db: string) => pg.adminUrl.replace(/\/[^/?]+(\?|$)/, `/${db}$1`);

async function seed(url: string) {
  await runMigrations(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const perLocker = Math.ceil(ORDERS / LOCKERS);
  const perClass = Math.ceil(perLocker / 3) + 10;
  // Lockers on a 5 x 4 grid over central Moscow (about 13 x 12 km).
  await sql`
    insert into parcel_automats (city, address, number_of_cells, ip_address, coordinates, aruco_id)
    select 'Moscow', 'Bench St., ' || i, ${perClass * 3 + perLocker + 20}, '10.0.0.1',
           to_char(55.70 + (i % 5) * 0.03, 'FM90.0000') || ',' || to_char(37.50 + (i / 5) * 0.05, 'FM990.0000'),
           800000 + i
    from generate_series(0, ${LOCKERS - 1}) as i`;
  // Pickup cells in three sizes; drop cells one size (the drone's bay).
  await sql`
    insert into locker_cells_out (post_id, cell_number, height, length, width)
    select a.id, c * ${perClass} + n, (array[20, 35, 60])[c + 1], (array[30, 45, 70])[c + 1], (array[25, 40, 60])[c + 1]
    from parcel_automats a, generate_series(0, 2) as c, generate_series(1, ${perClass}) as n`;
  await sql`
    insert into locker_cells_internal (post_id, cell_number, height, length, width)
    select a.id, n, 60, 70, 60 from parcel_automats a, generate_series(1, ${perLocker + 20}) as n`;
  await sql`insert into users (full_name, email)
    select 'Bench customer ' || i, 'bench-' || i || '@example.com' from generate_series(1, 500) as i`;
  // Goods of three size classes (each fits its class's pickup cell, turned any way).
  await sql`
    insert into goods (name, weight, height, length, width, quantity_available)
    select 'Bench good ' || i, 1, (array[10, 30, 50])[i % 3 + 1], (array[20, 40, 60])[i % 3 + 1],
           (array[15, 35, 55])[i % 3 + 1], 100000
    from generate_series(0, 29) as i`;
  // Orders: locker i % LOCKERS, size class i % 3, each holding the next free pickup cell of its
  // class at its locker (what createOrder reserves), created oldest first.
  await sql`
    with g as (select id, row_number() over (order by name) - 1 as k from goods),
    a as (select id, row_number() over (order by aruco_id) - 1 as k from parcel_automats),
    u as (select id, row_number() over (order by email) - 1 as k from users),
    o as (
      select i, (i % ${LOCKERS}) as lk, (i % 3) as cls,
             row_number() over (partition by i % ${LOCKERS}, i % 3 order by i) as nth
      from generate_series(0, ${ORDERS - 1}) as i)
    insert into orders (user_id, good_id, parcel_automat_id, locker_cell_id, status, created_at, updated_at)
    select u.id, g.id, a.id, c.id, 'pending', now() - (${ORDERS} - o.i) * interval '1 millisecond', now()
    from o
    join a on a.k = o.lk
    join g on g.k = o.cls + 3 * ((o.i / 3) % 10)
    join u on u.k = o.i % 500
    join locker_cells_out c on c.post_id = a.id and c.cell_number = o.cls * ${perClass} + o.nth`;
  await sql`update locker_cells_out set status = 'reserved' where id in (select locker_cell_id from orders)`;
  await sql`
    insert into delivery_events (order_id, entity, event, to_status, actor_type, actor_id, details, created_at)
    select id, 'order', 'created', 'pending', 'customer', user_id, '{}'::jsonb, created_at from orders`;
  // Drones spread over the city (about 22 x 19 km), parked until the workers are up; every
  // 20th one is below the battery minimum and never qualifies.
  const drones = Math.ceil(ORDERS * 1.1) + 100;
  await sql`
    insert into drones
      (model, ip_address, status, battery_level, last_lat, last_lon, position_recorded_at, last_seen_at)
    select 'Clover 4', '10.9.' || (i / 250 % 250) || '.' || (i % 250 + 1), 'maintenance',
           case when i % 20 = 0 then 20 else 40 + (i * 37) % 61 end,
           55.65 + ((i * 7919) % 1000) * 0.0002, 37.45 + ((i * 104729) % 997) * 0.0003, now(), now()
    from generate_series(0, ${drones - 1}) as i`;
  await sql`vacuum analyze`;
  const [c] = await sql<
    { orders: number; drones: number; lockers: number; cells_in: number; cells_out: number }[]
  >`select
    (select count(*)::int from orders where status = 'pending') as orders, (select count(*)::int from drones) as drones,
    (select count(*)::int from parcel_automats) as lockers,
    (select count(*)::int from locker_cells_internal) as cells_in,
    (select count(*)::int from locker_cells_out) as cells_out`;
  await sql.end();
  return c!;
}

/**
 * The nearest-drone search exactly as dispatch_assign_batch runs it, at EXPLAIN_DRONES idle drones: the candidates'
 * KNN walk, then the lock of the nearest group.
 */
async function explainNearest(url: string): Promise<string> {
  const sql = createSql(url, 1);
  const db = createDb(sql);
  await sql`delete from drones where id not in (select id from drones order by id limit ${EXPLAIN_DRONES})`;
  await sql`update drones set status = 'idle', last_seen_at = now()`;
  await sql`vacuum analyze drones`;
  const [a] = await sql<{ coordinates: string }[]>`select coordinates from parcel_automats order by aruco_id limit 1`;
  const [lat, lon] = a!.coordinates.split(',').map(Number) as [number, number];
  const opts = { minBattery: MIN_BATTERY, offlineAfterMs: OFFLINE_AFTER_MS, now: new Date() };
  const plans: string[] = [];
  await db.transaction(async (tx) => {
    const { candidates } = nearestDroneQueries({ lat, lon }, opts);
    const rows = (await tx.execute(candidates)) as unknown as { id: string; chord: number }[]; // also warms the cache
    const group = rows.filter((r) => r.chord === rows[0]?.chord).map((r) => r.id);
    const { lock } = nearestDroneQueries({ lat, lon }, { ...opts, group });
    for (const [label, q] of [
      ['candidates (KNN walk, first fetch of 10)', candidates],
      [`lock of the nearest group (${group.length} drone)`, lock],
    ] as const) {
      const plan = (await tx.execute(sqlExplain(q))) as unknown as { 'QUERY PLAN': string }[];
      plans.push(`${label}:\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    }
  });
  await sql.end();
  return plans.join('\n');
}

const sqlExplain = (q: SQL) => dsql`explain (analyze, buffers, costs off) ${q}`;

type Violations = Record<string, number>;

/** The invariants after a run: each must count 0 rows. */
async function violations(sql: postgres.Sql): Promise<Violations> {
  const active = ['pending', 'assigned', 'in_progress'];
  const q = async (s: Promise<{ n: number }[]>) => (await s)[0]!.n;
  return {
    orderWithTwoActiveDeliveries: await q(
      sql`select count(*)::int as n
        from (select order_id from deliveries where status in ${sql(active)} group by order_id having count(*) > 1) x`,
    ),
    droneWithTwoActiveDeliveries: await q(
      sql`select count(*)::int as n
        from (select drone_id from deliveries where status in ${sql(active)} group by drone_id having count(*) > 1) x`,
    ),
    internalCellHeldTwice: await q(
      sql`select count(*)::int as n
        from (select internal_locker_cell_id from deliveries where status in ${sql(active)}
              group by internal_locker_cell_id having count(*) > 1) x`,
    ),
    pickupCellHeldTwice: await q(
      sql`select count(*)::int as n
        from (select locker_cell_id from orders where status in ('pending', 'processing')
              group by locker_cell_id having count(*) > 1) x`,
    ),
    processingOrderWithoutActiveDelivery: await q(
      sql`select count(*)::int as n from orders o where o.status = 'processing'
        and not exists (select 1 from deliveries d where d.order_id = o.id and d.status in ${sql(active)})`,
    ),
    activeDeliveryWhoseDroneIsNotBusy: await q(
      sql`select count(*)::int as n from deliveries d left join drones dr on dr.id = d.drone_id
        where d.status in ${sql(active)} and dr.status is distinct from 'busy'`,
    ),
    busyDroneWithoutActiveDelivery: await q(
      sql`select count(*)::int as n from drones dr where dr.status = 'busy'
        and not exists (select 1 from deliveries d where d.drone_id = dr.id and d.status in ${sql(active)})`,
    ),
    activeDeliveryWithBadDropCell: await q(
      sql`select count(*)::int as n from deliveries d
        left join locker_cells_internal c on c.id = d.internal_locker_cell_id
        where d.status in ${sql(active)}
          and (c.id is null or c.status <> 'reserved' or c.post_id <> d.parcel_automat_id)`,
    ),
    reservedDropCellWithoutDelivery: await q(
      sql`select count(*)::int as n from locker_cells_internal c where c.status = 'reserved'
        and not exists (select 1 from deliveries d
                        where d.internal_locker_cell_id = c.id and d.status in ${sql(active)})`,
    ),
    orderWithoutItsPickupCell: await q(
      sql`select count(*)::int as n from orders o left join locker_cells_out c on c.id = o.locker_cell_id
        where o.status in ('pending', 'processing')
          and (c.id is null or c.status <> 'reserved' or c.post_id <> o.parcel_automat_id)`,
    ),
    droneBelowMinimumAssigned: await q(
      sql`select count(*)::int as n from deliveries d join drones dr on dr.id = d.drone_id
        where dr.battery_level <= ${MIN_BATTERY}`,
    ),
    assignmentWithoutEventsOrNotification: await q(sql`select count(*)::int as n from deliveries d where
      (select count(*) from delivery_events e where e.delivery_id = d.id and e.event = 'assigned') <> 2
      or not exists (select 1 from notifications n
                     where n.dedupe_key = 'order_assigned:' || d.order_id || ':' || d.id)`),
  };
}

function spawnWorker(url: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('bench', 'dispatch.ts'), '--child', `--url=${url}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', WORKERS: '0' },
    },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  let errors = 0;
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.includes('"level":"error"')) {
        errors++;
        if (errors <= 3) console.error(`  worker ${child.pid}: ${line.slice(0, 400)}`);
      }
      if (line.includes('Order worker started')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (code ${code})`)));
  });
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

let copies = 0;
async function freshCopy(): Promise<{ name: string; url: string }> {
  const name = `run_${++copies}`;
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template seed`);
  await admin.end();
  return { name, url: urlOf(name) };
}
async function dropCopy(name: string) {
  const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}

type WorkerRun = {
  workers: number;
  assigned: number;
  seconds: number;
  perSecond: number;
  violations: number;
  detail: Violations;
  top: string[];
  statementsPer: number;
  dbMsPer: number;
};

async function runWorkers(n: number): Promise<WorkerRun> {
  const copy = await freshCopy();
  const sql = postgres(copy.url, { max: 1, onnotice: () => {} });
  await sql`create extension if not exists pg_stat_statements`;
  const workers = await Promise.all(Array.from({ length: n }, () => spawnWorker(copy.url)));
  await sql`select pg_stat_statements_reset()`;
  const t0 = performance.now();
  await sql`update drones set status = 'idle', last_seen_at = now() where status = 'maintenance'`;
  // A live fleet's statistics (autovacuum keeps them): without this the planner would still
  // believe every drone is parked, as it was when the seed was analyzed. Inside the clock.
  await sql`analyze drones`;
  await sql`select pg_notify('skypost_dispatch', 'drone_idle')`;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    const [{ pending }] =
      (await sql`select count(*)::int as pending from orders where status = 'pending'`) as unknown as [
        { pending: number },
      ];
    if (pending === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending} orders still pending after 30 minutes`);
    if (workers.some((w) => w.exitCode !== null)) throw new Error('a worker died');
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(workers.map(stopChild));
  const [{ assigned }] =
    (await sql`select count(*)::int as assigned from deliveries where status = 'assigned'`) as unknown as [
      { assigned: number },
    ];
  const detail = await violations(sql);
  // Where the database time went: the statements that took most of it.
  const top = (
    await sql<{ calls: number; total: number; mean: number; query: string }[]>`
      select calls::int, round(total_exec_time)::int as total, round(mean_exec_time::numeric, 3)::float8 as mean,
             regexp_replace(query, '\\s+', ' ', 'g') as query
      from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit 6`
  ).map(
    (r) =>
      `${String(r.total).padStart(6)} ms  ${String(r.calls).padStart(7)} calls  ` +
      `${r.mean.toFixed(3)} ms/call  ${r.query.slice(0, 110)}`,
  );
  // The workers' own statements (BEGIN and COMMIT too), without the bench's polling: what
  // one assignment costs the database, load-independent enough to compare across runs.
  const [cost] = await sql<{ statements: number; ms: number }[]>`
    select coalesce(sum(calls), 0)::int as statements, coalesce(sum(total_exec_time), 0)::float8 as ms
    from pg_stat_statements
    where toplevel and dbid = (select oid from pg_database where datname = current_database())
      and query not like 'select count(*)::int as pending%'
      and query not like 'update drones set status = $1, last_seen_at%' and query not like 'analyze%'
      and query not like 'select pg_notify($1, $2)%' and query not like 'select pg_stat_statements_reset%'`;
  await sql.end();
  await dropCopy(copy.name);
  const v = Object.values(detail).reduce((a, b) => a + b, 0);
  return {
    workers: n,
    assigned,
    seconds,
    perSecond: assigned / seconds,
    violations: v,
    detail,
    top,
    statementsPer: cost!.statements / Math.max(1, assigned),
    dbMsPer: cost!.ms / Math.max(1, assigned),
  };
}

/** The ceiling: claim the oldest pending order with SKIP LOCKED and mark it, one per statement, nothing else. */
async function trivialClaimLoop(connections: number): Promise<{ claimed: number; perSecond: number }> {
  const copy = await freshCopy();
  const sql = postgres(copy.url, { max: connections, onnotice: () => {} });
  let claimed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (;;) {
        const rows = await sql`
          with c as (select id from orders where status = 'pending' order by created_at, id limit 1
                     for no key update skip locked)
          update orders o set status = 'processing', updated_at = now() from c where o.id = c.id returning o.id`;
        if (rows.length === 0) return;
        claimed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await sql.end();
  await dropCopy(copy.name);
  return { claimed, perSecond: claimed / seconds };
}

const stopAll = async () => {
  await Promise.all([...children].map(stopChild));
};
process.on(
  'SIGINT',
  () =>
    void stopAll()
      .then(() => pg.stop())
      .finally(() => process.exit(130)),
);

try {
  const t = performance.now();
  const counts = await seed(pg.url);
  console.log(
    `Seed: ${counts.orders} pending orders, ${counts.drones} drones (5% below ${MIN_BATTERY}%), ` +
      `${counts.lockers} lockers, ` +
      `${counts.cells_in} drop and ${counts.cells_out} pickup cells (${((performance.now() - t) / 1000).toFixed(1)} s)`,
  );
  const explainDb = await freshCopy();
  const plan = await explainNearest(explainDb.url);
  await dropCopy(explainDb.name);
  console.log(
    `\nNearest-drone search at ${EXPLAIN_DRONES} idle drones, EXPLAIN (ANALYZE, BUFFERS):\n` +
      `${plan.replace(/^/gm, '  ')}`,
  );
  const planMs = [...plan.matchAll(/Execution Time: ([\d.]+) ms/g)].reduce((ms, m) => ms + Number(m[1]), 0);

  const ceiling = await trivialClaimLoop(4);
  console.log(
    `\nBaseline, trivial claim loop (SKIP LOCKED claim + update, 4 connections): ` +
      `${ceiling.perSecond.toFixed(0)} orders/s`,
  );

  const runs: WorkerRun[] = [];
  for (const n of WORKER_COUNTS) {
    const r = await runWorkers(n);
    runs.push(r);
    console.log(
      `\n${n} worker${n > 1 ? 's' : ''}: ${r.assigned} assigned in ${r.seconds.toFixed(1)} s = ` +
        `${r.perSecond.toFixed(0)} assignments/s; ` +
        `${r.statementsPer.toFixed(2)} statements and ${r.dbMsPer.toFixed(2)} ms of database time per assignment; ` +
        `invariant violations: ${r.violations}`,
    );
    if (r.violations) console.log(`  ${JSON.stringify(r.detail)}`);
    console.log(`  top statements (pg_stat_statements):\n${r.top.map((l) => `    ${l}`).join('\n')}`);
  }
  const one = runs.find((r) => r.workers === 1);
  const four = runs.find((r) => r.workers === 4);
  console.log('\nSummary:');
  for (const r of runs)
    console.log(
      `  ${r.workers} worker(s): ${r.perSecond.toFixed(0)}/s ` +
        `(${(r.perSecond / ceiling.perSecond).toFixed(2)}x the claim-loop ceiling, ` +
        `${r.statementsPer.toFixed(2)} statements/assignment)` +
        `${one && r !== one ? ` (${(r.perSecond / one.perSecond).toFixed(2)}x of 1 worker)` : ''}` +
        `, violations ${r.violations}`,
    );
  console.log(
    `  trivial claim loop ceiling: ${ceiling.perSecond.toFixed(0)}/s; ` +
      `nearest-drone search (walk + lock) at ${EXPLAIN_DRONES} drones: ${planMs.toFixed(3)} ms`,
  );
  if (four)
    console.log(
      `  target >= 500/s with 4 workers: ${four.perSecond >= 500 ? 'met' : 'MISSED'}; ` +
        `4 not slower than 1: ${one ? (four.perSecond >= one.perSecond ? 'met' : 'MISSED') : 'n/a'}`,
    );
  const totalViolations = runs.reduce((a, r) => a + r.violations, 0);
  if (RECORD) {
    appendRunLogRow(
      'dispatch',
      machine,
      `${counts.orders} orders, ${counts.drones} drones, ${counts.lockers} lockers: ` +
        runs
          .map(
            (r) =>
              `${r.workers} worker(s) ${r.perSecond.toFixed(0)}/s ` +
              `(${r.statementsPer.toFixed(2)} statements/assignment)`,
          )
          .join(', ') +
        `; baseline trivial claim loop ${ceiling.perSecond.toFixed(0)}/s; ` +
        `nearest-drone search at ${EXPLAIN_DRONES} drones ${planMs.toFixed(3)} ms; ` +
        `invariant violations ${totalViolations}`,
    );
  }
  if (totalViolations) process.exitCode = 1;
} finally {
  await stopAll();
  await pg.stop();
  if (arg('auto-explain')) console.log(`Server log with the slow plans kept in ${dir}/pg`);
  else rmSync(dir, { recursive: true, force: true });
}
