import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

// Real order worker processes (`node --import tsx scripts/worker.ts`) for integration tests:
// spawn with a given environment, capture and parse their JSON log lines, wait for them,
// and kill whatever is left over.

const root = path.resolve(import.meta.dirname, '..', '..');

export type LogLine = { time?: string; level?: string; msg?: string; scope?: string } & Record<string, unknown>;
export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export type WorkerProcess = {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote (stdout and stderr, interleaved as received). */
  output(): string;
  /** The JSON log lines written so far (non-JSON lines are skipped). */
  logs(): LogLine[];
  exited: Promise<Exit>;
  running(): boolean;
};

const live = new Set<WorkerProcess>();

export function spawnWorker(name: string, env: Record<string, string>): WorkerProcess {
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      WORKER_SWEEP_MS: '200',
      DISPATCH_MIN_BATTERY: '30',
      DRONE_OFFLINE_TIMEOUT_S: '60',
      DISPATCH_ASSIGNED_TIMEOUT_S: '300',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not spawn worker ${name}`);
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const w: WorkerProcess = {
    name,
    child,
    pid: child.pid,
    output: () => out,
    logs: () => parseLogs(out),
    exited: new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    running: () => child.exitCode === null && child.signalCode === null,
  };
  live.add(w);
  void w.exited.then(() => live.delete(w));
  return w;
}

export function parseLogs(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // a partial line still being written
    }
  }
  return lines;
}

/** Every worker's output, for failure messages. */
export function workerOutputs(workers: WorkerProcess[]): string {
  return workers.map((w) => `----- ${w.name} (pid ${w.pid}) -----\n${w.output()}`).join('\n');
}

/** Polls `check` (sync or async) until it returns a truthy value or `ms` pass; fails with the workers' output. */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  opts: { ms: number; what: string; workers?: WorkerProcess[]; intervalMs?: number; requireRunning?: boolean },
): Promise<NonNullable<T>> {
  const until = Date.now() + opts.ms;
  const workers = opts.workers ?? [];
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if ((opts.requireRunning ?? true) && workers.length && workers.every((w) => !w.running())) {
      throw new Error(`Every worker exited while waiting for ${opts.what}.\n${workerOutputs(workers)}`);
    }
    if (Date.now() > until)
      throw new Error(`Timed out after ${opts.ms} ms waiting for ${opts.what}.\n${workerOutputs(workers)}`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

export function waitForLog(w: WorkerProcess, msg: string, ms: number): Promise<LogLine> {
  return waitUntil(() => w.logs().find((l) => l.msg === msg), {
    ms,
    what: `"${msg}" from ${w.name}`,
    workers: [w],
    intervalMs: 50,
  });
}

/** Sends a signal and waits for the exit, failing after `ms`. */
export async function stopWorker(
  w: WorkerProcess,
  signal: NodeJS.Signals,
  ms: number,
): Promise<Exit & { elapsedMs: number }> {
  const started = Date.now();
  if (w.running()) w.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${w.name} did not exit within ${ms} ms of ${signal}.\n${workerOutputs([w])}`)),
      ms,
    );
  });
  try {
    const exit = await Promise.race([w.exited, timeout]);
    return { ...exit, elapsedMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGKILLs every worker this file started that is still running, and waits for them. */
export async function killLeftoverWorkers(): Promise<void> {
  const left = [...live];
  for (const w of left) if (w.running()) w.child.kill('SIGKILL');
  await Promise.all(left.map((w) => w.exited));
}
