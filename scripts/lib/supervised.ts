// The side of a supervised process (web server, order worker, simulator): how it learns that
// it should stop.

/**
 * Calls `stop` once: on SIGTERM or SIGINT, or when the launcher that spawned this process with
 * an IPC channel is gone (even SIGKILLed: the kernel closes the channel). If `stop` has not
 * ended the process within `graceMs`, it exits anyway, so nothing outlives its launcher.
 */
export function onStopRequest(stop: (reason: string) => void, graceMs = 20_000): void {
  let stopping = false;
  const request = (reason: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), graceMs).unref();
    stop(reason);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
    process.on(signal, () => request(`received ${signal}`));
  if (process.send) process.on('disconnect', () => request('the launcher is gone'));
}

/** True when this process was started by the launcher (it has the launcher's IPC channel). */
export function isSupervised(): boolean {
  return typeof process.send === 'function';
}
