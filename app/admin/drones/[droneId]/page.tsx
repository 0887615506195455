import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { Breadcrumb, DataTable, Panel, Stat } from '@/components/admin/page-parts';
import { PageLink } from '@/components/ui/page-link';
import { notFound } from 'next/navigation';
import { BatteryChart } from '@/components/admin/battery-chart';
import { ConfirmDeleteForm } from '@/components/admin/confirm-delete-form';
import { DeviceKeyControl } from '@/components/admin/device-key';
import { DroneMaintenanceControl, EditDroneForm } from '@/components/admin/drone-forms';
import { Pager } from '@/components/admin/pager';
import { DroneStateBadge } from '@/components/admin/drone-state-badge';
import { DELIVERY_STATUS } from '@/components/admin/status-labels';
import { AutoRefresh } from '@/components/auto-refresh';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { deleteDroneAction } from '@/app/admin/drones/actions';
import { db } from '@/db';
import { droneBatteryHistory, getDroneAdmin, listDroneDeliveries } from '@/db/queries/drones';
import { droneState } from '@/lib/admin/drone-state';
import { droneDeletionImpact, TELEMETRY_COUNT_CAP } from '@/lib/admin/drones';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { pageSchema } from '@/lib/validation/fleet';

// A fixed title: metadata is rendered before the page checks the visitor is an operator.
export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.drone');
  return { title: t('metaTitle') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 25;

export default async function AdminDronePage({
  params,
  searchParams,
}: {
  params: Promise<{ droneId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { droneId } = await params;
  await requireAdminObjectPage('/admin/drones', droneId);
  const drone = await getDroneAdmin(db, { id: droneId });
  if (!drone) notFound();
  const raw = await searchParams;
  const { page } = pageSchema.catch({ page: 1 }).parse(raw);
  const [history, battery, impact] = await Promise.all([
    listDroneDeliveries(db, { droneId, page, pageSize: PAGE_SIZE }),
    droneBatteryHistory(db, { droneId }),
    droneDeletionImpact(db, droneId),
  ]);
  const [t, format, now] = await Promise.all([getTranslations('adminFleet'), getFormatter(), getNow()]);
  // "40 s", "12 min", "1.5 h" in the page's language.
  const duration = (s: number) =>
    s < 60
      ? format.number(Math.round(s), { style: 'unit', unit: 'second', unitDisplay: 'short' })
      : s < 3600
        ? format.number(Math.round(s / 60), { style: 'unit', unit: 'minute', unitDisplay: 'short' })
        : format.number(s / 3600, { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 });
  const pages = Math.max(1, Math.ceil(history.total / PAGE_SIZE));

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/drones', label: t('drones.title') }} current={drone.callSign} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">{drone.callSign}</h1>
          <p className="text-sm text-slate-700">
            {drone.model} · <span className="font-mono">{drone.ipAddress}</span>
          </p>
          <p className="font-mono text-xs text-slate-600">{drone.id}</p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <AutoRefresh intervalMs={10_000} />
          <ButtonLink href={`/admin?drone=${drone.id}`} variant="secondary">
            {t('drone.showOnMap')}
          </ButtonLink>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat
          label={t('console.colStatus')}
          value={
            <DroneStateBadge
              state={droneState(
                { status: drone.status, speedMps: drone.speedMps, lastSeenMs: drone.lastSeenAt?.getTime() ?? null },
                now.getTime(),
              )}
            />
          }
          testId="drone-status"
        />
        <Stat
          label={t('console.colBattery')}
          value={
            drone.batteryLevel === null
              ? '—'
              : format.number(Math.round(drone.batteryLevel) / 100, { style: 'percent' })
          }
        />
        <Stat
          label={t('panel.lastSeen')}
          value={drone.lastSeenAt ? format.relativeTime(drone.lastSeenAt, now) : t('overview.never')}
        />
        <Stat
          label={t('drone.deliveries')}
          value={format.number(history.completed)}
          hint={t('drone.failed', { failed: history.failed })}
        />
      </dl>
      {/* minmax(0, …): a wide table scrolls inside its panel instead of widening the page on a phone. */}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="space-y-6">
          <Panel id="battery-h" title={t('drone.battery')}>
            <BatteryChart points={battery} />
          </Panel>
          <Panel id="history-h" title={t('drone.history', { total: history.total })}>
            {history.avgFlightS !== null ? (
              <p className="mb-2 text-sm text-slate-700">
                {t('drone.average', { duration: duration(history.avgFlightS) })}
              </p>
            ) : null}
            <DataTable
              label={t('drone.historyTable')}
              columns={[t('drone.colAssigned'), t('drone.colOrder'), t('drone.colTo'), t('console.colStatus')]}
              empty={t('drone.noDeliveries')}
              count={history.rows.length}
              bare
            >
              {history.rows.map((d) => (
                <tr key={d.id}>
                  <td className="px-3 py-2 whitespace-nowrap">{format.dateTime(d.createdAt, 'dateTime')}</td>
                  <td className="px-3 py-2">
                    <PageLink
                      href={`/admin/orders/${d.orderId}`}
                      className="font-mono text-xs text-brand-700 underline"
                    >
                      {d.orderId.slice(0, 8)}
                    </PageLink>
                    <span className="block text-xs text-slate-600">{d.good}</span>
                  </td>
                  <td className="px-3 py-2">{d.automat}</td>
                  <td className="px-3 py-2">
                    <Badge tone={DELIVERY_STATUS[d.status].tone}>{t(`deliveryStates.${d.status}`)}</Badge>
                    {d.failureReason ? (
                      <span className="mt-1 block text-xs text-red-800">{d.failureReason}</span>
                    ) : null}
                    {d.completedAt ? (
                      <span className="block text-xs text-slate-600">
                        {t('drone.took', {
                          duration: duration((d.completedAt.getTime() - d.createdAt.getTime()) / 1000),
                        })}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </DataTable>
            <div className="mt-3">
              <Pager
                base={`/admin/drones/${drone.id}`}
                params={raw}
                keys={[]}
                page={page}
                pages={pages}
                labels={[t('drone.newer'), t('drone.older')]}
              />
            </div>
          </Panel>
        </div>
        <div className="space-y-6">
          <Panel id="details-h" title={t('drone.details')}>
            <EditDroneForm id={drone.id} values={drone} />
          </Panel>
          <Panel id="maint-h" title={t('drone.maintenance')}>
            <DroneMaintenanceControl id={drone.id} status={drone.status} />
          </Panel>
          <Panel id="key-h" title={t('drone.deviceKey')}>
            <DeviceKeyControl kind="drone" id={drone.id} hasKey={drone.hasKey} />
          </Panel>
          {/* Neutral: red is kept for the final button of the confirmation. */}
          <Panel id="del-h" title={t('drone.delete')}>
            <ConfirmDeleteForm
              action={deleteDroneAction}
              hidden={{ drone_id: drone.id }}
              blocked={impact.activeDeliveries > 0}
              label={t('drone.deleteButton')}
              impact={
                impact.activeDeliveries > 0
                  ? t('drone.deleteBlocked')
                  : t('drone.deleteImpact', {
                      readings: impact.telemetry,
                      shown:
                        impact.telemetry > TELEMETRY_COUNT_CAP
                          ? `${format.number(TELEMETRY_COUNT_CAP)}+`
                          : format.number(impact.telemetry),
                      deliveries: impact.deliveries,
                    })
              }
            />
          </Panel>
        </div>
      </div>
    </div>
  );
}
