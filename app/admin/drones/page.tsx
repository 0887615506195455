import type { Metadata } from 'next';
import { getFormatter, getNow, getTranslations } from 'next-intl/server';
import { readFilters } from '@/lib/validation/form';
import { DataTable, FILTER_FIELD, paramValue } from '@/components/admin/page-parts';
import { PageLink } from '@/components/ui/page-link';
import { CreateDroneForm } from '@/components/admin/drone-forms';
import { Pager } from '@/components/admin/pager';
import { DroneStateBadge } from '@/components/admin/drone-state-badge';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listDronesAdmin } from '@/db/queries/drones';
import { requireAdminPage } from '@/lib/auth/session';
import { DRONE_STATES, droneState, droneStateFilter } from '@/lib/admin/drone-state';
import { droneFilterSchema } from '@/lib/validation/fleet';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.drones');
  return { title: t('title') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 100;

export default async function AdminDronesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/drones');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(droneFilterSchema, raw);
  const { rows, total } = await listDronesAdmin(db, {
    q: f.q,
    page: f.page,
    ...droneStateFilter(f.status),
    pageSize: PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const [t, format, now] = await Promise.all([getTranslations('adminFleet'), getFormatter(), getNow()]);
  const value = (k: string) => paramValue(raw, k);

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">{t('drones.title')}</h1>
      <section aria-labelledby="new-h" className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="new-h" className="font-semibold">
          {t('drones.registerTitle')}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t('drones.registerHint')}</p>
        <div className="mt-3">
          <CreateDroneForm />
        </div>
      </section>
      <form
        action="/admin/drones"
        className={cx(
          'grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[2fr_1fr_auto]',
          'sm:items-end',
        )}
      >
        <label className="text-sm font-medium">
          {t('drones.search')}
          <input name="q" defaultValue={value('q')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {t('drones.status')}
          <select name="status" defaultValue={value('status')} className={FILTER_FIELD}>
            <option value="">{t('drones.anyStatus')}</option>
            {DRONE_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`droneStates.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit">{t('drones.filter')}</Button>
      </form>
      {!valid ? <Alert>{t('drones.badFilter')}</Alert> : null}
      <p className="text-sm text-slate-600">{t('drones.count', { total, page: f.page, pages })}</p>
      <DataTable
        label={t('drones.table')}
        columns={[
          t('console.colDrone'),
          t('droneForm.ipAddress'),
          t('console.colStatus'),
          t('console.colBattery'),
          t('panel.lastSeen'),
          t('drones.deviceKey'),
        ]}
        empty={t('drones.empty')}
        count={rows.length}
      >
        {rows.map((d) => (
          <tr key={d.id}>
            <td className="px-3 py-2">
              <PageLink href={`/admin/drones/${d.id}`} className="font-semibold text-brand-700 underline">
                {d.callSign}
              </PageLink>
              <span className="block text-xs text-slate-700">{d.model}</span>
            </td>
            <td className="px-3 py-2 font-mono text-xs">{d.ipAddress}</td>
            <td className="px-3 py-2 whitespace-nowrap">
              <DroneStateBadge
                state={droneState(
                  { status: d.status, speedMps: d.speedMps, lastSeenMs: d.lastSeenAt?.getTime() ?? null },
                  now.getTime(),
                )}
              />
            </td>
            <td className="px-3 py-2">
              {d.batteryLevel === null ? '—' : format.number(Math.round(d.batteryLevel) / 100, { style: 'percent' })}
            </td>
            <td className="px-3 py-2 whitespace-nowrap text-slate-700">
              {d.lastSeenAt ? format.relativeTime(d.lastSeenAt, now) : t('overview.never')}
            </td>
            <td className="px-3 py-2">
              {d.hasKey ? t('drones.keyIssued') : <Badge tone="warning">{t('drones.keyNone')}</Badge>}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pager
        base="/admin/drones"
        params={raw}
        keys={['q', 'status']}
        page={f.page}
        pages={pages}
        labels={[t('drones.previous'), t('drones.next')]}
      />
    </div>
  );
}
