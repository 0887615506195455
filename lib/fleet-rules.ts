import { env } from '@/env';

/**
 * The fleet thresholds the portal's map and lists share with the alerts (ALERT_LOW_BATTERY and
 * ALERT_AUTOMAT_SILENT_MIN in env.ts). Server pages read them here and hand them to client
 * components as props, so a locker the alerts call silent is silent on the map too, and a battery
 * the alerts call low is red everywhere.
 */
export type FleetRules = { lowBattery: number; automatSilentMs: number };

export function fleetRules(): FleetRules {
  const e = env();
  return { lowBattery: e.ALERT_LOW_BATTERY, automatSilentMs: e.ALERT_AUTOMAT_SILENT_MIN * 60_000 };
}
