// GET /api/admin/alerts — current alerts derived from the data (polled by the portal); admins only.
import { db } from '@/db';
import { listAlerts } from '@/db/queries/alerts';
import { alertHref, alertThresholds } from '@/lib/admin/alerts';
import { requireAdmin } from '@/lib/auth/session';
import { apiRoute } from '@/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute(async () => {
  await requireAdmin();
  const alerts = await listAlerts(db, alertThresholds());
  return Response.json(
    {
      alerts: alerts.map((a) => ({ kind: a.kind, severity: a.severity, object_type: a.objectType, object_id: a.objectId, title: a.title, detail: a.detail, since: a.since, href: alertHref(a) })),
      counts: { total: alerts.length, critical: alerts.filter((a) => a.severity === 'critical').length },
    },
    { headers: { 'Cache-Control': 'no-store' } },
  );
});
