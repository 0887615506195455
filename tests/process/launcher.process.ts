import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portIsFree } from '@/db/embedded';
import { processesOf } from './helpers';

// The real launcher (`npm start`) as a process: embedded database, migrations, first-run
// seed, production server, ordered shutdown, restart with data kept, and recovery from an
// orphaned postmaster after the launcher was SIGKILLed. Needs the production build
// (`npm test` builds before it runs the suites).

const root = process.cwd();
let dir: string;

type Launch = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await portIsFree(p)) return p;
  throw new Error('no free port');
}

function launch(env: Record<string, string>): Launch {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    detached: true, // own process group, so the test can kill launcher + web server together
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'pretty',
      SKIP_BUILD: 'true',
      DATABASE_URL: '',
      SIMULATOR: 'off',
      WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(predicate: () => boolean, { ms, what, launch }: { ms: number; what: string; launch: Launch }) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (predicate()) return;
    if (launch.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}. Launcher output:\n${launch.output()}`);
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next: run `npm run build` (or `npm test`, which builds first).');
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-launcher-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm start (the launcher)', () => {
  it('serves the app on the embedded DB, keeps data over restarts, recovers from an orphaned postmaster', async () => {
    const dataDir = path.join(dir, 'pg');
    // Random bases: other test runs on this machine pick ports too.
    const pgPort = await freePort(56000 + Math.floor(Math.random() * 2000));
    const webPort = await freePort(3400 + Math.floor(Math.random() * 500));
    const env = { EMBEDDED_PG_DATA: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: String(webPort) };
    const dbUrl = `postgres://postgres:postgres@127.0.0.1:${pgPort}/skypost_delivery`;

    // 1. First start: migrates, seeds the empty database, serves / and /api/health.
    const first = launch(env);
    await waitFor(() => first.output().includes('SkyPost is running at'), {
      ms: 90_000,
      what: 'the first start',
      launch: first,
    });
    expect(first.output()).toContain('Empty database: seeding the demo data');
    expect(first.output()).toMatch(/admin\s+admin@skypost\.com/);
    expect(first.output()).toMatch(/drone\s+[0-9a-f-]{36}\s+spd_/);
    const health = await fetch(`http://127.0.0.1:${webPort}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', db: 'ok' });
    const home = await fetch(`http://127.0.0.1:${webPort}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Red Square, 1');

    let sql = postgres(dbUrl, { max: 1 });
    const [counts] = await sql`select (select count(*)::int from users) as users,
      (select count(*)::int from parcel_automats) as automats`;
    expect(counts).toEqual({ users: 2, automats: 7 });
    await sql`insert into goods (name, weight, height, length, width, quantity_available)
      values ('Launcher marker', 1, 1, 1, 1, 3)`;
    await sql.end();

    // 2. SIGTERM: web server first, then the database; exit 0; postmaster gone.
    const pid1 = postmasterPid(dataDir);
    process.kill(first.child.pid!, 'SIGTERM');
    expect(await first.exited).toBe(0);
    const out = first.output();
    expect(out.indexOf('Stopping the web server')).toBeGreaterThan(-1);
    expect(out.indexOf('Stopping the order workers')).toBeGreaterThan(out.indexOf('Stopping the web server'));
    expect(out.indexOf('Stopping the embedded PostgreSQL server')).toBeGreaterThan(
      out.indexOf('Stopping the order workers'),
    );
    expect(out).toContain('Order worker stopped');
    expect(alive(pid1)).toBe(false);
    expect(await portIsFree(webPort)).toBe(true);

    // 3. Second start: no re-seed, the data is still there.
    const second = launch(env);
    await waitFor(() => second.output().includes('SkyPost is running at'), {
      ms: 60_000,
      what: 'the second start',
      launch: second,
    });
    expect(second.output()).not.toContain('Empty database');
    sql = postgres(dbUrl, { max: 1 });
    const [kept] = await sql`select (select count(*)::int from users) as users,
      (select count(*)::int from goods where name = 'Launcher marker') as marker`;
    expect(kept).toEqual({ users: 2, marker: 1 });
    await sql.end();

    // 4. SIGKILL the launcher and the postmaster's watchdog together (nothing could stop the
    // database then): the postmaster (own process group) is orphaned.
    const orphan = postmasterPid(dataDir);
    const watchdog = processesOf(dataDir).find((p) => p.cmd.includes('skypost-pg-watchdog'));
    expect(watchdog).toBeDefined();
    process.kill(watchdog!.pid, 'SIGKILL');
    process.kill(second.child.pid!, 'SIGKILL');
    await second.exited;
    expect(alive(orphan)).toBe(true);

    // 5. Third start stops the orphan, starts cleanly, data intact.
    const third = launch(env);
    await waitFor(() => third.output().includes('SkyPost is running at'), {
      ms: 60_000,
      what: 'the start after SIGKILL',
      launch: third,
    });
    expect(third.output()).toContain('Stopping a PostgreSQL server left running by an earlier run');
    expect(alive(orphan)).toBe(false);
    sql = postgres(dbUrl, { max: 1 });
    const [after] = await sql`select count(*)::int as marker from goods where name = 'Launcher marker'`;
    expect(after).toEqual({ marker: 1 });
    await sql.end();
    process.kill(third.child.pid!, 'SIGTERM');
    expect(await third.exited).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
  }, 240_000);

  it('production seeds no demo credentials; a non-loopback bind is refused while demo credentials work', async () => {
    // 1. NODE_ENV=production on an empty database: the demo city, but no account and no device key.
    const prodDir = path.join(dir, 'pg-production');
    const pgPort = await freePort(58100 + Math.floor(Math.random() * 1000));
    const webPort = await freePort(3900 + Math.floor(Math.random() * 300));
    const prod = launch({
      NODE_ENV: 'production',
      SMS_LOG_CODES: 'true',
      EMBEDDED_PG_DATA: prodDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(webPort),
    });
    await waitFor(() => prod.output().includes('SkyPost is running at'), {
      ms: 120_000,
      what: 'the production start',
      launch: prod,
    });
    expect(prod.output()).toContain('No admin account was created');
    expect(prod.output()).not.toContain('Demo logins');
    expect(prod.output()).not.toContain('admin-skypost-1');
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${pgPort}/skypost_delivery`, { max: 1 });
    const [row] =
      await sql`select (select count(*)::int from users) as users, (select count(*)::int from drones) as drones,
      (select count(*)::int from drones where api_key_hash is not null)
        + (select count(*)::int from parcel_automats where api_key_hash is not null) as keys`;
    expect(row).toEqual({ users: 0, drones: 8, keys: 0 });
    await sql.end();
    process.kill(prod.child.pid!, 'SIGTERM');
    expect(await prod.exited).toBe(0);

    // 2. The demo (development) on 0.0.0.0: seeded, then refused with what to fix; nothing left.
    const openDir = path.join(dir, 'pg-open');
    const open = launch({
      BIND_HOST: '0.0.0.0',
      EMBEDDED_PG_DATA: openDir,
      EMBEDDED_PG_PORT: String(await freePort(56800)),
      PORT: String(await freePort(3800)),
    });
    expect(await open.exited).toBe(1);
    const out = open.output();
    expect(out).toContain('Refusing to listen on BIND_HOST=0.0.0.0');
    expect(out).toContain('admin@skypost.com still has the demo password');
    expect(out).toContain('15 devices still accept demo keys');
    expect(out).toContain('npm run device-key -- ');
    expect(out).not.toContain('SkyPost is running at');
    expect(processesOf(openDir)).toEqual([]);
  }, 300_000);

  it('says clearly what failed when the database cannot start', async () => {
    const pgPort = await freePort(56500);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(pgPort, '127.0.0.1', () => r()));
    try {
      const l = launch({
        EMBEDDED_PG_DATA: path.join(dir, 'pg-blocked'),
        EMBEDDED_PG_PORT: String(pgPort),
        PORT: String(await freePort(3600)),
      });
      expect(await l.exited).toBe(1);
      expect(l.output()).toContain('The database could not be started');
      expect(l.output()).toContain(`Port ${pgPort} on 127.0.0.1 is already in use`);
      expect(l.output()).toContain('EMBEDDED_PG_PORT');
    } finally {
      blocker.close();
    }
  }, 60_000);
});
