import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateAutomatForm } from '@/components/admin/automat-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listAutomatSummaries } from '@/db/queries/network';
import { env } from '@/env';
import { requireAdminPage } from '@/lib/auth/session';
import { formatAge } from '@/lib/format';

export const metadata: Metadata = { title: 'Lockers' };
export const dynamic = 'force-dynamic';

export default async function AdminAutomatsPage() {
  await requireAdminPage('/admin/automats');
  const automats = await listAutomatSummaries(db);
  const now = new Date();
  const others = automats.map((a) => ({ lat: a.lat, lon: a.lon, label: `${a.address}, ${a.city}` }));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Parcel lockers</h1>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="min-w-full text-left text-sm" aria-label="Parcel lockers">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">Address</th>
              <th scope="col" className="px-3 py-2">ArUco</th>
              <th scope="col" className="px-3 py-2">State</th>
              <th scope="col" className="px-3 py-2">Free pickup cells</th>
              <th scope="col" className="px-3 py-2">Last heartbeat</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {automats.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-3 py-6 text-center text-slate-600">
                  No lockers yet: create the first one below.
                </td>
              </tr>
            ) : null}
            {automats.map((a) => (
              <tr key={a.id}>
                <td className="px-3 py-2">
                  <Link href={`/admin/automats/${a.id}`} className="font-medium text-brand-700 underline">
                    {a.address}
                  </Link>
                  <span className="block text-xs text-slate-600">{a.city}</span>
                </td>
                <td className="px-3 py-2 font-mono">{a.arucoId}</td>
                <td className="px-3 py-2">{a.isWorking ? <Badge tone="success">working</Badge> : <Badge tone="danger">not working</Badge>}</td>
                <td className="px-3 py-2">
                  {a.availableExternalCells} / {a.externalCells}
                </td>
                <td className="px-3 py-2 text-slate-700">{a.lastSeenAt ? formatAge(a.lastSeenAt, now) : 'Never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
