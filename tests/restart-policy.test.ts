import { describe, expect, it } from 'vitest';
import { exitCause, RestartPolicy } from '../scripts/lib/supervisor';

describe('the launcher restart policy', () => {
  it('backs off (0.5 s doubling, capped at 8 s) and gives up after more than 5 crashes within 60 s', () => {
    const p = new RestartPolicy();
    const t0 = 1_000_000;
    const delays = [0, 1, 2, 3, 4].map((i) => p.next(t0 + i * 1000)?.delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(p.next(t0 + 5000)).toBeNull();
    expect(p.describe()).toBe('6 crashes within 60 s');
  });

  it('forgets crashes older than the window: an occasional crash restarts at once again', () => {
    const p = new RestartPolicy();
    for (let i = 0; i < 5; i++) p.next(i * 1000);
    expect(p.next(200_000)).toEqual({ delayMs: 500, attempt: 1 });
  });

  it('names the cause of an exit', () => {
    expect(exitCause(null, 'SIGKILL')).toBe('killed by SIGKILL');
    expect(exitCause(3, null)).toBe('exit code 3');
  });
});
