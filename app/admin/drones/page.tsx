import type { Metadata } from 'next';
import { readFilters } from '@/lib/validation/form';
import { DataTable, FILTER_FIELD, ListCount, paramValue } from '@/components/admin/page-parts';
import Link from 'next/link';
import { CreateDroneForm } from '@/components/admin/drone-forms';
import { Pager } from '@/components/admin/pager';
import { DroneStateBadge } from '@/components/admin/drone-state-badge';
import { droneLabel } from '@/components/admin/status-labels';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listDronesAdmin } from '@/db/queries/drones';
import { DRONE_STATUSES } from '@/db/schema';
import { requireAdminPage } from '@/lib/auth/session';
import { droneState } from '@/lib/admin/drone-state';
import { formatAge } from '@/lib/format';
import { droneFilterSchema } from '@/lib/validation/fleet';

export const metadata: Metadata = { title: 'Drones' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 100;

export default async function AdminDronesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/drones');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(droneFilterSchema, raw);
  const { rows, total } = await listDronesAdmin(db, { ...f, pageSize: PAGE_SIZE });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const now = new Date();
  const value = (k: string) => paramValue(raw, k);

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Drones</h1>
      <section aria-labelledby="new-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="new-h" className="font-semibold">
          Register a drone
        </h2>
        <p className="mt-1 text-sm text-slate-600">It stays offline, and gets no deliveries, until it reports in with its device key.</p>
        <div className="mt-3">
          <CreateDroneForm />
        </div>
      </section>
      <form action="/admin/drones" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[2fr_1fr_auto] sm:items-end">
        <label className="text-sm font-medium">
          Search: call sign, model, IP address or id
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          Status
          <select name="status" defaultValue={value('status')} className={FILTER_FIELD}>
            <option value="">Any</option>
            {DRONE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {droneLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {!valid ? <Alert>Some filters were not valid and were ignored.</Alert> : null}
      <ListCount total={total} noun={['drone', 'drones']} page={f.page} pages={pages} />
      <DataTable label="Drones" columns={['Drone', 'IP address', 'Status', 'Battery', 'Last seen', 'Device key']} empty="No drones match." count={rows.length}>
            {rows.map((d) => (
              <tr key={d.id}>
                <td className="px-3 py-2">
                  <Link href={`/admin/drones/${d.id}`} className="font-semibold text-brand-700 underline">
                    {d.callSign}
                  </Link>
                  <span className="block text-xs text-slate-700">{d.model}</span>
                </td>
                <td className="px-3 py-2 font-mono text-xs">{d.ipAddress}</td>
                <td className="px-3 py-2">
                  <DroneStateBadge state={droneState({ status: d.status, speedMps: d.speedMps, lastSeenMs: d.lastSeenAt?.getTime() ?? null }, now.getTime())} />
                </td>
                <td className="px-3 py-2">{d.batteryLevel === null ? '—' : `${Math.round(d.batteryLevel)}%`}</td>
                <td className="px-3 py-2 text-slate-700">{d.lastSeenAt ? formatAge(d.lastSeenAt, now) : 'Never'}</td>
                <td className="px-3 py-2">{d.hasKey ? 'Issued' : <Badge tone="warning">None</Badge>}</td>
              </tr>
            ))}
      </DataTable>
      <Pager base="/admin/drones" params={raw} keys={['q', 'status']} page={f.page} pages={pages} labels={['Previous', 'Next']} />
    </div>
  );
}
