import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '@/lib/logger';

// The launcher's side of supervision: restarts with backoff, and a clear stop after repeated
// fast crashes (a crash loop only fills the log).

/** Restarts within this window count as one crash loop. */
const CRASH_WINDOW_MS = 60_000;
/** Crashes within the window after which the launcher gives up. */
const MAX_CRASHES = 5;

export class RestartPolicy {
  private crashes: number[] = [];

  /** Records a crash; the delay before the restart, or null to give up. */
  next(now = Date.now()): { delayMs: number; attempt: number } | null {
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length > MAX_CRASHES) return null;
    const attempt = this.crashes.length;
    return { delayMs: Math.min(500 * 2 ** (attempt - 1), 8_000), attempt };
  }

  describe(): string {
    return `${this.crashes.length} crashes within ${CRASH_WINDOW_MS / 1000} s`;
  }
}

export function exitCause(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}

export type SupervisedOptions = {
  /** For the log: "the web server", "order worker 1". */
  name: string;
  script: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** True while the launcher is shutting down: an exit then is expected. */
  stopping: () => boolean;
  /** Called after repeated fast crashes, instead of another restart. */
  giveUp: (message: string) => void;
};

/**
 * A Node process of ours (web server, worker, simulator) that is restarted when it dies.
 * It runs in its own process group, so a terminal's Ctrl-C reaches only the launcher, which
 * stops everything in order; and with an IPC channel, so it exits when the launcher dies,
 * even by SIGKILL (scripts/lib/supervised.ts).
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private readonly policy = new RestartPolicy();
  private restartTimer: NodeJS.Timeout | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly opts: SupervisedOptions) {}

  get pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const { opts } = this;
    const child = spawn(process.execPath, ['--import', 'tsx', opts.script, ...(opts.args ?? [])], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true,
      env: opts.env,
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        if (opts.stopping()) return;
        const cause = exitCause(code, signal);
        const next = this.policy.next();
        if (!next) {
          opts.giveUp(
            `${opts.name} keeps crashing (${this.policy.describe()}; last: ${cause}). ` +
              'Giving up; see its log lines above.',
          );
          return;
        }
        opts.log.error(`${opts.name} exited unexpectedly (${cause}); restarting it`, {
          code,
          signal,
          in_ms: next.delayMs,
          restart: next.attempt,
        });
        this.restartTimer = setTimeout(() => {
          this.restartTimer = null;
          if (opts.stopping()) return;
          opts.log.info(`Restarting ${opts.name}`, { restart: next.attempt });
          this.start();
        }, next.delayMs);
      });
    });
    // Without a listener, a failed spawn would crash the launcher.
    child.on('error', (err) => opts.log.error(`${opts.name} could not be started`, { err }));
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs: number): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (!this.running()) return;
    this.child?.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)));
    const stopped = await Promise.race([this.exited.then(() => true), timeout]);
    clearTimeout(timer);
    if (!stopped) {
      this.opts.log.warn(`${this.opts.name} did not stop within ${graceMs / 1000} s; killing it`);
      this.child?.kill('SIGKILL');
      await this.exited;
    }
  }

  /** At once, synchronously (a second Ctrl-C, or the launcher's exit). */
  kill(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    if (this.running()) this.child?.kill('SIGKILL');
  }

  /** Resolves when the current process has exited. */
  gone(): Promise<void> {
    return this.exited;
  }
}
