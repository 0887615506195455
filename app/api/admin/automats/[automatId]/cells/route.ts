// GET /api/admin/automats/{automatId}/cells — a locker's cell grid for the map popup; admins only.
import { db } from '@/db';
import { automatCells, automatExists } from '@/db/queries/fleet';
import { notFound } from '@/lib/errors';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute, parseId } from '@/lib/http';

export const GET = apiRoute<{ automatId: string }>(async ({ params }) => {
  await requireAdmin();
  const automatId = parseId(params.automatId, 'Parcel automat');
  if (!(await automatExists(db, { id: automatId }))) throw notFound('Parcel automat');
  const cells = await automatCells(db, { automatId });
  return Response.json({
    cells: cells.map((c) => ({
      kind: c.kind,
      cell_number: c.cell_number,
      status: c.status,
      size: `${Number(c.length)}×${Number(c.width)}×${Number(c.height)}`,
    })),
  });
});
