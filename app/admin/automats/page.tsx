import type { Metadata } from 'next';
import { DataTable } from '@/components/admin/page-parts';
import Link from 'next/link';
import { CreateAutomatForm } from '@/components/admin/automat-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listAutomatSummaries } from '@/db/queries/network';
import { env } from '@/env';
import { requireAdminPage } from '@/lib/auth/session';
import { formatAge } from '@/lib/format';
import { ArchiveViewNav } from '@/components/admin/archive-view-nav';
import { Alert } from '@/components/ui/alert';
import { archiveViewSchema } from '@/lib/validation/fleet';
import { readFilters } from '@/lib/validation/form';
import { cellMetricText, pickupCellMetric } from '@/lib/cell-metric';

export const metadata: Metadata = { title: 'Lockers' };
export const dynamic = 'force-dynamic';

export default async function AdminAutomatsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/automats');
  const { filters, valid } = readFilters(archiveViewSchema, await searchParams);
  const all = await listAutomatSummaries(db, { includeArchived: true });
  const automats = all.filter((a) => (filters.show === 'all' ? true : filters.show === 'archived' ? a.archivedAt !== null : a.archivedAt === null));
  const now = new Date();
  const others = all.filter((a) => a.archivedAt === null).map((a) => ({ lat: a.lat, lon: a.lon, label: `${a.address}, ${a.city}` }));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Parcel lockers</h1>
      <ArchiveViewNav base="/admin/automats" current={filters.show} label="Show lockers" />
      {valid ? null : <Alert tone="info">That filter is not known; showing the lockers in service.</Alert>}
      <DataTable
        label="Parcel lockers"
        columns={['Address', 'ArUco', 'State', 'Free pickup cells', 'Last heartbeat']}
        empty={filters.show === 'archived' ? 'No archived lockers.' : 'No lockers yet: create the first one below.'}
        count={automats.length}
      >
            {automats.map((a) => (
              <tr key={a.id}>
                <td className="px-3 py-2">
                  <Link href={`/admin/automats/${a.id}`} className="font-medium text-brand-700 underline">
                    {a.address}
                  </Link>
                  <span className="block text-xs text-slate-600">{a.city}</span>
                </td>
                <td className="px-3 py-2 font-mono">{a.arucoId}</td>
                <td className="px-3 py-2">{a.archivedAt ? <Badge tone="neutral">Archived</Badge> : a.isWorking ? <Badge tone="success">open</Badge> : <Badge tone="neutral">closed</Badge>}</td>
                <td className="px-3 py-2" data-testid="pickup-cells">{cellMetricText(pickupCellMetric(a))}</td>
                <td className="px-3 py-2 text-slate-700">{a.lastSeenAt ? formatAge(a.lastSeenAt, now) : 'Never'}</td>
              </tr>
            ))}
      </DataTable>
      <section aria-labelledby="new-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="new-h" className="font-semibold">
          New locker
        </h2>
        <p className="mt-1 text-sm text-slate-600">After creating it you add its cells and issue its device key.</p>
        <div className="mt-3">
          <CreateAutomatForm tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }} others={others} />
        </div>
      </section>
    </div>
  );
}
