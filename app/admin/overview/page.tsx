import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { Stat } from '@/components/admin/page-parts';
import { PageLink } from '@/components/ui/page-link';
import { db } from '@/db';
import { countDrones, countOrdersByStatus, listAutomatSummaries, listDrones } from '@/db/queries/network';
import { AutoRefresh } from '@/components/auto-refresh';
import { DroneStateBadge } from '@/components/admin/drone-state-badge';
import { cellMetricLabel } from '@/components/admin/fleet-style';
import { Badge } from '@/components/ui/badge';
import { requireAdminPage } from '@/lib/auth/session';
import { droneState, type DroneState } from '@/lib/admin/drone-state';
import { pickupCellMetric } from '@/lib/cell-metric';
import { fleetRules } from '@/lib/fleet-rules';
import { ORDER_STATUSES } from '@/db/statuses';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.overview');
  return { title: t('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function AdminOverviewPage() {
  await requireAdminPage('/admin/overview');
  const [t, format, now] = await Promise.all([getTranslations('adminFleet'), getFormatter(), getNow()]);
  const { lowBattery } = fleetRules();
  const [orders, fleet, automats, drones] = await Promise.all([
    countOrdersByStatus(db),
    countDrones(db, { lowBatteryAt: lowBattery }),
    listAutomatSummaries(db),
    listDrones(db),
  ]);
  const working = automats.filter((a) => a.isWorking).length;
  // As the lists and the map show them: a drone flying home counts as returning, not idle.
  const states = new Map(
    drones.map((d) => [
      d.id,
      droneState(
        { status: d.status, speedMps: d.speedMps, lastSeenMs: d.lastSeenAt?.getTime() ?? null },
        now.getTime(),
      ),
    ]),
  );
  const inState = (s: DroneState) => [...states.values()].filter((x) => x === s).length;
  const pct = (v: number) => format.number(Math.round(v) / 100, { style: 'percent' });

  return (
    <div className="space-y-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{t('overview.title')}</h1>
          <p className="mt-1 text-slate-700">{t('overview.lead')}</p>
        </div>
        <AutoRefresh intervalMs={5000} />
      </div>

      <section aria-labelledby="orders-h">
        <h2 id="orders-h" className="text-lg font-semibold">
          {t('overview.orders')}
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {ORDER_STATUSES.map((s) => (
            <Stat key={s} label={t(`orderStates.${s}`)} value={format.number(orders[s])} />
          ))}
        </dl>
      </section>

      <section aria-labelledby="fleet-h">
        <h2 id="fleet-h" className="text-lg font-semibold">
          {t('overview.fleet')}
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
          <Stat label={t('overview.drones')} value={format.number(fleet.total)} />
          {(['idle', 'returning', 'busy', 'charging', 'offline'] as const).map((s) => (
            <Stat key={s} label={t(`droneStates.${s}`)} value={format.number(inState(s))} />
          ))}
          <Stat label={t('overview.lowBattery', { level: pct(lowBattery) })} value={format.number(fleet.lowBattery)} />
        </dl>
        <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t('overview.drones')}</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('console.colDrone')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('droneForm.ipAddress')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('console.colStatus')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('console.colBattery')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('panel.lastSeen')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {drones.map((d) => (
                <tr key={d.id}>
                  <td className="px-4 py-2 font-medium">
                    <PageLink href={`/admin/drones/${d.id}`} className="text-brand-700 underline">
                      {d.callSign}
                    </PageLink>
                    <span className="block text-xs font-normal text-slate-600">{d.model}</span>
                  </td>
                  <td className="px-4 py-2 font-mono text-xs">{d.ipAddress}</td>
                  <td className="px-4 py-2 whitespace-nowrap">
                    <DroneStateBadge state={states.get(d.id) ?? 'offline'} />
                  </td>
                  <td className="px-4 py-2">{d.batteryLevel === null ? '—' : pct(d.batteryLevel)}</td>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-700">
                    {d.lastSeenAt ? format.relativeTime(d.lastSeenAt, now) : t('overview.never')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="lockers-h">
        <h2 id="lockers-h" className="text-lg font-semibold">
          {t('overview.lockers')}{' '}
          <span className="font-normal text-slate-600">
            {t('overview.lockersOpen', { open: working, total: automats.length })}
          </span>
        </h2>
        <div className="mt-3 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t('overview.lockers')}</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('automatForm.address')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('console.colState')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('console.colFreeCells')}
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  {t('overview.lastHeartbeat')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {automats.map((a) => (
                <tr key={a.id}>
                  <td className="px-4 py-2">
                    <PageLink href={`/admin/automats/${a.id}`} className="font-medium text-brand-700 underline">
                      {a.address}
                    </PageLink>
                    <span className="block text-xs text-slate-600">{a.city}</span>
                  </td>
                  <td className="px-4 py-2">
                    {a.isWorking ? (
                      <Badge tone="success">{t('automatStates.working')}</Badge>
                    ) : (
                      <Badge tone="neutral">{t('automatStates.closed')}</Badge>
                    )}
                  </td>
                  <td className="px-4 py-2" data-testid="pickup-cells">
                    {cellMetricLabel(t, pickupCellMetric(a))}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap text-slate-700">
                    {a.lastSeenAt ? format.relativeTime(a.lastSeenAt, now) : t('overview.never')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
