import type { Metadata } from 'next';
import { Stat } from '@/components/admin/page-parts';
import Link from 'next/link';
import { db } from '@/db';
import { countDrones, countOrdersByStatus, listAutomatSummaries, listDrones } from '@/db/queries/network';
import { AutoRefresh } from '@/components/auto-refresh';
import { DRONE_TONE, droneLabel } from '@/components/admin/status-labels';
import { Badge } from '@/components/ui/badge';
import { requireAdminPage } from '@/lib/auth/session';
import { formatAge } from '@/lib/format';
import { cellMetricText, pickupCellMetric } from '@/lib/cell-metric';
import type { OrderStatus } from '@/db/schema';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

const orderLabels: Record<OrderStatus, string> = {
  pending: 'Waiting for a drone',
  processing: 'In flight',
  delivered: 'In a locker',
  completed: 'Collected',
  cancelled: 'Cancelled',
};

export default async function AdminOverviewPage() {
  await requireAdminPage('/admin/overview');
  const now = new Date();
  const [orders, fleet, automats, drones] = await Promise.all([
    countOrdersByStatus(db),
    countDrones(db, { lowBatteryAt: 20 }),
    listAutomatSummaries(db),
    listDrones(db),
  ]);
  const working = automats.filter((a) => a.isWorking).length;

  return (
    <div className="space-y-10">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold tracking-tight">Operations overview</h1>
          <p className="mt-1 text-slate-700">Orders, fleet and lockers across the network.</p>
        </div>
        <AutoRefresh intervalMs={5000} />
      </div>

      <section aria-labelledby="orders-h">
        <h2 id="orders-h" className="text-lg font-semibold">
          Orders
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
          {(Object.keys(orderLabels) as OrderStatus[]).map((s) => (
            <Stat key={s} label={orderLabels[s]} value={orders[s]} />
          ))}
        </dl>
      </section>

      <section aria-labelledby="fleet-h">
        <h2 id="fleet-h" className="text-lg font-semibold">
          Fleet
        </h2>
        <dl className="mt-3 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
          <Stat label="Drones" value={fleet.total} />
          <Stat label="Idle" value={fleet.byStatus.idle} />
          <Stat label="On a delivery" value={fleet.byStatus.busy} />
          <Stat label="Charging" value={fleet.byStatus.charging} />
          <Stat label="Offline" value={fleet.byStatus.offline} />
          <Stat label="Battery ≤ 20%" value={fleet.lowBattery} />
        </dl>
        <div className="mt-4 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Drones</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">Drone</th>
                <th scope="col" className="px-4 py-2 font-semibold">IP address</th>
                <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                <th scope="col" className="px-4 py-2 font-semibold">Battery</th>
                <th scope="col" className="px-4 py-2 font-semibold">Last seen</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {drones.map((d) => (
                <tr key={d.id}>
                  <td className="px-4 py-2 font-medium">
                    <Link href={`/admin/drones/${d.id}`} className="text-brand-700 underline">
                      {d.callSign}
                    </Link>
                    <span className="block text-xs font-normal text-slate-600">{d.model}</span>
                  </td>
                  <td className="px-4 py-2 font-mono text-xs">{d.ipAddress}</td>
                  <td className="px-4 py-2">
                    <Badge tone={DRONE_TONE[d.status]}>{droneLabel(d.status)}</Badge>
                  </td>
                  <td className="px-4 py-2">{d.batteryLevel === null ? '—' : `${Math.round(d.batteryLevel)}%`}</td>
                  <td className="px-4 py-2 text-slate-700">{d.lastSeenAt ? formatAge(d.lastSeenAt, now) : 'Never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="lockers-h">
        <h2 id="lockers-h" className="text-lg font-semibold">
          Parcel lockers <span className="font-normal text-slate-600">({working} of {automats.length} open)</span>
        </h2>
        <div className="mt-3 overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Parcel lockers</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">Address</th>
                <th scope="col" className="px-4 py-2 font-semibold">State</th>
                <th scope="col" className="px-4 py-2 font-semibold">Free pickup cells</th>
                <th scope="col" className="px-4 py-2 font-semibold">Last heartbeat</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {automats.map((a) => (
                <tr key={a.id}>
                  <td className="px-4 py-2">
                    <Link href={`/admin/automats/${a.id}`} className="font-medium text-brand-700 underline">
                      {a.address}
                    </Link>
                    <span className="block text-xs text-slate-600">{a.city}</span>
                  </td>
                  <td className="px-4 py-2">{a.isWorking ? <Badge tone="success">open</Badge> : <Badge tone="neutral">closed</Badge>}</td>
                  <td className="px-4 py-2" data-testid="pickup-cells">{cellMetricText(pickupCellMetric(a))}</td>
                  <td className="px-4 py-2 text-slate-700">{a.lastSeenAt ? formatAge(a.lastSeenAt, now) : 'Never'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
