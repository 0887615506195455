import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { Breadcrumb, Panel } from '@/components/admin/page-parts';
import { notFound } from 'next/navigation';
import { deleteAutomatAction, setAutomatArchivedAction } from '@/app/admin/automats/actions';
import { ArchiveForm } from '@/components/admin/archive-controls';
import { CellTable, CreateCellsForm, EditAutomatForm, type AdminCell } from '@/components/admin/automat-forms';
import { ConfirmDeleteForm } from '@/components/admin/confirm-delete-form';
import { DeviceKeyControl } from '@/components/admin/device-key';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { db } from '@/db';
import { getAutomatAdmin, listCellsForAdmin } from '@/db/queries/automats';
import { listAutomatSummaries } from '@/db/queries/network';
import { env } from '@/env';
import { automatDeletionImpact } from '@/lib/admin/automats';
import { requireAdminObjectPage } from '@/lib/auth/session';
import { cellMetric } from '@/lib/cell-metric';
import { cellMetricLabel } from '@/components/admin/fleet-style';
import { parseCoordinates } from '@/lib/geo';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.automat');
  return { title: t('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function AdminAutomatPage({
  params,
  searchParams,
}: {
  params: Promise<{ automatId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { automatId } = await params;
  await requireAdminObjectPage('/admin/automats', automatId);
  const automat = await getAutomatAdmin(db, { id: automatId });
  if (!automat) notFound();
  const [cells, impact, all] = await Promise.all([
    listCellsForAdmin(db, { automatId }),
    automatDeletionImpact(db, automatId),
    listAutomatSummaries(db, { includeArchived: true }),
  ]);
  const created = (await searchParams).created === '1';
  const [t, format, now] = await Promise.all([getTranslations('adminFleet'), getFormatter(), getNow()]);
  const { lat, lon } = parseCoordinates(automat.coordinates);
  const archived = automat.archivedAt !== null;
  const others = all
    .filter((a) => a.id !== automatId && a.archivedAt === null)
    .map((a) => ({ lat: a.lat, lon: a.lon, label: `${a.address}, ${a.city}` }));
  const external = cells.filter((c) => c.kind === 'external') as AdminCell[];
  const internal = cells.filter((c) => c.kind === 'internal') as AdminCell[];
  const pickup = cellMetric({
    total: external.length,
    available: external.filter((c) => c.status === 'available').length,
    maintenance: external.filter((c) => c.status === 'maintenance').length,
  });

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/automats', label: t('automats.title') }} current={automat.address} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-3xl font-bold tracking-tight">{automat.address}</h1>
            {archived ? <Badge tone="neutral">{t('automats.archived')}</Badge> : null}
          </div>
          <p className="text-slate-700">
            {automat.city} · ArUco {automat.arucoId} ·{' '}
            {automat.isWorking ? (
              <Badge tone="success">{t('automatStates.working')}</Badge>
            ) : (
              <Badge tone="neutral">{t('automatStates.closed')}</Badge>
            )}{' '}
            ·{' '}
            {t('automat.heartbeat', {
              age: automat.lastSeenAt ? format.relativeTime(automat.lastSeenAt, now) : t('panel.never'),
            })}
          </p>
        </div>
        <ButtonLink href={`/admin?automat=${automat.id}`} variant="secondary">
          {t('drone.showOnMap')}
        </ButtonLink>
      </div>
      {created ? (
        <Alert tone="success" title={t('automat.created')}>
          {t('automat.createdHint')}
        </Alert>
      ) : null}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
        <Panel id="out-h" title={t('automat.pickupCells', { metric: cellMetricLabel(t, pickup) })}>
          <CellTable cells={external} caption={t('panel.pickupCells')} />
        </Panel>
        <Panel id="in-h" title={t('automat.dropCells', { count: internal.length })}>
          <CellTable cells={internal} caption={t('panel.dropCells')} />
        </Panel>
      </div>
      <Panel id="add-h" title={t('cellsForm.add')}>
        <CreateCellsForm automatId={automat.id} />
      </Panel>
      <Panel id="details-h" title={t('drone.details')}>
        <EditAutomatForm
          id={automat.id}
          values={{
            city: automat.city,
            address: automat.address,
            lat,
            lon,
            arucoId: automat.arucoId,
            ipAddress: automat.ipAddress,
            isWorking: automat.isWorking,
          }}
          tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
          others={others}
        />
      </Panel>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
        <Panel id="key-h" title={t('drone.deviceKey')}>
          <DeviceKeyControl kind="automat" id={automat.id} hasKey={automat.hasKey} />
        </Panel>
        <Panel id="archive-h" title={archived ? t('automats.archived') : t('automat.archive')}>
          <ArchiveForm
            action={setAutomatArchivedAction}
            hidden={{ automat_id: automat.id }}
            archived={archived}
            label={{ archive: t('automat.archiveButton'), restore: t('automat.restoreButton') }}
            explain={
              archived && automat.archivedAt
                ? t('automat.archivedOn', { date: format.dateTime(automat.archivedAt, 'date') })
                : t('automat.archiveExplain', { orders: impact.orders })
            }
            blocked={
              !archived && impact.openOrders > 0 ? t('automat.archiveBlocked', { count: impact.openOrders }) : undefined
            }
          />
        </Panel>
        <Panel id="del-h" title={t('drone.delete')}>
          {impact.orders > 0 ? (
            <p className="text-sm text-slate-800">{t('automat.cannotDelete', { count: impact.orders })}</p>
          ) : (
            <ConfirmDeleteForm
              action={deleteAutomatAction}
              hidden={{ automat_id: automat.id }}
              label={t('automat.deleteButton')}
              impact={t('automat.deleteImpact', { pickup: impact.externalCells, drop: impact.internalCells })}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
