// GET /api/admin/drones/{droneId} — the map's side panel: battery history, trail, current job; admins only.
import { db } from '@/db';
import { droneDetail, droneExists } from '@/db/queries/fleet';
import { notFound } from '@/lib/errors';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute, parseId } from '@/lib/http';

export const GET = apiRoute<{ droneId: string }>(async ({ params }) => {
  await requireAdmin();
  const droneId = parseId(params.droneId, 'Drone');
  if (!(await droneExists(db, { id: droneId }))) throw notFound('Drone');
  return Response.json(await droneDetail(db, { droneId }), { headers: { 'Cache-Control': 'no-store' } });
});
