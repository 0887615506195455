import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { db } from '@/db';
import { listAlerts, listClosedAutomats } from '@/db/queries/alerts';
import { AlertsList } from '@/components/admin/alerts-list';
import { alertsResponse, alertThresholds } from '@/lib/admin/alerts';
import { requireAdminPage } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.alerts');
  return { title: t('badge') };
}
export const dynamic = 'force-dynamic';

export default async function AlertsPage() {
  await requireAdminPage('/admin/alerts');
  const limits = alertThresholds();
  const [alerts, closed, t] = await Promise.all([
    listAlerts(db, limits),
    listClosedAutomats(db),
    getTranslations('adminFleet.alerts'),
  ]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{t('badge')}</h1>
        <p className="mt-1 max-w-3xl text-slate-700">
          {t('lead', {
            battery: limits.lowBattery,
            stuck: limits.stuckDeliveryMin,
            silent: limits.automatSilentMin,
            pending: limits.pendingOrderMin,
          })}
        </p>
      </div>
      <AlertsList initial={alertsResponse(alerts, closed, limits)} />
    </div>
  );
}
