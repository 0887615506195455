import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { portIsFree } from '@/db/embedded';

// Drives the real launcher as a person or a service manager would, and finds every process a
// run left behind: each run has its own data folder, which every process of it carries in its
// environment (EMBEDDED_PG_DATA) or command line (postgres -D).

export const root = process.cwd();

export async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 2000; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port from ${from}`);
}

export function requireBuild() {
  if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    throw new Error('No production build in .next: run `npm run build` (or `npm test`, which builds first).');
  }
}

export type RunEnv = { dataDir: string; webPort: number; pgPort: number; extra?: Record<string, string> };

export function launcherEnv(run: RunEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'pretty',
    SKIP_BUILD: 'true',
    DATABASE_URL: '',
    SIMULATOR: 'off',
    WORKERS: '1',
    EMBEDDED_PG_DATA: run.dataDir,
    EMBEDDED_PG_PORT: String(run.pgPort),
    PORT: String(run.webPort),
    ...run.extra,
  };
}

export type Launch = {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Writes to the terminal (only for `via: 'pty'`). */
  type: (text: string) => void;
};

/**
 * Starts the launcher: `npm start` in a pseudo-terminal (script(1)), `npm start` as a plain
 * child, or the launcher's node command itself.
 */
export function launch(run: RunEnv, via: 'pty' | 'npm' | 'node'): Launch {
  let out = '';
  const env = launcherEnv(run);
  const child =
    via === 'pty'
      ? spawn('script', ['-qfec', 'npm start', '/dev/null'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] })
      : via === 'npm'
        ? spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
        : spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
            cwd: root,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: true,
          });
  child.stdin?.on('error', () => {}); // typing into a terminal whose program has exited
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited, type: (text) => child.stdin?.write(text) };
}

export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  { ms, what, launch }: { ms: number; what: string; launch?: Launch },
) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}.${launch ? ` Output:\n${launch.output().slice(-6000)}` : ''}`);
}

export const waitForBanner = (l: Launch, ms = 120_000) =>
  waitFor(() => l.output().includes('SkyPost is running at'), { ms, what: 'the launcher banner', launch: l });

/** Every live process of a run: by its data folder in the environment or on the command line. */
export function processesOf(dataDir: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (!cmd) continue; // a zombie or a kernel thread
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (cmd.includes(dataDir) || environ.includes(`EMBEDDED_PG_DATA=${dataDir}\0`)) found.push({ pid, cmd });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The launcher's pid (node … scripts/start.ts of this run). */
export function launcherPid(dataDir: string): number | undefined {
  return nodeProcess(dataDir, 'scripts/start.ts');
}

/** The pid of the node process of this run that runs `script`. */
export function nodeProcess(dataDir: string, script: string): number | undefined {
  return processesOf(dataDir).find((p) => p.cmd.includes(script) && /^(\S*\/)?node\s/.test(p.cmd))?.pid;
}

export function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
}

export type LeftBehind = { processes: string[]; webPortBusy: boolean; pgPortBusy: boolean; ownerFile: boolean };

/** What a stopped run left: processes, listening ports, the owner file. Waits up to `ms` for it to clear. */
export async function leftBehind(run: RunEnv, ms = 10_000): Promise<LeftBehind> {
  const until = Date.now() + ms;
  for (;;) {
    const state: LeftBehind = {
      processes: processesOf(run.dataDir).map((p) => `${p.pid} ${p.cmd.slice(0, 120)}`),
      webPortBusy: !(await portIsFree(run.webPort)),
      pgPortBusy: !(await portIsFree(run.pgPort)),
      ownerFile: existsSync(`${run.dataDir}.owner`),
    };
    const clean = !state.processes.length && !state.webPortBusy && !state.pgPortBusy && !state.ownerFile;
    if (clean || Date.now() > until) return state;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const NOTHING_LEFT: LeftBehind = { processes: [], webPortBusy: false, pgPortBusy: false, ownerFile: false };

/** Sends a signal to each process, ignoring ones that are already gone. */
export function signalAll(pids: number[], signal: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Kills whatever a failed test left running, so one failure does not poison the next test. */
export function cleanUp(dataDir: string) {
  signalAll(
    processesOf(dataDir).map((p) => p.pid),
    'SIGKILL',
  );
}
