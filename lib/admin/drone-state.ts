// What a drone is doing, as people see it. The spec's statuses (idle, busy, charging,
// maintenance, offline) say what a drone may be asked to do; a drone flying home after a drop
// (or after a failed attempt) is "idle" there, because it may take the next delivery on the
// way. Shown as "idle", it looks parked. So one state is derived from the data instead of
// added to the database: idle, and still moving at flying speed in a recent reading.

export const DRONE_STATES = ['idle', 'returning', 'busy', 'charging', 'maintenance', 'offline'] as const;
export type DroneState = (typeof DRONE_STATES)[number];

/** Slower than this (m/s) a drone is parked, or hovering over its pad. */
export const RETURNING_MIN_SPEED_MPS = 1;
/** A reading older than this no longer says the drone is moving (the dispatcher's offline timeout, by default). */
export const RETURNING_MAX_AGE_MS = 30_000;

export function droneState(
  d: { status: string; speedMps: number | null; lastSeenMs: number | null },
  now: number,
): DroneState {
  if (
    d.status === 'idle' &&
    d.speedMps !== null &&
    d.speedMps >= RETURNING_MIN_SPEED_MPS &&
    d.lastSeenMs !== null &&
    now - d.lastSeenMs <= RETURNING_MAX_AGE_MS
  ) {
    return 'returning';
  }
  return (DRONE_STATES as readonly string[]).includes(d.status) ? (d.status as DroneState) : 'offline';
}

/**
 * The drones list's filter for a shown state: "returning" and "idle" are both status idle,
 * told apart by the latest reading's speed and age, as droneState does.
 */
export function droneStateFilter(state: DroneState | undefined): {
  status?: Exclude<DroneState, 'returning'>;
  moving?: { is: boolean; minSpeedMps: number; maxAgeMs: number };
} {
  if (!state) return {};
  const moving = { minSpeedMps: RETURNING_MIN_SPEED_MPS, maxAgeMs: RETURNING_MAX_AGE_MS };
  if (state === 'returning') return { status: 'idle', moving: { ...moving, is: true } };
  if (state === 'idle') return { status: 'idle', moving: { ...moving, is: false } };
  return { status: state };
}
