// npm run bench -- map [--seconds=20] [--drones=2000] [--portals=10] [--no-record] [--no-build] [--cpu-prof]
//                      [--port=N --pg-port=N]
// The live fleet map at fleet size (issue 10, target 7), in real Chromium against the production
// build. Scenario: drones spread over the city with mixed statuses; the busy ones (on a delivery
// or returning) move at 1 Hz, every online one reports (last_seen) at 1 Hz; one drone is
// SELECTED on /admin, so its panel and trail poll too. First the demo fleet (the same-run
// baseline), then the full fleet. Reports main-thread long tasks (calibrated observer), the fleet
// feed's bytes per second per portal as the browser received them, and the server's time per
// update (its Server-Timing header). Then N HTTP pollers with the admin cookie, against one
// poller in the same run, show that N portals share one snapshot load per interval.
// --cpu-prof also profiles the page's main thread (DevTools protocol) during the full-fleet run
// and prints where its time went; the profiler's own cost skews that run, so nothing is recorded.
import '../scripts/lib/dotenv';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import postgres from 'postgres';
import { portIsFree } from '@/db/embedded';
import { ensureProductionBuild } from './lib/app';
import { summarizeCpuProfile, type CpuProfile } from './lib/cpu-profile';
import { appendRunLogRow, describeMachine, machineInfo } from './lib/report';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const SECONDS = Number(arg('seconds') ?? 20);
const FLEET = Number(arg('drones') ?? 2000);
const PORTALS = Number(arg('portals') ?? 10);
const CPU_PROF = process.argv.includes('--cpu-prof');
const RECORD = !process.argv.includes('--no-record') && !CPU_PROF;

async function freePort(from: number) {
  for (let p = from; p < from + 500; p++) if (await portIsFree(p)) return p;
  throw new Error('no free port');
}

async function startApp(dataDir: string, port: number, pgPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      SKIP_BUILD: 'true',
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DATA: dataDir,
      DATABASE_URL: '',
      WORKERS: '0',
      SIMULATOR: 'off',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the app did not start');
}

/**
 * Once a second, in one statement each, as 1 Hz telemetry would: busy drones move (and the
 * selected one leaves a trail row), every online drone's last_seen_at is refreshed.
 */
function fly(sql: postgres.Sql, seconds: number, selected: string) {
  let stop = false;
  const done = (async () => {
    for (let i = 0; i < seconds && !stop; i++) {
      const t0 = Date.now();
      await sql`update drones set last_lat = least(55.85, greatest(55.65, last_lat + (random() - 0.5) * 0.002)),
                                   last_lon = least(37.75, greatest(37.45, last_lon + (random() - 0.5) * 0.003)),
                                   heading_deg = floor(random() * 360), speed_mps = 15, last_seen_at = now()
                where status = 'busy'`;
      await sql`update drones set last_seen_at = now() where status in ('idle', 'charging')`;
      await sql`insert into drone_telemetry
                  (drone_id, recorded_at, lat, lon, heading_deg, speed_mps, battery_level, status)
                select id, now(), last_lat, last_lon, heading_deg, speed_mps, battery_level, status
                from drones where id = ${selected}`;
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
    }
  })();
  return { done, stop: () => (stop = true) };
}

type Result = {
  drones: number;
  longTasks: number;
  longestMs: number;
  over50: number;
  polls: number;
  kibPerSecond: number;
  encodedKiB: number;
  decodedKiB: number;
  serverMedianMs: number;
  serverMaxMs: number;
  /** Of the server time: the feed (shared load or loading, building the answer), and the admin check. */
  feedMedianMs: number;
  authMedianMs: number;
  calibrationMs: number;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] ?? 0) : 0;
};
const r1 = (x: number) => Math.round(x * 10) / 10;

async function measure(
  page: Page,
  sql: postgres.Sql,
  {
    baseUrl,
    drones,
    selected,
    profile = false,
  }: { baseUrl: string; drones: number; selected: string; profile?: boolean },
): Promise<Result & { profile?: CpuProfile }> {
  await page.goto(`${baseUrl}/admin?drone=${selected}`);
  await page.getByTestId('fleet-map').waitFor();
  await page.getByLabel('Selected drone').waitFor();
  await page.waitForTimeout(3000); // first render and fit are not part of the steady state
  await page.evaluate(() => {
    type Poll = { transfer: number; encoded: number; decoded: number; server: number; feed: number; auth: number };
    const w = window as unknown as { __long: number[]; __polls: Poll[] };
    w.__long = [];
    w.__polls = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as PerformanceResourceTiming[]) {
        if (!e.name.includes('/api/admin/fleet')) continue;
        // No named helper here: tsx wraps named functions in a __name() the page does not have.
        const t: Record<string, number> = {};
        for (const s of e.serverTiming) t[s.name] = s.duration;
        w.__polls.push({
          transfer: e.transferSize,
          encoded: e.encodedBodySize,
          decoded: e.decodedBodySize,
          server: t.fleet ?? -1,
          feed: t.feed ?? -1,
          auth: t.auth ?? -1,
        });
      }
    }).observe({ type: 'resource', buffered: false });
  });
  const cdp = profile ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const mover = fly(sql, SECONDS, selected);
  await mover.done;
  const cpuProfile = cdp ? ((await cdp.send('Profiler.stop')).profile as CpuProfile) : undefined;
  await cdp?.detach();
  const { long, polls } = await page.evaluate(() => {
    const w = window as unknown as {
      __long: number[];
      __polls: { transfer: number; encoded: number; decoded: number; server: number; feed: number; auth: number }[];
    };
    return { long: [...w.__long], polls: [...w.__polls] };
  });
  // Calibration: a deliberate 120 ms busy loop must be seen by the same observer, or the
  // zeros above would mean nothing.
  await page.evaluate(() => {
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 120);
    }, 0);
  });
  await page.waitForTimeout(500);
  const calibration = await page.evaluate(() => {
    const w = window as unknown as { __long: number[] };
    return Math.max(0, ...w.__long);
  });
  if (calibration < 100)
    throw new Error(
      `The long-task observer did not see a 120 ms task (saw ${calibration} ms); the measurement is not valid.`,
    );
  if (polls.length < SECONDS / 3)
    throw new Error(`The page polled the fleet ${polls.length} times in ${SECONDS} s; the measurement is not valid.`);
  const sum = (f: (p: (typeof polls)[number]) => number) => polls.reduce((a, p) => a + f(p), 0);
  const server = polls.map((p) => p.server).filter((x) => x >= 0);
  const feed = polls.map((p) => p.feed).filter((x) => x >= 0);
  const auth = polls.map((p) => p.auth).filter((x) => x >= 0);
  return {
    drones,
    longTasks: long.length,
    longestMs: Math.round(Math.max(0, ...long)),
    over50: long.filter((d) => d > 50).length,
    polls: polls.length,
    kibPerSecond: r1(sum((p) => p.transfer) / 1024 / SECONDS),
    encodedKiB: r1(sum((p) => p.encoded) / 1024 / Math.max(1, polls.length)),
    decodedKiB: r1(sum((p) => p.decoded) / 1024 / Math.max(1, polls.length)),
    serverMedianMs: r1(median(server)),
    serverMaxMs: r1(Math.max(0, ...server)),
    feedMedianMs: r1(median(feed)),
    authMedianMs: r1(median(auth)),
    calibrationMs: Math.round(calibration),
    ...(cpuProfile ? { profile: cpuProfile } : {}),
  };
}

type Poller = {
  bytes: number;
  polls: number;
  server: number[];
  feed: number[];
  loaded: number;
  full: number;
  encodings: Set<string>;
};

/** One HTTP poll as a browser would send it (gzip accepted): raw bytes on the wire, not decoded. */
function poll(
  port: number,
  cookie: string,
  since: string | null,
): Promise<{ bytes: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: since ? `/api/admin/fleet?since=${encodeURIComponent(since)}` : '/api/admin/fleet',
        headers: { cookie, 'accept-encoding': 'gzip, deflate, br' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            bytes: chunks.reduce((a, c) => a + c.length, 0),
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function decode(body: Buffer, encoding: string | undefined): Promise<string> {
  const zlib = await import('node:zlib');
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  if (encoding === 'deflate') return zlib.inflateSync(body).toString('utf8');
  return body.toString('utf8');
}

/** `count` portals polling once a second for SECONDS, each holding its version (or none: full snapshots every time). */
async function pollers({
  port,
  cookie,
  count,
  deltas,
}: {
  port: number;
  cookie: string;
  count: number;
  deltas: boolean;
}): Promise<Poller[]> {
  const end = Date.now() + SECONDS * 1000;
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const p: Poller = { bytes: 0, polls: 0, server: [], feed: [], loaded: 0, full: 0, encodings: new Set() };
      let since: string | null = null;
      await new Promise((r) => setTimeout(r, (i * 1000) / count)); // portals are not in step
      while (Date.now() < end) {
        const t0 = Date.now();
        const res = await poll(port, cookie, deltas ? since : null);
        const timing = String(res.headers['server-timing'] ?? '');
        p.bytes += res.bytes;
        p.polls++;
        p.server.push(Number(/fleet;dur=([\d.]+)/.exec(timing)?.[1] ?? -1));
        p.feed.push(Number(/feed;dur=([\d.]+)/.exec(timing)?.[1] ?? -1));
        if (timing.includes('loaded')) p.loaded++;
        if (timing.includes('full')) p.full++;
        const enc = res.headers['content-encoding'];
        p.encodings.add(typeof enc === 'string' ? enc : 'identity');
        since = (JSON.parse(await decode(res.body, typeof enc === 'string' ? enc : undefined)) as { version: string })
          .version;
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
      }
      return p;
    }),
  );
}

function summarize(name: string, ps: Poller[]) {
  const polls = ps.reduce((a, p) => a + p.polls, 0);
  const server = ps.flatMap((p) => p.server);
  const feed = ps.flatMap((p) => p.feed);
  return {
    name,
    portals: ps.length,
    kibPerSecondPerPortal: r1(ps.reduce((a, p) => a + p.bytes, 0) / 1024 / SECONDS / ps.length),
    loadsPerSecond: r1(ps.reduce((a, p) => a + p.loaded, 0) / SECONDS),
    polls,
    fulls: ps.reduce((a, p) => a + p.full, 0),
    serverMedianMs: r1(median(server)),
    serverP95Ms: r1([...server].sort((a, b) => a - b)[Math.floor(server.length * 0.95)] ?? 0),
    feedMedianMs: r1(median(feed)),
    encodings: [...new Set(ps.flatMap((p) => [...p.encodings]))].join(','),
  };
}

async function main() {
  const machine = machineInfo();
  process.stdout.write(`${describeMachine(machine)}\n`);
  // Builds the production app when the sources are newer than .next (a fresh clone has none).
  await ensureProductionBuild({
    noBuild: process.argv.includes('--no-build'),
    log: (line) => process.stdout.write(`[map] ${line}\n`),
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-bench-'));
  const port = Number(arg('port') ?? (await freePort(3600)));
  const pgPort = Number(arg('pg-port') ?? (await freePort(56600)));
  const app = await startApp(path.join(dir, 'pg'), port, pgPort);
  const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${pgPort}/skypost_delivery`, {
    max: 2,
    onnotice: () => {},
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${port}`;
    await page.goto(`${base}/signin?callbackUrl=%2Fadmin`);
    await page.getByLabel('Email', { exact: true }).fill('admin@skypost.com');
    await page.getByLabel('Password', { exact: true }).fill(process.env.SEED_ADMIN_PASSWORD ?? 'admin-skypost-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin');
    const cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');

    // The demo fleet, in the same scenario: half of it busy (moving), spread over the city.
    const demo = await sql<{ id: string }[]>`select id from drones order by id`;
    await sql`update drones set status = case when n % 2 = 0 then 'busy' else 'idle' end,
                                last_lat = 55.65 + random() * 0.2, last_lon = 37.45 + random() * 0.3,
                                last_seen_at = now()
              from (select id, row_number() over (order by id) as n from drones) o where o.id = drones.id`;
    const selected = (await sql<{ id: string }[]>`select id from drones where status = 'busy' order by id limit 1`)[0]!
      .id;
    // Its trail: the last 5 minutes of readings, one every 2 s.
    await sql`insert into drone_telemetry
                (drone_id, recorded_at, lat, lon, heading_deg, speed_mps, battery_level, status)
              select ${selected}, now() - make_interval(secs => g * 2), 55.75 + g * 0.0002, 37.62 + g * 0.0003,
                     90, 15, 80, 'busy'
              from generate_series(1, 150) g`;
    const baseline = await measure(page, sql, { baseUrl: base, drones: demo.length, selected });

    // The fleet: spread over the city; 35% idle, 30% busy, 15% charging, 5% maintenance, 15% offline.
    await sql`insert into drones
                (model, ip_address, status, battery_level, last_lat, last_lon, heading_deg, speed_mps, last_seen_at)
              select 'Bench', '10.200.' || (g / 250) || '.' || (g % 250),
                     case when g % 20 < 7 then 'idle' when g % 20 < 13 then 'busy' when g % 20 < 16 then 'charging'
                          when g % 20 < 17 then 'maintenance' else 'offline' end,
                     20 + g % 80, 55.65 + random() * 0.2, 37.45 + random() * 0.3, floor(random() * 360), 0,
                     case when g % 20 >= 17 then now() - interval '2 hours' else now() end
              from generate_series(1, ${FLEET - demo.length}) g`;
    const loaded = await measure(page, sql, { baseUrl: base, drones: FLEET, selected, profile: CPU_PROF });
    await page.goto('about:blank');

    // HTTP portals while the fleet flies: full snapshots every second (what every portal cost
    // before), one portal on deltas, then N portals on deltas.
    const flying = fly(sql, SECONDS * 3 + 5, selected);
    const fulls = summarize(
      '1 portal, full snapshot every poll (no since)',
      await pollers({ port, cookie, count: 1, deltas: false }),
    );
    const one = summarize('1 portal, deltas', await pollers({ port, cookie, count: 1, deltas: true }));
    const many = summarize(`${PORTALS} portals, deltas`, await pollers({ port, cookie, count: PORTALS, deltas: true }));
    flying.stop();
    await flying.done;

    const row = (r: Result) =>
      `| ${r.drones} | ${r.polls} | ${r.over50} | ${r.longestMs} | ${r.kibPerSecond} | ` +
      `${r.encodedKiB} / ${r.decodedKiB} | ${r.serverMedianMs} / ${r.serverMaxMs} | ` +
      `${r.feedMedianMs} / ${r.authMedianMs} | ${r.calibrationMs} |`;
    const prow = (s: ReturnType<typeof summarize>) =>
      `| ${s.name} | ${s.polls} | ${s.fulls} | ${s.kibPerSecondPerPortal} | ${s.loadsPerSecond} | ` +
      `${s.serverMedianMs} / ${s.serverP95Ms} | ${s.feedMedianMs} | ${s.encodings} |`;
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    process.stdout.write(
      [
        '',
        `Fleet map, ${SECONDS} s per run, busy drones moving at 1 Hz, online ones reporting at 1 Hz, ` +
          `one drone selected with its trail (Chromium ${browser.version()}):`,
        '',
        '| drones | polls | tasks over 50 ms | longest task (ms) | feed KiB/s on the wire | ' +
          'KiB per poll, encoded / decoded | server ms per poll, median / max | ' +
          'of which feed / admin check, median ms | calibration: 120 ms loop seen as (ms) |',
        '|---|---|---|---|---|---|---|---|---|',
        row(baseline),
        row(loaded),
        '',
        `HTTP portals with the admin cookie, ${SECONDS} s each, ${FLEET} drones flying:`,
        '',
        '| case | polls | full snapshots | KiB/s per portal on the wire | snapshot loads per second (all portals) | ' +
          'server ms per poll, median / p95 | of which feed, median ms | content-encoding |',
        '|---|---|---|---|---|---|---|---|',
        prow(fulls),
        prow(one),
        prow(many),
        '',
        `Target: no task over 50 ms -> ${met(loaded.over50 === 0)} (${loaded.over50}; demo fleet ${baseline.over50})`,
        `Target: feed at most 40 KiB/s per portal -> ${met(loaded.kibPerSecond <= 40)} ` +
          `(browser ${loaded.kibPerSecond} KiB/s; full snapshots would be ${fulls.kibPerSecondPerPortal} KiB/s)`,
        `Target: at most 10 ms server time per update -> ${met(loaded.feedMedianMs <= 10)} ` +
          `(feed median ${loaded.feedMedianMs} ms of ${loaded.serverMedianMs} ms in the browser run; ` +
          `${PORTALS} portals: feed ${many.feedMedianMs} of ${many.serverMedianMs} ms; ` +
          `the admin check is ${loaded.authMedianMs} ms)`,
        `Target: ${PORTALS} portals do not cost ${PORTALS} snapshots a second -> ${met(many.loadsPerSecond <= 1.2)} ` +
          `(${many.loadsPerSecond} loads/s for ${PORTALS} portals, ${one.loadsPerSecond} for 1)`,
        '',
        ...(loaded.profile
          ? [
              `(--cpu-prof: the ${FLEET}-drone run above was profiled, ` +
                `which costs the page time of its own; not recorded.)`,
              '',
              summarizeCpuProfile(loaded.profile, {
                window: null,
                top: 30,
                subject: `the /admin page's main thread, ${FLEET} drones`,
              }),
              '',
            ]
          : []),
      ].join('\n'),
    );
    if (RECORD) {
      appendRunLogRow(
        'map',
        machine,
        `${SECONDS} s per run, Chromium ${browser.version()}, busy drones moving, one selected: ` +
          `demo fleet (${baseline.drones}) ${baseline.over50} tasks over 50 ms (longest ${baseline.longestMs} ms); ` +
          `${FLEET} drones ${loaded.over50} tasks over 50 ms (longest ${loaded.longestMs} ms), ` +
          `feed ${loaded.kibPerSecond} KiB/s per portal (full snapshots ${fulls.kibPerSecondPerPortal} KiB/s), ` +
          `server ${loaded.serverMedianMs} ms median per poll (feed ${loaded.feedMedianMs} ms); ` +
          `${PORTALS} HTTP portals: ${many.loadsPerSecond} snapshot loads/s (1 portal ${one.loadsPerSecond}), ` +
          `server ${many.serverMedianMs} ms median (feed ${many.feedMedianMs} ms); ` +
          `load ${os
            .loadavg()
            .map((x) => x.toFixed(1))
            .join('/')} at the end; calibration ${loaded.calibrationMs} ms`,
      );
    }
  } finally {
    await browser.close();
    await sql.end();
    if (app.pid) process.kill(-app.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 4000));
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
