import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Debian's PgBouncer in front of a PostgreSQL server, for benchmarks and tests: transaction
// pooling, its configuration in a temporary folder, listening on 127.0.0.1 only.

export const PGBOUNCER = '/usr/sbin/pgbouncer';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs Debian's pgbouncer with apt-get when it is missing; returns a problem, or undefined when it is there. */
export function ensurePgbouncer(say: (line: string) => void = () => {}): string | undefined {
  if (existsSync(PGBOUNCER)) return undefined;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasApt)
    return (
      `PgBouncer is not installed at ${PGBOUNCER} and apt-get is not available. ` +
      `Install Debian's "pgbouncer" package.`
    );
  const root = isRoot();
  const apt = (...args: string[]) => {
    const [cmd, ...rest] = root ? ['apt-get', ...args] : ['sudo', '-n', 'apt-get', ...args];
    // Debian starts packaged services unless policy-rc.d says no; we start our own, on our port.
    return spawnSync(cmd!, rest, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' },
    });
  };
  say('Installing PgBouncer with apt-get (one time)');
  let install = apt('install', '-y', '-qq', 'pgbouncer');
  if (install.status !== 0) {
    const update = apt('update', '-qq');
    install = update.status === 0 ? apt('install', '-y', '-qq', 'pgbouncer') : update;
  }
  if (install.status !== 0 || !existsSync(PGBOUNCER)) {
    return (
      `Installing PgBouncer with apt-get failed` +
      `${root ? '' : ' (not root, and sudo without a password is not available)'}. ` +
      `Run \`apt-get install -y pgbouncer\` as root.`
    );
  }
  return undefined;
}

export type PgBouncer = {
  port: number;
  /** `upstreamUrl` with PgBouncer's address instead of PostgreSQL's (same user, password, database). */
  url: string;
  /** Server connections per database and user pair. */
  poolSize: number;
  /** PgBouncer's own log so far. */
  log(): string;
  stop(): Promise<void>;
};

export type PgBouncerOptions = {
  /** The PostgreSQL server behind it; its user and password are the only login PgBouncer accepts. */
  upstreamUrl: string;
  port: number;
  poolSize: number;
  /** Log in to PostgreSQL as this role instead of the client's (tests use it to tell pooled connections apart). */
  serverUser?: { name: string; password: string };
};

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
// A libpq-style value inside [databases]: single quotes, backslash-escaped.
const connValue = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function osUser(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts PgBouncer in transaction pooling mode in front of `upstreamUrl`; resolves once it accepts connections. */
export async function startPgbouncer(opts: PgBouncerOptions): Promise<PgBouncer> {
  const up = new URL(opts.upstreamUrl);
  const user = decodeURIComponent(up.username);
  const password = decodeURIComponent(up.password);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-pgbouncer-'));
  const server = opts.serverUser ?? { name: user, password };
  const config = [
    '[databases]',
    `* = host=127.0.0.1 port=${up.port || '5432'} user=${connValue(server.name)} ` +
      `password=${connValue(server.password)}`,
    '',
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${opts.port}`,
    'unix_socket_dir =',
    'auth_type = scram-sha-256',
    `auth_file = ${path.join(dir, 'userlist.txt')}`,
    'pool_mode = transaction',
    `default_pool_size = ${opts.poolSize}`,
    'min_pool_size = 0',
    'reserve_pool_size = 0',
    'max_client_conn = 2000',
    // postgres.js and drizzle send nothing else in the startup packet that PgBouncer must refuse.
    'ignore_startup_parameters = extra_float_digits,options',
    'server_check_query = select 1',
    'log_connections = 0',
    'log_disconnections = 0',
    'log_pooler_errors = 1',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, 'pgbouncer.ini'), config, { mode: 0o600 });
  writeFileSync(path.join(dir, 'userlist.txt'), `${quote(user)} ${quote(password)}\n`, { mode: 0o600 });
  // PgBouncer refuses to run as root: it runs as the postgres OS user, which must read its files.
  const args = [path.join(dir, 'pgbouncer.ini')];
  if (isRoot()) {
    const ids = osUser('postgres');
    if (!ids) throw new Error('PgBouncer will not run as root and there is no "postgres" OS user to run it as.');
    chmodSync(dir, 0o700);
    for (const f of ['', 'pgbouncer.ini', 'userlist.txt']) chownSync(path.join(dir, f), ids.uid, ids.gid);
    args.unshift('-u', 'postgres');
  }
  let out = '';
  const child: ChildProcess = spawn(PGBOUNCER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });

  const until = Date.now() + 10_000;
  while (!(await listening(opts.port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      cleanup();
      throw new Error(`PgBouncer did not start on port ${opts.port}:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = new URL(opts.upstreamUrl);
  url.port = String(opts.port);
  let stopped: Promise<void> | null = null;
  return {
    port: opts.port,
    url: url.toString(),
    poolSize: opts.poolSize,
    log: () => out,
    stop() {
      stopped ??= (async () => {
        // SIGINT: "safe shutdown", after the transactions in flight; SIGKILL if it lingers.
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(timer);
        }
        cleanup();
      })();
      return stopped;
    },
  };
}
