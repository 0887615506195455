// npm start / npm run dev — the launcher: database (embedded unless DATABASE_URL is set),
// migrations, first-run seed, then the web server and the order workers; forwards signals
// and shuts down in order: web, workers, database.
import './lib/dotenv';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { env, EnvError, launcherEnv } from '@/env';
import { createDb, createSql } from '@/db';
import { EmbeddedPostgresError } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { currentDemoDeviceKeys, isDatabaseEmpty, seedDatabase, type SeedSummary } from '@/db/seed';
import { logger } from '@/lib/logger';
import { buildIsCurrent, buildProduction } from './lib/build';
import { openDatabase, redactUrl, type OpenDatabase } from './lib/database';
import { formatSeedReport } from './lib/seed-report';
import { seedOptions } from './lib/seed-options';

const log = logger.child({ scope: 'launcher' });
const dev = process.argv.includes('--dev');
const root = process.cwd();

let database: OpenDatabase | null = null;
let web: ChildProcess | null = null;
const workers = new Set<ChildProcess>();
let simulator: ChildProcess | null = null;
let shuttingDown = false;

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
    if (!existsSync(path.join(process.cwd(), '.next', 'BUILD_ID'))) fail('SKIP_BUILD is set but there is no production build in .next. Run `npm run build` first.');
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
  while (Date.now() < until) {
    if (web?.exitCode !== null) return false;
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

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Web first, then the database, so no request is cut off mid-transaction by a vanished database. */
async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (simulator && simulator.exitCode === null && simulator.signalCode === null) {
    simulator.kill('SIGTERM');
    if (!(await waitForExit(simulator, 5_000))) simulator.kill('SIGKILL');
  }
  if (web && web.exitCode === null && web.signalCode === null) {
    log.info('Stopping the web server');
    web.kill('SIGTERM');
    if (!(await waitForExit(web, 15_000))) {
      log.warn('Web server did not stop within 15 s; killing it');
      web.kill('SIGKILL');
      await waitForExit(web, 5_000);
    }
  }
  if (workers.size) {
    log.info('Stopping the order workers', { count: workers.size });
    const running = [...workers];
    for (const w of running) w.kill('SIGTERM');
    const stopped = await Promise.all(running.map((w) => waitForExit(w, 20_000)));
    running.forEach((w, i) => {
      if (!stopped[i]) w.kill('SIGKILL');
    });
  }
  if (database?.embedded) log.info('Stopping the embedded PostgreSQL server');
  await database?.stop();
  log.info('Stopped');
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      log.warn(`Received ${signal} again; forcing exit`);
      web?.kill('SIGKILL');
      for (const w of workers) w.kill('SIGKILL');
      process.exit(1);
    }
    log.info(`Received ${signal}; shutting down`);
    void shutdown(0);
  });
}

/** Checks the port on the address the web server will bind. */
function webPortIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** One order worker process; restarted (with a pause) if it dies while we are running. */
function startWorkerProcess(childEnv: NodeJS.ProcessEnv, slot: number, restarts = 0) {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { stdio: 'inherit', env: childEnv });
  workers.add(worker);
  worker.on('exit', (code, signal) => {
    workers.delete(worker);
    if (shuttingDown) return;
    const delay = Math.min(1000 * 2 ** restarts, 30_000);
    log.error('An order worker exited unexpectedly; restarting it', { slot, code, signal, in_ms: delay });
    setTimeout(() => {
      if (!shuttingDown) startWorkerProcess(childEnv, slot, restarts + 1);
    }, delay);
  });
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
  log.info(database.embedded ? 'Embedded PostgreSQL 17 is running' : 'Using DATABASE_URL', { database: redactUrl(database.url) });

  try {
    await runMigrations(database.url);
  } catch (err) {
    log.error('Migrations failed', { err });
    return shutdown(1);
  }
  log.info('Migrations applied');

  const sql = createSql(database.url, 2);
  let report: SeedSummary | null = null;
  try {
    const db = createDb(sql);
    const options = seedOptions();
    if (database.embedded && (await isDatabaseEmpty(db))) {
      log.info('Empty database: seeding the demo data');
      report = await seedDatabase(db, options);
    } else if (database.embedded) {
      const deviceKeys = options.demoKeySeed ? await currentDemoDeviceKeys(db, options.demoKeySeed) : [];
      report = {
        inserted: { users: 0, goods: 0, drones: 0, automats: 0, cells: 0 },
        logins: [
          { role: 'admin', email: 'admin@skypost.com', password: options.adminPassword },
          { role: 'client', email: 'user@example.com', password: options.customerPassword },
        ],
        deviceKeys,
      };
    }
  } catch (err) {
    log.error('Seeding failed', { err });
    await sql.end({ timeout: 5 });
    return shutdown(1);
  }
  await sql.end({ timeout: 5 });

  if (!dev) await buildIfNeeded();
  if (shuttingDown) return;

  if (!(await webPortIsFree(port, e.BIND_HOST))) {
    log.error(`Port ${port} is already in use, so the web server cannot start. Stop what is using it (perhaps a SkyPost server left from an earlier run) or set PORT to a free port.`);
    return shutdown(1);
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
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
  const args = ['--import', 'tsx', 'scripts/web-server.ts', ...(dev ? ['--dev'] : [])];
  web = spawn(process.execPath, args, { stdio: 'inherit', env: { ...childEnv, PORT: String(port) } });
  web.on('exit', (code, signal) => {
    if (shuttingDown) return;
    log.error('The web server exited unexpectedly', { code, signal });
    void shutdown(code || 1);
  });

  for (let i = 0; i < e.WORKERS; i++) startWorkerProcess(childEnv, i);

  if (!(await waitForHealth(`http://127.0.0.1:${port}`, dev ? 120_000 : 60_000))) {
    if (!shuttingDown) {
      log.error(`The web server did not become healthy on port ${port}. Is the port in use? Set PORT to a free port.`);
      await shutdown(1);
    }
    return;
  }
  if (database.embedded && e.SIMULATOR === 'on') {
    // The demo fleet flies by itself, through the public API, like real devices would.
    simulator = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', '--url', `http://127.0.0.1:${port}`], { stdio: 'inherit', env: childEnv });
    simulator.on('exit', (code) => {
      if (!shuttingDown && code) log.warn('The fleet simulator stopped', { code });
    });
  }
  const banner = [
    '',
    `SkyPost is running at ${baseUrl}  (admin portal: ${baseUrl}/admin)`,
    ...(simulator ? ['The demo fleet is flying (SIMULATOR=off to disable); order something and watch it arrive.'] : []),
    ...(report ? ['', formatSeedReport(report, baseUrl)] : []),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${banner.join('\n')}\n`);
}

main().catch(async (err) => {
  log.error('Launcher failed', { err });
  await shutdown(1);
});
