// The production app for a benchmark, started the way an operator starts it: the launcher
// (`node --import tsx scripts/start.ts`) serving the current production build, with its own
// embedded PostgreSQL in a temporary folder, on free ports of 127.0.0.1. It seeds an admin and
// a customer with passwords made up for this run (never the public demo ones: the launcher
// runs with NODE_ENV=production), registers drones with real device keys through the same
// code the admin portal uses, and signs both accounts in through next-auth's credentials flow.
// Whatever happens (an error, Ctrl-C, a plain exit), everything it started is stopped and the
// temporary folder removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Sql } from 'postgres';
import { createDb, createSql, type Db } from '@/db';
import { portIsFree } from '@/db/embedded';
import { parcelAutomats, users } from '@/db/schema';
import { SEED_ADMIN_EMAIL, SEED_CUSTOMER_EMAIL } from '@/scripts/lib/seed';
import type { AuditContext } from '@/lib/admin/audit';
import { createDrone } from '@/lib/admin/drones';
import { issueDeviceKey } from '@/lib/device-keys/issue';
import { parseCoordinates, type LatLon } from '@/lib/geo';
import { buildIsCurrent, buildProduction } from '../../scripts/lib/build';
import { alive, allProcs, cpuMs, descendants, postmasterPid, waitForExit, type Proc } from './procs';

export type BenchDrone = { id: string; key: string; home: LatLon };
export type Account = { email: string; password: string; userId: string; cookie: string };

export type StartOptions = {
  /** Drones to register, each with its own device key, parked across the city. Default 0. */
  drones?: number;
  /** Order workers the launcher runs (WORKERS). Default 0. */
  workers?: number;
  /** The demo fleet simulator (SIMULATOR=on). Default off. */
  simulator?: boolean;
  /** Where the search for a free web port starts. Default 4600. */
  port?: number;
  /** Where the search for a free PostgreSQL port starts. Default 56600. */
  pgPort?: number;
  /** More environment for the launcher and every process it starts. */
  env?: Record<string, string>;
  /** Progress lines (default: stdout, prefixed with the time). */
  log?: (line: string) => void;
  /** How long the app may take to answer /api/health. Default 120 s. */
  healthTimeoutMs?: number;
};

export type StopReport = { leftovers: string[]; notes: string[] };

export type WebServerOptions = {
  /** Where the search for a free port starts. Default: just above the app's port. */
  port?: number;
  /** Write the server's V8 CPU profile (node --cpu-prof) into this folder when it stops. */
  cpuProfileDir?: string;
  /** More environment for this server. */
  env?: Record<string, string>;
};

export type WebServer = {
  baseUrl: string;
  port: number;
  pid: number;
  /** SIGTERM (the server finishes what is in flight, then exits), SIGKILL after 20 s. Idempotent. */
  stop: () => Promise<void>;
  /** The main thread's .cpuprofile file, once stopped (with `cpuProfileDir`). */
  profile: () => string | null;
};

export type App = {
  baseUrl: string;
  port: number;
  pgPort: number;
  /** The embedded database, for the benchmark's own checks (counting rows, EXPLAIN). */
  databaseUrl: string;
  /** A small pool (2 connections) on the app's database, closed by stop(). */
  sql: Sql;
  db: Db;
  admin: Account;
  customer: Account;
  drones: BenchDrone[];
  launcherPid: number;
  /** The web server's pid (the launcher's `scripts/web-server.ts` child), while it runs. */
  webPid: () => number | null;
  /**
   * CPU time used so far, in ms: the launcher's web server, its order workers, and PostgreSQL
   * (every backend, including those that have exited). Differences between two calls give the
   * cost of what ran in between, a figure a busy machine distorts far less than req/s.
   */
  cpuMs: () => { web: number; workers: number; postgres: number };
  /** The environment the launcher was given (what another web server on this database needs). */
  env: NodeJS.ProcessEnv;
  /** The temporary folder (removed by stop()): logs and anything else of this run. */
  dir: string;
  /** The launcher's log (JSON lines, warnings and errors), e.g. for a failure message. */
  logTail: (lines?: number) => string;
  /**
   * Another web server (scripts/web-server.ts, production) on the same database, started
   * directly rather than by the launcher: a second instance, or one run with node flags the
   * launcher does not pass (`--cpu-prof` is refused in NODE_OPTIONS). stop() stops it too.
   */
  startWebServer: (opts?: WebServerOptions) => Promise<WebServer>;
  /**
   * Stops extra web servers, then the launcher (web, workers, database in order), kills anything left, removes the
   * temporary folder. Idempotent.
   */
  stop: () => Promise<StopReport>;
};

const defaultLog = (line: string) =>
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** The first free port on 127.0.0.1 at or after `from`. */
export async function freePort(from: number, count = 500): Promise<number> {
  for (let p = from; p < from + count; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port in ${from}-${from + count - 1}`);
}

/**
 * Makes sure `.next` holds a production build of the current sources (`npm run build` when
 * anything changed), so the launcher can serve it with SKIP_BUILD=true. `noBuild` serves
 * whatever build exists.
 */
export async function ensureProductionBuild(
  opts: { noBuild?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? defaultLog;
  if (!opts.noBuild && !buildIsCurrent()) {
    log('Building the production app (npm run build) once; the launcher then serves it with SKIP_BUILD=true');
    const code = await buildProduction();
    if (code !== 0) throw new Error(`npm run build failed (exit ${code})`);
  } else if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) {
    throw new Error('There is no production build in .next: run `npm run build` first.');
  }
}

/** Cookies a response sets, merged into a jar (name -> value). */
function keepCookies(jar: Map<string, string>, res: Response) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const at = pair?.indexOf('=') ?? -1;
    if (pair && at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/**
 * Signs in through next-auth's credentials flow, as the contract describes it and the e2e
 * helpers do it (CSRF token, then the form post), and returns the Cookie header that carries
 * the session. Throws unless the session then names a user.
 */
export async function signIn(
  baseUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; userId: string }> {
  const jar = new Map<string, string>();
  const csrfRes = await fetch(`${baseUrl}/api/auth/csrf`, { signal: AbortSignal.timeout(15_000) });
  keepCookies(jar, csrfRes);
  const token = ((await csrfRes.json()) as { csrfToken?: string }).csrfToken;
  if (!token) throw new Error(`no CSRF token from ${baseUrl}/api/auth/csrf (${csrfRes.status})`);
  const callback = await fetch(`${baseUrl}/api/auth/callback/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email, password, csrfToken: token }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(15_000),
  });
  keepCookies(jar, callback);
  const session = await fetch(`${baseUrl}/api/auth/session`, {
    headers: { cookie: cookieHeader(jar) },
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await session.json()) as { user?: { id?: string } } | null;
  const userId = body?.user?.id;
  if (!userId)
    throw new Error(`sign-in failed for ${email} (callback ${callback.status}, session ${JSON.stringify(body)})`);
  return { cookie: cookieHeader(jar), userId };
}

/** The working lockers' bounding box, widened a little: where the city's drones fly. */
async function cityBox(db: Db): Promise<{ south: number; north: number; west: number; east: number }> {
  const rows = await db.select({ coordinates: parcelAutomats.coordinates }).from(parcelAutomats);
  if (rows.length === 0) throw new Error('The database has no parcel locker: the launcher seeded none.');
  const at = rows.map((r) => parseCoordinates(r.coordinates));
  const lats = at.map((p) => p.lat);
  const lons = at.map((p) => p.lon);
  const pad = 0.02;
  return {
    south: Math.min(...lats) - pad,
    north: Math.max(...lats) + pad,
    west: Math.min(...lons) - pad,
    east: Math.max(...lons) + pad,
  };
}

/**
 * Registers `count` drones as the admin portal does (createDrone: the row and its audit
 * entry; then a device key, of which only the hash is stored), and parks them across the
 * city, idle, with a position and battery as if each had reported once. Four at a time.
 */
export async function registerDrones(
  db: Db,
  sql: Sql,
  { count, admin }: { count: number; admin: { userId: string; email: string } },
): Promise<BenchDrone[]> {
  if (count <= 0) return [];
  const ctx: AuditContext = {
    userId: admin.userId,
    userEmail: admin.email,
    ip: '127.0.0.1',
    userAgent: 'bench/lib/app',
  };
  const box = await cityBox(db);
  const out: BenchDrone[] = new Array<BenchDrone>(count);
  let next = 0;
  const one = async () => {
    for (let i = next++; i < count; i = next++) {
      const d = await createDrone(db, ctx, {
        model: 'Bench drone',
        ip_address: `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      });
      const key = await issueDeviceKey(db, 'drone', d.id);
      out[i] = {
        id: d.id,
        key,
        home: {
          lat: box.south + Math.random() * (box.north - box.south),
          lon: box.west + Math.random() * (box.east - box.west),
        },
      };
    }
  };
  await Promise.all([one(), one(), one(), one()]);
  await sql`
    update drones d set status = 'idle', last_lat = p.lat, last_lon = p.lon, battery_level = p.battery,
                        last_seen_at = now(), updated_at = now()
    from unnest(${sql.array(out.map((x) => x.id))}::uuid[], ${sql.array(out.map((x) => x.home.lat))}::float8[],
                ${sql.array(out.map((x) => x.home.lon))}::float8[],
                ${sql.array(out.map(() => 60 + Math.round(Math.random() * 40)))}::float8[])
         as p(id, lat, lon, battery)
    where d.id = p.id`;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Every app started here, so a signal or an exit can stop them all.

type Live = {
  launcher: ChildProcess;
  extras: Set<ChildProcess>;
  pgData: string;
  dir: string;
  seen: Map<number, Proc>;
  stop: () => Promise<StopReport>;
};
const live = new Set<Live>();
let handlersInstalled = false;

function remember(l: Live) {
  if (!l.launcher.pid) return;
  const procs = allProcs();
  for (const x of l.extras) {
    const p = x.pid === undefined ? undefined : procs.find((q) => q.pid === x.pid);
    if (p) l.seen.set(p.pid, p);
  }
  const pm = postmasterPid(l.pgData);
  const pmProc = pm === null ? undefined : procs.find((p) => p.pid === pm);
  for (const p of [
    ...descendants(l.launcher.pid, procs),
    ...(pmProc ? [pmProc, ...descendants(pmProc.pid, procs)] : []),
  ])
    l.seen.set(p.pid, p);
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n${signal}: stopping the app${live.size === 1 ? '' : 's'} this benchmark started\n`);
      void Promise.allSettled([...live].map((l) => l.stop())).then(() => process.exit(code));
    });
  }
  // Last resort (a crash, process.exit): kill synchronously what is still running, drop the folders.
  process.on('exit', () => {
    for (const l of live) {
      try {
        remember(l);
      } catch {
        // /proc unreadable: kill what we saw before
      }
      const kill = (pid: number, signal: NodeJS.Signals) => {
        try {
          process.kill(pid, signal);
        } catch {
          // gone
        }
      };
      const pm = postmasterPid(l.pgData);
      if (pm !== null) kill(pm, 'SIGQUIT');
      for (const p of l.seen.values()) if (p.pid !== pm && alive(p)) kill(p.pid, 'SIGKILL');
      for (const x of l.extras) if (x.pid) kill(x.pid, 'SIGKILL');
      if (l.launcher.pid) kill(l.launcher.pid, 'SIGKILL');
      rmSync(l.dir, { recursive: true, force: true });
    }
  });
}

function tail(file: string, lines: number): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}

/**
 * Starts the app and returns it ready: healthy, accounts signed in, drones registered.
 * Call `stop()` when done (also done on Ctrl-C, SIGTERM and exit).
 */
export async function startApp(opts: StartOptions = {}): Promise<App> {
  const log = opts.log ?? defaultLog;
  installHandlers();
  const port = await freePort(opts.port ?? 4600, 50);
  const pgPort = await freePort(opts.pgPort ?? 56600, 50);
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-bench-'));
  const pgData = path.join(dir, 'pg');
  const logFile = path.join(dir, 'launcher.log');
  const adminPassword = `bench-admin-${randomBytes(9).toString('base64url')}`;
  const customerPassword = `bench-customer-${randomBytes(9).toString('base64url')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: '',
    PORT: String(port),
    BIND_HOST: '127.0.0.1',
    EMBEDDED_PG_PORT: String(pgPort),
    EMBEDDED_PG_DATA: pgData,
    NODE_ENV: 'production',
    NEXTAUTH_SECRET: randomBytes(48).toString('base64url'),
    NEXTAUTH_URL: baseUrl,
    SEED_ADMIN_PASSWORD: adminPassword,
    SEED_CUSTOMER_PASSWORD: customerPassword,
    SMS_LOG_CODES: 'true',
    SIMULATOR: opts.simulator ? 'on' : 'off',
    WORKERS: String(opts.workers ?? 0),
    SKIP_BUILD: 'true',
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };

  log(
    `Starting the launcher on ${baseUrl} ` +
      `(PostgreSQL on 127.0.0.1:${pgPort}, WORKERS=${env.WORKERS}, SIMULATOR=${env.SIMULATOR}), data in ${dir}`,
  );
  const fd = openSync(logFile, 'a');
  // Its own process group: a Ctrl-C in the terminal reaches the benchmark, which stops the
  // launcher, which stops its children in order.
  const launcher = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const seen = new Map<number, Proc>();
  let stopping: Promise<StopReport> | null = null;
  let sql: Sql | null = null;

  const webPid = (): number | null => {
    if (!launcher.pid) return null;
    const procs = allProcs();
    return (
      descendants(launcher.pid, procs).find((p) => p.ppid === launcher.pid && p.cmd.includes('scripts/web-server.ts'))
        ?.pid ?? null
    );
  };

  const doStop = async (): Promise<StopReport> => {
    const notes: string[] = [];
    remember(entry);
    await Promise.all(
      [...entry.extras].map(async (x) => {
        x.kill('SIGTERM');
        if (!(await waitForExit(x, 20_000))) {
          notes.push(`web server ${x.pid} did not stop within 20 s of SIGTERM; killed`);
          x.kill('SIGKILL');
        }
      }),
    );
    if (sql) await sql.end({ timeout: 5 }).catch(() => {});
    if (launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill('SIGTERM');
      if (!(await waitForExit(launcher, 60_000))) {
        notes.push('the launcher did not stop within 60 s of SIGTERM; killed');
        launcher.kill('SIGKILL');
        await waitForExit(launcher, 5_000);
      }
    }
    // What the launcher owned should be gone with it; give stragglers a moment, then kill them.
    const until = Date.now() + 5_000;
    while (Date.now() < until && [...seen.values()].some(alive)) await new Promise((r) => setTimeout(r, 200));
    const leftovers = [...seen.values()].filter(alive);
    for (const p of leftovers) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
    live.delete(entry);
    return { leftovers: leftovers.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`), notes };
  };
  const entry: Live = { launcher, extras: new Set(), pgData, dir, seen, stop: () => (stopping ??= doStop()) };
  live.add(entry);

  const fail = async (message: string): Promise<never> => {
    const logText = tail(logFile, 30);
    await entry.stop();
    throw new Error(`${message}\nLauncher log (last lines):\n${logText}`);
  };

  // Healthy, or the launcher gave up.
  const deadline = Date.now() + (opts.healthTimeoutMs ?? 120_000);
  for (;;) {
    if (stopping) throw new Error('stopped while starting');
    if (launcher.exitCode !== null || launcher.signalCode !== null)
      await fail(`The launcher exited (${launcher.exitCode ?? launcher.signalCode}) before the app became healthy.`);
    if (Date.now() > deadline)
      await fail(
        `The app did not answer ${baseUrl}/api/health ` +
          `within ${Math.round((opts.healthTimeoutMs ?? 120_000) / 1000)} s.`,
      );
    try {
      if ((await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3000) })).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  remember(entry);

  try {
    const databaseUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/skypost_delivery`;
    sql = createSql(databaseUrl, 2);
    const db = createDb(sql);
    const [adminRow] = await db.select({ id: users.id }).from(users).where(eq(users.email, SEED_ADMIN_EMAIL));
    if (!adminRow) throw new Error(`the launcher seeded no admin (${SEED_ADMIN_EMAIL})`);
    const [adminSession, customerSession] = [
      await signIn(baseUrl, SEED_ADMIN_EMAIL, adminPassword),
      await signIn(baseUrl, SEED_CUSTOMER_EMAIL, customerPassword),
    ];
    const admin: Account = { email: SEED_ADMIN_EMAIL, password: adminPassword, ...adminSession };
    const customer: Account = { email: SEED_CUSTOMER_EMAIL, password: customerPassword, ...customerSession };
    const count = opts.drones ?? 0;
    if (count > 0) log(`Registering ${count} drones with device keys`);
    const drones = await registerDrones(db, sql, { count, admin });
    // One key checked end to end, so a broken setup fails here and not as a wall of 401s.
    const first = drones[0];
    if (first) {
      const res = await fetch(`${baseUrl}/api/drones/${first.id}/task`, {
        headers: { authorization: `Bearer ${first.key}` },
      });
      if (res.status !== 200 && res.status !== 204)
        throw new Error(`a registered drone's key was refused: GET /api/drones/{id}/task -> ${res.status}`);
    }
    return {
      baseUrl,
      port,
      pgPort,
      databaseUrl,
      sql,
      db,
      admin,
      customer,
      drones,
      launcherPid: launcher.pid ?? -1,
      webPid,
      env,
      dir,
      cpuMs: () => {
        const procs = allProcs();
        const mine = launcher.pid ? procs.filter((p) => p.ppid === launcher.pid) : [];
        const pm = postmasterPid(pgData);
        const pg = pm === null ? [] : [pm, ...descendants(pm, procs).map((p) => p.pid)];
        return {
          web: mine.filter((p) => p.cmd.includes('scripts/web-server.ts')).reduce((s, p) => s + cpuMs(p.pid), 0),
          workers: mine.filter((p) => p.cmd.includes('scripts/worker.ts')).reduce((s, p) => s + cpuMs(p.pid), 0),
          postgres: pg.reduce((s, pid) => s + cpuMs(pid, pid === pm), 0),
        };
      },
      startWebServer: (o: WebServerOptions = {}) =>
        startWebServer(entry, { appEnv: env, databaseUrl, appPort: port, opts: o, log }),
      logTail: (lines = 30) => tail(logFile, lines),
      stop: entry.stop,
    };
  } catch (err) {
    return fail(`Setting up the app failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function startWebServer(
  entry: Live,
  {
    appEnv,
    databaseUrl,
    appPort,
    opts,
    log,
  }: {
    appEnv: NodeJS.ProcessEnv;
    databaseUrl: string;
    appPort: number;
    opts: WebServerOptions;
    log: (line: string) => void;
  },
): Promise<WebServer> {
  const port = await freePort(opts.port ?? appPort + 1, 50);
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(entry.dir, `web-${port}.log`);
  const fd = openSync(logFile, 'a');
  const args = [
    ...(opts.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfileDir}`] : []),
    '--import',
    'tsx',
    'scripts/web-server.ts',
  ];
  log(
    `Starting another web server on ${baseUrl}${opts.cpuProfileDir ? ` (CPU profile into ${opts.cpuProfileDir})` : ''}`,
  );
  const child = spawn(process.execPath, args, {
    env: {
      ...appEnv,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NEXTAUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      ...opts.env,
    },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  entry.extras.add(child);
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 20_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      entry.extras.delete(child);
    })());
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `The web server on ${baseUrl} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile, 20)}`,
      );
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The web server on ${baseUrl} did not become healthy:\n${tail(logFile, 20)}`);
    }
    try {
      if ((await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(3000) })).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    baseUrl,
    port,
    pid: child.pid ?? -1,
    stop,
    profile: () => {
      const profDir = opts.cpuProfileDir;
      if (!profDir || !stopped || !existsSync(profDir)) return null;
      const name = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${child.pid}.0.`));
      return name ? path.join(profDir, name) : null;
    },
  };
}
