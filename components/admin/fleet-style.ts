import type { DroneState } from '@/lib/admin/drone-state';
import type { SnapshotAutomat } from '@/lib/admin/fleet';

/** Each state a drone is shown in (lib/admin/drone-state.ts), with its colour on the map and its label. */
export const DRONE_COLOURS: Record<DroneState, { fill: string; stroke: string; label: string }> = {
  idle: { fill: '#22c55e', stroke: '#14532d', label: 'Idle' },
  returning: { fill: '#d946ef', stroke: '#701a75', label: 'Returning to base' },
  busy: { fill: '#3b82f6', stroke: '#1e3a8a', label: 'On a delivery' },
  charging: { fill: '#f59e0b', stroke: '#78350f', label: 'Charging' },
  maintenance: { fill: '#94a3b8', stroke: '#334155', label: 'Maintenance' },
  offline: { fill: '#ef4444', stroke: '#7f1d1d', label: 'Offline' },
};

export type DroneStatusKey = DroneState;

/** A locker that has not sent a heartbeat for this long counts as silent. */
export const AUTOMAT_SILENT_AFTER_MS = 5 * 60 * 1000;

export const AUTOMAT_COLOURS = {
  working: { fill: '#15803d', stroke: '#14532d', label: 'Locker working' },
  not_working: { fill: '#b91c1c', stroke: '#7f1d1d', label: 'Locker not working' },
  silent: { fill: '#64748b', stroke: '#334155', label: 'Locker not seen for 5+ min' },
} as const;

export function automatState(a: Pick<SnapshotAutomat, 'is_working' | 'last_seen_ms'>, now: number): keyof typeof AUTOMAT_COLOURS {
  if (!a.is_working) return 'not_working';
  if (a.last_seen_ms === null || now - a.last_seen_ms > AUTOMAT_SILENT_AFTER_MS) return 'silent';
  return 'working';
}
