import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { DataTable } from '@/components/admin/page-parts';
import { PageLink } from '@/components/ui/page-link';
import { CreateAutomatForm } from '@/components/admin/automat-forms';
import { Badge } from '@/components/ui/badge';
import { db } from '@/db';
import { listAutomatSummaries } from '@/db/queries/network';
import { env } from '@/env';
import { requireAdminPage } from '@/lib/auth/session';
import { ArchiveViewNav } from '@/components/admin/archive-view-nav';
import { Alert } from '@/components/ui/alert';
import { archiveViewSchema } from '@/lib/validation/fleet';
import { readFilters } from '@/lib/validation/form';
import { pickupCellMetric } from '@/lib/cell-metric';
import { cellMetricLabel } from '@/components/admin/fleet-style';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.automats');
  return { title: t('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function AdminAutomatsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/automats');
  const { filters, valid } = readFilters(archiveViewSchema, await searchParams);
  const all = await listAutomatSummaries(db, { includeArchived: true });
  const automats = all.filter((a) =>
    filters.show === 'all' ? true : filters.show === 'archived' ? a.archivedAt !== null : a.archivedAt === null,
  );
  const [t, format, now] = await Promise.all([getTranslations('adminFleet'), getFormatter(), getNow()]);
  const others = all
    .filter((a) => a.archivedAt === null)
    .map((a) => ({ lat: a.lat, lon: a.lon, label: `${a.address}, ${a.city}` }));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">{t('automats.title')}</h1>
      <ArchiveViewNav base="/admin/automats" current={filters.show} label={t('automats.show')} />
      {valid ? null : <Alert tone="info">{t('automats.badFilter')}</Alert>}
      <DataTable
        label={t('automats.title')}
        columns={[
          t('automatForm.address'),
          'ArUco',
          t('console.colState'),
          t('console.colFreeCells'),
          t('overview.lastHeartbeat'),
        ]}
        empty={filters.show === 'archived' ? t('automats.noArchived') : t('automats.empty')}
        count={automats.length}
      >
        {automats.map((a) => (
          <tr key={a.id}>
            <td className="px-3 py-2">
              <PageLink href={`/admin/automats/${a.id}`} className="font-medium text-brand-700 underline">
                {a.address}
              </PageLink>
              <span className="block text-xs text-slate-600">{a.city}</span>
            </td>
            <td className="px-3 py-2 font-mono">{a.arucoId}</td>
            <td className="px-3 py-2">
              {a.archivedAt ? (
                <Badge tone="neutral">{t('automats.archived')}</Badge>
              ) : a.isWorking ? (
                <Badge tone="success">{t('automatStates.working')}</Badge>
              ) : (
                <Badge tone="neutral">{t('automatStates.closed')}</Badge>
              )}
            </td>
            <td className="px-3 py-2" data-testid="pickup-cells">
              {cellMetricLabel(t, pickupCellMetric(a))}
            </td>
            <td className="px-3 py-2 whitespace-nowrap text-slate-700">
              {a.lastSeenAt ? format.relativeTime(a.lastSeenAt, now) : t('overview.never')}
            </td>
          </tr>
        ))}
      </DataTable>
      <section aria-labelledby="new-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="new-h" className="font-semibold">
          {t('automats.newTitle')}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('automats.newHint')}</p>
        <div className="mt-3">
          <CreateAutomatForm
            tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
            others={others}
          />
        </div>
      </section>
    </div>
  );
}
