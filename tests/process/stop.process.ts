import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanUp,
  freePort,
  launch,
  launcherPid,
  leftBehind,
  NOTHING_LEFT,
  postmasterPid,
  processesOf,
  requireBuild,
  root,
  signalAll,
  waitFor,
  waitForBanner,
  type LeftBehind,
  type RunEnv,
} from './helpers';

// Every way of stopping `npm start` ends in the same ordered shutdown (web, then workers and
// simulator, then PostgreSQL), with nothing left: no process of the run, both ports free, no
// .owner file. One data folder for all (the first start seeds it), fresh for this file.

let dir: string;
let run: RunEnv;
const table: { way: string; exit: string; left: LeftBehind; seconds: number }[] = [];

beforeAll(async () => {
  requireBuild();
  dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-stop-'));
  const webPort = await freePort(4300 + Math.floor(Math.random() * 500));
  run = { dataDir: path.join(dir, 'pg'), webPort, pgPort: await freePort(57000 + Math.floor(Math.random() * 1000)) };
});

afterEach(() => {
  if (run) cleanUp(run.dataDir);
});

afterAll(() => {
  if (!run) return;
  cleanUp(run.dataDir);
  rmSync(dir, { recursive: true, force: true });
  const describeLeft = (l: LeftBehind) =>
    [
      l.processes.length ? `${l.processes.length} processes` : '',
      l.webPortBusy ? 'web port' : '',
      l.pgPortBusy ? 'pg port' : '',
      l.ownerFile ? '.owner' : '',
    ]
      .filter(Boolean)
      .join(', ') || 'nothing';
  const lines = [
    'Way of stopping                              | exit        | stop s | left behind',
    '---------------------------------------------|-------------|--------|------------',
    ...table.map(
      (r) => `${r.way.padEnd(45)}| ${r.exit.padEnd(12)}| ${String(r.seconds).padStart(6)} | ${describeLeft(r.left)}`,
    ),
  ];
  mkdirSync(path.join(root, '.test-results'), { recursive: true });
  writeFileSync(path.join(root, '.test-results', 'stop-table.txt'), `${lines.join('\n')}\n`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
});

function expectOrderedShutdown(out: string) {
  const webAt = out.indexOf('Stopping the web server');
  const workersAt = out.indexOf('Stopping the order workers');
  const dbAt = out.indexOf('Stopping the embedded PostgreSQL server');
  expect(webAt).toBeGreaterThan(-1);
  expect(workersAt).toBeGreaterThan(webAt);
  expect(dbAt).toBeGreaterThan(workersAt);
  expect(out).toContain('Stopped');
}

async function stopAndRecord(way: string, l: ReturnType<typeof launch>, stop: () => void | Promise<void>) {
  const started = Date.now();
  await stop();
  const { code, signal } = await l.exited;
  const left = await leftBehind(run, 30_000);
  table.push({
    way,
    exit: signal ? signal : `code ${code}`,
    left,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  return { code, signal, left };
}

describe('stopping npm start', () => {
  it('one Ctrl-C in a terminal: one ordered shutdown, nothing left', async () => {
    const l = launch(run, 'pty');
    await waitForBanner(l);
    expect(l.output()).toContain('Empty database: seeding the demo data');
    const { left } = await stopAndRecord('one Ctrl-C (pty, npm start)', l, () => l.type('\x03'));
    expect(left).toEqual(NOTHING_LEFT);
    const out = l.output();
    expectOrderedShutdown(out);
    // The terminal signals npm and the launcher, npm forwards it too: one shutdown, no "again".
    expect(out.match(/Received SIGINT; shutting down/g)).toHaveLength(1);
    expect(out).not.toContain('again');
  });

  it("SIGTERM to npm's pid (docker stop, systemd, pm2)", async () => {
    const l = launch(run, 'npm');
    await waitForBanner(l);
    const { code, left } = await stopAndRecord("SIGTERM to npm's pid", l, () => void l.child.kill('SIGTERM'));
    expect(left).toEqual(NOTHING_LEFT);
    expect(code).toBe(0);
    expectOrderedShutdown(l.output());
  });

  it('a keep-alive client with a request in flight at the stop does not hold it to the deadline', async () => {
    const l = launch(run, 'npm');
    await waitForBanner(l);
    // A drone's HTTP client keeps its connection open between posts. Its request is in flight
    // when the stop begins: headers sent, the body not finished yet.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: run.webPort,
          path: '/api/health',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': '2' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write('{');
      setTimeout(() => req.end('}'), 1500);
    });
    await new Promise((r) => setTimeout(r, 500));
    let stoppedAfterMs = Infinity;
    const { code, left } = await stopAndRecord('SIGTERM to npm, a keep-alive request in flight', l, async () => {
      const sent = Date.now();
      l.child.kill('SIGTERM');
      // npm returns at once; the launcher's own "Stopped" says when the shutdown ended.
      await waitFor(() => /\[launcher\] Stopped/.test(l.output()), {
        ms: 30_000,
        what: 'the launcher to stop',
        launch: l,
      });
      stoppedAfterMs = Date.now() - sent;
    });
    expect(await answered).toBeGreaterThan(0);
    agent.destroy();
    expect(left).toEqual(NOTHING_LEFT);
    expect(code).toBe(0);
    expectOrderedShutdown(l.output());
    // The answer closes the connection, so the web server exits then, not at its 10 s deadline
    // (its keep-alive timeout is 65 s).
    expect(stoppedAfterMs).toBeLessThan(8000);
  });

  it('SIGTERM to the launcher', async () => {
    const l = launch(run, 'npm');
    await waitForBanner(l);
    const pid = launcherPid(run.dataDir);
    expect(pid).toBeGreaterThan(0);
    const { left } = await stopAndRecord('SIGTERM to the launcher', l, () => void process.kill(pid!, 'SIGTERM'));
    expect(left).toEqual(NOTHING_LEFT);
    expectOrderedShutdown(l.output());
  });

  it('SIGTERM to every process of the tree at once, postgres included (systemd KillMode=control-group)', async () => {
    const l = launch(run, 'npm');
    await waitForBanner(l);
    const pids = processesOf(run.dataDir).map((p) => p.pid);
    expect(pids).toContain(postmasterPid(run.dataDir));
    const { left } = await stopAndRecord('SIGTERM to every process', l, () => signalAll(pids, 'SIGTERM'));
    expect(left).toEqual(NOTHING_LEFT);
    expect(l.output().match(/Received SIGTERM; shutting down/g)).toHaveLength(1);
    expect(l.output()).toContain('Stopped');
  });

  it('a second Ctrl-C after a second speeds the stop up and still stops PostgreSQL', async () => {
    const l = launch({ ...run, extra: { WORKER_SWEEP_MS: '500' } }, 'pty');
    await waitForBanner(l);
    // A lock the worker's round waits for keeps the graceful stop busy, so the second Ctrl-C
    // lands mid-stop (a person pressing it again because the stop "hangs").
    const sql = postgres(`postgres://postgres:postgres@127.0.0.1:${run.pgPort}/skypost_delivery`, {
      max: 1,
      onnotice: () => {},
    });
    const holding = sql
      .begin(async (tx) => {
        await tx`lock table drones, orders in access exclusive mode`;
        await new Promise((r) => setTimeout(r, 60_000));
      })
      .catch(() => 'ended by the immediate shutdown');
    await new Promise((r) => setTimeout(r, 1500)); // the worker's next round is now waiting on the lock
    const { left } = await stopAndRecord('second Ctrl-C (pty, 1.2 s later, mid-stop)', l, async () => {
      l.type('\x03');
      await new Promise((r) => setTimeout(r, 1200));
      l.type('\x03');
    });
    expect(await holding).toBe('ended by the immediate shutdown');
    await sql.end({ timeout: 1 }).catch(() => {});
    expect(left).toEqual(NOTHING_LEFT);
    const out = l.output();
    expect(out.match(/Received SIGINT; shutting down/g)).toHaveLength(1);
    expect(out).toContain('Received SIGINT again; stopping at once');
    expect(out).toContain('PostgreSQL does an immediate shutdown');
  });

  it("the launcher's parent dies (npm SIGKILLed): the launcher shuts down", async () => {
    const l = launch(run, 'npm');
    await waitForBanner(l);
    const { left } = await stopAndRecord('parent (npm) SIGKILLed', l, () => void l.child.kill('SIGKILL'));
    expect(left).toEqual(NOTHING_LEFT);
  });

  it('launcher SIGKILLed: children exit by themselves, watchdog stops PostgreSQL; next start is clean', async () => {
    const l = launch(run, 'node');
    await waitForBanner(l);
    const pid = launcherPid(run.dataDir);
    const { left } = await stopAndRecord('SIGKILL of the launcher', l, () => void process.kill(pid!, 'SIGKILL'));
    expect(left).toEqual(NOTHING_LEFT);
    // Immediate shutdown: the next start replays the WAL and serves the same data.
    const again = launch(run, 'node');
    await waitForBanner(again);
    expect(again.output()).not.toContain('Empty database');
    const res = await fetch(`http://127.0.0.1:${run.webPort}/api/health`);
    expect(res.status).toBe(200);
    again.child.kill('SIGTERM');
    await again.exited;
    expect(await leftBehind(run, 30_000)).toEqual(NOTHING_LEFT);
  });
});
