import type { Metadata } from 'next';
import { Breadcrumb, Panel } from '@/components/admin/page-parts';
import { notFound } from 'next/navigation';
import { deleteAutomatAction, setAutomatArchivedAction } from '@/app/admin/automats/actions';
import { ArchiveForm } from '@/components/admin/archive-controls';
import { plural } from '@/lib/admin/plural';
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
import { formatAge } from '@/lib/format';
import { cellMetric, cellMetricText } from '@/lib/cell-metric';
import { parseCoordinates } from '@/lib/geo';

export const metadata: Metadata = { title: 'Locker' };
export const dynamic = 'force-dynamic';

export default async function AdminAutomatPage({ params, searchParams }: { params: Promise<{ automatId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { automatId } = await params;
  await requireAdminObjectPage('/admin/automats', automatId);
  const automat = await getAutomatAdmin(db, { id: automatId });
  if (!automat) notFound();
  const [cells, impact, all] = await Promise.all([listCellsForAdmin(db, automatId), automatDeletionImpact(db, automatId), listAutomatSummaries(db, { includeArchived: true })]);
  const created = (await searchParams).created === '1';
  const { lat, lon } = parseCoordinates(automat.coordinates);
  const archived = automat.archivedAt !== null;
  const others = all.filter((a) => a.id !== automatId && a.archivedAt === null).map((a) => ({ lat: a.lat, lon: a.lon, label: `${a.address}, ${a.city}` }));
  const external = cells.filter((c) => c.kind === 'external') as AdminCell[];
  const internal = cells.filter((c) => c.kind === 'internal') as AdminCell[];
  const pickup = cellMetric({ total: external.length, available: external.filter((c) => c.status === 'available').length, maintenance: external.filter((c) => c.status === 'maintenance').length });

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: '/admin/automats', label: 'Lockers' }} current={automat.address} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-3xl font-bold tracking-tight">{automat.address}</h1>
            {archived ? <Badge tone="neutral">Archived</Badge> : null}
          </div>
          <p className="text-slate-700">
            {automat.city} · ArUco {automat.arucoId} · {automat.isWorking ? <Badge tone="success">open</Badge> : <Badge tone="neutral">closed</Badge>} · last heartbeat{' '}
            {automat.lastSeenAt ? formatAge(automat.lastSeenAt) : 'never'}
          </p>
        </div>
        <ButtonLink href={`/admin?automat=${automat.id}`} variant="secondary">
          Show on the map
        </ButtonLink>
      </div>
      {created ? (
        <Alert tone="success" title="Locker created">
          Now add its pickup and drop cells, and issue its device key so its kiosk can connect.
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel id="out-h" title={`Pickup cells (outside): ${cellMetricText(pickup)}`}>
          <CellTable cells={external} caption="Pickup cells" />
        </Panel>
        <Panel id="in-h" title={`Drop cells (inside): ${internal.length}`}>
          <CellTable cells={internal} caption="Drop cells" />
        </Panel>
      </div>
      <Panel id="add-h" title="Add cells">
        <CreateCellsForm automatId={automat.id} />
      </Panel>
      <Panel id="details-h" title="Details">
        <EditAutomatForm
          id={automat.id}
          values={{ city: automat.city, address: automat.address, lat, lon, arucoId: automat.arucoId, ipAddress: automat.ipAddress, isWorking: automat.isWorking }}
          tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
          others={others}
        />
      </Panel>
      <div className="grid gap-6 lg:grid-cols-2">
        <Panel id="key-h" title="Device key">
          <DeviceKeyControl kind="automat" id={automat.id} hasKey={automat.hasKey} />
        </Panel>
        <Panel id="archive-h" title={archived ? 'Archived' : 'Archive'}>
          <ArchiveForm
            action={setAutomatArchivedAction}
            hidden={{ automat_id: automat.id }}
            archived={archived}
            label={{ archive: 'Archive locker', restore: 'Restore to the network' }}
            explain={
              archived
                ? `Archived on ${automat.archivedAt?.toISOString().slice(0, 10)}: out of service for good, hidden from ordering and from the map. Past orders still show it.`
                : `Takes it out of service for good: hidden from ordering, the locker picker and the map.${impact.orders > 0 ? ` It stays in the history of its ${plural(impact.orders, 'order', 'orders')}.` : ''} You can restore it. To close it for a while, untick “Working” above instead.`
            }
            blocked={
              !archived && impact.openOrders > 0
                ? `${plural(impact.openOrders, 'order', 'orders')} at this locker ${impact.openOrders === 1 ? 'is' : 'are'} still open. Archive it when ${impact.openOrders === 1 ? 'that order is' : 'they are all'} collected or cancelled.`
                : undefined
            }
          />
        </Panel>
        <Panel id="del-h" title="Delete">
          {impact.orders > 0 ? (
            <p className="text-sm text-slate-800">
              It cannot be deleted: {plural(impact.orders, 'order names', 'orders name')} it, and customers keep their order history. Archive it instead.
            </p>
          ) : (
            <ConfirmDeleteForm
              action={deleteAutomatAction}
              hidden={{ automat_id: automat.id }}
              label="Delete locker"
              impact={`No order names it, so it can be deleted for good with its ${plural(impact.externalCells, 'pickup cell', 'pickup cells')} and ${plural(impact.internalCells, 'drop cell', 'drop cells')}. This cannot be undone.`}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}
