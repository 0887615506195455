// GET /api/admin/fleet — the live map snapshot (all drones and lockers), polled every second; admins only.
import { db } from '@/db';
import { fleetDrones } from '@/db/queries/fleet';
import { listAutomatSummaries } from '@/db/queries/network';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';
import { fleetSnapshotJson } from '@/lib/admin/fleet';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async () => {
  await requireAdmin();
  const [drones, automats] = await Promise.all([fleetDrones(db), listAutomatSummaries(db)]);
  return Response.json(fleetSnapshotJson(drones, automats), { headers: { 'Cache-Control': 'no-store' } });
});
