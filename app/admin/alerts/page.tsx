import type { Metadata } from 'next';
import { db } from '@/db';
import { listAlerts } from '@/db/queries/alerts';
import { AlertsList } from '@/components/admin/alerts-list';
import { alertHref, alertThresholds } from '@/lib/admin/alerts';
import { requireAdminPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

export default async function AlertsPage() {
  await requireAdminPage('/admin/alerts');
  const t = alertThresholds();
  const alerts = await listAlerts(db, t);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Alerts</h1>
        <p className="mt-1 text-slate-700">
          Battery at or below {t.lowBattery}%, offline drones, deliveries stuck over {t.stuckDeliveryMin} min, lockers not working or silent over {t.automatSilentMin} min, orders pending over {t.pendingOrderMin} min. Each links to its object.
        </p>
      </div>
      <AlertsList
        initial={{
          alerts: alerts.map((a) => ({ kind: a.kind, severity: a.severity, object_type: a.objectType, object_id: a.objectId, title: a.title, detail: a.detail, since: a.since, href: alertHref(a) })),
          counts: { total: alerts.length, critical: alerts.filter((a) => a.severity === 'critical').length },
        }}
      />
    </div>
  );
}
