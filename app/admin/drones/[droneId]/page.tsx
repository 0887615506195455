import type { Metadata } from 'next';
import { getFormatter } from 'next-intl/server';
import { Breadcrumb, DataTable, Panel, Stat } from '@/components/admin/page-parts';
import Link from 'next/link';
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
import { formatAge } from '@/lib/format';
import { pageSchema } from '@/lib/validation/fleet';

export const metadata: Metadata = { title: 'Drone' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 25;
const utc = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 16);
const duration = (s: number) => (s < 60 ? `${Math.round(s)} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

export default async function AdminDronePage({ params, searchParams }: { params: Promise<{ droneId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
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
  const now = new Date();
  const format = await getFormatter();
  const pages = Math.max(1, Math.ceil(history.total / PAGE_SIZE));

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/drones', label: 'Drones' }} current={drone.callSign} />
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
            Show on the map
          </ButtonLink>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <Stat label="Status" value={<DroneStateBadge state={droneState({ status: drone.status, speedMps: drone.speedMps, lastSeenMs: drone.lastSeenAt?.getTime() ?? null }, now.getTime())} />} testId="drone-status" />
        <Stat label="Battery" value={drone.batteryLevel === null ? '—' : `${Math.round(drone.batteryLevel)}%`} />
        <Stat label="Last seen" value={drone.lastSeenAt ? formatAge(drone.lastSeenAt, now) : 'Never'} />
        <Stat label="Deliveries" value={`${history.completed} done · ${history.failed} failed`} />
      </dl>
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <div className="space-y-6">
          <Panel id="battery-h" title="Battery, last 24 hours (UTC)">
            <BatteryChart points={battery} />
          </Panel>
          <Panel id="history-h" title={`Delivery history (${history.total})`}>
            {history.avgFlightS !== null ? <p className="mb-2 text-sm text-slate-700">Average assignment to drop-off: {duration(history.avgFlightS)}.</p> : null}
            <DataTable label="Deliveries of this drone" columns={['Assigned (UTC)', 'Order', 'To', 'Status']} empty="No deliveries yet." count={history.rows.length} bare>
                  {history.rows.map((d) => (
                    <tr key={d.id}>
                      <td className="px-3 py-2 whitespace-nowrap">{utc(d.createdAt)}</td>
                      <td className="px-3 py-2">
                        <Link href={`/admin/orders/${d.orderId}`} className="font-mono text-xs text-brand-700 underline">
                          {d.orderId.slice(0, 8)}
                        </Link>
                        <span className="block text-xs text-slate-600">{d.good}</span>
                      </td>
                      <td className="px-3 py-2">{d.automat}</td>
                      <td className="px-3 py-2">
                        <Badge tone={DELIVERY_STATUS[d.status].tone}>{DELIVERY_STATUS[d.status].label}</Badge>
                        {d.failureReason ? <span className="mt-1 block text-xs text-red-800">{d.failureReason}</span> : null}
                        {d.completedAt ? <span className="block text-xs text-slate-600">in {duration((d.completedAt.getTime() - d.createdAt.getTime()) / 1000)}</span> : null}
                      </td>
                    </tr>
                  ))}
            </DataTable>
            <div className="mt-3">
              <Pager base={`/admin/drones/${drone.id}`} params={raw} keys={[]} page={page} pages={pages} />
            </div>
          </Panel>
        </div>
        <div className="space-y-6">
          <Panel id="details-h" title="Details">
            <EditDroneForm id={drone.id} values={drone} />
          </Panel>
          <Panel id="maint-h" title="Maintenance">
            <DroneMaintenanceControl id={drone.id} status={drone.status} />
          </Panel>
          <Panel id="key-h" title="Device key">
            <DeviceKeyControl kind="drone" id={drone.id} hasKey={drone.hasKey} />
          </Panel>
          <Panel id="del-h" title="Delete" danger>
            <ConfirmDeleteForm
              action={deleteDroneAction}
              hidden={{ drone_id: drone.id }}
              blocked={impact.activeDeliveries > 0}
              label="Delete drone"
              impact={
                impact.activeDeliveries > 0
                  ? 'It is on a delivery: it cannot be deleted until that delivery ends.'
                  : `Its ${impact.telemetry > TELEMETRY_COUNT_CAP ? `${format.number(TELEMETRY_COUNT_CAP)}+` : impact.telemetry} telemetry readings are deleted. Its ${impact.deliveries} past deliveries stay in the order history, without a drone named.`
              }
            />
          </Panel>
        </div>
      </div>
    </div>
  );
}
