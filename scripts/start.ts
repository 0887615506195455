// npm start / npm run dev — the launcher: database (embedded unless DATABASE_URL is set),
// migrations, first-run seed, then the web server, the order workers and the demo fleet. It
// supervises them all (restart with backoff, each restart logged with its cause) and stops
// them in order on the first signal: web, then workers and simulator, then the database.
// `npm start` runs it with `exec node`, so signals reach it with no relay in between.
import './lib/dotenv';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DEMO_CREDENTIALS, env, EnvError, launcherEnv, type Env } from '@/env';
import { createDb, createSql } from '@/db';
import { EmbeddedPostgresError } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import {
  currentDemoDeviceKeys,
  demoCredentialsInUse,
  isDatabaseEmpty,
  SEED_ADMIN_EMAIL,
  SEED_CUSTOMER_EMAIL,
  seedDatabase,
  seededLogins,
  type SeedSummary,
} from '@/scripts/lib/seed';
import { logger } from '@/lib/logger';
import { buildIsCurrent, buildProduction } from './lib/build';
import { openDatabase, redactUrl, type OpenDatabase } from './lib/database';
import { formatSeedReport } from './lib/seed-report';
import { productionSeedNotes, seedOptions } from './lib/seed-options';
import { exitCause, RestartPolicy, SupervisedProcess } from './lib/supervisor';

const log = logger.child({ scope: 'launcher' });
const dev = process.argv.includes('--dev');
const root = process.cwd();

let database: OpenDatabase | null = null;
/** Set while the database is being restarted after a crash; shutdown waits for it. */
let databaseRestart: Promise<void> | null = null;
let web: SupervisedProcess | null = null;
const workers: SupervisedProcess[] = [];
let simulator: SupervisedProcess | null = null;
let shuttingDown = false;
let forcing = false;
let firstSignalAt = 0;

const children = () => [web, ...workers, simulator].filter((c): c is SupervisedProcess => c !== null);

function fail(message: string): never {
  log.error(message);
  process.exit(1);
}

/** The dev/demo NEXTAUTH_SECRET: generated once, kept in .data so sessions survive restarts. */
function localSecret(): string {
  const file = path.join(root, '.data', 'nextauth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function buildIfNeeded() {
  if (buildIsCurrent()) {
    log.info('Production build is up to date');
    return;
  }
  if (env().SKIP_BUILD) {
    if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID')))
      fail('SKIP_BUILD is set but there is no production build in .next. Run `npm run build` first.');
    log.warn('SKIP_BUILD is set: serving the existing build in .next although sources changed since it was made');
    return;
  }
  log.info('Building the production app (first start or sources changed; this takes a minute or two)');
  const started = Date.now();
  const code = await buildProduction();
  if (code !== 0) fail(`next build failed (exit ${code}); see the output above.`);
  log.info('Build finished', { seconds: Math.round((Date.now() - started) / 1000) });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !shuttingDown) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * The one ordered shutdown, whatever asked for it: web first (no new requests, those in
 * flight finish), then the workers and the simulator, then the database, so no request or
 * claim is cut off mid-transaction by a vanished database.
 */
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (web?.running()) log.info('Stopping the web server');
  await web?.stop(15_000);
  const rest = [...workers, simulator].filter((c): c is SupervisedProcess => c !== null);
  if (workers.some((w) => w.running()))
    log.info('Stopping the order workers', { count: workers.filter((w) => w.running()).length });
  if (simulator?.running()) log.info('Stopping the fleet simulator');
  await Promise.all(rest.map((c) => c.stop(20_000)));
  await databaseRestart;
  if (database?.embedded) log.info('Stopping the embedded PostgreSQL server');
  await database?.stop();
  log.info('Stopped');
  exitAfterFlush(code);
}

/** process.exit drops output still queued for a pipe; the last lines matter to whoever reads the log. */
function exitAfterFlush(code: number) {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
  setTimeout(() => process.exit(code), 1000).unref();
}

/** A second stop request (after the first second): no more waiting, but the database still stops. */
async function forceStop() {
  if (forcing) return;
  forcing = true;
  shuttingDown = true;
  log.warn('Stopping at once: killing the web server, workers and simulator; PostgreSQL does an immediate shutdown');
  for (const c of children()) c.kill();
  await databaseRestart;
  await database?.embedded?.stopNow();
  log.info('Stopped');
  exitAfterFlush(1);
}

function onSignal(signal: NodeJS.Signals) {
  const now = Date.now();
  if (!shuttingDown) {
    firstSignalAt = now;
    log.info(`Received ${signal}; shutting down (web, then workers and simulator, then the database)`);
    void shutdown(0);
    return;
  }
  // One Ctrl-C can arrive twice (the terminal signals the whole foreground group; npm also
  // forwards it), and systemd signals every process: copies within a second are one signal.
  if (now - firstSignalAt < 1000) return;
  log.warn(`Received ${signal} again; stopping at once`);
  void forceStop();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => onSignal(signal));

// Whatever ends this process (a crash, process.exit), nothing it owns outlives it: children
// are killed and the database gets an immediate shutdown. (A SIGKILL skips this; then the
// children see their IPC channel close and the database's watchdog stops it.)
process.on('exit', () => {
  for (const c of children()) c.kill();
  database?.embedded?.stopSync();
});

// A launcher whose parent died (a closed terminal, a killed npm) has nobody to answer to.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !shuttingDown) {
    log.warn("The launcher's parent process exited; shutting down", { parent: parentPid });
    void shutdown(0);
  }
}, 1000).unref();

/** Checks the port on the address the web server will bind. */
function webPortIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * A bind beyond loopback is refused while credentials anyone can read in the repository still
 * work: the demo passwords of the seeded accounts and the device keys derived from the
 * committed key seed. The message says what to do about each.
 */
async function refuseOpenBindWithDemoCredentials(e: Env, url: string): Promise<string | null> {
  if (isLoopback(e.BIND_HOST)) return null;
  const sql = createSql(url, 1, { prepare: e.DATABASE_PREPARE });
  try {
    const inUse = await demoCredentialsInUse(createDb(sql), {
      adminPassword: DEMO_CREDENTIALS.adminPassword,
      customerPassword: DEMO_CREDENTIALS.customerPassword,
      keySeeds: [DEMO_CREDENTIALS.deviceKeySeed, e.DEMO_DEVICE_KEY_SEED],
    });
    const problems: string[] = [];
    if (inUse.adminPassword)
      problems.push(
        `${SEED_ADMIN_EMAIL} still has the demo password: sign in and change it (Account page), or delete the account.`,
      );
    if (inUse.customerPassword)
      problems.push(
        `${SEED_CUSTOMER_EMAIL} still has the demo password: ` +
          'change it, or delete the account in the admin portal (Users).',
      );
    if (inUse.deviceKeys.length) {
      const sample = inUse.deviceKeys[0]!;
      problems.push(
        `${inUse.deviceKeys.length} devices still accept demo keys (derived from DEMO_DEVICE_KEY_SEED): ` +
          'issue each a new key in the admin portal (drone or locker page, "Rotate key") ' +
          `or with \`npm run device-key -- ${sample.kind} ${sample.id}\` (one per device).`,
      );
    }
    if (!problems.length) return null;
    return [
      `Refusing to listen on BIND_HOST=${e.BIND_HOST}: that address is reachable from other machines, ` +
        'and the public demo credentials still work in this database:',
      ...problems.map((p) => `  - ${p}`),
      'Fix these (start with the default BIND_HOST=127.0.0.1 meanwhile), or keep BIND_HOST=127.0.0.1 ' +
        'and publish the app through a reverse proxy on the same machine (set TRUSTED_PROXY_HOPS=1).',
      'A fresh NODE_ENV=production install seeds no demo credentials at all (see the README, "Launcher").',
    ].join('\n');
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Restarts the embedded PostgreSQL when it dies while we run (the OOM killer, a crash, someone
 * stopping it): crash recovery replays the WAL; the web server and workers reconnect on their
 * next query. Backs off, and gives up (shutting everything down) after repeated fast crashes.
 */
function superviseDatabase(policy: RestartPolicy) {
  const embedded = database?.embedded;
  if (!embedded) return;
  void embedded.exited.then(async ({ code, signal }) => {
    // Give a simultaneous stop signal (systemd's SIGTERM to every process) time to land.
    await new Promise((r) => setTimeout(r, 200));
    if (shuttingDown) return;
    const cause = exitCause(code, signal);
    let restarting: () => void = () => {};
    databaseRestart = new Promise<void>((r) => (restarting = r));
    try {
      for (;;) {
        const next = policy.next();
        if (!next) {
          restarting();
          databaseRestart = null;
          giveUp(
            `PostgreSQL keeps dying (${policy.describe()}; last: ${cause}); ` +
              'see its log (the data folder\'s name + ".log").',
          );
          return;
        }
        log.error(`PostgreSQL exited unexpectedly (${cause}); restarting it`, {
          code,
          signal,
          in_ms: next.delayMs,
          restart: next.attempt,
        });
        await new Promise((r) => setTimeout(r, next.delayMs));
        if (shuttingDown) return;
        const started = Date.now();
        try {
          database = await openDatabase(log);
          log.warn(
            'PostgreSQL restarted (crash recovery done); the web server and workers reconnect on their next query',
            {
              restart: next.attempt,
              ms: Date.now() - started,
            },
          );
          superviseDatabase(policy);
          return;
        } catch (err) {
          log.error('Restarting PostgreSQL failed; will retry', {
            err: err instanceof Error ? err.message : String(err),
          });
        }
      }
    } finally {
      restarting();
      databaseRestart = null;
    }
  });
}

function giveUp(message: string) {
  if (shuttingDown) return;
  log.error(`${message} Shutting down.`);
  void shutdown(1);
}

async function main() {
  let e;
  try {
    e = launcherEnv(localSecret, dev);
  } catch (err) {
    fail(err instanceof EnvError ? err.message : String(err));
  }
  const port = e.PORT;
  const baseUrl = e.NEXTAUTH_URL ?? `http://localhost:${port}`;
  const secret = e.NEXTAUTH_SECRET;
  if (!secret) fail('NEXTAUTH_SECRET is required.');

  try {
    database = await openDatabase(log);
  } catch (err) {
    const reason = err instanceof EmbeddedPostgresError || err instanceof Error ? err.message : String(err);
    fail(`The database could not be started.\n${reason}`);
  }
  log.info(database.embedded ? 'Embedded PostgreSQL 17 is running' : 'Using DATABASE_URL', {
    database: redactUrl(database.url),
  });

  try {
    await runMigrations(database.directUrl);
  } catch (err) {
    log.error('Migrations failed', { err });
    return shutdown(1);
  }
  log.info('Migrations applied');

  // Startup work that serialises on advisory locks goes straight to PostgreSQL, not through a pooler.
  const sql = createSql(database.directUrl, 2);
  let report: SeedSummary | null = null;
  try {
    const db = createDb(sql);
    const options = seedOptions();
    if (database.embedded && (await isDatabaseEmpty(db))) {
      log.info(
        e.isProduction
          ? 'Empty database: seeding the demo city (production: no demo credentials)'
          : 'Empty database: seeding the demo data',
      );
      report = await seedDatabase(db, options);
      for (const note of productionSeedNotes()) log.warn(note);
    } else if (database.embedded) {
      const deviceKeys = options.demoKeySeed ? await currentDemoDeviceKeys(db, options.demoKeySeed) : [];
      report = {
        inserted: { users: 0, goods: 0, drones: 0, automats: 0, cells: 0 },
        logins: seededLogins(options),
        deviceKeys,
      };
    }
  } catch (err) {
    log.error('Seeding failed', { err });
    await sql.end({ timeout: 5 });
    return shutdown(1);
  }
  await sql.end({ timeout: 5 });

  const refusal = await refuseOpenBindWithDemoCredentials(e, database.url);
  if (refusal) {
    log.error(refusal);
    return shutdown(1);
  }

  if (!dev) await buildIfNeeded();
  if (shuttingDown) return;

  if (!(await webPortIsFree(port, e.BIND_HOST))) {
    log.error(
      `Port ${port} is already in use, so the web server cannot start. ` +
        'Stop what is using it (perhaps a SkyPost server left from an earlier run) or set PORT to a free port.',
    );
    return shutdown(1);
  }
  superviseDatabase(new RestartPolicy());

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    // What the launcher resolved (the embedded database is always direct, with prepared statements).
    DATABASE_DIRECT_URL: database.directUrl,
    DATABASE_PREPARE: String(database.prepare),
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: baseUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: dev ? 'development' : 'production',
    // Workers and the simulator log like the launcher (readable on a terminal, JSON in production).
    LOG_FORMAT: e.logFormat,
    // The local demo (launcher not in production) has no gateway: its codes go to this log, as
    // they always have. A production launcher without a gateway has already refused to start.
    ...(!e.isProduction && !e.SMS_GATEWAY_URL ? { SMS_LOG_CODES: 'true' } : {}),
  };
  const supervised = ({
    name,
    script,
    args = [],
    extraEnv = {},
  }: {
    name: string;
    script: string;
    args?: string[];
    extraEnv?: Record<string, string>;
  }) =>
    new SupervisedProcess({
      name,
      script,
      args,
      env: { ...childEnv, ...extraEnv },
      log,
      stopping: () => shuttingDown,
      giveUp,
    });
  web = supervised({
    name: 'The web server',
    script: 'scripts/web-server.ts',
    args: dev ? ['--dev'] : [],
    extraEnv: { PORT: String(port) },
  });
  web.start();
  for (let i = 0; i < e.WORKERS; i++) {
    const worker = supervised({ name: `Order worker ${i + 1}`, script: 'scripts/worker.ts' });
    workers.push(worker);
    worker.start();
  }

  if (!(await waitForHealth(`http://127.0.0.1:${port}`, dev ? 120_000 : 60_000))) {
    if (!shuttingDown) {
      log.error(`The web server did not become healthy on port ${port}. Is the port in use? Set PORT to a free port.`);
      await shutdown(1);
    }
    return;
  }
  if (shuttingDown) return;
  if (database.embedded && e.SIMULATOR === 'on') {
    // The demo fleet flies by itself, through the public API, like real devices would.
    // A crash-looping demo fleet is not worth stopping the app for.
    simulator = new SupervisedProcess({
      name: 'The fleet simulator',
      script: 'scripts/simulate.ts',
      args: ['--url', `http://127.0.0.1:${port}`],
      env: childEnv,
      log,
      stopping: () => shuttingDown,
      giveUp: (message) => log.error(`${message} The app keeps running without the simulated fleet.`),
    });
    simulator.start();
  }
  // Demo logins and keys are printed only for a loopback bind; elsewhere the refusal above
  // already guarantees no demo credential works, and operator-chosen passwords stay unprinted.
  const showCredentials = isLoopback(e.BIND_HOST);
  const banner = [
    '',
    `SkyPost is running at ${baseUrl}  (admin portal: ${baseUrl}/admin)`,
    ...(simulator ? ['The demo fleet is flying (SIMULATOR=off to disable); order something and watch it arrive.'] : []),
    ...(report && showCredentials ? ['', formatSeedReport(report, baseUrl)] : []),
    '',
    'Press Ctrl-C to stop (once: web, workers and simulator, then the database stop in order).',
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
}

main().catch(async (err) => {
  log.error('Launcher failed', { err });
  await shutdown(1);
});
