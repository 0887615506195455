import 'server-only';
import { db, sqlClient } from '@/db';
import { fleetPositions } from '@/db/queries/fleet';
import { listAutomatSummaries } from '@/db/queries/network';
import { FleetFeed, snapshotAutomats } from './fleet';

// This instance's one live feed, shared by every admin portal it serves (see FleetFeed).

const globalForFeed = globalThis as unknown as { skypostFleetFeed?: FleetFeed };

export function fleetFeed(): FleetFeed {
  globalForFeed.skypostFleetFeed ??= new FleetFeed({
    // One load a second however many portals poll. While portals keep polling, the poll that
    // starts a load waits at most 50 ms for it (a small fleet's portal sees fresh data), then
    // gets the published snapshot (the next poll gets the new one); other polls never wait.
    maxAgeMs: 900,
    serveStaleForMs: 3000,
    waitForLoadMs: 50,
    load: async () => {
      const [drones, automats] = await Promise.all([fleetPositions(sqlClient()), listAutomatSummaries(db)]);
      return { drones, automats: snapshotAutomats(automats) };
    },
  });
  return globalForFeed.skypostFleetFeed;
}
