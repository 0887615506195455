// GET /api/admin/alerts — current alerts derived from the data, with acknowledgements, and closed lockers
// (polled by the portal); admins only.
import { db } from '@/db';
import { listAlerts, listClosedAutomats } from '@/db/queries/alerts';
import { alertsResponse, alertThresholds } from '@/lib/admin/alerts';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async () => {
  await requireAdmin();
  const [alerts, closed] = await Promise.all([listAlerts(db, alertThresholds()), listClosedAutomats(db)]);
  return Response.json(alertsResponse(alerts, closed), { headers: { 'Cache-Control': 'no-store' } });
});
