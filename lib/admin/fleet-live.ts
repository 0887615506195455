import 'server-only';
import { db } from '@/db';
import { fleetDrones } from '@/db/queries/fleet';
import { listAutomatSummaries } from '@/db/queries/network';
import { FleetFeed, fleetSnapshotJson } from './fleet';

// This instance's one live feed, shared by every admin portal it serves (see FleetFeed).

const globalForFeed = globalThis as unknown as { skypostFleetFeed?: FleetFeed };

export function fleetFeed(): FleetFeed {
  globalForFeed.skypostFleetFeed ??= new FleetFeed({
    // One load a second however many portals poll, and no poll waits for it while portals
    // keep polling (each gets the snapshot the previous poll started).
    maxAgeMs: 900,
    serveStaleForMs: 3000,
    load: async () => {
      const [drones, automats] = await Promise.all([fleetDrones(db), listAutomatSummaries(db)]);
      return fleetSnapshotJson(drones, automats);
    },
  });
  return globalForFeed.skypostFleetFeed;
}
