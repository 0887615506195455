import type { Metadata } from 'next';
import { db } from '@/db';
import { listAlerts, listClosedAutomats } from '@/db/queries/alerts';
import { AlertsList } from '@/components/admin/alerts-list';
import { alertsResponse, alertThresholds } from '@/lib/admin/alerts';
import { requireAdminPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Alerts' };
export const dynamic = 'force-dynamic';

export default async function AlertsPage() {
  await requireAdminPage('/admin/alerts');
  const t = alertThresholds();
  const [alerts, closed] = await Promise.all([listAlerts(db, t), listClosedAutomats(db)]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Alerts</h1>
        <p className="mt-1 max-w-3xl text-slate-700">
          Battery at or below {t.lowBattery}%, offline drones, deliveries stuck over {t.stuckDeliveryMin} min, lockers silent over {t.automatSilentMin} min, orders waiting over {t.pendingOrderMin} min. Each links to its
          object. Acknowledge an alert with a note to say it is being handled: it stays acknowledged until its condition changes (the battery is charged, the device is heard from again, the delivery or order moves on), and
          then comes back as a new alert if the problem returns.
        </p>
      </div>
      <AlertsList initial={alertsResponse(alerts, closed)} />
    </div>
  );
}
