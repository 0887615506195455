import type { FleetDrone } from '@/db/queries/fleet';
import type { AutomatSummary } from '@/db/queries/network';

// Compact snapshot: drones as arrays (thousands per second must stay small), lockers as objects.
// Drone tuple: [id, status, battery, lat, lon, heading, speed, lastSeenMs, destLat, destLon, model]
export type DroneTuple = [string, string, number | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null, string];

export type SnapshotAutomat = {
  id: string;
  city: string;
  address: string;
  lat: number;
  lon: number;
  aruco_id: number;
  is_working: boolean;
  last_seen_ms: number | null;
  external_total: number;
  external_occupied: number;
};

export type FleetSnapshot = { at: number; drones: DroneTuple[]; automats: SnapshotAutomat[] };

export function fleetSnapshotJson(drones: FleetDrone[], automats: AutomatSummary[], now = Date.now()): FleetSnapshot {
  return {
    at: now,
    drones: drones.map((d) => [d.id, d.status, d.battery, d.lat, d.lon, d.heading, d.speed, d.lastSeenAt ? Date.parse(d.lastSeenAt) : null, d.destLat, d.destLon, d.model]),
    automats: automats.map((a) => ({
      id: a.id,
      city: a.city,
      address: a.address,
      lat: a.lat,
      lon: a.lon,
      aruco_id: a.arucoId,
      is_working: a.isWorking,
      last_seen_ms: a.lastSeenAt ? a.lastSeenAt.getTime() : null,
      external_total: a.externalCells,
      external_occupied: a.externalCells - a.availableExternalCells,
    })),
  };
}
