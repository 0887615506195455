import type { DroneState } from '@/lib/admin/drone-state';
import type { SnapshotAutomat } from '@/lib/admin/fleet';
import type { CellMetric } from '@/lib/cell-metric';
import type { FleetRules } from '@/lib/fleet-rules';

export type { FleetRules };

// Colours of the live map and the lists. Labels are messages (adminFleet.droneStates and
// adminFleet.automatStates), so this file holds only what does not change with the language.

/** Each state a drone is shown in (lib/admin/drone-state.ts), with its colour on the map. */
export const DRONE_COLOURS: Record<DroneState, { fill: string; stroke: string }> = {
  idle: { fill: '#22c55e', stroke: '#14532d' },
  returning: { fill: '#d946ef', stroke: '#701a75' },
  busy: { fill: '#3b82f6', stroke: '#1e3a8a' },
  charging: { fill: '#f59e0b', stroke: '#78350f' },
  maintenance: { fill: '#94a3b8', stroke: '#334155' },
  offline: { fill: '#ef4444', stroke: '#7f1d1d' },
};

export type DroneStatusKey = DroneState;

/** Above the low-battery threshold, at or below this level a battery bar is amber (a display band, not an alert). */
export const BATTERY_AMBER_AT = 50;

/**
 * A locker's state on the map. Closed (not working, by an operator or by its own report) is a
 * state, not a fault: grey, like maintenance. Silent (working, but not heard from) is the one
 * that needs someone, so it has the warning colour.
 */
export const AUTOMAT_COLOURS = {
  working: { fill: '#15803d', stroke: '#14532d' },
  closed: { fill: '#64748b', stroke: '#1e293b' },
  silent: { fill: '#b45309', stroke: '#78350f' },
} as const;

export type AutomatStateKey = keyof typeof AUTOMAT_COLOURS;

export function automatState(
  a: Pick<SnapshotAutomat, 'is_working' | 'last_seen_ms'>,
  now: number,
  rules: Pick<FleetRules, 'automatSilentMs'>,
): AutomatStateKey {
  if (!a.is_working) return 'closed';
  if (a.last_seen_ms === null || now - a.last_seen_ms > rules.automatSilentMs) return 'silent';
  return 'working';
}

/** A translator of the adminFleet namespace (client or server), as far as the helpers below need it. */
export type FleetT = (key: string, values?: Record<string, string | number>) => string;

/** The one cell metric in words: "9 free of 10, 1 under maintenance", "all 2 under maintenance", "no cells". */
export function cellMetricLabel(t: FleetT, m: CellMetric): string {
  if (m.total === 0) return t('cells.none');
  if (m.inService === 0) return t('cells.allMaintenance', { count: m.maintenance });
  return t('cells.free', { free: m.free, inService: m.inService, maintenance: m.maintenance });
}
